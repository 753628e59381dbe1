"""Bounds on what a submitted file may hold, checked before its bulk is parsed.

An .xlsx file is a zip of XML parts. Rows written without ``r=`` attributes and without a
``<dimension>`` compress about 250 to 1: a 288 KB upload can unpack to 67 MB of sheet XML and
300,000 rows, and a reader that trusts it builds millions of Python objects. Excel also allows
values far from the table (row 1,048,576, column XFD) that a reader trusting ``<dimension>``
silently drops. So, before openpyxl sees a workbook:

1. :func:`inspect_zip` reads only the zip's central directory: the member count, each member's
   and the total uncompressed size, and the compression ratio of large members. Nothing is
   decompressed.
2. :func:`~cimon.intake.xmlscan.scan_parts` streams every XML part through expat (a bounded, incremental parser):
   a DTD (the vehicle of entity-expansion “billion laughs” bombs, never written by Excel) or
   malformed XML is refused; in worksheets it counts the cells, stopping at the cell budget, and
   finds where values really are, whatever ``<dimension>`` says; values outside the table area
   are reported by cell (``cell.stray``).
3. :func:`~cimon.intake.xmlscan.bound_sheets` tells openpyxl's read-only worksheets their true size, clamped to the
   table area, so every later read sees all values and never more than the area.

The limits (:class:`Limits`) follow from the framework and the registry the file is read against
(:meth:`Limits.for_intake`): a template for 22 counties has no business holding 300,000 rows.
``docs/intake/limits.md`` lists them. This module holds the limits, step 1 and the CSV check;
:mod:`cimon.intake.xmlscan` steps 2 and 3.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cimon.intake.report import ValidationReport
from cimon.intake.workbook import col_letter

__all__ = ["Damaged", "Limits", "check_csv", "damaged", "inspect_zip", "too_large"]

MB = 1 << 20
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
#: Header rows of a template and room for a note or two below the table.
HEADER_ROWS, MARGIN_ROWS = 10, 50
#: A long table (county, year, variable, value) may hold this many years (the demo's panel
#: holds ten).
LONG_YEARS = 20
#: Cells a sheet may hold per row of its area, blank formatted ones included (a clerk who
#: formats a block of rows and columns writes one element per cell).
CELLS_PER_ROW = 16
MAX_CELLS = 4_000_000
MAX_PART_BYTES = 256 * MB

REDO_ZH = "请用 Excel 或 WPS 打开该文件，“另存为”Excel 工作簿（.xlsx）后重新提交；如打不开，请用原始数据重新填写模板。"
REDO_EN = (
    "Open it in Excel or WPS, 'Save As' an Excel workbook (.xlsx) and resubmit; if it does not "
    "open, fill in the template again from the original data."
)


@dataclass(frozen=True)
class Limits:
    """What one submitted file may hold.

    ``rows`` × ``columns`` is the table area: a value outside it is an error naming its cell.
    ``cells`` is how many cells (``<c>`` elements, blank ones too) one sheet may hold before
    reading stops. The byte limits are of uncompressed zip members; ``ratio`` is the highest
    compression ratio allowed for a member larger than ``ratio_floor`` bytes.
    """

    rows: int = 20_000
    columns: int = 256
    cells: int = 1_280_000
    member_bytes: int = 80 * MB
    total_bytes: int = 160 * MB
    members: int = 1_000
    ratio: int = 100
    ratio_floor: int = 1 * MB

    @classmethod
    def for_intake(cls, n_regions: int, n_variables: int) -> Limits:
        """Limits for files read against ``n_regions`` counties and ``n_variables`` variables.

        rows: the longer of a wide sheet (header, one row per county, a margin) and a long
        table of :data:`LONG_YEARS` years (one row per county, variable and year); columns:
        twice the variables (and the county columns) plus 50, at least 256; cells (blank
        formatted ones too): :data:`CELLS_PER_ROW` per row of the area, at least a wide sheet
        filled; bytes: 64 per cell, at least 16 MB per part and twice that in all. Excel's own
        maxima and :data:`MAX_CELLS` / :data:`MAX_PART_BYTES` cap them.
        """
        wide_rows = HEADER_ROWS + n_regions + MARGIN_ROWS
        long_rows = HEADER_ROWS + n_regions * max(n_variables, 1) * LONG_YEARS
        rows = min(max(wide_rows, long_rows), EXCEL_ROWS)
        columns = min(max(256, 2 * (n_variables + 3) + 50), EXCEL_COLUMNS)
        cells = min(max(wide_rows * columns, rows * CELLS_PER_ROW), MAX_CELLS)
        member = min(max(16 * MB, cells * 64), MAX_PART_BYTES)
        return cls(
            rows=rows, columns=columns, cells=cells, member_bytes=member, total_bytes=2 * member
        )

    def as_text(self) -> tuple[str, str]:
        """The table area in words, for messages."""
        return (
            f"最多 {self.rows:,} 行、{self.columns:,} 列，即 A 至 {col_letter(self.columns - 1)} 列",
            f"at most {self.rows:,} rows and {self.columns:,} columns, A to "
            f"{col_letter(self.columns - 1)}",
        )


class Damaged(Exception):
    """The file is not a readable workbook; ``zh``/``en`` say what is wrong, in plain words."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def damaged(report: ValidationReport, zh: str, en: str) -> None:
    """``file.unreadable`` for a damaged file, saying how to re-save it (no internal places)."""
    report.add(
        "file.unreadable",
        f"文件已损坏，无法读取：{zh}",
        f"The file is damaged and cannot be read: {en}",
        REDO_ZH,
        REDO_EN,
    )


def too_large(report: ValidationReport, zh: str, en: str, **where: Any) -> None:
    """``file.too_large``, saying how to cut the file down to the template's table."""
    report.add(
        "file.too_large",
        zh,
        en,
        "请只提交模板中的表格：删除表格以外的行、列和工作表（选中后“删除”，不是清除内容），"
        "保存后重新提交。",
        "Submit only the template's table: delete the rows, columns and sheets outside it "
        "(select them and Delete, not just clear their contents), save and resubmit.",
        **where,
    )


# ------------------------------------------------------------------------------------------
# 1. the central directory


def inspect_zip(data: bytes, limits: Limits, report: ValidationReport) -> zipfile.ZipFile | None:
    """Open ``data`` as a zip and check its central directory against ``limits``.

    Returns the open archive, or None with ``file.unreadable`` (not a zip, truncated) or
    ``file.too_large`` (too many members, too large uncompressed, compressed too well) in the
    report. Decompresses nothing.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        damaged(
            report,
            "它不是完整的 .xlsx 文件（压缩包结构缺失或被截断，可能未下载或复制完整）。",
            "it is not a complete .xlsx file (its zip structure is missing or cut short, "
            "perhaps by an incomplete download or copy).",
        )
        return None
    if len(infos) > limits.members:
        too_large(
            report,
            f"文件包含 {len(infos):,} 个部件，超过上限 {limits.members:,}（正常的工作簿只有几十个）。",
            f"The file holds {len(infos):,} parts, over the limit of {limits.members:,} (a "
            "normal workbook has a few dozen).",
        )
        zf.close()
        return None
    total = 0
    for info in infos:
        total += info.file_size
        big = info.file_size > limits.member_bytes
        packed = info.file_size > limits.ratio_floor and (
            info.file_size > limits.ratio * max(info.compress_size, 1)
        )
        if big or packed or total > limits.total_bytes:
            mb = info.file_size / MB if big or packed else total / MB
            too_large(
                report,
                f"文件解压后过大（{mb:,.1f} MB"
                + (f"，压缩比 {info.file_size // max(info.compress_size, 1):,}:1" if packed else "")
                + f"），超过本次报送的上限 {limits.member_bytes // MB} MB；"
                "通常是表格下方或右侧有大量多余的行、列或格式。",
                f"The file unpacks to too much ({mb:,.1f} MB"
                + (
                    f", compressed {info.file_size // max(info.compress_size, 1):,} to 1"
                    if packed
                    else ""
                )
                + f"), over the limit of {limits.member_bytes // MB} MB for this submission; "
                "usually many surplus rows, columns or formats below or right of the table.",
            )
            zf.close()
            return None
    return zf


# ------------------------------------------------------------------------------------------
# CSV


def check_csv(data: bytes, limits: Limits, report: ValidationReport) -> bool:
    """False with ``file.too_large`` when CSV bytes hold more lines than the table area (or a
    line longer than a row of the area could be); counted on the bytes, before any parsing."""
    lines = data.count(b"\n") + 1
    longest = max((len(line) for line in _lines(data)), default=0)
    if lines <= limits.rows and longest <= limits.columns * 1024:
        return True
    too_large(
        report,
        f"文件有 {lines:,} 行，超过本次报送的上限（{limits.as_text()[0]}）。"
        if lines > limits.rows
        else f"文件中有一行长达 {longest:,} 字节，超过本次报送的上限。",
        f"The file has {lines:,} lines, over this submission's limit ({limits.as_text()[1]})."
        if lines > limits.rows
        else f"A line of the file is {longest:,} bytes long, over this submission's limit.",
    )
    return False


def _lines(data: bytes) -> Iterator[bytes]:
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        yield data[start:end]
        start = end + 1
