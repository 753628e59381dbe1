"""The contract of target kinds (目标类型, issue #19); the kinds are in :mod:`cimon.analysis.target_kinds`.

Every kind is a frozen dataclass of its parameters, declared once in ``PARAMS`` (the loader of
YAML and Excel plans checks them from that declaration), and answers one question:
:meth:`TargetKind.evaluate` takes the observations (:class:`Context`) and returns a
:class:`Verdict` — the status and the rule that decided it, in Chinese and English.

Statuses (:data:`STATUSES`): ``met`` (已达目标: the target holds on the latest observation),
``missed`` (未达目标: the deadline has passed without it), and before the deadline ``on_track``
(按期可达), ``at_risk`` (存在风险), ``off_track`` (难以达成); ``no_data`` (数据不足) when the
observations cannot decide; ``invalid`` (目标无效) when the target cannot be set from the data
(翻一番 from a zero base).

Kinds: ``level`` (reach a level by a date; old name ``reach``), ``zero_break`` (破零),
``double`` (翻一番), ``coverage`` (全覆盖), ``cagr`` (年均增长; old name ``growth``), ``yoy``
(年度增长率), ``rank`` (争先进位 in a peer group), ``class_score`` (a class or score in the
evaluation), ``milestones`` (yearly milestones, given or interpolated). Each carries an example
(``EXAMPLES``) that the contract test runs.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar

from cimon.analysis.errors import TargetError

Series = dict[str, dict[int, float]]

#: status → (中文, English)
STATUSES: dict[str, tuple[str, str]] = {
    "met": ("已达目标", "target met"),
    "missed": ("未达目标", "target missed"),
    "on_track": ("按期可达", "on track"),
    "at_risk": ("存在风险", "at risk"),
    "off_track": ("难以达成", "off track"),
    "no_data": ("数据不足", "no data"),
    "invalid": ("目标无效", "invalid target"),
}
#: the separator of a per-unit series key in a values file: ``T21@东坑镇`` (coverage, rank)
UNIT_SEP = "@"


@dataclass(frozen=True)
class Param:
    """One declared parameter: its name, type (number, int, str, bool, list, mapping), whether
    it is required, its default, the allowed values (``choices``) and what it means."""

    name: str
    type: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Context:
    """What a kind sees: the target's code, every series of the values (``code`` → year →
    value; per-unit series as ``code@unit``), the plan's base year, the target's deadline and
    the plan's ``at_risk_share``."""

    code: str
    series: Series
    base_year: int
    deadline: int
    at_risk_share: float = 0.9

    @property
    def obs(self) -> dict[int, float]:
        return dict(sorted(self.series.get(self.code, {}).items()))

    def units(self) -> dict[str, dict[int, float]]:
        """The per-unit series of this target (``code@unit`` keys), by unit."""
        head = self.code + UNIT_SEP
        return {k[len(head) :]: v for k, v in self.series.items() if k.startswith(head)}


@dataclass(frozen=True)
class Verdict:
    """A target's status and the rule that decided it."""

    status: str
    rule_zh: str
    rule_en: str
    target_value: float | None = None
    latest_year: int | None = None
    latest: float | None = None
    trend: float | None = None
    trend_kind: str = "none"  # compound | linear | none
    needed: float | None = None
    projected: float | None = None


@dataclass(frozen=True)
class Example:
    """A worked example of a kind, run by the contract test and shown in the docs."""

    params: Mapping[str, Any]
    series: Series
    status: str
    base_year: int = 2022
    deadline: int = 2027


K = TypeVar("K", bound="TargetKind")


class TargetKind:
    """Base of every registered target kind."""

    name: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""
    PARAMS: ClassVar[tuple[Param, ...]] = ()
    EXAMPLES: ClassVar[tuple[Example, ...]] = ()

    @classmethod
    def build(cls: type[K], params: Mapping[str, Any], where: str = "") -> K:
        """The kind from raw parameters (YAML or Excel), checked against ``PARAMS``."""
        known = {p.name: p for p in cls.PARAMS}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise TargetError(
                f"目标类型 {cls.name} 没有参数 {'、'.join(unknown)}；可用：{'、'.join(known)}。",
                f"Target kind {cls.name} has no parameter {', '.join(unknown)}; "
                f"known: {', '.join(known)}.",
                where,
            )
        values = {p.name: _coerce(p, params.get(p.name), cls.name, where) for p in cls.PARAMS}
        kind = cls(**values)
        kind.check(where)
        return kind

    def check(self, where: str) -> None:
        """Rules between parameters (raise :class:`TargetError`)."""

    def get_params(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def replace(self: K, **changes: Any) -> K:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def evaluate(self, ctx: Context) -> Verdict:
        raise NotImplementedError


REGISTRY: dict[str, type[TargetKind]] = {}
#: older names still read from plan files
ALIASES = {"reach": "level", "growth": "cagr"}


def register(cls: type[K]) -> type[K]:
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"missing or duplicate target kind {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


def _coerce(p: Param, raw: Any, kind: str, where: str) -> Any:
    at = f"{where}.{p.name}" if where else p.name
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if p.required:
            raise TargetError(
                f"目标类型 {kind} 需要参数 {p.name}（{p.doc}）。",
                f"Target kind {kind} needs parameter {p.name} ({p.doc}).",
                at,
            )
        return p.default
    bad = TargetError(
        f"参数 {p.name} 的值“{raw}”不是{_TYPE_ZH[p.type]}。",
        f"Parameter {p.name}: '{raw}' is not {_TYPE_EN[p.type]}.",
        at,
    )
    try:
        if p.type == "number":
            if isinstance(raw, bool):
                raise bad
            value: Any = float(raw)
            if not math.isfinite(value):
                raise bad
        elif p.type == "int":
            if isinstance(raw, bool) or float(raw) != int(float(raw)):
                raise bad
            value = int(float(raw))
        elif p.type == "bool":
            if isinstance(raw, bool):
                value = raw
            elif str(raw).strip().lower() in ("true", "yes", "1", "是"):
                value = True
            elif str(raw).strip().lower() in ("false", "no", "0", "否"):
                value = False
            else:
                raise bad
        elif p.type == "list":
            items = raw if isinstance(raw, list | tuple) else split_list(str(raw))
            value = tuple(str(x).strip() for x in items if str(x).strip())
        elif p.type == "mapping":
            value = raw if isinstance(raw, Mapping) else split_mapping(str(raw))
            value = {str(k).strip(): v for k, v in value.items()}
        else:
            value = str(raw).strip()
    except (TypeError, ValueError):
        raise bad from None
    if p.choices and value not in p.choices:
        raise TargetError(
            f"参数 {p.name} 应为 {' / '.join(p.choices)} 之一，不是“{raw}”。",
            f"Parameter {p.name} must be one of {' / '.join(p.choices)}, not '{raw}'.",
            at,
        )
    return value


_TYPE_ZH = {"number": "数字", "int": "整数", "bool": "是/否", "list": "列表", "mapping": "映射",
            "str": "文字"}  # fmt: skip
_TYPE_EN = {"number": "a number", "int": "a whole number", "bool": "true/false",
            "list": "a list", "mapping": "a mapping", "str": "text"}  # fmt: skip


def split_list(text: str) -> list[str]:
    """``县经济商务科技局、县财政局`` or ``a, b; c`` → the items (Excel cells)."""
    for sep in ("、", "，", ";", "；", "\n"):
        text = text.replace(sep, ",")
    return [x.strip() for x in text.split(",") if x.strip()]


def split_mapping(text: str) -> dict[str, str]:
    """``2024: 10; 2025: 20`` or ``东坑镇=2025-07-01`` → a mapping (Excel cells)."""
    out = {}
    for part in split_list(text):
        key, sep, value = part.replace("：", ":").replace("=", ":").partition(":")
        if not sep:
            raise ValueError(part)
        out[key.strip()] = value.strip()
    return out


# --- shared rules ---------------------------------------------------------------------------------


def n(x: float | None) -> str:
    """A number for a rule text: at most 2 decimals, no trailing zeros."""
    return "—" if x is None else f"{round(x, 2):g}"


def _rate(a: float, b: float, years: int, compound: bool) -> float:
    return (b / a) ** (1 / years) - 1 if compound else (b - a) / years


def reach(
    obs: Mapping[int, float], target: float, deadline: int, share: float, higher: bool = True
) -> Verdict:
    """Reach ``target`` by ``deadline`` (``higher``: at least; else at most).

    The latest value is projected to the deadline along its trend: compound annual growth
    between the first and the latest observation (linear when a value or the target is not
    positive, and always linear for an at-most target). On track when the projection reaches
    the target; at risk when it reaches ``share`` of it (at most: ``target / share``); off track
    otherwise; met once the latest value reaches it; missed when the deadline passed."""
    if not obs:
        return Verdict("no_data", "没有观测值。", "No observations.", target)
    obs = dict(sorted(obs.items()))
    t, v = max(obs), obs[max(obs)]
    left = deadline - t
    compound = higher and all(x > 0 for x in obs.values()) and target > 0
    kind = "compound" if compound else "linear"
    needed = _rate(v, target, left, compound) if left > 0 else None
    ok = v >= target if higher else v <= target
    cmp = "≥" if higher else "≤"
    base: dict[str, Any] = {
        "target_value": target,
        "latest_year": t,
        "latest": v,
        "trend_kind": kind,
    }
    if ok:
        return Verdict("met", f"{t} 年 {n(v)} {cmp} 目标 {n(target)}。",
                       f"{t}: {n(v)} {cmp} target {n(target)}.", **base, projected=v)  # fmt: skip
    if left <= 0:
        return Verdict("missed", f"期限 {deadline} 年已到，{t} 年 {n(v)} 未达目标 {n(target)}。",
                       f"Deadline {deadline} passed; {t}: {n(v)} short of target {n(target)}.",
                       **base, projected=v)  # fmt: skip
    if len(obs) < 2:
        return Verdict("no_data", "只有一个观测值，无法推算趋势。",
                       "A single observation: no trend to project.", **base, needed=needed)  # fmt: skip
    t0 = min(obs)
    trend = _rate(obs[t0], v, t - t0, compound)
    projected = v * (1 + trend) ** left if compound else v + trend * left
    how = ("年均增速", "at the compound rate") if compound else ("年均变化", "at the linear change")
    said = (
        f"按 {t0}–{t} 年的{how[0]}推算 {deadline} 年为 {n(projected)}，目标 {n(target)}",
        f"projected {n(projected)} in {deadline} {how[1]} of {t0}–{t}, target {n(target)}",
    )
    if higher:
        status = (
            "on_track" if projected >= target - 1e-9
            else "at_risk" if projected >= share * target
            else "off_track"
        )  # fmt: skip
    else:
        status = (
            "on_track" if projected <= target + 1e-9
            else "at_risk" if projected * share <= target
            else "off_track"
        )  # fmt: skip
    limit = {
        "on_track": "可达",
        "at_risk": f"达到 {share:.0%} 以上",
        "off_track": f"不足 {share:.0%}",
    }
    limit_en = {
        "on_track": "reached",
        "at_risk": f"within {share:.0%}",
        "off_track": f"below {share:.0%}",
    }
    return Verdict(
        status,
        f"{said[0]}（{limit[status]}）。",
        f"{said[1]} ({limit_en[status]}).",
        **base,
        trend=trend,
        needed=needed,
        projected=projected,
    )


def along_path(
    t: int, v: float, planned: float, final: float, deadline: int, share: float, what: str = ""
) -> Verdict:
    """The status of value ``v`` in year ``t`` against the planned value of that year and the
    final target: met (v ≥ final), missed (deadline passed), on track (v ≥ planned), at risk
    (v ≥ share · planned), off track."""
    base: dict[str, Any] = {"target_value": final, "latest_year": t, "latest": v, "projected": None}
    if v >= final - 1e-12:
        return Verdict("met", f"{t} 年 {what}{n(v)} ≥ 目标 {n(final)}。",
                       f"{t}: {n(v)} ≥ target {n(final)}.", **base)  # fmt: skip
    if t >= deadline:
        return Verdict("missed", f"期限 {deadline} 年已到，{what}{n(v)} 未达目标 {n(final)}。",
                       f"Deadline {deadline} reached; {n(v)} short of target {n(final)}.", **base)  # fmt: skip
    if v >= planned - 1e-12:
        status, zh, en = "on_track", "不低于", "at or above"
    elif v >= share * planned:
        status, zh, en = (
            "at_risk",
            f"低于（但不低于其 {share:.0%}）",
            f"below (within {share:.0%} of)",
        )
    else:
        status, zh, en = "off_track", f"低于其 {share:.0%}", f"below {share:.0%} of"
    return Verdict(
        status,
        f"{t} 年 {what}{n(v)}，{zh}当年进度 {n(planned)}（目标 {n(final)}）。",
        f"{t}: {n(v)} {en} the planned {n(planned)} for that year (target {n(final)}).",
        **base,
    )


def interpolate(points: Mapping[int, float], year: int) -> float:
    """The value of ``year`` on the straight lines between ``points`` (year → value), held
    constant before the first and after the last point."""
    ys = sorted(points)
    if year <= ys[0]:
        return points[ys[0]]
    if year >= ys[-1]:
        return points[ys[-1]]
    for a, b in itertools.pairwise(ys):
        if a <= year <= b:
            return points[a] + (points[b] - points[a]) * (year - a) / (b - a)
    raise AssertionError(year)  # pragma: no cover


def mid_year(d: date, grace_months: int) -> bool:
    """True when a unit added on ``d`` has fewer than ``grace_months`` left in its year (it is
    counted in the set from the next year)."""
    return (12 - d.month + (1 if d.day == 1 else 0)) < grace_months
