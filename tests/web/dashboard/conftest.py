"""Published results for the dashboard tests: the demo panel in the database, the 2024 and
2025 evaluations run and published (2025 corrected once: version 1 superseded by version 2)."""

from __future__ import annotations

from typing import Any

import pytest


def publish(ev: Any, version: int = 1, superseded: bool = False) -> Any:
    """A publication of an evaluation's results, as :func:`services.publish` writes it
    (without the notice period, which the evaluation tests cover)."""
    from django.utils import timezone

    from cimon.store.evaluations.models import PUBLISHED, Publication

    now = timezone.now()
    ev.status = PUBLISHED
    ev.save()
    return Publication.objects.create(
        evaluation_year=ev.evaluation_year,
        version=version,
        evaluation=ev,
        results=ev.results,
        class_counts=ev.class_counts,
        published_at=now,
        superseded_at=now if superseded else None,
        reason="更正 / correction" if version > 1 else "",
    )


@pytest.fixture
def published(users: dict[str, Any], settings: Any, tmp_path: Any) -> dict[str, Any]:
    from cimon.store.evaluations.published import clear_caches
    from cimon.web.evaluations import services as wf
    from cimon.web.serving import load_demo

    settings.CIMON_REPORT_CACHE = str(tmp_path / "report-cache")
    settings.CIMON_DASHBOARD_REPLICATES = 200  # the robustness panel; 1,000 by default
    clear_caches()
    load_demo(modules=False)
    admin = users["admin"]
    ev24 = wf.execute(wf.start(admin, 2024).pk)
    ev25a = wf.execute(wf.start(admin, 2025).pk)
    ev25b = wf.execute(wf.start(admin, 2025).pk)
    out = {
        "users": users,
        "2024": publish(ev24),
        "2025v1": publish(ev25a, 1, superseded=True),
        "2025": publish(ev25b, 2),
        "unpublished": wf.execute(wf.start(admin, 2023).pk),
    }
    yield out
    clear_caches()
