"""Aggregate: combine score fractions and weights (points) into a score on the scale of the weights.

An aggregation ``f(Z, w)`` maps regions × indicators fractions in [0, 1] and points ``w`` to one score
per region in [0, Σw]. The pipeline applies the same method to all indicators (the total, 0–100) and
to each pillar's indicators (pillar sub-scores, 0–pillar points).

Every pure function takes ``(z, w)`` first and its parameters by keyword, with the same names as
the parameters of its class, and returns scores on the scale of ``Σw``: pass weights that sum to 1
to get the plain index (a mean, a geometric mean, a TOPSIS closeness in [0, 1]).

Only ``sum`` is additive (the total equals the sum of the pillar sub-scores). With the others the
pillar sub-scores are each on their own pillar's points but do not add up to the total.

Missing indicators (every method, parameters ``missing`` and ``min_share``, declared once in
:data:`MISSING_PARAMS`): ``zero`` counts a missing indicator as 0 (the 百分制 policy, and what
``evaluate`` has always done: the class default); ``skip`` leaves it out and re-normalises the
weights over the indicators present (COINr's ``a_amean``), and a region whose present weight is
below ``min_share`` of the total gets NaN. The pure functions default to ``skip``: called
directly they skip NaN as they always did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, Param, register
from cimon.engine.params import check

#: the missing-data parameters every aggregation method takes (checked by :func:`missing_rule`)
MISSING_PARAMS: tuple[Param, ...] = (
    Param(
        "missing",
        "缺失指标的处理：zero（记 0 分）或 skip（跳过，按现有指标的权重重新归一）",
        "missing indicators: zero (they earn 0) or skip (left out, the weights re-normalised "
        "over the indicators present)",
        kind="text",
        choices=("zero", "skip"),
    ),
    Param(
        "min_share",
        "skip 时至少应有数据的权重占比（不足则该单位结果为缺失）",
        "with skip, the least share of the weight that must have data (else the unit gets NaN)",
        lo=0,
        hi=1,
    ),
)


def missing_rule(
    z: np.ndarray, w: np.ndarray, missing: str, min_share: float, title: str = "aggregate"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(z, w, short)``: ``z`` with NaN set to 0 when ``missing == "zero"`` (else as given),
    the weights as floats, and which rows have less than ``min_share`` of the weight present
    (always False with ``zero``). Checks both parameters against :data:`MISSING_PARAMS`."""
    check(title, MISSING_PARAMS, (), {"missing": missing, "min_share": min_share})
    z = np.asarray(z, float)
    w = np.asarray(w, float)
    if missing == "zero":
        return np.nan_to_num(z, nan=0.0), w, np.zeros(z.shape[0], bool)
    total = float(w.sum())
    present = (~np.isnan(z)) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        share = present / total if total > 0 else np.zeros(z.shape[0])
    return z, w, share < min_share if min_share > 0 else np.zeros(z.shape[0], bool)


def weighted_sum(
    z: np.ndarray, w: np.ndarray, missing: str = "skip", min_share: float = 0.0
) -> np.ndarray:
    """Σ_j z_ij · w_j: points earned, summed (the 百分制 default).

    Missing values: with ``missing="zero"`` a missing indicator earns 0; with ``skip`` the sum runs
    over the present indicators with their weights scaled up to Σw (then it equals
    :func:`weighted_mean`); without any missing value both are the plain ``z @ w``.
    """
    z, w, short = missing_rule(z, w, missing, min_share, "aggregate.sum")
    out = z @ w if not np.isnan(z).any() else weighted_mean(z, w)
    return np.where(short, np.nan, out) if short.any() else out


def weighted_mean(
    z: np.ndarray,
    w: np.ndarray,
    missing: str = "skip",
    min_share: float = 0.0,
    skip_missing: bool = True,
) -> np.ndarray:
    """Weighted arithmetic mean over the present children, on the scale of Σw.

    .. math::

        y_i = \\sum_j w_j \\cdot \\frac{\\sum_{j \\in P_i} w_j z_{ij}}{\\sum_{j \\in P_i} w_j}

    where ``P_i`` is the set of indicators present (not NaN) for region i. Without missing values
    this equals :func:`weighted_sum`. With ``w`` summing to 1 it is the plain weighted mean, the
    arithmetic aggregation of COINr (``a_amean``, which drops missing children and re-normalises
    the remaining weights).

    Parameters
    ----------
    z:
        regions × indicators (any scale; NaN = missing).
    w:
        weights, non-negative.
    missing, min_share:
        ``zero``: missing children count as 0 first; ``skip`` (the function's default): see
        ``skip_missing``; a region with less than ``min_share`` of the weight present gets NaN.
    skip_missing:
        True (default): average the present children; a region with no present child (or only
        zero-weight ones) gets NaN. False: any missing child makes the result NaN.

    References
    ----------
    Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E. & Saisana, M. (2022).
    COINr: An R package for developing composite indicators. JOSS 7(78):4567 (``a_amean``).
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.2.
    """
    WeightedMean.check_params({"skip_missing": skip_missing})
    z, w, short = missing_rule(z, w, missing, min_share, "aggregate.weighted_mean")
    present = ~np.isnan(z)
    if not skip_missing:
        return np.where(present.all(axis=1), np.where(present, z, 0.0) @ w, np.nan)
    wp = present * w
    num = np.where(present, z, 0.0) @ w
    den = wp.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((den > 0) & ~short, w.sum() * num / den, np.nan)


def weighted_geometric_mean(
    z: np.ndarray,
    w: np.ndarray,
    missing: str = "skip",
    min_share: float = 0.0,
    epsilon: float = 0.01,
) -> np.ndarray:
    """Weighted geometric mean, on the scale of Σw.

    .. math::

        y_i = \\sum_j w_j \\cdot \\prod_j \\max(z_{ij}, \\varepsilon)^{w_j / \\sum_k w_k}

    Less compensatory than the sum: a weak indicator cannot be fully offset by a strong one.

    Zeros: a geometric mean is zero as soon as one factor is zero, so a county with one zero
    indicator (no 高新技术企业, say) would score 0 in total. Fractions below ``epsilon`` (default
    0.01, i.e. 1 % of the indicator's points) are raised to ``epsilon`` first: a zero still costs a
    lot (an 8-point indicator at 0.01 multiplies the total by 0.01^0.08 ≈ 0.69) but does not wipe
    out the rest. ``epsilon=0`` gives the strict geometric mean (any zero → 0).

    Missing values: NaN children are skipped and the exponents re-normalised over the present
    ones (as COINr's ``a_gmean`` drops NA); a region with no present child gets NaN. Zero-weight
    children are ignored.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6.2 (geometric
    aggregation); COINr ``a_gmean``; UNDP Human Development Index (geometric mean since 2010).
    """
    Geometric.check_params({"epsilon": epsilon})
    z, w, short = missing_rule(z, w, missing, min_share, "aggregate.geometric")
    use = (~np.isnan(z)) & (w > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logz = np.log(np.maximum(np.where(use, z, 1.0), epsilon))
        den = (use * w).sum(axis=1)
        expo = np.where(use, logz, 0.0) @ w
        out = w.sum() * np.exp(expo / den)
    return np.where((den > 0) & ~short, out, np.nan)


def topsis(
    z: np.ndarray,
    w: np.ndarray,
    missing: str = "skip",
    min_share: float = 0.0,
    norm: str = "vector",
    ideal: str = "observed",
) -> np.ndarray:
    """TOPSIS relative closeness to the ideal, on the scale of Σw.

    1. Normalise each column of ``z`` (``norm``):

       * ``vector`` (classic, Hwang & Yoon): ``r_ij = z_ij / sqrt(Σ_i z_ij²)``;
       * ``minmax``: ``r_ij = (z_ij − min_i z_ij) / (max_i z_ij − min_i z_ij)``;
       * ``none``: ``r = z`` (the score fractions are already on one scale).

    2. Weight: ``v_ij = w_j r_ij``.
    3. Ideal and anti-ideal (``ideal``): ``observed`` (classic) ``A⁺_j = max_i v_ij``,
       ``A⁻_j = min_i v_ij``; ``fixed``: the images of a county with full marks (z = 1) and of one
       with nothing (z = 0) under the same normalisation — a reference that does not move with the
       year's best and worst counties.
    4. ``d⁺_i = ‖v_i − A⁺‖₂``, ``d⁻_i = ‖v_i − A⁻‖₂``, closeness ``C_i = d⁻_i / (d⁺_i + d⁻_i)``.
    5. Score ``Σw · C_i``.

    All criteria are benefit criteria here: the normalise stage already turned "less is better"
    indicators around.

    Degenerate data: a column whose norm or range is 0 normalises to 0 and adds nothing to the
    distances. When ``d⁺ + d⁻ = 0`` (the region coincides with both references, e.g. every
    county identical on every indicator) the closeness is 0.5: the data cannot tell it from the
    ideal or the anti-ideal.

    Missing values: NaN cells are left out — of the column's norm, range and ideals, and of that
    region's two distances. A region with no present value gets NaN.

    References
    ----------
    Hwang, C.-L. & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
    Applications*. Springer. Tzeng, G.-H. & Huang, J.-J. (2011). *Multiple Attribute Decision
    Making: Methods and Applications*. CRC Press (worked example, see tests/golden).
    """
    Topsis.check_params({"norm": norm, "ideal": ideal})
    z, w, short = missing_rule(z, w, missing, min_share, "aggregate.topsis")
    present = ~np.isnan(z)
    k = z.shape[1]
    ones, zeros = np.ones(k), np.zeros(k)
    with np.errstate(invalid="ignore", divide="ignore"):
        if norm == "vector":
            scale = np.sqrt(np.nansum(z * z, axis=0))
            shift = np.zeros(k)
        elif norm == "minmax":
            lo = _col(np.nanmin, z, present)
            scale = _col(np.nanmax, z, present) - lo
            shift = lo
        else:
            scale, shift = ones, zeros
        ok = np.isfinite(scale) & (scale > 0)
        scale = np.where(ok, scale, 1.0)

        def image(m: np.ndarray) -> np.ndarray:
            return np.where(ok, (m - shift) / scale, 0.0) * w

        v = image(z)
        if ideal == "observed":
            pos, neg = _col(np.nanmax, v, present), _col(np.nanmin, v, present)
        else:
            pos, neg = image(ones), image(zeros)
        pos, neg = np.nan_to_num(pos), np.nan_to_num(neg)
        dpos = np.sqrt(np.nansum(np.where(present, (v - pos) ** 2, np.nan), axis=1))
        dneg = np.sqrt(np.nansum(np.where(present, (v - neg) ** 2, np.nan), axis=1))
        tot = dpos + dneg
        c = np.where(tot > 0, dneg / tot, 0.5)
    return np.where(present.any(axis=1) & ~short, w.sum() * c, np.nan)


def _col(fn: Callable[..., np.ndarray], m: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Column statistic over present values; NaN for an all-missing column (no warning)."""
    out = np.full(m.shape[1], np.nan)
    has = present.any(axis=0)
    if has.any():
        out[has] = fn(m[:, has], axis=0)
    return out


# --------------------------------------------------------------------------------------------
# thin classes


@dataclass(frozen=True)
class Aggregation(Method):
    """Base of the aggregation methods: every one takes ``missing`` and ``min_share``
    (:data:`MISSING_PARAMS`); the class default ``missing="zero"`` is the pipeline's policy."""

    stage: ClassVar[str] = "aggregate"
    #: True when the total equals the sum of the pillar sub-scores and indicator points
    additive: ClassVar[bool] = False
    params = MISSING_PARAMS
    missing: str = "zero"
    min_share: float = 0.0

    def apply(self, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        raise NotImplementedError


@register
@dataclass(frozen=True)
class Sum(Aggregation):
    """sum: weighted sum of points."""

    name: ClassVar[str] = "sum"
    title_zh: ClassVar[str] = "加权求和（百分制）"
    additive: ClassVar[bool] = True
    function = staticmethod(weighted_sum)

    def apply(self, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        return weighted_sum(z, w, self.missing, self.min_share)


@register
@dataclass(frozen=True)
class WeightedMean(Aggregation):
    """weighted_mean: weighted mean of the present indicators × Σw (missing ones skipped)."""

    name: ClassVar[str] = "weighted_mean"
    title_zh: ClassVar[str] = "加权平均（缺失指标不计，权重按现有指标重新归一）"
    function = staticmethod(weighted_mean)
    params = (
        *MISSING_PARAMS,
        Param(
            "skip_missing",
            "跳过缺失指标并按现有指标的权重重新归一（否则有缺失即为缺失）",
            "skip missing indicators and re-normalise the weights (else any missing one gives NaN)",
            kind="bool",
        ),
    )
    skip_missing: bool = True

    def apply(self, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        return weighted_mean(z, w, self.missing, self.min_share, self.skip_missing)


@register
@dataclass(frozen=True)
class Geometric(Aggregation):
    """geometric: weighted geometric mean × Σw, fractions below ``epsilon`` raised to it."""

    name: ClassVar[str] = "geometric"
    title_zh: ClassVar[str] = "加权几何平均（弱补偿）"
    function = staticmethod(weighted_geometric_mean)
    params = (
        *MISSING_PARAMS,
        Param(
            "epsilon",
            "得分率的下限（避免一个 0 使总分为 0）",
            "floor of the fractions (so one zero does not zero the total)",
            lo=0,
            hi=1,
        ),
    )
    epsilon: float = 0.01

    def apply(self, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        return weighted_geometric_mean(z, w, self.missing, self.min_share, self.epsilon)


@register
@dataclass(frozen=True)
class Topsis(Aggregation):
    """topsis: closeness to the ideal county (TOPSIS) × Σw."""

    name: ClassVar[str] = "topsis"
    title_zh: ClassVar[str] = "TOPSIS 逼近理想解法"
    function = staticmethod(topsis)
    params = (
        *MISSING_PARAMS,
        Param(
            "norm",
            "列的标准化：vector（向量）、minmax 或 none",
            "column normalisation: vector, minmax or none",
            kind="text",
            choices=("vector", "minmax", "none"),
        ),
        Param(
            "ideal",
            "理想解：observed（当年最优/最差）或 fixed（1 与 0）",
            "the ideal: observed (the year's best and worst) or fixed (1 and 0)",
            kind="text",
            choices=("observed", "fixed"),
        ),
    )
    norm: str = "vector"
    ideal: str = "observed"

    def apply(self, z: np.ndarray, w: np.ndarray) -> np.ndarray:
        return topsis(z, w, self.missing, self.min_share, self.norm, self.ideal)
