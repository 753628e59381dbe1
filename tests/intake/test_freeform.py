"""Free-form CSV/XLSX files: long and wide shapes, column mappings, encodings, and the issues of
each bad-input class with its exact cell."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from openpyxl import Workbook

import cimon
from cimon.intake.reader import read_submission
from cimon.model.regions import default_registry

FW = cimon.load_framework("nx-2021")
REG = default_registry()


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "data.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def xlsx_file(tmp_path: Path, rows: list[list[object]], name: str = "data.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
    for row in rows:
        ws.append(row)
    p = tmp_path / name
    wb.save(p)
    return p


def values(sub) -> dict[tuple[str, int, str], float]:
    return {(r.region_code, r.year, r.variable): r.value for r in sub.records}


def test_wide_csv_with_codes(tmp_path):
    p = csv_file(tmp_path, "region,year,rd_exp,gdp\n西吉县,2021,1.5万,200000\n640423,2021,,3e5\n")
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.ok, sub.report.render()
    assert (sub.kind, sub.year) == ("freeform", 2021)
    got = values(sub)
    assert got[("640422", 2021, "gdp")] == 200000
    assert math.isnan(got[("640423", 2021, "rd_exp")])
    rec = next(r for r in sub.records if r.region_code == "640423" and r.variable == "gdp")
    assert rec.cell == "D3" and rec.sheet == ""


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_encodings_with_chinese_headers_and_year_argument(tmp_path, encoding):
    text = "县（市、区）,全社会R&D经费支出（万元）,高新技术企业数\r\n西吉縣,１２３,5\r\n盐池,45.6,7\r\n"
    sub = read_submission(csv_file(tmp_path, text, encoding), FW, REG, year=2022)
    assert sub.report.ok, sub.report.render()
    got = values(sub)
    assert got[("640422", 2021, "rd_exp")] == 123
    assert got[("640323", 2021, "hte")] == 7


def test_long_csv_with_a_mapping(tmp_path):
    text = (
        "县区,年份,指标,数值\n西吉县,2021,R&D经费,88\n西吉县,2021,gdp,1000\n隆德县,2020,R&D经费,7\n"
    )
    mapping = {
        "县区": "region",
        "年份": "year",
        "指标": "variable",
        "数值": "value",
        "R&D经费": "rd_exp",
    }
    sub = read_submission(csv_file(tmp_path, text), FW, REG, mapping=mapping)
    assert sub.report.ok, sub.report.render()
    assert values(sub) == {
        ("640422", 2021, "rd_exp"): 88,
        ("640422", 2021, "gdp"): 1000,
        ("640423", 2020, "rd_exp"): 7,
    }
    assert sub.year == 2021


def test_tab_separated_long_file_with_expert_column(tmp_path):
    text = "region\tyear\tvariable\tvalue\texpert\n西吉县\t2021\tmgmt_org\t4\t张 三\n"
    sub = read_submission(csv_file(tmp_path, text, name="e.tsv"), FW, REG)
    assert sub.report.ok
    assert [(r.expert, r.value) for r in sub.records] == [("张三", 4)]


def test_unknown_column_is_named_by_its_header_cell(tmp_path):
    p = xlsx_file(tmp_path, [["县区", "年份", "rd_exp", "奇怪的列"], ["西吉县", 2021, 5, 6]])
    sub = read_submission(p, FW, REG)
    i = sub.report.find("column.unknown")[0]
    assert (i.sheet, i.cell, i.value) == ("数据", "D1", "奇怪的列")
    assert values(sub) == {("640422", 2021, "rd_exp"): 5}


def test_header_found_below_a_title(tmp_path):
    p = xlsx_file(tmp_path, [["2021年县域数据"], [], ["序号", "地区", "gdp"], [1, "泾源", 9]])
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.ok
    assert values(sub) == {("640424", 2021, "gdp"): 9}
    assert sub.records[0].cell == "C4"


def test_missing_region_column(tmp_path):
    p = csv_file(tmp_path, "year,rd_exp\n2021,5\n")
    i = read_submission(p, FW, REG).report.find("column.missing")[0]
    assert i.cell == "1:1" and "县" in i.zh


def test_missing_year(tmp_path):
    p = csv_file(tmp_path, "region,rd_exp\n西吉县,5\n")
    sub = read_submission(p, FW, REG)
    assert sub.report.codes == ["column.missing"]
    assert read_submission(p, FW, REG, year=2022).report.ok


def test_wrong_and_invalid_years(tmp_path):
    p = csv_file(
        tmp_path, "region,year,rd_exp\n西吉县,2022,5\n隆德县,二〇二一,6\n泾源县,2021年,7\n"
    )
    sub = read_submission(p, FW, REG, year=2022)
    wrong = sub.report.find("year.wrong")[0]
    assert (wrong.cell, wrong.region, wrong.value) == ("B2", "640422", "2022")
    assert sub.report.find("year.invalid")[0].cell == "B3"
    assert values(sub) == {("640424", 2021, "rd_exp"): 7}


def test_unknown_variable_in_a_long_file(tmp_path):
    p = csv_file(tmp_path, "region,year,variable,value\n西吉县,2021,火箭发射数,3\n")
    i = read_submission(p, FW, REG).report.find("variable.unknown")[0]
    assert (i.cell, i.value, i.region) == ("C2", "火箭发射数", "640422")


def test_unknown_county_and_duplicate_rows(tmp_path):
    p = csv_file(tmp_path, "region,year,gdp\n西吉县,2021,1\n月球县,2021,2\n西吉,2021,3\n")
    sub = read_submission(p, FW, REG)
    unknown = sub.report.find("region.unknown")[0]
    assert (unknown.cell, unknown.value) == ("A3", "月球县")
    dup = sub.report.find("region.duplicate")[0]
    assert (dup.cell, dup.region) == ("C4", "640422") and "C2" in dup.zh
    assert values(sub) == {("640422", 2021, "gdp"): 1}


def test_not_a_number_in_a_csv(tmp_path):
    p = csv_file(tmp_path, "region,year,rd_exp\n西吉县,2021,约120\n")
    i = read_submission(p, FW, REG).report.find("value.not_number")[0]
    assert (i.cell, i.variable, i.region_name) == ("C2", "rd_exp", "西吉县")


def test_invalid_mapping_target(tmp_path):
    p = csv_file(tmp_path, "县区,年份,gdp\n西吉县,2021,1\n")
    sub = read_submission(p, FW, REG, mapping={"县区": "region", "年份": "yr"})
    assert "mapping.invalid" in sub.report.codes


def test_department_filter(tmp_path):
    p = csv_file(tmp_path, "region,year,rd_exp,fiscal_rd\n西吉县,2021,1,2\n")
    sub = read_submission(p, FW, REG, department="统计局")
    i = sub.report.find("column.unknown")[0]
    assert (i.cell, i.variable) == ("D1", "fiscal_rd") and "财政厅" in i.zh
    assert values(sub) == {("640422", 2021, "rd_exp"): 1}


def test_undecodable_csv(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_bytes(b"\xff\xfe\x00\xd8")  # a UTF-16 BOM followed by a lone surrogate
    assert read_submission(p, FW, REG).report.codes == ["file.unreadable"]


def test_empty_workbook(tmp_path):
    p = xlsx_file(tmp_path, [])
    assert read_submission(p, FW, REG).report.codes == ["file.empty"]


def test_second_sheet_is_reported_not_read(tmp_path):
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["region", "year", "gdp"])
    ws.append(["西吉县", 2021, 1])
    wb.create_sheet("附表").append(["其他", "内容"])
    p = tmp_path / "two.xlsx"
    wb.save(p)
    sub = read_submission(p, FW, REG)
    assert sub.report.find("sheet.ignored")[0].sheet == "附表"
    assert values(sub) == {("640422", 2021, "gdp"): 1}
