"""A county's action-plan targets on its dashboard page (seed 001's 清单化管理): the bundled
``kind: county`` targets file that names the county, and each item's status from the values
of the published runs (:mod:`cimon.analysis.targets`)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cimon.engine.run import Run
from cimon.vocab import t


@lru_cache(maxsize=1)
def _bundled_plans() -> dict[str, Any]:
    """The bundled county action plans by county name, read once per process (the files ship
    with the package and do not change while it runs; parsing them took most of a county page's
    time)."""
    from cimon.analysis.targets import bundled_targets, load_county_plan
    from cimon.errors import CimonError

    plans: dict[str, Any] = {}
    for ref in bundled_targets():
        try:
            plan = load_county_plan(ref)
        except CimonError:
            continue  # a province target file
        plans.setdefault(plan.county, plan)
    return plans


def county_targets(
    name: str, runs: Mapping[int, Run], code: str, lang: str
) -> dict[str, Any] | None:
    """The county's action plan (a bundled ``kind: county`` targets file naming this county) and
    the status of each item (:func:`cimon.analysis.targets.county_status`) from the values the
    published runs used; ``None`` when no plan exists for the county."""
    from cimon.analysis.targets import county_status, values_from_panel

    plan = _bundled_plans().get(name)
    if plan is None or not runs:
        return None
    latest = runs[max(runs)]
    years = list(range(plan.base_year, latest.data_year + 1))
    statuses = county_status(plan, values_from_panel(plan, latest.inputs, code, years))
    return {
        "plan": plan,
        "items": [
            {
                "name": t(s.item.name_zh, s.item.name_en, lang),
                "unit": s.item.unit,
                "deadline": s.item.deadline,
                "target": s.target_value,
                "latest": s.latest,
                "latest_year": s.latest_year,
                "status": s.explain(lang),
                "status_code": s.status,
                "responsible": "、".join(s.item.responsible),
            }
            for s in statuses
        ],
    }
