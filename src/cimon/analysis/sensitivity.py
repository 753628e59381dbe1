"""Sensitivity analysis (敏感性分析): which assumption moves the ranks.

Variance-based (Sobol') indices with SALib's sampler and estimator (Saltelli et al. 2010,
"Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181; Jansen 1999 for
the total index): the first-order index ``S1`` of an assumption is the share of the output's
variance it explains alone, the total index ``ST`` the share it explains with all its
interactions. The outputs are each county's rank and the mean absolute rank shift over all
counties (the JRC's summary of an index's robustness, COINr ``get_sensitivity``).

Each assumption is one factor, however many numbers it draws (the indicator weights draw one per
indicator: SALib ``groups``). The design is SALib's Sobol' sequence (``N × (factors + 2)``
evaluations, ``N`` a power of two), mapped to assumption values by the same inverse transform as
the Monte Carlo (:meth:`cimon.analysis.replicates.Replicator.draw`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from cimon.analysis.assumptions import AssumptionSet
from cimon.analysis.errors import AnalysisError
from cimon.analysis.replicates import CHUNK, Replicator
from cimon.analysis.sobol_batch import estimate
from cimon.engine.run import Run


@dataclass(frozen=True)
class SobolIndices:
    """First-order and total indices (with their bootstrap 95 % half-widths) of one output."""

    factors: tuple[str, ...]
    S1: np.ndarray
    ST: np.ndarray
    S1_conf: np.ndarray
    ST_conf: np.ndarray

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"S1": self.S1, "S1_conf": self.S1_conf, "ST": self.ST, "ST_conf": self.ST_conf},
            index=pd.Index(list(self.factors), name="factor"),
        )


def check_base(n: int) -> None:
    """SALib's Sobol' design needs ``N`` a power of two (its convergence guarantee)."""
    if n < 2 or n & (n - 1):
        raise AnalysisError(
            f"Sobol 基础样本数应为 2 的幂（如 256、512、1024），当前为 {n}。",
            f"The Sobol' base sample size must be a power of two (256, 512, 1024 …); got {n}.",
            "sobol_n",
        )


def sobol_indices(
    problem: Mapping[str, Any],
    model: Callable[[np.ndarray], np.ndarray],
    n: int,
    seed: int,
    num_resamples: int = 100,
    progress: Callable[[int], None] | None = None,
) -> list[SobolIndices]:
    """Sobol' indices of every output column of ``model`` (rows of inputs → rows of outputs) over
    SALib's design for ``problem`` (``num_vars``, ``names``, ``bounds``, optional ``groups``);
    ``progress`` is called with 1 after each column is analysed."""
    check_base(n)
    x = sobol_sample.sample(dict(problem), n, calc_second_order=False, scramble=True, seed=seed)
    y = np.asarray(model(x), float)
    if y.ndim == 1:
        y = y[:, None]
    return analyse_all(problem, y, num_resamples, seed, progress)


def analyse_all(
    problem: Mapping[str, Any],
    y: np.ndarray,
    num_resamples: int = 100,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[SobolIndices]:
    """:func:`analyse` of every column of ``y``: the columns that vary estimated together
    (:func:`cimon.analysis.sobol_batch.estimate`, the same numbers as SALib's estimator a column
    at a time, several times faster); ``progress`` is called with 1 for each column."""
    groups = problem.get("groups")
    factors = tuple(dict.fromkeys(groups)) if groups else tuple(problem["names"])
    varies = np.isfinite(y).all(axis=0) & (np.ptp(y, axis=0) != 0)
    if not seed or y.shape[0] % (len(factors) + 2):  # SALib unseeded, or its own error
        live = None
    else:
        live = estimate(y[:, varies], len(factors), num_resamples, seed)
    out = []
    k = 0
    for c in range(y.shape[1]):
        if live is None:
            out.append(analyse(problem, y[:, c], num_resamples, seed))
        elif varies[c]:
            out.append(
                SobolIndices(factors, live.S1[k], live.ST[k], live.S1_conf[k], live.ST_conf[k])
            )
            k += 1
        else:
            nan = np.full(len(factors), np.nan)
            out.append(SobolIndices(factors, nan, nan.copy(), nan.copy(), nan.copy()))
        if progress is not None:
            progress(1)
    return out


def analyse(
    problem: Mapping[str, Any], y: np.ndarray, num_resamples: int = 100, seed: int = 1
) -> SobolIndices:
    """SALib's estimator on one output; an output that does not vary gets NaN (no variance to
    apportion) instead of SALib's division warnings."""
    groups = problem.get("groups")
    factors = tuple(dict.fromkeys(groups)) if groups else tuple(problem["names"])
    if not np.isfinite(y).all() or np.ptp(y) == 0:
        nan = np.full(len(factors), np.nan)
        return SobolIndices(factors, nan, nan.copy(), nan.copy(), nan.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        si = sobol_analyze.analyze(
            dict(problem),
            y,
            calc_second_order=False,
            num_resamples=num_resamples,
            seed=seed,
            print_to_console=False,
        )
    return SobolIndices(
        factors,
        np.asarray(si["S1"], float),
        np.asarray(si["ST"], float),
        np.asarray(si["S1_conf"], float),
        np.asarray(si["ST_conf"], float),
    )


@dataclass
class SobolResult:
    """Sobol' indices of the mean absolute rank shift and of each county's rank."""

    factors: tuple[str, ...]
    titles_zh: tuple[str, ...]
    titles_en: tuple[str, ...]
    base_n: int
    evaluations: int
    seed: int
    mean_rank_shift: SobolIndices
    counties: pd.DataFrame  # long: region_code, name, factor, S1, S1_conf, ST, ST_conf

    def to_json(self) -> dict[str, Any]:
        def clean(a: np.ndarray) -> list[float | None]:
            return [None if not np.isfinite(v) else float(v) for v in a]

        m = self.mean_rank_shift
        return {
            "factors": list(self.factors),
            "titles_zh": list(self.titles_zh),
            "titles_en": list(self.titles_en),
            "base_n": self.base_n,
            "evaluations": self.evaluations,
            "seed": self.seed,
            "mean_rank_shift": {
                "S1": clean(m.S1),
                "S1_conf": clean(m.S1_conf),
                "ST": clean(m.ST),
                "ST_conf": clean(m.ST_conf),
            },
            "counties": [
                {
                    k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                    for k, v in r.items()
                }
                for r in self.counties.to_dict("records")
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SobolResult:
        factors = tuple(data["factors"])

        def arr(v: Sequence[float | None]) -> np.ndarray:
            return np.array([np.nan if x is None else x for x in v], float)

        m = data["mean_rank_shift"]
        return cls(
            factors,
            tuple(data.get("titles_zh", factors)),
            tuple(data.get("titles_en", factors)),
            int(data["base_n"]),
            int(data["evaluations"]),
            int(data["seed"]),
            SobolIndices(factors, arr(m["S1"]), arr(m["ST"]), arr(m["S1_conf"]), arr(m["ST_conf"])),
            pd.DataFrame(data["counties"]),
        )


def robustness_steps(
    run: Run, assumptions: AssumptionSet, replicates: int, sobol_n: int, *, joint: bool
) -> int:
    """The number of progress steps of a robustness analysis of ``run``: the Monte Carlo
    replicates (each counted twice when last year is re-scored ``joint``-ly) and, with a Sobol'
    base sample ``sobol_n`` > 0, what :func:`rank_sensitivity` reports: ``sobol_n × (assumptions
    + 2)`` replicates, then one step for the mean rank shift and one for each county."""
    total = replicates * (2 if joint else 1)
    if sobol_n:
        total += sobol_n * (len(assumptions.assumptions) + 2) + len(run.regions) + 1
    return total


def rank_sensitivity(
    run: Run,
    assumptions: AssumptionSet,
    n: int = 512,
    seed: int = 1,
    num_resamples: int = 100,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> SobolResult:
    """First-order and total Sobol' indices of each county's rank and of the mean absolute rank
    shift, per assumption. ``n`` is SALib's base sample (a power of two); the model is evaluated
    ``n × (assumptions + 2)`` times. ``progress`` is called with the replicates scored, then with 1
    for each output analysed — the mean shift and every county (SALib's estimator with its
    bootstrap takes about 12 ms a county: half a minute for 2,850 counties)."""
    check_base(n)
    rep = Replicator(run, assumptions)
    names: list[str] = []
    groups: list[str] = []
    for a, d in rep.dims():
        names += [a.id] if d == 1 else [f"{a.id}[{i}]" for i in range(d)]
        groups += [a.id] * d
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[0.0, 1.0]] * len(names),
        "groups": groups,
    }
    nominal = run.results["rank"].to_numpy(int)

    def model(x: np.ndarray) -> np.ndarray:
        ranks = rep.evaluate(rep.draw(x), chunk, progress).ranks
        shift = np.abs(ranks - nominal[None, :]).mean(axis=1)
        return np.column_stack([shift, ranks]).astype(float)

    shift, *per_county = sobol_indices(problem, model, n, seed, num_resamples, progress)
    rows: list[dict[str, Any]] = []
    res = run.results
    unit_names = res["name"].to_numpy()
    for i, (code, si) in enumerate(zip(res.index, per_county, strict=True)):
        for f, factor in enumerate(si.factors):
            rows.append(
                {
                    "region_code": str(code),
                    "name": str(unit_names[i]),
                    "factor": factor,
                    "S1": float(si.S1[f]),
                    "S1_conf": float(si.S1_conf[f]),
                    "ST": float(si.ST[f]),
                    "ST_conf": float(si.ST_conf[f]),
                }
            )
    by_id = {a.id: a for a in assumptions.assumptions}
    factors = shift.factors
    return SobolResult(
        factors,
        tuple(by_id[f].title("zh") for f in factors),
        tuple(by_id[f].title("en") for f in factors),
        n,
        n * (len(factors) + 2),  # SALib's design without second-order terms
        seed,
        shift,
        pd.DataFrame(
            rows, columns=["region_code", "name", "factor", "S1", "S1_conf", "ST", "ST_conf"]
        ),
    )
