"""The published catalogue of 先进适用技术成果 (issue #18) as Word (公文 style, as the programmes'
review list: A4, GB/T 9704 margins, 方正小标宋简体 title, 仿宋_GB2312 body, 宋体 table) and as
Excel (every cell through :func:`cimon.safe.put`: no formula from user text). Neither carries a
contact: title, abstract, field, TRL, transfer mode, submitting unit and county only."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from cimon.reports.gongwen import gongwen_document, gongwen_run
from cimon.safe import append, save
from cimon.store.libraries.collection import CatalogueRow

COLUMNS = (
    "序号",
    "成果名称",
    "成果简介",
    "学科代码",
    "TRL",
    "转化方式",
    "报送单位",
    "所在县（市、区）",
    "征集批次",
)
COLUMNS_EN = (
    "No.",
    "Title",
    "Abstract",
    "Discipline",
    "TRL",
    "Transfer mode",
    "Unit",
    "County",
    "Collection",
)


def catalogue_table(
    rows: Sequence[CatalogueRow], names: Mapping[str, str] | None = None
) -> list[tuple[Any, ...]]:
    """One tuple per catalogue row, in :data:`COLUMNS` order (county codes named by ``names``)."""
    names = names or {}
    return [
        (i, r.title, r.abstract, r.discipline, r.trl, r.mode, r.unit,
         names.get(r.region_code, r.region_code), f"{r.year} {r.collection}")
        for i, r in enumerate(rows, 1)
    ]  # fmt: skip


_run = gongwen_run


def catalogue_docx(
    rows: Sequence[CatalogueRow], names: Mapping[str, str] | None = None, label: str = ""
) -> bytes:
    """The catalogue as .docx bytes; ``label`` (e.g. 模拟数据) is printed above the title."""
    d: Any = gongwen_document("先进适用技术成果目录", label)
    years = sorted({r.year for r in rows})
    span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else (f"{years[0]}年" if years else "")
    _run(
        d.add_paragraph(),
        f"经单位报送、专家评审和公示，现将{span}征集入选的先进适用技术成果（共 {len(rows)} 项）"
        "发布如下。",
        "body",
        16,
    )
    table = d.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        _run(cell.paragraphs[0], text, "table", 10.5, bold=True)
    for row in catalogue_table(rows, names):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _run(cell.paragraphs[0], "" if value is None else str(value), "table", 10.5)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def catalogue_xlsx(
    rows: Sequence[CatalogueRow], names: Mapping[str, str] | None = None, label: str = ""
) -> bytes:
    """The catalogue as .xlsx bytes: a header row in Chinese and English, then one row each."""
    from openpyxl import Workbook

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "成果目录"
    if label:
        append(ws, [label])
    append(ws, COLUMNS)
    append(ws, COLUMNS_EN)
    for row in catalogue_table(rows, names):
        append(ws, row)
    buf = io.BytesIO()
    save(wb, buf)
    return buf.getvalue()
