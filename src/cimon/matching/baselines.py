"""The baselines the engine must beat on the labelled set: random order and plain keyword overlap.

* ``random_rankings``: each need's candidates in a random order (``numpy`` generator, ``seed``);
* ``keyword_rankings``: candidates by the number of distinct tokens they share with the need
  (same segmentation as the engine, no term weighting, no field, region or maturity), ties by
  candidate order; candidates sharing nothing are not ranked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cimon.matching.index import Index
from cimon.matching.records import Need
from cimon.matching.segment import tokenize

__all__ = ["keyword_rankings", "random_rankings"]


def random_rankings(
    needs: Sequence[Need], index: Index, k: int = 10, seed: int = 0
) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [[index.ids[i] for i in rng.permutation(len(index))[:k]] for _ in needs]


def keyword_rankings(needs: Sequence[Need], index: Index, k: int = 10) -> list[list[str]]:
    out = []
    for need in needs:
        toks = set(tokenize(need.text))
        counts = np.array([len(toks & t) for t in index.tokens])
        order = np.lexsort((np.arange(len(counts)), -counts))[:k]
        out.append([index.ids[i] for i in order if counts[i] > 0])
    return out
