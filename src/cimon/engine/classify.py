"""Classify and rank (分类与排名).

Classes come from the framework's thresholds, inclusive at the lower bound (A ≥ 80, 60 ≤ B < 80,
C < 60 — seed 000 section 一: “80分(含)以上为A类，60分(含)-80分的为B类，60分以下的为C类”).

Scores are compared after rounding to the framework's published precision (``rounding``, default 2
decimals), so a county published as 80.00 is class A even when floating-point arithmetic gives
79.99999999, and two counties published with the same score share a rank.

Tie rule (default ``min``, “competition ranking”): tied counties share the best rank of the tie and
the next rank is skipped (1, 2, 2, 4). The other conventions (:data:`TIES`): ``max`` 1, 3, 3, 4;
``average`` 1, 2.5, 2.5, 4 (fractional ranks); ``dense`` 1, 2, 2, 3; ``first`` 1, 2, 3, 4 (in the
order of the regions). A region without a score (NaN) gets no rank (NaN) and is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, Param, Rule, register


def published(score: np.ndarray, rounding: int = 2) -> np.ndarray:
    """Scores at the published precision (``numpy.round``: scale by 10**rounding, round half to even, scale back — so 59.995 publishes as 60.00, unlike Python's ``round``)."""
    return np.round(np.asarray(score, float), rounding)


def class_index(score: np.ndarray, minimums: Sequence[float | None]) -> np.ndarray:
    """Index of the first band whose minimum the score reaches (the last band, without a minimum,
    takes the rest); any shape."""
    score = np.asarray(score, float)
    out = np.full(score.shape, len(minimums) - 1, dtype=np.int8)
    assigned = np.zeros(score.shape, bool)
    for b, lo in enumerate(minimums):
        if lo is None:
            continue
        hit = ~assigned & (score >= lo)
        out[hit] = b
        assigned |= hit
    return out


def classify(
    score: np.ndarray, minimums: Sequence[float | None], labels: Sequence[str]
) -> np.ndarray:
    """Label of the first band whose minimum the score reaches (the last band has no minimum)."""
    Thresholds.check_params({"minimums": minimums, "labels": labels})
    return np.asarray(list(labels), dtype=object)[class_index(score, minimums)]


#: tie conventions for ranks, with an example for the scores 9, 7, 7, 5
TIES: dict[str, str] = {
    "min": "1, 2, 2, 4",
    "max": "1, 3, 3, 4",
    "average": "1, 2.5, 2.5, 4",
    "dense": "1, 2, 2, 3",
    "first": "1, 2, 3, 4",
}


def rank_desc(score: np.ndarray, ties: str = "min") -> np.ndarray:
    """Rank 1 = highest score, ties by :data:`TIES` (``first``: in the order given). Integers,
    unless ``ties="average"`` or a score is NaN: then floats, NaN for a missing score (ranks
    count only the present scores)."""
    # imported here: scipy.stats costs about a second, and `import cimon` should not pay it
    from scipy.stats import rankdata

    if ties not in TIES:
        raise ValueError(f"ties must be one of {', '.join(TIES)}, not {ties!r}")
    s = np.asarray(score, float)
    method = "ordinal" if ties == "first" else ties
    ok = ~np.isnan(s)
    if ok.all():
        r = rankdata(-s, method=method)
        return r if ties == "average" else r.astype(int)
    out = np.full(s.shape, np.nan)
    out[ok] = rankdata(-s[ok], method=method)
    return out


def rank_within(score: np.ndarray, groups: Sequence[object], ties: str = "min") -> np.ndarray:
    """Rank within each group."""
    score = np.asarray(score, float)
    labels = np.asarray(list(groups), dtype=object)
    fractional = ties == "average" or bool(np.isnan(score).any())
    out = np.zeros(score.shape, float if fractional else int)
    for g in dict.fromkeys(labels.tolist()):
        m = labels == g
        out[m] = rank_desc(score[m], ties)
    return out


@register
@dataclass(frozen=True)
class Thresholds(Method):
    """thresholds: classes by fixed score thresholds; ranks with a tie rule."""

    stage: ClassVar[str] = "classify"
    name: ClassVar[str] = "thresholds"
    title_zh: ClassVar[str] = "按分数线分类（含下限）"
    function = staticmethod(classify)
    params = (
        Param(
            "minimums",
            "各类别的分数下限，从高到低（最后一类为 null）",
            "each class's minimum score, highest first (null for the last)",
            kind="numbers",
        ),
        Param("labels", "类别名称", "the class labels", kind="texts"),
        Param(
            "rounding",
            "公布分数的小数位数",
            "decimals of the published score",
            kind="integer",
            lo=0,
        ),
        Param(
            "ties",
            "并列名次：min（1、2、2、4）、max（1、3、3、4）、average（1、2.5、2.5、4）、"
            "dense（1、2、2、3）或 first（1、2、3、4）",
            "ties: min (1, 2, 2, 4), max (1, 3, 3, 4), average (1, 2.5, 2.5, 4), "
            "dense (1, 2, 2, 3) or first (1, 2, 3, 4)",
            kind="text",
            choices=tuple(TIES),
        ),
    )
    rules = (
        Rule(
            "labels",
            ("minimums", "labels"),
            lambda v: len(v["minimums"]) == len(v["labels"]),
            "个数应与下限个数相同（下限 {minimums}，类别 {labels}）",
            "must be as many as the minimums (minimums {minimums}, labels {labels})",
        ),
    )
    minimums: tuple[float | None, ...] = (80.0, 60.0, None)
    labels: tuple[str, ...] = ("A", "B", "C")
    rounding: int = 2
    ties: str = "min"

    def __post_init__(self) -> None:
        super().__post_init__()
        # the JSON log gives lists back; store tuples so a rebuilt method equals the original
        object.__setattr__(self, "minimums", tuple(self.minimums))
        object.__setattr__(self, "labels", tuple(self.labels))

    def apply(self, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(class labels, overall ranks) of the published scores."""
        s = published(score, self.rounding)
        return classify(s, self.minimums, self.labels), rank_desc(s, self.ties)
