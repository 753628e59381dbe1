"""The fast path for ranking many needs: the engine's scores without a dense array per scorer.

:meth:`cimon.matching.engine.Engine.scores` builds one needs × candidates array per scorer and
adds them (what :func:`~cimon.matching.engine.rank` needs for the explanations). Ranking many
needs for their top ``k`` only (:func:`~cimon.matching.engine.top_ids`) computes the same score

    score(need, c) = w_text · text(need, c) + Σ_s w_s · f_s(need, c)

in fewer passes over the needs × candidates array:

* **text**: the BM25 weights (sparse candidates × terms, CSR) times the needs' term counts (dense
  terms × needs), transposed in cache-sized blocks (:func:`bm25_rows`; sparse × sparse when the
  vocabulary is large), divided by each need's best and multiplied by ``w_text`` in place;
* **the other scorers** (field, region, maturity) read only a candidate's discipline, region and
  TRL: candidates with the same three share a *group* (at most a few thousand; 1,540 in the
  benchmark's 100,000), each scorer scores the needs against the groups (a needs × groups array)
  and their weighted sum is spread to the candidates by one gather;
* **top k**: ``argpartition`` per batch, then the ``k`` sorted best first; equal scores go by
  candidate order, also when more candidates share the ``k``-th score than fit (the engine's
  reference path leaves that choice to ``argpartition``). A candidate that shares no term with the need and whose field does not match
  is never returned (as in the engine); instead of masking the whole array, only the ``k``
  selected are checked, and a need whose selection holds such a candidate is ranked again with
  the mask (masking only lowers scores, so a selection without one is already right).

The sums run in another order than the engine's (float32), so two scores that differ by about
1e-7 may swap; ``tests/matching/test_topk.py`` checks the rankings against the engine's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from cimon.matching.index import Index, region_ints
from cimon.matching.records import Need
from cimon.matching.scorers import Batch

__all__ = [
    "DENSE_QUERY",
    "GROUP_SCORERS",
    "bm25_rows",
    "candidate_groups",
    "fast_top_rows",
    "select_top",
]

#: the scorers that read only a candidate's discipline, region and TRL (so score by group)
GROUP_SCORERS = frozenset({"field", "region", "maturity"})


def candidate_groups(index: Index) -> tuple[np.ndarray, np.ndarray]:
    """Candidates with the same discipline, region and TRL: the first candidate of each group
    and, per candidate, its group's position (``rep[inverse] `` has the same three values)."""
    if index.groups is None:
        trl = np.where(np.isnan(index.trl), -1.0, index.trl)
        keys = np.stack(
            [
                index.discipline_inverse.astype(np.float64),
                index.region_inverse.astype(np.float64),
                trl,
            ],
            axis=1,
        )
        if len(keys) == 0:
            index.groups = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        else:
            _, rep, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
            index.groups = (rep.astype(np.int64), inverse.ravel().astype(np.int64))
    return index.groups


def _group_index(index: Index, rep: np.ndarray) -> Index:
    """An index whose candidates are the groups' first candidates (for the group scorers)."""
    return dataclasses.replace(
        index,
        ids=[index.ids[i] for i in rep],
        tokens=[],
        disciplines=index.disciplines[rep],
        discipline_inverse=index.discipline_inverse[rep],
        regions=index.regions[rep],
        region_inverse=index.region_inverse[rep],
        trl=index.trl[rep],
        groups=None,
        weights_csr=None,
    )


def fast_top_rows(
    needs: Sequence[Need],
    index: Index,
    weights: dict[str, float],
    scorers: dict[str, object],
    k: int,
    tokens: Sequence[Sequence[str]],
) -> list[np.ndarray]:
    """Per need, the positions of its ``k`` best candidates, best first, never a candidate
    unrelated to the need (see the module docstring). ``weights`` must name only ``text`` and
    :data:`GROUP_SCORERS`; ``scorers`` maps each name to its scorer."""
    n = len(index)
    k = min(k, n)
    if k <= 0 or not needs:
        return [np.zeros(0, dtype=np.int64) for _ in needs]
    batch = Batch(
        tokens=tokens,
        industries=[x.industry for x in needs],
        counties=region_ints([x.county for x in needs]),
    )
    rep, inverse = candidate_groups(index)
    groups = _group_index(index, rep)
    small = np.zeros((len(needs), len(rep)), dtype=np.float32)
    field_ok = np.zeros(small.shape, dtype=bool)
    for name, w in weights.items():
        if name == "text":
            continue
        part = scorers[name].score(batch, groups)  # type: ignore[attr-defined]
        small += np.float32(w) * part
        if name == "field":
            field_ok |= part > 0
    total = np.take(small, inverse, axis=1)
    raw = None
    if "text" in weights:
        raw = bm25_rows(index, tokens)
        top = raw.max(axis=1)
        scale = np.divide(1, top, out=np.zeros_like(top), where=top > 0)
        raw *= scale[:, None]
        raw *= np.float32(weights["text"])
        total += raw
    out = select_top(total, k)
    if raw is None:
        return out
    for r, sel in enumerate(out):
        bad = (raw[r, sel] == 0) & ~field_ok[r, inverse[sel]]
        if bad.any():  # rank this need again with the unrelated candidates left out
            row = total[r].copy()
            row[(raw[r] == 0) & ~field_ok[r, inverse]] = -1
            out[r] = select_top(row[None, :], k)[0]
    return out


#: the most elements of the dense terms × needs query array (else the sparse × sparse product)
DENSE_QUERY = 1 << 24
#: candidates transposed at a time (a block of 256 × 256 float32 stays in the cache)
_BLOCK = 256


def bm25_rows(index: Index, tokens: Sequence[Sequence[str]]) -> np.ndarray:
    """Raw BM25, needs × candidates (float32), equal to :meth:`Index.bm25`.

    The candidates × terms weights (CSR) times the dense terms × needs counts gives candidates ×
    needs with one pass over the weights (each candidate's row of the result stays in the
    cache), then a blocked transpose. When the vocabulary × needs array would be large
    (> :data:`DENSE_QUERY` elements), the needs' sparse counts times the transposed weights
    (sparse × sparse) instead.
    """
    q = index.query_matrix(tokens)
    n_terms = q.shape[1]
    if n_terms * len(tokens) > DENSE_QUERY:
        return np.asarray((q @ index.weights_csc.T).toarray(), dtype=np.float32)
    if index.weights_csr is None:
        index.weights_csr = index.weights_csc.tocsr()
    by_candidate = index.weights_csr @ q.T.toarray()  # candidates × needs
    n = by_candidate.shape[0]
    out = np.empty((len(tokens), n), dtype=np.float32)
    for s in range(0, n, _BLOCK):
        out[:, s : s + _BLOCK] = by_candidate[s : s + _BLOCK].T
    return out


def select_top(total: np.ndarray, k: int) -> list[np.ndarray]:
    """Per row, the ``k`` best positions, best first, scores < 0 left out. Equal scores go by
    position, also at the ``k``-th place (``argpartition`` alone would pick any of them)."""
    n = total.shape[1]
    if k < n:
        part = np.argpartition(total, n - k, axis=1)[:, n - k :]
        vals = np.take_along_axis(total, part, axis=1)
        kth = vals.min(axis=1, keepdims=True)
        tied = np.count_nonzero(total == kth, axis=1) > np.count_nonzero(vals == kth, axis=1)
        for r in np.flatnonzero(tied):  # more candidates share the k-th score than fit
            above = part[r][vals[r] > kth[r, 0]]
            ties = np.flatnonzero(total[r] == kth[r, 0])[: k - len(above)]
            part[r] = np.concatenate([above, ties])
            vals[r] = total[r, part[r]]
    else:
        part = np.tile(np.arange(n), (len(total), 1))
        vals = total.copy()
    order = np.lexsort((part, -vals), axis=-1)
    best = np.take_along_axis(part, order, axis=1)
    keep = np.take_along_axis(vals, order, axis=1) >= 0
    return [row[m] for row, m in zip(best, keep, strict=True)]
