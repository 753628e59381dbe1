"""The fast ranking path equals the engine's reference path; groups, BM25 rows and top k."""

from __future__ import annotations

import numpy as np
import pytest

from cimon.errors import MethodError
from cimon.matching import Achievement, Engine, Need, top_ids, topk
from cimon.matching.evalset import load_evalset
from cimon.matching.segment import tokenize
from cimon.matching.topk import bm25_rows, candidate_groups, select_top


def _catalogue() -> tuple[list[Achievement], list[Need]]:
    es = load_evalset()
    return list(es.achievements), list(es.needs)


@pytest.mark.parametrize(
    "weights",
    [
        None,
        {"text": 1.0},
        {"text": 0.5, "region": 0.5},
        {"field": 0.6, "region": 0.2, "maturity": 0.2},
    ],
)
def test_the_fast_path_ranks_like_the_reference(weights: dict[str, float] | None) -> None:
    achs, needs = _catalogue()
    engine = Engine(weights=weights) if weights else Engine()
    index = engine.index(achs)
    for k in (1, 10, len(achs) + 5):
        fast = top_ids(needs, index, engine, k)
        ref = top_ids(needs, index, engine, k, fast=False)
        assert fast == ref, (weights, k)


def test_the_fast_path_with_small_batches_and_the_sparse_product(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    achs, needs = _catalogue()
    engine = Engine()
    index = engine.index(achs)
    ref = top_ids(needs, index, engine, 10, fast=False)
    monkeypatch.setattr("cimon.matching.engine.FAST_BATCH", 7)
    monkeypatch.setattr(topk, "DENSE_QUERY", 0)  # always sparse × sparse
    assert top_ids(needs, index, engine, 10) == ref


def test_unrelated_candidates_are_never_returned_by_the_fast_path() -> None:
    """The photovoltaic robot shares no term with the vegetable need and its discipline does
    not serve 农业: even asking for every candidate, it is left out (as in the engine)."""
    achs = [
        Achievement("a1", "冷凉蔬菜真空预冷技术", "采后预冷。", "550", 8, region="640402"),
        Achievement("a3", "光伏组件智能清洗机器人", "荒漠光伏组件无水清洗。", "470", 9,
                    region="640402"),
    ]  # fmt: skip
    need = Need("n", "菜心采后预冷", "冷凉蔬菜", "01", county="640402")
    engine = Engine()
    index = engine.index(achs)
    assert top_ids([need], index, engine, 5) == [["a1"]]
    assert top_ids([Need("e", "", "")], index, engine, 5) == [[]]


def test_bm25_rows_equal_the_index_product(monkeypatch: pytest.MonkeyPatch) -> None:
    achs, needs = _catalogue()
    index = Engine().index(achs)
    toks = [tokenize(n.text) for n in needs] + [[], ["没有的词"]]
    want = index.bm25(toks)
    assert np.array_equal(bm25_rows(index, toks), want)
    monkeypatch.setattr(topk, "DENSE_QUERY", 0)
    assert np.array_equal(bm25_rows(index, toks), want)


def test_candidate_groups_share_discipline_region_and_trl() -> None:
    achs = [
        Achievement("a", "甲", discipline="210", trl=5, region="640104"),
        Achievement("b", "乙", discipline="21030", trl=5, region="640104"),  # same first level
        Achievement("c", "丙", discipline="210", trl=None, region="640104"),
        Achievement("d", "丁", discipline="210", trl=5, region="640105"),
        Achievement("e", "戊", discipline="", trl=None, region=""),
        Achievement("f", "己", discipline="", trl=None, region=""),
    ]
    index = Engine().index(achs)
    rep, inverse = candidate_groups(index)
    assert len(rep) == 4 and inverse[0] == inverse[1] and inverse[4] == inverse[5]
    assert len({inverse[0], inverse[2], inverse[3], inverse[4]}) == 4
    for col in (index.discipline_inverse, index.region_inverse):
        assert np.array_equal(col[rep][inverse], col)
    assert np.array_equal(index.trl[rep][inverse], index.trl, equal_nan=True)
    assert candidate_groups(index) is index.groups  # computed once


def test_select_top_breaks_ties_by_position_also_at_the_kth_place() -> None:
    total = np.array(
        [[0.5, 1.0, 0.5, 0.5, -1.0], [0.2, 0.2, 0.2, 0.2, 0.9], [-1.0, -1.0, 0.3, -1.0, -1.0]],
        dtype=np.float32,
    )
    got = select_top(total, 2)
    assert [list(r) for r in got] == [[1, 0], [4, 0], [2]]
    assert [list(r) for r in select_top(total, 5)] == [[1, 0, 2, 3], [4, 0, 1, 2, 3], [2]]


def test_the_fast_path_checks_the_bm25_parameters() -> None:
    achs, needs = _catalogue()
    index = Engine().index(achs)
    other = Engine(scorers={"text": {"k1": 2.0}})
    with pytest.raises(MethodError):
        top_ids(needs, index, other)
