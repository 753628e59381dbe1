"""Aligned text tables for the terminal (a Chinese character takes two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any


def display_width(text: str) -> int:
    """Terminal columns: wide (W/F) East Asian characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], indent: str = "") -> str:
    """Left-aligned text columns, numbers right-aligned, two spaces between columns."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [display_width(h) for h in headers]
    for row in cells:
        for j, c in enumerate(row):
            widths[j] = max(widths[j], display_width(c))
    numeric = [
        all(_is_number(row[j]) for row in rows if row[j] is not None and row[j] != "")
        and any(row[j] not in (None, "") for row in rows)
        for j in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for j, v in enumerate(values):
            pad = " " * (widths[j] - display_width(v))
            parts.append(pad + v if numeric[j] else v + pad)
        return (indent + "  ".join(parts)).rstrip()

    out = [line(list(headers)), indent + "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    return "\n".join(out)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)
