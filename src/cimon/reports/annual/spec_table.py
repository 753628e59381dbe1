"""Render a :class:`~cimon.tables.spec.TableSpec` to the annual report's ``Table`` block
(:mod:`cimon.reports.annual.document`), which Word, HTML and PDF lay out alike. It lives with
the report (not in :mod:`cimon.tables`) so that the tables never import the reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cimon.reports.annual.document import Table
from cimon.tables.spec import Namer, TableSpec, same_name


def report_rows(
    spec: TableSpec, items: Iterable[Any], lang: str = "zh", place: Namer = same_name
) -> tuple[tuple[str, ...], ...]:
    """Final text cells (money in 万元, missing values ``—``)."""
    return tuple(tuple(c.shown(it, lang, place) for c in spec.columns) for it in items)


def to_report(
    spec: TableSpec,
    items: Iterable[Any],
    lang: str = "zh",
    place: Namer = same_name,
    caption: str | None = None,
    extra: Sequence[tuple[str, ...]] = (),
    small: bool = False,
    key: str | None = None,
) -> Table:
    """The report's ``Table``: headers of the spec, one row per item, then the ``extra`` rows
    (a total line); numeric columns right-aligned, the class column coloured. ``caption`` and
    ``key`` default to the spec's (a chapter adds its table number; the report keeps its own
    table keys, e.g. ``incentives`` for the awards)."""
    return Table(
        key or spec.key,
        caption if caption is not None else spec.caption(lang),
        tuple(spec.heads(lang, "report")),
        report_rows(spec, items, lang, place) + tuple(extra),
        class_col=spec.class_col(),
        numeric=spec.numeric(),
        small=small,
    )
