"""The one table type of every output: a header row and data rows, with what a renderer needs to
lay them out.

The terminal (:func:`cimon.reports.text.format_table`), the workbooks (:mod:`cimon.reports.excel`,
:mod:`cimon.reports.yearly_excel`) and the annual report (:mod:`cimon.reports.annual.document`:
Word, HTML, PDF) all take a :class:`Table`. In the report the cells are final text (numbers
already formatted: renderers add no words and no numbers); for the terminal and the workbooks
they are typed values (a workbook keeps a number a number, with ``formats`` as its number
format).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Table:
    """A table and how to lay it out.

    ``key`` identifies it (Word: the table's alt-text title; HTML: ``data-key``) so tests and
    readers can find it; ``caption`` is its title in the report; ``class_col`` is the column whose
    cells are coloured by class; ``numeric`` the right-aligned columns; ``small`` a smaller font;
    ``formats`` the workbook number format by column (e.g. ``{3: "0.00"}``).

    A table unpacks as ``heads, rows`` (``heads, rows = comparison_table(c)``), as the writers
    that need only those two read it.
    """

    key: str = ""
    caption: str = ""
    heads: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()
    class_col: int | None = None
    numeric: tuple[int, ...] = ()
    small: bool = False
    formats: Mapping[int, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.heads, self.rows))
