"""The scoring pipeline: derive → impute → treat → normalise → weight → aggregate → classify.

:func:`build_log` turns a framework into a log (every stage's method and resolved parameters);
:func:`run_log` executes a log on a panel; :func:`evaluate` does both; :func:`regen` replays a Run's
log on its stored inputs. Uncertainty analysis edits the
log (:func:`apply_overrides`) and calls :func:`run_log` again — there is no other code path.

The log itself is built and edited in :mod:`cimon.engine.overrides`, flags come from
:mod:`cimon.engine.flags` and grouped ranks from :mod:`cimon.engine.ranking`; the names are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cimon._version import __version__
from cimon.engine.aggregate import Aggregation
from cimon.engine.base import make_method
from cimon.engine.classify import Thresholds, published, rank_within
from cimon.engine.derive import Formula, derive_matrix
from cimon.engine.flags import _bits_equal, _flags, _InputTags
from cimon.engine.impute import ImputeContext, Imputer
from cimon.engine.levels import aggregate_tree, tree_points
from cimon.engine.normalise import Normaliser
from cimon.engine.overrides import _plain, apply_overrides, build_log
from cimon.engine.ranking import _rank_within
from cimon.engine.run import Run
from cimon.engine.treat import Treatment
from cimon.engine.weight import WeightContext, Weighting
from cimon.errors import PanelError
from cimon.model.formula import parse_formula
from cimon.model.framework import Framework
from cimon.model.panel import Panel, PanelCodes, PanelCube
from cimon.model.regions import Region, RegionRegistry, default_registry
from cimon.model.unit_ids import units_of_panel

__all__ = [
    "Prepared",
    "_plain",
    "_rank_within",
    "apply_overrides",
    "build_log",
    "evaluate",
    "evaluate_years",
    "log_max_lag",
    "prepare",
    "regen",
    "run_log",
]


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
    return evaluate_years(framework, panel, [year], regions, overrides)[int(year)]


def evaluate_years(
    framework: Framework,
    panel: Panel,
    years: Iterable[int],
    regions: RegionRegistry | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[int, Run]:
    """Evaluate several years from one panel: ``{year: Run}`` in the order given.

    Each Run is identical (:meth:`Run.equals`, same inputs slice and data hash) to
    ``evaluate(framework, panel, year, regions, overrides)``, and errors are the same, raised
    for the first year (in the order given) that has one. The difference is cost: the panel is
    checked, sorted and pivoted once for all years (:meth:`Panel.cube`) instead of once per
    year, and the Runs' input slices share memory with that one sorted copy (copy-on-write), so
    a ten-year national evaluation takes a fraction of a second.
    """
    if regions is not None:
        registry = regions
    elif framework.units == "free":  # countries, towns, enterprises: the panel's own identifiers
        registry = units_of_panel(panel)
    else:
        registry = default_registry()
    log = build_log(framework)
    if overrides:
        log = apply_overrides(log, overrides, framework)
    years = list(dict.fromkeys(int(y) for y in years))
    codes = panel.codes()
    _check_regions(panel, registry, codes)
    windows: dict[int, tuple[int, int]] = {}
    for year in years:
        data_year = year - framework.data_lag
        _check_data_year(framework, panel, registry, codes, data_year)
        windows[year] = (data_year - framework.max_lag - 1, data_year)
    needed = sorted({y for lo, hi in windows.values() for y in range(lo, hi + 1)})
    variables = [v.code for v in framework.variables]
    cube = panel.cube(needed, variables, registry.codes, framework, codes)
    context = _RegionContext.of(tuple(registry))
    methods: dict[tuple[str, str], Any] = {}
    out: dict[int, Run] = {}
    for year in years:
        lo, hi = windows[year]
        rows = cube.span(hi, hi)
        odd = np.flatnonzero(cube.row_odd[rows]) + rows.start
        status = cube.rows["status"].to_numpy()[odd] if len(odd) else np.array([], dtype=object)
        tags = _InputTags.of(
            framework,
            cube.row_region[odd],
            np.asarray(cube.variables, object)[cube.row_variable[odd]],
            status,
        )
        out[year] = _run(
            framework, cube.panel(lo, hi), year, context, log, cube, (lo, hi), tags, methods
        )
    return out


def evaluable_years(framework: Framework, panel: Panel) -> list[int]:
    """Every evaluation year the panel's data allow: each data year but the first (growth
    indicators need the year before), plus the framework's data lag (year N's evaluation uses
    data of ``N − data_lag``)."""
    return [y + framework.data_lag for y in panel.years[1:]]


def _check_regions(panel: Panel, registry: RegionRegistry, codes: PanelCodes) -> None:
    known = pd.Index(registry.codes, dtype=object)
    present = codes.regions  # every code the panel uses, once
    unknown = sorted(
        str(c) for c in present[known.get_indexer(pd.Index(present, dtype=object)) < 0]
    )
    if (codes.region < 0).any():  # a missing code
        unknown.append("nan")
    if unknown:
        raise PanelError(
            f"数据中有区划表之外的县（市、区）代码：{'、'.join(unknown[:5])}。请核对代码，或加载包含它们的区划表。",
            f"The panel has county code(s) not in the registry: {', '.join(unknown[:5])}. "
            "Check the codes or load a registry that has them.",
            panel.source,
        )


def _check_data_year(
    framework: Framework,
    panel: Panel,
    registry: RegionRegistry,
    codes: PanelCodes,
    data_year: int,
) -> None:
    this_year = codes.year == data_year
    if not this_year.any():
        have = "、".join(str(y) for y in panel.years) or "无"
        raise PanelError(
            f"没有 {data_year} 年的数据（{data_year + framework.data_lag} 年度评价使用上一年数据）。"
            f"数据中的年份：{have}。",
            f"No data for {data_year} (the {data_year + framework.data_lag} evaluation uses the "
            f"previous year's data). Years present: {', '.join(str(y) for y in panel.years)}.",
            panel.source,
        )
    present = set(codes.variables[_used(codes.variable[this_year], len(codes.variables))].tolist())
    for ind in framework.indicators:
        for v_code in ind.variables:
            if v_code not in present:
                v = framework.variable(v_code)
                raise PanelError(
                    f"缺少 {data_year} 年的必需变量“{v.name_zh}”（{v_code}，报送部门：{v.department}），"
                    f"指标“{ind.name_zh}”需要它。请补充该变量的数据。",
                    f"Required variable '{v.name_en}' ({v_code}, supplied by {v.department}) has no data "
                    f"for {data_year}; indicator '{ind.name_en}' needs it. Add its data.",
                    panel.source,
                )
    have_regions = set(codes.regions[_used(codes.region[this_year], len(codes.regions))].tolist())
    absent = [r.name for r in registry if r.code not in have_regions]
    if absent:
        raise PanelError(
            f"以下县（市、区）没有 {data_year} 年的任何数据：{'、'.join(absent)}。"
            "请补充数据，或使用不含这些县的区划表。",
            f"These counties have no data at all for {data_year}: {', '.join(absent)}. "
            "Add their data or use a registry without them.",
            panel.source,
        )


def _used(code: np.ndarray, size: int) -> np.ndarray:
    """Which of ``size`` codes occur in ``code`` (−1, a missing value, ignored)."""
    return np.bincount(code[code >= 0], minlength=size) > 0


@dataclass(frozen=True)
class _RegionContext:
    """What the pipeline needs of the regions, computed once for all years."""

    regions: tuple[Region, ...]
    codes: list[str]
    groups: dict[str, np.ndarray]
    tags: dict[str, np.ndarray]

    @classmethod
    def of(cls, regions: tuple[Region, ...]) -> _RegionContext:
        groups: dict[str, np.ndarray] = {
            "city": np.array([r.city_code for r in regions], dtype=object),
            "type": np.array([r.type for r in regions], dtype=object),
        }
        tags: dict[str, np.ndarray] = {}
        for tag in dict.fromkeys(t for r in regions for t in r.tags):
            groups[f"tag:{tag}"] = np.array([tag in r.tags for r in regions], dtype=object)
            tags[tag] = np.array([tag in r.tags for r in regions])
            key = tag.split("=", 1)[0]
            if "=" in tag and key not in groups:  # a grouping tag: Group_EurAsia=Europe
                groups[key] = np.array([_tag_value(r.tags, key) for r in regions], dtype=object)
        return cls(regions, [r.code for r in regions], groups, tags)


def _tag_value(tags: Sequence[str], key: str) -> str:
    """The value of the grouping tag ``key=value`` among ``tags`` ("" when absent)."""
    return next((t.split("=", 1)[1] for t in tags if t.startswith(f"{key}=")), "")


@dataclass(frozen=True)
class Prepared:
    """What :func:`run_log` reads from its inputs before the log's methods act: the regions'
    groups, the dense cube of the data years the log's formulas reach, and the input statuses.
    It depends on the panel, the year, the regions and how far back the formulas read, not on
    the methods: the variants of one evaluation (:mod:`cimon.analysis.replicates`) build it once
    and pass it to every :func:`run_log` (the cube was half the time of a variant, #20)."""

    year: int
    lag: int
    context: _RegionContext
    cube: PanelCube
    tags: _InputTags


def prepare(
    framework: Framework, inputs: Panel, year: int, regions: Sequence[Region], lag: int
) -> Prepared:
    """The :class:`Prepared` inputs of :func:`run_log` for logs whose formulas read ``lag``
    years back."""
    data_year = year - framework.data_lag
    context = _RegionContext.of(tuple(regions))
    cube = inputs.cube(
        range(data_year - lag - 1, data_year + 1),
        [v.code for v in framework.variables],
        context.codes,
        framework,
    )
    f = inputs.frame
    odd = f.loc[(f["year"] == data_year) & (f["status"] != "reported")]
    pos = pd.Index(context.codes, dtype=object).get_indexer(
        pd.Index(odd["region_code"].to_numpy(), dtype=object)
    )
    tags = _InputTags.of(
        framework,
        pos,
        odd["variable"].to_numpy(dtype=object),
        odd["status"].to_numpy(dtype=object),
    )
    return Prepared(year, lag, context, cube, tags)


def run_log(
    framework: Framework,
    inputs: Panel,
    year: int,
    regions: Sequence[Region],
    log: Mapping[str, Any],
    prepared: Prepared | None = None,
) -> Run:
    """Execute a log on an input panel. Pure: the same arguments give an identical Run.
    ``prepared``: :func:`prepare` of the same framework, inputs, year and regions, reused when
    it reaches as far back as the log's formulas read (else built here)."""
    lag = log_max_lag(log)
    if prepared is None or prepared.lag != lag or prepared.year != year:
        prepared = prepare(framework, inputs, year, regions, lag)
    return _run(framework, inputs, year, prepared.context, log, prepared.cube, None, prepared.tags)


def regen(run: Run) -> Run:
    """Re-run an evaluation from its stored inputs and log. The result :meth:`Run.equals` the
    original when nothing in the engine changed."""
    return run_log(run.framework, run.inputs, run.year, run.regions, run.log)


def log_max_lag(log: Mapping[str, Any]) -> int:
    """How many years back the log's formulas read."""
    return max(
        (parse_formula(str(d["formula"])).max_lag for d in log["derive"].values()), default=0
    )


def _run(
    framework: Framework,
    inputs: Panel,
    year: int,
    context: _RegionContext,
    log: Mapping[str, Any],
    cube: PanelCube,
    window: tuple[int, int] | None,
    input_tags: _InputTags,
    methods: dict[tuple[str, str], Any] | None = None,
) -> Run:
    """:func:`run_log` on a cube already built; ``window`` limits the data years formulas may
    read to those of the inputs slice. ``methods`` caches the method objects built from the log
    (they are immutable) across the years of one :func:`evaluate_years` call. The log is only
    read; the Run gets its own plain copy."""
    cache: dict[tuple[str, str], Any] = {} if methods is None else methods

    def method(stage: str, code: str | None = None) -> Any:
        key = (stage, code or "")
        if key not in cache:
            spec = log[stage][code] if code is not None else log[stage]
            where = f"{stage}.{code}" if code else stage
            direction = framework.indicator(code).direction if code else None
            cache[key] = make_method(stage, spec, where, direction=direction)
        return cache[key]

    regions = context.regions
    codes = context.codes
    n = len(codes)
    inds = framework.indicator_codes
    data_year = year - framework.data_lag
    nan_column = np.full(n, np.nan)
    nan_column.flags.writeable = False

    def getter(base_year: int) -> Callable[[str, int], np.ndarray]:
        def get(var: str, lag: int) -> np.ndarray:
            y = base_year - lag
            if window is not None and not window[0] <= y <= window[1]:
                if var not in cube.variables:
                    raise KeyError(var)
                return nan_column
            return cube.column(y, var)

        return get

    formulas = {c: Formula(**log["derive"][c]) for c in inds}

    if ("lag", "") not in cache:
        cache[("lag", "")] = log_max_lag(log)
    # one evaluate_years() call derives each data year once: year t's "previous" is year t − 1's
    # "derived" (same formulas, same cube), provided every read lies inside both years' windows,
    # i.e. no formula reads further back than the framework's max_lag
    shared = window is not None and cache[("lag", "")] <= window[1] - window[0] - 1

    def derive(base_year: int) -> tuple[np.ndarray, np.ndarray]:
        key = ("derive", str(base_year) if shared else f"{base_year}@{year}")
        if key not in cache:
            cache[key] = derive_matrix(formulas, getter(base_year), n)
        return cache[key]

    derived, undefined = derive(data_year)
    previous, _ = derive(data_year - 1)

    imputed = np.empty_like(derived)
    treated = np.empty_like(derived)
    normalised = np.empty_like(derived)
    imp_names: list[str] = []
    trt_names: list[str] = []
    for j, code in enumerate(inds):
        ind = framework.indicator(code)
        imp = method("impute", code)
        assert isinstance(imp, Imputer)
        imputed[:, j] = imp.apply(
            derived[:, j], ImputeContext(previous=previous[:, j], groups=context.groups)
        )
        trt = method("treat", code)
        assert isinstance(trt, Treatment)
        treated[:, j] = trt.apply(imputed[:, j])
        nrm = method("normalise", code)
        assert isinstance(nrm, Normaliser)
        normalised[:, j] = nrm.apply(treated[:, j], ind.direction)
        imp_names.append(imp.name)
        trt_names.append(trt.name)
    cell_flags, region_flags = _flags(
        undefined,
        np.isnan(derived) & ~np.isnan(imputed),
        ~_bits_equal(imputed, treated),
        np.isnan(normalised),
        imp_names,
        trt_names,
        input_tags,
    )

    agg = method("aggregate")
    assert isinstance(agg, Aggregation)
    # missing "zero" (the default policy): a missing indicator earns 0 points; "skip" keeps NaN
    # so the aggregation leaves it out and re-normalises the weights of the others
    z0 = np.nan_to_num(normalised, nan=0.0)
    z = z0 if agg.missing == "zero" else normalised
    pillar_idx = np.array(
        [[p.code for p in framework.pillars].index(framework.indicator(c).pillar) for c in inds]
    )
    tree = log.get("tree")
    if tree is not None:  # groups: indicator points are weights within the parent
        eff = tree_points(framework, tree, log["points"])
        points = np.array([eff[c] for c in inds])
    else:
        points = np.array([float(log["points"][c]) for c in inds])
    wm = method("weight")
    assert isinstance(wm, Weighting)
    ctx = WeightContext(
        points=points,
        pillars=pillar_idx,
        raw=treated,
        total=float(points.sum()),
        pillar_codes=tuple(p.code for p in framework.pillars),
    )
    w = np.asarray(wm.apply(z0, ctx), float)
    group_scores: np.ndarray | None = None
    if tree is not None:
        levels = aggregate_tree(agg, z, w, inds, framework, tree)
        total = levels.total
        pillar_scores = np.column_stack([levels.nodes[p.code] for p in framework.pillars])
        group_scores = np.column_stack([levels.nodes[g.code] for g in framework.groups]).reshape(
            n, len(framework.groups)
        )
    else:
        total = np.asarray(agg.apply(z, w), float)
        pillar_scores = np.column_stack(
            [
                agg.apply(z[:, pillar_idx == p], w[pillar_idx == p])
                for p in range(len(framework.pillars))
            ]
        )
    cls = method("classify")
    assert isinstance(cls, Thresholds)
    labels, rank = cls.apply(total)
    pub = published(total, cls.rounding)

    index = pd.Index(codes, name="region_code")
    results = pd.DataFrame(
        {
            "name": [r.name for r in regions],
            "city": [r.city for r in regions],
            "score": total,
            "score_published": pub,
            "class": labels.astype(str),
            "rank": rank,
            "rank_city": _rank_within(pub, context.groups["city"], cls.ties),
        },
        index=index,
    )
    for tag, members in context.tags.items():
        col = np.zeros(n, dtype=float)
        col[:] = np.nan
        col[members] = rank_within(pub[members], ["g"] * int(members.sum()), cls.ties)
        results[f"rank_tag:{tag}"] = col
    results["flags"] = region_flags

    def frame(m: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
        return pd.DataFrame(m, index=index.copy(), columns=pd.Index(list(columns)))

    data = {
        "raw": cube.table(data_year),
        "derived": frame(derived, inds),
        "imputed": frame(imputed, inds),
        "treated": frame(treated, inds),
        "normalised": frame(normalised, inds),
        "points": frame(z * w, inds),
        "pillars": frame(pillar_scores, [p.code for p in framework.pillars]),
    }
    if group_scores is not None:  # every intermediate level (sub-pillars, sub-indices)
        data["groups"] = frame(group_scores, [g.code for g in framework.groups])
    data["results"] = results
    flag_frame = pd.DataFrame(
        {c: cell_flags[:, j] for j, c in enumerate(inds)}, index=index.copy(), columns=inds
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
