"""A corpus of hostile and broken workbooks, built by code (nothing binary is checked in).

Each builder returns the bytes of one file. :data:`CORPUS` names them with the issue code the
reader must give; the intake tests read them directly, ``tests/web/submissions/test_hostile.py``
sends them through ``cimon import`` and the portal on SQLite and PostgreSQL, and
``bench/intake.py`` times the 300,000-row bomb. Builders that change a real template take its
bytes (:func:`cimon.intake.template.write_template`, or the portal's template).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{extra}</Relationships>'
)
_SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
_SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)
HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + MAIN.encode() + b'">'


def workbook(
    sheet: Callable[[], Iterator[bytes]] | bytes,
    *,
    shared_strings: bytes | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A minimal one-sheet workbook (sheet ``数据``) whose sheet XML is ``sheet`` (bytes, or a
    function yielding chunks, so that a huge sheet is never held whole)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(extra=_SST_TYPE if shared_strings else ""),
        )
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.format(extra=_SST_REL if shared_strings else ""),
        )
        if shared_strings is not None:
            zf.writestr("xl/sharedStrings.xml", shared_strings)
        if isinstance(sheet, bytes):
            zf.writestr("xl/worksheets/sheet1.xml", sheet)
        else:
            with zf.open("xl/worksheets/sheet1.xml", "w") as out:
                for chunk in sheet():
                    out.write(chunk)
    return buf.getvalue()


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def row_bomb(rows: int, cols: int = 15, *, refs: bool = False, dimension: str = "") -> bytes:
    """``rows`` rows of ``cols`` numbers: without ``r=`` attributes and ``<dimension>`` (the
    compact form: 300,000 rows × 15 cells is about 290 KB) or with them."""

    def chunks() -> Iterator[bytes]:
        yield HEAD
        if dimension:
            yield f'<dimension ref="{dimension}"/>'.encode()
        yield b"<sheetData>"
        plain = b"<row>" + b"<c><v>1</v></c>" * cols + b"</row>"
        batch: list[bytes] = []
        for r in range(1, rows + 1):
            if refs:
                cells = "".join(f'<c r="{_col(j)}{r}"><v>{r}</v></c>' for j in range(1, cols + 1))
                batch.append(f'<row r="{r}">{cells}</row>'.encode())
            else:
                batch.append(plain)
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch)
        yield b"</sheetData></worksheet>"

    return workbook(chunks)


def template_bomb(data: bytes, sheet: str, rows: int = 300_000, cols: int = 15) -> bytes:
    """A real template whose sheet ``sheet`` goes on, after its counties, with ``rows`` compact
    rows of ``cols`` numbers (no ``r=``, no ``<dimension>``): the issue's upload, each row an
    unknown county to a reader that trusts the file."""
    plain = b"<row>" + b"<c><v>1</v></c>" * cols + b"</row>"

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml, count=1)
        at = xml.index(b"</sheetData>")
        return xml[:at] + plain * rows + xml[at:]

    return _with_sheet(data, sheet, change)


def ratio_bomb(megabytes: int = 8) -> bytes:
    """A sheet padded with ``megabytes`` MB of spaces: tiny on disk, compression ratio ≈ 1000."""

    def chunks() -> Iterator[bytes]:
        yield HEAD + b"<sheetData>"
        for _ in range(megabytes):
            yield b" " * (1 << 20)
        yield b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'

    return workbook(chunks)


def member_bomb(members: int = 2_000) -> bytes:
    """A valid small workbook carrying ``members`` extra empty parts."""
    buf = io.BytesIO(workbook(HEAD + b"<sheetData/></worksheet>"))
    with zipfile.ZipFile(buf, "a") as zf:
        for i in range(members):
            zf.writestr(f"customXml/item{i}.xml", b"<a/>")
    return buf.getvalue()


def billion_laughs(levels: int = 9) -> bytes:
    """Shared strings whose one string is an entity expanding to 10**levels ``lol``s."""
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    sst = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{"".join(ents)}]>'
        f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol{levels};</t></si></sst>'
    ).encode()
    sheet = (
        HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    return workbook(sheet, shared_strings=sst)


def malformed_xml() -> bytes:
    """A sheet whose XML stops in the middle of a row (what ElementTree used to trip on)."""
    return workbook(HEAD + b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B')


def truncated(data: bytes) -> bytes:
    """The first half of a workbook (an interrupted download)."""
    return data[: len(data) // 2]


def bad_crc(data: bytes) -> bytes:
    """The workbook re-stored uncompressed with one digit of its sheet changed after the CRC
    was computed: every part is well-formed, the checksum is not."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info))
    out = bytearray(buf.getvalue())
    at = out.find(b"<v>") + 3
    out[at] = ord("7") if out[at] != ord("7") else ord("8")
    return bytes(out)


def not_a_zip() -> bytes:
    return b"PK\x03\x04" + bytes(range(256)) * 8


def _with_sheet(data: bytes, sheet: str, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with the XML of sheet ``sheet`` rewritten by ``change``."""
    from cimon.intake.xmlscan import sheet_paths

    src = zipfile.ZipFile(io.BytesIO(data))
    path = next(p for p, name in sheet_paths(src).items() if name == sheet)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info)
            zf.writestr(info.filename, change(body) if info.filename == path else body)
    return buf.getvalue()


def stray_cell(data: bytes, sheet: str, ref: str, value: str = "99") -> bytes:
    """A template with one more value at ``ref`` (``XFD7``, ``A1048576``) far from its table."""
    row = int(re.sub(r"^[A-Z]+", "", ref))
    cell = f'<c r="{ref}"><v>{value}</v></c>'.encode()

    def change(xml: bytes) -> bytes:
        m = re.search(rb'<row r="%d"[^>]*>' % row, xml)
        if m and xml[m.end() - 2 : m.end()] != b"/>":
            end = xml.index(b"</row>", m.end())
            return xml[:end] + cell + xml[end:]
        at = xml.index(b"</sheetData>")
        return xml[:at] + b'<row r="%d">' % row + cell + b"</row>" + xml[at:]

    return _with_sheet(data, sheet, change)


def stale_dimension(data: bytes, sheet: str, ref: str = "A1:C14") -> bytes:
    """A template whose ``<dimension>`` claims less than the sheet holds (rows after 14 and
    columns after C: the values of most counties)."""

    def change(xml: bytes) -> bytes:
        new = f'<dimension ref="{ref}"/>'.encode()
        if b"<dimension" in xml:
            return re.sub(rb"<dimension [^>]*/>", new, xml, count=1)
        return xml.replace(b"<sheetData", new + b"<sheetData", 1)

    return _with_sheet(data, sheet, change)


def csv_bomb(rows: int = 100_000) -> bytes:
    return "县区,年份,变量,值\n".encode() + b"640422,2021,GDP,1\n" * rows


#: name → (builder of the bytes from a filled template's bytes and its data sheet's name,
#: the issue code the reader must give). ``bench/intake.py`` and the tests share it.
CORPUS: dict[str, tuple[Callable[[bytes, str], bytes], str]] = {
    "row_bomb_compact": (lambda t, s: row_bomb(300_000), "file.too_large"),
    "template_bomb": (lambda t, s: template_bomb(t, s), "file.too_large"),
    "row_bomb_refs_dimension": (
        lambda t, s: row_bomb(60_000, 4, refs=True, dimension="A1:D60000"),
        "file.too_large",
    ),
    "ratio_bomb": (lambda t, s: ratio_bomb(8), "file.too_large"),
    "member_bomb": (lambda t, s: member_bomb(), "file.too_large"),
    "billion_laughs": (lambda t, s: billion_laughs(), "file.unreadable"),
    "malformed_xml": (lambda t, s: malformed_xml(), "file.unreadable"),
    "truncated": (lambda t, s: truncated(t), "file.unreadable"),
    "bad_crc": (lambda t, s: bad_crc(t), "file.unreadable"),
    "not_a_zip": (lambda t, s: not_a_zip(), "file.unreadable"),
    "column_xfd": (lambda t, s: stray_cell(t, s, "XFD7"), "cell.stray"),
    "row_1048576": (lambda t, s: stray_cell(t, s, "A1048576"), "cell.stray"),
}
