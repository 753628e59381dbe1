"""Parameter declarations: what each method's parameters may be, said once.

Every registered method declares its parameters on the class (``params``: name, kind, allowed
range or choices, description in Chinese and English) and the relations between them (``rules``:
``hi > lo``, a target on the right side of its floor for the indicator's direction). The one
declaration is checked by:

* the pure function (``target_attainment(x, floor=0, target=0)`` raises),
* the class constructor (``Target(floor=0, target=0)`` raises),
* the framework parser (a bad value in YAML names its key path, ``pillars[0].indicators[2].normalise.target``),
* ``--set`` and uncertainty overrides (``normalise.I01.target=0`` names that address).

A bad value is a :class:`ParamError`: a :class:`~cimon.errors.MethodError` (so the CLI prints it in
both languages and exits 2) that is also a ``ValueError`` (what a pure function raises for a bad
argument).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from cimon.errors import MethodError

#: the kinds of parameter values, with how the docs name them
KINDS: dict[str, tuple[str, str]] = {
    "number": ("数值", "number"),
    "integer": ("整数", "integer"),
    "text": ("文本", "text"),
    "bool": ("是/否", "true/false"),
    "numbers": ("数值列表（可含 null）", "list of numbers (null allowed)"),
    "texts": ("文本列表", "list of texts"),
    "matrix": (
        "方阵（数值或“1/3”形式的分数）",
        "square matrix (numbers or fractions such as '1/3')",
    ),
}


class ParamError(MethodError, ValueError):
    """A parameter value that its method's declaration does not allow."""


@dataclass(frozen=True)
class Param:
    """One parameter of a method.

    ``lo``/``hi`` bound a number (inclusive unless ``open_lo``/``open_hi``); ``choices`` lists the
    allowed values of a text or integer; ``optional`` allows ``None`` (for example "no cap").
    """

    name: str
    zh: str
    en: str
    kind: str = "number"
    lo: float | None = None
    hi: float | None = None
    open_lo: bool = False
    open_hi: bool = False
    choices: tuple[Any, ...] = ()
    optional: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown parameter kind {self.kind!r}")

    def problem(self, value: Any) -> tuple[str, str] | None:
        """What is wrong with ``value`` (Chinese, English), or None when it is allowed."""
        if value is None:
            return None if self.optional else ("不能为空", "it must be given")
        kind_zh, kind_en = KINDS[self.kind]
        if self.kind in ("number", "integer"):
            integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
            if not _is_number(value) or (self.kind == "integer" and not integral):
                return f"应为{kind_zh}，不能是 {value!r}", f"must be a {kind_en}, not {value!r}"
            if math.isnan(float(value)):
                return "不能是 NaN", "must not be NaN"
        elif self.kind == "text" and not isinstance(value, str):
            return f"应为{kind_zh}，不能是 {value!r}", f"must be {kind_en}, not {value!r}"
        elif self.kind == "bool" and not isinstance(value, bool):
            return f"应为 true 或 false，不能是 {value!r}", f"must be true or false, not {value!r}"
        elif self.kind in ("numbers", "texts", "matrix"):
            return _sequence_problem(self.kind, value)
        if self.choices and value not in self.choices:
            allowed = ", ".join(str(c) for c in self.choices)
            return (
                f"只能是 {'、'.join(str(c) for c in self.choices)}（实际 {value!r}）",
                f"must be one of {allowed} (got {value!r})",
            )
        if self.kind in ("number", "integer"):
            x = float(value)
            too_low = self.lo is not None and (x <= self.lo if self.open_lo else x < self.lo)
            too_high = self.hi is not None and (x >= self.hi if self.open_hi else x > self.hi)
            if too_low or too_high:
                zh, en = self.range_text()
                return f"应{zh}（实际 {value!r}）", f"must be {en} (got {value!r})"
        return None

    def range_text(self) -> tuple[str, str]:
        """The allowed range in words (Chinese, English), e.g. ``> 0`` or ``between 0 and 1``."""
        lo_zh = (
            ""
            if self.lo is None
            else (f"大于 {self.lo:g}" if self.open_lo else f"不小于 {self.lo:g}")
        )
        hi_zh = (
            ""
            if self.hi is None
            else (f"小于 {self.hi:g}" if self.open_hi else f"不大于 {self.hi:g}")
        )
        lo_en = "" if self.lo is None else (f"> {self.lo:g}" if self.open_lo else f">= {self.lo:g}")
        hi_en = "" if self.hi is None else (f"< {self.hi:g}" if self.open_hi else f"<= {self.hi:g}")
        zh = "且".join(s for s in (lo_zh, hi_zh) if s)
        en = " and ".join(s for s in (lo_en, hi_en) if s)
        return zh, en

    def describe(self) -> tuple[str, str]:
        """Kind, range or choices and ``None`` allowed, in words (Chinese, English), for docs."""
        zh, en = KINDS[self.kind]
        if self.choices:
            zh += "：" + "、".join(str(c) for c in self.choices)
            en += ": " + ", ".join(str(c) for c in self.choices)
        r_zh, r_en = self.range_text()
        if r_zh:
            zh += "，" + r_zh
            en += ", " + r_en
        if self.optional:
            zh += "，可为空（null）"
            en += ", or null"
        return zh, en


@dataclass(frozen=True)
class Rule:
    """A relation between parameters: ``ok(values)`` must hold. The error names ``param`` and says
    ``zh``/``en``, formatted with the values (``{target}``, ``{floor}``). ``direction`` (+1 or −1)
    limits the rule to indicators of that direction; it is checked only where the direction is
    known (the framework, overrides, a pure function given ``direction``)."""

    param: str
    uses: tuple[str, ...]
    ok: Callable[[Mapping[str, Any]], bool]
    zh: str
    en: str
    direction: int | None = None


def at_least(param: str, other: str, strict: bool = False) -> Rule:
    """The rule ``param ≥ other`` (``param > other`` with ``strict``), e.g. ``hi`` above ``lo``."""
    return Rule(
        param,
        (other, param),
        (lambda v: v[param] > v[other]) if strict else (lambda v: v[param] >= v[other]),
        f"应{'大于' if strict else '不小于'} {other}={{{other}}}（实际 {{{param}}}）",
        f"must be {'greater than' if strict else 'at least'} {other}={{{other}}} (got {{{param}}})",
    )


def check(
    title: str,
    params: Sequence[Param],
    rules: Sequence[Rule],
    values: Mapping[str, Any],
    where: str | None = None,
    direction: int | None = None,
) -> None:
    """Check ``values`` (all or some of the parameters) against the declaration.

    Each value present is checked on its own; each rule whose parameters are all present (and
    valid) is checked too. Raises :class:`ParamError` whose ``where`` is ``where.<parameter>``
    (or the method and parameter when ``where`` is None)."""
    declared = {p.name: p for p in params}
    good: dict[str, Any] = {}
    for name, value in values.items():
        param = declared.get(name)
        if param is None:
            continue  # unknown names are the caller's business (make_method says which exist)
        problem = param.problem(value)
        if problem is not None:
            raise _error(title, param, problem, where)
        good[name] = value
    for rule in rules:
        if rule.direction is not None and (direction is None or _sign(direction) != rule.direction):
            continue
        if not all(good.get(u) is not None for u in rule.uses):
            continue
        if not rule.ok(good):
            shown = {u: good[u] for u in rule.uses}
            raise _error(
                title,
                declared[rule.param],
                (rule.zh.format(**shown), rule.en.format(**shown)),
                where,
            )


def _error(title: str, param: Param, problem: tuple[str, str], where: str | None) -> ParamError:
    return ParamError(
        f"方法 {title} 的参数 {param.name}（{param.zh}）：{problem[0]}。",
        f"Parameter {param.name} ({param.en}) of method {title}: {problem[1]}.",
        f"{where}.{param.name}" if where else f"{title}: {param.name}",
    )


def _sign(direction: int) -> int:
    return 1 if direction >= 0 else -1


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def judgement(v: Any) -> float:
    """A pairwise judgement: a number or a fraction string such as ``"1/3"``."""
    if isinstance(v, str):
        return float(Fraction(v.strip()))
    return float(v)


def _sequence_problem(kind: str, value: Any) -> tuple[str, str] | None:
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):  # a numpy array
        value = value.tolist()
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        return f"应为列表，不能是 {value!r}", f"must be a list, not {value!r}"
    if kind == "texts" and not all(isinstance(v, str) for v in value):
        return "每一项应为文本", "must hold texts only"
    if kind == "numbers" and not all(v is None or _is_number(v) for v in value):
        return "每一项应为数值或 null", "must hold numbers (or null) only"
    if kind == "matrix":
        rows = list(value)
        if any(isinstance(r, str | bytes) or not isinstance(r, Sequence) for r in rows):
            return "应为行的列表", "must be a list of rows"
        if any(len(r) != len(rows) for r in rows):
            return (
                "应为方阵（行数与每行的个数相等）",
                "must be square (as many entries per row as rows)",
            )
        try:
            cells = [judgement(v) for r in rows for v in r]
        except (TypeError, ValueError, ZeroDivisionError):
            return "每一项应为数值或“1/3”形式的分数", "must hold numbers or fractions such as '1/3'"
        if not all(math.isfinite(c) for c in cells):
            return "每一项应为有限的数值", "must hold finite numbers"
    return None
