"""The indicator framework (指标体系): pillars → indicators → variables, loaded from YAML and validated.

A framework is data, not code: which indicators exist, their points, how each is derived from raw
variables and which method (with which parameters) scores it at every stage. Every error names the
file and the key path, in Chinese and English.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cimon.errors import FrameworkError
from cimon.model.formula import FormulaSyntaxError, parse_formula
from cimon.model.plausible import INTAKE_ONLY_KEYS, Plausible, parse_plausible

#: Who supplies data (seed 000 section 一): five provincial departments, and the counties themselves.
DEFAULT_DEPARTMENTS: tuple[str, ...] = (
    "科技厅",
    "发展改革委",
    "财政厅",
    "市场监管厅",
    "统计局",
    "县",
)

#: Stages whose method is chosen per indicator (defaults under ``pipeline:``, overrides per indicator).
INDICATOR_STAGES: tuple[str, ...] = ("impute", "treat", "normalise")
#: Stages chosen once for the whole framework.
GLOBAL_STAGES: tuple[str, ...] = ("weight", "aggregate")

PROVENANCE = ("seed", "confirmed", "inferred")


@dataclass(frozen=True)
class Variable:
    """A raw variable collected from a department (or self-reported by a county)."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    department: str
    kind: str = "quantitative"  # or "rubric": a qualitative item scored 0..max_points by experts
    max_points: float | None = None
    #: what to report (a statistical definition), or for a rubric item its scoring points
    #: (评分要点): shown in templates, in Chinese and in English
    definition_zh: str = ""
    definition_en: str = ""
    combine: str = "mean"  # rubric only: how several experts' scores combine (mean | trimmed_mean)
    #: plausible range: a value outside [min, max] is an error at import (None: unbounded).
    min: float | None = None
    max: float | None = None
    #: year-over-year relative change beyond which an import warns (0.5 = ±50%); None: no check.
    jump: float | None = None
    #: absolute change below which a jump is never reported (small counts move by a few units).
    jump_min: float = 0.0
    #: what an empty cell means: "missing" (no data) or "zero" (the variable's policy says 0).
    blank: str = "missing"
    #: whole numbers only (counts of enterprises, patents …): a fraction is a warning at import.
    integer: bool = False
    #: the framework's ``plausible`` bounds (refuse / warn) of this variable, if any
    plausible: Plausible | None = None

    @property
    def hard_min(self) -> float | None:
        """The lowest value import accepts: the stricter of ``min`` and ``plausible.refuse``."""
        lo = self.plausible.refuse_min if self.plausible else None
        return lo if self.min is None else self.min if lo is None else max(self.min, lo)

    @property
    def hard_max(self) -> float | None:
        """The highest value import accepts: the stricter of ``max`` and ``plausible.refuse``."""
        hi = self.plausible.refuse_max if self.plausible else None
        return hi if self.max is None else self.max if hi is None else min(self.max, hi)


@dataclass(frozen=True)
class Check:
    """A consistency rule between variables of the same county and year, e.g. ``ent_rd <= rd_exp``.

    ``left`` and ``right`` are formulas over variable codes; the rule holds when
    ``left <op> right`` within a relative tolerance ``tol``. Checked at import (intake).
    """

    code: str
    left: str
    op: str
    right: str
    variables: tuple[str, ...]
    severity: str = "error"  # or "warning"
    name_zh: str = ""
    name_en: str = ""
    tol: float = 1e-9


@dataclass(frozen=True)
class Indicator:
    """A scored indicator (二级指标)."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: int  # +1: more is better; -1: less is better
    points: float
    pillar: str
    formula: str
    variables: tuple[str, ...]
    max_lag: int
    stages: Mapping[str, Mapping[str, Any]]  # stage -> spec override (method + params)
    derive: Mapping[str, Any]  # derive options, e.g. {"zero_base": "missing"}
    provenance: str = "inferred"
    note_zh: str = ""


@dataclass(frozen=True)
class Pillar:
    """A first-level pillar (一级指标)."""

    code: str
    name_zh: str
    name_en: str
    points: float
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class ClassBand:
    """A class (类别): counties scoring at least ``min`` (inclusive) fall in it."""

    label: str
    min: float | None
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Framework:
    """A validated, versioned indicator framework."""

    id: str
    version: str
    name_zh: str
    name_en: str
    total_points: float
    data_lag: int
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    variables: tuple[Variable, ...]
    classes: tuple[ClassBand, ...]
    pipeline: Mapping[str, Mapping[str, Any]]
    rounding: int
    departments: tuple[str, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False)
    checks: tuple[Check, ...] = ()
    source: str = field(default="<dict>", compare=False)

    @property
    def hash(self) -> str:
        """sha256 of the framework's canonical content (comments and key order do not matter),
        without the documentation-only and intake-only blocks (:data:`UNHASHED_KEYS`): rewording a
        definition or tightening the plausible bounds (:mod:`cimon.model.plausible`) must not make
        a published evaluation irreproducible."""
        return content_hash({k: v for k, v in self.raw.items() if k not in UNHASHED_KEYS})

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def variable(self, code: str) -> Variable:
        for var in self.variables:
            if var.code == code:
                return var
        raise KeyError(code)

    @property
    def max_lag(self) -> int:
        return max((i.max_lag for i in self.indicators), default=0)


#: Top-level framework blocks that do not decide how a county scores, left out of
#: :attr:`Framework.hash`. ``definitions``: what each variable means, by code (``zh``, ``en``),
#: shown in templates (指标解释, 评分要点); it adds to or replaces a variable's own ``definition_zh``.
UNHASHED_KEYS: frozenset[str] = frozenset({"definitions", *INTAKE_ONLY_KEYS})


def content_hash(obj: Any) -> str:
    """sha256 over canonical JSON (sorted keys, no whitespace, UTF-8)."""
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def bundled_frameworks() -> list[str]:
    """Ids of the frameworks shipped in ``cimon/data/frameworks``."""
    root = resources.files("cimon.data") / "frameworks"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def load_framework(ref: str | Path | Mapping[str, Any]) -> Framework:
    """Load and validate a framework.

    ``ref`` is a bundled id (``"nx-2021"``), a path to a YAML file, or an already-parsed mapping.
    Raises :class:`~cimon.errors.FrameworkError` naming the file and key path of the first problem.
    """
    if isinstance(ref, Mapping):
        return parse_framework(ref, source="<dict>")
    path = Path(ref)
    if not path.suffix and str(ref) in bundled_frameworks():
        res = resources.files("cimon.data") / "frameworks" / f"{ref}.yaml"
        return parse_framework(
            _read_yaml(res.read_text(encoding="utf-8"), f"{ref}.yaml"), f"{ref}.yaml"
        )
    if not path.exists():
        known = "、".join(bundled_frameworks())
        raise FrameworkError(
            f"找不到指标体系文件或内置指标体系“{ref}”。内置的有：{known}。",
            f"No framework file or bundled framework named '{ref}'. Bundled: {known}.",
            str(ref),
        )
    return parse_framework(_read_yaml(path.read_text(encoding="utf-8"), str(path)), str(path))


def _read_yaml(text: str, source: str) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise FrameworkError(
            f"YAML 格式错误：{getattr(exc, 'problem', exc)}。请检查缩进和冒号。",
            f"YAML syntax error: {getattr(exc, 'problem', exc)}. Check indentation and colons.",
            where,
        ) from None
    if not isinstance(data, Mapping):
        raise FrameworkError(
            "指标体系文件应为键值映射（顶层包含 id、pillars、variables 等）。",
            "A framework file must be a mapping (top level: id, pillars, variables, …).",
            source,
        )
    _reject_non_text_keys(data, source, "")
    return data


def _reject_non_text_keys(node: Any, source: str, path: str) -> None:
    """YAML 1.1 reads a bare ``on``/``off``/``yes``/``no`` key as a boolean and ``1:`` as a number;
    every key of a framework is text, so such a key is a mistake worth naming."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{path}.{key}".lstrip(".")
            if not isinstance(key, str):
                raise FrameworkError(
                    f"键 {key!r} 不是文本。YAML 会把不带引号的 on/off/yes/no 读作真假值、把数字读作数值，"
                    "请给这个键加上引号。",
                    f"Key {key!r} is not text. YAML reads unquoted on/off/yes/no as booleans and "
                    "digits as numbers; put the key in quotes.",
                    f"{source}: {here}",
                )
            _reject_non_text_keys(value, source, here)
    elif isinstance(node, list):
        for k, item in enumerate(node):
            _reject_non_text_keys(item, source, f"{path}[{k}]")


class _Checker:
    """Collects the source name so every error can say where it is."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, zh: str, en: str) -> FrameworkError:
        return FrameworkError(zh, en, f"{self.source}: {path}" if path else self.source)

    def get(
        self, node: Mapping[str, Any], key: str, path: str, kind: type | tuple[type, ...]
    ) -> Any:
        if key not in node or node[key] is None:
            raise self.fail(
                f"{path}.{key}".lstrip("."), f"缺少必填项“{key}”。", f"'{key}' is required."
            )
        value = node[key]
        if kind in (float, (int, float)) and isinstance(value, bool):
            value = "bool"
        if not isinstance(value, kind):
            want = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(
                f"{path}.{key}".lstrip("."),
                f"“{key}”应为 {want} 类型，实际是 {value!r}。",
                f"'{key}' must be a {want}, got {value!r}.",
            )
        return value


def parse_framework(data: Mapping[str, Any], source: str = "<dict>") -> Framework:
    """Validate a parsed YAML mapping and build a :class:`Framework`."""
    c = _Checker(source)
    fw_id = str(c.get(data, "id", "", (str,)))
    version = str(c.get(data, "version", "", (str, int, float)))
    total = float(data.get("total_points", 100))
    departments = tuple(data.get("departments", DEFAULT_DEPARTMENTS))

    variables = _parse_variables(c, data, departments)
    var_codes = {v.code for v in variables}
    bounds = parse_plausible(data, var_codes, c.fail)
    variables = [replace(v, plausible=bounds[v.code]) if v.code in bounds else v for v in variables]
    pipeline = _parse_pipeline(c, data)

    pillars_raw = c.get(data, "pillars", "", (list,))
    pillars: list[Pillar] = []
    indicators: list[Indicator] = []
    seen: dict[str, str] = {}
    for pi, p in enumerate(pillars_raw):
        ppath = f"pillars[{pi}]"
        if not isinstance(p, Mapping):
            raise c.fail(ppath, "一级指标应为键值映射。", "A pillar must be a mapping.")
        pcode = str(c.get(p, "code", ppath, (str,)))
        _unique(c, seen, pcode, f"{ppath}.code")
        codes: list[str] = []
        for ii, ind in enumerate(c.get(p, "indicators", ppath, (list,))):
            ipath = f"{ppath}.indicators[{ii}]"
            indicator = _parse_indicator(c, ind, ipath, pcode, var_codes)
            _unique(c, seen, indicator.code, f"{ipath}.code")
            indicators.append(indicator)
            codes.append(indicator.code)
        ppoints = float(sum(indicators[-len(codes) :][k].points for k in range(len(codes))))
        if "points" in p and not math.isclose(float(p["points"]), ppoints, abs_tol=1e-9):
            raise c.fail(
                f"{ppath}.points",
                f"一级指标“{pcode}”分值为 {p['points']}，但其二级指标分值之和为 {ppoints:g}。"
                "请使两者一致。",
                f"Pillar '{pcode}' declares {p['points']} points but its indicators sum to "
                f"{ppoints:g}. Make them agree.",
            )
        pillars.append(
            Pillar(
                pcode,
                str(p.get("name_zh", pcode)),
                str(p.get("name_en", pcode)),
                ppoints,
                tuple(codes),
            )
        )
    if not indicators:
        raise c.fail("pillars", "指标体系没有任何二级指标。", "The framework has no indicators.")
    points_sum = sum(i.points for i in indicators)
    if not math.isclose(points_sum, total, abs_tol=1e-9):
        detail = "，".join(f"{p.code} {p.points:g}" for p in pillars)
        raise c.fail(
            "pillars",
            f"各指标分值之和为 {points_sum:g}，应等于总分 {total:g}（{detail}）。请调整分值。",
            f"Indicator points sum to {points_sum:g}; they must sum to total_points {total:g} "
            f"({detail}). Adjust the points.",
        )
    used = {v for ind in indicators for v in ind.variables}
    for var in variables:
        if var.code in seen:
            raise c.fail(
                "variables",
                f"变量代码“{var.code}”与指标代码重复。",
                f"Variable code '{var.code}' is also used as an indicator code.",
            )
    del used  # unused variables are allowed: collected for checks and reports
    checks = _parse_checks(c, data, var_codes)
    checks += _parse_checks(c, data, var_codes, key="ratios", severity="warning")
    twice = sorted({k.code for k in checks if [x.code for x in checks].count(k.code) > 1})
    if twice:
        raise c.fail(
            "ratios",
            f"校验规则代码重复：{'、'.join(twice)}。",
            f"Duplicate check code(s): {', '.join(twice)}.",
        )
    return Framework(
        id=fw_id,
        version=version,
        name_zh=str(data.get("name_zh", fw_id)),
        name_en=str(data.get("name_en", fw_id)),
        total_points=total,
        data_lag=int(data.get("data_lag", 1)),
        pillars=tuple(pillars),
        indicators=tuple(indicators),
        variables=tuple(variables),
        classes=_parse_classes(c, data),
        pipeline=pipeline,
        rounding=int(data.get("rounding", 2)),
        departments=departments,
        checks=checks,
        raw=json.loads(json.dumps(data, ensure_ascii=False, default=str)),
        source=source,
    )


def _unique(c: _Checker, seen: dict[str, str], code: str, path: str) -> None:
    if code in seen:
        raise c.fail(
            path,
            f"代码“{code}”重复（此前见于 {seen[code]}）。每个指标代码必须唯一。",
            f"Duplicate code '{code}' (first used at {seen[code]}). Codes must be unique.",
        )
    seen[code] = path


def _parse_variables(
    c: _Checker, data: Mapping[str, Any], departments: tuple[str, ...]
) -> list[Variable]:
    out: list[Variable] = []
    seen: dict[str, str] = {}
    definitions = _parse_definitions(c, data)
    for vi, v in enumerate(c.get(data, "variables", "", (list,))):
        path = f"variables[{vi}]"
        if not isinstance(v, Mapping):
            raise c.fail(path, "变量应为键值映射。", "A variable must be a mapping.")
        code = str(c.get(v, "code", path, (str,)))
        if not code.isidentifier():
            raise c.fail(
                f"{path}.code",
                f"变量代码“{code}”只能包含字母、数字和下划线，且不能以数字开头。",
                f"Variable code '{code}' must be letters, digits and underscores, not starting with a digit.",
            )
        _unique(c, seen, code, f"{path}.code")
        dept = v.get("department")
        if not dept:
            raise c.fail(
                f"{path}.department",
                f"变量“{code}”没有指定报送部门。请填写 {'、'.join(departments)} 之一。",
                f"Variable '{code}' names no supplying department. Use one of: {', '.join(departments)}.",
            )
        if dept not in departments:
            raise c.fail(
                f"{path}.department",
                f"变量“{code}”的报送部门“{dept}”不在部门列表中（{'、'.join(departments)}）。",
                f"Variable '{code}': department '{dept}' is not one of {', '.join(departments)}.",
            )
        kind = str(v.get("kind", "quantitative"))
        if kind not in ("quantitative", "rubric"):
            raise c.fail(
                f"{path}.kind",
                "kind 只能是 quantitative 或 rubric。",
                "kind must be quantitative or rubric.",
            )
        max_points = v.get("max_points")
        if kind == "rubric" and not isinstance(max_points, int | float):
            raise c.fail(
                f"{path}.max_points",
                f"定性变量“{code}”必须给出满分 max_points。",
                f"Rubric variable '{code}' needs max_points.",
            )
        combine = str(v.get("combine", "mean"))
        if combine not in ("mean", "trimmed_mean"):
            raise c.fail(
                f"{path}.combine",
                "专家评分合成方式只能是 mean（平均）或 trimmed_mean（去掉最高最低后平均）。",
                "combine must be mean or trimmed_mean.",
            )
        limits = _parse_limits(c, v, path, code, kind, max_points)
        out.append(
            Variable(
                **limits,
                code=code,
                name_zh=str(v.get("name_zh", code)),
                name_en=str(v.get("name_en", code)),
                unit=str(v.get("unit", "")),
                department=str(dept),
                kind=kind,
                max_points=float(max_points) if max_points is not None else None,
                definition_zh=definitions.get(code, {}).get("zh", str(v.get("definition_zh", ""))),
                definition_en=definitions.get(code, {}).get("en", str(v.get("definition_en", ""))),
                combine=combine,
            )
        )
    return out


def _parse_definitions(c: _Checker, data: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The ``definitions`` block: ``{variable code: {zh: …, en: …}}`` (documentation only)."""
    block = data.get("definitions") or {}
    if not isinstance(block, Mapping):
        raise c.fail(
            "definitions",
            "definitions 应写成 {变量代码: {zh: 中文解释, en: English definition}}。",
            "definitions must map variable codes to {zh: ..., en: ...}.",
        )
    codes = {str(v.get("code")) for v in data.get("variables") or [] if isinstance(v, Mapping)}
    out: dict[str, dict[str, str]] = {}
    for code, entry in block.items():
        path = f"definitions.{code}"
        if str(code) not in codes:
            raise c.fail(
                path,
                f"指标解释中的“{code}”不是本指标体系的变量。",
                f"definitions names '{code}', which is not a variable of this framework.",
            )
        if not isinstance(entry, Mapping) or not set(entry) <= {"zh", "en"}:
            raise c.fail(
                path,
                "每条指标解释只能有 zh（中文）和 en（英文）两项。",
                "Each definition may only have zh and en.",
            )
        out[str(code)] = {str(k): str(val) for k, val in entry.items()}
    return out


def _parse_spec(c: _Checker, spec: Any, path: str) -> dict[str, Any]:
    if isinstance(spec, str):
        return {"method": spec}
    if not isinstance(spec, Mapping) or "method" not in spec:
        raise c.fail(
            path,
            "方法设置应写成 {method: 方法名, 参数: 值}。",
            "A method spec must look like {method: NAME, param: value}.",
        )
    return dict(spec)


def _parse_pipeline(c: _Checker, data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    raw = data.get("pipeline", {}) or {}
    if not isinstance(raw, Mapping):
        raise c.fail("pipeline", "pipeline 应为键值映射。", "pipeline must be a mapping.")
    defaults: dict[str, dict[str, Any]] = {
        "impute": {"method": "none"},
        "treat": {"method": "none"},
        "normalise": {"method": "target"},
        "weight": {"method": "points"},
        "aggregate": {"method": "sum"},
    }
    for key, spec in raw.items():
        if key not in defaults:
            raise c.fail(
                f"pipeline.{key}",
                f"未知的环节“{key}”。可用：{'、'.join(defaults)}。",
                f"Unknown stage '{key}'. Stages: {', '.join(defaults)}.",
            )
        defaults[key] = _parse_spec(c, spec, f"pipeline.{key}")
    return defaults


def _parse_indicator(
    c: _Checker, ind: Any, path: str, pillar: str, var_codes: set[str]
) -> Indicator:
    if not isinstance(ind, Mapping):
        raise c.fail(path, "二级指标应为键值映射。", "An indicator must be a mapping.")
    code = str(c.get(ind, "code", path, (str,)))
    points = float(c.get(ind, "points", path, (int, float)))
    if points <= 0:
        raise c.fail(
            f"{path}.points",
            f"指标“{code}”分值必须大于 0。",
            f"Indicator '{code}': points must be > 0.",
        )
    direction_raw = ind.get("direction", "+")
    direction = {"+": 1, "-": -1, "−": -1, 1: 1, -1: -1}.get(direction_raw)
    if direction is None:
        raise c.fail(
            f"{path}.direction",
            f"指标“{code}”的方向只能是 + 或 −（实际 {direction_raw!r}）。",
            f"Indicator '{code}': direction must be + or - (got {direction_raw!r}).",
        )
    formula = str(c.get(ind, "formula", path, (str,)))
    try:
        parsed = parse_formula(formula)
    except FormulaSyntaxError as exc:
        raise c.fail(
            f"{path}.formula",
            f"指标“{code}”的计算公式有误：{exc}。",
            f"Indicator '{code}': bad formula: {exc}.",
        ) from None
    unknown = [v for v in parsed.variables if v not in var_codes]
    if unknown:
        raise c.fail(
            f"{path}.formula",
            f"指标“{code}”的公式引用了未定义的变量：{'、'.join(unknown)}。请在 variables 中定义它们或修正拼写。",
            f"Indicator '{code}': formula names unknown variable(s) {', '.join(unknown)}. "
            "Define them under variables or fix the spelling.",
        )
    stages: dict[str, dict[str, Any]] = {}
    for stage in INDICATOR_STAGES:
        if stage in ind:
            stages[stage] = _parse_spec(c, ind[stage], f"{path}.{stage}")
    norm = stages.get("normalise", {})
    floor, target = norm.get("floor"), norm.get("target")
    if isinstance(floor, int | float) and isinstance(target, int | float):
        wrong = target <= floor if direction > 0 else target >= floor
        if wrong:
            side_zh = "高于" if direction > 0 else "低于"
            side_en = "above" if direction > 0 else "below"
            raise c.fail(
                f"{path}.normalise.target",
                f"指标“{code}”方向为{'正' if direction > 0 else '负'}，目标值 {target} 应{side_zh}"
                f"下限 {floor}。请交换或修正这两个值。",
                f"Indicator '{code}' has direction {'+' if direction > 0 else '-'}: target {target} "
                f"must be {side_en} floor {floor}. Swap or fix them.",
            )
    provenance = str(ind.get("provenance", "inferred"))
    if provenance not in PROVENANCE:
        raise c.fail(
            f"{path}.provenance",
            f"provenance 只能是 {'/'.join(PROVENANCE)}。",
            f"provenance must be one of {'/'.join(PROVENANCE)}.",
        )
    derive = ind.get("derive", {}) or {}
    zero_base = derive.get("zero_base", "missing")
    if zero_base not in ("missing", "zero"):
        raise c.fail(
            f"{path}.derive.zero_base",
            "基期为零或为负时的处理只能是 missing（记为缺失）或 zero（记为零增长）。",
            "zero_base must be missing or zero.",
        )
    return Indicator(
        code=code,
        name_zh=str(ind.get("name_zh", code)),
        name_en=str(ind.get("name_en", code)),
        unit=str(ind.get("unit", "")),
        direction=direction,
        points=points,
        pillar=pillar,
        formula=parsed.source,
        variables=parsed.variables,
        max_lag=parsed.max_lag,
        stages=stages,
        derive=dict(derive),
        provenance=provenance,
        note_zh=str(ind.get("note_zh", "")),
    )


def _parse_classes(c: _Checker, data: Mapping[str, Any]) -> tuple[ClassBand, ...]:
    raw = data.get("classes") or [
        {"label": "A", "min": 80, "name_zh": "A类"},
        {"label": "B", "min": 60, "name_zh": "B类"},
        {"label": "C", "min": None, "name_zh": "C类"},
    ]
    bands: list[ClassBand] = []
    last = math.inf
    for k, b in enumerate(raw):
        path = f"classes[{k}]"
        label = str(c.get(b, "label", path, (str,)))
        lo = b.get("min")
        if lo is None and k != len(raw) - 1:
            raise c.fail(
                f"{path}.min",
                "只有最后一个类别可以没有下限。",
                "Only the last class may have no minimum.",
            )
        if lo is not None:
            if not isinstance(lo, int | float) or lo >= last:
                raise c.fail(
                    f"{path}.min",
                    "类别应按下限从高到低排列，且下限为数字。",
                    "Classes must be listed from the highest minimum down, each minimum a number.",
                )
            last = float(lo)
        bands.append(
            ClassBand(
                label,
                None if lo is None else float(lo),
                str(b.get("name_zh", label)),
                str(b.get("name_en", label)),
            )
        )
    if bands[-1].min is not None:
        raise c.fail(
            f"classes[{len(bands) - 1}].min",
            "最后一个类别应没有下限（min: null），以便每个县都有类别。",
            "The last class must have no minimum (min: null) so every county gets a class.",
        )
    return tuple(bands)


#: units whose values are counts (whole numbers, never negative) unless a variable says otherwise.
COUNT_UNITS = ("家", "个", "人", "件", "项", "所", "名")
#: units whose values can never be negative.
NONNEGATIVE_UNITS = (*COUNT_UNITS, "万元", "元", "亿元", "人年", "分")
CHECK_OPS = ("<=", ">=", "<", ">", "==")


def _parse_limits(
    c: _Checker,
    v: Mapping[str, Any],
    path: str,
    code: str,
    kind: str,
    max_points: Any,
) -> dict[str, Any]:
    """Range, jump threshold, blank policy and integrality of a variable, with unit defaults."""
    unit = str(v.get("unit", ""))
    lo: Any = 0.0 if unit in NONNEGATIVE_UNITS or unit == "%" or kind == "rubric" else None
    hi: Any = 100.0 if unit == "%" else (max_points if kind == "rubric" else None)
    rng = v.get("range")
    if rng is not None:
        if (
            not isinstance(rng, list)
            or len(rng) != 2
            or not all(
                x is None or (isinstance(x, int | float) and not isinstance(x, bool)) for x in rng
            )
            or (rng[0] is not None and rng[1] is not None and rng[0] > rng[1])
        ):
            raise c.fail(
                f"{path}.range",
                f"变量“{code}”的取值范围应写成 [下限, 上限]（数字或 null，下限不大于上限）。",
                f"Variable '{code}': range must be [min, max] (numbers or null, min <= max).",
            )
        lo, hi = rng
    jump = v.get("jump")
    if jump is not None and (
        isinstance(jump, bool) or not isinstance(jump, int | float) or jump <= 0
    ):
        raise c.fail(
            f"{path}.jump",
            f"变量“{code}”的年度变动阈值 jump 应为正数（0.5 表示 ±50%）。",
            f"Variable '{code}': jump must be a positive number (0.5 means ±50%).",
        )
    blank = str(v.get("blank", "missing"))
    if blank not in ("missing", "zero"):
        raise c.fail(
            f"{path}.blank",
            "空白单元格的含义 blank 只能是 missing（缺失）或 zero（按 0 计）。",
            "blank must be missing or zero.",
        )
    return {
        "min": None if lo is None else float(lo),
        "max": None if hi is None else float(hi),
        "jump": None if jump is None else float(jump),
        "jump_min": float(v.get("jump_min", 0.0)),
        "blank": blank,
        "integer": bool(v.get("integer", unit in COUNT_UNITS)),
    }


def _parse_checks(
    c: _Checker,
    data: Mapping[str, Any],
    var_codes: set[str],
    *,
    key: str = "checks",
    severity: str = "error",
) -> tuple[Check, ...]:
    """The rules under ``key``: ``checks`` (default severity error) or ``ratios`` (plausible
    relations between variables, default severity warning; intake-only, see
    :mod:`cimon.model.plausible`)."""
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise c.fail(key, f"{key} 应为列表。", f"{key} must be a list.")
    out: list[Check] = []
    seen: set[str] = set()
    default_severity = severity
    for k, item in enumerate(raw):
        path = f"{key}[{k}]"
        if isinstance(item, str):
            item = {"rule": item}
        if not isinstance(item, Mapping):
            raise c.fail(path, "校验规则应为键值映射。", "A check must be a mapping.")
        rule = str(c.get(item, "rule", path, (str,)))
        op = next((o for o in CHECK_OPS if o in rule), None)
        left, right = rule.split(op, 1) if op else (rule, "")
        if op is None or any(o in right for o in CHECK_OPS):
            raise c.fail(
                f"{path}.rule",
                f"校验规则“{rule}”应写成“表达式 比较符 表达式”，比较符为 {' '.join(CHECK_OPS)} 之一。",
                f"Check '{rule}' must read 'expression OP expression' with OP one of {' '.join(CHECK_OPS)}.",
            )
        names: list[str] = []
        for side in (left, right):
            try:
                parsed = parse_formula(side.strip())
            except FormulaSyntaxError as exc:
                raise c.fail(
                    f"{path}.rule",
                    f"校验规则“{rule}”有误：{exc}。",
                    f"Check '{rule}' is invalid: {exc}.",
                ) from None
            if parsed.max_lag:
                raise c.fail(
                    f"{path}.rule",
                    "校验规则只能比较同一年度的数据（不能使用 growth、lag 等）。",
                    "A check compares values of one year only (no growth, lag, …).",
                )
            names.extend(parsed.variables)
        unknown = [n for n in names if n not in var_codes]
        if unknown:
            raise c.fail(
                f"{path}.rule",
                f"校验规则引用了未定义的变量：{'、'.join(unknown)}。",
                f"Check names unknown variable(s): {', '.join(unknown)}.",
            )
        severity = str(item.get("severity", default_severity))
        if severity not in ("error", "warning"):
            raise c.fail(
                f"{path}.severity",
                "severity 只能是 error（阻止导入）或 warning（需确认）。",
                "severity must be error (blocks the import) or warning (must be acknowledged).",
            )
        code = str(item.get("code", f"{'C' if key == 'checks' else 'R'}{k + 1:02d}"))
        if code in seen:
            raise c.fail(
                f"{path}.code", f"校验规则代码“{code}”重复。", f"Duplicate check code '{code}'."
            )
        seen.add(code)
        out.append(
            Check(
                code=code,
                left=left.strip(),
                op=op,
                right=right.strip(),
                variables=tuple(dict.fromkeys(names)),
                severity=severity,
                name_zh=str(item.get("name_zh", rule)),
                name_en=str(item.get("name_en", rule)),
                tol=float(item.get("tol", 1e-9)),
            )
        )
    return tuple(out)
