"""Bounds on what a submitted file may hold, checked before its bulk is parsed.

An .xlsx file is a zip of XML parts. Rows written without ``r=`` attributes and without a
``<dimension>`` compress about 250 to 1: a 288 KB upload can unpack to 67 MB of sheet XML and
300,000 rows, and a reader that trusts it builds millions of Python objects. Excel also allows
values far from the table (row 1,048,576, column XFD) that a reader trusting ``<dimension>``
silently drops. So, before openpyxl sees a workbook:

1. :func:`inspect_zip` reads only the zip's central directory: the member count, each member's
   and the total uncompressed size, and the compression ratio of large members. Nothing is
   decompressed.
2. :func:`scan_parts` streams every XML part through expat (a bounded, incremental parser):
   a DTD (the vehicle of entity-expansion “billion laughs” bombs, never written by Excel) or
   malformed XML is refused; in worksheets it counts the cells, stopping at the cell budget, and
   finds where values really are, whatever ``<dimension>`` says; values outside the table area
   are reported by cell (``cell.stray``).
3. :func:`bound_sheets` tells openpyxl's read-only worksheets their true size, clamped to the
   table area, so every later read sees all values and never more than the area.

The limits (:class:`Limits`) follow from the framework and the registry the file is read against
(:meth:`Limits.for_intake`): a template for 22 counties has no business holding 300,000 rows.
``docs/intake/limits.md`` lists them.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from cimon.intake.report import ValidationReport
from cimon.intake.workbook import cell_ref, col_letter

__all__ = [
    "Damaged",
    "Limits",
    "SheetScan",
    "bound_sheets",
    "check_csv",
    "inspect_zip",
    "scan_parts",
    "sheet_paths",
]

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
#: Stray values named one by one; more are counted (the report caps them too).
STRAY_NAMED = 20

_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")

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


def _too_large(report: ValidationReport, zh: str, en: str, **where: Any) -> None:
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
        _too_large(
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
            _too_large(
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
# 2. the XML parts


@dataclass
class SheetScan:
    """What a worksheet part holds, as counted by :func:`scan_parts`."""

    path: str
    cells: int = 0  # <c> elements, blank ones too
    max_row: int = 0  # last row / column holding a value (1-based; 0: none)
    max_col: int = 0
    stray: list[str] = field(default_factory=list)  # the first cells outside the area
    stray_count: int = 0
    over: bool = False  # stopped at the cell budget


class _Stop(Exception):
    """Raised from an expat handler to stop reading a part."""


class _Scanner:
    """expat handlers following openpyxl's rules for rows and cells without ``r=``.

    Only a start-element handler, without namespace processing (the spreadsheet elements are
    ``row``, ``c``, ``v`` and ``is``, maybe with a prefix): a cell is settled when the next
    cell or row starts, or the part ends. About 3× faster than namespace-aware start and end
    handlers on a 114,000-cell sheet.
    """

    def __init__(self, scan: SheetScan, limits: Limits) -> None:
        self.scan, self.limits = scan, limits
        self.row = self.col = 0
        self.cell: tuple[int, int] | None = None
        self.has_value = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            self.finish()
            s = self.scan
            s.cells += 1
            if s.cells > self.limits.cells:
                s.over = True
                raise _Stop
            ref = attrs.get("r")
            m = _REF.match(ref) if ref else None
            if m:
                row, self.col = int(m.group(2)), _col_index(m.group(1))
            else:
                row, self.col = self.row, self.col + 1
            self.cell = (row, self.col)
        elif name == "v" or name == "is":
            if self.cell is not None:
                self.has_value = True
        elif name == "row":
            self.finish()
            r = attrs.get("r")
            self.row = _int(r) if r else self.row + 1
            self.col = 0

    def finish(self) -> None:
        """Settle the cell read last."""
        if self.cell is None:
            return
        if self.has_value:
            row, col = self.cell
            s = self.scan
            if row > self.limits.rows or col > self.limits.columns:
                s.stray_count += 1
                if len(s.stray) < STRAY_NAMED:
                    s.stray.append(cell_ref(row - 1, col - 1))
            else:
                if row > s.max_row:
                    s.max_row = row
                if col > s.max_col:
                    s.max_col = col
        self.cell, self.has_value = None, False


def _int(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        raise Damaged("工作表中的行号无效。", "a row number in a sheet is invalid.") from None


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _forbid_dtd(*_: Any) -> None:
    raise Damaged(
        "文件中含有 DTD 声明（Excel 从不写入，可能是恶意构造的文件）。",
        "it contains a DTD declaration (Excel never writes one; the file may be crafted).",
    )


def _parse(stream: IO[bytes], handlers: _Scanner | None) -> None:
    p = expat.ParserCreate()
    p.StartDoctypeDeclHandler = _forbid_dtd
    p.EntityDeclHandler = _forbid_dtd
    if handlers is not None:
        p.StartElementHandler = handlers.start
    while chunk := stream.read(1 << 16):
        p.Parse(chunk, False)
    p.Parse(b"", True)
    if handlers is not None:
        handlers.finish()


def scan_parts(
    zf: zipfile.ZipFile, limits: Limits, report: ValidationReport
) -> dict[str, SheetScan] | None:
    """Stream every XML part of ``zf`` through expat; return the worksheet scans by part name.

    None with the issue in the report when a part is damaged (``file.unreadable``: bad CRC,
    truncated data, malformed XML, a DTD) or a sheet holds more cells than ``limits.cells``
    (``file.too_large``, reading stops there). Parts without cells are only checked to be
    well-formed.
    """
    names = sheet_paths(zf)
    scans: dict[str, SheetScan] = {}
    for info in zf.infolist():
        # every part that looks like XML, whatever its name (a worksheet is found through
        # relationships, not by name); images and vbaProject.bin do not
        if info.is_dir() or not _looks_like_xml(zf, info):
            continue
        # legacy VML drawings are often not well-formed XML, and nobody reads them as XML
        vml = info.filename.lower().endswith(".vml")
        scan = SheetScan(info.filename)
        try:
            with zf.open(info) as stream:
                _parse(stream, _Scanner(scan, limits))
        except expat.ExpatError:
            if not vml:
                damaged(report, *_malformed())
                return None
            continue
        except _Stop:
            sheet = names.get(info.filename, info.filename)
            _too_large(
                report,
                f"工作表“{sheet}”中的单元格超过 {limits.cells:,} 个（读到第 {scan.cells - 1:,} 个时停止），"
                f"远超本次报送的表格（{limits.as_text()[0]}）。",
                f"Sheet '{sheet}' holds more than {limits.cells:,} cells (reading stopped there), "
                f"far more than this submission's table ({limits.as_text()[1]}).",
                sheet=sheet,
            )
            return None
        except Damaged as exc:
            damaged(report, exc.zh, exc.en)
            return None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            damaged(
                report,
                "压缩数据损坏（校验失败或被截断）。",
                "its compressed data are corrupt (checksum mismatch or cut short).",
            )
            return None
        scans[info.filename] = scan
    for path, scan in scans.items():
        if scan.stray_count:
            _stray(report, names.get(path, path), scan, limits)
    return scans


def _stray(report: ValidationReport, sheet: str, scan: SheetScan, limits: Limits) -> None:
    area_zh, area_en = limits.as_text()
    for ref in scan.stray:
        report.add(
            "cell.stray",
            f"单元格 {ref} 在表格区域之外（{area_zh}），其内容不会被读取。",
            f"Cell {ref} is outside the table ({area_en}); its content would not be read.",
            "请把该内容移到表格中对应的位置，或删除它，保存后重新提交。",
            "Move its content to its place in the table or delete it, save and resubmit.",
            sheet=sheet,
            cell=ref,
        )
    rest = scan.stray_count - len(scan.stray)
    if rest:
        report.add(
            "cell.stray",
            f"表格区域之外另有 {rest:,} 个单元格有内容。",
            f"{rest:,} more cells outside the table hold content.",
            "请删除表格以外的行和列（选中后“删除”），保存后重新提交。",
            "Delete the rows and columns outside the table (select them and Delete), save and "
            "resubmit.",
            sheet=sheet,
        )


def _looks_like_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """The part starts with ``<`` (after a BOM and white space) or is UTF-16 text."""
    try:
        with zf.open(info) as stream:
            head = stream.read(512)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        return True  # the scan reports the damage
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def _malformed() -> tuple[str, str]:
    return (
        "文件内部的 XML 内容不完整或格式错误。",
        "its XML content is incomplete or malformed.",
    )


def sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → sheet name, from ``xl/workbook.xml`` and its relationships
    (empty when they cannot be read: the names are only for messages)."""
    try:
        book = _small_xml(zf, "xl/workbook.xml")
        rels = _small_xml(zf, "xl/_rels/workbook.xml.rels")
    except (
        KeyError,
        ElementTree.ParseError,
        expat.ExpatError,
        Damaged,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
    ):
        return {}
    targets = {
        r.get("Id", ""): r.get("Target", "") for r in rels.iter() if r.tag.endswith("Relationship")
    }
    out: dict[str, str] = {}
    for el in book.iter():
        if el.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
        target = targets.get(rid, "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            out[path] = el.get("name", path)
    return out


def _small_xml(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = zf.getinfo(name)
    if info.file_size > 8 * MB:
        raise KeyError(name)  # not a workbook part Excel writes; the names are for messages
    with zf.open(info) as stream:
        _parse(io.BytesIO(data := stream.read()), None)  # no DTD before ElementTree sees it
    return ElementTree.fromstring(data)


# ------------------------------------------------------------------------------------------
# 3. openpyxl


def bound_sheets(wb: Any, scans: dict[str, SheetScan]) -> None:
    """Give each read-only worksheet of ``wb`` its true extent, clamped to the table area.

    openpyxl sizes read-only sheets by their ``<dimension>`` element, which may be stale
    (values beyond it are dropped) or absent. The scans know where the values are; a sheet
    without values reads as one blank cell; a part that was not scanned (it does not look like
    XML, so openpyxl cannot read it either) is left alone.
    """
    for ws in wb.worksheets:
        path = getattr(ws, "_worksheet_path", None)
        if path is None:  # not a read-only worksheet: nothing to bound
            continue
        scan = scans.get(str(path).lstrip("/"))
        if scan is None:
            continue
        # openpyxl's own attributes (ReadOnlyWorksheet.reset_dimensions sets them too)
        ws._min_row = ws._min_column = 1
        ws._max_row, ws._max_column = max(scan.max_row, 1), max(scan.max_col, 1)


# ------------------------------------------------------------------------------------------
# CSV


def check_csv(data: bytes, limits: Limits, report: ValidationReport) -> bool:
    """False with ``file.too_large`` when CSV bytes hold more lines than the table area (or a
    line longer than a row of the area could be); counted on the bytes, before any parsing."""
    lines = data.count(b"\n") + 1
    longest = max((len(line) for line in _lines(data)), default=0)
    if lines <= limits.rows and longest <= limits.columns * 1024:
        return True
    _too_large(
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
