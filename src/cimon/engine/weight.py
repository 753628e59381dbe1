"""Weight: the points each indicator is worth (权重/分值). Weights always sum to the framework's
total points (100), so an aggregate score stays on the 100-point scale.

Two families:

* **given** weights: ``points`` (the framework's, the default), ``equal``, ``ahp`` (experts'
  pairwise judgements);
* **data-driven** ("objective") weights: ``entropy``, ``critic``, ``pca``. They change with every
  year's data, so they are options and uncertainty alternatives, not the default (DESIGN.md:
  scoring comparable across years).

The pure functions return weights that sum to 1 (as the literature reports them); the classes scale
them to ``ctx.total``. Data-driven functions skip missing values (NaN) column by column or pair by
pair; a column without information (constant, or fewer than two present values) gets weight 0, and
when no column has any information every indicator gets the same weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from cimon.engine.base import Method, register
from cimon.errors import MethodError


@dataclass(frozen=True)
class WeightContext:
    """What a weighting method may look at.

    points: the framework's nominal points per indicator (sums to the total).
    pillars: pillar index (0..P-1) of every indicator.
    raw: the treated (pre-normalisation) indicator values, regions × indicators.
    """

    points: np.ndarray
    pillars: np.ndarray
    raw: np.ndarray | None = None
    total: float = 100.0
    pillar_codes: tuple[str, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------------------------
# pure functions


def equal_weights(k: int, total: float = 100.0) -> np.ndarray:
    """Every indicator worth ``total / k``."""
    return np.full(k, total / k)


def _shares(d: np.ndarray) -> np.ndarray:
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
    return _shares(d)


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
    return _shares(c)


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
    return _shares(out)


# Saaty, The Analytic Hierarchy Process (1980): the table most Chinese textbooks reproduce; its
# n = 12 entry 1.48 is as published (some reproductions print 1.54).
_RI_SAATY = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
# Alonso, J. A. & Lamata, M. T. (2006). Consistency in the analytic hierarchy process: a new
# approach. Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4):445–459
# (100 000 random matrices per n).
_RI_ALONSO_LAMATA = (
    0.0, 0.0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365,
    1.5551, 1.5713, 1.5838,
)  # fmt: skip

#: Random consistency index RI(n), n = 1..15, by table name.
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    "saaty": _RI_SAATY,
    "alonso_lamata": _RI_ALONSO_LAMATA,
}


def ahp_weights(
    matrix: Sequence[Sequence[float]] | np.ndarray, ri_table: str = "saaty"
) -> tuple[np.ndarray, float, float, float]:
    """AHP priorities from a pairwise comparison matrix (层次分析法).

    ``matrix[i][j]`` says how much more important element i is than element j on Saaty's 1–9
    scale; the matrix must be positive and reciprocal (``a_ji = 1 / a_ij``, ``a_ii = 1``).

    * weights: the principal (Perron) eigenvector ``A w = λ_max w``, normalised to sum 1;
    * consistency index ``CI = (λ_max − n) / (n − 1)``;
    * consistency ratio ``CR = CI / RI(n)`` with the random index of ``ri_table`` (``saaty``:
      Saaty 1980; ``alonso_lamata``: Alonso & Lamata 2006). ``CR = 0`` for n ≤ 2 (always
      consistent). Saaty's rule accepts ``CR ≤ 0.1``.

    Returns
    -------
    (weights, lambda_max, ci, cr)

    Raises
    ------
    ValueError
        if the matrix is not square, not positive, not reciprocal, or larger than the RI table
        (15 × 15).

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill. Saaty, T. L. (2008).
    Decision making with the analytic hierarchy process. Int. J. Services Sciences 1(1):83–98.
    """
    a = np.asarray(matrix, float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError("the comparison matrix must be square")
    if ri_table not in RANDOM_INDEX:
        raise ValueError(f"ri_table must be one of {', '.join(RANDOM_INDEX)}")
    n = a.shape[0]
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("every comparison must be a positive number")
    if not np.allclose(a * a.T, 1.0, rtol=1e-3, atol=1e-3):
        bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=1e-3, atol=1e-3))[0]
        i, j = int(bad[0]), int(bad[1])
        raise ValueError(
            f"the matrix is not reciprocal: a[{i}][{j}] × a[{j}][{i}] = {a[i, j] * a[j, i]:.4g} ≠ 1"
        )
    if n > len(RANDOM_INDEX[ri_table]):
        raise ValueError(f"the random index table covers n ≤ {len(RANDOM_INDEX[ri_table])}")
    vals, vecs = np.linalg.eig(a)
    top = int(np.argmax(vals.real))
    lam = float(vals[top].real)
    w = np.abs(vecs[:, top].real)
    w = w / w.sum()
    if n <= 2:
        return w, float(n), 0.0, 0.0
    ci = (lam - n) / (n - 1)
    cr = ci / RANDOM_INDEX[ri_table][n - 1]
    return w, lam, float(ci), float(cr)


def spread_by_points(
    group_weights: np.ndarray, groups: np.ndarray, points: np.ndarray
) -> np.ndarray:
    """Indicator weights from group (pillar) weights: each indicator gets its group's weight in
    proportion to its nominal points within the group (equal shares if the group has no points).
    """
    groups = np.asarray(groups, int)
    points = np.asarray(points, float)
    out = np.zeros(groups.shape, float)
    for g, gw in enumerate(np.asarray(group_weights, float)):
        m = groups == g
        if not m.any():
            continue
        p = points[m]
        out[m] = gw * (p / p.sum() if p.sum() > 0 else np.full(p.shape, 1.0 / p.size))
    return out


# --------------------------------------------------------------------------------------------
# thin classes


class Weighting(Method):
    stage: ClassVar[str] = "weight"

    def apply(self, z: np.ndarray, ctx: WeightContext) -> np.ndarray:
        raise NotImplementedError


@register
@dataclass(frozen=True)
class Points(Weighting):
    """points: the framework's points, unchanged (the default)."""

    name: ClassVar[str] = "points"
    title_zh: ClassVar[str] = "指标体系规定分值"
    function = staticmethod(lambda points: np.asarray(points, float).copy())

    def apply(self, z: np.ndarray, ctx: WeightContext) -> np.ndarray:
        return np.asarray(ctx.points, float).copy()


@register
@dataclass(frozen=True)
class Equal(Weighting):
    """equal: every indicator the same points."""

    name: ClassVar[str] = "equal"
    title_zh: ClassVar[str] = "等权"
    function = staticmethod(equal_weights)

    def apply(self, z: np.ndarray, ctx: WeightContext) -> np.ndarray:
        return equal_weights(z.shape[1], ctx.total)


@register
@dataclass(frozen=True)
class Entropy(Weighting):
    """entropy: entropy weights on the score fractions (``on="normalised"``) or the treated raw
    values (``on="raw"``)."""

    name: ClassVar[str] = "entropy"
    title_zh: ClassVar[str] = "熵权法（客观赋权）"
    function = staticmethod(entropy_weights)
    on: str = "normalised"
    shift: float = 0.0

    def __post_init__(self) -> None:
        if self.on not in ("normalised", "raw"):
            raise ValueError("on must be 'normalised' or 'raw'")
        if not np.isfinite(self.shift) or self.shift < 0:
            raise ValueError("shift must be a non-negative number")

    def apply(self, z: np.ndarray, ctx: WeightContext) -> np.ndarray:
        if self.on == "raw":
            if ctx.raw is None:
                raise MethodError(
                    "熵权法 on=raw 需要原始（处理后、标准化前）指标值，但本次计算未提供。",
                    "Entropy weights with on=raw need the treated raw indicator values, which were "
                    "not provided.",
                    "weight",
                )
            x = np.asarray(ctx.raw, float)
        else:
            x = np.asarray(z, float)
        try:
            frac = entropy_weights(x, self.shift)
        except ValueError:
            raise MethodError(
                "熵权法要求指标值非负，但数据中有负值（如负增长率）。请改用 on=normalised（得分率）。",
                "Entropy weights need non-negative values but the data has negative ones "
                "(e.g. negative growth rates). Use on=normalised (score fractions) instead.",
                "weight",
            ) from None
        return frac * ctx.total


@register
@dataclass(frozen=True)
class Critic(Weighting):
    """critic: contrast (SD) × conflict (1 − correlation) of the score fractions."""

    name: ClassVar[str] = "critic"
    title_zh: ClassVar[str] = "CRITIC 法（对比强度与冲突性）"
    function = staticmethod(critic_weights)
    ddof: int = 1

    def __post_init__(self) -> None:
        if self.ddof not in (0, 1):
            raise ValueError("ddof must be 0 or 1")

    def apply(self, z: np.ndarray, ctx: WeightContext) -> np.ndarray:
        return critic_weights(z, self.ddof) * ctx.total


@register
@dataclass(frozen=True)
class Pca(Weighting):
    """pca: squared loadings of the first principal component of the fractions' correlations."""

    name: ClassVar[str] = "pca"
    title_zh: ClassVar[str] = "主成分分析法（第一主成分载荷平方）"
    function = staticmethod(pca_weights)

    def apply(self, z: np.ndarray, ctx: WeightContext) -> np.ndarray:
        return pca_weights(z) * ctx.total


def _judgement(v: Any) -> float:
    """A pairwise judgement: a number or a fraction string such as ``"1/3"``."""
    if isinstance(v, str):
        return float(Fraction(v.strip()))
    return float(v)


@register
@dataclass(frozen=True)
class Ahp(Weighting):
    """ahp: weights from the experts' pairwise comparison matrix (over pillars or indicators).

    ``matrix`` rows and columns follow the framework's order of pillars (``level="pillar"``) or
    indicators (``level="indicator"``). Entries may be numbers or fraction strings (``"1/3"``). An
    empty matrix means every comparison is 1 (equal importance). At pillar level each indicator
    gets its pillar's weight in proportion to its nominal points.
    """

    name: ClassVar[str] = "ahp"
    title_zh: ClassVar[str] = "层次分析法（专家两两比较）"
    function = staticmethod(ahp_weights)
    matrix: tuple[tuple[float, ...], ...] = ()
    level: str = "pillar"
    ri_table: str = "saaty"
    max_cr: float = 0.1
    accept_inconsistent: bool = False

    def __post_init__(self) -> None:
        rows = tuple(tuple(_judgement(v) for v in row) for row in self.matrix)
        object.__setattr__(self, "matrix", rows)
        if self.level not in ("pillar", "indicator"):
            raise ValueError("level must be 'pillar' or 'indicator'")
        if self.ri_table not in RANDOM_INDEX:
            raise ValueError(f"ri_table must be one of {', '.join(RANDOM_INDEX)}")
        if rows and any(len(r) != len(rows) for r in rows):
            raise ValueError("matrix must be square")

    def apply(self, z: np.ndarray, ctx: WeightContext) -> np.ndarray:
        k = np.asarray(z).shape[1]
        pillars = np.asarray(ctx.pillars, int)
        n = (int(pillars.max()) + 1 if pillars.size else 0) if self.level == "pillar" else k
        what_zh, what_en = (
            ("一级指标", "pillars") if self.level == "pillar" else ("指标", "indicators")
        )
        a = np.asarray(self.matrix, float) if self.matrix else np.ones((n, n))
        if a.shape != (n, n):
            raise MethodError(
                f"判断矩阵为 {a.shape[0]}×{a.shape[0]}，但共有 {n} 个{what_zh}，应为 {n}×{n}。",
                f"The comparison matrix is {a.shape[0]}×{a.shape[0]} but there are {n} "
                f"{what_en}; it must be {n}×{n}.",
                "weight.matrix",
            )
        try:
            w, lam, ci, cr = ahp_weights(a, self.ri_table)
        except ValueError as exc:
            raise MethodError(
                f"判断矩阵无效：{exc}。请检查矩阵（正数、互反、对角线为 1）。",
                f"Invalid comparison matrix: {exc}. Check it (positive, reciprocal, ones on the "
                "diagonal).",
                "weight.matrix",
            ) from None
        if cr > self.max_cr and not self.accept_inconsistent:
            raise MethodError(
                f"判断矩阵一致性检验未通过：CR = {cr:.4f} > {self.max_cr:g}"
                f"（λmax = {lam:.4f}，CI = {ci:.4f}）。请专家调整判断，"
                "或设置 accept_inconsistent: true 以接受不一致的矩阵。",
                f"The comparison matrix fails the consistency check: CR = {cr:.4f} > "
                f"{self.max_cr:g} (λmax = {lam:.4f}, CI = {ci:.4f}). Revise the judgements or set "
                "accept_inconsistent: true to accept an inconsistent matrix.",
                "weight.matrix",
            )
        if self.level == "pillar":
            w = spread_by_points(w, pillars, ctx.points)
        return w * ctx.total
