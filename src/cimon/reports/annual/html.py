"""The annual report as one self-contained HTML file: inline CSS, charts as PNG data URIs and the
bundled fonts embedded as data URIs cut down to the characters the page uses
(:func:`cimon.reports.annual.fonts.font_face_css`). It opens offline on any machine, shows no empty
boxes, and is the source of the PDF (:mod:`.pdf`): the print rules (A4 pages, page numbers, a table
of contents with page numbers, a page per county) apply there.
"""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

from cimon.errors import CimonError
from cimon.reports.annual.document import Document, Figure, Heading, PageBreak, Para, Table
from cimon.reports.annual.fonts import WORD_FONTS, css_family, font_face_css

CSS = """
:root { --a: #c6efce; --b: #ffeb9c; --c: #e7e6e6; }
html { font-family: @body; color: #111; line-height: 1.75; font-size: 15px; }
body { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 4rem; }
/* each part in the bundled font that stands in for the Word version's 公文 font of that part
   (cimon.reports.annual.fonts.stand_in): 小标宋 title, 黑体 chapters and captions, 楷体 sections
   and subtitle, 仿宋 body and counties, 宋体 tables */
.cover .title { font-family: @title; font-weight: bold; }
h1, caption, figcaption { font-family: @heading1; }
h2, .cover .subtitle, .cover .issuer, .cover .issued { font-family: @heading2; }
h3 { font-family: @heading3; }
th, td { font-family: @table; }
h1 { font-size: 1.5rem; margin: 2.2rem 0 0.8rem; font-weight: normal; border-bottom: 2px solid #333; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 0.6rem; font-weight: normal; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 0.5rem; font-weight: normal; border-left: 4px solid #888;
  padding-left: 0.5rem; }
p { margin: 0.4rem 0; text-align: justify; }
/* a heading, column head or name never breaks inside (“县（市、/区）”) */
.nw { white-space: nowrap; }
html[lang="zh-CN"] p { text-indent: 2em; }
p.lead { font-weight: normal; background: #f5f5f5; padding: 0.3rem 0.6rem; text-indent: 0; }
p.note { font-size: 0.85rem; color: #444; }
.cover { text-align: center; padding: 6rem 0 4rem; }
.cover .title { font-size: 2rem; margin-bottom: 0.6rem; }
.cover .subtitle { font-size: 1.3rem; }
.cover .notice { color: #c00000; margin: 1.5rem 0; }
.cover .issuer { margin-top: 6rem; font-size: 1.2rem; }
.cover .dateline { font-size: 0.9rem; color: #444; }
.cover .docno { font-size: 1.05rem; margin-bottom: 2.5rem; }
.cover .issued { font-size: 1.1rem; margin: 0.3rem 0 0.8rem; }
nav.toc ol { list-style: none; padding-left: 0; }
nav.toc li.l2 { padding-left: 2em; font-size: 0.95rem; }
nav.toc a { color: #111; text-decoration: none; }
table { border-collapse: collapse; margin: 0.4rem auto 1rem; font-size: 0.85rem; }
table.small { font-size: 0.78rem; }
caption { font-size: 0.9rem; padding: 0.3rem; }
th, td { border: 1px solid #888; padding: 0.15rem 0.4rem; }
th { background: #ddebf7; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.cls-A { background: var(--a); text-align: center; }
td.cls-B { background: var(--b); text-align: center; }
td.cls-C { background: var(--c); text-align: center; }
figure { margin: 0.8rem 0; text-align: center; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; }
.page-break { height: 0; }
@media print {
  body { max-width: none; padding: 0; }
  html { font-size: 10.5pt; }
  .page-break { break-before: page; }
  .cover, nav.toc { break-after: page; }
  h1, h2, h3, caption, figcaption { break-after: avoid; }
  h2.city, h3.county { break-before: page; }
  /* a chapter heading stays on the page of its first section (no page with a heading alone) */
  h1 + h2.city, h2.city + h3.county { break-before: avoid; }
  figure, tr, p.lead, table.keep { break-inside: avoid; }
  nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
}
@page { size: A4; margin: 25mm 22mm 24mm 24mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: @body; font-size: 10pt; } }
@page :first { @bottom-center { content: none; } }
"""


#: tables of at most this many rows are kept on one page
KEEP_ROWS = 8


def _css() -> str:
    """:data:`CSS` with each ``@role`` replaced by the font family of that role."""
    out = CSS
    for role in sorted(WORD_FONTS, key=len, reverse=True):  # heading1 before heading…
        out = out.replace(f"@{role}", css_family(role))
    return out


def _text(s: str, lang: str) -> str:
    """Escaped text of a paragraph or cell. In Chinese every space (around a number or a Latin
    word: “在 10000 次模拟中”) becomes a four-per-em space (U+2005): it allows a line break like a
    space, but the PDF engine, which justifies a line by stretching its spaces only, leaves it
    alone — justified Chinese lines were pulled apart (“在   10000   次模拟中”), and Chinese lines
    fill the measure character by character anyway."""
    text = escape(s)
    return text.replace(" ", "\u2005") if lang != "en" else text


def _head(h: str, lang: str, text_lang: str) -> str:
    """A Chinese column head that breaks only between its parts: the name and its parenthesised
    unit (“金额 / （万元）”), never inside a word (“县（市、/区）”). English heads break at spaces."""
    if lang == "en":
        return _text(h, text_lang)
    if len(h) <= 7:
        return f'<span class="nw">{_text(h, text_lang)}</span>'
    parts = [p for p in re.split(r"(（[^）]*）)", h) if p]
    return "<wbr>".join(f'<span class="nw">{_text(p, text_lang)}</span>' for p in parts)


def render_html(doc: Document, for_pdf: bool = False) -> str:
    """The report as an HTML string (see the module docstring); ``for_pdf``: the source of the PDF,
    whose Chinese text keeps its spaces fixed (:func:`_text`)."""
    lang = "en" if doc.lang == "en" else "zh-CN"
    # the PDF engine stretches spaces to justify; a browser spreads Chinese lines evenly itself
    text_lang = doc.lang if for_pdf else "en"
    parts = [
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title + doc.subtitle)}</title>\n"
        f"<style>\n{font_face_css(doc.text())}\n{_css()}</style>\n</head>\n<body>\n",
        '<section class="cover">',
        f'<div class="docno">{escape(doc.doc_number)}</div>' if doc.doc_number else "",
        f'<div class="title">{escape(doc.title)}</div>',
        f'<div class="subtitle">{escape(doc.subtitle)}</div>',
    ]
    if doc.notice:
        parts.append(f'<div class="notice">{escape(doc.notice)}</div>')
    parts += [
        f'<div class="issuer">{escape(doc.issuer)}</div>',
        f'<div class="issued">{escape(doc.issue_date)}</div>' if doc.issue_date else "",
        f'<div class="dateline">{escape(doc.dateline)}</div>',
        "</section>",
        f'<nav class="toc"><h2 class="toc-title">{escape(doc.toc_title)}</h2><ol>',
    ]
    for h in doc.headings():
        if h.level <= 2:
            parts.append(f'<li class="l{h.level}"><a href="#{h.anchor}">{escape(h.text)}</a></li>')
    parts.append("</ol></nav>\n<main>")
    for b in doc.blocks:
        if isinstance(b, Heading):
            cls = (
                "city"
                if b.anchor.startswith("counties-")
                else "county"
                if b.anchor.startswith("county-")
                else ""
            )
            attr = f' class="{cls}"' if cls else ""
            parts.append(f'<h{b.level} id="{b.anchor}"{attr}>{escape(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            attr = f' class="{b.style}"' if b.style != "body" else ""
            parts.append(f"<p{attr}>{_text(b.text, text_lang)}</p>")
        elif isinstance(b, Table):
            parts.append(_table(b, doc.lang, text_lang))
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            parts.append(
                f'<figure data-key="{b.key}"><img src="data:image/png;base64,{data}" '
                f'alt="{escape(b.caption)}" style="width:{b.width_cm:g}cm">'
                f"<figcaption>{escape(b.caption)}</figcaption></figure>"
            )
        elif isinstance(b, PageBreak):
            parts.append('<div class="page-break"></div>')
    parts.append("</main>\n</body>\n</html>\n")
    return "\n".join(parts)


def _table(t: Table, lang: str = "zh", text_lang: str = "en") -> str:
    # a short table (the 类别转移矩阵) is never split over two pages
    kinds = [k for k, on in (("small", t.small), ("keep", len(t.rows) <= KEEP_ROWS)) if on]
    cls = f' class="{" ".join(kinds)}"' if kinds else ""
    out = [f'<table data-key="{t.key}"{cls}><caption>{escape(t.caption)}</caption><thead><tr>']
    out += [f"<th>{_head(h, lang, text_lang)}</th>" for h in t.heads]
    out.append("</tr></thead><tbody>")
    for row in t.rows:
        cells = []
        for j, v in enumerate(row):
            if j == t.class_col and v:
                cells.append(f'<td class="cls-{escape(v)}">{escape(v)}</td>')
            elif j in t.numeric:
                cells.append(f'<td class="num">{escape(v)}</td>')
            else:
                cells.append(f"<td>{_text(v, text_lang)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def write_html(doc: Document, path: str | Path, text: str | None = None) -> Path:
    """Write the HTML report (``text``: an already rendered :func:`render_html` string)."""
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text if text is not None else render_html(doc), encoding="utf-8")
    except OSError as exc:
        raise CimonError(
            f"无法写入 HTML 文件：{exc.strerror or exc}。请检查文件夹权限，或换一个保存路径。",
            f"Cannot write the HTML file: {exc.strerror or exc}. Check the folder's permissions or "
            "choose another path.",
            str(out),
        ) from None
    return out
