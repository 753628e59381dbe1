"""Framework parsing, shared parts: the error-locating checker, and the ``variables``,
``definitions`` and ``checks``/``ratios`` blocks (with each variable's limits and unit defaults).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cimon.errors import FrameworkError
from cimon.model.formula import FormulaSyntaxError, parse_formula
from cimon.model.framework_types import Check, Variable


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
