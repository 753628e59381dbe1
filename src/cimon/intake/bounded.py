"""Every sheet of an uploaded ``.xlsx`` (or the rows of a ``.csv``) as rows of values, read within
limits: the one bounded reader for files that are not submission templates (official lists of
enterprises and carriers, uploaded plans, needs and achievements for matching). The zip is inspected (entries, uncompressed size, ratios) and every
sheet's XML scanned (rows, cells) before openpyxl parses anything
(:mod:`cimon.intake.limits`, :mod:`cimon.intake.xmlscan`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from cimon.intake.freeform import decode_csv
from cimon.intake.limits import Limits, check_csv, inspect_zip
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import load_xlsx
from cimon.intake.xmlscan import bound_sheets, scan_parts

Sheet = tuple[str, list[tuple[Any, ...]]]


def xlsx_sheets(data: bytes, limits: Limits, report: ValidationReport) -> list[Sheet] | None:
    """``(title, rows of values)`` for every sheet, or ``None`` with the reason in ``report``
    (not an .xlsx, over a limit, unreadable). Never raises for the file."""
    if data[:4] != b"PK\x03\x04":
        report.add(
            "file.type",
            "该文件不是 .xlsx 工作簿（可能是旧版 .xls、设置了打开密码或改了扩展名）。",
            "The file is not an .xlsx workbook (perhaps a legacy .xls, password-protected or "
            "renamed).",
            "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后重新导入。",
            "'Save As' an Excel workbook (.xlsx) in Excel or WPS and import again.",
        )
        return None
    zf = inspect_zip(data, limits, report)
    if zf is None:
        return None
    with zf:
        scans = scan_parts(zf, limits, report)
    if scans is None or not report.ok:
        return None
    wb = load_xlsx(data, report)
    if wb is None:
        return None
    try:
        bound_sheets(wb, scans)
        return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in wb.worksheets]
    finally:
        wb.close()


def table_sheets(
    data: bytes, filename: str, limits: Limits, report: ValidationReport
) -> list[Sheet] | None:
    """:func:`xlsx_sheets`, or for a file named ``*.csv`` that is not a zip its rows as one
    sheet named ``""`` (size and rows checked first, the encoding detected); ``None`` with the
    reason in ``report``."""
    if not (filename.lower().endswith(".csv") and data[:4] != b"PK\x03\x04"):
        return xlsx_sheets(data, limits, report)
    if not check_csv(data, limits, report):
        return None
    text = decode_csv(data)
    if text is None:
        report.add(
            "file.unreadable",
            "无法读取该 CSV 文件（编码无法识别）。",
            "The CSV file cannot be read (unknown encoding).",
            "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后重新导入。",
            "Save it from Excel as 'CSV UTF-8 (comma delimited)' and import again.",
        )
        return None
    rows = [tuple(c if c.strip() else None for c in r) for r in csv.reader(io.StringIO(text))]
    return [("", rows)]
