"""The candidate index: tokens, BM25 weights and the feature columns, built once per candidate set.

BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and Beyond",
Foundations and Trends in IR 3(4)) gives term ``t`` of document ``d`` the weight

    w(t, d) = idf(t) · tf(t, d)·(k1 + 1) / (tf(t, d) + k1·(1 − b + b·|d|/avgdl)),
    idf(t)  = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))

(the non-negative idf of Lucene). The weights are computed once into a sparse matrix (documents ×
terms, ``scipy.sparse``), so scoring a need is a sum of a few columns and scoring many needs is one
sparse product: the same formula as ``rank_bm25``'s ``BM25Okapi`` with Lucene's idf, without a
Python loop over documents. The query's own term counts multiply the columns (a term the need
says twice counts twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Protocol

import numpy as np
import pandas as pd
import scipy.sparse as sp

from cimon.matching.segment import tokenize
from cimon.matching.taxonomy import discipline_code

__all__ = ["Candidate", "Index", "bm25_weights", "build_index", "region_ints"]


class Candidate(Protocol):
    """What the index reads of an achievement or talent profile."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def discipline(self) -> str: ...
    @property
    def region(self) -> str: ...


def bm25_weights(tf: sp.csr_matrix, k1: float = 1.2, b: float = 0.75) -> sp.csr_matrix:
    """BM25 weights of a documents × terms matrix of term counts (see the module docstring).

    Parameters
    ----------
    tf : counts, one row per document; an empty document has an all-zero row (and keeps it).
    k1, b : term-frequency saturation (> 0) and length normalisation (0–1).
    """
    if k1 <= 0 or not 0 <= b <= 1:
        raise ValueError(f"BM25 needs k1 > 0 and 0 <= b <= 1 (got k1={k1}, b={b})")
    tf = sp.csr_matrix(tf, dtype=np.float32)
    n = tf.shape[0]
    lengths = np.asarray(tf.sum(axis=1)).ravel()
    avgdl = float(lengths.mean()) if n and lengths.mean() > 0 else 1.0
    df = np.bincount(tf.indices, minlength=tf.shape[1]).astype(np.float64)
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = (k1 * (1 - b + b * lengths / avgdl)).astype(np.float32)
    rows = np.repeat(np.arange(n), np.diff(tf.indptr))
    data = tf.data
    weights = idf[tf.indices] * data * (k1 + 1) / (data + norm[rows])
    return sp.csr_matrix((weights.astype(np.float32), tf.indices, tf.indptr), shape=tf.shape)


def region_ints(codes: Sequence[str]) -> np.ndarray:
    """GB/T 2260 codes as integers (0 for a missing or malformed code)."""
    out = np.zeros(len(codes), dtype=np.int64)
    for i, c in enumerate(codes):
        text = str(c or "").strip()
        if len(text) == 6 and text.isdigit():
            out[i] = int(text)
    return out


@dataclass
class Index:
    """Everything scoring needs about a candidate set (learned from it: built, not configured)."""

    ids: list[str]
    vocab: dict[str, int]
    weights_csc: sp.csc_matrix  # documents × terms, BM25 weights (a need uses a few columns)
    tokens: list[frozenset[str]]  # for explanations
    idf: np.ndarray
    disciplines: np.ndarray  # first-level discipline code per candidate ("" unknown)
    discipline_codes: list[str]  # the distinct codes
    discipline_inverse: np.ndarray  # per candidate, the position of its code in discipline_codes
    regions: np.ndarray  # int region code per candidate (0 unknown)
    region_codes: np.ndarray  # the distinct ones
    region_inverse: np.ndarray  # per candidate, the position of its code in region_codes
    trl: np.ndarray  # float, NaN unknown
    k1: float
    b: float
    #: candidates with equal discipline, region and TRL (:func:`cimon.matching.topk.candidate_groups`)
    groups: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)
    #: the weights as CSR (candidates × terms), made on first use by the fast path
    weights_csr: sp.csr_matrix | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    def query_matrix(self, token_lists: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Needs × terms counts of the tokens the index knows (others cannot score)."""
        rows, cols = [], []
        for r, toks in enumerate(token_lists):
            for t in toks:
                c = self.vocab.get(t)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
        data = np.ones(len(rows), dtype=np.float32)
        q = sp.csr_matrix((data, (rows, cols)), shape=(len(token_lists), len(self.vocab)))
        q.sum_duplicates()
        return q

    def bm25(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """Raw BM25 scores, needs × candidates (dense float32)."""
        q = self.query_matrix(token_lists)
        if len(token_lists) == 1:
            cols = q.indices
            if len(cols) == 0:
                return np.zeros((1, len(self)), dtype=np.float32)
            sub = self.weights_csc[:, cols] @ q.data.astype(np.float32)
            return np.asarray(sub, dtype=np.float32).reshape(1, -1)
        # only the terms these needs use: sparse documents × used terms times dense used terms ×
        # needs gives a dense result without a sparse intermediate
        used = np.unique(q.indices)
        dense = np.asarray(q[:, used].T.toarray(), dtype=np.float32)
        return np.ascontiguousarray((self.weights_csc[:, used] @ dense).T, dtype=np.float32)


def build_index(candidates: Sequence[Candidate], k1: float = 1.2, b: float = 0.75) -> Index:
    """Segment every candidate's text and build the BM25 weights and feature columns.

    The term ids are the tokens' order of first appearance (``pandas.factorize`` over all
    tokens at once, no Python loop per token); the counts matrix is made in one go from the
    ids and each candidate's token count."""
    token_lists = [tokenize(cand.text) for cand in candidates]
    n = len(token_lists)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    flat = list(chain.from_iterable(token_lists))
    if flat:
        codes, uniques = pd.factorize(np.array(flat, dtype=object))
        vocab = {str(t): i for i, t in enumerate(uniques)}
    else:
        codes, vocab = np.zeros(0, dtype=np.int64), {}
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    tf = sp.csr_matrix(
        (np.ones(len(codes), dtype=np.float32), codes.astype(np.int32), indptr),
        shape=(n, len(vocab)),
    )
    tf.sum_duplicates()
    tokens = [frozenset(t) for t in token_lists]
    del flat, token_lists
    weights = bm25_weights(tf, k1, b)
    df = np.bincount(tf.indices, minlength=len(vocab)).astype(np.float64)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    trl = np.array([float(getattr(c, "trl", None) or np.nan) for c in candidates], dtype=np.float64)
    memo: dict[str, str] = {}
    disciplines = np.array([_memo(memo, c.discipline) for c in candidates], dtype=object)
    codes_d, inverse = np.unique(disciplines.astype(str), return_inverse=True)
    regions = region_ints([c.region for c in candidates])
    region_codes, region_inverse = np.unique(regions, return_inverse=True)
    return Index(
        ids=[c.id for c in candidates],
        vocab=vocab,
        weights_csc=weights.tocsc(),
        tokens=tokens,
        idf=idf,
        disciplines=disciplines,
        discipline_codes=[str(c) for c in codes_d],
        discipline_inverse=inverse.ravel(),
        regions=regions,
        region_codes=region_codes,
        region_inverse=region_inverse.ravel(),
        trl=trl,
        k1=k1,
        b=b,
    )


def _memo(memo: dict[str, str], discipline: str) -> str:
    """:func:`discipline_code` of ``discipline``, each distinct text looked up once."""
    got = memo.get(discipline)
    if got is None:
        got = memo[discipline] = discipline_code(discipline) or ""
    return got
