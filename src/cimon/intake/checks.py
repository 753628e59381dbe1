"""Value-level validation of a parsed submission: ranges, whole numbers, unit slips, jumps,
consistency rules and missing inputs (codes ``value.*``, ``expert.out_of_range``, ``rule.*``).

:func:`check_records` never raises for anything in the data; it appends issues to ``sub.report``.
The consistency rules are in :mod:`cimon.intake.consistency`; what every check shares in
:mod:`cimon.intake.check_context`. ``docs/intake/checks.md`` gives the exact conditions. Work is vectorised over one DataFrame of the
records and only flagged rows build messages: 100 000 records check in a fraction of a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cimon.intake.check_context import CheckContext, accepted, quantity
from cimon.intake.consistency import check_rules
from cimon.intake.submission import ParsedSubmission, Record
from cimon.model.framework import Framework, Variable
from cimon.model.panel import Panel
from cimon.model.regions import RegionRegistry
from cimon.model.units import format_number, unit_parts

#: log10 band around the expected ratio within which a unit slip is suspected (±0.5: 3.2×–32×)
SLIP_BAND = 0.5
#: fewest counties whose median may stand in for a county's own history
MIN_PEERS = 4


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
    ctx = CheckContext(
        sub, framework, registry, history, context, {v.code: v for v in framework.variables}
    )
    df = _frame(sub.records, ctx.variables)
    flagged = _check_range(ctx, df)
    slipped = _check_units_and_jumps(ctx, df, flagged)
    _check_plausible(ctx, df, flagged | slipped)  # a unit slip says more: it names the fix
    _check_integer(ctx, df, flagged | slipped)
    check_rules(ctx, df)
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
        return f"{format_number(lo)}–{quantity(hi, u)}", f"{format_number(lo)}–{quantity(hi, u)}"
    if lo is not None:
        return f"不小于 {quantity(lo, u)}", f"at least {quantity(lo, u)}"
    return f"不大于 {quantity(hi or 0.0, u)}", f"at most {quantity(hi or 0.0, u)}"


def _check_range(ctx: CheckContext, df: pd.DataFrame) -> np.ndarray:
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
            f"{who}“{var.name_zh}”填报为 {quantity(rec.value, var.unit)}，超出合理范围（{rz}）。",
            f"{who}: {var.name_en} = {quantity(rec.value, var.unit)}, outside the plausible range ({re_}).",
            f"请核实数值和单位（本列单位为“{var.unit}”），填写{rz}的数值；如数据确实无误，请联系管理员调整该变量的合理范围。",
            f"Check the number and its unit (this column is in '{var.unit}') and enter a value {re_}; if the figure is right, ask the administrator to widen the variable's range.",
        )
    return bad


def _check_plausible(ctx: CheckContext, df: pd.DataFrame, flagged: np.ndarray) -> np.ndarray:
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
            f"{who}“{var.name_zh}”填报为 {quantity(rec.value, var.unit)}，超出县级数据的常见范围（{rz}）。",
            f"{who}: {var.name_en} = {quantity(rec.value, var.unit)}, outside the usual range of a county ({re_}).",
            f"请核实数值和单位（本列单位为“{var.unit}”）；如数据确实无误，请确认此警告。",
            f"Check the number and its unit (this column is in '{var.unit}'); if the figure is right, acknowledge this warning.",
        )
    return odd


def _check_integer(ctx: CheckContext, df: pd.DataFrame, flagged: np.ndarray) -> None:
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
            f"{who}“{var.name_zh}”填报为 {quantity(rec.value, var.unit)}，按“{var.unit}”计数应为整数。",
            f"{who}: {var.name_en} = {quantity(rec.value, var.unit)}; a count in '{var.unit}' should be a whole number.",
            f"请填写整数（如 {whole}）；如数值确有小数，请核实单位后确认此警告。",
            f"Enter a whole number (e.g. {whole}); if the fraction is right, check the unit and acknowledge this warning.",
        )


# unit slips and year-over-year jumps

_KEYS = ["region_code", "variable"]


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


def _check_units_and_jumps(ctx: CheckContext, df: pd.DataFrame, flagged: np.ndarray) -> np.ndarray:
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
    own = _own_reference(rows, accepted(ctx.history, names, rows["region_code"].unique()))
    peers = _peer_median(df, ok, accepted(ctx.context, names))
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
        q = quantity(ref[j], ctx.variables[rec.variable].unit)
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


def _unit_slip(ctx: CheckContext, rec: Record, ref_zh: str, ref_en: str, kind: str) -> None:
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
    fixed_q = quantity(round(fixed, 10), u)
    ctx.add(
        "value.unit_scale",
        rec,
        f"{who}“{var.name_zh}”填报为 {quantity(v, u)}，是{ref_zh}的{times_zh}，{why_zh}。",
        f"{who}: {var.name_en} = {quantity(v, u)} is {times_en} {ref_en}: {why_en}",
        f"如确属单位错误，请改为 {fixed_q}；如数值无误，请确认此警告。",
        f"If the unit is wrong, enter {fixed_q}; if the value is right, acknowledge this warning.",
    )


def _jump(ctx: CheckContext, rec: Record, prev: float, jump: float) -> None:
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
        f"{who}“{var.name_zh}”填报为 {quantity(v, u)}，{rec.year - 1}年为 {quantity(prev, u)}，{ch_zh}，超过 ±{format_number(jump * 100)}% 的提示阈值。",
        f"{who}: {var.name_en} = {quantity(v, u)} against {quantity(prev, u)} in {rec.year - 1}, {ch_en}, beyond the ±{format_number(jump * 100)}% threshold.",
        "请核实数值和单位；如数据无误，请在备注中说明变动原因并确认此警告。",
        "Check the number and its unit; if it is right, explain the change in the notes and acknowledge this warning.",
    )


# missing inputs


def _check_missing(ctx: CheckContext, df: pd.DataFrame) -> None:
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
