"""The engine's quality from verdicts (#18): precision@k among judged top-k, MRR, acceptance."""

from __future__ import annotations

from cimon.matching.quality import Judgement, feedback_quality


def test_figures() -> None:
    js = [
        Judgement("n1", "a", 1, False),
        Judgement("n1", "b", 3, True),
        Judgement("n1", "c", 12, True),  # outside the top 10
        Judgement("n2", "d", 2, False),
        Judgement("n2", "d", 2, True),  # latest wins
        Judgement("n3", "e", 1, False),
    ]
    q = feedback_quality(js, k=10)
    assert (q.needs, q.judged, q.accepted, q.judged_top_k) == (3, 5, 3, 4)
    assert q.precision_at_k == 2 / 4
    assert q.mrr == (1 / 3 + 1 / 2 + 0) / 3
    assert q.acceptance == 3 / 5


def test_nothing_judged() -> None:
    q = feedback_quality([], k=5)
    assert q.precision_at_k is None and q.mrr is None and q.acceptance is None
    assert "—" in q.lines("en")[1]
