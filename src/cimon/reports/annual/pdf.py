"""The annual report as PDF: WeasyPrint renders the HTML report (:mod:`.html`) — pip only, no
browser, no LibreOffice, no network — with the bundled fonts declared by ``@font-face`` in the page
and read through one shared ``FontConfiguration``. Fonts are embedded (subset) in the PDF.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cimon.errors import CimonError
from cimon.reports.annual.document import Document
from cimon.reports.annual.fonts import weasy_font_config
from cimon.reports.annual.html import render_html


def write_pdf(doc: Document, path: str | Path, html: str | None = None) -> Path:
    """Write the PDF report (``html``: an already rendered ``render_html(doc, for_pdf=True)``
    string)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing on the system
        raise CimonError(
            f"无法加载 PDF 组件 WeasyPrint（{exc}）。请运行 pip install weasyprint；系统需要 Pango 1.44 或更高版本。"
            "也可先生成 docx/html 格式。",
            f"Cannot load the PDF engine WeasyPrint ({exc}). Run pip install weasyprint; the system "
            "needs Pango 1.44 or later. Or write docx/html only.",
            "weasyprint",
        ) from None
    out = Path(path)
    text = html if html is not None else render_html(doc, for_pdf=True)
    # WeasyPrint logs every CSS property it ignores (e.g. the screen-only ones) as a warning
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        HTML(string=text, base_url=str(out.parent)).write_pdf(
            str(out), font_config=weasy_font_config()
        )
    except OSError as exc:
        raise CimonError(
            f"无法写入 PDF 文件：{exc.strerror or exc}。如果该文件已在阅读器中打开，请先关闭；或换一个保存路径。",
            f"Cannot write the PDF file: {exc.strerror or exc}. Close it if it is open in a reader, or "
            "choose another path.",
            str(out),
        ) from None
    return out
