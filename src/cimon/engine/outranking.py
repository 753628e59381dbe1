"""Non-compensatory aggregation from social choice: Borda and Condorcet (Copeland).

Both look only at the order of the regions on each indicator, not at how far apart they are, so a
large lead on one indicator cannot buy back a loss on another beyond what its weight says. Both
are relative methods: a region's score depends on the other regions of the year.

Each returns a score on the scale of ``Σw`` (``Σw · s`` with ``s`` in [0, 1]), so it plugs into the
pipeline like any aggregation; its ranks are what matter.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*,
chapter 6 (weighting and aggregation), the discussion of non-compensatory multi-criteria
aggregation and of the Borda and Condorcet rules from social choice theory.
Munda, G. & Nardo, M. (2009). Noncompensatory/nonlinear composite indicators for ranking
countries: a defensible setting. *Applied Economics* 41(12):1513–1523.
Copeland, A. H. (1951). A "reasonable" social welfare function. Seminar on applications of
mathematics to the social sciences, University of Michigan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.aggregate import Aggregation, missing_rule
from cimon.engine.base import register

__all__ = ["Borda", "Copeland", "borda", "copeland", "outranking_matrix"]


def borda(
    z: np.ndarray, w: np.ndarray, missing: str = "skip", min_share: float = 0.0
) -> np.ndarray:
    """Weighted Borda count, on the scale of Σw.

    On each indicator j a region earns one point per region it beats and half a point per tie:
    ``b_ij = Σ_k [z_ij > z_kj] + ½ Σ_{k≠i} [z_ij = z_kj]``, i.e. its ascending rank − 1 with ties
    averaged. Scaled to [0, 1] by the ``n_j − 1`` other regions present on j, weighted:

    .. math::

        y_i = \\sum_j w_j \\cdot \\frac{\\sum_{j \\in P_i} w_j \\, b_{ij} / (n_j - 1)}{\\sum_{j \\in P_i} w_j}

    Missing values: a region missing on j is left out of j's comparisons (``n_j`` counts the present
    regions) and j's weight is re-normalised over its present indicators (``missing="skip"``), or
    the value counts as 0 (``zero``). A region with nothing present gets NaN; an indicator with one
    region present gives it ½.
    """
    # imported here: scipy.stats costs about a second, and `import cimon` should not pay it
    from scipy.stats import rankdata

    z, w, short = missing_rule(z, w, missing, min_share, "aggregate.borda")
    present = ~np.isnan(z)
    frac = np.full(z.shape, 0.5)
    for j in range(z.shape[1]):
        ok = present[:, j]
        nj = int(ok.sum())
        if nj > 1:
            frac[ok, j] = (rankdata(z[ok, j], method="average") - 1.0) / (nj - 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        den = present @ w
        num = np.where(present, frac, 0.0) @ w
        out = w.sum() * num / den
    return np.where((den > 0) & ~short, out, np.nan)


def outranking_matrix(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``e_ik``: the share of the weight of the indicators on which region i beats region k (ties
    count half), over the indicators present for both; NaN when they share none. ``e_ik + e_ki
    = 1``. The outranking matrix of Munda & Nardo (2009). One indicator at a time (memory n²)."""
    z = np.asarray(z, float)
    w = np.asarray(w, float)
    n = z.shape[0]
    num = np.zeros((n, n))
    den = np.zeros((n, n))
    for j in range(z.shape[1]):
        a, b = z[:, j, None], z[None, :, j]
        both = ~np.isnan(a) & ~np.isnan(b)
        with np.errstate(invalid="ignore"):
            num += w[j] * np.where(both, (a > b) + 0.5 * (a == b), 0.0)
        den += w[j] * both
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def copeland(
    z: np.ndarray, w: np.ndarray, missing: str = "skip", min_share: float = 0.0
) -> np.ndarray:
    """Copeland's Condorcet-consistent score, on the scale of Σw.

    With the outranking matrix ``e`` (:func:`outranking_matrix`), region i wins against k when
    ``e_ik > ½`` and loses when ``e_ik < ½`` (a weighted majority of the indicators); the Copeland
    score ``c_i = #wins − #losses`` lies in [−m, m] over the ``m`` other regions i can be compared
    with, and is scaled to ``Σw · (c_i + m) / (2m)`` (½·Σw when there is no one to compare
    with). A Condorcet winner (beats every other region) scores Σw, a Condorcet loser 0.

    Missing values: pairs are compared over the indicators present for both (``skip``) or with
    missing values as 0 (``zero``); a region with nothing present gets NaN.
    """
    z, w, short = missing_rule(z, w, missing, min_share, "aggregate.copeland")
    present = ~np.isnan(z)
    e = outranking_matrix(z, w)
    np.fill_diagonal(e, np.nan)
    comparable = ~np.isnan(e)
    with np.errstate(invalid="ignore"):
        c = (comparable & (e > 0.5)).sum(axis=1) - (comparable & (e < 0.5)).sum(axis=1)
    m = comparable.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(m > 0, (c + m) / (2.0 * np.maximum(m, 1)), 0.5)
    return np.where(present.any(axis=1) & ~short, w.sum() * s, np.nan)


@register
@dataclass(frozen=True)
class Borda(Aggregation):
    """borda: weighted Borda count (regions beaten per indicator) × Σw."""

    name: ClassVar[str] = "borda"
    title_zh: ClassVar[str] = "博尔达计数（按各指标胜出的单位数，非补偿）"
    function = staticmethod(borda)

    def apply(self, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        return borda(z, w, self.missing, self.min_share)


@register
@dataclass(frozen=True)
class Copeland(Aggregation):
    """copeland: Condorcet pairwise majorities, Copeland score (wins − losses) × Σw."""

    name: ClassVar[str] = "copeland"
    title_zh: ClassVar[str] = "孔多塞两两比较（Copeland 得分，非补偿）"
    function = staticmethod(copeland)

    def apply(self, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        return copeland(z, w, self.missing, self.min_share)
