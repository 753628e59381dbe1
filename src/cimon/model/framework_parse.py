"""Reading and validating a framework's YAML: :func:`parse_framework` and its pillar, indicator,
pipeline and class parsers. Every error names the file and the key path, in Chinese and English.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import yaml

from cimon.errors import FrameworkError, MethodError
from cimon.model.formula import FormulaSyntaxError, parse_formula
from cimon.model.framework_tree import parse_groups, parse_units
from cimon.model.framework_types import (
    DEFAULT_DEPARTMENTS,
    INDICATOR_STAGES,
    PROVENANCE,
    ClassBand,
    Framework,
    Indicator,
    Pillar,
)
from cimon.model.framework_variables import _Checker, _parse_checks, _parse_variables, _unique
from cimon.model.plausible import parse_plausible


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
    # with groups: (intermediate levels) points are weights within the parent, scaled to the total
    groups, pillars, indicators = parse_groups(c, data, pillars, indicators, seen)
    points_sum = sum(i.points for i in indicators)
    if not groups and not math.isclose(points_sum, total, abs_tol=1e-9):
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
        groups=groups,
        units=parse_units(c, data),
    )


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
        _check_params(c, key, defaults[key], "pipeline")
    return defaults


def _check_params(
    c: _Checker, stage: str, spec: Mapping[str, Any], path: str, direction: int | None = None
) -> None:
    """Check the parameter values written under ``path.stage`` against the method's own
    declaration (:mod:`cimon.engine.params`: the checks live with the method, not here). Values
    not written here (defaults merged later) and unknown names are checked when the log is
    built."""
    # imported here: the parser reads the engine's declarations, nothing else of the engine
    from cimon.engine.base import method_class, registered

    name = str(spec.get("method"))
    if (stage, name) not in registered(stage):
        return
    values = {k: v for k, v in spec.items() if k != "method"}
    try:
        method_class(stage, name).check_params(values, f"{path}.{stage}", direction)
    except MethodError as exc:
        raise c.fail(exc.where or f"{path}.{stage}", exc.zh, exc.en) from None


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
    for stage, spec in stages.items():
        _check_params(c, stage, spec, path, direction)
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
