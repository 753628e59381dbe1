"""Normalise: turn each indicator into a score fraction (得分率), usually in [0, 1].

The indicator's points times this fraction are the points it earns. Every method honours the
indicator's direction (+1: more is better, −1: less is better). Missing stays missing.

Two families:

* **fixed references** (comparable across years, the default): ``target``, ``growth``,
  ``base_index``, ``goalposts``, ``rubric``. The reference values are parameters stored in the
  framework version, so a county's score changes only when its own value does.
* **relative to the year's data** (options and uncertainty alternatives): ``minmax``, ``zscore``,
  ``rank``, ``efficacy``, ``distance_to_best``. They use the present values of one column (one
  indicator, one year); missing values neither take part nor get a score.

Every pure function takes the column first and its parameters and ``direction`` by keyword, with
the same names as the parameters of its class (``fn(x, **method.get_params(), direction=d)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, Param, Rule, register
from cimon.engine.params import at_least

# --------------------------------------------------------------------------------------------
# fixed references


def target_attainment(x: np.ndarray, floor: float, target: float, direction: int = 1) -> np.ndarray:
    """Target attainment ``clip((x − floor) / (target − floor), 0, 1)``.

    Comparable across years: the floor and target are fixed in the framework version, so a county's
    score changes only when its own value does. For direction −1, give ``target < floor`` (the
    formula is the same: values at or below the target score 1).

    Missing values stay missing.

    References: the national statistical monitoring method (ratio to a fixed standard, capped);
    docs/frameworks/sources.md, rules 1–2.
    """
    Target.check_params({"floor": floor, "target": target}, direction=direction)
    x = np.asarray(x, float)
    with np.errstate(invalid="ignore"):
        return np.clip((x - floor) / (target - floor), 0.0, 1.0)


def growth_score(
    x: np.ndarray, g_star: float, floor: float = 0.0, direction: int = 1
) -> np.ndarray:
    """Growth scoring: full points at a growth rate ≥ ``g_star``, none at ≤ ``floor``, linear between.

    .. math:: s = \\operatorname{clip}\\big((g - g_0) / (g^* - g_0),\\ 0,\\ 1\\big)

    with ``g`` the indicator's growth rate (in %, as ``growth()`` derives it), ``g_0 = floor``
    (default 0: no growth earns nothing) and ``g* = g_star``. The policy texts state such items as
    “年增长率达到 g* 得满分，零增长或负增长不得分”. For direction −1 (a fall is good, e.g. energy
    use per unit of output) give ``g_star < floor``: a fall of ``|g_star − floor|`` earns full
    points.

    Missing values stay missing.
    """
    Growth.check_params({"g_star": g_star, "floor": floor}, direction=direction)
    x = np.asarray(x, float)
    with np.errstate(invalid="ignore"):
        return np.clip((x - floor) / (g_star - floor), 0.0, 1.0)


def base_index(
    x: np.ndarray, base_mean: float, cap: float | None = None, direction: int = 1
) -> np.ndarray:
    """Index on the base-year provincial mean: ``x / x̄_base`` (1.0 = the base year's mean).

    Official monitoring reports write this as ``100 · x / x̄_base`` (基期全省平均 = 100); as a score
    fraction we drop the factor 100. For direction −1 the ratio is inverted, ``x̄_base / x``, so a
    county at half the base-year mean of a “less is better” indicator scores 2.0; there, values
    ``x ≤ 0`` have no meaningful index and give NaN (missing, flagged).

    A negative ratio (direction +1 with ``x < 0``) is clipped to 0: a county never earns negative
    points. ``cap`` (default ``None``: unbounded) limits the fraction from above, e.g. ``cap=1.2``
    lets a county earn at most 120 % of the indicator's points.

    Missing values stay missing.
    """
    BaseIndex.check_params({"base_mean": base_mean, "cap": cap})
    x = np.asarray(x, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if direction < 0:
            out = np.where(x > 0, base_mean / np.where(x > 0, x, 1.0), np.nan)
            out[np.isnan(x)] = np.nan
        else:
            out = x / base_mean
        out = np.maximum(out, 0.0)
        if cap is not None:
            out = np.minimum(out, float(cap))
    return np.asarray(out, float)


def goalposts(x: np.ndarray, lo: float, hi: float, direction: int = 1) -> np.ndarray:
    """Fixed goalposts: ``clip((x − lo) / (hi − lo), 0, 1)``; direction −1: ``clip((hi − x) / (hi − lo))``.

    ``lo`` and ``hi`` are learned once on a base year (see :func:`learn_goalposts`) and stored in the
    framework version, so later years are scored on the same scale: a county that improves beyond
    the base year's best earns full points, and a whole province that improves scores higher
    (unlike per-year min-max). Missing values stay missing.

    Reference: UNDP Human Development Report technical notes (fixed goalposts); OECD/JRC Handbook on
    Constructing Composite Indicators (2008), section 5.
    """
    Goalposts.check_params({"lo": lo, "hi": hi})
    x = np.asarray(x, float)
    with np.errstate(invalid="ignore"):
        frac = (x - lo) / (hi - lo) if direction >= 0 else (hi - x) / (hi - lo)
        return np.clip(frac, 0.0, 1.0)


def learn_goalposts(x_base: np.ndarray) -> tuple[float, float]:
    """Goalposts from the base year: ``(lo, hi) = (min, max)`` of the present base-year values.

    Raises ``ValueError`` when no value is present or all present values are equal (no spread to
    score against). Store the result in the framework (``normalise: {method: goalposts, lo: …,
    hi: …}``); never re-learn it on the year being scored.
    """
    x = np.asarray(x_base, float)
    present = x[~np.isnan(x)]
    if present.size == 0:
        raise ValueError("no base-year value is present")
    lo, hi = float(present.min()), float(present.max())
    if lo == hi:
        raise ValueError("all base-year values are equal")
    return lo, hi


def rubric(x: np.ndarray, max_points: float, direction: int = 1) -> np.ndarray:
    """Qualitative rubric points (experts' combined score) as a fraction of the item's maximum,
    ``clip(x / max_points, 0, 1)``; direction −1 (rare: a penalty item) gives ``1 − that``.

    Missing values stay missing."""
    Rubric.check_params({"max_points": max_points})
    x = np.asarray(x, float)
    with np.errstate(invalid="ignore"):
        frac = np.clip(x / float(max_points), 0.0, 1.0)
    return frac if direction >= 0 else 1.0 - frac


# --------------------------------------------------------------------------------------------
# relative to the year's data


def _oriented(x: np.ndarray, direction: int) -> np.ndarray:
    """The column with “more is better” orientation: ``x`` or ``−x``."""
    x = np.asarray(x, float)
    return x if direction >= 0 else -x


def minmax(x: np.ndarray, constant: float = 1.0, direction: int = 1) -> np.ndarray:
    """Per-year min-max: ``(x − min) / (max − min)``; direction −1: ``(max − x) / (max − min)``.

    min and max are over the present values of the column. A constant column (max = min, including
    a single present value) has no spread; every present value then gets ``constant`` (default 1.0:
    nobody is behind anybody, so nobody loses points; ``constant=0.0`` gives COINr's behaviour of
    returning no information). Missing values stay missing.

    The direction −1 case is computed as min-max of ``−x`` (COINr multiplies by the direction before
    normalising), which gives the same floating-point numbers.

    Reference: OECD/JRC Handbook (2008) section 5; COINr ``n_minmax``.
    """
    MinMax.check_params({"constant": constant})
    v = _oriented(x, direction)
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    if not ok.any():
        return out
    lo, hi = v[ok].min(), v[ok].max()
    out[ok] = float(constant) if hi == lo else (v[ok] - lo) / (hi - lo)
    return out


def zscore(x: np.ndarray, ddof: int = 1, direction: int = 1) -> np.ndarray:
    """Standardisation: ``direction · (x − mean) / sd`` over the present values.

    ``ddof=1`` (default) uses the sample standard deviation (R's ``sd()``, COINr's ``n_zscore``);
    ``ddof=0`` the population one. Unbounded and centred on 0, so half the counties earn negative
    points: use it for analysis and uncertainty, not for published 百分制 scores. A constant column
    (sd = 0) or too few values (fewer than ``ddof + 1``) gives 0 for every present value. Missing
    values stay missing.
    """
    ZScore.check_params({"ddof": ddof})
    v = _oriented(x, direction)
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    n = int(ok.sum())
    if n == 0:
        return out
    mean = v[ok].mean()
    sd = v[ok].std(ddof=ddof) if n > ddof else 0.0
    out[ok] = 0.0 if not sd > 0 else (v[ok] - mean) / sd
    return out


def efficacy(x: np.ndarray, lo: float = 60.0, hi: float = 100.0, direction: int = 1) -> np.ndarray:
    """Efficacy coefficient (功效系数法): ``(lo + (hi − lo) · (x − min) / (max − min)) / 100``.

    The classic Chinese evaluation form scores the worst county ``lo = 60`` and the best
    ``hi = 100`` points out of 100; divided by 100 the fraction runs 0.6–1.0. ``lo`` and ``hi`` are
    in points-of-100 (0 ≤ lo ≤ hi ≤ 100). Direction −1 uses ``(max − x)``. A constant column scores
    ``hi / 100`` (as min-max with ``constant=1``). Missing values stay missing.

    Reference: 功效系数法 as used in Chinese regional evaluation, e.g. 《综合评价理论、方法及应用》
    (苏为华, 2005); the satisfactory value / not-allowed value are taken as the year's max / min.
    """
    Efficacy.check_params({"lo": lo, "hi": hi})
    r = minmax(x, constant=1.0, direction=direction)
    return (lo + (hi - lo) * r) / 100.0


def distance_to_best(x: np.ndarray, direction: int = 1) -> np.ndarray:
    """Distance to the best performer: ``x / max`` (direction +1) or ``min / x`` (direction −1).

    Defined for non-negative data (counts, shares, intensities); a negative value gives NaN. Zeros:
    for +1, if the best value is 0 every present value scores 1 (all are the best); for −1, a zero
    value is the best and scores 1, and when the best value is 0 every positive value scores 0.
    Missing values stay missing.

    Reference: OECD/JRC Handbook (2008) section 5 (“distance to a reference”, the leader as reference).
    """
    x = np.asarray(x, float)
    out = np.full(x.shape, np.nan)
    with np.errstate(invalid="ignore"):
        ok = x >= 0  # False for NaN and for negative values
    if not ok.any():
        return out
    v = x[ok]
    if direction >= 0:
        best = v.max()
        out[ok] = 1.0 if best == 0 else v / best
    else:
        best = v.min()
        out[ok] = np.where(v == 0, 1.0, best / np.where(v == 0, 1.0, v))
    return out


# --------------------------------------------------------------------------------------------
# thin classes


def _beyond_floor(ref: str, ref_zh: str) -> tuple[Rule, ...]:
    """A full-points reference (``target``, ``g_star``) differs from the ``floor`` and lies above
    it when more is better, below it when less is better."""
    return (
        Rule(
            ref,
            (ref, "floor"),
            lambda v: v[ref] != v["floor"],
            f"{ref_zh} {{{ref}}} 不能等于下限 {{floor}}",
            f"{ref} {{{ref}}} must differ from floor {{floor}}",
        ),
        *(
            Rule(
                ref,
                (ref, "floor"),
                (lambda v: v[ref] > v["floor"]) if d > 0 else (lambda v: v[ref] < v["floor"]),
                f"指标方向为{'正' if d > 0 else '负'}，{ref_zh} {{{ref}}} 应{'高' if d > 0 else '低'}于"
                f"下限 {{floor}}。请交换或修正这两个值",
                f"the indicator's direction is {'+' if d > 0 else '-'}: {ref} {{{ref}}} must be "
                f"{'above' if d > 0 else 'below'} floor {{floor}}. Swap or fix them",
                direction=d,
            )
            for d in (1, -1)
        ),
    )


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
    params = (
        Param("floor", "得 0 分的值", "the value that scores 0"),
        Param("target", "得满分的目标值", "the target value that scores full points"),
    )
    rules = _beyond_floor("target", "目标值")
    floor: float = 0.0
    target: float = 1.0

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return target_attainment(x, self.floor, self.target, direction)


@register
@dataclass(frozen=True)
class Growth(Normaliser):
    """growth: full points at growth ≥ ``g_star`` %, none at ≤ ``floor`` %, linear between."""

    name: ClassVar[str] = "growth"
    title_zh: ClassVar[str] = "增长率达标计分（达到目标增速得满分）"
    function = staticmethod(growth_score)
    params = (
        Param("g_star", "得满分的增长率（%）", "the growth rate (%) that scores full points"),
        Param("floor", "得 0 分的增长率（%）", "the growth rate (%) that scores 0"),
    )
    rules = _beyond_floor("g_star", "目标增速")
    g_star: float
    floor: float = 0.0

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return growth_score(x, self.g_star, self.floor, direction)


@register
@dataclass(frozen=True)
class BaseIndex(Normaliser):
    """base_index: ``x / base_mean`` (1.0 = the base year's provincial mean), optionally capped."""

    name: ClassVar[str] = "base_index"
    title_zh: ClassVar[str] = "基期指数（基期全省平均 = 100）"
    bounded: ClassVar[bool] = False
    function = staticmethod(base_index)
    params = (
        Param("base_mean", "基期全省平均值", "the base year's provincial mean", lo=0, open_lo=True),
        Param(
            "cap",
            "得分率上限（空：不封顶）",
            "fraction cap (null: none)",
            lo=0,
            open_lo=True,
            optional=True,
        ),
    )
    base_mean: float
    cap: float | None = None

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return base_index(x, self.base_mean, self.cap, direction)


@register
@dataclass(frozen=True)
class Goalposts(Normaliser):
    """goalposts: min-max between fixed goalposts ``lo`` and ``hi`` learned on a base year."""

    name: ClassVar[str] = "goalposts"
    title_zh: ClassVar[str] = "基期固定阈值（跨年可比的极差法）"
    function = staticmethod(goalposts)
    params = (
        Param("lo", "下阈值（基期最小值，得 0 分）", "lower goalpost (base-year minimum)"),
        Param("hi", "上阈值（基期最大值，得满分）", "upper goalpost (base-year maximum)"),
    )
    rules = (at_least("hi", "lo", strict=True),)
    lo: float
    hi: float

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return goalposts(x, self.lo, self.hi, direction)


@register
@dataclass(frozen=True)
class Rubric(Normaliser):
    """rubric: experts' points out of ``max_points``."""

    name: ClassVar[str] = "rubric"
    title_zh: ClassVar[str] = "定性指标专家评分"
    function = staticmethod(rubric)
    params = (Param("max_points", "该项满分", "the item's maximum points", lo=0, open_lo=True),)
    max_points: float = 5.0

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return rubric(x, self.max_points, direction)


@register
@dataclass(frozen=True)
class MinMax(Normaliser):
    """minmax: per-year min-max to [0, 1] (constant column → ``constant``)."""

    name: ClassVar[str] = "minmax"
    title_zh: ClassVar[str] = "极差标准化（逐年）"
    function = staticmethod(minmax)
    params = (
        Param("constant", "取值全相同时的得分率", "fraction of a constant column", lo=0, hi=1),
    )
    constant: float = 1.0

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return minmax(x, self.constant, direction)


@register
@dataclass(frozen=True)
class ZScore(Normaliser):
    """zscore: standardised values (unbounded; sample SD by default)."""

    name: ClassVar[str] = "zscore"
    title_zh: ClassVar[str] = "Z 分数标准化（逐年）"
    bounded: ClassVar[bool] = False
    function = staticmethod(zscore)
    params = (
        Param(
            "ddof",
            "标准差自由度修正（1 样本，0 总体）",
            "SD ddof (1: sample, 0: population)",
            kind="integer",
            choices=(0, 1),
        ),
    )
    ddof: int = 1

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return zscore(x, self.ddof, direction)


@register
@dataclass(frozen=True)
class Efficacy(Normaliser):
    """efficacy: 功效系数法, worst ``lo`` to best ``hi`` points of 100."""

    name: ClassVar[str] = "efficacy"
    title_zh: ClassVar[str] = "功效系数法（60–100 分）"
    function = staticmethod(efficacy)
    params = (
        Param("lo", "最差县的得分（百分制）", "points of 100 of the worst county", lo=0, hi=100),
        Param("hi", "最好县的得分（百分制）", "points of 100 of the best county", lo=0, hi=100),
    )
    rules = (at_least("hi", "lo"),)
    lo: float = 60.0
    hi: float = 100.0

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return efficacy(x, self.lo, self.hi, direction)


@register
@dataclass(frozen=True)
class DistanceToBest(Normaliser):
    """distance_to_best: ``x / max`` (or ``min / x`` when less is better)."""

    name: ClassVar[str] = "distance_to_best"
    title_zh: ClassVar[str] = "与最优值之比（逐年）"
    function = staticmethod(distance_to_best)

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return distance_to_best(x, direction)
