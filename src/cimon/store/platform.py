"""What the platform collects data for: its framework (``CIMON_FRAMEWORK``), its region registry
and the open evaluation year. Read by the store's services, the web portal and the CLI alike."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from cimon.model.framework import Framework, load_framework
from cimon.model.regions import RegionRegistry, default_registry


@lru_cache(maxsize=4)
def _framework(ref: str) -> Framework:
    return load_framework(ref)


def platform_framework() -> Framework:
    """The framework the platform collects data for (``CIMON_FRAMEWORK``)."""
    return _framework(str(settings.CIMON_FRAMEWORK))


def platform_registry() -> RegionRegistry:
    """The region registry of the platform's province."""
    return default_registry()


def current_year() -> int:
    """The open evaluation year: the latest with a deadline, else this calendar year."""
    from cimon.store.submissions.models import Deadline

    latest = Deadline.objects.order_by("-evaluation_year").first()
    return latest.evaluation_year if latest else timezone.localdate().year
