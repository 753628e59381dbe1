"""Reading filled templates: one test per bad-input class, each checking the exact sheet, cell,
county, variable and code reported."""

from __future__ import annotations

import copy
import hashlib
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

import cimon
from cimon.intake import validate_file
from cimon.intake.reader import read_submission
from cimon.intake.template import write_template
from cimon.intake.workbook import META_SHEET, parse_meta
from cimon.model.regions import default_registry

FW = cimon.load_framework("nx-2021")
REG = default_registry()
XIJI = 21  # 西吉县's row in a department sheet (16th county, data from row 6)


def template(tmp_path: Path, dept: str = "统计局", year: int = 2022, **kw) -> Path:
    name = kw.pop("name", f"{dept}.xlsx")
    return write_template(FW, REG, year, tmp_path / name, department=dept, **kw)


def edit(path: Path, cells: dict[str, object], sheet: str = "统计局", out: str = "") -> Path:
    """Write values into cells of a template (as a clerk would, protection aside)."""
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    target = path.with_name(out) if out else path
    wb.save(target)
    return target


def issue(sub, code: str):
    found = sub.report.find(code)
    assert found, f"expected {code}; got:\n{sub.report.render()}"
    return found[0]


def test_clean_template_reads_every_cell(tmp_path):
    p = edit(template(tmp_path), {f"D{XIJI}": 1234.5, f"E{XIJI}": 567890})
    sub = read_submission(p, FW, REG, year=2022, department="统计局")
    assert sub.report.ok and not sub.report.issues
    assert (sub.kind, sub.year, sub.department, sub.framework_hash) == (
        "department",
        2021,
        "统计局",
        FW.hash,
    )
    assert sub.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert len(sub.records) == 22 * 12
    rec = next(r for r in sub.records if r.cell == f"D{XIJI}")
    assert (rec.region_code, rec.variable, rec.value, rec.status, rec.sheet) == (
        "640422",
        "rd_exp",
        1234.5,
        "reported",
        "统计局",
    )
    blank = next(r for r in sub.records if r.cell == f"F{XIJI}")
    assert math.isnan(blank.value) and blank.status == "missing"


def test_not_a_number_is_reported_at_its_cell(tmp_path):
    p = edit(template(tmp_path), {f"D{XIJI}": "abc"})
    sub = read_submission(p, FW, REG, year=2022)
    i = issue(sub, "value.not_number")
    assert (i.file, i.sheet, i.cell, i.region, i.region_name, i.variable, i.value) == (
        "统计局.xlsx",
        "统计局",
        f"D{XIJI}",
        "640422",
        "西吉县",
        "rd_exp",
        "abc",
    )
    assert i.severity == "error" and i.zh and i.en and i.fix_zh and i.fix_en
    assert "统计局.xlsx [统计局!D21]" in i.render()
    assert not any(r.cell == f"D{XIJI}" for r in sub.records)


def test_full_width_digits_parse_with_a_note(tmp_path):
    p = edit(template(tmp_path), {f"E{XIJI}": "１２３４．５"})
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.ok
    rec = next(r for r in sub.records if r.cell == f"E{XIJI}")
    assert rec.value == 1234.5 and rec.note and rec.raw == "１２３４．５"


def test_last_years_template(tmp_path):
    p = template(tmp_path, year=2021)
    sub = read_submission(p, FW, REG, year=2022)
    i = issue(sub, "template.year")
    assert i.sheet == META_SHEET and "2021" in i.zh and "2022" in i.fix_zh
    # without an expected year the template's own is accepted
    assert read_submission(p, FW, REG).report.ok


def test_template_of_another_department(tmp_path):
    p = template(tmp_path, dept="财政厅")
    sub = read_submission(p, FW, REG, year=2022, department="统计局")
    i = issue(sub, "template.department")
    assert "财政厅" in i.zh and "统计局" in i.zh
    assert sub.report.codes == ["template.department"]


def test_template_of_another_framework(tmp_path):
    raw = copy.deepcopy(dict(FW.raw))
    raw["version"] = "2021.2"
    raw["variables"][0]["jump"] = 2.0
    other = cimon.load_framework(raw)
    sub = read_submission(template(tmp_path), other, REG, year=2022)
    assert issue(sub, "template.framework").sheet == META_SHEET


def _rewrite_meta(path: Path, **changes: str) -> None:
    wb = load_workbook(path)
    ws = wb[META_SHEET]
    for row in ws.iter_rows():
        if row[0].value in changes:
            row[1].value = changes[row[0].value]
    wb.save(path)


def test_edited_metadata_is_detected(tmp_path):
    p = template(tmp_path)
    _rewrite_meta(p, evaluation_year="2023", data_year="2022")  # fingerprint not updated
    sub = read_submission(p, FW, REG)
    assert "template.version" in sub.report.codes


def test_outdated_template_version(tmp_path):
    p = template(tmp_path)
    wb = load_workbook(p)
    meta = parse_meta(wb[META_SHEET].iter_rows(values_only=True))
    meta.template_version = "0"
    meta.fingerprint = ""
    _rewrite_meta(p, template_version="0", fingerprint=meta.compute_fingerprint())
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.codes == ["template.version"]
    assert "0" in issue(sub, "template.version").zh


def test_deleted_column(tmp_path):
    p = template(tmp_path)
    wb = load_workbook(p)
    wb["统计局"].delete_cols(5)  # gdp
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    assert issue(sub, "template.version").cell == "E3"
    miss = issue(sub, "column.missing")
    assert (miss.variable, miss.cell) == ("gdp", "E3")
    assert not any(r.variable == "gdp" for r in sub.records)


def test_moved_column_is_refused_but_read_by_its_code(tmp_path):
    p = template(tmp_path)
    wb = load_workbook(p)
    ws = wb["统计局"]
    for r in range(2, 28):  # swap rd_exp (D) and gdp (E), headers included
        ws[f"D{r}"].value, ws[f"E{r}"].value = ws[f"E{r}"].value, ws[f"D{r}"].value
    ws[f"D{XIJI}"] = 5e6  # now under gdp
    ws[f"E{XIJI}"] = "x"  # now under rd_exp
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    assert issue(sub, "template.version").cell == "D3"
    bad = issue(sub, "value.not_number")
    assert (bad.cell, bad.variable) == (f"E{XIJI}", "rd_exp")
    gdp = next(r for r in sub.records if r.region_code == "640422" and r.variable == "gdp")
    assert (gdp.value, gdp.cell) == (5e6, f"D{XIJI}")


def test_inserted_column_with_junk(tmp_path):
    p = template(tmp_path)
    wb = load_workbook(p)
    ws = wb["统计局"]
    ws.insert_cols(4)
    ws["D3"] = "备注"
    ws[f"D{XIJI}"] = "核实中"
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    assert issue(sub, "template.version").cell == "D3"
    unknown = issue(sub, "column.unknown")
    assert (unknown.cell, unknown.value) == ("D3", "备注")
    rd = next(r for r in sub.records if r.region_code == "640422" and r.variable == "rd_exp")
    assert rd.cell == f"E{XIJI}"


def test_deleted_row_is_a_missing_county(tmp_path):
    p = template(tmp_path)
    wb = load_workbook(p)
    wb["统计局"].delete_rows(XIJI)
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    i = issue(sub, "region.missing")
    assert (i.severity, i.region, i.region_name, i.sheet) == (
        "warning",
        "640422",
        "西吉县",
        "统计局",
    )
    assert sub.report.ok and len(sub.report.issues) == 1


def test_added_row_with_an_unknown_county(tmp_path):
    p = edit(template(tmp_path), {"A28": None, "B28": "西吉乡", "D28": 5})
    sub = read_submission(p, FW, REG, year=2022)
    i = issue(sub, "region.unknown")
    assert (i.cell, i.value) == ("B28", "西吉乡")
    assert "西吉县" in i.zh  # the registry's suggestion


def test_duplicate_county_names_both_rows(tmp_path):
    p = edit(template(tmp_path), {"A22": "640422", "B22": "西吉县"})  # 隆德县's row
    sub = read_submission(p, FW, REG, year=2022)
    i = issue(sub, "region.duplicate")
    assert (i.cell, i.region, i.region_name) == ("A22", "640422", "西吉县")
    assert "21" in i.zh and "22" in i.zh
    assert issue(sub, "region.missing").region == "640423"  # 隆德县 is gone


def test_traditional_and_suffix_variants_of_county_names(tmp_path):
    cells: dict[str, object] = {
        "A21": None,
        "B21": "西吉縣",
        "A17": None,
        "B17": "鹽池",
        "A6": "６４０１０４",
        "D6": 1,
        "D21": 2,
        "D17": 3,
    }
    sub = read_submission(edit(template(tmp_path), cells), FW, REG, year=2022)
    assert sub.report.ok, sub.report.render()
    got = {r.region_code: r.value for r in sub.records if r.variable == "rd_exp"}
    assert (got["640104"], got["640422"], got["640323"]) == (1, 2, 3)


def test_code_and_name_that_disagree(tmp_path):
    p = edit(template(tmp_path), {"B21": "隆德县"})
    i = issue(read_submission(p, FW, REG, year=2022), "region.unknown")
    assert i.cell == "B21" and "西吉县" in i.zh


def test_extra_sheet_and_renamed_sheet(tmp_path):
    p = template(tmp_path)
    wb = load_workbook(p)
    wb["统计局"].title = "Sheet1"
    wb.create_sheet("草稿")["A1"] = "草稿"
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    assert issue(sub, "sheet.missing").sheet == "统计局"
    assert {i.sheet for i in sub.report.find("sheet.ignored")} == {"Sheet1", "草稿"}


def test_merged_cells_in_the_data(tmp_path):
    p = edit(template(tmp_path), {"D21": 7})
    wb = load_workbook(p)
    wb["统计局"].merge_cells("D21:E22")
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.ok
    got = {r.cell: r.value for r in sub.records}
    assert got["D21"] == 7 and math.isnan(got["E21"]) and math.isnan(got["D22"])


def test_percent_formatted_cell(tmp_path):
    raw = copy.deepcopy(dict(FW.raw))
    raw["variables"].append(
        {"code": "rd_share", "name_zh": "R&D占比", "unit": "%", "department": "统计局"}
    )
    fw = cimon.load_framework(raw)
    p = write_template(fw, REG, 2022, tmp_path / "pct.xlsx", department="统计局")
    wb = load_workbook(p)
    ws = wb["统计局"]
    col = next(c.column_letter for c in ws[3] if c.value == "rd_share")
    ws[f"{col}{XIJI}"] = 0.0215
    ws[f"{col}{XIJI}"].number_format = "0.00%"
    ws[f"{col}6"] = 1.5
    wb.save(p)
    sub = read_submission(p, fw, REG, year=2022)
    got = {r.region_code: r for r in sub.records if r.variable == "rd_share"}
    assert got["640422"].value == 2.15 and "百分比" in got["640422"].note
    assert got["640104"].value == 1.5


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("统计局.xlsx", b"PK\x03\x04 this is not a zip", "file.unreadable"),
        ("统计局.xlsx", b"", "file.empty"),
        ("统计局.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "file.type"),
        ("统计局.pdf", b"%PDF-1.4", "file.type"),
        ("统计局.xlsx", b"\x00\x01garbage", "file.unreadable"),
    ],
)
def test_unreadable_files(tmp_path, name, data, code):
    p = tmp_path / name
    p.write_bytes(data)
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.codes == [code]
    assert sub.report.issues[0].zh and sub.report.issues[0].fix_en


def test_truncated_template(tmp_path):
    p = template(tmp_path)
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])
    assert read_submission(p, FW, REG).report.codes == ["file.unreadable"]


def test_missing_file_is_an_issue_not_an_exception(tmp_path):
    sub = read_submission(tmp_path / "nope.xlsx", FW, REG)
    assert sub.report.codes == ["file.unreadable"]


def test_deleted_metadata_sheet_reads_as_free_form_and_is_refused(tmp_path):
    p = edit(template(tmp_path), {f"D{XIJI}": 42})
    wb = load_workbook(p)
    wb.remove(wb[META_SHEET])
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.kind == "freeform"
    assert issue(sub, "template.version").sheet == "统计局"
    rd = next(r for r in sub.records if r.region_code == "640422" and r.variable == "rd_exp")
    assert (rd.value, rd.cell) == (42, f"D{XIJI}")
    assert not sub.report.find("region.unknown")  # unit/definition rows are not counties


def test_validate_file_runs_the_checks(tmp_path):
    p = edit(template(tmp_path), {f"D{XIJI}": 5000, f"E{XIJI}": 100})  # R&D above GDP
    sub = validate_file(p, FW, REG, year=2022)
    assert any(i.code.startswith("rule.") and i.region == "640422" for i in sub.report)
