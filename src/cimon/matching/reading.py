"""Reading needs and achievements from an Excel workbook (.xlsx) or a CSV file, bounded and
all-or-nothing.

Columns are recognised by header (after :func:`cimon.intake.workbook.norm_text`) against
:data:`NEED_FIELDS` / :data:`ACHIEVEMENT_FIELDS`; the header row is the first of the first 20
rows that holds the text column (问题描述 / 成果名称). The file is never trusted: the bounded
checks of :mod:`cimon.intake.limits` run before openpyxl parses it, with :data:`MATCH_LIMITS`.
Any error names its sheet and cell (:class:`cimon.intake.report.ValidationReport`) and no record
is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cimon.intake.bounded import table_sheets
from cimon.intake.limits import MB, Limits
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import cell_ref, is_blank, norm_text, raw_text
from cimon.matching.records import TRANSFER_MODES, Achievement, Need
from cimon.model.cells import parse_cell

__all__ = [
    "ACHIEVEMENT_FIELDS",
    "MATCH_LIMITS",
    "NEED_FIELDS",
    "Read",
    "read_achievements",
    "read_needs",
]

NEED_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "需求编号", "id"),
    "problem": ("问题描述", "需求描述", "技术需求", "需求内容", "problem"),
    "chain": ("产业链", "所属产业", "产业", "chain"),
    "industry": ("行业代码", "国民经济行业分类", "行业分类", "industry"),
    "budget": ("预算", "预算(万元)", "拟投入资金(万元)", "budget"),
    "county": ("区划代码", "所在县区代码", "county"),
}
ACHIEVEMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "成果编号", "id"),
    "title": ("成果名称", "名称", "title"),
    "abstract": ("成果简介", "摘要", "简介", "abstract"),
    "discipline": ("学科代码", "学科分类", "discipline"),
    "trl": ("技术成熟度", "成熟度", "trl"),
    "mode": ("转化方式", "交易方式", "mode"),
    "owner": ("完成单位", "持有单位", "owner"),
    "region": ("区划代码", "所在地区代码", "region"),
}
#: a province's catalogue: up to 200,000 rows of up to 64 columns
MATCH_LIMITS = Limits(
    rows=200_000, columns=64, cells=3_200_000, member_bytes=128 * MB, total_bytes=256 * MB
)
HEADER_SCAN = 20


@dataclass
class Read:
    """One file read: the records (empty unless ``ok``) and the report."""

    report: ValidationReport
    records: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok


def read_needs(data: bytes, filename: str = "", limits: Limits = MATCH_LIMITS) -> Read:
    """Needs from file bytes; the problem column is required, an id defaults to ``N<row>``."""
    return _read(data, filename, limits, NEED_FIELDS, "problem", _need)


def read_achievements(data: bytes, filename: str = "", limits: Limits = MATCH_LIMITS) -> Read:
    """Achievements from file bytes; the title column is required, an id defaults to ``A<row>``."""
    return _read(data, filename, limits, ACHIEVEMENT_FIELDS, "title", _achievement)


Builder = Callable[[dict[str, Any], int, Callable[[str, str, str, str, str], None]], Any]


def _read(
    data: bytes,
    filename: str,
    limits: Limits,
    fields: dict[str, tuple[str, ...]],
    key: str,
    build: Builder,
) -> Read:
    report = ValidationReport(source=filename)
    out = Read(report)
    if not data.strip():
        report.add("file.empty", "文件是空的。", "The file is empty.")
        return out
    sheets = _sheets(data, filename, limits, report)
    if sheets is None:
        return out
    synonyms = {norm_text(s): f for f, ss in fields.items() for s in ss}
    for title, rows in sheets:
        for h, row in enumerate(rows[:HEADER_SCAN]):
            cols: dict[str, int] = {}
            for c, v in enumerate(row):
                f = synonyms.get(norm_text(v)) if not is_blank(v) else None
                if f is not None and f not in cols:
                    cols[f] = c
            if key in cols:
                out.records = _records(rows, h, cols, title, key, build, report)
                if not report.ok:
                    out.records = []
                return out
    names = "、".join(fields[key][:3])
    report.add(
        "column.missing",
        f"找不到必需的列（{names}）：文件前 {HEADER_SCAN} 行中没有可识别的表头。",
        f"The required column ({', '.join(fields[key][:3])}) is not in the first {HEADER_SCAN} rows.",
        "请确认表头行包含该列后重新读取。",
        "Make sure the header row has that column and read the file again.",
    )
    return out


def _records(
    rows: Sequence[Sequence[Any]],
    head: int,
    cols: dict[str, int],
    sheet: str,
    key: str,
    build: Builder,
    report: ValidationReport,
) -> list[Any]:
    out: list[Any] = []
    seen: set[str] = set()
    for r0 in range(head + 1, len(rows)):
        row = rows[r0]
        if all(is_blank(v) for v in row):
            continue
        values = {
            f: (None if c >= len(row) or is_blank(row[c]) else row[c]) for f, c in cols.items()
        }

        def bad(
            f: str, code: str, zh: str, en: str, fix: str, r0: int = r0, values: Any = values
        ) -> None:
            # ``fix`` is "中文 / English"
            fix_zh, _, fix_en = fix.partition(" / ")
            report.add(code, zh, en, fix_zh, fix_en, sheet=sheet, cell=cell_ref(r0, cols[f]),
                       value=raw_text(values.get(f)))  # fmt: skip

        if values.get(key) is None:
            bad(key, "name.missing", f"第 {r0 + 1} 行缺少必填内容。", f"Row {r0 + 1} lacks its text.",
                "请填写或删除该行 / fill it in or delete the row")  # fmt: skip
            continue
        rec = build(values, r0 + 1, bad)
        if rec is None:
            continue
        if rec.id in seen:
            bad("id" if "id" in cols else key, "row.duplicate", f"编号 {rec.id} 重复。",
                f"Id {rec.id} appears twice.", "请使用不重复的编号 / use unique ids")  # fmt: skip
        seen.add(rec.id)
        out.append(rec)
    return out


def _value(values: dict[str, Any], f: str, bad: Callable[..., None]) -> float | None:
    """A number as every other input reads it (:func:`cimon.model.cells.parse_cell`: ``1.2万``,
    full-width digits, ``3,000``); blank or ``无`` is ``None``."""
    raw = values.get(f)
    if raw is None:
        return None
    cell = parse_cell(raw)
    if not cell.ok:
        bad(f, "value.not_number", cell.error_zh, cell.error_en,
            f"{cell.fix_zh} / {cell.fix_en}".strip(" /") or "请填写数值 / enter a number")  # fmt: skip
        return None
    return None if cell.status == "missing" else cell.value


def _text(values: dict[str, Any], f: str) -> str:
    raw = values.get(f)
    return "" if raw is None else raw_text(raw).strip()


def _need(values: dict[str, Any], row: int, bad: Callable[..., None]) -> Need | None:
    return Need(
        id=_text(values, "id") or f"N{row}",
        problem=_text(values, "problem"),
        chain=_text(values, "chain"),
        industry=_text(values, "industry"),
        budget=_value(values, "budget", bad),
        county=_text(values, "county"),
    )


def _achievement(values: dict[str, Any], row: int, bad: Callable[..., None]) -> Achievement | None:
    trl = _value(values, "trl", bad)
    if trl is not None and not (trl.is_integer() and 1 <= trl <= 9):
        bad("trl", "value.out_of_range", f"技术成熟度应为 1–9 的整数（实际 {trl:g}）。",
            f"TRL must be a whole number 1–9 (got {trl:g}).", "请填写 1–9 / enter 1–9")  # fmt: skip
        trl = None
    mode = _text(values, "mode")
    if mode and mode not in TRANSFER_MODES:
        bad("mode", "value.out_of_range", f"转化方式应为{'、'.join(TRANSFER_MODES)}之一。",
            f"The transfer mode must be one of {', '.join(TRANSFER_MODES)}.",
            "请改为规定的方式 / use one of the listed modes")  # fmt: skip
        mode = ""
    return Achievement(
        id=_text(values, "id") or f"A{row}",
        title=_text(values, "title"),
        abstract=_text(values, "abstract"),
        discipline=_text(values, "discipline"),
        trl=int(trl) if trl is not None else None,
        mode=mode,
        owner=_text(values, "owner"),
        region=_text(values, "region"),
    )


def _sheets(
    data: bytes, filename: str, limits: Limits, report: ValidationReport
) -> list[tuple[str, list[tuple[Any, ...]]]] | None:
    """Every sheet's rows, read within ``limits``; None with the issue in ``report``."""
    return table_sheets(data, filename, limits, report)
