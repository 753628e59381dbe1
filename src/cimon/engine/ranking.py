"""Vectorised ranking within groups (one sort for all groups)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cimon.engine.classify import rank_within


def _rank_within(score: np.ndarray, groups: np.ndarray, ties: str = "min") -> np.ndarray:
    """:func:`cimon.engine.classify.rank_within` for many groups at once: the same ranks (tie rule
    ``min`` → 1, 2, 2, 4; ``dense`` → 1, 2, 2, 3) from one sort instead of one per group."""
    score = np.asarray(score, float)
    if np.isnan(score).any() or ties not in ("min", "dense"):
        return rank_within(score, list(groups), ties)
    g, _ = pd.factorize(np.asarray(groups, dtype=object))
    n = len(score)
    if n == 0:
        return np.zeros(0, int)
    order = np.lexsort((-score, g))
    gs, ss = g[order], score[order]
    new_group = np.r_[True, gs[1:] != gs[:-1]]
    new_value = new_group | np.r_[True, ss[1:] != ss[:-1]]
    pos = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
    if ties == "min":
        r = np.maximum.accumulate(np.where(new_value, pos, 0)) - group_start + 1
    else:
        distinct = np.cumsum(new_value)
        r = distinct - distinct[group_start] + 1
    out = np.empty(n, int)
    out[order] = r
    return out
