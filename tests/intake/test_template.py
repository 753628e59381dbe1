"""Templates: layout, validation, protection, the hidden metadata sheet, and the export → import
round trip (values bit for bit)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import cimon
from cimon.errors import CimonError
from cimon.intake.reader import read_submission
from cimon.intake.template import (
    TEMPLATE_VERSION,
    county_variables,
    default_kind,
    department_variables,
    write_template,
)
from cimon.intake.workbook import META_SHEET, parse_meta
from cimon.model.panel import Panel
from cimon.model.regions import default_registry

FW = cimon.load_framework("nx-2021")
REG = default_registry()


def test_department_template_layout(tmp_path):
    path = write_template(FW, REG, 2022, tmp_path / "统计局.xlsx", department="统计局")
    wb = load_workbook(path)
    assert wb.sheetnames == ["填报说明", "统计局", META_SHEET]
    ws = wb["统计局"]
    assert ws["A1"].value == "2022年度县域科技创新监测评价 · 2021年数据 · 统计局报送"
    stats = department_variables(FW, "统计局")
    assert [ws.cell(row=3, column=4 + k).value for k in range(len(stats))] == [
        v.code for v in stats
    ]
    assert ws["D2"].value == "全社会R&D经费支出" and ws["D4"].value == "万元"
    assert ws["A6"].value == "640104" and ws["B6"].value == "兴庆区" and ws["C6"].value == "银川市"
    assert ws["B21"].value == "西吉县"
    assert ws.max_row == 5 + len(REG)
    assert ws.freeze_panes == "D6"
    # protection: sheet protected without password, headers and names locked, inputs unlocked
    assert ws.protection.sheet and not ws.protection.password
    assert ws["D3"].protection.locked and ws["B21"].protection.locked
    assert not ws["D21"].protection.locked
    assert ws.column_dimensions["B"].width > 8
    # numeric data validation with the variable's range and a Chinese input message
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    dv = dvs["D6:D27"]
    assert dv.type == "decimal" and dv.operator == "greaterThanOrEqual" and dv.formula1 == "0.0"
    assert "没有数据请留空" in dv.prompt and dv.showErrorMessage and dv.error
    assert len(dvs) == len(stats)
    assert wb.security.lockStructure
    assert "留空" in " ".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)


def test_metadata_sheet_is_very_hidden_and_identifies_the_template(tmp_path):
    path = write_template(FW, REG, 2022, tmp_path / "财政厅.xlsx", department="财政厅")
    wb = load_workbook(path)
    ws = wb[META_SHEET]
    assert ws.sheet_state == "veryHidden"
    meta = parse_meta(ws.iter_rows(values_only=True))
    assert (meta.kind, meta.department, meta.evaluation_year, meta.data_year) == (
        "department",
        "财政厅",
        2022,
        2021,
    )
    assert (meta.framework_id, meta.framework_version, meta.framework_hash) == (
        FW.id,
        FW.version,
        FW.hash,
    )
    assert meta.template_version == TEMPLATE_VERSION
    assert meta.fingerprint == meta.compute_fingerprint()
    assert meta.sheets[0].columns[:3] == ("region_code", "region_name", "city")


def test_combined_template_has_a_sheet_per_department(tmp_path):
    path = write_template(FW, REG, 2022, tmp_path / "all.xlsx", kind="combined")
    wb = load_workbook(path)
    depts = [d for d in FW.departments if department_variables(FW, d)]
    assert wb.sheetnames == ["填报说明", *depts, META_SHEET]
    assert "县" not in depts  # the county items are self-assessed and scored by experts


def test_county_template(tmp_path):
    path = write_template(FW, REG, 2022, tmp_path / "西吉县.xlsx", kind="county", region="西吉縣")
    wb = load_workbook(path)
    ws = wb["创新管理自评"]
    assert "西吉县创新管理自评" in ws["A1"].value
    items = county_variables(FW)
    assert [ws.cell(row=4 + k, column=1).value for k in range(len(items))] == [
        v.code for v in items
    ]
    assert ws["C4"].value == 5 and not ws["D4"].protection.locked and ws["A4"].protection.locked
    dv = ws.data_validations.dataValidation[0]
    assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0.0", "5.0")
    meta = parse_meta(wb[META_SHEET].iter_rows(values_only=True))
    assert (meta.kind, meta.region, meta.department) == ("county", "640422", "县")


def test_expert_template(tmp_path):
    path = write_template(FW, REG, 2022, tmp_path / "e.xlsx", kind="expert", expert="张三")
    ws = load_workbook(path)["专家评分"]
    assert ws["A2"].value == "专家姓名" and ws["B2"].value == "张三"
    assert not ws["B2"].protection.locked
    assert [ws.cell(row=4, column=k).value for k in (1, 4, 5, 6)] == [
        "region_code",
        "mgmt_org",
        "mgmt_policy",
        "mgmt_projects",
    ]
    assert ws["D5"].value == "0–5 分" and ws.freeze_panes == "D7"


CJK = "\u4e00-\u9fff"


def _has_cjk(text: str) -> bool:
    import re

    return bool(re.search(f"[{CJK}]", text))


def test_definition_row_is_chinese_by_default_and_english_on_request(tmp_path):
    """The 指标解释 row speaks the clerk's language: Chinese by default (never the English name
    as a fallback), English in the English template; the layout does not change."""
    stats = department_variables(FW, "统计局")
    zh = load_workbook(write_template(FW, REG, 2022, tmp_path / "zh.xlsx", department="统计局"))
    en = load_workbook(
        write_template(FW, REG, 2022, tmp_path / "en.xlsx", department="统计局", lang="en")
    )
    assert zh["统计局"]["A5"].value == "指标解释" and en["统计局"]["A5"].value == "Definition"
    for k, var in enumerate(stats):
        text_zh = zh["统计局"].cell(row=5, column=4 + k).value
        text_en = en["统计局"].cell(row=5, column=4 + k).value
        assert _has_cjk(text_zh) and text_zh == var.definition_zh, var.code
        assert text_en == var.definition_en and not _has_cjk(text_en), var.code
    for row in (2, 3, 4, 6):  # the rest is the same; the reader reads both
        assert [c.value for c in zh["统计局"][row]] == [c.value for c in en["统计局"][row]]
    sub = read_submission(tmp_path / "en.xlsx", FW, REG)
    assert sub.report.ok and sub.department == "统计局"


def test_county_template_has_scoring_points_and_web_instructions(tmp_path):
    """评分要点 is filled from the framework's rubric of each 创新管理 item, and the instructions
    are for the web portal (a county clerk has no command line)."""
    path = write_template(FW, REG, 2022, tmp_path / "西吉县.xlsx", kind="county", region="西吉县")
    wb = load_workbook(path)
    ws = wb["创新管理自评"]
    assert ws["G2"].value == "评分要点" and ws["G3"].value == "criteria"
    for k, var in enumerate(county_variables(FW)):
        text = ws.cell(row=4 + k, column=7).value
        assert text and text.startswith("评分要点（满分5分）") and text == var.definition_zh
        # the points of the scoring points add up to the item's maximum
        import re

        points = [float(x) for x in re.findall(r"（(\d+(?:\.\d+)?)分）", text)]
        assert sum(points) == var.max_points, var.code
    assert ws["G4"].protection.locked
    intro = " ".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "cimon" not in intro and "命令" not in intro and "文件夹" not in intro
    assert "数据报送" in intro and "上传" in intro and "佐证材料" in intro
    en = load_workbook(
        write_template(
            FW, REG, 2022, tmp_path / "en.xlsx", kind="county", region="西吉县", lang="en"
        )
    )["创新管理自评"]
    assert en["G4"].value.startswith("Scoring points (5 in all)")


def test_every_bundled_framework_defines_its_variables_in_both_languages():
    for ref in ("nx-2021", "nx-2021-relative", "nx-2021-index"):
        fw = cimon.load_framework(ref)
        for var in fw.variables:
            assert _has_cjk(var.definition_zh), (ref, var.code)
            assert var.definition_en and not _has_cjk(var.definition_en), (ref, var.code)


@pytest.mark.parametrize(
    ("kw", "word"),
    [
        ({"department": "公安厅"}, "公安厅"),
        ({"department": None}, "报送单位"),
        ({"kind": "county"}, "--region"),
        ({"kind": "nonsense"}, "nonsense"),
    ],
)
def test_bad_arguments_raise_a_clean_error(tmp_path, kw, word):
    with pytest.raises(CimonError) as err:
        write_template(FW, REG, 2022, tmp_path / "x.xlsx", **kw)
    assert word in err.value.zh


def _frame(values: list[float]) -> pd.DataFrame:
    stats = [v.code for v in department_variables(FW, "统计局")]
    rows = [
        (code, 2021, var, values[(i * len(stats) + k) % len(values)])
        for i, code in enumerate(REG.codes)
        for k, var in enumerate(stats)
    ]
    return pd.DataFrame(rows, columns=["region_code", "year", "variable", "value"])


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (
        a == b and math.copysign(1, a) == math.copysign(1, b)
    )


def test_round_trip_is_bit_for_bit(tmp_path):
    tricky = [0.1 + 0.2, 1 / 3, 123456789012345.67, 1e-300, 2.5e17, 0.0, 7.0, math.nan, 1e15 + 0.5]
    df = _frame(tricky)
    df.loc[len(df)] = ("640422", 2020, "rd_exp", 99.0)  # another data year: not exported
    path = write_template(
        FW, REG, 2022, tmp_path / "rt.xlsx", department="统计局", values=Panel.from_frame(df)
    )
    sub = read_submission(path, FW, REG, year=2022, department="统计局")
    assert sub.report.ok, sub.report.render()
    got = {(r.region_code, r.variable): r for r in sub.records}
    want = df[df["year"] == 2021]
    assert len(got) == len(want)
    for code, var, value in zip(want["region_code"], want["variable"], want["value"], strict=True):
        rec = got[(code, var)]
        assert _same(rec.value, value), (code, var, rec.value, value)
        assert rec.status == ("missing" if math.isnan(value) else "reported")
        assert rec.year == 2021


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False) | st.just(math.nan),
        min_size=1,
        max_size=40,
    )
)
def test_round_trip_property(tmp_path, values):
    df = _frame([abs(v) if not math.isnan(v) else v for v in values])
    path = write_template(FW, REG, 2022, tmp_path / "p.xlsx", department="统计局", values=df)
    sub = read_submission(path, FW, REG, year=2022)
    got = {(r.region_code, r.variable): r.value for r in sub.records}
    for code, var, value in zip(df["region_code"], df["variable"], df["value"], strict=True):
        assert _same(got[(code, var)], value + 0.0)


def test_expert_round_trip(tmp_path):
    rows = [
        (code, 2021, var, 0.1 * k, "", f"x.xlsx#{who}")
        for k, code in enumerate(REG.codes)
        for var in ("mgmt_org", "mgmt_policy")
        for who in ("张三", "李四")
    ]
    df = pd.DataFrame(
        rows, columns=["region_code", "year", "variable", "value", "status", "source"]
    )
    path = write_template(
        FW, REG, 2022, tmp_path / "e.xlsx", kind="expert", expert="李四", values=df
    )
    sub = read_submission(path, FW, REG, year=2022)
    got = {(r.region_code, r.variable): r.value for r in sub.records}
    assert all(r.expert == "李四" for r in sub.records)
    assert got == {(c, v): x for c, _, v, x, _, s in rows if s.endswith("李四")}
    assert set(sub.report.codes) == {"expert.missing"}  # mgmt_projects left blank


@pytest.mark.parametrize(
    ("department", "region", "expert", "kind"),
    [
        (None, None, None, "combined"),
        ("统计局", None, None, "department"),
        ("统计局", "永宁县", None, "county"),
        (None, "永宁县", "张三", "expert"),
        ("", "", "", "combined"),
    ],
)
def test_default_kind(
    department: str | None, region: str | None, expert: str | None, kind: str
) -> None:
    """``cimon template`` without --kind: an expert's name makes an expert sheet, else a county
    a county sheet, else a department a department sheet, else the combined workbook."""
    assert default_kind(department, region, expert) == kind
