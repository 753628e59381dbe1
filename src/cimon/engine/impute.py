"""Impute: the per-indicator missing-data policy (缺失值处理).

Every imputed cell is flagged by the pipeline (``imputed:<method>``) and the flag travels to the
results and the report. Missing values left missing score 0 points (policy ``none``) and are flagged
``missing``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import ClassVar

import numpy as np

from cimon.engine.base import Method, Param, register


@dataclass(frozen=True)
class ImputeContext:
    """What an imputation may look at besides the column itself.

    previous:
        the same indicator in the previous data year (NaN where unknown), or None.
    groups:
        group labels per region, by grouping name (``city``, ``type``, ``tag:山区县`` …).
    """

    previous: np.ndarray | None = None
    groups: Mapping[str, np.ndarray] = field(default_factory=dict)


def impute_none(x: np.ndarray) -> np.ndarray:
    """Leave missing values missing; they score 0 points downstream."""
    return np.array(x, float, copy=True)


def carry_forward(x: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """Replace a missing value with the region's value of the previous year (if that exists).

    A region missing in both years stays missing; without a previous year (``None``) nothing
    changes. Present values are never touched.
    """
    out = np.array(x, float, copy=True)
    if previous is not None:
        miss = np.isnan(out)
        out[miss] = np.asarray(previous, float)[miss]
    return out


def exact_mean(v: np.ndarray) -> float:
    """The mean of ``v`` correctly rounded to the nearest double.

    Summation order then does not matter, and the result equals R's ``mean()`` (which accumulates in
    long double and adds a correction pass), so imputed values reproduce COINr bit for bit.
    """
    vals = np.asarray(v, float).ravel()
    if vals.size == 0:
        return float("nan")
    return float(sum((Fraction(t) for t in vals.tolist()), Fraction(0)) / vals.size)


def group_stat(x: np.ndarray, groups: np.ndarray, stat: str = "median") -> np.ndarray:
    """Replace a missing value with the median (or mean) of the present values of its group.

    A group with no present value leaves its missing values missing. The median of an even count
    is the mean of the two middle values; the mean is correctly rounded (:func:`exact_mean`).
    """
    if stat not in ("median", "mean"):
        raise ValueError("stat must be 'median' or 'mean'")
    out = np.array(x, float, copy=True)
    labels = np.asarray(groups)
    if labels.shape != out.shape:
        raise ValueError("groups must have one label per region")
    missing = np.isnan(out)
    # only the groups with a missing value (the others have nothing to fill): at national size,
    # 330 cities per indicator and replicate took most of a robustness analysis's time (#20)
    for g in dict.fromkeys(labels[missing].tolist()):
        in_g = labels == g
        present = out[in_g & ~missing]
        if present.size:
            value = float(np.median(present)) if stat == "median" else exact_mean(present)
            out[in_g & missing] = value
    return out


def group_median(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Missing value → median of the present values of the region's group (:func:`group_stat`)."""
    return group_stat(x, groups, "median")


def group_mean(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Missing value → mean of the present values of the region's group (:func:`group_stat`);
    COINr's ``imtype = "indgroup_mean"``."""
    return group_stat(x, groups, "mean")


class Imputer(Method):
    stage: ClassVar[str] = "impute"

    def apply(self, x: np.ndarray, ctx: ImputeContext) -> np.ndarray:
        raise NotImplementedError


@register
@dataclass(frozen=True)
class NoImpute(Imputer):
    """none: missing stays missing and scores 0 (flagged)."""

    name: ClassVar[str] = "none"
    title_zh: ClassVar[str] = "不插补（缺失记 0 分）"
    function = staticmethod(impute_none)

    def apply(self, x: np.ndarray, ctx: ImputeContext) -> np.ndarray:
        return impute_none(x)


@register
@dataclass(frozen=True)
class CarryForward(Imputer):
    """carry_forward: use last year's value."""

    name: ClassVar[str] = "carry_forward"
    title_zh: ClassVar[str] = "沿用上年数据"
    function = staticmethod(carry_forward)

    def apply(self, x: np.ndarray, ctx: ImputeContext) -> np.ndarray:
        return carry_forward(x, ctx.previous)


@register
@dataclass(frozen=True)
class GroupMedian(Imputer):
    """group_median: the median of the region's group (``group``: city, type or tag:NAME)."""

    name: ClassVar[str] = "group_median"
    title_zh: ClassVar[str] = "同组（设区市/同类县）中位数"
    function = staticmethod(group_median)
    params = (
        Param(
            "group",
            "分组：all（全部）、city（设区市）、type（县的类型）或 tag:标签",
            "the group: all, city, type (of county) or tag:NAME",
            kind="text",
        ),
    )
    group: str = "city"

    def apply(self, x: np.ndarray, ctx: ImputeContext) -> np.ndarray:
        return group_median(x, _groups(ctx, self.group, len(x)))


@register
@dataclass(frozen=True)
class GroupMean(Imputer):
    """group_mean: the mean of the region's group (COINr's ``indgroup_mean``)."""

    name: ClassVar[str] = "group_mean"
    title_zh: ClassVar[str] = "同组均值"
    function = staticmethod(group_mean)
    params = (
        Param(
            "group",
            "分组：all（全部）、city（设区市）、type（县的类型）或 tag:标签",
            "the group: all, city, type (of county) or tag:NAME",
            kind="text",
        ),
    )
    group: str = "city"

    def apply(self, x: np.ndarray, ctx: ImputeContext) -> np.ndarray:
        return group_mean(x, _groups(ctx, self.group, len(x)))


def _groups(ctx: ImputeContext, name: str, n: int) -> np.ndarray:
    if name == "all":
        return np.zeros(n, int)
    try:
        return np.asarray(ctx.groups[name])
    except KeyError:
        from cimon.errors import MethodError

        raise MethodError(
            f"插补分组“{name}”不存在。可用分组：all、{'、'.join(ctx.groups)}。",
            f"Imputation group '{name}' does not exist. Available: all, {', '.join(ctx.groups)}.",
        ) from None
