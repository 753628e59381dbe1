"""Normalise: turn each indicator into a score fraction (得分率), usually in [0, 1].

The indicator's points times this fraction are the points it earns. Every method honours the
indicator's direction (+1: more is better, −1: less is better). Missing stays missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, register


def target_attainment(x: np.ndarray, floor: float, target: float, direction: int = 1) -> np.ndarray:
    """Target attainment ``clip((x − floor) / (target − floor), 0, 1)``.

    Comparable across years: the floor and target are fixed in the framework version, so a county's
    score changes only when its own value does. For direction −1, give ``target < floor`` (the
    formula is the same: values at or below the target score 1).

    References: the national statistical monitoring method (ratio to a fixed standard, capped);
    FRAMEWORK-NOTES rules 1–2.
    """
    x = np.asarray(x, float)
    if target == floor:
        raise ValueError("target equals floor")
    if (direction < 0 and target > floor) or (direction > 0 and target < floor):
        raise ValueError("target is on the wrong side of floor for this direction")
    with np.errstate(invalid="ignore"):
        return np.clip((x - floor) / (target - floor), 0.0, 1.0)


def rubric(x: np.ndarray, max_points: float) -> np.ndarray:
    """Qualitative rubric points (experts' combined score) as a fraction of the item's maximum."""
    x = np.asarray(x, float)
    with np.errstate(invalid="ignore"):
        return np.clip(x / float(max_points), 0.0, 1.0)


class Normaliser(Method):
    stage: ClassVar[str] = "normalise"
    #: True when outputs always lie in [0, 1] (so points earned stay within [0, points])
    bounded: ClassVar[bool] = True

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        raise NotImplementedError


@register
@dataclass(frozen=True)
class Target(Normaliser):
    """target: linear from ``floor`` (0) to ``target`` (full points), capped."""

    name: ClassVar[str] = "target"
    title_zh: ClassVar[str] = "目标值达成度（固定基准，跨年可比）"
    function = staticmethod(target_attainment)
    floor: float = 0.0
    target: float = 1.0

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return target_attainment(x, self.floor, self.target, direction)


@register
@dataclass(frozen=True)
class Rubric(Normaliser):
    """rubric: experts' points out of ``max_points``."""

    name: ClassVar[str] = "rubric"
    title_zh: ClassVar[str] = "定性指标专家评分"
    function = staticmethod(rubric)
    max_points: float = 5.0

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return rubric(x, self.max_points)
