"""Year-over-year comparison (年度比较): class transitions, rank changes and an exact split of every
county's score change over pillars and indicators.

* **Transitions** (跃升 / 下降 / 保持): the class this year against last year's; a county with no
  result last year is 新增 (new). Counties are matched by code; a county whose code changed is
  matched through a code map (:mod:`cimon.analysis.codes`); without one, the national history of
  code changes since 2015 (docs/national.md).
* **Ranks**: overall, within the city (设区市) and within the class, with the engine's tie rule
  (``min``: tied counties share the best rank, 1, 2, 2, 4). ``position_prev`` is *where the county
  stood last year within this year's class*: its last-year score ranked among last year's members
  of the class it is in now. For a county that stayed in its class this is simply last year's rank
  in the class; for a county that jumped up it is one below the class's last member (it entered from
  below). :mod:`cimon.analysis.incentives` counts places from it.
* **Score change split** (得分变化分解): the published change (rounded scores, 2 decimals) is split
  over pillars and, within each pillar, over its indicators, in integer hundredths of a point, so
  the parts add up *exactly* to the published change — to the cent of a point. The split is the
  largest-remainder (Hamilton) allocation of the change in cents with the unrounded changes of the
  parts as quotas (:func:`allocate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cimon.analysis.codes import CodeMap, default_code_map
from cimon.analysis.errors import AnalysisError
from cimon.engine.run import Run


def _at(frame: pd.DataFrame, row: Any, col: Any) -> Any:
    """``frame.at[row, col]`` typed as Any (pandas-stubs type it as a union of every scalar)."""
    return frame.at[row, col]


TRANSITIONS = {
    "up": ("跃升", "up"),
    "down": ("下降", "down"),
    "same": ("保持", "unchanged"),
    "new": ("新增", "new"),
}


def allocate(total: int, quotas: Sequence[float]) -> list[int]:
    """Split the integer ``total`` into integers that add up to it exactly, each as close as
    possible to its quota (largest-remainder, Hamilton's method).

    Each part starts at ``floor(quota)``; the shortfall ``total − Σ floor`` is handed out one unit
    at a time to the parts with the largest fractional parts (ties: the earlier part). A negative
    shortfall takes units back from the parts with the smallest fractional parts. Quotas need not
    add up to ``total`` (rounded scores never do exactly); the difference is absorbed the same
    way. NaN quotas count as 0.

    >>> allocate(620, [310.25, 200.5, 109.25])
    [310, 201, 109]
    """
    q = [0.0 if (x is None or math.isnan(x)) else float(x) for x in quotas]
    if not q:
        if total:
            raise ValueError("cannot allocate a non-zero total over no parts")
        return []
    base = [math.floor(x) for x in q]
    frac = [x - b for x, b in zip(q, base, strict=True)]
    short = total - sum(base)
    n = len(q)
    whole, rest = divmod(abs(short), n)
    step = 1 if short >= 0 else -1
    out = [b + step * whole for b in base]
    if short >= 0:
        order = sorted(range(n), key=lambda i: (-frac[i], i))
    else:
        order = sorted(range(n), key=lambda i: (frac[i], i))
    for i in order[:rest]:
        out[i] += step
    return out


def cents(score: float) -> int:
    """A published score (2 decimals) in integer hundredths of a point."""
    return round(float(score) * 100)


@dataclass(frozen=True)
class ChangeSplit:
    """The published score change of one county, split exactly (integer hundredths of a point).

    ``sum(pillars.values()) == total`` and, for every pillar, the sum of its indicators' parts
    equals the pillar's part."""

    code: str
    name: str
    total: int
    pillars: Mapping[str, int]
    indicators: Mapping[str, int]

    def points(self, cents_value: int) -> float:
        return cents_value / 100


def split_change(prev: Run, curr: Run, code: str, prev_code: str | None = None) -> ChangeSplit:
    """Split one county's published score change from ``prev`` to ``curr`` exactly.

    Parameters
    ----------
    prev, curr:
        the two evaluations (same framework structure: same pillars and indicators).
    code:
        the county's code in ``curr``; ``prev_code`` its code in ``prev`` when it changed.

    Notes
    -----
    Quotas are the unrounded changes in points (pillar scores, then indicator points): for the
    default additive aggregation (``sum``) they add up to the unrounded score change, which differs
    from the published change by less than one cent; that difference goes to the parts with the
    largest remainders. For non-additive aggregations the split is of the points earned, and the
    non-additive remainder is spread the same way.
    """
    old = prev_code or code
    _check_same_structure(prev, curr)
    if code not in curr.results.index or old not in prev.results.index:
        raise AnalysisError(
            f"县（市、区）代码 {code} 不在两个年度的评价结果中，无法分解得分变化。",
            f"County code {code} is not in both evaluations; cannot split its score change.",
            f"{prev.year}→{curr.year}",
        )
    total = cents(_at(curr.results, code, "score_published")) - cents(
        _at(prev.results, old, "score_published")
    )
    pillar_codes = [p.code for p in curr.framework.pillars]
    pq = [
        100 * (float(_at(curr.data["pillars"], code, p)) - float(_at(prev.data["pillars"], old, p)))
        for p in pillar_codes
    ]
    pillar_cents = allocate(total, pq)
    ind_cents: dict[str, int] = {}
    for pillar, share in zip(curr.framework.pillars, pillar_cents, strict=True):
        iq = [
            100
            * (float(_at(curr.data["points"], code, i)) - float(_at(prev.data["points"], old, i)))
            for i in pillar.indicators
        ]
        ind_cents.update(zip(pillar.indicators, allocate(share, iq), strict=True))
    return ChangeSplit(
        code=code,
        name=str(_at(curr.results, code, "name")),
        total=total,
        pillars=dict(zip(pillar_codes, pillar_cents, strict=True)),
        indicators=ind_cents,
    )


def _check_same_structure(prev: Run, curr: Run) -> None:
    a = [(p.code, p.indicators) for p in prev.framework.pillars]
    b = [(p.code, p.indicators) for p in curr.framework.pillars]
    if a != b:
        raise AnalysisError(
            f"{prev.year} 与 {curr.year} 年度使用的指标体系结构不同（一级或二级指标不一致），"
            "无法按指标分解得分变化。请用同一指标体系重新评价两个年度。",
            f"The {prev.year} and {curr.year} evaluations use frameworks with different pillars or "
            "indicators; the score change cannot be split by indicator. Re-evaluate both years "
            "with one framework.",
            f"{prev.framework.id} / {curr.framework.id}",
        )


def class_order(labels: Sequence[str]) -> dict[str, int]:
    """Label → level, the best class highest (A → 2, B → 1, C → 0 for A/B/C)."""
    return {label: len(labels) - 1 - k for k, label in enumerate(labels)}


def _positions(scores: np.ndarray, among: np.ndarray, ties: str) -> np.ndarray:
    """For each score, its rank among the scores ``among`` (which it is not part of): ``min``
    counts those strictly better, ``max`` those at least as good; plus one."""
    srt = np.sort(among)
    if ties == "max":
        better = len(srt) - np.searchsorted(srt, scores, side="left")
    else:
        better = len(srt) - np.searchsorted(srt, scores, side="right")
    return np.asarray(better + 1, dtype=int)


def compare_results(
    prev: pd.DataFrame | None,
    curr: pd.DataFrame,
    labels: Sequence[str],
    code_map: CodeMap | None = None,
    ties: str = "min",
) -> pd.DataFrame:
    """Compare two results tables (columns ``name``, ``score_published``, ``class``; index the
    region code; optional ``city``).

    Returns one row per county of ``curr`` (same order) with: ``prev_code``, ``match`` (``same``,
    ``recode``, ``boundary``, ``merged``, ``new``), ``class_prev``, ``class``, ``transition``
    (``up``/``down``/``same``/``new``), ``steps`` (class levels moved, + up), ``score_prev``,
    ``score``, ``change`` (published change, 2 decimals), ``rank_prev``, ``rank``,
    ``rank_change`` (+ = moved up), ``class_rank`` (rank within this year's class),
    ``position_prev`` (last year's position within this year's class, see module docs) and
    ``places`` (``position_prev − class_rank``, + = gained). Ranks use the tie rule ``ties``
    (``min``: 1, 2, 2, 4; ``max``: 1, 3, 3, 4). Counties without a comparable previous result
    have NaN in the previous columns. Without ``code_map`` the national history of code changes
    is used (:func:`cimon.analysis.codes.default_code_map`).
    """
    if ties not in ("min", "max"):
        raise AnalysisError(
            f"并列名次规则只能是 min 或 max（实际 {ties!r}）。",
            f"The tie rule must be min or max (got {ties!r}).",
            "ties",
        )
    level = class_order(labels)
    codes = [str(c) for c in curr.index]
    score = curr["score_published"].to_numpy(float)
    klass = curr["class"].astype(str).to_numpy()
    out = pd.DataFrame(index=pd.Index(codes, name="region_code"))
    out["name"] = curr["name"].astype(str).to_numpy()
    out["city"] = curr["city"].astype(str).to_numpy() if "city" in curr else ""
    out["score"] = score
    out["class"] = klass
    out["rank"] = [
        _positions(np.array([s]), np.delete(score, i), ties)[0] for i, s in enumerate(score)
    ]
    out["class_rank"] = [
        _positions(np.array([s]), score[(klass == klass[i]) & (np.arange(len(score)) != i)], ties)[
            0
        ]
        for i, s in enumerate(score)
    ]
    cmap = code_map
    if cmap is None:  # the national history of code changes, without a word from the user
        cmap = default_code_map(() if prev is None else prev.index, codes)
    prev_codes: list[str | None] = []
    matches: list[str] = []
    prev_index = set() if prev is None else {str(c) for c in prev.index}
    for c in codes:
        m = cmap.predecessor(c, prev_index)
        prev_codes.append(m[0])
        matches.append(m[1])
    out["prev_code"] = prev_codes
    out["match"] = matches
    nan = float("nan")
    if prev is None:
        for col in ("score_prev", "rank_prev", "position_prev", "change", "rank_change", "places"):
            out[col] = nan
        out["class_prev"] = None
        out["transition"] = "new"
        out["steps"] = 0
        return _order(out)
    p_codes = [str(c) for c in prev.index]
    p_score = prev["score_published"].to_numpy(float)
    p_class = prev["class"].astype(str).to_numpy()
    pos = {c: k for k, c in enumerate(p_codes)}
    cols: dict[str, list[object]] = {
        k: [] for k in ("score_prev", "class_prev", "rank_prev", "position_prev", "transition")
    }
    steps: list[int] = []
    for pc, kl in zip(prev_codes, klass, strict=True):
        if pc is None:
            for k in ("score_prev", "rank_prev", "position_prev"):
                cols[k].append(nan)
            cols["class_prev"].append(None)
            cols["transition"].append("new")
            steps.append(0)
            continue
        j = pos[pc]
        others = np.arange(len(p_codes)) != j
        cols["score_prev"].append(p_score[j])
        cols["class_prev"].append(p_class[j])
        cols["rank_prev"].append(_positions(np.array([p_score[j]]), p_score[others], ties)[0])
        members = others & (p_class == kl)
        cols["position_prev"].append(_positions(np.array([p_score[j]]), p_score[members], ties)[0])
        d = level.get(kl, 0) - level.get(p_class[j], 0)
        steps.append(d)
        cols["transition"].append("up" if d > 0 else "down" if d < 0 else "same")
    for col, values in cols.items():
        out[col] = pd.Series(
            values, index=out.index, dtype=object if col in ("class_prev", "transition") else float
        )
    out["steps"] = steps
    out["change"] = [
        (cents(s) - cents(p)) / 100 if not math.isnan(p) else nan
        for s, p in zip(out["score"], out["score_prev"], strict=True)
    ]
    out["rank_change"] = out["rank_prev"] - out["rank"]
    out["places"] = out["position_prev"] - out["class_rank"]
    return _order(out)


_COLUMNS = [
    "name",
    "city",
    "prev_code",
    "match",
    "class_prev",
    "class",
    "transition",
    "steps",
    "score_prev",
    "score",
    "change",
    "rank_prev",
    "rank",
    "rank_change",
    "position_prev",
    "class_rank",
    "places",
]


def _order(out: pd.DataFrame) -> pd.DataFrame:
    return out[_COLUMNS]


@dataclass(frozen=True)
class Comparison:
    """Two evaluations compared: the per-county table, the transition matrix and the exact score
    change splits (see the module docstring)."""

    prev: Run
    curr: Run
    table: pd.DataFrame
    matrix: pd.DataFrame
    splits: Mapping[str, ChangeSplit]

    @property
    def year(self) -> int:
        return self.curr.year

    def transitions(self) -> dict[str, int]:
        """Count of counties per transition kind (up / down / same / new)."""
        counts = self.table["transition"].value_counts()
        return {k: int(counts.get(k, 0)) for k in TRANSITIONS}


def transition_matrix(table: pd.DataFrame, labels: Sequence[str]) -> pd.DataFrame:
    """Counties by last year's class (rows) and this year's class (columns), matched counties only."""
    pos = {label: k for k, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=int)
    for a, b in zip(table["class_prev"], table["class"], strict=True):
        if a in pos and b in pos:
            counts[pos[a], pos[b]] += 1
    return pd.DataFrame(counts, index=pd.Index(list(labels)), columns=pd.Index(list(labels)))


def compare_runs(prev: Run, curr: Run, code_map: CodeMap | None = None) -> Comparison:
    """Compare two evaluations (usually consecutive years) of the same framework."""
    labels = [b.label for b in curr.framework.classes]
    if code_map is None:  # the national history between the two data years
        code_map = default_code_map(
            prev.results.index, curr.results.index, prev.data_year, curr.data_year
        )
    table = compare_results(prev.results, curr.results, labels, code_map)
    splits = {
        str(code): split_change(prev, curr, str(code), str(row["prev_code"]))
        for code, row in table.iterrows()
        if pd.notna(row["prev_code"])  # None becomes NaN in the ordered table
    }
    return Comparison(prev, curr, table, transition_matrix(table, labels), splits)


def previous_year(runs: Mapping[int, Run], year: int) -> Run:
    """The evaluation of ``year − 1`` from ``runs``; a clear error when it is missing."""
    if year not in runs or year - 1 not in runs:
        have = "、".join(str(y) for y in sorted(runs)) or "无"
        raise AnalysisError(
            f"比较 {year} 年度需要 {year - 1} 和 {year} 两个年度的评价结果（现有：{have}）。"
            "请检查数据是否包含这两个评价年度所用的数据年度。",
            f"Comparing {year} needs the {year - 1} and {year} evaluations (available: "
            f"{', '.join(str(y) for y in sorted(runs)) or 'none'}). Check that the data cover "
            "the data years they use.",
            f"--year {year}",
        )
    return runs[year - 1]
