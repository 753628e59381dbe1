"""Target kinds (目标类型): one class per kind of target a plan may set (issue #19).

The contract (parameters declared once, :class:`~cimon.analysis.target_base.Verdict`, the
shared rules) is in :mod:`cimon.analysis.target_base`; ``docs/analysis/targets.md`` has a
section per kind. Each kind's ``EXAMPLES`` are run by ``tests/analysis/test_target_kinds.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from cimon.analysis import target_kinds_group
from cimon.analysis.errors import TargetError
from cimon.analysis.target_base import (
    ALIASES,
    REGISTRY,
    STATUSES,
    UNIT_SEP,
    Context,
    Example,
    Param,
    TargetKind,
    Verdict,
    along_path,
    interpolate,
    n,
    reach,
    register,
)

__all__ = [
    "ALIASES",
    "REGISTRY",
    "STATUSES",
    "UNIT_SEP",
    "Context",
    "TargetKind",
    "Verdict",
    "doubling_target",
    "kind_class",
    "make_kind",
    "peer_rank",
]


peer_rank = target_kinds_group.peer_rank  # registered with the group kinds


def kind_class(name: str, where: str = "") -> type[TargetKind]:
    """The class of a kind by its name (or an older alias: ``reach``, ``growth``)."""
    cls = REGISTRY.get(ALIASES.get(name, name))
    if cls is None:
        names = sorted(REGISTRY) + sorted(ALIASES)
        raise TargetError(
            f"未知的目标类型“{name}”。可用：{'、'.join(names)}。",
            f"Unknown target kind '{name}'. Known: {', '.join(names)}.",
            where,
        )
    return cls


def make_kind(name: str, params: Mapping[str, Any], where: str = "") -> TargetKind:
    """A kind from its name and raw parameters, checked against its declaration."""
    return kind_class(name, where).build(params, where)


def _latest(obs: Mapping[int, float]) -> tuple[int, float]:
    t = max(obs)
    return t, obs[t]


# --- level -----------------------------------------------------------------------------------------


@register
@dataclass(frozen=True)
class Level(TargetKind):
    """Reach a level by the deadline (高新技术企业 40 家), or the latest value of another series
    (``target_ref``: “达到全市平均水平”); ``at_most`` for fewer-is-better, ``about`` with a
    ``tolerance`` (“左右”)."""

    name: ClassVar[str] = "level"
    title_zh: ClassVar[str] = "到期达到某一水平"
    title_en: ClassVar[str] = "reach a level by a date"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("target", "number", doc="目标值 / the level"),
        Param("target_ref", "str", doc="参照系列 / a reference series"),
        Param("direction", "str", default="at_least", choices=("at_least", "at_most", "about")),
        Param("tolerance", "number", default=0.0, doc="about 的容差 / tolerance of about"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({"target": 40}, {"T": {2022: 22, 2024: 33}}, "on_track"),
        Example({"target": 4, "direction": "at_most"}, {"T": {2022: 10, 2024: 6}}, "on_track"),
        Example(
            {"target": 8, "direction": "about", "tolerance": 1}, {"T": {2025: 9}}, "met", 2020, 2025
        ),
    )
    target: float | None = None
    target_ref: str | None = None
    direction: str = "at_least"
    tolerance: float = 0.0

    def check(self, where: str) -> None:
        if (self.target is None) == (self.target_ref is None):
            raise TargetError(
                "target（目标值）与 target_ref（参照系列）二者择一。",
                "Give exactly one of target (a value) or target_ref (a reference series).",
                where,
            )

    def evaluate(self, ctx: Context) -> Verdict:
        target = self.target
        if self.target_ref is not None:
            ref = ctx.series.get(self.target_ref, {})
            if not ref:
                return Verdict("no_data", f"参照系列 {self.target_ref} 没有数值。",
                               f"Reference series {self.target_ref} has no values.")  # fmt: skip
            target = ref[max(ref)]
        assert target is not None
        if self.direction != "about":
            return reach(ctx.obs, target, ctx.deadline, ctx.at_risk_share,
                         higher=self.direction == "at_least")  # fmt: skip
        obs = ctx.obs
        if not obs:
            return Verdict("no_data", "没有观测值。", "No observations.", target)
        t, v = _latest(obs)
        base: dict[str, Any] = {"target_value": target, "latest_year": t, "latest": v}
        gap, tol = abs(v - target), self.tolerance
        if gap <= tol + 1e-9:
            return Verdict("met", f"{t} 年 {n(v)} 在目标 {n(target)}±{n(tol)} 以内。",
                           f"{t}: {n(v)} within {n(target)}±{n(tol)}.", **base)  # fmt: skip
        if t >= ctx.deadline:
            return Verdict("missed", f"期限已到，{n(v)} 不在 {n(target)}±{n(tol)} 以内。",
                           f"Deadline reached; {n(v)} outside {n(target)}±{n(tol)}.", **base)  # fmt: skip
        first = obs[min(obs)]
        closer = gap < abs(first - target)
        return Verdict(
            "on_track" if closer else "at_risk",
            f"{t} 年 {n(v)}，与目标 {n(target)} 的差距{'缩小' if closer else '未缩小'}（{min(obs)} 年 {n(first)}）。",
            f"{t}: {n(v)}, gap to {n(target)} {'narrowed' if closer else 'not narrowed'} "
            f"since {min(obs)} ({n(first)}).",
            **base,
        )


# --- 破零 ------------------------------------------------------------------------------------------


@register
@dataclass(frozen=True)
class ZeroBreak(TargetKind):
    """破零: from none to at least one (实体化研究院, 国家重点研发计划项目 …). Met once the latest
    value reaches ``threshold`` (1); still at zero, on track while two years or more remain and
    at risk in the last year."""

    name: ClassVar[str] = "zero_break"
    title_zh: ClassVar[str] = "破零（从无到有）"
    title_en: ClassVar[str] = "break zero (from none to at least one)"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("threshold", "number", default=1.0, doc="视为破零的最小值 / the value that counts"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({}, {"T": {2023: 0, 2024: 1}}, "met"),
        Example({}, {"T": {2024: 0}}, "on_track"),
        Example({}, {"T": {2026: 0}}, "at_risk"),
        Example({}, {"T": {2027: 0}}, "missed"),
    )
    threshold: float = 1.0

    def evaluate(self, ctx: Context) -> Verdict:
        obs = ctx.obs
        if not obs:
            return Verdict("no_data", "没有观测值。", "No observations.", self.threshold)
        t, v = _latest(obs)
        base: dict[str, Any] = {"target_value": self.threshold, "latest_year": t, "latest": v}
        if v >= self.threshold:
            return Verdict("met", f"已破零：{t} 年为 {n(v)}（≥ {n(self.threshold)}）。",
                           f"Zero broken: {n(v)} in {t} (≥ {n(self.threshold)}).", **base)  # fmt: skip
        left = ctx.deadline - t
        if left <= 0:
            return Verdict("missed", f"期限 {ctx.deadline} 年已到，仍未破零（{n(v)}）。",
                           f"Deadline {ctx.deadline} reached, still at {n(v)}.", **base)  # fmt: skip
        status = "on_track" if left >= 2 else "at_risk"
        return Verdict(
            status,
            f"{t} 年尚未破零，距期限还有 {left} 年（还有 2 年及以上为按期可达，否则存在风险）。",
            f"Not yet broken in {t}; {left} year(s) to the deadline (two or more: on track, "
            "fewer: at risk).",
            **base,
        )


# --- 翻一番 ----------------------------------------------------------------------------------------


def doubling_target(base: float, factor: float = 2.0, where: str = "") -> float:
    """The value to reach when a base-year value is to be multiplied by ``factor`` (翻一番: 2).
    A zero (or negative) base is refused: doubling nothing is still nothing."""
    if not base > 0:
        raise TargetError(
            f"翻一番的基数为 {n(base)}：基数为零（或负数）时翻一番没有意义。请改用“破零”或“达到水平”类目标。",
            f"The base of a doubling target is {n(base)}: a zero (or negative) base cannot be "
            "doubled. Use a zero_break or level target instead.",
            where,
        )
    return base * factor


@register
@dataclass(frozen=True)
class Double(TargetKind):
    """翻一番: multiply the base-year value by ``factor`` (2) by the deadline; the base is the
    value given (``base``) or the observation of ``base_year`` (the plan's base year). Then as
    :class:`Level`. A zero base is refused (``invalid``)."""

    name: ClassVar[str] = "double"
    title_zh: ClassVar[str] = "翻一番（基期值的倍数）"
    title_en: ClassVar[str] = "double a base-year value"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("base", "number", doc="基期值（缺省取基期观测值）/ base value"),
        Param("base_year", "int", doc="基期年度（缺省为方案基期）/ base year"),
        Param("factor", "number", default=2.0, doc="倍数 / factor"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({}, {"T": {2022: 1.0, 2024: 1.5}}, "on_track"),
        Example({}, {"T": {2022: 0.0, 2024: 0.5}}, "invalid"),
    )
    base: float | None = None
    base_year: int | None = None
    factor: float = 2.0

    def check(self, where: str) -> None:
        if self.factor <= 1:
            raise TargetError("倍数 factor 应大于 1。", "factor must be greater than 1.", where)
        if self.base is not None:
            doubling_target(self.base, self.factor, where)

    def evaluate(self, ctx: Context) -> Verdict:
        year = self.base_year or ctx.base_year
        base = self.base if self.base is not None else ctx.obs.get(year)
        if base is None:
            return Verdict(
                "no_data", f"没有基期（{year} 年）数值。", f"No base-year ({year}) value."
            )
        try:
            target = doubling_target(base, self.factor)
        except TargetError as exc:
            return Verdict("invalid", exc.zh, exc.en)
        v = reach(ctx.obs, target, ctx.deadline, ctx.at_risk_share)
        return dataclasses.replace(
            v,
            rule_zh=f"目标 = {year} 年 {n(base)} × {n(self.factor)} = {n(target)}；{v.rule_zh}",
            rule_en=f"target = {n(base)} ({year}) × {n(self.factor)} = {n(target)}; {v.rule_en}",
        )


# --- growth ----------------------------------------------------------------------------------------


@register
@dataclass(frozen=True)
class Cagr(TargetKind):
    """年均增长 ≥ r % (财政科技投入年均增长15%以上): the level ``base · (1 + r)^(deadline − base
    year)`` with the base-year observation, then as :class:`Level`."""

    name: ClassVar[str] = "cagr"
    title_zh: ClassVar[str] = "年均增长率（复合）"
    title_en: ClassVar[str] = "compound average annual growth (CAGR)"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("target", "number", required=True, doc="年均增长率（%）/ annual growth in %"),
        Param("base_year", "int", doc="基期年度 / base year"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({"target": 15}, {"T": {2022: 5000, 2023: 5600, 2024: 6300}}, "off_track"),
    )
    target: float = 0.0
    base_year: int | None = None

    def evaluate(self, ctx: Context) -> Verdict:
        year = self.base_year or ctx.base_year
        start = ctx.obs.get(year)
        if not start:
            return Verdict(
                "no_data", f"没有基期（{year} 年）数值。", f"No base-year ({year}) value."
            )
        level = start * (1 + self.target / 100) ** (ctx.deadline - year)
        v = reach(ctx.obs, level, ctx.deadline, ctx.at_risk_share)
        return dataclasses.replace(
            v,
            rule_zh=f"目标 = {year} 年 {n(start)} × (1+{n(self.target)}%)^{ctx.deadline - year} = {n(level)}；{v.rule_zh}",
            rule_en=f"target = {n(start)} ({year}) × (1+{n(self.target)}%)^{ctx.deadline - year} = {n(level)}; {v.rule_en}",
        )


@register
@dataclass(frozen=True)
class Yoy(TargetKind):
    """年度增长率 ≥ r % every year (本级财政R&D经费投入年度增长率): the growth of the latest year
    over the year before. Before the deadline on track when it reaches r, at risk when it
    reaches ``at_risk_share`` of r; in the deadline year met or missed."""

    name: ClassVar[str] = "yoy"
    title_zh: ClassVar[str] = "年度增长率"
    title_en: ClassVar[str] = "year-on-year growth rate"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("target", "number", required=True, doc="年度增长率（%）/ growth in %"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({"target": 10}, {"T": {2023: 100, 2024: 112}}, "on_track"),
        Example({"target": 10}, {"T": {2026: 100, 2027: 105}}, "missed"),
    )
    target: float = 0.0

    def evaluate(self, ctx: Context) -> Verdict:
        obs = ctx.obs
        pairs = [y for y in obs if y - 1 in obs and obs[y - 1] > 0]
        if not pairs:
            return Verdict(
                "no_data", "没有相邻两年的数值。", "No two consecutive years.", self.target
            )
        t = max(pairs)
        g = (obs[t] / obs[t - 1] - 1) * 100
        base: dict[str, Any] = {"target_value": self.target, "latest_year": t, "latest": g}
        said_zh, said_en = (
            f"{t} 年增长 {g:.1f}%，目标 ≥ {n(self.target)}%",
            f"{t}: growth {g:.1f}%, target ≥ {n(self.target)}%",
        )
        if t >= ctx.deadline:
            status = "met" if g >= self.target - 1e-9 else "missed"
        elif g >= self.target - 1e-9:
            status = "on_track"
        elif g >= ctx.at_risk_share * self.target:
            status = "at_risk"
        else:
            status = "off_track"
        zh, en = STATUSES[status]
        return Verdict(status, f"{said_zh}（{zh}）。", f"{said_en} ({en}).", **base)


# --- milestones ------------------------------------------------------------------------------------


@register
@dataclass(frozen=True)
class Milestones(TargetKind):
    """Yearly milestones: given (``milestones: {2024: 16, 2025: 24}``) or interpolated on the
    straight line from the base-year value (``base`` or the observation) to ``target`` at the
    deadline. The latest value is compared with its year's milestone."""

    name: ClassVar[str] = "milestones"
    title_zh: ClassVar[str] = "年度节点目标"
    title_en: ClassVar[str] = "yearly milestones, given or interpolated"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("target", "number", required=True, doc="期末目标 / final target"),
        Param("milestones", "mapping", default={}, doc="年度节点 / year → value"),
        Param("base", "number", doc="基期值 / base value"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({"target": 40, "base": 0}, {"T": {2024: 16}}, "on_track"),
        Example({"target": 40, "milestones": {2024: 20}}, {"T": {2024: 18.5}}, "at_risk"),
    )
    target: float = 0.0
    milestones: Mapping[Any, Any] = dataclasses.field(default_factory=dict)
    base: float | None = None

    def check(self, where: str) -> None:
        try:
            points = {int(k): float(v) for k, v in self.milestones.items()}
        except (TypeError, ValueError):
            raise TargetError(
                "milestones 应写成 {年度: 数值}，如 2024: 16。",
                "milestones must map years to numbers, e.g. 2024: 16.",
                f"{where}.milestones",
            ) from None
        object.__setattr__(self, "milestones", points)

    def evaluate(self, ctx: Context) -> Verdict:
        obs = ctx.obs
        points = {int(k): float(v) for k, v in self.milestones.items()}
        start = self.base if self.base is not None else obs.get(ctx.base_year)
        if start is not None:
            points.setdefault(ctx.base_year, start)
        points[ctx.deadline] = self.target
        if len(points) < 2 or not obs:
            return Verdict("no_data", "没有基期值或观测值，无法确定年度节点。",
                           "No base value or observation to place the milestones.", self.target)  # fmt: skip
        t, v = _latest(obs)
        return along_path(
            t, v, interpolate(points, t), self.target, ctx.deadline, ctx.at_risk_share
        )
