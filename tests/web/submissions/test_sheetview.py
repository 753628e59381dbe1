"""Drawing a stored file with its issues on the cells they point at."""

from __future__ import annotations

import io

from openpyxl import Workbook

from cimon.intake.report import ValidationReport
from cimon.web.submissions.sheetview import MAX_ROWS, anchor, sheet_views


def _xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
    for r in range(1, 6):
        ws.append([f"r{r}c{c}" for c in range(1, 5)])
    hidden = wb.create_sheet("_cimon")
    hidden["A1"] = "secret"
    hidden.sheet_state = "veryHidden"
    other = wb.create_sheet("说明")
    other["A1"] = "说明文字"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _report() -> ValidationReport:
    rep = ValidationReport("f.xlsx")
    rep.add("value.not_number", "不是数", "not a number", sheet="数据", cell="C3")
    rep.add("value.jump", "变动大", "jump", sheet="数据", cell="2:2")
    rep.add("column.unknown", "列", "column", sheet="数据", cell="D:D")
    rep.add("file.empty", "空", "empty")  # the whole file: no cell
    return rep


def test_cells_rows_and_columns_are_flagged() -> None:
    views = sheet_views("f.xlsx", _xlsx(), _report().issues)
    assert [v.name for v in views] == ["数据", "说明"]  # flagged first; never the hidden one
    assert not views[0].truncated
    data = views[0]
    cells = {c.ref: c for _, row in data.rows for c in row}
    assert cells["C3"].severity == "error" and cells["C3"].text == "r3c3"
    assert cells["A2"].severity == "warning" and cells["D2"].severity == "error"  # row + column
    assert cells["D5"].severity == "error" and cells["A1"].severity == ""
    assert data.flagged == 4 + 5 - 1 + 1  # row 2, column D (D2 once), C3
    assert data.columns == ["A", "B", "C", "D"]
    assert anchor(data.index, "C3") == f"c-{data.index}-C3"


def test_csv_is_drawn_and_long_sheets_are_cut() -> None:
    text = "县,值\n" + "".join(f"县{i},{i}\n" for i in range(MAX_ROWS + 10))
    rep = ValidationReport("a.csv")
    rep.add("value.not_number", "x", "x", cell="B2")
    (view,) = sheet_views("a.csv", text.encode("utf-8"), rep.issues)
    assert view.truncated and len(view.rows) == MAX_ROWS
    assert view.rows[1][1][1].severity == "error"


def test_damaged_file_draws_nothing() -> None:
    assert sheet_views("x.xlsx", b"not a zip", []) == []
