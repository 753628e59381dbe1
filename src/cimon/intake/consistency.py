"""The framework's consistency rules over a submission (``rule.consistency``,
``rule.consistency_warning``): ``left <op> right`` per county and year, reading the variables a
submission lacks from other departments' accepted data. ``docs/intake/checks.md`` gives the exact
conditions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cimon.engine.derive import evaluate_formula
from cimon.intake.check_context import CheckContext, accepted, quantity
from cimon.model.framework import Check
from cimon.model.units import format_number

_OPS_ZH = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


def violates(left: np.ndarray, right: np.ndarray, op: str, tol: float) -> np.ndarray:
    """Where ``left <op> right`` fails beyond the relative tolerance ``tol`` (NaN: never).

    The slack is ``tol · max(|left|, |right|)``; ``a <= b`` fails when ``a − b > slack``,
    ``a < b`` when ``a ≥ b + slack``, ``a == b`` when ``|a − b| > slack``.
    """
    with np.errstate(invalid="ignore"):
        return np.asarray(_FAILS[op](left, right, tol * np.maximum(np.abs(left), np.abs(right))))


_FAILS = {
    "<=": lambda a, b, slack: a - b > slack,
    ">=": lambda a, b, slack: b - a > slack,
    "<": lambda a, b, slack: a >= b + slack,
    ">": lambda a, b, slack: b >= a + slack,
    "==": lambda a, b, slack: np.abs(a - b) > slack,
}
_CHECK_FIX = (
    "请核对上述单元格的数值和单位并更正",
    "Check the numbers and units of these cells and correct them",
)
_RULE_FIX = {  # by (severity is warning, a value came from another department)
    (False, False): (f"{_CHECK_FIX[0]}。", f"{_CHECK_FIX[1]}."),
    (False, True): (
        f"{_CHECK_FIX[0]}；如其他部门已报的数据有误，请联系该部门更正。",
        f"{_CHECK_FIX[1]}; if another department's figure is wrong, ask it to correct it.",
    ),
    (True, False): (
        "请核实上述数值；如数据确实无误，请确认此警告。",
        "Verify these values; if they are right, acknowledge this warning.",
    ),
}
_RULE_FIX[True, True] = _RULE_FIX[True, False]


def check_rules(ctx: CheckContext, df: pd.DataFrame) -> None:
    """``rule.consistency`` / ``rule.consistency_warning`` per county and year."""
    checks = ctx.framework.checks
    base = df.loc[df["known"] & ~df["expert"]]
    if not checks or base.empty:
        return
    keys = ["region_code", "year"]
    first = base.drop_duplicates([*keys, "variable"], keep="first")
    first = first.assign(i=first.index.to_numpy(float))
    wide = first.pivot(index=keys, columns="variable", values="value")
    where = first.pivot(index=keys, columns="variable", values="i")
    rec_at = {str(c): where[c].to_numpy(float) for c in where.columns}
    n = len(wide)
    cols = {str(c): wide[c].to_numpy(float) for c in wide.columns}
    extra = accepted(ctx.context, {v for c in checks for v in c.variables} - set(cols))
    extra = extra[extra["year"].isin(set(first["year"]))]
    if not extra.empty:  # variables this submission lacks, from other departments' data
        other = extra.pivot_table(index=keys, columns="variable", values="value")
        other = other.reindex(wide.index)
        for c in other.columns:
            cols.setdefault(str(c), other[c].to_numpy(float))
    nan = np.full(n, np.nan)

    def get(var: str, lag: int) -> np.ndarray:
        return cols.get(var, nan)

    for check in checks:
        own = [v for v in check.variables if v in rec_at]
        if not own:
            continue  # a rule over other departments' data is theirs to answer for
        left = np.broadcast_to(evaluate_formula(check.left, get), (n,))
        right = np.broadcast_to(evaluate_formula(check.right, get), (n,))
        for j in np.flatnonzero(violates(left, right, check.op, check.tol)):
            at = {v: int(rec_at[v][j]) for v in own if not np.isnan(rec_at[v][j])}
            if at:
                vals = {v: float(get(v, 0)[j]) for v in check.variables}
                _rule_issue(ctx, check, at, vals, float(left[j]), float(right[j]))


def _rule_issue(
    ctx: CheckContext,
    check: Check,
    at: dict[str, int],
    vals: dict[str, float],
    lv: float,
    rv: float,
) -> None:
    """One failed rule: anchored at the first of its cells in this submission."""
    rec = ctx.sub.records[next(iter(at.values()))]
    parts_zh, parts_en = [], []
    for code, value in vals.items():
        var = ctx.variables[code]
        shown = "无数据" if math.isnan(value) else quantity(value, var.unit)
        if code in at:
            r = ctx.sub.records[at[code]]
            place = "!".join(x for x in (r.sheet, r.cell) if x)
            zh_at, en_at = place or "本表", place or "this file"
        else:
            zh_at, en_at = "其他部门已报数据", "reported by another department"
        parts_zh.append(f"{var.name_zh}（{code}）= {shown}（{zh_at}）")
        parts_en.append(f"{var.name_en} ({code}) = {shown} ({en_at})")
    warn = check.severity == "warning"
    code = "rule.consistency_warning" if warn else "rule.consistency"
    fix_zh, fix_en = _RULE_FIX[warn, len(at) < len(vals)]
    lz, rz = _side(ctx, check.left, lv), _side(ctx, check.right, rv)
    who, op_zh = ctx.county(rec.region_code), _OPS_ZH.get(check.op, check.op)
    ctx.add(
        code,
        rec,
        f"{who}{rec.year}年数据不满足校验规则 {check.code}“{check.name_zh}”：{check.left} = {lz} {op_zh} {check.right} = {rz} 不成立。其中 {'；'.join(parts_zh)}。",
        f"{who} {rec.year}: check {check.code} '{check.name_en}' fails: {check.left} = {lz} {check.op} {check.right} = {rz} does not hold. Values: {'; '.join(parts_en)}.",
        fix_zh,
        fix_en,
    )


def _side(ctx: CheckContext, formula: str, value: float) -> str:
    """A rule side's value, with the unit when the side is a single variable."""
    var = ctx.variables.get(formula.strip())
    return quantity(value, var.unit) if var is not None else format_number(value)
