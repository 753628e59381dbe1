"""The report as a sequence of blocks (headings, paragraphs, tables, figures) that every renderer
lays out the same way: Word (:mod:`.docx`), HTML (:mod:`.html`) and, through the HTML, PDF
(:mod:`.pdf`). Text is final (numbers already formatted); renderers add no words and no numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
class Table:
    """A table with a caption. ``key`` identifies it (Word: the table's alt-text title; HTML:
    ``data-key``) so tests and readers can find it; ``class_col`` is the column whose cells are
    coloured by class."""

    key: str
    caption: str
    heads: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    class_col: int | None = None
    numeric: tuple[int, ...] = ()  # right-aligned columns
    small: bool = False


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

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """Every word of the document (for the font subset of the HTML)."""
        parts = [self.title, self.subtitle, self.issuer, self.dateline, self.notice, self.toc_title]
        for b in self.blocks:
            if isinstance(b, Heading | Para):
                parts.append(b.text)
            elif isinstance(b, Table):
                parts += [b.caption, *b.heads, *(c for r in b.rows for c in r)]
            elif isinstance(b, Figure):
                parts.append(b.caption)
        return "\n".join(parts)
