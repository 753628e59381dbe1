"""Value-level validation of a parsed submission: ranges, whole numbers, unit slips, jumps,
consistency rules and missing inputs (codes ``value.*``, ``expert.out_of_range``, ``rule.*``).

:func:`check_records` never raises for anything in the data; it appends issues to ``sub.report``.
``docs/intake/checks.md`` gives the exact conditions. Work is vectorised over one DataFrame of the
records and only flagged rows build messages: 100 000 records check in a fraction of a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cimon.engine.derive import evaluate_formula
from cimon.intake.submission import ParsedSubmission, Record
from cimon.model.framework import Check, Framework, Variable
from cimon.model.panel import Panel
from cimon.model.regions import RegionRegistry
from cimon.model.units import format_number, unit_parts

#: log10 band around the expected ratio within which a unit slip is suspected (±0.5: 3.2×–32×)
SLIP_BAND = 0.5
#: fewest counties whose median may stand in for a county's own history
MIN_PEERS = 4
_OPS_ZH = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


@dataclass
class _Ctx:
    """What every check needs: the submission, the variables, the county names."""

    sub: ParsedSubmission
    framework: Framework
    registry: RegionRegistry | None
    history: Panel | None
    context: Panel | None
    variables: dict[str, Variable] = field(default_factory=dict)

    def region_name(self, code: str) -> str:
        return self.registry[code].name if self.registry and code in self.registry else ""

    def county(self, code: str) -> str:
        """The county's name for messages (its code without a registry)."""
        return self.region_name(code) or code

    def add(self, code: str, rec: Record, *msg: str) -> None:
        """An issue at the record's cell: ``msg`` is zh, en, fix_zh, fix_en; the severity is the
        code's (``CODES``)."""
        shown = rec.raw or ("" if math.isnan(rec.value) else format_number(rec.value))
        self.sub.report.add(
            code,
            *msg,
            file=self.sub.report.source or self.sub.file_name,
            sheet=rec.sheet,
            cell=rec.cell,
            region=rec.region_code,
            region_name=self.region_name(rec.region_code),
            variable=rec.variable,
            value=shown,
        )


def _q(value: float, unit: str) -> str:
    """A value with its unit: ``1200万元``, ``3.5%``."""
    return f"{format_number(value)}{unit}"


# entry point


def check_records(
    sub: ParsedSubmission,
    framework: Framework,
    *,
    history: Panel | None = None,
    context: Panel | None = None,
    registry: RegionRegistry | None = None,
) -> None:
    """Check the values of ``sub.records`` and append every finding to ``sub.report``.

    Parameters
    ----------
    sub
        The parsed submission; its report grows, nothing else changes.
    framework
        Variables (ranges, units, jump thresholds, integrality), indicators (which variables are
        needed) and consistency checks.
    history
        Accepted data of earlier data years: reference for unit slips and year-over-year jumps.
    context
        Accepted data of the same data year from other submissions: the consistency rules read
        variables this submission does not contain from it, and unit slips fall back on the
        counties' median.
    registry
        Fills ``region_name`` of issues and names counties in messages (codes otherwise).
    """
    if not sub.records:
        return
    ctx = _Ctx(sub, framework, registry, history, context, {v.code: v for v in framework.variables})
    df = _frame(sub.records, ctx.variables)
    flagged = _check_range(ctx, df)
    slipped = _check_units_and_jumps(ctx, df, flagged)
    _check_plausible(ctx, df, flagged | slipped)  # a unit slip says more: it names the fix
    _check_integer(ctx, df, flagged | slipped)
    _check_rules(ctx, df)
    _check_missing(ctx, df)


def _frame(records: list[Record], variables: dict[str, Variable]) -> pd.DataFrame:
    """One row per record (``i`` indexes ``records``), with the variable's limits alongside."""
    codes = list(variables)
    df = pd.DataFrame(
        {
            "region_code": [r.region_code for r in records],
            "year": np.fromiter((r.year for r in records), np.int64, len(records)),
            "variable": [r.variable for r in records],
            "value": np.fromiter((r.value for r in records), float, len(records)),
            "expert": np.fromiter((bool(r.expert) for r in records), bool, len(records)),
        }
    )
    pos = pd.Index(codes).get_indexer(pd.Index(df["variable"]))  # -1: not in the framework
    known = pos >= 0
    idx = np.where(known, pos, len(codes))  # the extra last slot holds the default

    def table(values: Iterable[float | None], default: float) -> np.ndarray:
        arr = np.array([default if x is None else x for x in values] + [default], float)
        return arr[idx]

    vs = list(variables.values())
    return df.assign(
        known=known,
        lo=table((v.hard_min for v in vs), -np.inf),
        hi=table((v.hard_max for v in vs), np.inf),
        warn_lo=table((v.plausible.warn_min if v.plausible else None for v in vs), -np.inf),
        warn_hi=table((v.plausible.warn_max if v.plausible else None for v in vs), np.inf),
        integer=table((float(v.integer) for v in vs), 0.0) > 0,
        jump=table((v.jump for v in vs), np.nan),
        jump_min=table((v.jump_min for v in vs), 0.0),
        quant=table((float(v.kind == "quantitative") for v in vs), 0.0) > 0,
        percent=table((float(v.unit.strip() in ("%", "％")) for v in vs), 0.0) > 0,
    )


# range and integrality


def _range_text(var: Variable, lo: float | None = None, hi: float | None = None) -> tuple[str, str]:
    """The range a value must lie in, as text: the hard one by default."""
    if lo is None and hi is None:
        lo, hi = var.hard_min, var.hard_max
    u = var.unit
    if lo is not None and hi is not None:
        return f"{format_number(lo)}–{_q(hi, u)}", f"{format_number(lo)}–{_q(hi, u)}"
    if lo is not None:
        return f"不小于 {_q(lo, u)}", f"at least {_q(lo, u)}"
    return f"不大于 {_q(hi or 0.0, u)}", f"at most {_q(hi or 0.0, u)}"


def _check_range(ctx: _Ctx, df: pd.DataFrame) -> np.ndarray:
    """``value.out_of_range`` / ``expert.out_of_range``; returns the rows flagged."""
    v = df["value"].to_numpy()
    bad = (v < df["lo"].to_numpy()) | (v > df["hi"].to_numpy())  # NaN compares False
    for i in np.flatnonzero(bad):
        rec = ctx.sub.records[i]
        var = ctx.variables[rec.variable]
        who = ctx.county(rec.region_code)
        if rec.expert and var.kind == "rubric":
            top = format_number(var.max_points if var.max_points is not None else var.max or 0.0)
            ctx.add(
                "expert.out_of_range",
                rec,
                f"专家“{rec.expert}”给{who}“{var.name_zh}”的评分为 {format_number(rec.value)} 分，超出 0–{top} 分的分值范围。",
                f"Expert '{rec.expert}' scored {who} {format_number(rec.value)} on '{var.name_en}', outside 0–{top} points.",
                f"请填写 0 到 {top} 之间的分数。",
                f"Enter a score between 0 and {top}.",
            )
            continue
        rz, re_ = _range_text(var)
        ctx.add(
            "value.out_of_range",
            rec,
            f"{who}“{var.name_zh}”填报为 {_q(rec.value, var.unit)}，超出合理范围（{rz}）。",
            f"{who}: {var.name_en} = {_q(rec.value, var.unit)}, outside the plausible range ({re_}).",
            f"请核实数值和单位（本列单位为“{var.unit}”），填写{rz}的数值；如数据确实无误，请联系管理员调整该变量的合理范围。",
            f"Check the number and its unit (this column is in '{var.unit}') and enter a value {re_}; if the figure is right, ask the administrator to widen the variable's range.",
        )
    return bad


def _check_plausible(ctx: _Ctx, df: pd.DataFrame, flagged: np.ndarray) -> np.ndarray:
    """``value.implausible`` (a warning) for values within the hard range but outside the
    framework's ``plausible.warn`` bounds (rows in ``flagged`` already have an issue); returns
    the rows it warned of."""
    v = df["value"].to_numpy()
    odd = ~flagged & ((v < df["warn_lo"].to_numpy()) | (v > df["warn_hi"].to_numpy()))
    for i in np.flatnonzero(odd):
        rec = ctx.sub.records[i]
        var = ctx.variables[rec.variable]
        p = var.plausible
        assert p is not None
        rz, re_ = _range_text(var, p.warn_min, p.warn_max)
        who = ctx.county(rec.region_code)
        ctx.add(
            "value.implausible",
            rec,
            f"{who}“{var.name_zh}”填报为 {_q(rec.value, var.unit)}，超出县级数据的常见范围（{rz}）。",
            f"{who}: {var.name_en} = {_q(rec.value, var.unit)}, outside the usual range of a county ({re_}).",
            f"请核实数值和单位（本列单位为“{var.unit}”）；如数据确实无误，请确认此警告。",
            f"Check the number and its unit (this column is in '{var.unit}'); if the figure is right, acknowledge this warning.",
        )
    return odd


def _check_integer(ctx: _Ctx, df: pd.DataFrame, flagged: np.ndarray) -> None:
    """``value.not_integer`` for fractions of whole-number variables (not already flagged)."""
    v = df["value"].to_numpy()
    with np.errstate(invalid="ignore"):
        frac = np.abs(v - np.rint(v)) > 1e-9 * np.maximum(1.0, np.abs(v))
    for i in np.flatnonzero(frac & df["integer"].to_numpy() & ~flagged):
        rec = ctx.sub.records[i]
        var = ctx.variables[rec.variable]
        who = ctx.county(rec.region_code)
        whole = format_number(float(np.rint(rec.value)))
        ctx.add(
            "value.not_integer",
            rec,
            f"{who}“{var.name_zh}”填报为 {_q(rec.value, var.unit)}，按“{var.unit}”计数应为整数。",
            f"{who}: {var.name_en} = {_q(rec.value, var.unit)}; a count in '{var.unit}' should be a whole number.",
            f"请填写整数（如 {whole}）；如数值确有小数，请核实单位后确认此警告。",
            f"Enter a whole number (e.g. {whole}); if the fraction is right, check the unit and acknowledge this warning.",
        )


# unit slips and year-over-year jumps

_KEYS = ["region_code", "variable"]


def _accepted(
    panel: Panel | None, variables: Iterable[str], regions: Iterable[str] | None = None
) -> pd.DataFrame:
    """Usable rows of a panel: reported or estimated, finite, of the given variables (and
    regions). Several rows of a county, variable and year (experts) are left for the caller."""
    cols = ["region_code", "variable", "year", "value"]
    if panel is None or panel.frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "value" else object) for c in cols})
    f = panel.frame
    keep = f["variable"].isin(list(variables)).to_numpy()
    if regions is not None:
        keep = keep & f["region_code"].isin(list(regions)).to_numpy()
    keep = keep & f["status"].isin(("reported", "estimated")).to_numpy()
    keep = keep & np.isfinite(f["value"].to_numpy(float))
    return f.loc[keep, cols]


def _own_reference(rows: pd.DataFrame, hist: pd.DataFrame) -> pd.DataFrame:
    """For every row, the county's latest earlier value and its year (NaN when none)."""
    out = pd.DataFrame({"ref": np.nan, "ref_year": np.nan}, index=rows.index)
    if hist.empty:
        return out
    for y in rows["year"].unique():
        part = rows.loc[rows["year"] == y, _KEYS]
        h = hist[hist["year"] < y].sort_values("year", kind="stable")
        h = h.drop_duplicates(_KEYS, keep="last")
        m = part.merge(h, on=_KEYS, how="left")
        out.loc[part.index, "ref"] = m["value"].to_numpy()
        out.loc[part.index, "ref_year"] = m["year"].to_numpy(float)
    return out


def _peer_median(df: pd.DataFrame, ok: np.ndarray, context: pd.DataFrame) -> pd.DataFrame:
    """Median of positive values per variable and year over the submission's counties plus the
    context's other counties, with the number of counties."""
    cols = ["region_code", "variable", "year", "value"]
    pool = pd.concat([df.loc[ok, cols], context[cols]], ignore_index=True)
    pool = pool[pool["value"] > 0].drop_duplicates(cols[:3], keep="first")
    return pool.groupby(["variable", "year"])["value"].agg(["median", "count"])


def _check_units_and_jumps(ctx: _Ctx, df: pd.DataFrame, flagged: np.ndarray) -> np.ndarray:
    """``value.unit_scale``, ``value.unit_percent`` and ``value.jump``; returns the rows with a
    suspected unit slip."""
    v_all = df["value"].to_numpy()
    ok = df["known"].to_numpy() & df["quant"].to_numpy() & ~df["expert"].to_numpy()
    ok &= np.isfinite(v_all) & ~flagged
    out = np.zeros(len(df), bool)
    if not ok.any():
        return out
    rows = df.loc[ok]
    names = rows["variable"].unique()
    own = _own_reference(rows, _accepted(ctx.history, names, rows["region_code"].unique()))
    peers = _peer_median(df, ok, _accepted(ctx.context, names))
    key = pd.MultiIndex.from_arrays([rows["variable"], rows["year"]])
    med = peers.reindex(key)
    own_ref = own["ref"].to_numpy(float)
    use_peer = np.isnan(own_ref) & (med["count"].to_numpy(float) >= MIN_PEERS)
    ref = np.where(use_peer, med["median"].to_numpy(float), own_ref)
    v = rows["value"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lr = np.where((v > 0) & (ref > 0), np.log10(v / ref), np.nan)
    pct = rows["percent"].to_numpy()
    percent_slip = pct & (np.abs(lr + 2) <= SLIP_BAND)
    up = ~pct & (np.abs(lr - 4) <= SLIP_BAND)
    down = ~pct & (np.abs(lr + 4) <= SLIP_BAND)
    index = rows.index.to_numpy()
    ref_year = own["ref_year"].to_numpy(float)
    slipped = percent_slip | up | down
    for j in np.flatnonzero(slipped):
        rec = ctx.sub.records[int(index[j])]
        q = _q(ref[j], ctx.variables[rec.variable].unit)
        if use_peer[j]:
            refs = (
                f"{rec.year}年各县（市、区）中位数 {q}",
                f"the {rec.year} median of counties, {q}",
            )
        else:
            refs = f"该县{ref_year[j]:.0f}年数值 {q}", f"the county's {ref_year[j]:.0f} value, {q}"
        _unit_slip(ctx, rec, *refs, "percent" if percent_slip[j] else "up" if up[j] else "down")
    # jumps: the county's previous data year only
    prev = np.where(ref_year == rows["year"].to_numpy() - 1, own_ref, np.nan)
    jump = rows["jump"].to_numpy()
    d = v - prev
    with np.errstate(invalid="ignore"):
        big = (np.abs(d) > rows["jump_min"].to_numpy()) & np.where(
            prev != 0, np.abs(d) > jump * np.abs(prev), d != 0
        )
    for j in np.flatnonzero(big & ~slipped & ~np.isnan(jump) & ~np.isnan(prev)):
        _jump(ctx, ctx.sub.records[int(index[j])], float(prev[j]), float(jump[j]))
    out[index[slipped]] = True
    return out


def _unit_slip(ctx: _Ctx, rec: Record, ref_zh: str, ref_en: str, kind: str) -> None:
    var = ctx.variables[rec.variable]
    who, u, v = ctx.county(rec.region_code), var.unit, rec.value
    if kind == "percent":
        pct = format_number(round(v * 100, 10))
        ctx.add(
            "value.unit_percent",
            rec,
            f"{who}“{var.name_zh}”填报为 {format_number(v)}，约为{ref_zh}的百分之一，疑似把百分数按小数填写（如 3.5% 填成了 0.035）。",
            f"{who}: {var.name_en} = {format_number(v)}, about 1/100 of {ref_en}: a percentage entered as a fraction (0.035 for 3.5%)?",
            f"如是这样，请改为 {pct}（即 {pct}%）；如数值无误，请确认此警告。",
            f"If so, enter {pct} (meaning {pct}%); if the value is right, acknowledge this warning.",
        )
        return
    mult, base = unit_parts(u)
    if kind == "up":
        fixed, times_zh, times_en = v / 1e4, "约 1 万倍", "about 10,000 times"
        alt = base if mult == 10**4 else ""
    else:
        fixed, times_zh, times_en = v * 1e4, "约万分之一", "about 1/10,000"
        alt = ("亿" + base) if mult == 10**4 else ("万" + base) if mult == 1 else ""
    why_zh = f"疑似按“{alt}”而非“{u}”填写" if alt else "疑似计量单位或数量级有误"
    why_en = f"entered in '{alt}' instead of '{u}'?" if alt else "a unit or magnitude slip?"
    fixed_q = _q(round(fixed, 10), u)
    ctx.add(
        "value.unit_scale",
        rec,
        f"{who}“{var.name_zh}”填报为 {_q(v, u)}，是{ref_zh}的{times_zh}，{why_zh}。",
        f"{who}: {var.name_en} = {_q(v, u)} is {times_en} {ref_en}: {why_en}",
        f"如确属单位错误，请改为 {fixed_q}；如数值无误，请确认此警告。",
        f"If the unit is wrong, enter {fixed_q}; if the value is right, acknowledge this warning.",
    )


def _jump(ctx: _Ctx, rec: Record, prev: float, jump: float) -> None:
    var = ctx.variables[rec.variable]
    who, u, v = ctx.county(rec.region_code), var.unit, rec.value
    ratio = abs(v) / abs(prev) if prev != 0 else math.inf
    if prev != 0 and ratio < 100:
        change = 100.0 * (v - prev) / abs(prev)
        ch_zh, ch_en = f"变动 {change:+.1f}%", f"a change of {change:+.1f}%"
    elif prev != 0 and math.isfinite(ratio):  # 1e9 against 1200: a factor, never "+inf%"
        times = format_number(ratio)
        ch_zh, ch_en = f"是上年的 {times} 倍", f"{times} times the previous year"
    elif prev != 0:
        ch_zh, ch_en = "超过上年的 10³⁰⁰ 倍", "over 10³⁰⁰ times the previous year"
    else:
        ch_zh, ch_en = "由 0 起变", "up from 0"
    ctx.add(
        "value.jump",
        rec,
        f"{who}“{var.name_zh}”填报为 {_q(v, u)}，{rec.year - 1}年为 {_q(prev, u)}，{ch_zh}，超过 ±{format_number(jump * 100)}% 的提示阈值。",
        f"{who}: {var.name_en} = {_q(v, u)} against {_q(prev, u)} in {rec.year - 1}, {ch_en}, beyond the ±{format_number(jump * 100)}% threshold.",
        "请核实数值和单位；如数据无误，请在备注中说明变动原因并确认此警告。",
        "Check the number and its unit; if it is right, explain the change in the notes and acknowledge this warning.",
    )


# consistency rules


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


def _check_rules(ctx: _Ctx, df: pd.DataFrame) -> None:
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
    extra = _accepted(ctx.context, {v for c in checks for v in c.variables} - set(cols))
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
    ctx: _Ctx, check: Check, at: dict[str, int], vals: dict[str, float], lv: float, rv: float
) -> None:
    """One failed rule: anchored at the first of its cells in this submission."""
    rec = ctx.sub.records[next(iter(at.values()))]
    parts_zh, parts_en = [], []
    for code, value in vals.items():
        var = ctx.variables[code]
        shown = "无数据" if math.isnan(value) else _q(value, var.unit)
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


def _side(ctx: _Ctx, formula: str, value: float) -> str:
    """A rule side's value, with the unit when the side is a single variable."""
    var = ctx.variables.get(formula.strip())
    return _q(value, var.unit) if var is not None else format_number(value)


# missing inputs


def _check_missing(ctx: _Ctx, df: pd.DataFrame) -> None:
    """``value.missing`` for missing values of variables some indicator's formula needs."""
    users: dict[str, list[str]] = {}
    for ind in ctx.framework.indicators:
        for code in ind.variables:
            users.setdefault(code, []).append(ind.code)
    mask = np.isnan(df["value"].to_numpy()) & ~df["expert"].to_numpy()
    mask &= df["variable"].isin(set(users)).to_numpy()
    if not mask.any():
        return
    # a cell already reported as an error (not a number …) needs no second message
    taken = {(i.sheet, i.cell) for i in ctx.sub.report.issues if i.severity == "error" and i.cell}
    for i in np.flatnonzero(mask):
        rec = ctx.sub.records[i]
        if rec.cell and (rec.sheet, rec.cell) in taken:
            continue
        var = ctx.variables[rec.variable]
        inds = [ctx.framework.indicator(c) for c in users[rec.variable]]
        iz = "、".join(f"{x.code} {x.name_zh}" for x in inds)
        ie = ", ".join(f"{x.code} {x.name_en}" for x in inds)
        raw_zh = f"（填写的是“{rec.raw}”）" if rec.raw.strip() else "（空白）"
        raw_en = f" (the cell says '{rec.raw}')" if rec.raw.strip() else " (blank)"
        ctx.add(
            "value.missing",
            rec,
            f"{ctx.county(rec.region_code)}“{var.name_zh}”没有数据{raw_zh}。无数据不得分：用到该数据的指标（{iz}）将按缺失处理，不得分。",
            f"{ctx.county(rec.region_code)}: no data for {var.name_en}{raw_en}. No data, no points: the indicator(s) using it ({ie}) will be scored as missing, with no points.",
            "如有数据，请补填；确实没有数据，请确认此警告。",
            "Fill in the value if it exists; if there is truly no data, acknowledge this warning.",
        )
