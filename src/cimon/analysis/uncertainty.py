"""Uncertainty analysis (不确定性分析): Monte Carlo over the uncertain assumptions.

For each replicate the assumptions (:mod:`cimon.analysis.assumptions`) draw a value, the variant of
the evaluation is scored (:mod:`cimon.analysis.replicates`), and per county we keep the score,
rank and class. The result, per county: the score distribution (mean, SD, 5 %, median, 95 %), the
median rank and its 5–95 % interval, the probability of each class, and a stability flag where the
nominal (published) class has probability below 0.8 — the presentation of the Global Innovation
Index's uncertainty analysis (Saisana & Saltelli, JRC audits of the GII; JRC/OECD Handbook 2008),
applied to classes.

With last year's evaluation and an incentive rule set, the incentives awarded are re-decided in
every replicate (both years scored under the same draw, ``previous="joint"``; or last year held at
its published result, ``previous="fixed"``): the probability that each jump holds, that the rank
gain holds, and the distribution of the amount (integer 元).

Reproducible: the same inputs and ``seed`` give identical output (NumPy's PCG64 generator).

The result and its JSON form are :mod:`cimon.analysis.uncertainty_result`; the incentives
re-decided per replicate are :mod:`cimon.analysis.uncertainty_incentives` (both re-exported here).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from cimon.analysis.assumptions import AssumptionSet
from cimon.analysis.codes import CodeMap
from cimon.analysis.defaults import (
    DEFAULT_ASSUMPTIONS,
    DEFAULT_REPLICATES,
    DEFAULT_RULES,
    DEFAULT_SEED,
)
from cimon.analysis.errors import AnalysisError
from cimon.analysis.replicates import CHUNK, Outcome, Replicator
from cimon.analysis.rules import RuleSet
from cimon.analysis.uncertainty_incentives import incentive_summary
from cimon.analysis.uncertainty_result import (
    INCENTIVE_COLUMNS,
    QUANTILES,
    STABLE_AT,
    UncertaintyResult,
    from_json,
    load_json,
    write_json,
)
from cimon.engine.run import Run

__all__ = [
    "INCENTIVE_COLUMNS",
    "QUANTILES",
    "STABLE_AT",
    "UncertaintyResult",
    "column_quantiles",
    "county_summary",
    "default_analysis",
    "from_json",
    "incentive_summary",
    "load_json",
    "monte_carlo",
    "uniforms",
    "write_json",
]


def uniforms(seed: int, n: int, width: int) -> np.ndarray:
    """The Monte Carlo's uniform numbers: ``n`` rows of ``width`` from PCG64(``seed``)."""
    return np.random.Generator(np.random.PCG64(seed)).random((n, width))


def default_analysis(
    run: Run,
    previous: Run | None = None,
    n: int = DEFAULT_REPLICATES,
    rules: RuleSet | None = None,
) -> UncertaintyResult:
    """The default analysis of ``run``: the ``default`` assumptions, seed 1, ``n`` replicates
    and, with last year's run, the incentives under ``rules`` (default: the ``nx-2021`` rules;
    a published version passes the rules frozen with it) with last year re-scored under the
    same draws (docs/analysis/robustness.md)."""
    from cimon.analysis.assumptions import load_assumptions
    from cimon.analysis.rules import load_rules

    return monte_carlo(
        run,
        load_assumptions(DEFAULT_ASSUMPTIONS),
        n,
        seed=DEFAULT_SEED,
        previous=previous,
        rules=(rules or load_rules(DEFAULT_RULES)) if previous is not None else None,
    )


def monte_carlo(
    run: Run,
    assumptions: AssumptionSet,
    n: int = 1000,
    seed: int = 1,
    previous: Run | None = None,
    rules: RuleSet | None = None,
    code_map: CodeMap | None = None,
    previous_mode: str = "joint",
    stable_at: float = STABLE_AT,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of ``run`` under ``assumptions``.

    Parameters
    ----------
    n, seed:
        replicates and the seed of the random numbers (same seed → identical result).
    previous, rules:
        last year's evaluation and the incentive rules: with both, every incentive awarded in
        the nominal evaluation is re-decided in each replicate.
    previous_mode:
        ``joint`` (default): last year is scored under the same draw as this year — "had the
        method been different, would the county still have jumped?"; ``fixed``: last year stays
        at its published result.
    progress:
        called with the number of replicates just finished (for a progress bar); with
        ``previous`` in ``joint`` mode it counts each year's replicates, 2 × ``n`` in all.
    """
    if n < 1:
        raise AnalysisError(
            f"重复次数应至少为 1（当前 {n}）。",
            f"The number of replicates must be at least 1 (got {n}).",
            "n",
        )
    if previous_mode not in ("joint", "fixed"):
        raise AnalysisError(
            f"previous 只能是 joint 或 fixed（当前 {previous_mode!r}）。",
            f"previous must be joint or fixed (got {previous_mode!r}).",
            "previous",
        )
    rep = Replicator(run, assumptions)
    draws = rep.draw(uniforms(seed, n, rep.width))
    outcome = rep.evaluate(draws, chunk, progress)
    counties = county_summary(run, rep.labels, outcome, stable_at)
    inc = pd.DataFrame(columns=INCENTIVE_COLUMNS)
    budget: dict[str, int] = {}
    awards: np.ndarray | None = None
    prev_out: Outcome | None = None
    mode = "none"
    if previous is not None and rules is not None:
        mode = previous_mode
        if previous_mode == "joint":
            if previous.framework.hash != run.framework.hash:
                raise AnalysisError(
                    f"上年（{previous.year}）与本年（{run.year}）的指标体系不同，不能用同一抽样重算上年。"
                    "请改用 previous=fixed（上年固定为已公布结果）。",
                    f"Last year ({previous.year}) and this year ({run.year}) use different "
                    "frameworks, so last year cannot be re-scored under the same draw. Use "
                    "previous=fixed (last year held at its published result).",
                    "previous",
                )
            prev_out = Replicator(previous, assumptions).evaluate(draws, chunk, progress)
        else:
            prev_out = _fixed(previous, n)
        inc, budget, awards = incentive_summary(run, previous, outcome, prev_out, rules, code_map)
    fw = run.framework
    return UncertaintyResult(
        year=run.year,
        seed=seed,
        replicates=n,
        assumptions=assumptions,
        labels=rep.labels,
        counties=counties,
        incentives=inc,
        budget=budget,
        framework={"id": fw.id, "version": fw.version, "hash": fw.hash},
        run=run,
        stable_at=stable_at,
        previous_mode=mode,
        outcome=outcome,
        previous=prev_out,
        draws=draws,
        awards=awards,
    )


def _fixed(previous: Run, n: int) -> Outcome:
    """Last year's published result repeated for every replicate."""
    res = previous.results
    labels = [b.label for b in previous.framework.classes]
    cls = np.array([labels.index(str(c)) for c in res["class"]], np.int8)
    rounding = int(previous.log["classify"].get("rounding", 2))
    cents = np.rint(res["score_published"].to_numpy(float) * 10.0**rounding).astype(np.int32)
    return Outcome(
        np.broadcast_to(res["score"].to_numpy(float), (n, len(res))),
        np.broadcast_to(cents, (n, len(res))),
        np.broadcast_to(res["rank"].to_numpy(np.int32), (n, len(res))),
        np.broadcast_to(cls, (n, len(res))),
        rounding,
    )


def column_quantiles(values: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles of each column of an integer matrix (replicates × counties), ``len(qs)`` ×
    counties: the smallest value with at least a share ``q`` of the replicates at or below it
    (NumPy's ``method="inverted_cdf"``, Hyndman & Fan type 1), so every quantile is a value some
    replicate had. Sorts each county's values once (radix sort for 16-bit values)."""
    r = values.shape[0]
    lo, hi = (int(values.min()), int(values.max())) if values.size else (0, 0)
    small = lo >= -(2**15) and hi < 2**15
    t = np.ascontiguousarray(values.T, dtype=np.int16 if small else np.int64)
    t.sort(axis=1, kind="stable")
    idx = [min(max(math.ceil(q * r - 1e-9) - 1, 0), r - 1) for q in qs]
    return np.asarray(t[:, idx].T, np.int64)


def county_summary(
    run: Run, labels: Sequence[str], outcome: Outcome, stable_at: float = STABLE_AT
) -> pd.DataFrame:
    """One row per county: the nominal result; the published score's mean, SD and 5 %, 50 %,
    95 % quantiles; the rank's; the mean absolute rank shift from the nominal rank; the class
    probabilities (``p_<label>``), ``p_nominal`` and ``stable`` (``p_nominal ≥ stable_at``)."""
    res = run.results
    n_rep = outcome.scores.shape[0]
    scale = 10.0**outcome.rounding
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(column_quantiles, m, QUANTILES) for m in (outcome.cents, outcome.ranks)]
        q_score, q_rank = (j.result() for j in jobs)
    nominal_rank = res["rank"].to_numpy(int)
    mean, sd, shift = _column_stats(outcome.cents, outcome.ranks, nominal_rank)
    out = pd.DataFrame(index=res.index.copy())
    out["name"] = res["name"].to_numpy()
    out["city"] = res["city"].to_numpy()
    out["score"] = res["score_published"].to_numpy(float)
    out["class"] = res["class"].astype(str).to_numpy()
    out["rank"] = res["rank"].to_numpy(int)
    out["score_mean"] = mean / scale
    out["score_sd"] = sd / scale
    out["score_p05"], out["score_median"], out["score_p95"] = q_score / scale
    out["rank_p05"], out["rank_median"], out["rank_p95"] = q_rank
    out["rank_shift_mean"] = shift
    counts = np.stack([(outcome.classes == b).sum(axis=0) for b in range(len(labels))], axis=1)
    for b, label in enumerate(labels):
        out[f"p_{label}"] = counts[:, b] / n_rep
    nominal = np.array([list(labels).index(c) for c in out["class"]])
    out["p_nominal"] = counts[np.arange(len(out)), nominal] / n_rep
    out["stable"] = out["p_nominal"] >= stable_at
    return out


def _column_stats(
    cents: np.ndarray, ranks: np.ndarray, nominal_rank: np.ndarray, block: int = 500
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per county: the mean and sample SD of the published cents, and the mean absolute shift of
    the rank from ``nominal_rank``. One pass, block by block (bounded memory); the sums are of
    integers below 2^53, so float64 holds them exactly."""
    r, n = cents.shape
    s1 = np.zeros(n)
    s2 = np.zeros(n)
    shift = np.zeros(n, np.int64)
    nominal = np.asarray(nominal_rank, np.int32)[None, :]
    for a in range(0, r, block):
        part = np.asarray(cents[a : a + block], float)
        s1 += part.sum(axis=0)
        s2 += np.square(part).sum(axis=0)
        shift += np.abs(np.asarray(ranks[a : a + block], np.int32) - nominal).sum(
            axis=0, dtype=np.int64
        )
    mean = s1 / r
    var = (s2 - s1 * s1 / r) / (r - 1) if r > 1 else np.zeros(n)
    return mean, np.sqrt(np.clip(var, 0.0, None)), shift / r
