"""Targets of uploaded plans computed from the platform's stored data (issue #19 item 3).

A target whose ``indicator`` names an indicator of the platform's framework (its formula over the
framework's variables), a variable of the framework, or that has a ``formula`` gets its value for
each data year from the stored submissions: the current (not superseded) accepted observations of
its unit (the target's ``applies_to``, else the plan's area), several values of one variable and
year averaged — the values :func:`cimon.store.source.database_panel` gives ``cimon targets``.

:func:`stored_values` gives the values by target and, for each, how the page names the source
(``计算：…``). A target naming a ``source`` (``registry_count``, ``commissioner_coverage`` …)
is computed by the applications' source registry (:mod:`cimon.store.programmes.sources`) for
each year after the plan's base year. Reported values are used only for the years with no stored value
(:func:`merge`); which won is said per target.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cimon.analysis.targets import CountyPlan, PlanItem, Series

#: indicators taken from the published evaluation results (:func:`target_plans.published_series`)
PUBLISHED = ("score", "rank")


def is_published_result(indicator: str | None) -> bool:
    """Does the target's ``indicator`` name a published evaluation result (score, rank, class
    count) rather than stored data?"""
    ind = indicator or ""
    return ind in PUBLISHED or ind.startswith("class_count:")


@dataclass
class Stored:
    """Values by target code and year from the stored data, and each target's source named in
    Chinese and English (also for a target the data give no value)."""

    values: Series = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)


def unit_code(who: str) -> str:
    """The region code of a unit named by code or name in the platform's region registry (else
    in a published result; else as written)."""
    from cimon.store.platform import platform_registry
    from cimon.store.programmes.sources import region_code

    for r in platform_registry():
        if who in (r.code, r.name):
            return str(r.code)
    return region_code(who)


def _formula_of(item: PlanItem, fw: Any) -> tuple[str, str, tuple[str, str]] | None:
    """(formula, zero_base, source name) of a target computed from stored data, or None."""
    if item.formula:
        f = item.formula
        return (
            f,
            "missing",
            (f"计算：公式 {f}，已存报送数据", f"computed: formula {f}, stored data"),
        )
    ind = item.indicator or ""
    if not ind or is_published_result(ind):
        return None
    if ind in fw.indicator_codes:
        spec = fw.indicator(ind)
        zero = str((spec.derive or {}).get("zero_base", "missing"))
        return (
            spec.formula,
            zero,
            (
                f"计算：指标 {ind}（{spec.formula}），已存报送数据",
                f"computed: indicator {ind} ({spec.formula}), stored data",
            ),
        )
    if any(v.code == ind for v in fw.variables):
        return (
            ind,
            "missing",
            (f"计算：变量 {ind}，已存报送数据", f"computed: variable {ind}, stored data"),
        )
    return None


def _observations(code: str, variables: Iterable[str]) -> dict[tuple[str, int], float]:
    """The current accepted values of ``variables`` for region ``code``: (variable, year) → mean."""
    from cimon.store.submissions.models import Observation

    rows = Observation.objects.filter(
        superseded_at__isnull=True, region_code=code, variable__in=sorted(set(variables)),
        value__isnull=False,
    ).values_list("variable", "year", "value")  # fmt: skip
    acc: dict[tuple[str, int], list[float]] = {}
    for var, year, value in rows:
        acc.setdefault((str(var), int(year)), []).append(float(value))
    return {k: sum(v) / len(v) for k, v in acc.items()}


def _getter(obs: Mapping[tuple[str, int], float], year: int) -> Any:
    """``get(variable, lag)`` of :func:`cimon.engine.derive.evaluate_formula` for data year
    ``year`` (NaN where nothing is stored)."""
    import numpy as np

    def get(var: str, lag: int) -> Any:
        return np.asarray([obs.get((var, year - lag), math.nan)], float)

    return get


def stored_values(plan: CountyPlan, framework: Any = None) -> Stored:
    """The values of the plan's targets computed from stored data, by target and data year."""
    from cimon.engine.derive import evaluate_formula
    from cimon.model.formula import parse_formula

    if framework is None:
        from cimon.store.platform import platform_framework

        framework = platform_framework()
    out = Stored()
    for item in plan.items:
        if item.kind == "coverage":  # reported per unit of its set
            continue
        if item.source:
            _from_source(plan, item, out)
            continue
        found = _formula_of(item, framework)
        if found is None:
            if item.indicator and not is_published_result(item.indicator):
                out.names[item.code] = (
                    f"计算：{item.indicator} 不是本平台指标体系的指标或变量，无法计算",
                    f"computed: {item.indicator} is no indicator or variable of the platform's "
                    "framework; it cannot be computed",
                )
            continue
        formula, zero_base, names = found
        who = item.applies_to or plan.county
        obs = _observations(unit_code(who), parse_formula(formula).variables)
        out.names[item.code] = (f"{names[0]}（{who}）", f"{names[1]} ({who})")
        for year in sorted({y for _, y in obs}):
            value = float(evaluate_formula(formula, _getter(obs, year), zero_base)[0])
            if math.isfinite(value):
                out.values.setdefault(item.code, {})[year] = value
    return out


def _from_source(plan: CountyPlan, item: PlanItem, out: Stored) -> None:
    """A target naming a stored-data source (:mod:`cimon.store.programmes.sources`, the
    registry the applications' plans use): its values for each year after the plan's base year
    up to its deadline (or this year) for its unit."""
    from django.utils import timezone

    from cimon.store.programmes.sources import source_label
    from cimon.store.programmes.sources import stored_values as source_values

    who = item.applies_to or plan.county
    years = range(plan.base_year + 1, min(item.deadline, timezone.localdate().year) + 1)
    params = dict(item.source_params)
    values, wired = source_values(unit_code(who), str(item.source), params, years)
    zh, en = source_label(str(item.source), params)
    if not wired:
        zh, en = f"{zh}，尚未接入", f"{en}, not wired yet"
    out.names[item.code] = (f"计算：{zh}（{who}）", f"computed: {en} ({who})")
    for year, value in values.items():
        if math.isfinite(value):
            out.values.setdefault(item.code, {})[int(year)] = float(value)


def merge(
    reported: Series, stored: Mapping[str, Mapping[int, float]]
) -> tuple[Series, dict[str, str]]:
    """Stored values win; a reported value fills a year with none. Returns the series and, per
    computed target, which won: ``stored``, ``reported`` (no stored value at all), ``both``
    (stored years with reports filling others) or ``none``."""
    series: Series = {k: dict(v) for k, v in reported.items()}
    won: dict[str, str] = {}
    for code, by_year in stored.items():
        rep = series.get(code, {})
        fills = {y for y in rep if y not in by_year}
        series.setdefault(code, {}).update(by_year)
        won[code] = "both" if by_year and fills else "stored"
    for code, rep in reported.items():
        if code not in won and rep:
            won[code] = "reported"
    return series, won
