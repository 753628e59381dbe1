"""Published demo years for the API tests: 2024 (version 1) and 2025 (version 1, superseded by a
correction, version 2 current), made from the engine's evaluation of the shipped demo panel as
the evaluation workflow stores it (``result_rows`` with the pillar points)."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

import pytest


@lru_cache(maxsize=1)
def demo_rows() -> dict[int, tuple[list[dict[str, Any]], dict[str, int]]]:
    from cimon.data.demo import demo_panel
    from cimon.engine.pipeline import evaluate
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.evaluations.results import result_rows

    fw, panel, reg = load_framework("nx-2021"), demo_panel(), default_registry()
    out = {}
    for year in (2024, 2025):
        run = evaluate(fw, panel, year, reg)
        out[year] = (result_rows(run.results, run.data["pillars"]), run.class_counts())
    return out


@pytest.fixture
def published(users: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from cimon.store.evaluations.models import PUBLISHED, Evaluation, Publication

    now = timezone.now()
    rows = demo_rows()
    out: dict[str, Any] = {"users": users, "rows": rows}
    for year in (2024, 2025):
        results, counts = rows[year]
        ev = Evaluation.objects.create(
            evaluation_year=year,
            data_year=year - 1,
            framework_id="nx-2021",
            framework_version="2021",
            data_as_of=now,
            created_at=now,
            status=PUBLISHED,
            progress=100,
            results=results,
            class_counts=counts,
        )
        versions = [(1, None)] if year == 2024 else [(1, now), (2, None)]
        for version, superseded in versions:
            pub_rows = results
            if version == 1 and year == 2025:  # the first version had one county's name wrong
                pub_rows = [dict(results[0], name="错名县"), *results[1:]]
            Publication.objects.create(
                evaluation_year=year,
                version=version,
                evaluation=ev,
                results=pub_rows,
                class_counts=counts,
                published_at=now - timedelta(days=3 - version),
                superseded_at=superseded,
                reason="更正 / correction" if version == 2 else "",
            )
    return out
