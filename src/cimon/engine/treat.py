"""Treat: outliers and bounds before normalisation (异常值处理).

The pipeline flags every changed cell (``treated:<method>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, register


def bounds(x: np.ndarray, floor: float | None = None, cap: float | None = None) -> np.ndarray:
    """Clip values to [floor, cap] (either may be None). A growth rate capped at 100%: ``cap=100``."""
    out = np.array(x, float, copy=True)
    lo = -np.inf if floor is None else float(floor)
    hi = np.inf if cap is None else float(cap)
    ok = ~np.isnan(out)
    out[ok] = np.clip(out[ok], lo, hi)
    return out


class Treatment(Method):
    stage: ClassVar[str] = "treat"

    def apply(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError


@register
@dataclass(frozen=True)
class NoTreatment(Treatment):
    """none: values pass unchanged."""

    name: ClassVar[str] = "none"
    title_zh: ClassVar[str] = "不处理"
    function = staticmethod(lambda x: np.array(x, float, copy=True))

    def apply(self, x: np.ndarray) -> np.ndarray:
        return np.array(x, float, copy=True)


@register
@dataclass(frozen=True)
class Bounds(Treatment):
    """bounds: clip to [floor, cap]."""

    name: ClassVar[str] = "bounds"
    title_zh: ClassVar[str] = "上下限截断"
    function = staticmethod(bounds)
    floor: float | None = None
    cap: float | None = None

    def apply(self, x: np.ndarray) -> np.ndarray:
        return bounds(x, self.floor, self.cap)
