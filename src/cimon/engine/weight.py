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

The data-driven functions are in :mod:`cimon.engine.objective`, the AHP in :mod:`cimon.engine.ahp`;
this module holds the registered classes (with their parameter declarations) and re-exports the
functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from cimon.engine.ahp import AHP_PARAMS, RANDOM_INDEX, ahp_weights, spread_by_points
from cimon.engine.base import Method, register
from cimon.engine.objective import (
    CRITIC_PARAMS,
    ENTROPY_PARAMS,
    critic_weights,
    entropy_weights,
    pca_weights,
)
from cimon.engine.params import judgement
from cimon.errors import MethodError

__all__ = [
    "RANDOM_INDEX",
    "Ahp",
    "Critic",
    "Entropy",
    "Equal",
    "Pca",
    "Points",
    "WeightContext",
    "Weighting",
    "ahp_weights",
    "critic_weights",
    "entropy_weights",
    "equal_weights",
    "pca_weights",
    "spread_by_points",
]


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
    params = ENTROPY_PARAMS
    on: str = "normalised"
    shift: float = 0.0

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
    params = CRITIC_PARAMS
    ddof: int = 1

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
    params = AHP_PARAMS
    matrix: tuple[tuple[float, ...], ...] = ()
    level: str = "pillar"
    ri_table: str = "saaty"
    max_cr: float = 0.1
    accept_inconsistent: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        rows = tuple(tuple(judgement(v) for v in row) for row in self.matrix)
        object.__setattr__(self, "matrix", rows)

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
