"""A batch's review list (评审结果名单) as a Word document in 公文 style: A4, the margins of
GB/T 9704 (as :mod:`cimon.reports.annual.docx`), the title in 方正小标宋简体 二号, the body in
仿宋_GB2312 三号, the table in 宋体. User text goes into runs, never fields."""

from __future__ import annotations

import io
from typing import Any

from cimon.reports.gongwen import gongwen_document, gongwen_run
from cimon.store.programmes.models import STATUSES, Batch
from cimon.store.programmes.services import mean_score

COLUMNS = ("序号", "申报单位", "所属县（市、区）", "建设主题", "专家评分", "遴选结论", "状态")


def review_rows(batch: Batch, province: str = "") -> list[tuple[str, ...]]:
    """One row per application of the batch past eligibility, by mean expert score (highest
    first; unscored last); ``province`` given: only that province's counties (an instance
    hosting several)."""
    apps = [a for a in batch.applications.all() if a.status not in ("draft", "submitted")]
    apps = [a for a in apps if a.county.startswith(province)]
    scored = [(mean_score(a), a) for a in apps]
    scored.sort(key=lambda p: (p[0] is None, -(p[0] or 0), p[1].county, p[1].unit))
    rows: list[tuple[str, ...]] = []
    for i, (m, a) in enumerate(scored, 1):
        plan = a.plan()
        rows.append(
            (
                str(i), a.applicant, a.county, plan.theme if plan else "",
                "" if m is None else f"{m:.1f}",
                "符合条件" if a.eligibility.get("eligible") else str(a.eligibility.get("reason_zh", "")),
                STATUSES.get(a.status, (a.status,))[0],
            )
        )  # fmt: skip
    return rows


_run = gongwen_run


def review_list_docx(batch: Batch, label: str = "", province: str = "") -> bytes:
    """The review list of ``batch`` as .docx bytes; ``label`` (e.g. 模拟数据) is printed above
    the title when given."""
    d: Any = gongwen_document(f"{batch.year}年{batch.programme.name_zh}评审结果名单", label)
    body = d.add_paragraph()
    _run(
        body,
        f"根据申报、遴选和专家评审，{batch.programme.name_zh}{batch.year}年度申报单位评审结果如下"
        f"（申报期 {batch.opens_on} 至 {batch.closes_on}）。",
        "body",
        16,
    )
    rows = review_rows(batch, province)
    table = d.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        _run(cell.paragraphs[0], text, "table", 10.5, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _run(cell.paragraphs[0], text, "table", 10.5)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
