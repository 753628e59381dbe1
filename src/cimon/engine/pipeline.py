"""The scoring pipeline: derive → impute → treat → normalise → weight → aggregate → classify.

:func:`build_log` turns a framework into a log (every stage's method and resolved parameters);
:func:`run_log` executes a log on a panel; :func:`evaluate` does both. Uncertainty analysis edits the
log (:func:`apply_overrides`) and calls :func:`run_log` again — there is no other code path.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cimon import __version__
from cimon.engine.aggregate import Aggregation
from cimon.engine.base import make_method
from cimon.engine.classify import Thresholds, published, rank_within
from cimon.engine.derive import Formula, derive_matrix
from cimon.engine.impute import ImputeContext, Imputer
from cimon.engine.normalise import Normaliser
from cimon.engine.run import Run
from cimon.engine.treat import Treatment
from cimon.engine.weight import WeightContext, Weighting
from cimon.errors import FrameworkError, MethodError, PanelError
from cimon.model.framework import INDICATOR_STAGES, Framework
from cimon.model.panel import Panel
from cimon.model.regions import Region, RegionRegistry, default_registry


def build_log(framework: Framework) -> dict[str, Any]:
    """Resolve every stage's method and parameters from the framework (defaults under ``pipeline:``
    merged with each indicator's overrides). Validates method names and parameters, raising
    :class:`FrameworkError` with the file and key path."""
    log: dict[str, Any] = {
        "framework": {"id": framework.id, "version": framework.version, "hash": framework.hash},
        "derive": {},
        "impute": {},
        "treat": {},
        "normalise": {},
    }
    for pi, pillar in enumerate(framework.pillars):
        for ii, code in enumerate(pillar.indicators):
            ind = framework.indicator(code)
            log["derive"][code] = {
                "formula": ind.formula,
                "zero_base": ind.derive.get("zero_base", "missing"),
            }
            for stage in INDICATOR_STAGES:
                default = dict(framework.pipeline[stage])
                override = dict(ind.stages.get(stage, {}))
                spec = (
                    override
                    if override.get("method", default["method"]) != default["method"]
                    else {
                        **default,
                        **override,
                    }
                )
                if stage == "normalise" and spec["method"] == "rubric" and "max_points" not in spec:
                    spec["max_points"] = _rubric_max(framework, ind.variables)
                where = f"{framework.source}: pillars[{pi}].indicators[{ii}].{stage}"
                _check(stage, spec, where)
                log[stage][code] = make_method(stage, spec, where).spec()
    for stage in ("weight", "aggregate"):
        where = f"{framework.source}: pipeline.{stage}"
        _check(stage, framework.pipeline[stage], where)
        log[stage] = make_method(stage, framework.pipeline[stage], where).spec()
    log["points"] = {i.code: i.points for i in framework.indicators}
    log["classify"] = Thresholds(
        minimums=tuple(b.min for b in framework.classes),
        labels=tuple(b.label for b in framework.classes),
        rounding=framework.rounding,
    ).spec()
    return _plain(log)


def _rubric_max(framework: Framework, variables: Sequence[str]) -> float:
    maxima = [framework.variable(v).max_points for v in variables]
    return float(max(m for m in maxima if m is not None)) if any(maxima) else 1.0


def _check(stage: str, spec: Mapping[str, Any], where: str) -> None:
    try:
        make_method(stage, spec, where)
    except MethodError as exc:
        raise FrameworkError(exc.zh, exc.en, where) from None


def _plain(obj: Any) -> Any:
    """Tuples → lists, numpy scalars → Python, so a log equals its JSON round trip."""
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def apply_overrides(
    log: dict[str, Any], overrides: Mapping[str, Any], framework: Framework
) -> dict[str, Any]:
    """Change addresses in a log (in place; returns it).

    ``normalise.I01.target`` sets one parameter of one indicator; ``normalise.method`` switches
    every indicator's method (keeping the parameters the new method takes); ``weight.method``,
    ``points.I01``, ``classify.rounding`` … set global entries.
    """
    for address, value in overrides.items():
        parts = address.split(".")
        stage = parts[0]
        if stage not in log:
            raise MethodError(
                f"日志中没有“{stage}”这一项。可用：{'、'.join(log)}。",
                f"The log has no entry '{stage}'. Entries: {', '.join(log)}.",
                address,
            )
        if stage in INDICATOR_STAGES and len(parts) == 2:
            for code in log[stage]:
                _set(log[stage], [code, parts[1]], value, stage, address)
        elif stage in INDICATOR_STAGES:
            if parts[1] not in log[stage]:
                raise MethodError(f"没有指标“{parts[1]}”。", f"No indicator '{parts[1]}'.", address)
            _set(log[stage], parts[1:], value, stage, address)
        else:
            _set(log, parts, value, stage, address)
    return _plain(log)


def _set(node: dict[str, Any], path: list[str], value: Any, stage: str, address: str) -> None:
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    if path[-1] == "method" and "method" in node:
        spec = make_method(
            stage if stage != "classify" else "classify", node, address, strict=False
        ).spec()
        node.clear()
        node.update(spec)


def evaluate(
    framework: Framework,
    panel: Panel,
    year: int,
    regions: RegionRegistry | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Run:
    """Evaluate one year (评价年度 ``year``, using data of ``year − framework.data_lag``).

    Checks the panel first: every county must be in the registry and have data for the data year,
    and every variable a formula names must be present. Raises :class:`PanelError` naming the
    county or variable otherwise.
    """
    registry = regions if regions is not None else default_registry()
    log = build_log(framework)
    if overrides:
        log = apply_overrides(log, overrides, framework)
    data_year = year - framework.data_lag
    _check_panel(framework, panel, registry, data_year)
    years = range(data_year - framework.max_lag - 1, data_year + 1)
    variables = [v.code for v in framework.variables]
    inputs = panel.slice(years, variables, registry.codes)
    inputs.source = panel.source
    return run_log(framework, inputs, year, tuple(registry), log)


def _check_panel(
    framework: Framework, panel: Panel, registry: RegionRegistry, data_year: int
) -> None:
    f = panel.frame
    unknown = sorted(set(f["region_code"]) - set(registry.codes))
    if unknown:
        raise PanelError(
            f"数据中有区划表之外的县（市、区）代码：{'、'.join(unknown[:5])}。请核对代码，或加载包含它们的区划表。",
            f"The panel has county code(s) not in the registry: {', '.join(unknown[:5])}. "
            "Check the codes or load a registry that has them.",
            panel.source,
        )
    this_year = f.loc[f["year"] == data_year]
    if this_year.empty:
        have = "、".join(str(y) for y in panel.years) or "无"
        raise PanelError(
            f"没有 {data_year} 年的数据（{data_year + framework.data_lag} 年度评价使用上一年数据）。"
            f"数据中的年份：{have}。",
            f"No data for {data_year} (the {data_year + framework.data_lag} evaluation uses the "
            f"previous year's data). Years present: {', '.join(str(y) for y in panel.years)}.",
            panel.source,
        )
    present = set(this_year["variable"])
    for ind in framework.indicators:
        for var in ind.variables:
            if var not in present:
                v = framework.variable(var)
                raise PanelError(
                    f"缺少 {data_year} 年的必需变量“{v.name_zh}”（{var}，报送部门：{v.department}），"
                    f"指标“{ind.name_zh}”需要它。请补充该变量的数据。",
                    f"Required variable '{v.name_en}' ({var}, supplied by {v.department}) has no data "
                    f"for {data_year}; indicator '{ind.name_en}' needs it. Add its data.",
                    panel.source,
                )
    absent = [r.name for r in registry if r.code not in set(this_year["region_code"])]
    if absent:
        raise PanelError(
            f"以下县（市、区）没有 {data_year} 年的任何数据：{'、'.join(absent)}。"
            "请补充数据，或使用不含这些县的区划表。",
            f"These counties have no data at all for {data_year}: {', '.join(absent)}. "
            "Add their data or use a registry without them.",
            panel.source,
        )


def run_log(
    framework: Framework,
    inputs: Panel,
    year: int,
    regions: Sequence[Region],
    log: Mapping[str, Any],
) -> Run:
    """Execute a log on an input panel. Pure: the same arguments give an identical Run."""
    log = copy.deepcopy(dict(log))
    codes = [r.code for r in regions]
    n = len(codes)
    inds = framework.indicator_codes
    k = len(inds)
    data_year = year - framework.data_lag
    var_codes = [v.code for v in framework.variables]
    cache: dict[int, pd.DataFrame] = {}

    def table(y: int) -> pd.DataFrame:
        if y not in cache:
            cache[y] = inputs.wide(y, var_codes, codes, framework)
        return cache[y]

    def getter(base_year: int) -> Callable[[str, int], np.ndarray]:
        def get(var: str, lag: int) -> np.ndarray:
            return table(base_year - lag)[var].to_numpy()

        return get

    formulas = {c: Formula(**log["derive"][c]) for c in inds}
    derived, undefined = derive_matrix(formulas, getter(data_year), n)
    previous, _ = derive_matrix(formulas, getter(data_year - 1), n)

    groups: dict[str, np.ndarray] = {"city": np.array([r.city_code for r in regions], dtype=object)}
    groups["type"] = np.array([r.type for r in regions], dtype=object)
    for tag in dict.fromkeys(t for r in regions for t in r.tags):
        groups[f"tag:{tag}"] = np.array([tag in r.tags for r in regions], dtype=object)

    imputed = np.empty_like(derived)
    treated = np.empty_like(derived)
    normalised = np.empty_like(derived)
    flags: list[list[list[str]]] = [[[] for _ in range(k)] for _ in range(n)]
    for j, code in enumerate(inds):
        ind = framework.indicator(code)
        imp = make_method("impute", log["impute"][code], f"impute.{code}")
        assert isinstance(imp, Imputer)
        imputed[:, j] = imp.apply(
            derived[:, j], ImputeContext(previous=previous[:, j], groups=groups)
        )
        trt = make_method("treat", log["treat"][code], f"treat.{code}")
        assert isinstance(trt, Treatment)
        treated[:, j] = trt.apply(imputed[:, j])
        nrm = make_method("normalise", log["normalise"][code], f"normalise.{code}")
        assert isinstance(nrm, Normaliser)
        normalised[:, j] = nrm.apply(treated[:, j], ind.direction)
        was_imputed = np.isnan(derived[:, j]) & ~np.isnan(imputed[:, j])
        was_treated = ~_bits_equal(imputed[:, j], treated[:, j])
        for i in range(n):
            if undefined[i, j]:
                flags[i][j].append("undefined")
            if was_imputed[i]:
                flags[i][j].append(f"imputed:{imp.name}")
            if was_treated[i]:
                flags[i][j].append(f"treated:{trt.name}")
            if np.isnan(normalised[i, j]):
                flags[i][j].append("missing")
    _input_status_flags(framework, inputs, data_year, codes, flags)

    z = np.nan_to_num(normalised, nan=0.0)  # policy "none": a missing indicator earns 0 points
    pillar_idx = np.array(
        [[p.code for p in framework.pillars].index(framework.indicator(c).pillar) for c in inds]
    )
    points = np.array([float(log["points"][c]) for c in inds])
    wm = make_method("weight", log["weight"], "weight")
    assert isinstance(wm, Weighting)
    ctx = WeightContext(
        points=points,
        pillars=pillar_idx,
        raw=treated,
        total=float(points.sum()),
        pillar_codes=tuple(p.code for p in framework.pillars),
    )
    w = np.asarray(wm.apply(z, ctx), float)
    agg = make_method("aggregate", log["aggregate"], "aggregate")
    assert isinstance(agg, Aggregation)
    total = np.asarray(agg.apply(z, w), float)
    pillar_scores = np.column_stack(
        [
            agg.apply(z[:, pillar_idx == p], w[pillar_idx == p])
            for p in range(len(framework.pillars))
        ]
    )
    cls = make_method("classify", log["classify"], "classify")
    assert isinstance(cls, Thresholds)
    labels, rank = cls.apply(total)
    pub = published(total, cls.rounding)

    index = pd.Index(codes, name="region_code")
    names = [r.name for r in regions]
    results = pd.DataFrame(
        {
            "name": names,
            "city": [r.city for r in regions],
            "score": total,
            "score_published": pub,
            "class": labels.astype(str),
            "rank": rank,
            "rank_city": rank_within(pub, [r.city_code for r in regions], cls.ties),
        },
        index=index,
    )
    for tag in dict.fromkeys(t for r in regions for t in r.tags):
        members = np.array([tag in r.tags for r in regions])
        col = np.zeros(n, dtype=float)
        col[:] = np.nan
        col[members] = rank_within(pub[members], ["g"] * int(members.sum()), cls.ties)
        results[f"rank_tag:{tag}"] = col
    results["flags"] = [";".join(sorted({f for row in flags[i] for f in row})) for i in range(n)]

    def frame(m: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
        return pd.DataFrame(m, index=index.copy(), columns=pd.Index(list(columns)))

    data = {
        "raw": table(data_year).copy(),
        "derived": frame(derived, inds),
        "imputed": frame(imputed, inds),
        "treated": frame(treated, inds),
        "normalised": frame(normalised, inds),
        "points": frame(z * w, inds),
        "pillars": frame(pillar_scores, [p.code for p in framework.pillars]),
        "results": results,
    }
    data["raw"].index.name = "region_code"
    flag_frame = pd.DataFrame(
        [[";".join(flags[i][j]) for j in range(k)] for i in range(n)],
        index=index.copy(),
        columns=inds,
    )
    return Run(
        framework=framework,
        regions=tuple(regions),
        year=year,
        data_year=data_year,
        inputs=inputs,
        log=_plain(log),
        data=data,
        weights=pd.Series(w, index=pd.Index(inds, name="indicator"), name="points"),
        flags=flag_frame,
        cimon_version=__version__,
    )


def _bits_equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


def _input_status_flags(
    framework: Framework,
    inputs: Panel,
    data_year: int,
    codes: list[str],
    flags: list[list[list[str]]],
) -> None:
    f = inputs.frame
    odd = f.loc[(f["year"] == data_year) & (f["status"] != "reported")]
    if odd.empty:
        return
    pos = {c: i for i, c in enumerate(codes)}
    by_var: dict[str, list[int]] = {}
    for j, ind in enumerate(framework.indicators):
        for v in ind.variables:
            by_var.setdefault(v, []).append(j)
    for row in odd.itertuples(index=False):
        i = pos.get(str(row.region_code))
        for j in by_var.get(str(row.variable), []):
            if i is not None:
                tag = f"input:{row.status}"
                if tag not in flags[i][j]:
                    flags[i][j].append(tag)
