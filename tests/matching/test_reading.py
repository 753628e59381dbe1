"""Reading needs and achievements from CSV and Excel: columns by header, errors by cell, nothing
returned when anything is wrong, limits checked before parsing."""

from __future__ import annotations

import io

from openpyxl import Workbook

from cimon.intake.limits import Limits
from cimon.matching.reading import read_achievements, read_needs

ACH_CSV = """成果编号,成果名称,成果简介,学科代码,技术成熟度,转化方式,完成单位,区划代码
A1,枸杞热泵制干,热泵低温干燥,550,7,许可,宁夏大学,640105
A2,滩羊全混合日粮,,230,,,宁夏农林科学院,640104
"""


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "需求"
    ws.append(["宁夏回族自治区县域科技需求（模拟数据）"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_achievements_from_csv() -> None:
    got = read_achievements(ACH_CSV.encode("utf-8"), "a.csv")
    assert got.ok, got.report.render()
    a1, a2 = got.records
    assert (a1.id, a1.title, a1.discipline, a1.trl, a1.mode, a1.region) == (
        "A1", "枸杞热泵制干", "550", 7, "许可", "640105")  # fmt: skip
    assert a2.trl is None and a2.mode == "" and a2.abstract == ""


def test_needs_from_excel_below_a_title_row() -> None:
    data = xlsx(
        [
            ["需求编号", "问题描述", "产业链", "行业代码", "预算(万元)", "区划代码"],
            ["N1", "枸杞烘干发黑", "枸杞加工", "13", 40, "640521"],
            [None, "滩羊繁殖率低", "滩羊养殖", "03", None, "640323"],
        ]
    )
    got = read_needs(data, "needs.xlsx")
    assert got.ok, got.report.render()
    assert [n.id for n in got.records] == ["N1", "N4"]  # no id: N + its row
    assert got.records[0].budget == 40 and got.records[1].budget is None


def test_errors_name_their_cells_and_nothing_is_returned() -> None:
    bad = ACH_CSV + "A3,,缺名称,210,5,,x,640104\nA1,重复编号,,210,12,赠送,x,640104\n"
    got = read_achievements(bad.encode("utf-8"), "a.csv")
    assert not got.ok and got.records == []
    text = got.report.render("both")
    for code in ("name.missing", "row.duplicate", "value.out_of_range"):
        assert code in text, text
    cells = {i.cell for i in got.report.issues}
    assert {"B4", "E5", "F5"} <= cells, cells


def test_missing_column_wrong_type_and_limits() -> None:
    got = read_needs("编号,说明\n1,x\n".encode(), "n.csv")
    assert not got.ok and "column.missing" in got.report.render()
    assert "file.type" in read_needs(b"\xd0\xcf\x11\xe0 old xls", "n.xls").report.render()
    assert "file.empty" in read_needs(b"", "n.csv").report.render()
    small = Limits(rows=2)
    assert "file.too_large" in read_achievements(ACH_CSV.encode(), "a.csv", small).report.render()
