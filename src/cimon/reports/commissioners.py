"""Exports of the 科技特派员 annual assessment (issue #17 item 3), pure (no database): the full
assessment and the 优秀 list as Excel, and the 优秀 list as a Word document in 公文 style.

Input: the table :func:`cimon.analysis.commissioners.assess` returns (``commissioner_id``,
``name``, ``county_code``, ``score``, ``grade``, ``reasons_zh`` …), optionally with ``unit``
(派出单位) and ``field`` (服务领域) columns, which the lists print when present. Counties are
printed by name when ``county_names`` (code → name) is given. Every workbook cell goes through
:func:`cimon.safe.put` (a name such as ``=cmd|…`` stays text); Word text goes into runs, never
fields. The 公文 layout is the one of :mod:`cimon.store.programmes.review_list` (A4, GB/T 9704
margins, title 方正小标宋简体 二号, body 仿宋_GB2312 三号, table 宋体).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import pandas as pd
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cimon.reports.gongwen import gongwen_document, gongwen_run
from cimon.safe import put, save

__all__ = ["assessment_xlsx", "excellent_docx", "excellent_rows", "publicity_sentence"]

BOLD = Font(bold=True)


def _county(code: Any, names: Mapping[str, str] | None) -> str:
    code = "" if code is None or code != code else str(code)
    return names.get(code, code) if names else code


def _score(v: Any) -> str:
    return "" if v is None or v != v else f"{float(v):.2f}"


def excellent_rows(
    assessed: pd.DataFrame, county_names: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """The 优秀 commissioners, by county (in the order of ``county_names``, else by code), then
    by score (highest first) and name; one dict per person with the printed texts."""
    top = assessed[assessed["grade"] == "优秀"].copy()
    order = {c: k for k, c in enumerate(county_names or {})}
    top["_c"] = top["county_code"].astype(str)
    top["_o"] = top["_c"].map(order).fillna(len(order))
    top = top.sort_values(
        ["_o", "_c", "score", "name"], ascending=[True, True, False, True], kind="stable"
    )
    rows = []
    for r in top.to_dict("records"):
        rows.append(
            {
                "county": _county(r["county_code"], county_names),
                "name": str(r["name"]),
                "unit": str(r.get("unit") or ""),
                "field": str(r.get("field") or ""),
                "score": _score(r.get("score")),
            }
        )
    return rows


def publicity_sentence(year: int, n: int, days: int = 5, body: str = "省科技厅") -> str:
    """The 公示 sentence of the 优秀 list."""
    return (
        f"根据科技特派员年度考核办法，经服务记录核验、服务对象评价、派出单位评价、县级初评和"
        f"{body}审核，{year}年度科技特派员考核确定为优秀等次的共 {n} 人，现予以公示。"
        f"公示期为 {days} 个工作日，公示期间如有异议，请以书面形式向{body}反映，"
        f"并写明真实姓名和联系方式。"
    )


def assessment_xlsx(
    assessed: pd.DataFrame,
    year: int,
    county_names: Mapping[str, str] | None = None,
    label: str = "",
    rules_note: str = "",
) -> bytes:
    """The assessment as .xlsx bytes: sheet 考核结果 (everyone: grade, score, reasons in
    Chinese and English), sheet 优秀名单 (by county), sheet 说明 (the rule set, ``label`` such
    as 模拟数据)."""
    wb: Any = Workbook()
    ws = wb.active
    ws.title = "考核结果"
    head = ["序号", "编号", "姓名", "县（市、区）", "得分", "等次", "按得分等次", "是否因名额调整",
            "依据", "Reasons"]  # fmt: skip
    for j, h in enumerate(head, 1):
        put(ws, 1, j, h).font = BOLD
    for i, r in enumerate(assessed.to_dict("records"), 2):
        score = r.get("score")
        values = [
            i - 1, str(r["commissioner_id"]), str(r["name"]), _county(r["county_code"], county_names),
            None if score is None or score != score else float(score), r["grade"],
            r.get("grade_by_score", ""), "是" if r.get("quota_cut") else "",
            r.get("reasons_zh", ""), r.get("reasons_en", ""),
        ]  # fmt: skip
        for j, v in enumerate(values, 1):
            put(ws, i, j, v)
    for col, width in zip("ABCDEFGHIJ", (6, 12, 10, 14, 8, 8, 10, 10, 80, 80), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    top = wb.create_sheet("优秀名单")
    rows = excellent_rows(assessed, county_names)
    cols = [("序号", None), ("县（市、区）", "county"), ("姓名", "name"), ("派出单位", "unit"),
            ("服务领域", "field"), ("得分", "score")]  # fmt: skip
    cols = [c for c in cols if c[1] not in ("unit", "field") or c[1] in assessed.columns]
    for j, (h, _) in enumerate(cols, 1):
        put(top, 1, j, h).font = BOLD
    for i, item in enumerate(rows, 2):
        for j, (_, key) in enumerate(cols, 1):
            put(top, i, j, i - 1 if key is None else item[key])
    note = wb.create_sheet("说明")
    lines = [
        label,
        f"{year}年度科技特派员考核结果",
        f"考核人数 {len(assessed)}，优秀 {len(rows)} 人。",
        rules_note,
    ]
    for i, text in enumerate([x for x in lines if x], 1):
        put(note, i, 1, text).alignment = Alignment(wrap_text=True)
    note.column_dimensions["A"].width = 100
    buf = io.BytesIO()
    save(wb, buf)
    return buf.getvalue()


_run = gongwen_run


def excellent_docx(
    assessed: pd.DataFrame,
    year: int,
    county_names: Mapping[str, str] | None = None,
    label: str = "",
    days: int = 5,
    body: str = "省科技厅",
) -> bytes:
    """The 优秀 list as .docx bytes in 公文 style: title, the 公示 sentence, a table by county
    (序号、县（市、区）、姓名、派出单位、服务领域 when known、得分). ``label`` (e.g. 模拟数据) is
    printed above the title."""
    rows = excellent_rows(assessed, county_names)
    d: Any = gongwen_document(f"{year}年度科技特派员考核优秀等次人员名单（公示）", label)
    para = d.add_paragraph()
    para.paragraph_format.first_line_indent = Pt(32)
    _run(para, publicity_sentence(year, len(rows), days, body), "body", 16)
    cols = [("序号", None), ("县（市、区）", "county"), ("姓名", "name"), ("派出单位", "unit"),
            ("服务领域", "field"), ("得分", "score")]  # fmt: skip
    cols = [c for c in cols if c[1] not in ("unit", "field") or c[1] in assessed.columns]
    table = d.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for cell, (h, _) in zip(table.rows[0].cells, cols, strict=True):
        _run(cell.paragraphs[0], h, "table", 10.5, bold=True)
    for i, r in enumerate(rows, 1):
        cells = table.add_row().cells
        for cell, (_, key) in zip(cells, cols, strict=True):
            _run(cell.paragraphs[0], str(i) if key is None else r[key], "table", 10.5)
    if not rows:
        _run(d.add_paragraph(), "本年度无优秀等次人员。", "body", 16)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
