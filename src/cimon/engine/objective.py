"""Data-driven ("objective") weights: entropy, CRITIC and the first principal component.

Pure functions on a regions × indicators matrix; each returns weights summing to 1 (as the
literature reports them). They skip missing values (NaN) column by column or pair by pair; a column
without information (constant, or fewer than two present values) gets weight 0, and when no column
has any information every indicator gets the same weight. The registered classes that scale them to
the framework's total are in :mod:`cimon.engine.weight`.
"""

from __future__ import annotations

import numpy as np

from cimon.engine.params import Param, check

__all__ = [
    "CRITIC_PARAMS",
    "ENTROPY_PARAMS",
    "critic_weights",
    "entropy_weights",
    "pca_weights",
    "shares",
]

#: the parameters of ``weight.entropy`` (:class:`cimon.engine.weight.Entropy`), declared here
#: beside the function that checks them
ENTROPY_PARAMS: tuple[Param, ...] = (
    Param(
        "on",
        "计算所用的值：normalised（得分率）或 raw（处理后、标准化前的指标值）",
        "the values used: normalised (score fractions) or raw (treated indicator values)",
        kind="text",
        choices=("normalised", "raw"),
    ),
    Param(
        "shift",
        "计算比重前加到每个值上的数",
        "added to every value before the shares are taken",
        lo=0,
        hi=float("inf"),
        open_hi=True,
    ),
)

#: the parameters of ``weight.critic`` (:class:`cimon.engine.weight.Critic`)
CRITIC_PARAMS: tuple[Param, ...] = (
    Param(
        "ddof",
        "标准差的自由度修正（1：样本，0：总体）",
        "delta degrees of freedom of the SD (1: sample, 0: population)",
        kind="integer",
        choices=(0, 1),
    ),
)


def shares(d: np.ndarray) -> np.ndarray:
    """``d / Σd``; equal shares when no column carries information (Σd = 0)."""
    d = np.clip(np.asarray(d, float), 0.0, None)
    s = d.sum()
    if not s > 0:
        return np.full(d.shape, 1.0 / d.size)
    return d / s


def entropy_weights(x: np.ndarray, shift: float = 0.0) -> np.ndarray:
    """Entropy weights (熵权法), summing to 1.

    For every column j, over its present values (n_j of them):

    .. math::

        p_{ij} = \\frac{x_{ij} + s}{\\sum_i (x_{ij} + s)}, \\quad
        e_j = -\\frac{1}{\\ln n_j} \\sum_i p_{ij} \\ln p_{ij}, \\quad
        d_j = 1 - e_j, \\quad w_j = \\frac{d_j}{\\sum_k d_k}

    with the convention :math:`0 \\cdot \\ln 0 = 0` and ``s = shift`` (0 by default; some papers add
    1e-4 to every value so that no p is zero — the results differ slightly when a column has zeros).

    Parameters
    ----------
    x:
        regions × indicators, non-negative (score fractions, or raw values of non-negative
        indicators).
    shift:
        added to every value before the shares are taken.

    Notes
    -----
    Missing values and degenerate columns. NaN values are left out of their column (``n_j`` counts
    the present values). A column that is constant, all zero or has fewer than two present values
    carries no information: ``d_j = 0``. If no column carries information every indicator gets
    ``1/k``.

    Raises
    ------
    ValueError
        if a present value plus ``shift`` is negative (shares would be meaningless).

    References
    ----------
    Shannon (1948); Zeleny, *Multiple Criteria Decision Making* (1982) for the weighting use;
    Xu, X. (2004), EJOR 156(2):530–532 (worked example, see tests/golden).
    """
    check("weight.entropy", ENTROPY_PARAMS, (), {"shift": shift})
    x = np.asarray(x, float) + float(shift)
    if x.ndim != 2:
        raise ValueError("x must be regions × indicators")
    present = ~np.isnan(x)
    if np.any(x[present] < 0):
        raise ValueError("entropy weights need non-negative values")
    k = x.shape[1]
    d = np.zeros(k)
    for j in range(k):
        col = x[present[:, j], j]
        n = col.size
        total = col.sum()
        if n < 2 or not total > 0 or np.all(col == col[0]):
            continue
        p = col / total
        nz = p[p > 0]
        e = -float(np.sum(nz * np.log(nz))) / np.log(n)
        d[j] = max(0.0, 1.0 - e)
    return shares(d)


def _pairwise(x: np.ndarray, ddof: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Column standard deviations (present values) and Pearson correlations (pairwise complete).

    A correlation involving a column that is constant on the common rows is NaN.
    """
    x = np.asarray(x, float)
    k = x.shape[1]
    present = ~np.isnan(x)
    sd = np.full(k, np.nan)
    for j in range(k):
        col = x[present[:, j], j]
        if col.size > ddof:
            sd[j] = float(np.std(col, ddof=ddof))
    r = np.full((k, k), np.nan)
    for a in range(k):
        for b in range(a, k):
            both = present[:, a] & present[:, b]
            if both.sum() < 2:
                continue
            xa, xb = x[both, a] - x[both, a].mean(), x[both, b] - x[both, b].mean()
            den = np.sqrt(np.sum(xa * xa) * np.sum(xb * xb))
            if den > 0:
                r[a, b] = r[b, a] = float(np.clip(np.sum(xa * xb) / den, -1.0, 1.0))
    return sd, r


def _informative(sd: np.ndarray) -> np.ndarray:
    return np.isfinite(sd) & (sd > 1e-12)


def critic_weights(z: np.ndarray, ddof: int = 1) -> np.ndarray:
    """CRITIC weights (Criteria Importance Through Intercriteria Correlation), summing to 1.

    .. math::

        C_j = \\sigma_j \\sum_k (1 - r_{jk}), \\qquad w_j = \\frac{C_j}{\\sum_k C_k}

    on normalised data (our score fractions; Diakoulaki et al. use min-max normalised values, which
    give the same correlations and proportional standard deviations within a column). ``σ_j`` is
    the standard deviation with ``ddof`` (1: sample SD, the default; 0: population SD). When every
    column has the same number of present values the choice of ``ddof`` does not change the
    weights (it scales every σ by the same factor).

    Notes
    -----
    Missing values and degenerate columns. σ over each column's present values; r over the rows
    where both columns are present. A constant column (σ = 0) gets weight 0 and is left out of the
    other columns' conflict sums (its correlations are undefined), so the remaining weights are what
    CRITIC gives without it. A pair with fewer than two common rows counts as uncorrelated (r = 0).
    With no informative column, every indicator gets ``1/k``.

    References
    ----------
    Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective weights in
    multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7):763–770.
    """
    check("weight.critic", CRITIC_PARAMS, (), {"ddof": ddof})
    z = np.asarray(z, float)
    if z.ndim != 2:
        raise ValueError("z must be regions × indicators")
    sd, r = _pairwise(z, ddof)
    keep = _informative(sd)
    c = np.zeros(z.shape[1])
    idx = np.flatnonzero(keep)
    if idx.size:
        sub = np.nan_to_num(r[np.ix_(idx, idx)], nan=0.0)
        np.fill_diagonal(sub, 1.0)
        c[idx] = sd[idx] * np.sum(1.0 - sub, axis=1)
        if idx.size == 1:  # one informative column: all the information is there
            c[idx] = 1.0
    return shares(c)


def pca_weights(z: np.ndarray) -> np.ndarray:
    """First-principal-component weights, summing to 1.

    The squared loadings of the first principal component of the correlation matrix ``R`` of the
    indicators, normalised to sum 1. With ``R v = λ₁ v`` (``v`` the unit eigenvector of the largest
    eigenvalue) the loadings are ``v √λ₁`` and the normalised squared loadings are simply ``v_j²``,
    so the sign of ``v`` does not matter.

    This is the simple PC1 variant. The OECD/JRC *Handbook on Constructing Composite Indicators*
    (2008, section 6.1) instead keeps every factor with eigenvalue > 1 (and cumulative variance
    > 60 %), varimax-rotates them, and weights each indicator by its largest squared rotated
    loading scaled by the factor's share of explained variance; that variant is not offered.

    Notes
    -----
    Missing values and degenerate columns. Correlations over pairwise-complete rows (a pair with
    fewer than two common rows counts as uncorrelated). Constant columns get weight 0 and are left
    out of ``R``. With no informative column, every indicator gets ``1/k``.

    References
    ----------
    OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*,
    section 6.1 (principal components and factor analysis).
    """
    z = np.asarray(z, float)
    if z.ndim != 2:
        raise ValueError("z must be regions × indicators")
    sd, r = _pairwise(z, 1)
    keep = _informative(sd)
    idx = np.flatnonzero(keep)
    out = np.zeros(z.shape[1])
    if idx.size:
        sub = np.nan_to_num(r[np.ix_(idx, idx)], nan=0.0)
        np.fill_diagonal(sub, 1.0)
        vals, vecs = np.linalg.eigh(sub)
        v = vecs[:, int(np.argmax(vals))]
        out[idx] = v * v
    return shares(out)
