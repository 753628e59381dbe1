"""The report as a sequence of blocks (headings, paragraphs, tables, figures) that every renderer
lays out the same way: Word (:mod:`.docx`), HTML (:mod:`.html`) and, through the HTML, PDF
(:mod:`.pdf`). Text is final (numbers already formatted); renderers add no words and no numbers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from cimon.errors import CimonError
from cimon.reports.table import Table as Table  # the one table type of every output

#: the longest document number (发文字号) accepted, e.g. “宁科创领办发〔2026〕12号” is 13
DOC_NUMBER_MAX = 40


@dataclass(frozen=True)
class Heading:
    level: int  # 1 chapter, 2 section, 3 county
    text: str
    anchor: str


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "body"  # body | note | lead


@dataclass(frozen=True)
class Figure:
    key: str
    caption: str
    png: bytes
    width_cm: float = 15.0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Para | Table | Figure | PageBreak


@dataclass
class Document:
    """Title page fields, the language and the blocks in order."""

    lang: str
    title: str
    subtitle: str
    issuer: str
    dateline: str
    notice: str  # the synthetic-data notice, or ""
    toc_title: str
    blocks: list[Block] = field(default_factory=list)
    labels: tuple[str, ...] = ()
    doc_number: str = ""  # 发文字号, e.g. 宁科发〔2026〕12号 ("" none)
    issue_date: str = ""  # the issue date as printed, e.g. 2026年12月7日 ("" none)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """Every word of the document (for the font subset of the HTML)."""
        parts = [self.title, self.subtitle, self.issuer, self.dateline, self.notice, self.toc_title]
        parts += [self.doc_number, self.issue_date]
        for b in self.blocks:
            if isinstance(b, Heading | Para):
                parts.append(b.text)
            elif isinstance(b, Table):
                parts += [b.caption, *b.heads, *(c for r in b.rows for c in r)]
            elif isinstance(b, Figure):
                parts.append(b.caption)
        return "\n".join(parts)


def check_doc_number(text: str | None) -> str:
    """A document number (发文字号) as given by a user, trimmed; ``""`` for none.

    Raises
    ------
    CimonError
        when it is longer than :data:`DOC_NUMBER_MAX` characters or holds a control character
        (a line break, a tab): say what to type instead.
    """
    value = (text or "").strip()
    if len(value) > DOC_NUMBER_MAX or any(unicodedata.category(ch)[0] == "C" for ch in value):
        raise CimonError(
            f"文号“{value[:DOC_NUMBER_MAX]}…”无效：最多 {DOC_NUMBER_MAX} 个字符，不能含换行或制表符。"
            "请按“宁科发〔2026〕12号”的格式填写一行。",
            f"The document number is invalid: at most {DOC_NUMBER_MAX} characters on one line "
            "(no line breaks or tabs), e.g. 宁科发〔2026〕12号.",
            "doc_number",
        )
    return value


def issue_date_text(day: date | None, lang: str) -> str:
    """The issue date as the cover prints it: ``2026年12月7日`` (``7 December 2026`` in English)."""
    if day is None:
        return ""
    if lang == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def stamp(doc: Document, issue_date: date | None, doc_number: str | None) -> Document:
    """Put the issue date and the document number (checked by :func:`check_doc_number`) on the
    document's cover; both are optional."""
    doc.doc_number = check_doc_number(doc_number)
    doc.issue_date = issue_date_text(issue_date, doc.lang)
    return doc
