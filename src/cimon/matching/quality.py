"""The engine's quality as users judged it (issue #18): from verdicts on stored recommendations
(accepted, or rejected with a reason), each with the rank the engine gave it. Pure.

* ``precision@k``: of the judged recommendations ranked within the top ``k``, the share accepted
  (all needs pooled);
* ``mrr``: per need with at least one verdict, 1 / the rank of its best-ranked accepted
  recommendation (0 when none was accepted), averaged over those needs;
* ``acceptance``: accepted / judged, whatever the rank.

The latest verdict on a pair counts. Only judged pairs count: an unjudged recommendation is
neither good nor bad, so these figures describe what users looked at, not the whole ranking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Judgement", "Quality", "feedback_quality"]


@dataclass(frozen=True)
class Judgement:
    """A verdict on one recommendation: need, candidate, the engine's rank, accepted or not."""

    need: str
    candidate: str
    rank: int
    accepted: bool


@dataclass(frozen=True)
class Quality:
    k: int
    needs: int
    judged: int
    accepted: int
    judged_top_k: int
    precision_at_k: float | None
    mrr: float | None

    @property
    def acceptance(self) -> float | None:
        return self.accepted / self.judged if self.judged else None

    def lines(self, lang: str = "zh") -> list[str]:
        def f(x: float | None) -> str:
            return "—" if x is None else f"{x:.3f}"

        if lang == "en":
            return [
                f"needs with feedback: {self.needs}; judged: {self.judged}; accepted: {self.accepted}"
                f" (acceptance {f(self.acceptance)})",
                f"precision@{self.k}: {f(self.precision_at_k)} (of {self.judged_top_k} judged in the top {self.k})",
                f"MRR: {f(self.mrr)}",
            ]
        return [
            f"有反馈的需求：{self.needs}；已评价：{self.judged}；采纳：{self.accepted}（采纳率 {f(self.acceptance)}）",
            f"前 {self.k} 名精确率（precision@{self.k}）：{f(self.precision_at_k)}（前 {self.k} 名中已评价 {self.judged_top_k} 项）",
            f"平均倒数排名（MRR）：{f(self.mrr)}",
        ]


def feedback_quality(judgements: Iterable[Judgement], k: int = 10) -> Quality:
    """:class:`Quality` of the verdicts (the last one on a pair wins)."""
    latest: dict[tuple[str, str], Judgement] = {}
    for j in judgements:
        latest[(j.need, j.candidate)] = j
    pairs = list(latest.values())
    top = [j for j in pairs if j.rank <= k]
    by_need: dict[str, list[Judgement]] = {}
    for j in pairs:
        by_need.setdefault(j.need, []).append(j)
    rr = [max((1.0 / j.rank for j in js if j.accepted), default=0.0) for js in by_need.values()]
    return Quality(
        k=k,
        needs=len(by_need),
        judged=len(pairs),
        accepted=sum(j.accepted for j in pairs),
        judged_top_k=len(top),
        precision_at_k=sum(j.accepted for j in top) / len(top) if top else None,
        mrr=sum(rr) / len(rr) if rr else None,
    )
