"""The registry of assessment rule kinds (考核规则类型) and the built-in kinds.

A kind is a class registered with :func:`register`; an entry of a rule set's ``rules`` list
names it by ``kind`` and gives its parameters, which :meth:`RuleKind.parse` checks. A kind may
*score* (a sub-score 0–1 for each commissioner, weighted by ``weight`` in the 100-point score;
NaN = not counted, the weight is then shared among the counted rules) and may *cap* (the best
grade a commissioner can get: ``zero records → 不合格 whatever else``). Everything is computed on
whole columns (NumPy / pandas), never row by row, so 300,000 commissioners take seconds.

Built-in kinds: ``service_days`` and ``records`` (a count against a target, with a minimum),
``tasks`` (share of required tasks done), ``satisfaction`` (mean rating once there are enough
ratings), ``unit_rating`` and ``county_grade`` (a grade word or 0–100 points; the county grade
may also cap), ``no_records`` (a hard rule) and ``minimum`` (a hard rule on any numeric column).
A province adds a kind by subclassing :class:`RuleKind` and decorating it with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np
import pandas as pd

from cimon.analysis.commissioners.base import GRADES, GRADES_EN, Checker

GRADE_INDEX = {g: i for i, g in enumerate(GRADES)}


@dataclass(frozen=True)
class Part:
    """A scored rule's result: sub-score 0–1 per row (NaN: not counted) and what it says."""

    points: np.ndarray
    zh: np.ndarray  # object arrays of str
    en: np.ndarray


@dataclass(frozen=True)
class Cap:
    """A capping rule's result: ``hit`` rows get at best ``GRADES[grade]`` (an index per row,
    or one for all), for the reason given."""

    hit: np.ndarray
    grade: np.ndarray | int
    zh: np.ndarray
    en: np.ndarray


def fmt(values: Any, decimals: int = 0) -> np.ndarray:
    """Numbers as text (``40``, ``4.50``), NaN as ``—``: an object array of str. Text is built
    with NumPy object arrays (``+`` and :func:`pick` on whole columns), not pandas strings."""
    a = np.asarray(values, dtype=float)
    spec = f"{{:.{decimals}f}}"
    uniq, inverse = np.unique(a, return_inverse=True)  # counts repeat: format each value once
    texts = np.array([spec.format(x) if x == x else "—" for x in uniq.tolist()], dtype=object)
    return texts[inverse.reshape(a.shape)]


def words(n: int, text: str) -> np.ndarray:
    return np.full(n, text, dtype=object)


def pick(cond: Any, a: Any, b: Any) -> np.ndarray:
    """``a`` where ``cond``, else ``b`` (str or object arrays), as an object array."""
    return np.where(cond, np.asarray(a, dtype=object), np.asarray(b, dtype=object))


def text(values: pd.Series, mapping: Mapping[str, str] | None = None) -> np.ndarray:
    """A column as an object array of str (``mapping`` applied where it has the value)."""
    raw = values.astype(object).to_numpy()
    if mapping is None:
        return np.array([str(x) for x in raw.tolist()], dtype=object)
    return np.array(
        [mapping.get(x, str(x)) if isinstance(x, str) else str(x) for x in raw.tolist()],
        dtype=object,
    )


class RuleKind:
    """Base of every registered kind. ``label`` names the rule in reasons (default: the kind)."""

    name: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""
    #: input columns the kind reads
    columns: ClassVar[tuple[str, ...]] = ()

    label: str
    weight: float

    @classmethod
    def parse(cls, node: Mapping[str, Any], path: str, c: Checker) -> RuleKind:  # pragma: no cover
        raise NotImplementedError

    def needs(self) -> tuple[str, ...]:
        return self.columns

    def score(self, f: pd.DataFrame) -> Part | None:
        return None

    def cap(self, f: pd.DataFrame) -> Cap | None:
        return None

    def points_text(self, s: np.ndarray) -> np.ndarray:
        """``20.00/30`` for counted rows, empty otherwise."""
        got = fmt(s * self.weight, 2) + f"/{self.weight:g}"
        return pick(~np.isnan(s), got, "")


KINDS: dict[str, type[RuleKind]] = {}
K = TypeVar("K", bound=type[RuleKind])


def register(cls: K) -> K:
    """Register a kind under its ``name`` (a province's own kinds too)."""
    KINDS[cls.name] = cls
    return cls


def _weight(node: Mapping[str, Any], path: str, c: Checker) -> float:
    return float(c.number(node, "weight", path, default=0.0, hi=100.0) or 0.0)


def _label(node: Mapping[str, Any], default: str) -> str:
    return str(node.get("label") or default)


@dataclass(frozen=True)
class _Count(RuleKind):
    """A count (days, records) against a ``target`` (full points at or above it) with an
    optional ``minimum`` below which the grade is at best ``below_minimum``."""

    label: str
    weight: float
    target: float
    minimum: float
    below_minimum: str
    unit_zh: ClassVar[str] = ""
    unit_en: ClassVar[str] = ""

    @classmethod
    def parse(cls, node: Mapping[str, Any], path: str, c: Checker) -> RuleKind:
        target = c.number(node, "target", path, default=1.0, lo=1.0)
        return cls(
            _label(node, cls.name),
            _weight(node, path, c),
            float(target or 1.0),
            float(c.number(node, "minimum", path, default=0.0) or 0.0),
            c.grade(node, "below_minimum", path, "不合格"),
        )

    def score(self, f: pd.DataFrame) -> Part | None:
        if not self.weight:
            return None
        v = f[self.columns[0]].to_numpy(float)
        s = np.clip(v / self.target, 0.0, 1.0)
        got = self.points_text(s)
        zh = f"{self.title_zh} " + fmt(v) + f" {self.unit_zh}（满分线 {self.target:g}）→ " + got
        en = f"{self.title_en} " + fmt(v) + f" (full at {self.target:g}) → " + got
        return Part(s, zh, en)

    def cap(self, f: pd.DataFrame) -> Cap | None:
        if self.minimum <= 0:
            return None
        v = f[self.columns[0]].to_numpy(float)
        zh = (f"{self.title_zh} " + fmt(v) + f" {self.unit_zh}，低于最低要求 {self.minimum:g} {self.unit_zh}"
              f"（规则 {self.label}），最高评为{self.below_minimum}")  # fmt: skip
        en = (f"{self.title_en} " + fmt(v) + f", below the minimum of {self.minimum:g} "
              f"(rule {self.label}): at best {GRADES_EN[self.below_minimum]}")  # fmt: skip
        return Cap(v < self.minimum, GRADE_INDEX[self.below_minimum], zh, en)


@register
@dataclass(frozen=True)
class ServiceDays(_Count):
    name: ClassVar[str] = "service_days"
    title_zh: ClassVar[str] = "服务天数"
    title_en: ClassVar[str] = "Service days"
    columns: ClassVar[tuple[str, ...]] = ("service_days",)
    unit_zh: ClassVar[str] = "天"
    unit_en: ClassVar[str] = ""


@register
@dataclass(frozen=True)
class Records(_Count):
    name: ClassVar[str] = "records"
    title_zh: ClassVar[str] = "服务记录"
    title_en: ClassVar[str] = "Service records"
    columns: ClassVar[tuple[str, ...]] = ("records",)
    unit_zh: ClassVar[str] = "条"
    unit_en: ClassVar[str] = ""


@register
@dataclass(frozen=True)
class Tasks(RuleKind):
    """Share of the agreement's required tasks done (``tasks_done / tasks_required``); with no
    required task the rule is not counted (``none_required: skip``) or full (``full``); a share
    below ``minimum_share`` caps the grade at ``below_minimum``."""

    name: ClassVar[str] = "tasks"
    title_zh: ClassVar[str] = "任务完成"
    title_en: ClassVar[str] = "Tasks done"
    columns: ClassVar[tuple[str, ...]] = ("tasks_required", "tasks_done")
    label: str
    weight: float
    minimum_share: float
    below_minimum: str
    none_required: str

    @classmethod
    def parse(cls, node: Mapping[str, Any], path: str, c: Checker) -> RuleKind:
        return cls(
            _label(node, cls.name),
            _weight(node, path, c),
            float(c.number(node, "minimum_share", path, default=0.0, hi=1.0) or 0.0),
            c.grade(node, "below_minimum", path, "不合格"),
            c.choice(node, "none_required", path, ("skip", "full"), "skip"),
        )

    def _share(self, f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        req = f["tasks_required"].to_numpy(float)
        done = f["tasks_done"].to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(req > 0, done / req, np.nan)
        return req, done, share

    def score(self, f: pd.DataFrame) -> Part | None:
        if not self.weight:
            return None
        req, done, share = self._share(f)
        none = 1.0 if self.none_required == "full" else np.nan
        s = np.where(req > 0, np.clip(share, 0.0, 1.0), none)
        got = self.points_text(s)
        zh = "任务完成 " + fmt(done) + "/" + fmt(req) + "（" + fmt(share * 100) + "%）→ " + got
        en = "Tasks done " + fmt(done) + "/" + fmt(req) + " (" + fmt(share * 100) + "%) → " + got
        no_zh = "无规定任务，" + ("按满分计 → " + got if self.none_required == "full" else "不计分")
        no_en = "no required task, " + (
            "full points → " + got if self.none_required == "full" else "not counted"
        )
        return Part(s, pick(req > 0, zh, no_zh), pick(req > 0, en, no_en))

    def cap(self, f: pd.DataFrame) -> Cap | None:
        if self.minimum_share <= 0:
            return None
        req, done, share = self._share(f)
        pct = f"{self.minimum_share * 100:g}%"
        zh = ("规定任务完成 " + fmt(done) + "/" + fmt(req) + f"，低于 {pct}（规则 {self.label}），"
              f"最高评为{self.below_minimum}")  # fmt: skip
        en = ("Required tasks done " + fmt(done) + "/" + fmt(req) + f", below {pct} (rule "
              f"{self.label}): at best {GRADES_EN[self.below_minimum]}")  # fmt: skip
        return Cap(
            (req > 0) & (share < self.minimum_share), GRADE_INDEX[self.below_minimum], zh, en
        )


@register
@dataclass(frozen=True)
class Satisfaction(RuleKind):
    """The mean rating (``satisfaction``, on a 1–``scale`` scale) of the service objects; it
    counts only with at least ``min_ratings`` ratings (``ratings``), else ``missing``
    (``reweight``: not counted; ``zero``: 0 points). A counted mean below ``minimum`` caps the
    grade at ``below_minimum``."""

    name: ClassVar[str] = "satisfaction"
    title_zh: ClassVar[str] = "服务对象满意度"
    title_en: ClassVar[str] = "Satisfaction"
    columns: ClassVar[tuple[str, ...]] = ("ratings", "satisfaction")
    label: str
    weight: float
    scale: float
    min_ratings: float
    missing: str
    minimum: float
    below_minimum: str

    @classmethod
    def parse(cls, node: Mapping[str, Any], path: str, c: Checker) -> RuleKind:
        scale = float(c.number(node, "scale", path, default=5.0, lo=1.0) or 5.0)
        return cls(
            _label(node, cls.name),
            _weight(node, path, c),
            scale,
            float(c.number(node, "min_ratings", path, default=1.0) or 0.0),
            c.choice(node, "missing", path, ("reweight", "zero"), "reweight"),
            float(c.number(node, "minimum", path, default=0.0, hi=scale) or 0.0),
            c.grade(node, "below_minimum", path, "合格"),
        )

    def _counted(self, f: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = f["ratings"].to_numpy(float)
        mean = f["satisfaction"].to_numpy(float)
        ok = (n >= max(self.min_ratings, 1)) & ~np.isnan(mean)
        return n, mean, ok

    def score(self, f: pd.DataFrame) -> Part | None:
        if not self.weight:
            return None
        n, mean, ok = self._counted(f)
        none = 0.0 if self.missing == "zero" else np.nan
        s = np.where(ok, np.clip(mean / self.scale, 0.0, 1.0), none)
        got = self.points_text(s)
        zh = "满意度 " + fmt(mean, 2) + f"/{self.scale:g}（" + fmt(n) + " 条评价）→ " + got
        en = "Satisfaction " + fmt(mean, 2) + f"/{self.scale:g} (" + fmt(n) + " ratings) → " + got
        k = f"{self.min_ratings:g}"
        tail_zh = "按 0 分计 → " + got if self.missing == "zero" else "不计分"
        tail_en = "0 points → " + got if self.missing == "zero" else "not counted"
        few_zh = "满意度评价 " + fmt(n) + f" 条，少于 {k} 条，" + tail_zh
        few_en = "Satisfaction: " + fmt(n) + f" ratings, fewer than {k}, " + tail_en
        return Part(s, pick(ok, zh, few_zh), pick(ok, en, few_en))

    def cap(self, f: pd.DataFrame) -> Cap | None:
        if self.minimum <= 0:
            return None
        _n, mean, ok = self._counted(f)
        zh = ("满意度 " + fmt(mean, 2) + f"，低于 {self.minimum:g}（规则 {self.label}），"
              f"最高评为{self.below_minimum}")  # fmt: skip
        en = ("Satisfaction " + fmt(mean, 2) + f", below {self.minimum:g} (rule {self.label}): "
              f"at best {GRADES_EN[self.below_minimum]}")  # fmt: skip
        return Cap(ok & (mean < self.minimum), GRADE_INDEX[self.below_minimum], zh, en)


def grade_points(values: pd.Series, points: Mapping[str, float]) -> np.ndarray:
    """Grade words (优秀 …) or numbers 0–100 as points 0–100; NaN when not given."""
    num = pd.to_numeric(values, errors="coerce").to_numpy(float)
    word = values.map(points).to_numpy(float)
    return np.where(np.isnan(num), word, num)


@dataclass(frozen=True)
class _Grade(RuleKind):
    """A grade given by someone else (a word of :data:`GRADES` or 0–100 points), scored by
    ``points``; not given → ``missing`` (``reweight`` or ``zero``). ``cap``: ``none``;
    ``fail`` (their 不合格 makes 不合格); ``same`` (never better than their grade)."""

    label: str
    weight: float
    points: Mapping[str, float]
    missing: str
    cap_mode: str
    default_cap: ClassVar[str] = "none"

    @classmethod
    def parse(cls, node: Mapping[str, Any], path: str, c: Checker) -> RuleKind:
        return cls(
            _label(node, cls.name),
            _weight(node, path, c),
            c.points(node, path),
            c.choice(node, "missing", path, ("reweight", "zero"), "reweight"),
            c.choice(node, "cap", path, ("none", "fail", "same"), cls.default_cap),
        )

    def score(self, f: pd.DataFrame) -> Part | None:
        if not self.weight:
            return None
        col = f[self.columns[0]]
        p = grade_points(col, self.points)
        given = ~np.isnan(p)
        s = np.where(given, p / 100.0, 0.0 if self.missing == "zero" else np.nan)
        got = self.points_text(s)
        zh = f"{self.title_zh} " + text(col) + " → " + got
        en = f"{self.title_en} " + text(col, GRADES_EN) + " → " + got
        miss_zh = f"{self.title_zh}未给出，" + ("按 0 分计" if self.missing == "zero" else "不计分")
        miss_en = f"{self.title_en} not given, " + (
            "0 points" if self.missing == "zero" else "not counted"
        )
        return Part(s, pick(given, zh, miss_zh), pick(given, en, miss_en))

    def cap(self, f: pd.DataFrame) -> Cap | None:
        if self.cap_mode == "none":
            return None
        col = f[self.columns[0]]
        idx = col.map(GRADE_INDEX).to_numpy(float)
        hit = idx == GRADE_INDEX["不合格"] if self.cap_mode == "fail" else ~np.isnan(idx)
        zh = f"{self.title_zh}为" + text(col) + f"（规则 {self.label}），最高评为该等次"
        en = (
            f"{self.title_en} is "
            + text(col, GRADES_EN)
            + f" (rule {self.label}): at best that grade"
        )
        return Cap(hit, np.nan_to_num(idx, nan=0.0).astype(int), zh, en)


@register
@dataclass(frozen=True)
class UnitRating(_Grade):
    name: ClassVar[str] = "unit_rating"
    title_zh: ClassVar[str] = "派出单位评价"
    title_en: ClassVar[str] = "Unit rating"
    columns: ClassVar[tuple[str, ...]] = ("unit_rating",)


@register
@dataclass(frozen=True)
class CountyGrade(_Grade):
    name: ClassVar[str] = "county_grade"
    title_zh: ClassVar[str] = "县级初评"
    title_en: ClassVar[str] = "County first review"
    columns: ClassVar[tuple[str, ...]] = ("county_grade",)
    default_cap: ClassVar[str] = "fail"


@register
@dataclass(frozen=True)
class NoRecords(RuleKind):
    """Hard rule: ``column`` (default ``records``) equal to 0 makes ``grade`` (default 不合格)
    whatever else."""

    name: ClassVar[str] = "no_records"
    title_zh: ClassVar[str] = "无服务记录"
    title_en: ClassVar[str] = "No service record"
    label: str
    column: str
    grade: str
    weight: float = 0.0

    @classmethod
    def parse(cls, node: Mapping[str, Any], path: str, c: Checker) -> RuleKind:
        return cls(
            _label(node, cls.name),
            str(node.get("column", "records")),
            c.grade(node, "grade", path, "不合格"),
        )

    def needs(self) -> tuple[str, ...]:
        return (self.column,)

    def cap(self, f: pd.DataFrame) -> Cap | None:
        v = f[self.column].to_numpy(float)
        n = len(f)
        zh = words(
            n,
            f"全年无服务记录（{self.column} = 0，规则 {self.label}），不论其他各项均评为{self.grade}",
        )
        en = words(n, f"no service record in the year ({self.column} = 0, rule {self.label}): "
                      f"{GRADES_EN[self.grade]} whatever else")  # fmt: skip
        return Cap(v == 0, GRADE_INDEX[self.grade], zh, en)


@register
@dataclass(frozen=True)
class Minimum(RuleKind):
    """Hard rule on any numeric input column: ``column`` below ``min`` makes at best ``grade``.
    ``name_zh`` / ``name_en`` name the column in reasons."""

    name: ClassVar[str] = "minimum"
    title_zh: ClassVar[str] = "最低要求"
    title_en: ClassVar[str] = "Minimum"
    label: str
    column: str
    min: float
    grade: str
    name_zh: str
    name_en: str
    weight: float = 0.0

    @classmethod
    def parse(cls, node: Mapping[str, Any], path: str, c: Checker) -> RuleKind:
        column = node.get("column")
        if not isinstance(column, str) or not column:
            raise c.fail(
                f"{path}.column",
                "minimum 规则须给出列名 column。",
                "A minimum rule needs a column.",
            )
        return cls(
            _label(node, f"minimum:{column}"),
            column,
            float(c.number(node, "min", path, default=0.0) or 0.0),
            c.grade(node, "grade", path, "不合格"),
            str(node.get("name_zh", column)),
            str(node.get("name_en", column)),
        )

    def needs(self) -> tuple[str, ...]:
        return (self.column,)

    def cap(self, f: pd.DataFrame) -> Cap | None:
        v = pd.to_numeric(f[self.column], errors="coerce").fillna(0).to_numpy(float)
        zh = (f"{self.name_zh} " + fmt(v, 2)
              + f"，低于 {self.min:g}（规则 {self.label}），最高评为{self.grade}")  # fmt: skip
        en = (f"{self.name_en} " + fmt(v, 2)
              + f", below {self.min:g} (rule {self.label}): at best {GRADES_EN[self.grade]}")  # fmt: skip
        return Cap(v < self.min, GRADE_INDEX[self.grade], zh, en)
