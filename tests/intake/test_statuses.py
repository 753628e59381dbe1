"""The 数据状态 sheet: estimated and imputed values travel beside the numbers of a department
template, and what a clerk writes there is checked cell by cell."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

import cimon
from cimon.intake.reader import read_submission
from cimon.intake.statuses import STATUS_SHEET
from cimon.intake.template import write_template
from cimon.model.regions import default_registry

FW = cimon.load_framework("nx-2021")
REG = default_registry()
XIJI = REG.match("西吉县").code
YUANZHOU = REG.match("原州区").code


def _values(statuses: dict[tuple[str, str], str]) -> pd.DataFrame:
    rows = [
        (code, 2021, var, 10.0 + i, statuses.get((code, var), "reported"))
        for i, code in enumerate(REG.codes)
        for var in ("hte", "tsme")
    ]
    return pd.DataFrame(rows, columns=["region_code", "year", "variable", "value", "status"])


def test_statuses_are_written_and_read_back(tmp_path):
    marks = {(XIJI, "hte"): "estimated", (YUANZHOU, "tsme"): "imputed"}
    path = write_template(
        FW, REG, 2022, tmp_path / "k.xlsx", department="科技厅", values=_values(marks)
    )
    ws = load_workbook(path)[STATUS_SHEET]
    assert [c.value for c in ws[4]][:5] == [YUANZHOU, "原州区", "tsme", "科技型中小企业数", "插补"]
    assert [c.value for c in ws[5]][:5] == [XIJI, "西吉县", "hte", "高新技术企业数", "估算"]
    sub = read_submission(path, FW, REG)
    assert sub.report.ok, sub.report.render("en")
    odd = ("estimated", "imputed")
    got = {(r.region_code, r.variable): r.status for r in sub.records if r.status in odd}
    assert got == marks


def test_blank_template_has_no_status_sheet(tmp_path):
    path = write_template(FW, REG, 2022, tmp_path / "k.xlsx", department="科技厅")
    wb = load_workbook(path)
    assert STATUS_SHEET not in wb.sheetnames
    assert "数据状态" not in " ".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    marked = write_template(
        FW,
        REG,
        2022,
        tmp_path / "m.xlsx",
        department="科技厅",
        values=_values({(XIJI, "hte"): "estimated"}),
    )
    intro = " ".join(str(c.value) for c in load_workbook(marked)["填报说明"]["A"] if c.value)
    assert "“数据状态”工作表" in intro  # the instructions explain the sheet when it is there


def test_what_a_clerk_writes_in_the_status_sheet_is_checked(tmp_path):
    marks = {(XIJI, "hte"): "estimated"}
    path = write_template(
        FW, REG, 2022, tmp_path / "k.xlsx", department="科技厅", values=_values(marks)
    )
    wb = load_workbook(path)
    ws = wb[STATUS_SHEET]
    ws["E4"] = "估计"  # a synonym: still estimated
    ws.append([])  # rows 5…: a clerk's own lines
    for row, values in enumerate(
        [
            (YUANZHOU, "原州区", "tsme", "", "大概"),  # not a status
            ("999999", "", "tsme", "", "估算"),  # not a county of the file
            (XIJI, "西吉县", "tsme", "", "插补"),  # its value is blanked below
        ],
        start=5,
    ):
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    data = wb["科技厅"]
    xiji_row = next(c.row for c in data["A"] if c.value == XIJI)
    tsme_col = next(c.column for c in data[3] if c.value == "tsme")
    data.cell(row=xiji_row, column=tsme_col).value = None
    wb.save(path)
    sub = read_submission(path, FW, REG)
    codes = [(i.code, i.cell) for i in sub.report.errors]
    assert codes == [
        ("status.invalid", "E5"),
        ("status.unknown_cell", "A6"),
        ("status.without_value", "E7"),
    ]
    assert all(i.sheet == STATUS_SHEET for i in sub.report.errors)
    got = {r.variable: r.status for r in sub.records if r.region_code == XIJI}
    assert (got["hte"], got["tsme"]) == ("estimated", "missing")
