"""Targets (预期目标): province class-count targets and county action-plan targets.

**Province** (seed 000 section 二): “到2025年……A、B、C三类县的数量分别由0个、12个、10个跃升到10个、8个、
4个左右”. A target file gives the base year and counts, the target year and counts, and per class
whether more is better (``at_least``: A), fewer is better (``at_most``: C) or the count should be
about the target (``about``: B, the middle class fills and empties as counties pass through).
:func:`province_progress` compares each evaluated year with the straight path from base to target
and gives the pace still needed (counties per year) against the pace so far.

**County** (seed 001, 景宁 2023–2027; 清单化管理): an action plan lists items with a target value, a
deadline and responsible units. An item is a *level* (高新技术企业 40 家 by 2027) or an average
annual *growth* (财政科技投入年均增长 ≥15%: turned into the level ``base · 1.15^(deadline − base
year)``); its target may be another series (R&D/GDP “达到全市平均水平”: ``target_ref``).
:func:`county_status` projects the latest value to the deadline along the observed trend (compound
annual growth between the first and the latest observation; linear when a value is not positive)
and says:

* ``met`` (已达目标) — the latest value reaches the target;
* ``missed`` (未达目标) — the deadline has passed without reaching it;
* ``on_track`` (按期可达) — the projection reaches the target by the deadline;
* ``at_risk`` (存在风险) — the projection reaches at least ``at_risk_share`` (default 90 %) of it;
* ``off_track`` (难以达成) — less than that;
* ``no_data`` (数据不足) — fewer than two observations (no trend).

with the annual growth still needed from the latest value to reach the target on time. Other
kinds of target (破零, 翻一番, 全覆盖, 争先进位 …) are in :mod:`cimon.analysis.target_kinds`; each
status carries the rule that decided it. Plans uploaded as Excel, province plans and values
from the evaluation: :mod:`cimon.analysis.plans`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cimon.analysis.errors import TargetError
from cimon.analysis.files import bundled, load_yaml, read_rows
from cimon.analysis.target_base import UNIT_SEP, Context, TargetKind, split_list
from cimon.analysis.target_kinds import kind_class, make_kind
from cimon.model.cells import parse_cell
from cimon.vocab import SYNTHETIC_MARK, t

Series = dict[str, dict[int, float]]

FOLDER = "targets"
STATUS = {
    "on_track": ("按期可达", "on track"),
    "at_risk": ("存在风险", "at risk"),
    "off_track": ("难以达成", "off track"),
    "no_data": ("数据不足", "no data"),
    "behind": ("落后于进度", "behind"),
    "met": ("已达目标", "target met"),
    "missed": ("未达目标", "target missed"),
    "invalid": ("目标无效", "invalid target"),
}
DIRECTIONS = ("at_least", "at_most", "about")


def bundled_targets() -> list[str]:
    return bundled(FOLDER)


# --- province --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceTargets:
    id: str
    name_zh: str
    quote_zh: str
    base_year: int
    base: Mapping[str, int]
    target_year: int
    target: Mapping[str, int]
    direction: Mapping[str, str]
    tolerance: int
    source: str

    def planned(self, year: int, label: str) -> float:
        """The straight path from the base count to the target count."""
        span = self.target_year - self.base_year
        t = min(max(year - self.base_year, 0), span) / span
        return self.base[label] + (self.target[label] - self.base[label]) * t


def load_province_targets(ref: str | Path = "nx-2025") -> ProvinceTargets:
    data, source = load_yaml(ref, FOLDER, TargetError)
    if data.get("kind") != "province":
        raise TargetError(
            "这不是省级类别数量目标文件（应有 kind: province）。",
            "Not a province class-count target file (expected kind: province).",
            f"{source}: kind",
        )
    try:
        base, target = data["base"], data["target"]
        bc = {str(k): int(v) for k, v in base["counts"].items()}
        tc = {str(k): int(v) for k, v in target["counts"].items()}
        by, ty = int(base["year"]), int(target["year"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TargetError(
            f"base 和 target 应写成 {{year: 年度, counts: {{A: 个数, …}}}}（问题：{exc}）。",
            f"base and target must be {{year: YEAR, counts: {{A: N, …}}}} (problem: {exc}).",
            f"{source}: base/target",
        ) from None
    if set(bc) != set(tc) or ty <= by:
        raise TargetError(
            "base 与 target 的类别应一致，且目标年度晚于基准年度。",
            "base and target must list the same classes, and the target year must follow the base year.",
            f"{source}: target",
        )
    direction = {str(k): str(v) for k, v in (data.get("direction") or {}).items()}
    for k in bc:
        direction.setdefault(k, "about")
        if direction[k] not in DIRECTIONS:
            raise TargetError(
                f"类别 {k} 的方向应为 {' / '.join(DIRECTIONS)}。",
                f"Direction of class {k} must be one of {' / '.join(DIRECTIONS)}.",
                f"{source}: direction.{k}",
            )
    return ProvinceTargets(
        id=str(data.get("id", source)),
        name_zh=str(data.get("name_zh", "")),
        quote_zh=str(data.get("quote_zh", "")),
        base_year=by,
        base=bc,
        target_year=ty,
        target=tc,
        direction=direction,
        tolerance=int(data.get("tolerance", 1)),
        source=source,
    )


@dataclass(frozen=True)
class ClassProgress:
    year: int
    label: str
    actual: int
    planned: float
    target: int
    gap: int  # target − actual
    pace_needed: float | None  # counties per year still needed (None at/after the target year)
    pace_so_far: float | None  # counties per year since the base year
    status: str  # met | on_track | behind | missed


def province_progress(
    targets: ProvinceTargets, counts: Mapping[int, Mapping[str, int]]
) -> list[ClassProgress]:
    """One row per evaluated year and class: actual, planned path, gap, paces and status.

    ``at_least`` classes are on track when the count is at or above the path (rounded down),
    ``at_most`` classes when at or below it (rounded up), ``about`` classes when within
    ``tolerance`` of it. In and after the target year the status is ``met`` or ``missed``
    (``about``: within the tolerance of the target — the seed says “左右”)."""
    out = []
    for year in sorted(counts):
        for label in targets.target:
            actual = int(counts[year].get(label, 0))
            plan = targets.planned(year, label)
            tgt = targets.target[label]
            d = targets.direction[label]
            left = targets.target_year - year
            needed = (tgt - actual) / left if left > 0 else None
            done = year - targets.base_year
            so_far = (actual - targets.base[label]) / done if done > 0 else None
            if d == "at_least":
                reached, on_path = actual >= tgt, actual >= math.floor(plan + 1e-9)
            elif d == "at_most":
                reached, on_path = actual <= tgt, actual <= math.ceil(plan - 1e-9)
            else:
                reached = abs(actual - tgt) <= targets.tolerance
                on_path = abs(actual - plan) <= targets.tolerance
            if left <= 0:
                status = "met" if reached else "missed"
            else:
                status = "on_track" if on_path else "behind"
            out.append(
                ClassProgress(year, label, actual, plan, tgt, tgt - actual, needed, so_far, status)
            )
    return out


# --- county ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItem:
    code: str
    name_zh: str
    name_en: str
    unit: str
    kind: str  # level | growth
    target: float | None
    target_ref: str | None
    deadline: int
    responsible: tuple[str, ...]
    quote_zh: str
    provenance: str
    formula: str | None = None
    #: the kind's other parameters (:mod:`cimon.analysis.target_kinds`), as written
    params: Mapping[str, Any] = field(default_factory=dict)
    #: where the value comes from: an indicator or result of the evaluation (``I06``,
    #: ``score``, ``rank``, ``class_count:A``; :func:`cimon.analysis.plans.values_from_runs`)
    indicator: str | None = None
    #: the unit the target is for, in a plan covering several units (blank: the plan's area)
    applies_to: str = ""
    note: str = ""
    #: a stored-data source named by an uploaded plan (``registry_count``,
    #: ``commissioner_coverage`` …; resolved by :mod:`cimon.store.programmes.sources`)
    source: str | None = None
    source_params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def source_kind(self) -> str:
        """``computed`` (from the evaluation, the data panel or a stored-data source) or
        ``reported``."""
        return "computed" if self.formula or self.indicator or self.source else "reported"

    def spec(self) -> TargetKind:
        """The target's kind with its parameters (checked against the kind's declaration)."""
        params = dict(self.params)
        declared = {p.name for p in kind_class(self.kind).PARAMS}
        for key, value in (("target", self.target), ("target_ref", self.target_ref)):
            if value is not None and key in declared:
                params.setdefault(key, value)
        return make_kind(self.kind, params, self.code)


@dataclass(frozen=True)
class CountyPlan:
    """A plan (规划/行动方案) with dated targets: a county's, a city's or a province's
    (``level``), for its own area (``county``: the area's name) or for several ``units``."""

    id: str
    county: str
    plan_zh: str
    source_zh: str
    base_year: int
    at_risk_share: float
    items: tuple[PlanItem, ...]
    source: str
    level: str = "county"
    units: tuple[str, ...] = ()


LEVELS = ("county", "city", "province")
#: the fields of a target; any other key is a parameter of its kind
ITEM_FIELDS = (
    "code", "name_zh", "name_en", "unit", "kind", "deadline", "responsible", "quote_zh",
    "provenance", "formula", "indicator", "applies_to", "note", "params", "source",
    "source_params",
)  # fmt: skip


def load_county_plan(ref: str | Path = "jingning-2023") -> CountyPlan:
    """A plan from a bundled id or a YAML file: ``kind: county`` (a county action plan) or
    ``kind: plan`` with ``level: county | city | province``."""
    data, source = load_yaml(ref, FOLDER, TargetError)
    if data.get("kind") not in ("county", "plan"):
        raise TargetError(
            "这不是目标方案文件（应有 kind: county 或 kind: plan）。",
            "Not a plan file (expected kind: county or kind: plan).",
            f"{source}: kind",
        )
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        raise TargetError(
            "items 应为非空列表。", "items must be a non-empty list.", f"{source}: items"
        )
    return plan_from(data, [(it, f"{source}: items[{k}]") for k, it in enumerate(raw)], source)


def plan_from(head: Mapping[str, Any], rows: Sequence[tuple[Any, str]], source: str) -> CountyPlan:
    """A plan from its header fields and its targets (each with where it was written)."""
    level = str(head.get("level") or "county")
    if level not in LEVELS:
        raise TargetError(
            f"level 应为 {' / '.join(LEVELS)}，不是“{level}”。",
            f"level must be one of {' / '.join(LEVELS)}, not '{level}'.",
            f"{source}: level",
        )
    items, seen = [], set()
    for it, where in rows:
        item = parse_item(it, where)
        if item.code in seen:
            raise TargetError(
                f"目标项代码“{item.code}”重复。",
                f"Duplicate item code '{item.code}'.",
                f"{where}.code",
            )
        seen.add(item.code)
        items.append(item)
    try:
        base_year = int(head.get("base_year") or min(i.deadline for i in items) - 5)
        share = float(head.get("at_risk_share") or 0.9)
    except (TypeError, ValueError):
        raise TargetError(
            "base_year 应为年度，at_risk_share 应为 0–1 之间的数。",
            "base_year must be a year and at_risk_share a number between 0 and 1.",
            source,
        ) from None
    units = head.get("units") or ()
    return CountyPlan(
        id=str(head.get("id") or source),
        county=str(head.get("area") or head.get("county") or ""),
        plan_zh=str(head.get("plan_zh") or head.get("name_zh") or ""),
        source_zh=str(head.get("source_zh") or ""),
        base_year=base_year,
        at_risk_share=share,
        items=tuple(items),
        source=source,
        level=level,
        units=tuple(split_list(units) if isinstance(units, str) else (str(u) for u in units)),
    )


def parse_item(it: Any, where: str) -> PlanItem:
    """One target from a mapping (a YAML item or an Excel row); errors name ``where``."""
    if not isinstance(it, Mapping) or not it.get("code") or it.get("deadline") in (None, ""):
        raise TargetError(
            "每个目标项应含 code（代码）、deadline（期限）及其类型的参数（如 target）。",
            "Each item needs code, deadline and its kind's parameters (such as target).",
            where,
        )
    try:
        deadline = int(str(it["deadline"]).removesuffix(".0").removesuffix("年"))
    except ValueError:
        raise TargetError(
            f"期限“{it['deadline']}”应为年度，如 2027。",
            f"Deadline '{it['deadline']}' must be a year, e.g. 2027.",
            f"{where}.deadline",
        ) from None
    kind = str(it.get("kind") or "level")
    extra = dict(it.get("params") or {})
    extra.update({k: v for k, v in it.items() if k not in ITEM_FIELDS and v not in (None, "")})
    kind_class(kind, f"{where}.kind")  # an unknown kind names the kind
    spec = make_kind(kind, extra, where)  # a bad parameter names the parameter
    got = spec.get_params()
    target, tref = got.get("target"), got.get("target_ref")
    responsible = it.get("responsible") or []
    if isinstance(responsible, str):
        responsible = split_list(responsible)
    source, source_params = parse_source(it.get("source"), it.get("source_params"), where)
    return PlanItem(
        code=str(it["code"]).strip(),
        name_zh=str(it.get("name_zh") or it["code"]),
        name_en=str(it.get("name_en") or it.get("name_zh") or it["code"]),
        unit=str(it.get("unit") or ""),
        kind=kind,
        target=None if target is None else float(target),
        target_ref=None if tref is None else str(tref),
        deadline=deadline,
        responsible=tuple(str(x).strip() for x in responsible if str(x).strip()),
        quote_zh=str(it.get("quote_zh") or ""),
        provenance=str(it.get("provenance") or "seed"),
        formula=str(it["formula"]) if it.get("formula") else None,
        params={k: v for k, v in extra.items() if k not in ("target", "target_ref")},
        indicator=str(it["indicator"]) if it.get("indicator") else None,
        applies_to=str(it.get("applies_to") or ""),
        note=str(it.get("note") or ""),
        source=source,
        source_params=source_params,
    )


def parse_source(
    raw: Any, params: Any, where: str
) -> tuple[str | None, dict[str, str | int | float]]:
    """A target's stored-data source as written: ``{kind: registry_count, params: {kind: 高新技术企业}}``
    or ``{kind: commissioner_coverage, level: village}`` (YAML), ``registry_count;
    kind=高新技术企业`` (an Excel cell) or a name with ``source_params``.
    Only the shape is checked here; whether the source exists and has its parameters is for
    the store (:func:`cimon.store.programmes.sources.check_source`)."""
    if raw in (None, ""):
        return None, {}
    bad = TargetError(
        "数据来源（source）应写作 {kind: registry_count, params: {kind: 高新技术企业}} 或"
        "“registry_count; kind=高新技术企业”，参数为文字或数字。请改正后重新上传。",
        "Write the source as {kind: registry_count, params: {kind: …}} or "
        "'registry_count; kind=…', its parameters text or numbers, and upload again.",
        f"{where}.source",
    )
    got: dict[str, Any] = {}
    if isinstance(raw, Mapping):
        got = {str(k): v for k, v in raw.items()}
        name = got.pop("kind", None)
        nested = got.pop("params", None) or {}
        if not isinstance(nested, Mapping):
            raise bad
        got.update({str(k): v for k, v in nested.items()})
    elif isinstance(raw, str):
        head, *rest = raw.replace("；", ";").split(";")
        name = head.strip()
        for part in rest:
            key, sep, value = part.replace("＝", "=").partition("=")
            if not sep or not key.strip():
                raise bad
            got[key.strip()] = value.strip()
    else:
        raise bad
    if params not in (None, ""):
        if not isinstance(params, Mapping):
            raise bad
        got.update({str(k): v for k, v in params.items()})
    if not isinstance(name, str) or not name.strip():
        raise bad
    if any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in got.values()):
        raise bad
    return name.strip(), got


def load_values(path: str | Path) -> tuple[Series, bool]:
    """Observed values: rows ``item`` (an item code or a reference series name), ``year``,
    ``value``; optional ``source`` and ``unit`` (a per-unit value, stored as ``item@unit``). Returns the series and whether any row is synthetic
    (source mentions 模拟数据)."""
    out: Series = {}
    synthetic = False
    for row in read_rows(path, TargetError):
        item, year, value = (
            row.get("item", "指标"),
            row.get("year", "年度"),
            row.get("value", "数值"),
        )
        if item is None or year is None or value is None:
            raise TargetError(
                "每行需要 item（目标项代码或参照系列）、year（年度）、value（数值）。",
                "Each row needs item (item code or reference series), year and value.",
                row.where,
            )
        cv = parse_cell(value)  # the parser of every other number: 1.2万, １２３, 3,000
        try:
            y = int(str(year).removesuffix(".0"))
        except ValueError:
            y = None
        if y is None or cv.status != "reported":
            raise TargetError(
                f"年度“{year}”或数值“{value}”不是数字。{cv.error_zh}",
                f"Year '{year}' or value '{value}' is not a number. {cv.error_en}".rstrip(),
                row.where,
            )
        key = str(item).strip()
        unit = row.get("unit", "所属单位")
        if unit is not None:  # a per-unit value (全覆盖, 争先进位): key ``item@unit``
            key = f"{key}{UNIT_SEP}{str(unit).strip()}"
        out.setdefault(key, {})[y] = cv.value
        synthetic |= SYNTHETIC_MARK in str(row.get("source", "来源") or "")
    return out, synthetic


def bundled_values(plan: str) -> tuple[Series, bool]:
    """The synthetic example values shipped with a bundled plan
    (``cimon/data/targets/<plan>-synthetic-values.csv``), as :func:`load_values` reads them;
    no series (and not synthetic) when the plan has none, e.g. a plan given as a file."""
    example = resources.files("cimon.data") / "targets" / f"{plan}-synthetic-values.csv"
    if not example.is_file():
        return {}, False
    with resources.as_file(example) as path:
        return load_values(path)


@dataclass(frozen=True)
class ItemStatus:
    item: PlanItem
    target_value: float | None
    latest_year: int | None
    latest: float | None
    trend: float | None  # annual growth rate (compound) or per-year change (linear)
    trend_kind: str  # compound | linear | none
    needed: float | None  # annual growth (compound) or per-year change (linear) still needed
    projected: float | None
    status: str
    rule_zh: str = ""  # the rule that decided the status, with its figures
    rule_en: str = ""

    def explain(self, lang: str = "zh") -> str:
        return t(*STATUS[self.status], lang)

    def rule(self, lang: str = "zh") -> str:
        return t(self.rule_zh, self.rule_en, lang)


def item_status(
    item: PlanItem, series: Series, base_year: int, at_risk_share: float = 0.9
) -> ItemStatus:
    """Status of one plan item from its observations, by its kind
    (:mod:`cimon.analysis.target_kinds`; a ``level`` item as the module docstring says)."""
    ctx = Context(item.code, series, base_year, item.deadline, at_risk_share)
    v = item.spec().evaluate(ctx)
    return ItemStatus(
        item, v.target_value, v.latest_year, v.latest, v.trend, v.trend_kind, v.needed,
        v.projected, v.status, v.rule_zh, v.rule_en,
    )  # fmt: skip


def county_status(plan: CountyPlan, series: Series) -> list[ItemStatus]:
    """Status of every item of an action plan."""
    return [item_status(i, series, plan.base_year, plan.at_risk_share) for i in plan.items]


def values_from_panel(plan: CountyPlan, panel: Any, code: str, years: Sequence[int]) -> Series:
    """Observations of the plan items that have a ``formula`` (over the framework's variables),
    computed from a data panel for one county (data years ``years``)."""
    from cimon.engine.derive import evaluate_formula

    out: Series = {}
    for item in plan.items:
        if not item.formula:
            continue
        for y in years:

            def get(var: str, lag: int, _y: int = y) -> Any:
                f = panel.frame
                rows = f[
                    (f["region_code"] == code) & (f["year"] == _y - lag) & (f["variable"] == var)
                ]
                return [float(rows["value"].mean())] if len(rows) else [float("nan")]

            value = float(evaluate_formula(item.formula, get)[0])
            if not math.isnan(value):
                out.setdefault(item.code, {})[y] = value
    return out
