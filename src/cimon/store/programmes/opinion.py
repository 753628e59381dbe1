"""The acceptance opinion (验收意见) of one acceptance as a Word document in 公文 style: A4 with
the margins of GB/T 9704, the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号, the
completion table in 宋体 (as :mod:`cimon.store.programmes.review_list`). It names the plan, the
completion of every target (computed from stored data or reported, with the rule that decided
it), the expert and site review and the decision with its reasons. User text goes into runs."""

from __future__ import annotations

import io
from typing import Any

from cimon.reports.gongwen import gongwen_document
from cimon.reports.gongwen import gongwen_run as _run
from cimon.store.programmes.acceptance import current_reviews, mean_points
from cimon.store.programmes.models import ACCEPTANCE_STATUSES, RESULTS, SITE_RESULTS, Acceptance

COLUMNS = ("序号", "目标", "期限", "数据来源", "最新值", "完成情况", "判定规则")


def completion_rows(acc: Acceptance) -> list[tuple[str, ...]]:
    """One row per target of the completion frozen with the acceptance."""
    rows: list[tuple[str, ...]] = []
    for i, c in enumerate(acc.completion, 1):
        latest = "" if c.get("latest") is None else f"{c['latest']:g}"
        if latest and c.get("latest_year"):
            latest += f"（{c['latest_year']}年）"
        source = c.get("source_zh") or (
            "填报" if c.get("source") == "reported" else c.get("source", "")
        )
        rows.append(
            (
                str(i), f"{c.get('code', '')} {c.get('name', '')}".strip(),
                str(c.get("deadline", "")), f"{'计算' if c.get('computed') else '填报'}：{source}"
                if c.get("computed") else "填报", latest, str(c.get("label_zh", "")),
                str(c.get("rule_zh", "")),
            )
        )  # fmt: skip
    return rows


def _para(d: Any, text: str, role: str = "body", size: float = 16, bold: bool = False) -> Any:
    p = d.add_paragraph()
    _run(p, text, role, size, bold)
    return p


def opinion_docx(acc: Acceptance, label: str = "") -> bytes:
    """The acceptance opinion of ``acc`` as .docx bytes; ``label`` (模拟数据) above the title."""
    app = acc.application
    plan = app.plan()
    prog = app.batch.programme
    d: Any = gongwen_document(f"{app.applicant}{prog.name_zh}建设验收意见", label)
    plan_text = (
        f"建设方案第 {plan.version} 版，主题“{plan.theme}”，基期 {plan.base_year} 年，"
        f"预算 {plan.budget_yuan} 元，目标 {len(plan.targets)} 项"
        if plan
        else "建设方案缺失"
    )
    _para(
        d,
        f"根据{prog.name_zh}（{app.batch.year}年批次）的有关规定，对{app.applicant}"
        f"（{app.county}）的建设情况进行了验收。{plan_text}。",
    )
    _para(d, "一、自评总结", "heading1")
    _para(d, acc.summary)
    for f in acc.files.all():
        _para(d, f"附件：{f.file_name}（SHA-256 {f.sha256}）", "body", 12)
    _para(d, "二、目标完成情况", "heading1")
    _para(d, "由已存数据计算的目标注明“计算”及其数据来源，其余为单位填报。", "body", 12)
    table = d.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        _run(cell.paragraphs[0], text, "table", 10.5, bold=True)
    for row in completion_rows(acc):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            _run(cell.paragraphs[0], text, "table", 10.5)
    _para(d, "三、专家评审与现场考察", "heading1")
    mean = mean_points(acc)
    experts = current_reviews(acc, "expert")
    _para(
        d,
        f"专家 {len(experts)} 人评分，平均 {mean:.1f} 分。"
        if mean is not None
        else "尚无专家评分。",
    )
    for r in experts:
        if r.opinion:
            _para(d, f"{r.reviewer_name}：{r.opinion}", "body", 14)
    for r in current_reviews(acc, "site"):
        _para(d, f"现场考察：{SITE_RESULTS.get(r.result, (r.result,))[0]}。{r.opinion}")
    _para(d, "四、验收结论", "heading1")
    if acc.result:
        _para(d, f"{RESULTS[acc.result][0]}。理由：{acc.reasons}", bold=True)
        if acc.opinion:
            _para(d, acc.opinion)
    else:
        _para(d, "尚未作出验收结论。")
    status = ACCEPTANCE_STATUSES.get(acc.status, (acc.status,))[0]
    notice = f"，公示期 {acc.notice_start} 至 {acc.notice_end}" if acc.notice_start else ""
    _para(d, f"状态：{status}{notice}。", "body", 14)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
