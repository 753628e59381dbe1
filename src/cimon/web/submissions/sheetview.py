"""A submitted file drawn as the user sees it in Excel, with the cells of its issues marked.

:func:`sheet_views` reads the stored bytes (a workbook or a CSV file) and returns, for every
visible sheet, its cells as rows of :class:`Cell`: the row numbers and column letters of Excel,
the text the cell shows, and the issues that point at it (a cell ``D7``, a whole row ``7:7`` or
a whole column ``D:D``). The page shows them as a table in which each flagged cell is coloured
and carries its messages; the report above links to it (``#c-<sheet>-<cell>``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cimon.intake.report import Issue
from cimon.intake.workbook import META_SHEET, col_letter

MAX_ROWS = 300
MAX_COLS = 40
#: what a stored workbook may hold to be drawn (a national 2,850-county template has 114,000
#: cells); a larger one is listed in its report but not drawn
DRAW_LIMITS = {"cells": 400_000, "member_bytes": 32 << 20, "total_bytes": 64 << 20}
_REF = re.compile(r"^(?P<col>[A-Z]{1,3})?(?P<row>\d+)?$")


@dataclass
class Cell:
    ref: str  # D7
    text: str
    issues: list[Issue] = field(default_factory=list)

    @property
    def severity(self) -> str:
        """``error`` if any issue here is an error, else ``warning``, else ``""``."""
        if any(i.severity == "error" for i in self.issues):
            return "error"
        return "warning" if self.issues else ""


@dataclass
class SheetView:
    index: int
    name: str
    columns: list[str]
    rows: list[tuple[int, list[Cell]]]
    truncated: bool = False
    flagged: int = 0


def anchor(sheet_index: int, ref: str) -> str:
    """The id of a cell in the page (``c-1-D7``)."""
    return f"c-{sheet_index}-{ref}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _targets(issue: Issue) -> tuple[str | None, int | None, str | None]:
    """(column, row, single cell) an issue points at; Nones for the whole sheet or file."""
    ref = issue.cell.replace("$", "").strip().upper()
    if not ref:
        return None, None, None
    first, _, last = ref.partition(":")
    m1, m2 = _REF.match(first), _REF.match(last or first)
    if not m1 or not m2:
        return None, None, None
    col, row = m1.group("col"), m1.group("row")
    if last and col and not row and m2.group("col") == col:
        return col, None, None  # D:D
    if last and row and not col and m2.group("row") == row:
        return None, int(row), None  # 7:7
    if col and row:
        return col, int(row), f"{col}{row}"
    return None, None, None


def _attach(view: SheetView, issues: list[Issue]) -> None:
    cells = {c.ref: c for _, row in view.rows for c in row}
    for issue in issues:
        col, row, ref = _targets(issue)
        hit = []
        if ref is not None and ref in cells:
            hit = [cells[ref]]
        elif col is not None and row is None:
            hit = [c for _, r in view.rows for c in r if re.sub(r"\d+$", "", c.ref) == col]
        elif row is not None and ref is None:
            hit = [c for n, r in view.rows if n == row for c in r]
        for c in hit:
            c.issues.append(issue)
    view.flagged = sum(1 for _, r in view.rows for c in r if c.issues)


def _grid(index: int, name: str, values: list[list[object]]) -> SheetView:
    nrows = min(len(values), MAX_ROWS)
    ncols = min(max((len(r) for r in values[:nrows]), default=0), MAX_COLS)
    columns = [col_letter(j) for j in range(ncols)]
    rows = []
    for i in range(nrows):
        src = values[i]
        rows.append(
            (
                i + 1,
                [
                    Cell(f"{columns[j]}{i + 1}", _text(src[j] if j < len(src) else None))
                    for j in range(ncols)
                ],
            )
        )
    truncated = len(values) > MAX_ROWS or any(len(r) > MAX_COLS for r in values)
    return SheetView(index, name, columns, rows, truncated)


def _open(content: bytes) -> Any | None:
    """The stored workbook opened read-only once the intake's checks of its zip directory and
    XML parts (:mod:`cimon.intake.xmlscan`, with :data:`DRAW_LIMITS`) pass; None otherwise.
    (openpyxl walks a whole sheet that has no ``<dimension>`` when it opens it.)"""
    from openpyxl import load_workbook

    from cimon.intake.limits import Limits, inspect_zip
    from cimon.intake.report import ValidationReport
    from cimon.intake.xmlscan import scan_parts

    limits, report = Limits(**DRAW_LIMITS), ValidationReport()
    zf = inspect_zip(content, limits, report)
    if zf is None:
        return None
    with zf:
        if scan_parts(zf, limits, report) is None:
            return None
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # damaged in a way the checks do not see
        return None


def _trim(rows: list[list[object]]) -> list[list[object]]:
    """Rows without their trailing blank cells, and without trailing blank rows."""
    out = []
    for r in rows:
        while r and r[-1] is None:
            r.pop()
        out.append(r)
    while out and not out[-1]:
        out.pop()
    return out


def sheet_views(file_name: str, content: bytes, issues: list[Issue]) -> list[SheetView]:
    """The visible sheets of a stored file with the issues attached to their cells.

    Sheets the issues point at come first; a file that cannot be read gives no sheets (its
    report already says why).
    """
    views: list[SheetView] = []
    if file_name.lower().endswith((".csv", ".txt", ".tsv")):
        from cimon.intake.freeform import decode_csv

        text = decode_csv(content)
        if text is None:
            return []
        dialect = "excel-tab" if file_name.lower().endswith(".tsv") else "excel"
        values: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
        view = _grid(1, file_name, values)
        _attach(view, issues)
        return [view]
    wb = _open(content)
    if wb is None:  # a damaged or oversized file: the report says so, nothing to draw
        return []
    try:
        for n, ws in enumerate(wb.worksheets, start=1):
            if ws.sheet_state != "visible" or ws.title == META_SHEET:
                continue
            # read-only and bounded: only the rows and columns drawn are ever parsed
            rows: list[list[object]] = [
                list(r)
                for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + 1, max_col=MAX_COLS + 1)
            ]
            view = _grid(n, ws.title, _trim(rows))
            _attach(view, [i for i in issues if i.sheet in ("", ws.title)])
            views.append(view)
    finally:
        wb.close()
    return sorted(views, key=lambda v: (v.flagged == 0, v.index))
