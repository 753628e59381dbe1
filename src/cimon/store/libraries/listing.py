"""The libraries as tables (issue #18): the rows ``cimon needs|achievements|contracts list``
print and write to Excel, and one record's details for ``show``. The Excel writer goes through
:mod:`cimon.safe` (no formula from a cell's text)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from cimon.store.libraries.models import (
    ACHIEVEMENT_STATUSES,
    NEED_STATUSES,
    STAGES,
    Achievement,
    Contract,
    Need,
)

__all__ = [
    "ACHIEVEMENT_HEADERS",
    "CONTRACT_HEADERS",
    "NEED_HEADERS",
    "achievement_detail",
    "achievement_rows",
    "contract_rows",
    "need_detail",
    "need_rows",
    "xlsx_bytes",
]

NEED_HEADERS = (
    "编号",
    "状态",
    "区划代码",
    "产业链",
    "行业代码",
    "预算(万元)",
    "截止日期",
    "问题描述",
    "版本",
    "标注",
)
ACHIEVEMENT_HEADERS = (
    "编号",
    "状态",
    "成果名称",
    "学科代码",
    "技术成熟度",
    "转化方式",
    "完成单位",
    "区划代码",
    "版本",
    "标注",
)
CONTRACT_HEADERS = (
    "合同登记编号",
    "合同名称",
    "卖方",
    "买方",
    "成交金额(元)",
    "登记日期",
    "区划代码",
    "对接",
    "标注",
)


def _s(v: Any) -> Any:
    return "" if v is None else v


def need_rows(region_codes: Sequence[str] | None = None, status: str = "") -> list[tuple[Any, ...]]:
    qs = Need.objects.prefetch_related("versions").order_by("id")
    if region_codes is not None:
        qs = qs.filter(region_code__in=list(region_codes))
    if status:
        qs = qs.filter(status=status)
    out = []
    for n in qs:
        v = max(n.versions.all(), key=lambda x: x.number)
        out.append((n.pk, NEED_STATUSES[n.status][0], n.region_code, v.chain, v.industry,
                    _s(v.budget and float(v.budget)), _s(v.deadline and v.deadline.isoformat()),
                    v.problem, v.number, n.label))  # fmt: skip
    return out


def achievement_rows(status: str = "") -> list[tuple[Any, ...]]:
    qs = Achievement.objects.prefetch_related("versions").order_by("id")
    if status:
        qs = qs.filter(status=status)
    out = []
    for a in qs:
        v = max(a.versions.all(), key=lambda x: x.number)
        out.append((a.pk, ACHIEVEMENT_STATUSES[a.status][0], v.title, v.discipline, _s(v.trl),
                    v.mode, v.holder, v.region_code, v.number, a.label))  # fmt: skip
    return out


def contract_rows(
    region_codes: Sequence[str] | None = None, year: int | None = None
) -> list[tuple[Any, ...]]:
    qs = Contract.objects.order_by("signed_on", "number")
    if region_codes is not None:
        qs = qs.filter(region_code__in=list(region_codes))
    if year is not None:
        qs = qs.filter(signed_on__year=year)
    return [(c.number, c.name, c.seller, c.buyer, int(c.amount), c.signed_on.isoformat(),
             c.region_code, _s(c.match_id), c.label) for c in qs]  # fmt: skip


def need_detail(need: Need) -> list[str]:
    """A need's details: its versions, its matches with their stage, explanation and latest
    feedback (lines, Chinese)."""
    out = [
        f"需求 #{need.pk}（{NEED_STATUSES[need.status][0]}）区划 {need.region_code} {need.label}".rstrip()
    ]
    for v in need.versions.order_by("number"):
        out.append(
            f"  版本 {v.number}（{v.recorded_at:%Y-%m-%d} {v.recorded_by}）：{v.chain} {v.problem}"
        )
    for m in need.matches.select_related("achievement_version").order_by("rank"):
        fb = m.feedback.order_by("-at", "-id").first()
        verdict = f"；反馈：{fb.get_verdict_display()} {fb.reason}".rstrip() if fb else ""
        out.append(f"  {m.rank:>2}. 成果 #{m.achievement_id} {m.achievement_version.title} "
                   f"{m.score:.3f} [{STAGES[m.stage][0]}]{verdict}")  # fmt: skip
        out.append(f"      {m.explanation_zh}")
    return out


def achievement_detail(item: Achievement) -> list[str]:
    out = [f"成果 #{item.pk}（{ACHIEVEMENT_STATUSES[item.status][0]}）{item.label}".rstrip()]
    for v in item.versions.order_by("number"):
        out.append(f"  版本 {v.number}：{v.title}；学科 {v.discipline or '—'}；TRL {v.trl or '—'}；"
                   f"{v.mode or '—'}；{v.holder}")  # fmt: skip
        if v.abstract:
            out.append(f"      {v.abstract}")
    for m in item.matches.order_by("need_id"):
        out.append(f"  对接需求 #{m.need_id}：第 {m.rank} 名 {m.score:.3f} [{STAGES[m.stage][0]}]")
    return out


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """One sheet with the header and the rows, every cell written as a value."""
    from openpyxl import Workbook

    from cimon.safe import append as safe_append
    from cimon.safe import save as safe_save

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    safe_append(ws, headers)
    for r in rows:
        safe_append(ws, r)
    buf = io.BytesIO()
    safe_save(wb, buf)
    return buf.getvalue()
