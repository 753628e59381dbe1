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
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cimon._version import __version__
from cimon.analysis.assumptions import AssumptionSet, parse_assumptions
from cimon.analysis.codes import CodeMap
from cimon.analysis.compare import compare_results
from cimon.analysis.defaults import (
    DEFAULT_ASSUMPTIONS,
    DEFAULT_REPLICATES,
    DEFAULT_RULES,
    DEFAULT_SEED,
)
from cimon.analysis.errors import AnalysisError
from cimon.analysis.incentives import award, awards_for_table
from cimon.analysis.places import peer_places_rows
from cimon.analysis.replicates import CHUNK, Draws, Outcome, Replicator, rank_rows
from cimon.analysis.rules import RuleSet, check_classes
from cimon.engine.run import Run

#: a class is "stable" when the nominal class has at least this probability (the issue's 0.8)
STABLE_AT = 0.8

QUANTILES = (0.05, 0.5, 0.95)


@dataclass
class UncertaintyResult:
    """The Monte Carlo result of one evaluation year.

    ``counties``: one row per county (index ``region_code``), see :func:`county_summary`;
    ``incentives``: one row per county awarded money in the nominal evaluation (empty without a
    previous year and rules); ``outcome``/``previous``: every replicate's scores, ranks and
    classes (``None`` when read back from JSON).
    """

    year: int
    seed: int
    replicates: int
    assumptions: AssumptionSet
    labels: tuple[str, ...]
    counties: pd.DataFrame
    incentives: pd.DataFrame
    budget: dict[str, int] = field(default_factory=dict)
    framework: dict[str, Any] = field(default_factory=dict)
    #: the evaluated Run (not serialised); its data hash is computed when first asked for
    run: Run | None = None
    stable_at: float = STABLE_AT
    previous_mode: str = "none"
    outcome: Outcome | None = None
    previous: Outcome | None = None
    draws: Draws | None = None
    #: every replicate's incentive amount per county (replicates × counties, integer 元)
    awards: np.ndarray | None = None
    sobol: Any = None

    _data_hash: str = ""

    @property
    def data_hash(self) -> str:
        """sha256 of the evaluated data (:meth:`cimon.model.panel.Panel.data_hash`)."""
        if not self._data_hash and self.run is not None:
            self._data_hash = self.run.data_hash
        return self._data_hash

    def to_json(self) -> dict[str, Any]:
        """The summaries as plain JSON (the replicate matrices are not included)."""
        return {
            "kind": "cimon.robustness",
            "cimon_version": __version__,
            "year": self.year,
            "seed": self.seed,
            "replicates": self.replicates,
            "framework": self.framework,
            "data_hash": self.data_hash,
            "labels": list(self.labels),
            "stable_at": self.stable_at,
            "previous": self.previous_mode,
            "assumptions": self.assumptions.spec(),
            "counties": _records(self.counties.reset_index()),
            "incentives": _records(self.incentives),
            "budget": self.budget,
            "sobol": None if self.sobol is None else self.sobol.to_json(),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def write_json(result: UncertaintyResult, path: str | Path) -> Path:
    """Write :meth:`UncertaintyResult.to_json` (UTF-8, Chinese as is)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return p


def load_json(path: str | Path) -> UncertaintyResult:
    """Read a result written by :func:`write_json` (summaries only; for reports)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AnalysisError(
            f"无法读取稳健性分析结果：{exc}。请使用 cimon robustness 生成的 JSON 文件。",
            f"Cannot read the robustness result: {exc}. Use a JSON file written by "
            "cimon robustness.",
            str(p),
        ) from None
    return from_json(data, str(p))


def from_json(data: Any, source: str = "") -> UncertaintyResult:
    """The result of :meth:`UncertaintyResult.to_json` read back (summaries only); ``source``
    names where it came from in errors."""
    if not isinstance(data, dict) or data.get("kind") != "cimon.robustness":
        raise AnalysisError(
            "这不是 cimon robustness 生成的结果文件（缺少 kind: cimon.robustness）。",
            "This is not a result file of cimon robustness (kind: cimon.robustness missing).",
            source,
        )
    labels = tuple(data["labels"])
    counties = pd.DataFrame(data["counties"])
    counties["region_code"] = counties["region_code"].astype(str)
    counties = counties.set_index("region_code")
    counties["stable"] = counties["stable"].astype(bool)
    inc = pd.DataFrame(data["incentives"], columns=_INCENTIVE_COLUMNS)
    from cimon.analysis.sensitivity import SobolResult

    return UncertaintyResult(
        year=int(data["year"]),
        seed=int(data["seed"]),
        replicates=int(data["replicates"]),
        assumptions=parse_assumptions(data["assumptions"], source),
        labels=labels,
        counties=counties,
        incentives=inc,
        budget={str(k): int(v) for k, v in (data.get("budget") or {}).items()},
        framework=dict(data.get("framework") or {}),
        _data_hash=str(data.get("data_hash", "")),
        stable_at=float(data.get("stable_at", STABLE_AT)),
        previous_mode=str(data.get("previous", "none")),
        sobol=SobolResult.from_json(data["sobol"]) if data.get("sobol") else None,
    )


# ----------------------------------------------------------------------------------------------


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
    inc = pd.DataFrame(columns=_INCENTIVE_COLUMNS)
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


_INCENTIVE_COLUMNS = [
    "code",
    "name",
    "class_prev",
    "class",
    "jump",
    "rank_money",
    "amount",
    "p_jump",
    "p_places",
    "p_award",
    "p_amount",
    "expected",
    "amounts",
]


def incentive_summary(
    run: Run,
    previous: Run,
    outcome: Outcome,
    prev_out: Outcome,
    rules: RuleSet,
    code_map: CodeMap | None = None,
) -> tuple[pd.DataFrame, dict[str, int], np.ndarray]:
    """Re-decide the incentives in every replicate.

    Returns one row per county awarded money in the nominal evaluation — ``p_jump`` (the same
    jump happens: from a lower class into the nominal class; NaN without a nominal jump),
    ``p_places`` (a rank gain is paid; NaN without nominal rank money), ``p_award`` (any money),
    ``p_amount`` (exactly the nominal amount), ``expected`` (mean amount, whole 元, half to even)
    and ``amounts`` ({amount: probability}) — and the province's total owed per replicate
    (``p05``, ``median``, ``p95``, ``nominal``; integer 元), and every replicate's amounts
    (replicates × counties, integer 元).

    The award of a replicate is :func:`cimon.analysis.incentives.award` applied to that
    replicate's classes and places, counted as the rule set's ``rank.places`` says: under
    ``overtaken`` (:func:`cimon.analysis.places.peer_places_rows`) against the counties in the
    class in both years of that replicate, none when the replicate's score or overall rank (among
    the counties of both years) fell;
    under ``literal`` places come from counts (class bands are score intervals):
    rank within the class = rank − counties in better classes; last year's position in this
    year's class = last year's rank − last year's counties in better classes when the class is
    the same, one behind all of last year's members when the county came from below.
    """
    labels = [b.label for b in run.framework.classes]
    res, pres = run.results, previous.results
    check_classes(rules, labels)
    table = compare_results(pres, res, labels, code_map, ties=rules.ties)
    nominal = awards_for_table(table, rules, run.year)
    n_rep, n = outcome.classes.shape
    n_cls = len(labels)
    prev_pos = {str(c): k for k, c in enumerate(pres.index)}
    j = np.array([prev_pos.get(str(pc), -1) if pc is not None else -1 for pc in table["prev_code"]])
    matched = j >= 0

    def ranks(out: Outcome, engine_ties: str) -> np.ndarray:
        if rules.ties == engine_ties:
            return np.asarray(out.ranks)
        return rank_rows(np.asarray(out.cents), rules.ties)

    r_curr = ranks(outcome, _ties(run))
    r_prev = ranks(prev_out, _ties(previous))
    c_curr = np.asarray(outcome.classes, np.int64)
    c_prev = np.asarray(prev_out.classes, np.int64)
    # counties per class and replicate, and how many are in a better class (index < b)
    cnt_curr = np.stack([(c_curr == b).sum(axis=1) for b in range(n_cls)], axis=1)
    cnt_prev = np.stack([(c_prev == b).sum(axis=1) for b in range(n_cls)], axis=1)
    better_curr = np.cumsum(cnt_curr, axis=1) - cnt_curr
    better_prev = np.cumsum(cnt_prev, axis=1) - cnt_prev
    rows = np.arange(n_rep)[:, None]
    class_rank = r_curr - better_curr[rows, c_curr]
    jj = np.where(matched, j, 0)
    cp = c_prev[:, jj]
    rp = r_prev[:, jj]
    same = cp == c_curr
    from_below = cp > c_curr
    position = np.where(
        same, rp - better_prev[rows, c_curr], np.where(from_below, cnt_prev[rows, c_curr] + 1, 1)
    )
    if rules.places == "overtaken":
        # places against the counties in the class in both years; none when the score or the
        # overall rank fell (cimon.analysis.places)
        s_curr = np.asarray(outcome.cents, np.int64)
        s_prev = np.asarray(prev_out.cents, np.int64)[:, jj]
        in_class, overall = peer_places_rows(s_curr, s_prev, c_curr, cp, matched, rules.ties)
        real = (s_curr >= s_prev) & (overall >= 0)  # score and rank (both years' counties)
        pe = np.where(real, np.clip(in_class, 0, n), 0)
        po = np.where(real, np.clip(overall, 0, n), 0)
    else:
        pe = np.clip(position - class_rank, 0, n)  # places, within the class
        po = np.clip(rp - r_curr, 0, n)  # places, overall
    cp_code = np.where(matched[None, :], cp, n_cls)  # n_cls: no previous result
    key = ((cp_code * n_cls + c_curr) * (n + 1) + pe) * (n + 1) + po
    county = np.broadcast_to(np.arange(n), key.shape)
    # one award() per distinct (county kind, previous class, class, places)
    kinds = table["match"].astype(str).to_numpy()
    kind_code, kind_names = pd.factorize(kinds)
    full = key * len(kind_names) + kind_code[county]
    uniq, inverse = np.unique(full, return_inverse=True)
    amounts_u = np.empty(len(uniq), np.int64)
    jumps_u = np.empty(len(uniq), np.int64)
    ranks_u = np.empty(len(uniq), np.int64)
    for u_i, code in enumerate(uniq.tolist()):
        k, kind = divmod(code, len(kind_names))
        rest, po_v = divmod(k, n + 1)
        rest, pe_v = divmod(rest, n + 1)
        cpv, cv = divmod(rest, n_cls)
        row = {
            "code": "-",
            "name": "-",
            "class_prev": labels[cpv] if cpv < n_cls else None,
            "class": labels[cv],
            "match": kind_names[kind],
            "prev_code": "-",
            "class_rank": 1,
            "position_prev": 1 + pe_v,
            "rank": 1,
            "rank_prev": 1 + po_v,
            "change": 0.0,  # the overtaken guards are applied above
            "peer_places": pe_v,
            "peer_places_overall": po_v,
        }
        a = award(row, rules, run.year, first_year=False)
        amounts_u[u_i], jumps_u[u_i], ranks_u[u_i] = a.total, a.jump, a.rank + a.bonus
    inverse = inverse.reshape(key.shape)
    amount = amounts_u[inverse]
    jump = jumps_u[inverse]
    rank_money = ranks_u[inverse]
    totals = amount.sum(axis=1)
    q = np.quantile(totals, QUANTILES, method="inverted_cdf")
    budget = {
        "nominal": int(sum(a.total for a in nominal)),
        "p05": int(q[0]),
        "median": int(q[1]),
        "p95": int(q[2]),
    }
    out: list[dict[str, Any]] = []
    for i, a in enumerate(nominal):
        if a.total <= 0:
            continue
        col = amount[:, i]
        lvl = labels.index(a.klass)
        jumped = (c_curr[:, i] == lvl) & (cp_code[:, i] > lvl) & (jump[:, i] > 0)
        values, counts = np.unique(col, return_counts=True)
        out.append(
            {
                "code": a.code,
                "name": a.name,
                "class_prev": a.class_prev,
                "class": a.klass,
                "jump": a.jump,
                "rank_money": a.rank + a.bonus,
                "amount": a.total,
                "p_jump": float(jumped.mean()) if a.jump > 0 else float("nan"),
                "p_places": float((rank_money[:, i] > 0).mean())
                if a.rank + a.bonus > 0
                else float("nan"),
                "p_award": float((col > 0).mean()),
                "p_amount": float((col == a.total).mean()),
                "expected": _mean_yuan(col),
                "amounts": {
                    int(v): float(c) / n_rep
                    for v, c in sorted(zip(values.tolist(), counts.tolist(), strict=True))
                },
            }
        )
    return pd.DataFrame(out, columns=_INCENTIVE_COLUMNS), budget, amount


def _ties(run: Run) -> str:
    return str(run.log["classify"].get("ties", "min"))


def _mean_yuan(amounts: np.ndarray) -> int:
    """Mean of integer amounts as whole 元, exact (Fraction), half to even."""
    return round(Fraction(int(amounts.sum()), len(amounts)))
