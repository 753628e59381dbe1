"""recall@k, MRR and nDCG@k on hand-computed cases; feedback as labels."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cimon.matching.metrics import (
    Feedback,
    evaluate,
    feedback_labels,
    feedback_metrics,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
)

GRADES = {"a": 3, "b": 2, "c": 1, "d": 0}


def test_recall_at_k() -> None:
    assert recall_at_k(["x", "a", "y"], GRADES, k=2) == 0.5  # a of {a, b}
    assert recall_at_k(["b", "a"], GRADES, k=10) == 1.0
    assert recall_at_k(["a"], GRADES, k=10, threshold=1) == pytest.approx(1 / 3)
    assert recall_at_k(["a"], {"a": 0}, k=10) is None


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(["x", "c", "b"], GRADES) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "c"], GRADES) == 0.0
    assert reciprocal_rank(["x"], {"x": 1}) is None


def test_ndcg_by_hand() -> None:
    """Järvelin & Kekäläinen (2002) with gain 2^g − 1: ranking c, a, x against ideal a, b, c.
    DCG = 1/log2(2) + 7/log2(3) + 0; IDCG = 7/log2(2) + 3/log2(3) + 1/log2(4)."""
    dcg = 1 + 7 / math.log2(3)
    idcg = 7 + 3 / math.log2(3) + 1 / 2
    assert ndcg_at_k(["c", "a", "x"], GRADES, k=10) == pytest.approx(dcg / idcg)
    assert ndcg_at_k(["a", "b", "c"], GRADES, k=10) == pytest.approx(1.0)
    assert ndcg_at_k(["d", "x"], GRADES, k=10) == 0.0
    assert ndcg_at_k(["c", "a"], GRADES, k=1) == pytest.approx(1 / 7)
    assert ndcg_at_k(["a"], {"a": 0}) is None


def test_evaluate_averages_over_labelled_queries() -> None:
    labels = {"q1": {"a": 3}, "q2": {"b": 2}, "q3": {"c": 0}}
    got = evaluate({"q1": ["a"], "q2": ["x", "b"]}, labels, k=10)
    assert got["recall@10"] == 1.0
    assert got["mrr"] == pytest.approx((1 + 1 / 2) / 2)  # q3 has nothing relevant: left out
    assert 0 < got["ndcg@10"] < 1
    missing = evaluate({}, labels)
    assert missing["recall@10"] == 0 and missing["mrr"] == 0


def test_feedback_becomes_labels_and_metrics() -> None:
    fb = [
        Feedback("n1", "a", True),
        Feedback("n1", "b", False),
        Feedback("n2", "c", False),
        Feedback("n2", "c", True),  # the later verdict wins
        Feedback("n3", "d", False),
    ]
    assert feedback_labels(fb) == {"n1": {"a": 1, "b": 0}, "n2": {"c": 1}, "n3": {"d": 0}}
    got = feedback_metrics(fb, {"n1": ["b", "a"], "n2": ["c"], "n3": ["e"]}, k=10)
    assert got["judged"] == 4
    assert got["acceptance"] == 0.5
    assert got["mrr"] == pytest.approx((1 / 2 + 1) / 2)
    assert got["recall@10"] == 1.0
    assert got["rejected@10"] == 0.5  # b still shown for n1; d no longer shown for n3
    worse = feedback_metrics(fb, {"n1": ["b"], "n2": [], "n3": ["d"]}, k=10)
    assert worse["mrr"] == 0 and worse["rejected@10"] == 1.0


@given(
    st.dictionaries(st.sampled_from("abcdefghijkl"), st.integers(0, 3), min_size=1),
    st.permutations(list("abcdefghijkl")),
    st.integers(1, 12),
)
def test_metric_bounds_and_the_ideal_ranking(
    grades: dict[str, int], ranking: list[str], k: int
) -> None:
    """Every metric is in [0, 1]; ranking by grade is ideal (nDCG 1, MRR 1 when anything is
    relevant)."""
    for value in (
        ndcg_at_k(ranking, grades, k),
        recall_at_k(ranking, grades, k),
        reciprocal_rank(ranking, grades),
    ):
        assert value is None or 0 <= value <= 1 + 1e-12
    ideal = sorted(grades, key=lambda d: -grades[d])
    best = ndcg_at_k(ideal, grades, k)
    assert best is None or best == pytest.approx(1.0)
    rr = reciprocal_rank(ideal, grades)
    assert rr is None or rr == 1.0
