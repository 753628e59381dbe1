"""Render a :class:`~cimon.tables.spec.TableSpec` over items (awards, county results …) to the
terminal, a workbook sheet, the dashboard and the API. The annual report's ``Table`` block is
:func:`cimon.reports.annual.spec_table.to_report`.

Every function takes the spec (or a selection of it, :meth:`TableSpec.pick`), the items and the
language; ``place`` turns a county or city name into the name shown in ``lang`` (the outputs
hold the registry for it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cimon.safe import put
from cimon.tables.spec import Namer, TableSpec, same_name
from cimon.tables.text import format_table

Rows = list[list[Any]]


# --- terminal -------------------------------------------------------------------------------------


def text_table(
    spec: TableSpec, items: Iterable[Any], lang: str = "zh", place: Namer = same_name
) -> tuple[list[str], Rows]:
    """Headers and terminal cells (numbers stay numbers so they are right-aligned)."""
    cols = spec.columns
    return spec.heads(lang, "text"), [[c.text(it, lang, place) for c in cols] for it in items]


def to_text(
    spec: TableSpec,
    items: Iterable[Any],
    lang: str = "zh",
    place: Namer = same_name,
    indent: str = "",
) -> str:
    """The table as aligned terminal text (:func:`cimon.tables.text.format_table`)."""
    heads, rows = text_table(spec, items, lang, place)
    return format_table(heads, rows, indent)


# --- workbook -------------------------------------------------------------------------------------


def xlsx_table(
    spec: TableSpec, items: Iterable[Any], lang: str = "zh", place: Namer = same_name
) -> tuple[list[str], Rows, dict[int, str]]:
    """Headers, typed cells and the number format of each numeric column (by 0-based index),
    as :func:`cimon.reports.excel` lays them out on a sheet."""
    cols = spec.columns
    rows = [[c.cell(it, lang, place) for c in cols] for it in items]
    formats = {j: c.number_format for j, c in enumerate(cols) if c.number_format}
    return spec.heads(lang, "xlsx"), rows, {j: f for j, f in formats.items() if f}


def to_sheet(
    ws: Any,
    spec: TableSpec,
    items: Iterable[Any],
    lang: str = "zh",
    place: Namer = same_name,
    row: int = 1,
) -> int:
    """Write the headers on ``row`` of the openpyxl sheet ``ws`` and one row per item below,
    every cell through :func:`cimon.safe.put` (text never becomes a formula), numbers typed with
    their number format. Returns the last row written."""
    heads, rows, formats = xlsx_table(spec, items, lang, place)
    for j, head in enumerate(heads, start=1):
        put(ws, row, j, head)
    for i, values in enumerate(rows, start=row + 1):
        for j, value in enumerate(values):
            cell = put(ws, i, j + 1, value)
            if j in formats and value is not None:
                cell.number_format = formats[j]
    return row + len(rows)


# --- dashboard ------------------------------------------------------------------------------------


def dashboard_table(
    spec: TableSpec,
    items: Sequence[Any],
    lang: str = "zh",
    place: Namer = same_name,
    decimals: int = 2,
) -> dict[str, Any]:
    """What a dashboard template loops over: ``heads`` (text, key, numeric) and ``rows``, one
    per item, each ``{"item": item, "cells": [{"key", "text", "num", "cls"}]}`` with final text
    (money as :func:`~cimon.analysis.money.yuan`, scores with ``decimals`` places; ``cls`` is the
    class of a class cell)."""
    cols = spec.columns
    return {
        "key": spec.key,
        "heads": [
            {"text": c.header(lang, "dashboard"), "key": c.key, "num": c.numeric} for c in cols
        ],
        "rows": [
            {
                "item": it,
                "cells": [
                    {
                        "key": c.key,
                        "text": c.shown(it, lang, place, money="yuan", decimals=decimals),
                        "num": c.numeric,
                        "cls": c.raw(it) if c.kind == "class" else None,
                    }
                    for c in cols
                ],
            }
            for it in items
        ],
    }


# --- API ------------------------------------------------------------------------------------------


def record_keys(spec: TableSpec) -> list[str]:
    """The keys of a :func:`records` record, in order (for the API's schema)."""
    keys: list[str] = []
    for c in spec.columns:
        if c.kind == "words":
            keys += [f"{c.key}_zh", f"{c.key}_en"]
        elif c.kind == "place":
            keys += [c.key, f"{c.key}_en"]
        else:
            keys.append(c.key)
    return keys


def records(
    spec: TableSpec, items: Iterable[Any], place: Namer = same_name
) -> list[dict[str, Any]]:
    """One JSON record per item: every column's key → its raw typed value (places with their
    English name as ``key_en``; text in both languages as ``key_zh``/``key_en``)."""
    out = []
    for it in items:
        rec: dict[str, Any] = {}
        for c in spec.columns:
            rec.update(c.record(it, place))
        out.append(rec)
    return out
