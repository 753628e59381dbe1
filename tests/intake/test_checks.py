"""check_records: one test per check (exact code, cell, county, variable), no false positives on
the demo panel, robustness and speed."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cimon
from cimon.intake.checks import check_records
from cimon.intake.consistency import violates
from cimon.intake.submission import ParsedSubmission, Record
from cimon.model.framework import Framework, load_framework
from cimon.model.panel import Panel
from cimon.model.regions import default_registry

FW = load_framework("nx-2021")
#: nx-2021 without its plausible bounds and ratio checks (issue #14), for tests of the other
#: checks that use figures no real county has
BARE = replace(
    FW,
    variables=tuple(replace(v, plausible=None) for v in FW.variables),
    checks=tuple(c for c in FW.checks if not c.code.startswith("R")),
)
REG = default_registry()
XQ, XX, JF, YN, HL = "640104", "640105", "640106", "640121", "640122"  # 兴庆区 西夏区 …


def rec(region: str, variable: str, value: float, cell: str = "D7", **kw: object) -> Record:
    raw = kw.pop("raw", "" if math.isnan(value) else f"{value:g}")
    return Record(
        region,
        int(kw.pop("year", 2021)),
        variable,
        value,
        sheet="数据",
        cell=cell,
        raw=str(raw),
        **kw,
    )  # type: ignore[arg-type]


def hist(*rows: tuple[str, int, str, float]) -> Panel:
    return Panel.from_frame(
        pd.DataFrame(rows, columns=["region_code", "year", "variable", "value"])
    )


def check(records: list[Record], fw: Framework = FW, **kw: object) -> ParsedSubmission:
    sub = ParsedSubmission("统计局.xlsx", "0" * 64, "department", 2021, fw.id, records=records)
    check_records(sub, fw, registry=REG, **kw)  # type: ignore[arg-type]
    return sub


def only(sub: ParsedSubmission, code: str):  # type: ignore[no-untyped-def]
    found = sub.report.find(code)
    assert len(found) == 1, sub.report.render()
    assert sub.report.codes == [code], sub.report.render()
    return found[0]


# --------------------------------------------------------------------------------------------
# range and integrality


def test_out_of_range() -> None:
    i = only(check([rec(XQ, "hte", -3, "E9")]), "value.out_of_range")
    assert (i.severity, i.cell, i.sheet, i.region, i.variable) == ("error", "E9", "数据", XQ, "hte")
    assert i.region_name == "兴庆区" and i.file == "统计局.xlsx" and i.value == "-3"
    # the framework's plausible.refuse bound adds an upper end (issue #14)
    assert "-3家" in i.zh and "0–1000000家" in i.zh and "-3家" in i.en
    assert "0–1000000家" in i.fix_zh and "0–1000000家" in i.fix_en


def test_out_of_range_upper_bound() -> None:
    fw = replace(
        FW, variables=tuple(replace(v, max=100.0) if v.code == "gdp" else v for v in FW.variables)
    )
    i = only(check([rec(XQ, "gdp", 150, "C3")], fw), "value.out_of_range")
    assert "0–100万元" in i.zh and i.cell == "C3"


def test_expert_out_of_range() -> None:
    sub = check(
        [rec(XQ, "mgmt_org", 6, "F4", expert="张三"), rec(XX, "mgmt_org", 4.5, expert="张三")]
    )
    i = only(sub, "expert.out_of_range")
    assert (i.cell, i.region, i.variable) == ("F4", XQ, "mgmt_org")
    assert "张三" in i.zh and "0–5" in i.zh and "0 到 5" in i.fix_zh


def test_rubric_without_expert_uses_value_code() -> None:
    i = only(check([rec(XQ, "mgmt_org", 7, "F5")]), "value.out_of_range")
    assert i.variable == "mgmt_org"


def test_not_integer() -> None:
    i = only(check([rec(XQ, "hte", 12.5, "D8")]), "value.not_integer")
    assert (i.severity, i.cell, i.region, i.variable) == ("warning", "D8", XQ, "hte")
    assert "12.5家" in i.zh and "12" in i.fix_zh


def test_amounts_may_be_fractional() -> None:
    assert not check([rec(XQ, "rd_exp", 1234.5)]).report.issues


# --------------------------------------------------------------------------------------------
# unit slips and jumps


def test_unit_scale_yuan_in_wanyuan_column() -> None:
    h = hist((XQ, 2020, "rd_exp", 5000.0), (XQ, 2019, "rd_exp", 4800.0))
    i = only(check([rec(XQ, "rd_exp", 52_000_000, "B4")], history=h), "value.unit_scale")
    assert (i.severity, i.cell, i.region, i.variable) == ("warning", "B4", XQ, "rd_exp")
    assert "52000000万元" in i.zh and "5000万元" in i.zh and "“元”" in i.zh
    assert "5200万元" in i.fix_zh and "5200万元" in i.fix_en


def test_unit_scale_downwards() -> None:
    h = hist((XQ, 2020, "population", 350_000.0))
    i = only(check([rec(XQ, "population", 35.2, "B5")], history=h), "value.unit_scale")
    assert "万人" in i.zh and "352000人" in i.fix_zh


def test_unit_scale_against_the_counties_median() -> None:
    rows = [
        rec(c, "gdp", v, f"C{k}")
        for k, (c, v) in enumerate(
            [(XQ, 900_000.0), (XX, 1_100_000.0), (JF, 1_000_000.0), (YN, 9.5e9)]
        )
    ]
    i = only(check(rows), "value.unit_scale")
    assert (i.region, i.cell) == (YN, "C3") and "中位数" in i.zh


def test_no_median_with_too_few_counties() -> None:
    assert not check([rec(XQ, "gdp", 900_000.0), rec(YN, "gdp", 9.5e9)], BARE).report.issues


def test_unit_percent() -> None:
    share = replace(FW.variable("gdp"), code="share_x", unit="%", min=0.0, max=100.0, jump=None)
    fw = replace(FW, variables=(*FW.variables, share))
    h = hist((XQ, 2020, "share_x", 3.4))
    i = only(check([rec(XQ, "share_x", 0.035, "G2")], fw, history=h), "value.unit_percent")
    assert (i.cell, i.variable, i.severity) == ("G2", "share_x", "warning")
    assert "0.035" in i.zh and "3.5" in i.fix_zh and "3.5%" in i.fix_en


def test_no_unit_slip_without_positive_history() -> None:
    h = hist((XQ, 2020, "rd_exp", 0.0))
    sub = check([rec(XQ, "rd_exp", 52_000_000)], history=h)
    assert "value.unit_scale" not in sub.report.codes


def test_jump() -> None:
    h = hist((XQ, 2020, "hte", 10.0), (XQ, 2019, "hte", 9.0))
    i = only(check([rec(XQ, "hte", 30, "H7")], history=h), "value.jump")
    assert (i.severity, i.cell, i.region, i.variable) == ("warning", "H7", XQ, "hte")
    assert "30家" in i.zh and "10家" in i.zh and "+200.0%" in i.zh and "±100%" in i.zh
    assert "+200.0%" in i.en


@pytest.mark.parametrize(
    ("prev", "value", "year_before"),
    [(10.0, 14.0, 2020), (10.0, 19.0, 2020), (1000.0, 1900.0, 2020), (10.0, 30.0, 2019)],
)
def test_no_jump(prev: float, value: float, year_before: int) -> None:
    """Below jump_min (+4, +9 of 10 with jump_min 5: +9 > 5 but +90% < 100%), below the
    relative threshold, or no value for the previous data year."""
    h = hist((XQ, year_before, "hte", prev))
    assert not check([rec(XQ, "hte", value)], history=h).report.issues


def test_jump_from_zero_and_slow_variables() -> None:
    h = hist((XQ, 2020, "tech_contracts", 0.0), (XX, 2020, "gdp", 1_000_000.0))
    sub = check([rec(XQ, "tech_contracts", 800, "A1"), rec(XX, "gdp", 1_400_000, "A2")], history=h)
    assert sub.report.codes == ["value.jump", "value.jump"]
    assert "由 0 起变" in sub.report.issues[0].zh and "±30%" in sub.report.issues[1].zh


# --------------------------------------------------------------------------------------------
# consistency rules


def test_rule_within_the_submission() -> None:
    sub = check([rec(XQ, "rd_exp", 1000, "B7"), rec(XQ, "ent_rd", 1200, "C7")])
    i = only(sub, "rule.consistency")
    assert (i.severity, i.cell, i.region, i.variable) == ("error", "C7", XQ, "ent_rd")
    assert "C01" in i.zh and "规上工业企业R&D经费支出不应超过全社会R&D经费支出" in i.zh
    assert "1200万元" in i.zh and "1000万元" in i.zh and "数据!B7" in i.zh and "数据!C7" in i.zh
    assert "Enterprise R&D cannot exceed gross R&D" in i.en and "数据!B7" in i.en


def test_rule_reads_other_departments_from_context() -> None:
    ctx = hist((XQ, 2021, "fiscal_exp", 500.0), (XX, 2021, "fiscal_exp", 5000.0))
    sub = check(
        [rec(XQ, "fiscal_st", 800, "D2"), rec(XX, "fiscal_st", 800, "D3")], BARE, context=ctx
    )
    i = only(sub, "rule.consistency")
    assert (i.cell, i.region, i.variable) == ("D2", XQ, "fiscal_st")
    assert "其他部门已报数据" in i.zh and "another department" in i.en and "联系该部门" in i.fix_zh


def test_rule_with_severity_warning() -> None:
    i = only(
        check([rec(XQ, "hte", 40, "E2"), rec(XQ, "tsme", 30, "F2")]), "rule.consistency_warning"
    )
    assert (i.severity, i.cell, i.variable) == ("warning", "E2", "hte") and "C08" in i.zh


def test_rule_tolerance_and_missing_sides() -> None:
    assert not check([rec(XQ, "rd_exp", 1000), rec(XQ, "ent_rd", 1000)]).report.issues
    assert not check([rec(XQ, "ent_rd", 1200)]).report.issues  # rd_exp nowhere: not checked
    ctx = hist((XQ, 2021, "ent_count", 3.0), (XQ, 2021, "ent_with_rd", 9.0))
    assert not check([rec(XQ, "gdp", 1000)], BARE, context=ctx).report.issues  # not this sub's rule


def test_violates_operators() -> None:
    a, b = np.array([1.0, 2.0, 3.0, np.nan]), np.array([2.0, 2.0, 2.0, 1.0])
    assert violates(a, b, "<=", 0).tolist() == [False, False, True, False]
    assert violates(a, b, "<", 0).tolist() == [False, True, True, False]
    assert violates(a, b, ">=", 0).tolist() == [True, False, False, False]
    assert violates(a, b, ">", 0).tolist() == [True, True, False, False]
    assert violates(a, b, "==", 0).tolist() == [True, False, True, False]
    assert violates(np.array([1.0000001]), np.array([1.0]), "<=", 1e-6).tolist() == [False]


# --------------------------------------------------------------------------------------------
# missing values


def test_missing_value() -> None:
    i = only(check([rec(XQ, "rd_exp", math.nan, "B9", status="missing", raw="—")]), "value.missing")
    assert (i.severity, i.cell, i.region, i.variable, i.value) == (
        "warning",
        "B9",
        XQ,
        "rd_exp",
        "—",
    )
    assert "无数据不得分" in i.zh and "I01" in i.zh and "No data, no points" in i.en


def test_missing_value_of_a_cell_already_in_error() -> None:
    sub = ParsedSubmission(
        "x.xlsx",
        "",
        "department",
        2021,
        "nx-2021",
        records=[rec(XQ, "rd_exp", math.nan, "B9", status="missing", raw="约5")],
    )
    sub.report.add("value.not_number", "不是数值", "not a number", sheet="数据", cell="B9")
    check_records(sub, FW)
    assert sub.report.codes == ["value.not_number"]


def test_expert_rows_are_left_to_the_qualitative_checks() -> None:
    assert not check([rec(XQ, "mgmt_org", math.nan, expert="李四", status="missing")]).report.issues


# --------------------------------------------------------------------------------------------
# the demo panel, junk, speed


def demo_submission(year: int) -> tuple[ParsedSubmission, Panel]:
    frame = cimon.demo_panel().frame
    now = frame[frame["year"] == year]
    records = [
        Record(
            r.region_code,
            year,
            r.variable,
            float(r.value),
            "missing" if math.isnan(r.value) else "reported",
            expert=r.source if r.source.startswith("expert") else "",
            sheet="数据",
            cell=f"A{k}",
        )
        for k, r in enumerate(now.itertuples())
    ]
    sub = ParsedSubmission("demo.xlsx", "", "combined", year, "nx-2021", records=records)
    return sub, Panel(frame[frame["year"] < year].copy())


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2022, 2023, 2024])
def test_no_false_positives_on_the_demo_panel(year: int) -> None:
    sub, history = demo_submission(year)
    check_records(sub, FW, history=history, registry=REG)
    assert sub.report.ok, sub.report.render(limit=10)
    # the only warnings are the values the demo deliberately leaves missing
    assert set(sub.report.codes) <= {"value.missing"}
    assert len(sub.report) == (1 if year in (2021, 2022) else 0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([XQ, XX, "999999", ""]),
            st.sampled_from([*(v.code for v in FW.variables), "unknown_var"]),
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from(["", "专家甲"]),
            st.integers(2015, 2030),
        ),
        max_size=30,
    )
)
def test_junk_records_never_raise(rows: list[tuple[str, str, float, str, int]]) -> None:
    h = hist((XQ, 2020, "rd_exp", 100.0), (XX, 2019, "hte", 0.0))
    records = [Record(r, y, v, x, expert=e, cell=f"A{k}") for k, (r, v, x, e, y) in enumerate(rows)]
    sub = ParsedSubmission("j.xlsx", "", "freeform", 2021, "nx-2021", records=records)
    check_records(sub, FW, history=h, context=h, registry=REG)
    for issue in sub.report:
        assert issue.zh and issue.en and issue.fix_zh and issue.fix_en


def test_a_national_submission_checks_clean() -> None:
    """114,000 records with two years of history: well under a second."""
    quant = [v.code for v in FW.variables if v.kind == "quantitative"]
    n = 114_000 // len(quant) + 1
    regions = [f"{100000 + k}" for k in range(n)]
    rng = np.random.default_rng(1)
    level = {v: rng.uniform(10, 1000, n) for v in quant}
    past = pd.DataFrame(
        [
            (r, y, v, float(round(x * (1 + 0.05 * (y - 2019)))))
            for y in (2019, 2020)
            for v in quant
            for r, x in zip(regions, level[v], strict=True)
        ],
        columns=["region_code", "year", "variable", "value"],
    )
    records = [
        Record(r, 2021, v, float(round(x * 1.1)), cell=f"A{k}")
        for v in quant
        for k, (r, x) in enumerate(zip(regions, level[v], strict=True))
    ]
    sub = ParsedSubmission("big.xlsx", "", "department", 2021, "nx-2021", records=records[:114_000])
    fw = replace(BARE, checks=())  # random data break the rules; time the other checks
    check_records(sub, fw, history=Panel.from_frame(past))
    # speed is measured by bench/intake.py, not asserted here (a loaded machine is no measure)
    assert sub.report.ok


# --------------------------------------------------------------------------------------------
# plausible values (issue #14)


def test_impossible_value_is_refused_readably() -> None:
    """GDP = 1e308 with no earlier year: an error, the number shown as 1.0×10³⁰⁸."""
    i = only(check([rec(XQ, "gdp", 1e308, "D7", raw="1e308")]), "value.out_of_range")
    assert i.severity == "error" and "1.0×10³⁰⁸万元" in i.zh and "1.0×10³⁰⁸万元" in i.en
    assert "0–25000000000万元" in i.zh and "e+" not in i.zh + i.en
    assert len(i.zh) < 200  # not 309 digits


def test_unusual_value_is_a_warning() -> None:
    i = only(check([rec(XQ, "gdp", 5.0e8, "D7")]), "value.implausible")
    assert i.severity == "warning" and "500000000万元" in i.zh
    assert "10000–300000000万元" in i.zh and "usual range" in i.en
    low = only(check([rec(XQ, "population", 12.0, "H7")]), "value.implausible")
    assert low.cell == "H7" and "1000–10000000人" in low.zh
    # a unit slip says more (the fix), so the same value gives no second warning
    h = hist((XQ, 2020, "gdp", 1_000_000.0))
    slip = check([rec(XQ, "gdp", 1.05e10, "D7")], history=h)
    assert slip.report.codes == ["value.unit_scale"], slip.report.render()


def test_huge_jump_is_a_factor_not_inf_percent() -> None:
    h = hist((XQ, 2020, "gdp", 0.5))
    sub = check([rec(XQ, "gdp", 2.0e10, "D7")], BARE, history=h)
    [jump] = sub.report.find("value.jump")
    assert "是上年的 40000000000 倍" in jump.zh and "40000000000 times" in jump.en
    sub = check([rec(XQ, "gdp", 1e308, "D7")], BARE, history=h)  # the ratio overflows
    [jump] = sub.report.find("value.jump")
    assert "inf%" not in jump.zh + jump.en and "1.0×10³⁰⁸万元" in jump.zh
    assert "超过上年的 10³⁰⁰ 倍" in jump.zh and "over 10³⁰⁰ times" in jump.en


def test_ratio_checks_warn() -> None:
    """R&D above 10% of GDP: a warning naming both values (the ratio rule R01)."""
    sub = check([rec(XQ, "gdp", 100_000.0, "D7"), rec(XQ, "rd_exp", 20_000.0, "C7")])
    [w] = sub.report.find("rule.consistency_warning")
    assert w.severity == "warning" and "R01" in w.zh and "20000万元" in w.zh
    assert not sub.report.errors
