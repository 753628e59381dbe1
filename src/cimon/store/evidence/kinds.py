"""The kinds of 创新管理 evidence item a county submits, each with its fields, declared once.

A kind names the rubric variable it supports (nx-2021: ``mgmt_org``, ``mgmt_policy``,
``mgmt_projects``) and its fields; :func:`clean` checks a submitted dict against the declaration
(required fields, types, plausible ranges, dates within reach of the data year) and returns the
cleaned values or the problems, in Chinese and English. The web form and the store both use it,
so a rule is written in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

TEXT, INT, FLOAT, DATE, CHOICE = "text", "int", "float", "date", "choice"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    zh: str
    en: str
    required: bool = True
    lo: float | None = None
    hi: float | None = None
    choices: tuple[tuple[str, str, str], ...] = ()  # (value, zh, en)
    #: a date must fall in the data year (``year``) or, with ``before_end``, on or before its
    #: last day (an appointment made years ago still counts)
    in_year: bool = False
    before_end: bool = False
    max_length: int = 2000


@dataclass(frozen=True)
class Kind:
    code: str
    variable: str
    zh: str
    en: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "meeting",
            "mgmt_org",
            "科技创新领导小组会议",
            "S&T leadership meeting",
            (
                Field("date", DATE, "会议日期", "Date", in_year=True),
                Field("chair", TEXT, "主持人", "Chair", max_length=100),
                Field("chair_title", TEXT, "主持人职务", "Chair's position", max_length=100),
                Field("minutes", TEXT, "会议纪要（议题与决定）", "Minutes (topics and decisions)"),
            ),
        ),
        Kind(
            "leader",
            "mgmt_org",
            "乡镇、园区科技负责人",
            "Named S&T leader of a town or park",
            (
                Field(
                    "unit_type",
                    CHOICE,
                    "单位类型",
                    "Unit",
                    choices=(("town", "乡镇", "Town"), ("park", "园区", "Park")),
                ),
                Field("unit_name", TEXT, "乡镇或园区名称", "Town or park", max_length=100),
                Field("leader", TEXT, "负责人姓名", "Leader", max_length=100),
                Field("title", TEXT, "职务", "Position", max_length=100),
                Field("appointed_on", DATE, "任命日期", "Appointed on", before_end=True),
            ),
        ),
        Kind(
            "bureau",
            "mgmt_org",
            "科技管理机构人员与经费",
            "S&T bureau staff and budget",
            (
                Field("name", TEXT, "机构名称", "Bureau", max_length=100),
                Field("staff", INT, "专职人员（人）", "Dedicated staff", lo=0, hi=200),
                Field(
                    "budget",
                    FLOAT,
                    "年度工作经费（万元）",
                    "Annual budget (10k yuan)",
                    lo=0,
                    hi=100_000,
                ),
            ),
        ),
        Kind(
            "policy",
            "mgmt_policy",
            "科技规划与政策文件",
            "S&T plan or policy issued",
            (
                Field(
                    "doc_type",
                    CHOICE,
                    "类别",
                    "Type",
                    choices=(("plan", "规划或工作要点", "Plan"), ("policy", "政策措施", "Policy")),
                ),
                Field("title", TEXT, "文件名称", "Title", max_length=200),
                Field("doc_number", TEXT, "文号", "Document number", max_length=100),
                Field("issued_on", DATE, "印发日期", "Issued on", in_year=True),
                Field(
                    "summary",
                    TEXT,
                    "主要内容与落实情况",
                    "Content and implementation",
                    required=False,
                ),
            ),
        ),
        Kind(
            "library",
            "mgmt_projects",
            "需求库与项目库建设",
            "Needs and project libraries",
            (
                Field(
                    "library",
                    CHOICE,
                    "库别",
                    "Library",
                    choices=(
                        ("needs", "技术需求库", "Needs"),
                        ("projects", "科技项目库", "Projects"),
                    ),
                ),
                Field("entries", INT, "入库数量（项）", "Entries", lo=0, hi=10_000),
                Field("updated_on", DATE, "最近更新日期", "Last updated", in_year=True),
                Field("note", TEXT, "管理情况", "How it is kept", required=False),
            ),
        ),
        Kind(
            "fund",
            "mgmt_projects",
            "激励资金使用",
            "Use of incentive funds",
            (
                Field("purpose", TEXT, "用途", "Purpose", max_length=200),
                Field("recipient", TEXT, "拨付对象", "Recipient", max_length=200),
                Field("amount", FLOAT, "金额（万元）", "Amount (10k yuan)", lo=0, hi=100_000),
                Field("paid_on", DATE, "拨付日期", "Paid on", in_year=True),
            ),
        ),
    )
}


def kind_of(code: str) -> Kind:
    """The kind ``code``; KeyError for an unknown one."""
    return KINDS[code]


def clean(
    kind: Kind, data: dict[str, Any], year: int
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The values of ``data`` as the kind declares them, and the problems (``(zh, en)`` each).

    Text is stripped; numbers parsed and kept within ``lo``–``hi``; dates read as ISO
    (``2025-03-18``) and kept within the data year (``in_year``) or not after its end
    (``before_end``; never before 1990). Fields the kind does not declare are dropped.
    """
    out: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for f in kind.fields:
        raw = data.get(f.name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if f.required:
                problems.append((f"请填写“{f.zh}”。", f"{f.en} is required."))
            out[f.name] = None if f.type != TEXT else ""
            continue
        if f.type == TEXT:
            if len(text) > f.max_length:
                problems.append(
                    (
                        f"“{f.zh}”过长（最多 {f.max_length} 字）。",
                        f"{f.en} is too long (max {f.max_length}).",
                    )
                )
            out[f.name] = text[: f.max_length]
        elif f.type in (INT, FLOAT):
            try:
                num: float = int(text) if f.type == INT else float(text)
            except ValueError:
                problems.append((f"“{f.zh}”应为数字。", f"{f.en} must be a number."))
                continue
            if num != num or (f.lo is not None and num < f.lo) or (f.hi is not None and num > f.hi):
                problems.append(
                    (
                        f"“{f.zh}”应在 {f.lo:g}–{f.hi:g} 之间。",
                        f"{f.en} must be between {f.lo:g} and {f.hi:g}.",
                    )
                )
            out[f.name] = num
        elif f.type == DATE:
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                problems.append(
                    (
                        f"“{f.zh}”应为日期（如 {year}-03-18）。",
                        f"{f.en} must be a date ({year}-03-18).",
                    )
                )
                continue
            if f.in_year and day.year != year:
                problems.append((f"“{f.zh}”应在 {year} 年内。", f"{f.en} must fall in {year}."))
            elif f.before_end and not (dt.date(1990, 1, 1) <= day <= dt.date(year, 12, 31)):
                problems.append(
                    (
                        f"“{f.zh}”应不晚于 {year}-12-31。",
                        f"{f.en} must be on or before {year}-12-31.",
                    )
                )
            out[f.name] = day.isoformat()
        else:
            allowed = [c[0] for c in f.choices]
            if text not in allowed:
                problems.append((f"“{f.zh}”的选项无效。", f"{f.en}: not a valid choice."))
            out[f.name] = text
    return out, problems


def summary(kind: Kind, values: dict[str, Any], lang: str = "zh") -> str:
    """One line naming the item (for queues and lists)."""
    parts = []
    for f in kind.fields[:3]:
        v = values.get(f.name)
        if v in (None, ""):
            continue
        if f.type == CHOICE:
            v = next((c[1] if lang == "zh" else c[2] for c in f.choices if c[0] == v), v)
        parts.append(str(v)[:40])
    return " · ".join(parts)
