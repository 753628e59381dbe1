"""Ranking quality from graded labels or from user feedback.

With graded relevance ``g(d) ∈ {0, 1, 2, 3}`` of document ``d`` for a query and a ranking
``d_1, d_2, …``:

* recall@k = |{relevant in the top k}| / |{relevant}|, relevant meaning ``g ≥ threshold``
  (default 2); a query without relevant documents is left out of the mean;
* MRR = mean over queries of 1 / (rank of the first relevant document), 0 when none is ranked;
* nDCG@k = DCG@k / IDCG@k with DCG@k = Σ_{i≤k} (2^{g(d_i)} − 1) / log2(i + 1) (Järvelin &
  Kekäläinen 2002, "Cumulated gain-based evaluation of IR techniques", ACM TOIS 20(4); the
  exponential gain of Burges et al. 2005); a query whose labels are all 0 is left out.

Unlabelled documents count as grade 0. Feedback (accepted / rejected recommendations) becomes
labels with :func:`feedback_labels` (accepted → 1, rejected → 0) and is measured by
:func:`feedback_metrics`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "Feedback",
    "evaluate",
    "feedback_labels",
    "feedback_metrics",
    "mrr",
    "ndcg_at_k",
    "recall_at_k",
]

Labels = Mapping[str, Mapping[str, int]]  # query → document → grade


def recall_at_k(
    ranking: Sequence[str], grades: Mapping[str, int], k: int = 10, threshold: int = 2
) -> float | None:
    """Share of the relevant documents found in the top ``k``; None without relevant ones."""
    relevant = {d for d, g in grades.items() if g >= threshold}
    if not relevant:
        return None
    return len(relevant & set(ranking[:k])) / len(relevant)


def reciprocal_rank(
    ranking: Sequence[str], grades: Mapping[str, int], threshold: int = 2
) -> float | None:
    """1 / rank of the first relevant document (0 when none is ranked); None without any."""
    if not any(g >= threshold for g in grades.values()):
        return None
    for i, d in enumerate(ranking, 1):
        if grades.get(d, 0) >= threshold:
            return 1.0 / i
    return 0.0


def ndcg_at_k(ranking: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float | None:
    """nDCG@k with exponential gain; None when every label is 0."""
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    if not ideal:
        return None
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    return dcg / idcg


def _mean(values: Iterable[float | None]) -> float:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else float("nan")


def mrr(rankings: Mapping[str, Sequence[str]], labels: Labels, threshold: int = 2) -> float:
    return _mean(reciprocal_rank(rankings.get(q, []), g, threshold) for q, g in labels.items())


def evaluate(
    rankings: Mapping[str, Sequence[str]], labels: Labels, k: int = 10, threshold: int = 2
) -> dict[str, float]:
    """Mean recall@k, MRR and nDCG@k over the labelled queries (a query the ranking lacks counts
    as an empty ranking)."""
    return {
        f"recall@{k}": _mean(
            recall_at_k(rankings.get(q, []), g, k, threshold) for q, g in labels.items()
        ),
        "mrr": mrr(rankings, labels, threshold),
        f"ndcg@{k}": _mean(ndcg_at_k(rankings.get(q, []), g, k) for q, g in labels.items()),
    }


@dataclass(frozen=True)
class Feedback:
    """A user's verdict on one recommendation: accepted (对接) or rejected."""

    need: str
    candidate: str
    accepted: bool


def feedback_labels(feedback: Iterable[Feedback]) -> dict[str, dict[str, int]]:
    """Feedback as labels: accepted → 1, rejected → 0 (the latest verdict on a pair wins)."""
    out: dict[str, dict[str, int]] = {}
    for f in feedback:
        out.setdefault(f.need, {})[f.candidate] = int(f.accepted)
    return out


def feedback_metrics(
    feedback: Iterable[Feedback], rankings: Mapping[str, Sequence[str]], k: int = 10
) -> dict[str, float]:
    """How a ranking fares against what users accepted and rejected.

    * ``acceptance``: accepted / judged pairs;
    * ``recall@k``, ``mrr``, ``ndcg@k``: :func:`evaluate` on :func:`feedback_labels` with
      threshold 1 (an accepted candidate is the relevant one);
    * ``rejected@k``: share of the judged-and-rejected pairs that the ranking still puts in its
      top ``k`` (lower is better).
    """
    labels = feedback_labels(feedback)
    judged = [g for grades in labels.values() for g in grades.values()]
    rejected = [(q, d) for q, grades in labels.items() for d, g in grades.items() if g == 0]
    still = sum(d in rankings.get(q, [])[:k] for q, d in rejected)
    return {
        "judged": float(len(judged)),
        "acceptance": sum(judged) / len(judged) if judged else float("nan"),
        **evaluate(rankings, labels, k, threshold=1),
        f"rejected@{k}": still / len(rejected) if rejected else float("nan"),
    }
