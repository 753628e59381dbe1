"""BM25 weights against the formula computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from cimon.matching.index import bm25_weights, region_ints


def test_bm25_weights_by_hand() -> None:
    """Robertson & Zaragoza (2009), the BM25 term weight with Lucene's non-negative idf. Counts
    [[1, 1, 0], [0, 1, 0], [2, 0, 1]]: document lengths 2, 1, 3 (avgdl 2), document
    frequencies 2, 2, 1."""
    tf = sp.csr_matrix(np.array([[1, 1, 0], [0, 1, 0], [2, 0, 1]], dtype=float))
    w = bm25_weights(tf, k1=1.2, b=0.75).toarray()
    n, avgdl = 3, 2.0

    def expect(f: float, dl: float, df: int) -> float:
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return idf * f * 2.2 / (f + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl))

    assert w[0, 0] == pytest.approx(expect(1, 2, 2), rel=1e-6)
    assert w[2, 0] == pytest.approx(expect(2, 3, 2), rel=1e-6)
    assert w[1, 1] == pytest.approx(expect(1, 1, 2), rel=1e-6)
    assert w[2, 2] == pytest.approx(expect(1, 3, 1), rel=1e-6)
    assert w[1, 0] == 0 and w[1, 2] == 0
    # a rarer term weighs more; a longer document weighs a term less
    assert w[2, 2] > expect(1, 3, 2)
    assert w[1, 1] > w[0, 1]


def test_bm25_rejects_bad_parameters() -> None:
    tf = sp.csr_matrix(np.ones((2, 2)))
    with pytest.raises(ValueError):
        bm25_weights(tf, k1=0)
    with pytest.raises(ValueError):
        bm25_weights(tf, b=1.5)


def test_region_ints() -> None:
    assert list(region_ints(["640521", "", "6405", None, "abcdef"])) == [640521, 0, 0, 0, 0]  # type: ignore[list-item]


def test_one_need_and_a_batch_score_alike() -> None:
    """The single-need path (a few columns) and the batched path (a sparse × dense product)
    give the same BM25 scores."""
    from cimon.matching.evalset import load_evalset
    from cimon.matching.index import build_index
    from cimon.matching.segment import tokenize

    es = load_evalset()
    index = build_index(es.achievements)
    toks = [tokenize(n.text) for n in es.needs[:7]] + [[]]
    batch = index.bm25(toks)
    assert batch.shape == (8, len(es.achievements))
    for r, t in enumerate(toks):
        np.testing.assert_allclose(batch[r], index.bm25([t])[0], rtol=1e-6)
    assert not batch[-1].any() and batch[0].max() > 0
