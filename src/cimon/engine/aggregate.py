"""Aggregate: combine score fractions and weights (points) into a score on the scale of the weights.

An aggregation ``f(Z, w)`` maps regions × indicators fractions in [0, 1] and points ``w`` to one score
per region in [0, Σw]. The pipeline applies the same method to all indicators (the total, 0–100) and
to each pillar's indicators (pillar sub-scores, 0–pillar points).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, register


def weighted_sum(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_j z_ij · w_j: points earned, summed (the 百分制 default)."""
    return np.asarray(z, float) @ np.asarray(w, float)


class Aggregation(Method):
    stage: ClassVar[str] = "aggregate"
    #: True when the total equals the sum of the pillar sub-scores and indicator points
    additive: ClassVar[bool] = False

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
        return weighted_sum(z, w)
