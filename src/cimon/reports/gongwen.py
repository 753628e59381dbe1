"""The 公文 page and text runs shared by cimon's short Word documents (a batch's review list,
an acceptance opinion, the 成果 catalogue, the 优秀 list of commissioners).

GB/T 9704-2012 《党政机关公文格式》: A4, top margin 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
the title in 小标宋 二号 (22 pt), the body in 仿宋 三号 (16 pt). The fonts per role are the
annual report's (:func:`cimon.reports.annual.docx.set_fonts`).
"""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cimon.reports.annual.docx import set_fonts


def gongwen_run(paragraph: Any, text: str, role: str, size: float, bold: bool = False) -> None:
    """Add ``text`` to ``paragraph`` in ``size`` points with the fonts of ``role`` (``title``,
    ``heading1``, ``body`` …)."""
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    set_fonts(run._element, role)


def gongwen_document(title: str, label: str = "") -> Any:
    """A new A4 document with the 公文 margins, ``label`` (e.g. 模拟数据) above the title when
    given, and ``title`` centred in 22 pt."""
    d: Any = Document()
    s = d.sections[0]
    s.page_width, s.page_height = Cm(21.0), Cm(29.7)
    s.top_margin, s.bottom_margin = Cm(3.7), Cm(3.5)
    s.left_margin, s.right_margin = Cm(2.8), Cm(2.6)
    if label:
        gongwen_run(d.add_paragraph(), label, "heading1", 16)
    heading = d.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gongwen_run(heading, title, "title", 22)
    return d
