"""Weight: the points each indicator is worth (权重/分值). Weights always sum to the framework's
total points (100), so an aggregate score stays on the 100-point scale."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, register


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


def equal_weights(k: int, total: float = 100.0) -> np.ndarray:
    """Every indicator worth ``total / k``."""
    return np.full(k, total / k)


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
