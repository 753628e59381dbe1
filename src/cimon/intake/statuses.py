"""The 数据状态 sheet of a department template: which values are estimated (估算) or imputed
(插补) rather than reported.

A value cell holds a number and nothing else (it has numeric data validation), so the status of a
value that is not simply reported travels beside it: one row per county × variable in a sheet
``数据状态`` (role ``status`` in the template's layout). ``cimon data export`` writes the sheet when
some exported value is estimated or imputed, so that export → import keeps every status; a
department may also list its own estimates there. A blank row is ignored; a value listed there
but left blank in the data sheet is an error (a status needs a value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from openpyxl import Workbook

from cimon.intake.submission import ParsedSubmission
from cimon.intake.workbook import (
    BOLD,
    CENTER_WRAP,
    CODE_FONT,
    HEADER_FILL,
    LOCKED_FILL,
    REGION_CODE,
    REGION_NAME,
    TITLE_FONT,
    UNLOCKED,
    SheetLayout,
    is_blank,
    protect_sheet,
    raw_text,
    row_get,
)
from cimon.model.framework import Variable
from cimon.model.regions import RegionRegistry

STATUS_SHEET = "数据状态"
#: statuses a value may carry besides ``reported`` (``missing`` is a blank cell), with the words
#: a clerk may write for them
STATUS_WORDS = {
    "estimated": ("估算", "estimated", "估计", "推算"),
    "imputed": ("插补", "imputed"),
}
_LABEL = {"estimated": "估算", "imputed": "插补"}
_WORD = {w.casefold(): code for code, words in STATUS_WORDS.items() for w in words}
COLUMNS = (REGION_CODE, REGION_NAME, "variable", "variable_name", "status")
_HEADS = ("区划代码", "县（市、区）", "变量代码", "变量名称", "数据状态（估算/插补）")
_ROWS = {"title": 1, "name": 2, "code": 3, "first": 4}


def status_lookup(values: Any, data_year: int) -> dict[tuple[str, str], str]:
    """(region_code, variable) → ``estimated``/``imputed`` for the rows of ``data_year`` of a
    long frame (or :class:`~cimon.model.panel.Panel`) with a ``status`` column."""
    frame = getattr(values, "frame", values)
    if frame is None or not hasattr(frame, "columns") or "status" not in frame.columns:
        return {}
    rows = frame[(frame["year"].astype(int) == data_year) & frame["status"].isin(list(_LABEL))]
    return {
        (str(c), str(v)): str(s)
        for c, v, s in zip(rows["region_code"], rows["variable"], rows["status"], strict=True)
    }


def write_status_sheet(
    wb: Workbook,
    statuses: Mapping[tuple[str, str], str],
    variables: Sequence[Variable],
    registry: RegionRegistry,
    title: str,
    department: str,
) -> SheetLayout:
    """The 数据状态 sheet listing ``statuses`` (in registry and variable order); its status
    column and a few blank rows below are editable."""
    ws = wb.create_sheet(STATUS_SHEET)
    ws.cell(row=_ROWS["title"], column=1, value=title).font = TITLE_FONT
    for j, (zh, code) in enumerate(zip(_HEADS, COLUMNS, strict=True), start=1):
        for r, text in ((_ROWS["name"], zh), (_ROWS["code"], code)):
            c = ws.cell(row=r, column=j, value=text)
            c.fill, c.alignment = HEADER_FILL, CENTER_WRAP
            c.font = BOLD if r == _ROWS["name"] else CODE_FONT
    for letter, width in zip("ABCDE", (10, 13, 18, 30, 18), strict=True):
        ws.column_dimensions[letter].width = width
    names = {v.code: v.name_zh for v in variables}
    order = {v.code: i for i, v in enumerate(variables)}
    r = _ROWS["first"]
    for region in registry:
        for var in sorted((v for c, v in statuses if c == region.code), key=order.__getitem__):
            status = statuses[(region.code, var)]
            row = (region.code, region.name, var, names[var], _LABEL[status])
            for j, value in enumerate(row, start=1):
                c = ws.cell(row=r, column=j, value=value)
                c.fill, c.protection = LOCKED_FILL, UNLOCKED
            r += 1
    for extra in range(r, r + 20):  # room for a department's own estimates
        for j in range(1, len(COLUMNS) + 1):
            ws.cell(row=extra, column=j).protection = UNLOCKED
    protect_sheet(ws)
    return SheetLayout(
        name=ws.title,
        role="status",
        department=department,
        code_row=_ROWS["code"],
        first_row=_ROWS["first"],
        columns=COLUMNS,
    )


def read_status_sheet(ws: Any, layout: SheetLayout, sub: ParsedSubmission) -> None:
    """Apply the 数据状态 sheet to the records already read from the data sheets: each listed
    (county, variable) gets its status. Errors name the row: an unknown status word, a county
    or variable not in the file, or a status for a blank value."""
    report, sheet = sub.report, layout.name
    index = {(r.region_code, r.variable): i for i, r in enumerate(sub.records)}
    by_name = {r.region_code: r for r in sub.records}  # any record of the county: it exists
    col = {c: i for i, c in enumerate(layout.columns)}
    for row0, row in enumerate(ws.iter_rows(min_row=layout.first_row, values_only=True)):
        n = layout.first_row + row0
        code = raw_text(row_get(row, col[REGION_CODE])).strip()
        var = raw_text(row_get(row, col["variable"])).strip()
        word = row_get(row, col["status"])
        if not code and not var and is_blank(word):
            continue
        where = {"sheet": sheet, "region": code, "variable": var}
        status = _WORD.get(raw_text(word).strip().casefold())
        if status is None:
            report.add(
                "status.invalid",
                f"第 {n} 行的数据状态“{raw_text(word)}”无法识别。",
                f"Row {n}: data status '{raw_text(word)}' is not recognised.",
                "请填写“估算”或“插补”；报送的实际数据不必列在本表中。",
                "Write 估算 (estimated) or 插补 (imputed); reported values need no row here.",
                cell=f"E{n}",
                value=raw_text(word),
                **where,
            )
            continue
        i = index.get((code, var))
        if i is None:
            known = code in by_name
            report.add(
                "status.unknown_cell",
                f"第 {n} 行：本文件中没有{'变量 ' + var if known else '县（市、区）' + code}的数据。",
                f"Row {n}: the file has no {'variable ' + var if known else 'county ' + code}.",
                "请填写数据表中的区划代码和变量代码，或删除该行。",
                "Use a county code and variable code of the data sheet, or delete the row.",
                cell=f"{'C' if known else 'A'}{n}",
                **where,
            )
            continue
        rec = sub.records[i]
        if rec.status == "missing":
            report.add(
                "status.without_value",
                f"第 {n} 行标为{_LABEL[status]}，但数据表中该值（{rec.cell}）为空。",
                f"Row {n} is marked {status}, but the value ({rec.cell}) is blank.",
                "请在数据表中填写该值，或删除本行。",
                "Enter the value in the data sheet, or delete this row.",
                cell=f"E{n}",
                **where,
            )
            continue
        sub.records[i] = replace(rec, status=status)  # records are frozen
