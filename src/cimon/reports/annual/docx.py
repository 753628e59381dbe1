"""The annual report as a Word document (.docx), laid out like a Chinese government report.

* A4, margins 37/35/28/26 mm (GB/T 9704); a title page without a page number; a table of contents
  (a TOC field that Word fills when the document opens — ``w:updateFields``); page numbers
  “— 1 —” centred in the footer.
* Fonts by name (:data:`cimon.reports.annual.fonts.WORD_FONTS`): title 方正小标宋简体 二号, chapter
  headings 黑体 三号, section headings 楷体_GB2312 三号, county headings and body 仿宋_GB2312 三号
  (English: Times New Roman), tables 宋体 五号/小五. python-docx has no API for Chinese fonts: every
  style gets ``w:eastAsia`` set explicitly and the theme font attributes of the template are
  stripped (otherwise Word shows the theme's 等线/Calibri). The font table names, for each font,
  the substitutes Word uses where it is not installed (``w:altName``: 仿宋_GB2312 → 仿宋 …).
* Body paragraphs use exact 28 pt line spacing and a two-character first-line indent; picture
  paragraphs use single spacing (exact spacing would crop the charts).
* Tables repeat their header row on each page; the class column is shaded by class; each table's
  alt-text title (``w:tblCaption``) is its key (``ranking``, ``incentives`` …).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from cimon.errors import CimonError
from cimon.reports.annual.document import Document, Figure, Heading, PageBreak, Para, Table
from cimon.reports.annual.fonts import WORD_FONTS, WORD_LATIN

#: class fills, as in the Excel export
CLASS_FILLS = {"A": "C6EFCE", "B": "FFEB9C", "C": "E7E6E6"}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
SIZES = {
    "title": 22,
    "h1": 16,
    "h2": 16,
    "h3": 16,
    "body": 16,
    "note": 12,
    "table": 10.5,
    "small": 9,
}
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6
SIZES_EN = {**SIZES, "title": 20, "h1": 15, "h2": 13, "h3": 12, "body": 11.5, "note": 10}


def write_docx(doc: Document, path: str | Path) -> Path:
    """Write ``doc`` to ``path`` (folder created); a clear error when the file cannot be written."""
    d = new_document()
    en = doc.lang == "en"
    sizes = SIZES_EN if en else SIZES
    _page(d)
    _styles(d, sizes, en)
    _title_page(d, doc, sizes)
    _toc(d, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _para(d, block.text, f"Heading {block.level}")
        elif isinstance(block, Para):
            style = {"note": "CimonNote", "lead": "CimonLead"}.get(block.style, "Normal")
            _para(d, block.text, style)
        elif isinstance(block, Table):
            _table(d, block, doc.labels)
        elif isinstance(block, Figure):
            p = _para(d, "", "CimonPicture")
            p.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
            _para(d, block.caption, "CimonFigureCaption")
        elif isinstance(block, PageBreak):
            d.add_page_break()
    _footer(d)
    _font_table(d)
    _update_fields(d)
    d.core_properties.title = f"{doc.title}{doc.subtitle}"
    d.core_properties.author = doc.issuer
    d.core_properties.comments = doc.notice or doc.dateline
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        d.save(str(out))
    except OSError as exc:
        raise CimonError(
            f"无法写入 Word 文件：{exc.strerror or exc}。如果该文件已在 Word 中打开，请先关闭；或换一个保存路径。",
            f"Cannot write the Word file: {exc.strerror or exc}. Close it if it is open in Word, or choose another path.",
            str(out),
        ) from None
    return out


def _para(d: Any, text: str = "", style: str = "Normal") -> Any:
    """``d.add_paragraph`` with the style set by id: python-docx's lookup by name scans every
    style on each call and would dominate the time of a 40-page report."""
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().style = _style_id(d, style)
    return p


def _style_id(d: Any, name: str) -> str:
    ids: dict[str, str] = d.__dict__.setdefault("_cimon_style_ids", {})
    if name not in ids:
        ids[name] = d.styles[name].style_id
    return ids[name]


def _page(d: Any) -> None:
    s = d.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Cm(21.0), Cm(29.7)
    s.top_margin, s.bottom_margin = Cm(3.7), Cm(3.5)
    s.left_margin, s.right_margin = Cm(2.8), Cm(2.6)
    s.different_first_page_header_footer = True  # the title page has no page number


def set_fonts(element: Any, role: str, en: bool = False) -> None:
    """Give a style's or run's ``w:rPr`` explicit fonts for ``role``: Chinese (``w:eastAsia``) from
    :data:`WORD_FONTS`, Latin Times New Roman; theme font attributes removed."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    east = WORD_FONTS[role][0]
    latin = WORD_LATIN if en or role in ("body", "heading3", "table") else east
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _strip_theme_fonts(d: Any) -> None:
    root = d.styles.element
    for fonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)


def _style(d: Any, name: str, base: str = "Normal") -> Any:
    styles = d.styles
    try:
        return styles[name]
    except KeyError:
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles[base]
        return st


def _para_style(
    st: Any, role: str, size: float, en: bool, *, bold: bool = False, exact: float | None = None,
    indent: bool = False, align: Any = None, before: float = 0, after: float = 0,
) -> None:  # fmt: skip
    set_fonts(st.element, role, en)
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = RGBColor(0, 0, 0)
    pf = st.paragraph_format
    if exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(exact)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = Pt(size * 2) if indent else Pt(0)  # not inherited from Normal
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if align is not None:
        pf.alignment = align


def _styles(d: Any, sizes: dict[str, float], en: bool) -> None:
    _strip_theme_fonts(d)
    defaults = d.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            fonts.set(qn("w:eastAsia"), WORD_FONTS["body"][0])
    exact = None if en else 28.0
    _para_style(
        d.styles["Normal"],
        "body",
        sizes["body"],
        en,
        exact=exact,
        indent=not en,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        after=6 if en else 0,
    )
    _para_style(
        d.styles["Heading 1"], "heading1", sizes["h1"], en, exact=exact, before=12, after=6, bold=en
    )
    _para_style(
        d.styles["Heading 2"], "heading2", sizes["h2"], en, exact=exact, before=6, after=3, bold=en
    )
    _para_style(
        d.styles["Heading 3"],
        "heading3",
        sizes["h3"],
        en,
        exact=exact,
        before=6,
        after=3,
        bold=True,
    )
    for level in (1, 2, 3):
        d.styles[f"Heading {level}"].paragraph_format.keep_with_next = True
    _para_style(
        _style(d, "CimonLead"),
        "body",
        sizes["body"],
        en,
        exact=exact,
        indent=not en,
        bold=False,
        after=6 if en else 0,
    )
    _para_style(
        _style(d, "CimonNote"),
        "body",
        sizes["note"],
        en,
        exact=None if en else 22.0,
        indent=not en,
        after=3,
    )
    _para_style(
        _style(d, "CimonTitle"),
        "title",
        sizes["title"],
        en,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )
    _para_style(
        _style(d, "CimonSubtitle"),
        "heading2",
        sizes["h2"],
        en,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
    )
    _para_style(
        _style(d, "CimonCaption"),
        "heading1",
        sizes["table"],
        en,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=3,
        after=6,
        bold=en,
    )
    _para_style(
        _style(d, "CimonPicture"),
        "body",
        sizes["body"],
        en,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=6,
    )
    _para_style(
        _style(d, "CimonTable"), "table", sizes["table"], en, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _para_style(
        _style(d, "CimonTableSmall"), "table", sizes["small"], en, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    # a figure's caption stays with its picture; a table's caption with its table (not both
    # chained: a chart, its caption and the next table would not fit on one page)
    _para_style(
        _style(d, "CimonFigureCaption"),
        "heading1",
        sizes["table"],
        en,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
        bold=en,
    )
    d.styles["CimonCaption"].paragraph_format.keep_with_next = True
    d.styles["CimonPicture"].paragraph_format.keep_with_next = True


def _title_page(d: Any, doc: Document, sizes: dict[str, float]) -> None:
    for _ in range(4 if not doc.doc_number else 2):
        _para(d, "", "CimonPicture")
    if doc.doc_number:
        _para(d, doc.doc_number, "CimonSubtitle")
        _para(d, "", "CimonPicture")
    _para(d, doc.title, "CimonTitle")
    _para(d, doc.subtitle, "CimonSubtitle")
    if doc.notice:
        p = _para(d, "", "CimonSubtitle")
        run = p.add_run(doc.notice)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        run.font.size = Pt(sizes["note"])
    for _ in range(8):
        _para(d, "", "CimonPicture")
    _para(d, doc.issuer, "CimonSubtitle")
    if doc.issue_date:
        _para(d, doc.issue_date, "CimonSubtitle")
    p = _para(d, doc.dateline, "CimonSubtitle")
    for run in p.runs:
        run.font.size = Pt(sizes["note"])
    d.add_page_break()


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    if placeholder:
        paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _toc(d: Any, doc: Document) -> None:
    _para(d, doc.toc_title, "CimonTitle")
    p = _para(d, "", "CimonNote")
    hint = (
        "(Word fills in the table of contents when the document opens; if not, right-click here and choose Update Field.)"
        if doc.lang == "en"
        else "（打开文档时 Word 会自动生成目录；如未生成，请右键单击此处并选择“更新域”。）"
    )
    _field(p, 'TOC \\o "1-2" \\h \\z \\u', hint)
    d.add_page_break()


def _footer(d: Any) -> None:
    footer = d.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    _field(p, "PAGE", "1")
    p.add_run(" —")
    for run in p.runs:
        run.font.size = Pt(14)
        set_fonts(run._r, "body")


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _table(d: Any, t: Table, labels: tuple[str, ...]) -> None:
    _para(d, t.caption, "CimonCaption")
    style = "CimonTableSmall" if t.small else "CimonTable"
    table = d.add_table(rows=1 + len(t.rows), cols=len(t.heads))
    table.style = d.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = table._tbl.tblPr
    cap = OxmlElement("w:tblCaption")
    cap.set(qn("w:val"), t.key)
    tblpr.append(cap)
    table.autofit = False
    widths = _column_widths(t, TEXT_WIDTH_CM)
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Cm(w)
    grid = [list(r.cells) for r in table.rows]
    for cells in grid:
        for cell, w in zip(cells, widths, strict=True):
            cell.width = Cm(w)
    for j, head in enumerate(t.heads):
        cell = grid[0][j]
        cell.text = ""
        para = cell.paragraphs[0]
        para._p.get_or_add_pPr().style = _style_id(d, style)
        para.add_run(head).font.bold = True
        _shade(cell, "DDEBF7")
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    for i, row in enumerate(t.rows, start=1):
        for j, value in enumerate(row):
            cell = grid[i][j]
            para = cell.paragraphs[0]
            para._p.get_or_add_pPr().style = _style_id(d, style)
            para.add_run(value)
            if j in t.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif len(value) > 12:
                para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            if j == t.class_col and value in CLASS_FILLS:
                _shade(cell, CLASS_FILLS[value])
    _para(d, "", "CimonPicture").paragraph_format.space_before = Pt(0)


def _display(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column_widths(t: Table, total: float) -> list[float]:
    """Column widths (cm) in proportion to the widest cell (long headings count half: they wrap),
    at least 1 cm each, adding up to ``total``."""

    def head(h: str) -> float:
        n = _display(h)
        return min(n, 6) + max(n - 6, 0) / 2  # short headings on one line, long ones wrap

    want = [max([head(h), *(_display(r[j]) for r in t.rows)]) + 1.5 for j, h in enumerate(t.heads)]
    scale = total / sum(want)
    widths = [max(1.0, w * scale) for w in want]
    k = total / sum(widths)
    return [w * k for w in widths]


def _font_table(d: Any) -> None:
    """Declare every font the document names, with its substitutes (``w:altName``) and the GB2312
    character set, so Word picks a near font where the named one is not installed."""
    part = next(p for p in d.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    have = {f.get(f"{{{w}}}name") for f in root.findall(f"{{{w}}}font")}
    for name, subs in WORD_FONTS.values():
        if name in have:
            continue
        have.add(name)
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        alt = etree.SubElement(font, f"{{{w}}}altName")
        alt.set(f"{{{w}}}val", subs[0])
        charset = etree.SubElement(font, f"{{{w}}}charset")
        charset.set(f"{{{w}}}val", "86")
        family = etree.SubElement(font, f"{{{w}}}family")
        family.set(f"{{{w}}}val", "modern" if "黑" in name else "roman")
        pitch = etree.SubElement(font, f"{{{w}}}pitch")
        pitch.set(f"{{{w}}}val", "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


#: elements that follow ``w:updateFields`` in ``w:settings`` (the schema fixes the order; Word
#: refuses a settings part with elements out of order)
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip


def _update_fields(d: Any) -> None:
    """Ask Word to update the fields (the table of contents) when it opens the document."""
    settings = d.settings.element
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    after = {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}
    nxt = next((child for child in settings if child.tag in after), None)
    if nxt is None:
        settings.append(el)
    else:
        nxt.addprevious(el)
