"""Treat: outliers and bounds before normalisation (异常值处理).

The pipeline flags every changed cell (``treated:<method>``).

Every pure function takes the column first and its parameters by keyword, with the same names as
the parameters of its class (``fn(x, **method.get_params())``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, Param, register
from cimon.engine.params import at_least


def bounds(x: np.ndarray, floor: float | None = None, cap: float | None = None) -> np.ndarray:
    """Clip values to [floor, cap] (either may be None). A growth rate capped at 100%: ``cap=100``.

    Missing values stay missing."""
    Bounds.check_params({"floor": floor, "cap": cap})
    out = np.array(x, float, copy=True)
    lo = -np.inf if floor is None else float(floor)
    hi = np.inf if cap is None else float(cap)
    ok = ~np.isnan(out)
    out[ok] = np.clip(out[ok], lo, hi)
    return out


def no_treatment(x: np.ndarray) -> np.ndarray:
    """A copy of ``x``, unchanged."""
    return np.array(x, float, copy=True)


# --------------------------------------------------------------------------------------------
# COINr's default outlier treatment


def _centred(x: np.ndarray, min_n: int) -> tuple[int, np.ndarray, float] | None:
    """(n, deviations from the mean, sum of squared deviations) of the present values, or None
    when fewer than ``min_n`` are present or all are equal."""
    v = np.asarray(x, float)
    v = v[~np.isnan(v)]
    if v.size < min_n:
        return None
    d = v - v.mean()
    s2 = float(np.sum(d**2))
    if s2 == 0:
        return None
    return v.size, d, s2


def skewness(x: np.ndarray) -> float:
    """Bias-corrected sample skewness ``G1`` of the present values (e1071 ``type = 2``, SAS/SPSS).

    .. math:: G_1 = \\frac{\\sqrt{n(n-1)}}{n-2}\\,\\frac{m_3}{m_2^{3/2}},\\qquad
              m_k = \\frac1n\\sum (x_i - \\bar x)^k

    NaN when fewer than 3 values are present or all are equal.
    """
    c = _centred(x, 3)
    if c is None:
        return float("nan")
    n, d, s2 = c
    g1 = np.sqrt(n) * float(np.sum(d**3)) / s2**1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: np.ndarray) -> float:
    """Bias-corrected sample excess kurtosis ``G2`` of the present values (e1071 ``type = 2``).

    .. math:: G_2 = \\frac{(n-1)\\,\\big((n+1)\\,g_2 + 6\\big)}{(n-2)(n-3)},\\qquad
              g_2 = \\frac{m_4}{m_2^2} - 3

    NaN when fewer than 4 values are present or all are equal.
    """
    c = _centred(x, 4)
    if c is None:
        return float("nan")
    n, d, s2 = c
    r = n * float(np.sum(d**4)) / s2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


@dataclass(frozen=True)
class WinsoriseResult:
    """What :func:`winsorise_report` did to one column.

    values: the treated column. steps: Winsorisation steps taken (COINr's “Winsorised N points”;
    tied extremes move together in one step). high / low: cells lowered / raised by Winsorisation.
    transformed: True when Winsorisation failed and the fallback transform was applied instead.
    """

    values: np.ndarray
    steps: int
    high: np.ndarray
    low: np.ndarray
    transformed: bool


def _beyond(v: np.ndarray, t_skew: float, t_kurt: float) -> tuple[bool, float]:
    sk, kt = skewness(v), kurtosis(v)
    return bool(abs(sk) > t_skew and kt > t_kurt), sk


def ctlog(x: np.ndarray) -> np.ndarray:
    """COIN Tool log: ``ln(x − min + 0.01 · (max − min))`` over the present values.

    Defined for any sign of data; the minimum maps to ``ln(0.01 · (max − min))``. This is COINr's
    ``deflog = "CTlog"`` exactly as its ``loggish()`` computes it (the offset is 1 % of the range).
    """
    x = np.asarray(x, float)
    if np.isnan(x).all():
        return x.copy()
    lo, hi = np.nanmin(x), np.nanmax(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x - lo + 0.01 * (hi - lo))


def winsorise_report(
    x: np.ndarray,
    skew: float = 2.0,
    kurt: float = 3.5,
    winmax: int | None = None,
    fallback: str = "log",
    winchange: bool = True,
) -> WinsoriseResult:
    """COINr's default outlier treatment, with a report of what it did (see :func:`winsorise`)."""
    Winsorise.check_params(
        {"skew": skew, "kurt": kurt, "winmax": winmax, "fallback": fallback, "winchange": winchange}
    )
    orig = np.array(x, float, copy=True)
    n = orig.size
    limit = -(-n // 10) if winmax is None else int(winmax)  # ceil(10 % of the regions)
    v = orig.copy()
    none = np.zeros(n, bool)
    beyond, sk = _beyond(v, skew, kurt)
    windir = 0 if winchange else (1 if sk > 0 else -1)
    steps = 0
    stuck = False
    while beyond and steps < limit:
        high_side = (windir == 0 and sk >= 0) or windir == 1
        extreme = np.nanmax(v) if high_side else np.nanmin(v)
        at = v == extreme  # NaN compares False
        rest = v[~at & ~np.isnan(v)]
        if rest.size == 0:
            stuck = True
            break
        v[at] = rest.max() if high_side else rest.min()
        steps += 1
        if np.unique(v[~np.isnan(v)]).size < 2:
            # COINr stops with an error here; we give up Winsorising and use the fallback
            stuck = True
            break
        beyond, sk = _beyond(v, skew, kurt)
    if stuck or (beyond and steps >= limit):
        values = ctlog(orig) if fallback == "log" else orig
        return WinsoriseResult(values, steps, none, none.copy(), fallback == "log")
    with np.errstate(invalid="ignore"):
        return WinsoriseResult(v, steps, v < orig, v > orig, False)


def winsorise(
    x: np.ndarray,
    skew: float = 2.0,
    kurt: float = 3.5,
    winmax: int | None = None,
    fallback: str = "log",
    winchange: bool = True,
) -> np.ndarray:
    """Winsorise while the column is both skewed and heavy-tailed; fall back to a log transform.

    COINr's default treatment (``treat()`` / ``coin_win()`` in COINr ≤ 0.6, as the ASEM example
    logged it: ``winchange = TRUE, deflog = "CTlog", t_skew = 2, t_kurt = 3.5``):

    1. While ``|G1| > skew`` **and** ``G2 > kurt`` (bias-corrected sample skewness and excess
       kurtosis, :func:`skewness`, :func:`kurtosis`) and fewer than ``winmax`` steps were taken:
       if ``G1 ≥ 0`` replace the highest value(s) by the next highest, otherwise the lowest by the
       next lowest. With ``winchange`` (default) the side is chosen afresh at every step from the
       sign of the current skewness; without it, always the side of the initial skewness.
    2. If the thresholds are still exceeded after ``winmax`` steps, undo the Winsorisation and
       apply the fallback to the original column: ``log`` → :func:`ctlog`
       ``ln(x − min + 0.01 (max − min))``; ``none`` → leave the column untreated.

    ``winmax`` defaults to 10 % of the regions rounded up (COINr: ``ceiling(0.1 · NUnit)``,
    6 for ASEM's 51 units; COINr evaluates it in floating point, which gives one more for 30, 60 …
    units; we use exact integer arithmetic). Missing values stay missing and do not enter the
    moments. If a step would leave fewer than two distinct values (COINr stops with an error),
    the fallback is used.

    Reference: COINr (Becker, W., JRC), ``R/coin_treat.R`` in COINr 0.6 / COINr6; OECD/JRC Handbook
    (2008) section 3.
    """
    return winsorise_report(x, skew, kurt, winmax, fallback, winchange).values


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
    function = staticmethod(no_treatment)

    def apply(self, x: np.ndarray) -> np.ndarray:
        return no_treatment(x)


@register
@dataclass(frozen=True)
class Bounds(Treatment):
    """bounds: clip to [floor, cap]."""

    name: ClassVar[str] = "bounds"
    title_zh: ClassVar[str] = "上下限截断"
    function = staticmethod(bounds)
    params = (
        Param("floor", "下限（空 = 不设）", "lower limit (null: none)", optional=True),
        Param("cap", "上限（空 = 不设）", "upper limit (null: none)", optional=True),
    )
    rules = (at_least("cap", "floor"),)
    floor: float | None = None
    cap: float | None = None

    def apply(self, x: np.ndarray) -> np.ndarray:
        return bounds(x, self.floor, self.cap)


@register
@dataclass(frozen=True)
class Winsorise(Treatment):
    """winsorise: COINr's skew/kurtosis-driven Winsorisation with a log fallback."""

    name: ClassVar[str] = "winsorise"
    title_zh: ClassVar[str] = "缩尾处理（偏度、峰度超限时；否则取对数）"
    function = staticmethod(winsorise)
    params = (
        Param("skew", "偏度绝对值阈值", "threshold of the absolute skewness", lo=0),
        Param("kurt", "峰度阈值", "threshold of the excess kurtosis"),
        Param(
            "winmax",
            "最多缩尾的值数（空 = 县数的 10%）",
            "most values Winsorised (null: 10 % of the regions)",
            kind="integer",
            lo=0,
            optional=True,
        ),
        Param(
            "fallback",
            "超过次数后的处理：log（取对数）或 none",
            "what to do past winmax: log or none",
            kind="text",
            choices=("log", "none"),
        ),
        Param(
            "winchange",
            "每步按当前偏度的正负选择缩尾的一侧",
            "choose the side afresh at every step",
            kind="bool",
        ),
    )
    skew: float = 2.0
    kurt: float = 3.5
    winmax: int | None = None
    fallback: str = "log"
    winchange: bool = True

    def apply(self, x: np.ndarray) -> np.ndarray:
        return winsorise(x, self.skew, self.kurt, self.winmax, self.fallback, self.winchange)
