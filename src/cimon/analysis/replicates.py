"""Scoring many variants of one evaluation fast (the engine of the robustness analysis).

A replicate is the nominal log with some addresses changed (:mod:`cimon.analysis.assumptions`).
The variant's normalised matrix comes from the one pipeline code path — :func:`apply_overrides`
then :func:`run_log` — and is computed once per distinct combination of the assumptions that act
before weighting (imputation, treatment, normalisation, benchmarks), then cached. What acts after
it is cheap: a weight change is one matrix product ``W @ Zᵀ`` over a chunk of replicates, then
rounding to the published precision, classes and ranks, all vectorised over the chunk.

:func:`check_fast_path` replays a few replicates through :func:`run_log` in full and compares: the
fast path must agree with the pipeline to 1e-9 points and give the same classes.
"""

from __future__ import annotations

import copy
import itertools
import math
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cimon.analysis.assumptions import (
    Assumption,
    AssumptionError,
    AssumptionSet,
    check_against,
    overrides_for,
)
from cimon.engine.aggregate import Aggregation, Sum
from cimon.engine.base import make_method
from cimon.engine.classify import Thresholds, class_index
from cimon.engine.pipeline import Prepared, apply_overrides, log_max_lag, prepare, run_log
from cimon.engine.run import Run
from cimon.engine.weight import Ahp, Points, WeightContext, Weighting

#: replicates scored per chunk (bounds the temporaries to about chunk × counties × 8 bytes × 4)
CHUNK = 500

#: threads scoring chunks at once
THREADS = min(2, os.cpu_count() or 1)


@dataclass(frozen=True)
class Draws:
    """What the replicates drew: the level of every discrete assumption (replicates × discrete
    assumptions) and the points (replicates × indicators) when the weights are perturbed."""

    levels: np.ndarray
    points: np.ndarray | None

    @property
    def n(self) -> int:
        return int(self.levels.shape[0])


@dataclass
class Outcome:
    """Every replicate's score, published score in integer hundredths (``cents``: score ×
    10^rounding, rounded half to even — exactly what :func:`cimon.engine.classify.published`
    rounds to), rank and class index (0 = the best class); replicates × counties."""

    scores: np.ndarray
    cents: np.ndarray
    ranks: np.ndarray
    classes: np.ndarray
    rounding: int = 2


_RANK_BLOCK = 32


def rank_rows(cents: np.ndarray, ties: str = "min") -> np.ndarray:
    """Rank 1 = highest along each row of integer scores (published score × 10^rounding).

    Same ranks as :func:`cimon.engine.classify.rank_desc` row by row (``min``: 1, 2, 2, 4;
    ``dense``: 1, 2, 2, 3; ``max``: 1, 3, 3, 4). Counting instead of sorting: a histogram of each
    row's values, accumulated from the top, gives how many counties scored higher — O(counties +
    range) per row. Falls back to sorting when the range of values is very wide.
    """
    c = np.asarray(cents)
    m, n = c.shape
    if m > _RANK_BLOCK:  # small blocks keep each histogram in the CPU cache (4–5× faster)
        out = np.empty((m, n), np.int32)
        for a in range(0, m, _RANK_BLOCK):
            out[a : a + _RANK_BLOCK] = rank_rows(c[a : a + _RANK_BLOCK], ties)
        return out
    if m == 0 or n == 0:
        return np.zeros((m, n), np.int32)
    lo, hi = int(c.min()), int(c.max())
    width = hi - lo + 1
    if width * m > 64 * max(c.size, 1 << 16) or (width + 1) * m >= 2**31:
        return _rank_rows_sorted(c, ties)
    # position of each value in its row's histogram, highest value first, column 0 left empty
    key = (hi - c).astype(np.int32) + 1
    key += (np.arange(m, dtype=np.int32) * (width + 1))[:, None]
    flat = key.ravel()
    hist = np.bincount(flat, minlength=m * (width + 1)).reshape(m, width + 1)
    if ties == "dense":
        hist = (hist > 0).astype(np.int64)
    above = np.cumsum(hist, axis=1).ravel()  # above[k]: values in the row at least as high as k's
    if ties == "max":
        return above[flat].reshape(m, n).astype(np.int32)
    return (above[flat - 1] + 1).reshape(m, n).astype(np.int32)


def _rank_rows_sorted(c: np.ndarray, ties: str) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(-np.asarray(c, np.int64), axis=1, method=ties).astype(np.int32)


def cent_thresholds(minimums: Sequence[float | None], rounding: int) -> list[int] | None:
    """The class minimums in published cents: the least integer ``c`` with ``c / 10^rounding ≥
    minimum`` (so comparing cents is comparing published scores), or ``None`` unless the
    minimums (the last band's ``None`` aside) strictly decrease."""
    scale = 10.0**rounding
    given = list(minimums)
    if given and given[-1] is None:
        given = given[:-1]
    lows = [float(v) for v in given if v is not None]
    if len(lows) != len(given) or any(a <= b for a, b in itertools.pairwise(lows)):
        return None
    out = []
    for lo in lows:
        c = math.floor(lo * scale) - 1
        while c / scale < lo:
            c += 1
        out.append(c)
    return out


def classes_of_cents(cents: np.ndarray, thresholds: Sequence[int]) -> np.ndarray:
    """Class index from published cents and :func:`cent_thresholds` (descending): the number of
    minimums the score does not reach."""
    out = np.zeros(cents.shape, np.int8)
    for t in thresholds:
        out += cents < t
    return out


@dataclass
class _Late:
    """The methods after normalisation for one combination of the late assumptions."""

    weighting: Weighting
    aggregation: Aggregation
    thresholds: Thresholds
    points: np.ndarray


@dataclass
class Replicator:
    """Scores replicates of one evaluation (``run``) under ``assumptions``."""

    run: Run
    assumptions: AssumptionSet
    _early: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    _late: dict[tuple[int, ...], _Late] = field(default_factory=dict)
    _prepared: dict[int, Prepared] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.log = self.run.log
        check_against(self.assumptions, self.log, self.run.framework)
        fw = self.run.framework
        self.indicators = list(fw.indicator_codes)
        self.points = np.array([float(self.log["points"][c]) for c in self.indicators])
        self.pillars = np.array(
            [[p.code for p in fw.pillars].index(fw.indicator(c).pillar) for c in self.indicators]
        )
        self.discrete = [a for a in self.assumptions.assumptions if not a.continuous]
        self.labels = tuple(self.run.log["classify"]["labels"])

    # ------------------------------------------------------------------------------------------
    # sampling
    def dims(self) -> list[tuple[Assumption, int]]:
        """Each assumption with the number of uniform columns it takes, in declaration order."""
        return [(a, a.dims(self.points)) for a in self.assumptions.assumptions]

    @property
    def width(self) -> int:
        return sum(d for _, d in self.dims())

    def draw(self, u: np.ndarray) -> Draws:
        """Map uniform numbers (replicates × :attr:`width`) to assumption values."""
        u = np.asarray(u, float)
        if u.ndim != 2 or u.shape[1] != self.width:
            raise ValueError(f"u must have {self.width} columns")
        levels = np.zeros((u.shape[0], len(self.discrete)), np.int64)
        points = None
        col = 0
        k = 0
        for a, d in self.dims():
            block = u[:, col : col + d]
            col += d
            if a.continuous:
                points = a.weights(block, self.points)
            else:
                levels[:, k] = a.index(block[:, 0])
                k += 1
        return Draws(levels, points)

    # ------------------------------------------------------------------------------------------
    # variants through the pipeline
    def _overrides(self, levels: Sequence[int]) -> dict[str, Any]:
        """The addresses the discrete assumptions set at ``levels`` (level −1: not drawn)."""
        out: dict[str, Any] = {}
        for a, lv in zip(self.discrete, levels, strict=True):
            if lv >= 0:
                out.update(overrides_for(a, int(lv), self.log))
        return out

    def variant_log(
        self, levels: Sequence[int], points: np.ndarray | None = None
    ) -> dict[str, Any]:
        """The log of one replicate: the nominal log with the drawn addresses set."""
        overrides = self._overrides(levels)
        if points is not None:
            overrides.update(
                {f"points.{c}": float(p) for c, p in zip(self.indicators, points, strict=True)}
            )
        return apply_overrides(copy.deepcopy(self.log), overrides, self.run.framework)

    def full_run(self, levels: Sequence[int], points: np.ndarray | None = None) -> Run:
        """One replicate through :func:`run_log` (the slow, reference path)."""
        r = self.run
        log = self.variant_log(levels, points)
        lag = log_max_lag(log)
        if lag not in self._prepared:  # the inputs' cube, shared by every variant
            self._prepared[lag] = prepare(r.framework, r.inputs, r.year, r.regions, lag)
        return run_log(r.framework, r.inputs, r.year, r.regions, log, self._prepared[lag])

    def matrices(self, levels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(score fractions with missing as 0, treated values) under the early assumptions at
        ``levels``: :func:`run_log` on the variant log, once per combination, cached — and
        shared with the other replicators of the same run (:func:`_shared_early`: the Monte
        Carlo and the Sobol' design of one evaluation meet the same variants)."""
        key = tuple(int(lv) if a.early else -1 for a, lv in zip(self.discrete, levels, strict=True))
        if key not in self._early:
            overrides = self._overrides(key)
            shared = _shared_early(self.run)
            address = repr(sorted(overrides.items()))
            found = shared.get(address)
            if found is None:
                run = self.full_run(key) if overrides else self.run
                z = np.nan_to_num(run.data["normalised"].to_numpy(float), nan=0.0)
                treated = run.data["treated"].to_numpy(float)
                found = shared[address] = (np.ascontiguousarray(z), treated)
            self._early[key] = found
        return self._early[key]

    def late(self, levels: Sequence[int]) -> _Late:
        key = tuple(int(lv) for lv in levels)
        if key not in self._late:
            log = self.variant_log(levels)
            thresholds = make_method("classify", log["classify"], "classify")
            assert isinstance(thresholds, Thresholds)
            if tuple(thresholds.labels) != self.labels:
                raise AssumptionError(
                    "不确定性假设不能改变类别名称（classify.labels）：各类别的概率无法比较。",
                    "An assumption may not change the class labels (classify.labels): the class "
                    "probabilities could not be compared.",
                    "classify.labels",
                )
            weighting = make_method("weight", log["weight"], "weight")
            aggregation = make_method("aggregate", log["aggregate"], "aggregate")
            assert isinstance(weighting, Weighting) and isinstance(aggregation, Aggregation)
            pts = np.array([float(log["points"][c]) for c in self.indicators])
            self._late[key] = _Late(weighting, aggregation, thresholds, pts)
        return self._late[key]

    # ------------------------------------------------------------------------------------------
    # scoring
    def score(self, levels: Sequence[int], points: np.ndarray | None) -> np.ndarray:
        """Scores (replicates × counties) of replicates sharing ``levels``; ``points`` the drawn
        points per replicate (or ``None``)."""
        late = self.late(levels)
        if "tree" in self.log or late.aggregation.missing != "zero":
            # levels (groups:) or missing-skipping aggregation: the fast path below is flat and
            # zero-fills, so take the exact path, one run per replicate (#20)
            runs = [self.full_run(levels, p) for p in ([None] if points is None else points)]
            return np.vstack([r.results["score"].to_numpy(float) for r in runs])
        z, treated = self.matrices(levels)
        base = late.points if points is None else None
        ctx = WeightContext(
            points=base if base is not None else self.points,
            pillars=self.pillars,
            raw=treated,
            total=float(self.points.sum()),
            pillar_codes=tuple(p.code for p in self.run.framework.pillars),
        )
        wm, agg = late.weighting, late.aggregation
        m = 1 if points is None else points.shape[0]
        if points is None:
            w = np.asarray(wm.apply(z, ctx), float)[None, :]
        elif isinstance(wm, Points):
            w = points
        elif isinstance(wm, Ahp):
            w = np.vstack([np.asarray(wm.apply(z, _with_points(ctx, p)), float) for p in points])
        else:  # the weights do not depend on the points
            w = np.repeat(np.asarray(wm.apply(z, ctx), float)[None, :], m, axis=0)
        if isinstance(agg, Sum):
            return np.asarray(w @ z.T)
        return np.vstack([np.asarray(agg.apply(z, wr), float) for wr in w])

    def outcome(self, scores: np.ndarray, levels: Sequence[int]) -> Outcome:
        """Ranks and classes of a chunk of scores, from the published (rounded) scores."""
        th = self.late(levels).thresholds
        cents = np.rint(scores * 10.0**th.rounding)
        published = cents / 10.0**th.rounding
        if np.abs(cents).max(initial=0) >= 2**31:
            raise ValueError("scores too large for the published precision")
        icents = cents.astype(np.int32)
        edges = cent_thresholds(th.minimums, th.rounding)
        classes = (
            class_index(published, th.minimums)
            if edges is None
            else classes_of_cents(icents, edges)
        )
        return Outcome(scores, icents, rank_rows(icents, th.ties), classes, th.rounding)

    def evaluate(
        self,
        draws: Draws,
        chunk: int = CHUNK,
        progress: Callable[[int], None] | None = None,
        threads: int = THREADS,
    ) -> Outcome:
        """Every replicate of ``draws`` (replicates in draw order). Chunks of replicates are
        scored on ``threads`` threads (NumPy releases the GIL in the heavy parts); the result does
        not depend on the number of threads."""
        n_rep = draws.n
        n = len(self.run.regions)
        out = Outcome(
            np.empty((n_rep, n)),
            np.empty((n_rep, n), np.int32),
            np.empty((n_rep, n), np.int32),
            np.empty((n_rep, n), np.int8),
        )
        rounding: set[int] = set()
        tasks: list[tuple[tuple[int, ...], np.ndarray]] = []
        for levels, idx in _groups(draws.levels):
            self.matrices(levels)  # fill the caches here, not in the threads
            rounding.add(self.late(levels).thresholds.rounding)
            tasks += [(levels, idx[a : a + chunk]) for a in range(0, len(idx), chunk)]
        if len(rounding) > 1:
            raise ValueError("the variants disagree on the published precision")
        out.rounding = rounding.pop() if rounding else 2

        def work(task: tuple[tuple[int, ...], np.ndarray]) -> int:
            levels, rows = task
            pts = None if draws.points is None else draws.points[rows]
            scores = self.score(levels, pts)
            if scores.shape[0] == 1 and len(rows) > 1:
                scores = np.repeat(scores, len(rows), axis=0)
            res = self.outcome(scores, levels)
            sel: slice | np.ndarray = _as_slice(rows)
            out.scores[sel] = res.scores
            out.cents[sel] = res.cents
            out.ranks[sel] = res.ranks
            out.classes[sel] = res.classes
            return len(rows)

        if threads > 1 and len(tasks) > 1:
            with ThreadPoolExecutor(threads) as pool:
                for done in pool.map(work, tasks):
                    if progress is not None:
                        progress(done)
        else:
            for task in tasks:
                done = work(task)
                if progress is not None:
                    progress(done)
        return out


#: The early matrices of the last few runs analysed, by the run's id: each variant's normalised
#: and treated values (read only), keyed by the addresses it sets.
_SHARED: OrderedDict[int, dict[str, tuple[np.ndarray, np.ndarray]]] = OrderedDict()
_SHARED_RUNS = 2
_SHARED_LOCK = threading.Lock()


def _shared_early(run: Run) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The early matrices computed so far for ``run`` (the same dict for every replicator of
    the same run object). Kept for the last :data:`_SHARED_RUNS` runs, and dropped when the run
    is garbage collected (before its id can be reused)."""
    key = id(run)
    with _SHARED_LOCK:
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = {}
            weakref.finalize(run, _forget, key)
            while len(_SHARED) > _SHARED_RUNS:
                _SHARED.popitem(last=False)
        _SHARED.move_to_end(key)
        return found


def _forget(key: int) -> None:
    with _SHARED_LOCK:
        _SHARED.pop(key, None)


def _with_points(ctx: WeightContext, points: np.ndarray) -> WeightContext:
    return WeightContext(
        np.asarray(points, float), ctx.pillars, ctx.raw, ctx.total, ctx.pillar_codes
    )


def _groups(levels: np.ndarray) -> Iterator[tuple[tuple[int, ...], np.ndarray]]:
    """(levels, replicate indices) of each distinct row of ``levels``, in first-seen order."""
    if levels.shape[1] == 0:
        yield (), np.arange(levels.shape[0])
        return
    uniq, inverse = np.unique(levels, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(uniq) + 1))
    for g in range(len(uniq)):
        yield tuple(int(x) for x in uniq[g]), order[bounds[g] : bounds[g + 1]]


def _as_slice(rows: np.ndarray) -> slice | np.ndarray:
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1 and np.all(np.diff(rows) == 1):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def check_fast_path(rep: Replicator, draws: Draws, which: Sequence[int]) -> float:
    """Largest score difference between the fast path and :func:`run_log` over the replicates
    ``which``; raises ``AssertionError`` if a class differs."""
    worst = 0.0
    for r in which:
        lv = draws.levels[r]
        pts = None if draws.points is None else draws.points[r]
        ref = rep.full_run(lv, pts).results
        fast = rep.score(lv, None if pts is None else pts[None, :])[0]
        worst = max(worst, float(np.max(np.abs(fast - ref["score"].to_numpy(float)))))
        out = rep.outcome(fast[None, :], lv)
        labels = np.asarray(rep.labels, dtype=object)[out.classes[0]]
        if not np.array_equal(labels, ref["class"].to_numpy(dtype=object)):
            raise AssertionError(f"replicate {r}: classes differ from the pipeline")
    return worst
