"""County diagnostics (县域诊断): strengths, weaknesses, points still available and the path to the
next class.

* **Strengths and weaknesses**: for every indicator, the points the county earns minus the mean
  points of its peers (:mod:`cimon.analysis.peers`); the largest positive gaps are strengths, the
  largest negative ones weaknesses.
* **Points still available**: the indicator's points minus the points earned, and the part of it
  that is *reachable*: what the county would earn at the reachable level (``reach``):
  ``best`` — the best value any county has this year (default); ``peer`` — the best value in its
  peer group; ``benchmark`` — the framework's target value for the indicator (the level that earns
  full points).
* **Path to the next class**: the fewest indicators whose improvement, each bounded by the
  reachable level, lifts the score over the next class's threshold — the indicators with the
  largest reachable gains, all but the last at the reachable level and the last only as far as
  needed. Each step is stated in raw units: the indicator value and the raw variable that moves
  it (the formula's first variable — the numerator of a ratio, the current value of a growth
  rate), rounded up to whole units for counts. The path is then **applied to the data and
  re-scored with the real pipeline** (:func:`cimon.engine.pipeline.run_log` with the run's own log);
  if the re-scored published score falls short (rounding, interactions), the shortfall is added
  and the path recomputed, up to five times. ``Path.verified_score`` and ``Path.crossed`` report
  the re-scored result.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cimon.analysis.compare import _at
from cimon.analysis.errors import AnalysisError
from cimon.analysis.peers import group_labels, peers_of
from cimon.engine.base import make_method
from cimon.engine.derive import evaluate_formula
from cimon.engine.pipeline import run_log
from cimon.engine.run import Run
from cimon.model.panel import Panel
from cimon.vocab import t

REACH = ("best", "peer", "benchmark")


@dataclass(frozen=True)
class IndicatorDiag:
    code: str
    name_zh: str
    name_en: str
    unit: str
    points: float  # the indicator's full points
    earned: float
    peer_mean: float
    gap: float  # earned − peer_mean
    available: float  # points − earned
    value: float  # the indicator value used for scoring (after imputation)
    reachable_value: float
    reachable_points: float  # extra points at the reachable value


@dataclass(frozen=True)
class Step:
    """One improvement on the path: the indicator value and the raw variable that moves it."""

    indicator: str
    name_zh: str
    name_en: str
    unit: str
    value_from: float
    value_to: float
    variable: str
    variable_zh: str
    variable_unit: str
    raw_from: float
    raw_to: float
    gain: float  # points gained (estimated from the indicator alone)

    def text(self, lang: str = "zh") -> str:
        name = t(self.name_zh, self.name_en, lang)
        if lang == "en":
            raw_en = (
                ""
                if self.formula_is_variable
                else f" ({self.variable} {_n(self.raw_from)} → {_n(self.raw_to)} {self.variable_unit})"
            )
            return (
                f"{name}: {_n(self.value_from)} → {_n(self.value_to)} {self.unit}{raw_en}, "
                f"+{self.gain:.2f} points"
            )
        raw = (
            ""
            if self.variable_zh == self.name_zh or self.formula_is_variable
            else f"（{self.variable_zh} {_n(self.raw_from)} → {_n(self.raw_to)} {self.variable_unit}）"
        )
        return f"{name} {_n(self.value_from)} → {_n(self.value_to)} {self.unit}{raw}，+{self.gain:.2f} 分"

    @property
    def formula_is_variable(self) -> bool:
        return math.isclose(self.value_from, self.raw_from) and math.isclose(
            self.value_to, self.raw_to
        )


@dataclass(frozen=True)
class Path:
    target_class: str
    threshold: float
    score: float
    needed: float
    steps: tuple[Step, ...]
    verified_score: float
    verified_class: str
    crossed: bool


@dataclass(frozen=True)
class Diagnosis:
    code: str
    name: str
    year: int
    score: float
    klass: str
    peers_by: str
    peer_group: str
    peers: tuple[str, ...]
    indicators: tuple[IndicatorDiag, ...]
    strengths: tuple[IndicatorDiag, ...]
    weaknesses: tuple[IndicatorDiag, ...]
    path: Path | None
    note_zh: str
    note_en: str


def _n(x: float) -> str:
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}"


class _Scorer:
    """Points of one indicator for a county as a function of its value, the other counties'
    values fixed — the run's own treat and normalise methods and weight."""

    def __init__(self, run: Run, i: int, code: str) -> None:
        self.i = i
        self.col = run.data["imputed"][code].to_numpy(float).copy()
        self.treat = make_method("treat", run.log["treat"][code])
        self.norm = make_method("normalise", run.log["normalise"][code])
        self.direction = run.framework.indicator(code).direction
        self.weight = float(run.weights[code])

    def __call__(self, x: float) -> float:
        col = self.col.copy()
        col[self.i] = x
        z = self.norm.apply(self.treat.apply(col), self.direction)  # type: ignore[attr-defined]
        v = float(np.asarray(z)[self.i])
        return 0.0 if math.isnan(v) else v * self.weight


def _solve(f: Callable[[float], float], lo: float, hi: float, want: float) -> float:
    """Smallest x between lo and hi (either order) with f(x) ≥ want; f monotone towards hi."""
    if f(lo) >= want:
        return lo
    for _ in range(100):
        mid = (lo + hi) / 2
        if f(mid) >= want:
            hi = mid
        else:
            lo = mid
    return hi


def diagnose(
    run: Run, county: str, by: str = "city", reach: str = "best", top: int = 3
) -> Diagnosis:
    """Diagnose one county of one evaluation (see the module docstring).

    ``county`` is a code or a name (matched like everywhere else)."""
    from cimon.model.regions import RegionRegistry

    if reach not in REACH:
        raise AnalysisError(
            f"可达水平只能是 {' / '.join(REACH)}（实际 {reach!r}）。",
            f"reach must be one of {' / '.join(REACH)} (got {reach!r}).",
            "--reach",
        )
    region = RegionRegistry(run.regions).match(county)
    code = region.code
    codes = [r.code for r in run.regions]
    i = codes.index(code)
    fw = run.framework
    pts = run.data["points"]
    peers = peers_of(run.regions, code, by) or [c for c in codes if c != code]
    group = group_labels(run.regions, by)[i]
    best_pool = peers if reach == "peer" else codes
    inds = []
    for ind in fw.indicators:
        col = run.data["imputed"][ind.code]
        earned = float(_at(pts, code, ind.code))
        peer_mean = float(pts.loc[peers, ind.code].mean())
        value = float(col.iloc[i])
        pool = col.loc[best_pool].to_numpy(float)
        pool = pool[~np.isnan(pool)]
        best = float(pool.max() if ind.direction > 0 else pool.min()) if len(pool) else value
        if reach == "benchmark":
            spec = run.log["normalise"][ind.code]
            best = float(spec.get("target", spec.get("max_points", best)))
        if math.isnan(value):
            value = 0.0
        better = (best - value) * ind.direction > 0
        scorer = _Scorer(run, i, ind.code)
        extra = max(scorer(best) - earned, 0.0) if better else 0.0
        inds.append(
            IndicatorDiag(
                ind.code,
                ind.name_zh,
                ind.name_en,
                ind.unit,
                float(run.weights[ind.code]),
                earned,
                peer_mean,
                earned - peer_mean,
                float(run.weights[ind.code]) - earned,
                value,
                best if better else value,
                extra,
            )
        )
    ranked = sorted(inds, key=lambda d: -d.gap)
    strengths = tuple(d for d in ranked[:top] if d.gap > 0)
    weaknesses = tuple(d for d in reversed(ranked[-top:]) if d.gap < 0)
    klass = str(_at(run.results, code, "class"))
    labels = [b.label for b in fw.classes]
    k = labels.index(klass)
    path: Path | None = None
    if k == 0:
        note = ("已是最高类别，无下一类别。", "Already in the top class.")
    else:
        threshold = float(fw.classes[k - 1].min or 0.0)
        path = _path(run, i, code, inds, threshold, labels[k - 1])
        if path is None:
            note = (
                f"即使各指标都达到可达水平（{reach}），也无法达到{labels[k - 1]}类分数线 {threshold:g}。",
                f"Even with every indicator at the reachable level ({reach}), the score cannot "
                f"reach the class {labels[k - 1]} threshold {threshold:g}.",
            )
        else:
            note = ("", "")
    return Diagnosis(
        code,
        region.name,
        run.year,
        float(_at(run.results, code, "score_published")),
        klass,
        by,
        group,
        tuple(peers),
        tuple(inds),
        strengths,
        weaknesses,
        path,
        note[0],
        note[1],
    )


def _path(
    run: Run, i: int, code: str, inds: list[IndicatorDiag], threshold: float, target: str
) -> Path | None:
    score = float(_at(run.results, code, "score"))
    order = sorted(
        (d for d in inds if d.reachable_points > 1e-9), key=lambda d: -d.reachable_points
    )
    margin = 1e-6
    last: Path | None = None
    for _ in range(5):
        need = threshold - score + margin
        if sum(d.reachable_points for d in order) < need:
            return last
        chosen: list[tuple[IndicatorDiag, float]] = []
        got = 0.0
        for d in order:
            if got >= need:
                break
            take = min(d.reachable_points, need - got)
            chosen.append((d, take))
            got += take
        steps = tuple(_step(run, i, code, d, d.earned + take) for d, take in chosen)
        verified = _rescore(run, code, steps)
        pub = float(_at(verified.results, code, "score_published"))
        last = Path(
            target,
            threshold,
            float(_at(run.results, code, "score_published")),
            threshold - score,
            steps,
            pub,
            str(_at(verified.results, code, "class")),
            pub >= threshold,
        )
        if last.crossed:
            return last
        margin += threshold - float(_at(verified.results, code, "score")) + 1e-6
    return last


def _raw_getter(run: Run, code: str) -> Callable[[str, int], np.ndarray]:
    fw = run.framework
    names = [v.code for v in fw.variables]
    cache: dict[int, pd.DataFrame] = {}

    def get(var: str, lag: int) -> np.ndarray:
        year = run.data_year - lag
        if year not in cache:
            cache[year] = run.inputs.wide(year, names, [code], fw)
        return np.asarray([float(_at(cache[year], code, var))])

    return get


def _step(run: Run, i: int, code: str, d: IndicatorDiag, want_points: float) -> Step:
    fw = run.framework
    ind = fw.indicator(d.code)
    scorer = _Scorer(run, i, d.code)
    x_to = _solve(scorer, d.value, d.reachable_value, want_points - 1e-9)
    lever = ind.variables[0]
    var = fw.variable(lever)
    base_get = _raw_getter(run, code)
    raw_from = float(base_get(lever, 0)[0])

    def formula_at(raw: float) -> float:
        def get(v: str, lag: int) -> np.ndarray:
            if v == lever and lag == 0:
                return np.asarray([raw])
            return base_get(v, lag)

        return float(
            evaluate_formula(ind.formula, get, str(ind.derive.get("zero_base", "missing")))[0]
        )

    if math.isnan(raw_from):
        raw_from = 0.0
    x_from = formula_at(raw_from)
    if math.isnan(x_from):
        x_from = d.value
    # the indicator is monotone (linear for nx-2021's formulas) in its first variable
    hi = raw_from + max(abs(raw_from), 1.0)
    while (formula_at(hi) - x_to) * ind.direction < 0 and hi < 1e15:
        hi = raw_from + (hi - raw_from) * 2
    raw_to = _solve(
        lambda r: formula_at(r) * ind.direction, raw_from, hi, x_to * ind.direction - 1e-12
    )
    whole = var.integer or _whole(run, lever)
    step = 1.0 if whole else 0.01
    raw_to = math.ceil(round(raw_to / step, 6)) * step
    if var.kind == "rubric" and var.max_points is not None:
        raw_to = min(raw_to, var.max_points)
    x_new = formula_at(raw_to)
    return Step(
        d.code,
        d.name_zh,
        d.name_en,
        d.unit,
        d.value,
        x_new,
        lever,
        var.name_zh,
        var.unit,
        raw_from,
        raw_to,
        scorer(x_new) - d.earned,
    )


def _whole(run: Run, var: str) -> bool:
    col = run.data["raw"][var].to_numpy(float)
    col = col[~np.isnan(col)]
    return bool(len(col)) and bool(np.all(col == np.round(col)))


def apply_steps(run: Run, code: str, steps: tuple[Step, ...] | list[Step]) -> Panel:
    """The run's input panel with the county's data-year values of the steps' variables set to
    their new values (every row of the variable: several experts' rows for a rubric item)."""
    f = run.inputs.frame.copy()
    for s in steps:
        m = (
            (f["region_code"] == code)
            & (f["year"] == run.data_year)
            & (f["variable"] == s.variable)
        )
        if not m.any():
            row: list[Any] = [code, run.data_year, s.variable, s.raw_to, "reported", "diagnose"]
            f.loc[len(f)] = row
        else:
            f.loc[m, "value"] = s.raw_to
            f.loc[m, "status"] = "reported"
    return Panel.from_frame(f, source=f"{run.inputs.source} + path")


def _rescore(run: Run, code: str, steps: tuple[Step, ...]) -> Run:
    """Re-score the run with the path applied, through the real pipeline and the run's log."""
    return run_log(run.framework, apply_steps(run, code, steps), run.year, run.regions, run.log)
