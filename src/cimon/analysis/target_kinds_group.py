"""Target kinds over a group of units (issue #19): 全覆盖 (every unit of a set), 争先进位 (a
place in a peer group) and a class or score in the evaluation. Registered on import by
:mod:`cimon.analysis.target_kinds`, which holds the others and the look-up."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from cimon.analysis.errors import TargetError
from cimon.analysis.target_base import (
    STATUSES,
    Context,
    Example,
    Param,
    TargetKind,
    Verdict,
    along_path,
    interpolate,
    mid_year,
    n,
    reach,
    register,
)


def _latest(obs: Mapping[int, float]) -> tuple[int, float]:
    t = max(obs)
    return t, obs[t]


# --- 全覆盖 ----------------------------------------------------------------------------------------


@register
@dataclass(frozen=True)
class Coverage(TargetKind):
    """全覆盖: every unit of a set (every town has a 科技特派员). Values per unit
    (``code@unit`` rows, covered when ≥ ``threshold``); the set is ``units`` plus every unit in
    the values. A unit ``added`` during a year counts from that year, unless fewer than
    ``grace_months`` (6) of the year remain — then from the next year. The share covered is
    compared with the straight path from the first observed share to 100 % at the deadline."""

    name: ClassVar[str] = "coverage"
    title_zh: ClassVar[str] = "全覆盖"
    title_en: ClassVar[str] = "full coverage of a set of units"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("units", "list", default=(), doc="应覆盖的单位 / the set"),
        Param("added", "mapping", default={}, doc="新增单位及日期 / units added, with dates"),
        Param("grace_months", "int", default=6, doc="新增单位的宽限月数 / grace for new units"),
        Param("threshold", "number", default=1.0, doc="视为覆盖的最小值 / covered from"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({"units": ["甲", "乙"]}, {"T@甲": {2024: 1}, "T@乙": {2024: 1}}, "met"),
        Example(
            {"units": ["甲", "乙"], "added": {"丙": "2024-09-01"}},
            {"T@甲": {2024: 1}, "T@乙": {2024: 1}},
            "met",
        ),
    )
    units: tuple[str, ...] = ()
    added: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    grace_months: int = 6
    threshold: float = 1.0

    def check(self, where: str) -> None:
        for unit, day in self.added.items():
            try:
                date.fromisoformat(str(day))
            except ValueError:
                raise TargetError(
                    f"新增单位“{unit}”的日期“{day}”应写成 2025-07-01。",
                    f"The date of added unit '{unit}' ('{day}') must read like 2025-07-01.",
                    f"{where}.added.{unit}",
                ) from None

    def members(self, year: int, seen: set[str]) -> tuple[set[str], set[str]]:
        """The set in ``year`` and the units still in their grace period."""
        out, grace = set(self.units) | seen, set()
        for unit, day in self.added.items():
            d = date.fromisoformat(str(day))
            if d.year > year:
                out.discard(unit)
            elif d.year == year and mid_year(d, self.grace_months):
                out.discard(unit)
                grace.add(unit)
            else:
                out.add(unit)
        return out, grace

    def evaluate(self, ctx: Context) -> Verdict:
        per_unit = ctx.units()
        years = sorted({y for s in per_unit.values() for y in s})
        if not years:
            return Verdict("no_data", "没有各单位的数值（code@单位）。",
                           "No per-unit values (code@unit).", 1.0)  # fmt: skip
        shares: dict[int, float] = {}
        for y in years:
            seen = {u for u, s in per_unit.items() if y in s}
            members, grace = self.members(y, seen)
            hit = {u for u in members if per_unit.get(u, {}).get(y, 0) >= self.threshold}
            shares[y] = len(hit) / len(members) if members else 1.0
        t = years[-1]
        seen = {u for u, s in per_unit.items() if t in s}
        members, grace = self.members(t, seen)
        got = sorted(u for u in members if per_unit.get(u, {}).get(t, 0) >= self.threshold)
        missing = sorted(members - set(got))
        planned = interpolate({years[0]: shares[years[0]], ctx.deadline: 1.0}, t)
        v = along_path(t, shares[t], planned, 1.0, ctx.deadline, ctx.at_risk_share, "覆盖率 ")
        tail_zh = f"已覆盖 {len(got)}/{len(members)}" + (
            f"，未覆盖：{'、'.join(missing)}" if missing else ""
        )
        tail_en = f"covered {len(got)}/{len(members)}" + (
            f"; not covered: {', '.join(missing)}" if missing else ""
        )
        if grace:
            tail_zh += f"；年内新增、宽限至次年：{'、'.join(sorted(grace))}"
            tail_en += (
                f"; added late in the year, counted from next year: {', '.join(sorted(grace))}"
            )
        return dataclasses.replace(
            v, rule_zh=f"{v.rule_zh}{tail_zh}。", rule_en=f"{v.rule_en} {tail_en}."
        )


# --- rank ------------------------------------------------------------------------------------------


def peer_rank(values: Mapping[str, float], unit: str, higher_is_better: bool = True) -> int:
    """The place of ``unit`` among ``values`` (1 = best). Ties share the best place of the tie
    (competition ranking: 90, 80, 80, 70 → 1, 2, 2, 4)."""
    mine = values[unit]
    better = sum(1 for v in values.values() if (v > mine if higher_is_better else v < mine))
    return better + 1


@register
@dataclass(frozen=True)
class Rank(TargetKind):
    """争先进位: move up within a peer group (山区26县). Values are places (1 = best; ties share
    the best place, :func:`peer_rank`). The goal is ``target_rank`` or the base-year place less
    ``improve_by`` (at least 1). Before the deadline: on track once above the base place, at risk
    when level with it, off track when below."""

    name: ClassVar[str] = "rank"
    title_zh: ClassVar[str] = "争先进位（组内排名）"
    title_en: ClassVar[str] = "rise in rank within a peer group"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("peer_group", "str", required=True, doc="对比组 / the peer group"),
        Param("improve_by", "int", default=1, doc="前进位次 / places to gain"),
        Param("target_rank", "int", doc="目标位次 / the place to reach"),
        Param("base_year", "int", doc="基期年度 / base year"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({"peer_group": "山区26县"}, {"T": {2022: 12, 2024: 11}}, "met"),
        Example({"peer_group": "山区26县"}, {"T": {2022: 12, 2024: 12}}, "at_risk"),
    )
    peer_group: str = ""
    improve_by: int = 1
    target_rank: int | None = None
    base_year: int | None = None

    def evaluate(self, ctx: Context) -> Verdict:
        obs = ctx.obs
        year = self.base_year or ctx.base_year
        if not obs:
            return Verdict("no_data", "没有位次。", "No ranks.")
        first = year if year in obs else min(obs)
        start = obs[first]
        goal = self.target_rank or max(1, int(start) - self.improve_by)
        t, v = _latest(obs)
        base: dict[str, Any] = {"target_value": float(goal), "latest_year": t, "latest": v}
        said_zh = (
            f"{self.peer_group}中 {first} 年第 {n(start)} 位、{t} 年第 {n(v)} 位，目标第 {goal} 位"
        )
        said_en = f"in {self.peer_group}: place {n(start)} in {first}, {n(v)} in {t}, goal {goal}"
        if v <= goal:
            status = "met"
        elif t >= ctx.deadline:
            status = "missed"
        else:
            status = "on_track" if v < start else "at_risk" if v == start else "off_track"
        zh, en = STATUSES[status]
        return Verdict(status, f"{said_zh}（{zh}）。", f"{said_en} ({en}).", **base)


# --- class or score --------------------------------------------------------------------------------


@register
@dataclass(frozen=True)
class ClassScore(TargetKind):
    """A class or score in the evaluation: reach class ``min_class`` (its lower bound in
    ``thresholds``, seed 000: A ≥ 80, B ≥ 60), a score ``min_score``, or a score above the
    base-year score (``rise``: “科技创新指数明显提升”). Values are scores."""

    name: ClassVar[str] = "class_score"
    title_zh: ClassVar[str] = "评价类别或得分"
    title_en: ClassVar[str] = "a class or score in the evaluation"
    PARAMS: ClassVar[tuple[Param, ...]] = (
        Param("min_class", "str", doc="至少达到的类别 / class to reach"),
        Param("min_score", "number", doc="至少达到的得分 / score to reach"),
        Param("rise", "bool", default=False, doc="高于基期得分 / above the base-year score"),
        Param("thresholds", "mapping", default={"A": 80, "B": 60}, doc="类别下限 / class bounds"),
    )
    EXAMPLES: ClassVar[tuple[Example, ...]] = (
        Example({"min_class": "A"}, {"T": {2022: 70, 2024: 76}}, "on_track"),
        Example({"rise": True}, {"T": {2022: 70, 2024: 72}}, "met"),
    )
    min_class: str | None = None
    min_score: float | None = None
    rise: bool = False
    thresholds: Mapping[str, Any] = dataclasses.field(default_factory=lambda: {"A": 80, "B": 60})

    def check(self, where: str) -> None:
        if sum([self.min_class is not None, self.min_score is not None, self.rise]) != 1:
            raise TargetError(
                "min_class、min_score、rise 三者择一。",
                "Give exactly one of min_class, min_score or rise.",
                where,
            )
        if self.min_class is not None and self.min_class not in self.thresholds:
            raise TargetError(
                f"类别“{self.min_class}”不在 thresholds 中（{'、'.join(self.thresholds)}）。",
                f"Class '{self.min_class}' is not in thresholds ({', '.join(self.thresholds)}).",
                f"{where}.min_class",
            )

    def evaluate(self, ctx: Context) -> Verdict:
        obs = ctx.obs
        if not self.rise:
            bound = (
                float(self.thresholds[self.min_class]) if self.min_class is not None
                else float(self.min_score or 0)
            )  # fmt: skip
            r = reach(obs, bound, ctx.deadline, ctx.at_risk_share)
            what = f"{self.min_class}类（≥{n(bound)}分）" if self.min_class else f"{n(bound)} 分"
            return dataclasses.replace(
                r,
                rule_zh=f"目标 {what}；{r.rule_zh}",
                rule_en=f"goal {self.min_class or n(bound)} (≥ {n(bound)}); {r.rule_en}",
            )
        start = obs.get(ctx.base_year)
        if start is None or not obs:
            return Verdict("no_data", f"没有基期（{ctx.base_year} 年）得分。",
                           f"No base-year ({ctx.base_year}) score.")  # fmt: skip
        t, v = _latest(obs)
        base: dict[str, Any] = {"target_value": start, "latest_year": t, "latest": v}
        status = "met" if v > start else "missed" if t >= ctx.deadline else "at_risk"
        zh, en = STATUSES[status]
        return Verdict(status, f"{t} 年 {n(v)} 分，基期 {ctx.base_year} 年 {n(start)} 分（{zh}）。",
                       f"{t}: {n(v)}, base {ctx.base_year}: {n(start)} ({en}).", **base)  # fmt: skip
