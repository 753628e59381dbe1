"""What the platform collects data for: its framework (``CIMON_FRAMEWORK``), its region registry
(``CIMON_REGIONS``: Ningxia's 22 units by default, ``national`` for every county-level unit, or a
registry CSV) and the open evaluation year. Read by the store's services, the web portal and the CLI alike."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from cimon.model.framework import Framework, load_framework
from cimon.model.regions import RegionRegistry, default_registry, load_registry


@lru_cache(maxsize=4)
def _framework(ref: str) -> Framework:
    return load_framework(ref)


def platform_framework(province: str | None = None) -> Framework:
    """The framework the platform collects data for (``CIMON_FRAMEWORK``); with ``province`` on
    an instance hosting several (``CIMON_PROVINCES``), that province's framework (a bundled id
    or a file, read as ``CIMON_FRAMEWORK``; an error when it is not hosted)."""
    if province:
        from cimon.store.national.hosting import hosted, hosted_province

        if hosted():
            return _framework(hosted_province(province).framework)
    return _framework(str(settings.CIMON_FRAMEWORK))


@lru_cache(maxsize=4)
def _registry(ref: str) -> RegionRegistry:
    if ref in ("", "ningxia", "default"):
        return default_registry()
    if ref == "national":
        from cimon.model.national import national_registry

        return national_registry()
    return load_registry(ref)


@lru_cache(maxsize=8)
def _province_registry(code: str) -> RegionRegistry:
    from cimon.store.national.hosting import province_registry

    return province_registry(code)


def platform_registry(province: str | None = None) -> RegionRegistry:
    """The region registry the platform collects data for (``CIMON_REGIONS``): the bundled
    Ningxia one (22 units, the default), ``national`` (2,844 units) or a registry CSV's path;
    with ``province`` on an instance hosting several (``CIMON_PROVINCES``), that province's
    units of the national registry (an error when it is not hosted)."""
    if province:
        from cimon.store.national.hosting import hosted, hosted_province

        if hosted():
            return _province_registry(hosted_province(province).code)
    return _registry(str(getattr(settings, "CIMON_REGIONS", "ningxia")))


def is_national() -> bool:
    """Whether the platform spans more than one province (pages then filter by province)."""
    return len({r.province for r in platform_registry()}) > 1


def current_year() -> int:
    """The open evaluation year: the latest with a deadline, else this calendar year."""
    from cimon.store.submissions.models import Deadline

    latest = Deadline.objects.order_by("-evaluation_year").first()
    return latest.evaluation_year if latest else timezone.localdate().year
