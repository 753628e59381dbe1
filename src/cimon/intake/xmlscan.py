"""Steps 2 and 3 of the bounds on a submitted workbook (see :mod:`cimon.intake.limits`).

:func:`scan_parts` streams every XML part through expat (a bounded, incremental parser): a DTD
(the vehicle of entity-expansion “billion laughs” bombs, never written by Excel) or malformed XML
is refused; in worksheets it counts the cells, stopping at the cell budget, and finds where values
really are, whatever ``<dimension>`` says; values outside the table area are reported by cell
(``cell.stray``). :func:`bound_sheets` then tells openpyxl's read-only worksheets their true size,
clamped to the table area.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree import ElementTree
from xml.parsers import expat

from cimon.intake.limits import MB, Damaged, Limits, damaged, too_large
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import cell_ref

__all__ = ["SheetScan", "bound_sheets", "scan_parts", "sheet_paths"]

#: Stray values named one by one; more are counted (the report caps them too).
STRAY_NAMED = 20

_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


# the XML parts


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
            too_large(
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


# openpyxl


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
