"""Reading existing lists of needs, achievements and technology contracts (issue #18) from an
Excel workbook (.xlsx) or a CSV file: bounded, all-or-nothing, every error by cell.

Pure (no Django): the store's import (:mod:`cimon.store.libraries.imports`) takes the rows this
returns and writes them in one transaction. The file is never trusted: the bounded reader
(:func:`cimon.intake.bounded.table_sheets`) checks size, rows and cells before anything is
parsed. The header row is the first of the first 20 rows of the first sheet that holds the
required text column; columns are recognised by header (:func:`cimon.intake.workbook.norm_text`).

Contracts: the amount column must say its unit in the header — ``金额(元)`` or ``金额(万元)``; an
amount in 万元 is converted exactly (decimal arithmetic) and must come to whole 元. Duplicates
(the same 登记编号 twice, or a need / achievement twice) are refused with both cells named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cimon.intake.bounded import table_sheets
from cimon.intake.limits import MB, Limits
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import cell_ref, is_blank, norm_text, raw_text
from cimon.matching.records import TRANSFER_MODES

__all__ = ["KINDS", "LIST_LIMITS", "ListRead", "ListRow", "read_list"]

#: the kinds of list, with their Chinese and English names
KINDS: dict[str, tuple[str, str]] = {
    "need": ("需求", "needs"),
    "achievement": ("成果", "achievements"),
    "contract": ("技术合同", "technology contracts"),
}
#: an import is a county's or a province's list: up to 20,000 rows of up to 64 columns
LIST_LIMITS = Limits(
    rows=20_000, columns=64, cells=640_000, member_bytes=32 * MB, total_bytes=64 * MB
)
HEADER_SCAN = 20
WAN = Decimal(10_000)

# field → header synonyms; the first is what messages name
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "need": {
        "problem": ("问题描述", "需求描述", "技术需求", "需求内容", "problem"),
        "region_code": ("区划代码", "所在县区代码", "区划", "region"),
        "chain": ("产业链", "所属产业", "产业", "chain"),
        "industry": ("行业代码", "国民经济行业分类", "行业分类", "industry"),
        "budget": ("预算(万元)", "预算", "拟投入资金(万元)", "budget"),
        "deadline": ("截止日期", "期限", "deadline"),
    },
    "achievement": {
        "title": ("成果名称", "名称", "title"),
        "abstract": ("成果简介", "摘要", "简介", "abstract"),
        "discipline": ("学科代码", "学科分类", "discipline"),
        "trl": ("技术成熟度", "成熟度", "trl"),
        "mode": ("转化方式", "交易方式", "mode"),
        "holder": ("完成单位", "持有单位", "holder"),
        "region_code": ("区划代码", "所在地区代码", "区划", "region"),
        "price_low": ("价格下限(万元)", "price_low"),
        "price_high": ("价格上限(万元)", "price_high"),
    },
    "contract": {
        "number": ("合同登记编号", "登记编号", "登记号", "合同编号", "number"),
        "name": ("合同名称", "项目名称", "名称", "name"),
        "seller": ("卖方", "卖方名称", "seller"),
        "buyer": ("买方", "买方名称", "buyer"),
        "amount_yuan": ("成交金额(元)", "合同金额(元)", "金额(元)", "amount_yuan"),
        "amount_wan": ("成交金额(万元)", "合同金额(万元)", "金额(万元)", "amount_wan"),
        "signed_on": ("登记日期", "签订日期", "日期", "date"),
        "region_code": ("区划代码", "区划", "region"),
    },
}
#: the column that finds the header row, per kind
KEY = {"need": "problem", "achievement": "title", "contract": "number"}
#: columns every row must fill
REQUIRED = {
    "need": ("problem", "region_code"),
    "achievement": ("title",),
    "contract": ("number", "signed_on", "region_code"),
}
#: amount headers without a unit: refused, the header must say 元 or 万元
UNITLESS = ("成交金额", "合同金额", "金额")
_REGION = re.compile(r"^\d{6}$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class ListRow:
    """One row read: ``values`` by field (contracts: ``amount`` in whole 元), and where it was
    (``sheet``, 1-based ``row``, field → cell reference)."""

    values: dict[str, Any]
    sheet: str
    row: int
    cells: dict[str, str]


@dataclass
class ListRead:
    """One file read: the rows (empty unless ``ok``) and the report."""

    kind: str
    report: ValidationReport
    rows: list[ListRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok


Bad = Callable[[str, str, str, str, str, str], None]


def read_list(kind: str, data: bytes, filename: str = "", limits: Limits = LIST_LIMITS) -> ListRead:
    """The rows of a list of ``kind`` (:data:`KINDS`) from file bytes, or none with every
    problem in the report (file, sheet, cell, field, Chinese and English, what to do)."""
    if kind not in KINDS:
        raise ValueError(f"unknown list kind {kind!r}")
    report = ValidationReport(source=filename)
    out = ListRead(kind, report)
    if not data.strip():
        report.add("file.empty", "文件是空的。", "The file is empty.",
                   "请选择填好的名单文件。", "Choose the filled-in list.", file=filename)  # fmt: skip
        return out
    sheets = table_sheets(data, filename, limits, report)
    if sheets is None:
        return out
    synonyms = {norm_text(s): f for f, ss in COLUMNS[kind].items() for s in ss}
    title, rows = sheets[0] if sheets else ("", [])
    for h, row in enumerate(rows[:HEADER_SCAN]):
        cols: dict[str, int] = {}
        for c, v in enumerate(row):
            f = synonyms.get(norm_text(v)) if not is_blank(v) else None
            if f is not None and f not in cols:
                cols[f] = c
        if KEY[kind] in cols:
            if _columns_ok(kind, row, cols, h, title, filename, report):
                out.rows = _rows(kind, rows, h, cols, title, filename, report)
            if not report.ok:
                out.rows = []
            return out
    first = COLUMNS[kind][KEY[kind]][0]
    report.add(
        "column.missing",
        f"找不到表头：第一个工作表的前 {HEADER_SCAN} 行中没有“{first}”列。",
        f"No header: the first {HEADER_SCAN} rows of the first sheet have no column '{first}'.",
        f"请在表头行写上“{first}”等列名（见文档）后重新导入。",
        f"Give the header row the column '{first}' (see the docs) and import again.",
        file=filename,
        sheet=title,
    )
    return out


def _columns_ok(
    kind: str,
    header: Sequence[Any],
    cols: dict[str, int],
    h: int,
    sheet: str,
    filename: str,
    report: ValidationReport,
) -> bool:
    ok = True
    for f in REQUIRED[kind]:
        if f not in cols:
            name = COLUMNS[kind][f][0]
            report.add("column.missing", f"缺少必需的列“{name}”。",
                       f"The required column '{name}' is missing.",
                       f"请在第 {h + 1} 行表头中加上“{name}”列。",
                       f"Add the column '{name}' to the header row {h + 1}.",
                       file=filename, sheet=sheet, cell=f"{h + 1}:{h + 1}")  # fmt: skip
            ok = False
    if kind == "contract":
        units = [f for f in ("amount_yuan", "amount_wan") if f in cols]
        unitless = [
            c for c, v in enumerate(header) if norm_text(v) in {norm_text(u) for u in UNITLESS}
        ]
        if len(units) != 1:
            where = cell_ref(h, unitless[0]) if unitless else f"{h + 1}:{h + 1}"
            report.add(
                "column.missing",
                "成交金额列须在表头中注明单位，且只能有一列：“成交金额(元)”或“成交金额(万元)”。",
                "The amount column must state its unit in the header, and appear once: "
                "'成交金额(元)' (yuan) or '成交金额(万元)' (10,000 yuan).",
                "请把表头改为“成交金额(元)”或“成交金额(万元)”后重新导入。",
                "Rename the header to '成交金额(元)' or '成交金额(万元)' and import again.",
                file=filename, sheet=sheet, cell=where,
            )  # fmt: skip
            ok = False
    return ok


def _rows(
    kind: str,
    rows: Sequence[Sequence[Any]],
    head: int,
    cols: dict[str, int],
    sheet: str,
    filename: str,
    report: ValidationReport,
) -> list[ListRow]:
    out: list[ListRow] = []
    seen: dict[tuple[str, ...], str] = {}
    for r0 in range(head + 1, len(rows)):
        row = rows[r0]
        if all(is_blank(v) for v in row):
            continue
        raw = {f: (None if c >= len(row) or is_blank(row[c]) else row[c]) for f, c in cols.items()}
        cells = {f: cell_ref(r0, c) for f, c in cols.items()}
        errors = report.error_count

        def bad(f: str, code: str, zh: str, en: str, fix_zh: str, fix_en: str,
                raw: dict[str, Any] = raw, cells: dict[str, str] = cells, r0: int = r0) -> None:  # fmt: skip
            name = COLUMNS[kind][f][0] if f in COLUMNS[kind] else f
            report.add(code, f"“{name}”：{zh}", f"{name}: {en}", fix_zh, fix_en, file=filename,
                       sheet=sheet, cell=cells.get(f, f"{r0 + 1}:{r0 + 1}"), variable=f, severity="error",
                       value=raw_text(raw.get(f)))  # fmt: skip

        for f in REQUIRED[kind]:
            if raw.get(f) is None:
                bad(f, "value.missing", "必填，但此格为空。", "required, but the cell is empty.",
                    "请填写此格，或删除整行。", "Fill in the cell or delete the row.")  # fmt: skip
        values = PARSERS[kind](raw, bad)
        key = _dup_key(kind, values)
        at = cells.get(KEY[kind], f"{r0 + 1}:{r0 + 1}")
        if key in seen:
            bad(KEY[kind], "row.duplicate", f"与 {seen[key]} 重复。",
                f"duplicates {seen[key]}.", "请删除重复的行后重新导入。",
                "Delete the duplicate row and import again.")  # fmt: skip
        elif all(key):
            seen[key] = at
        if report.error_count == errors:
            out.append(ListRow(values, sheet, r0 + 1, cells))
    if not out and report.ok:
        report.add("file.empty", "表头下没有任何数据行。", "There are no rows under the header.",
                   "请填写名单后重新导入。", "Fill in the list and import again.",
                   file=filename, sheet=sheet)  # fmt: skip
    return out


def dup_key(kind: str, values: dict[str, Any]) -> tuple[str, ...]:
    """What makes two rows the same record: a contract's registration number; a need's county
    and problem; an achievement's title and holder (spaces and full-width forms ignored)."""
    return _dup_key(kind, values)


def _dup_key(kind: str, values: dict[str, Any]) -> tuple[str, ...]:
    if kind == "contract":
        return (norm_text(values["number"]),)
    if kind == "need":
        return (values["region_code"], norm_text(values["problem"]))
    return (norm_text(values["title"]), norm_text(values.get("holder", "")))


# ---- cell parsers ---------------------------------------------------------------------------


def _text(raw: dict[str, Any], f: str) -> str:
    v = raw.get(f)
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _region(raw: dict[str, Any], f: str, bad: Bad) -> str:
    code = _text(raw, f)
    if code and not _REGION.match(code):
        bad(f, "region.unknown", f"“{code}”不是 6 位行政区划代码（GB/T 2260）。",
            f"'{code}' is not a six-digit GB/T 2260 region code.",
            "请填写县级区划代码，如 640402。", "Enter the county's code, e.g. 640402.")  # fmt: skip
        return ""
    return code


def decimal_of(v: Any) -> Decimal | None:
    """A cell's number as an exact decimal (Excel floats by their shortest repr; text with
    thousands separators and full-width digits); ``None`` when it is not a number."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v)) if v == v and v not in (float("inf"), float("-inf")) else None
    text = norm_text(v).replace(",", "")
    try:
        d = Decimal(text)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _number(raw: dict[str, Any], f: str, bad: Bad, *, low: int = 0) -> Decimal | None:
    v = raw.get(f)
    if v is None:
        return None
    d = decimal_of(v)
    if d is None or d < low:
        bad(f, "value.not_number", f"“{raw_text(v)}”不是不小于 {low} 的数。",
            f"'{raw_text(v)}' is not a number of at least {low}.",
            "请只填写数字（不带单位）。", "Enter digits only, without a unit.")  # fmt: skip
        return None
    return d


def _date(raw: dict[str, Any], f: str, bad: Bad) -> dt.date | None:
    v = raw.get(f)
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    m = _DATE.match(norm_text(v))
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    bad(f, "date.invalid", f"“{raw_text(v)}”不是日期。", f"'{raw_text(v)}' is not a date.",
        "请填写如 2025-03-31 的日期。", "Enter a date such as 2025-03-31.")  # fmt: skip
    return None


def _need(raw: dict[str, Any], bad: Bad) -> dict[str, Any]:
    return {
        "problem": _text(raw, "problem"),
        "region_code": _region(raw, "region_code", bad),
        "chain": _text(raw, "chain")[:64],
        "industry": _text(raw, "industry")[:8],
        "budget": _number(raw, "budget", bad),
        "deadline": _date(raw, "deadline", bad),
    }


def _achievement(raw: dict[str, Any], bad: Bad) -> dict[str, Any]:
    trl = _number(raw, "trl", bad, low=1)
    if trl is not None and not (trl == trl.to_integral_value() and 1 <= trl <= 9):
        bad("trl", "value.out_of_range", f"应为 1–9 的整数，而不是 {trl}。",
            f"must be a whole number 1–9, not {trl}.", "请填写 1–9。", "Enter 1–9.")  # fmt: skip
        trl = None
    mode = _text(raw, "mode")
    if mode and mode not in TRANSFER_MODES:
        modes = "、".join(TRANSFER_MODES)
        bad("mode", "value.out_of_range", f"应为 {modes} 之一。",
            f"must be one of {', '.join(TRANSFER_MODES)}.", f"请改为 {modes} 之一。",
            "Use one of the listed modes.")  # fmt: skip
    low, high = _number(raw, "price_low", bad), _number(raw, "price_high", bad)
    if low is not None and high is not None and low > high:
        bad("price_low", "value.out_of_range", "价格下限大于上限。", "the low price is above the high.",
            "请核对价格区间。", "Check the price range.")  # fmt: skip
    return {
        "title": _text(raw, "title")[:255],
        "abstract": _text(raw, "abstract"),
        "discipline": _text(raw, "discipline")[:8],
        "trl": None if trl is None else int(trl),
        "mode": mode,
        "holder": _text(raw, "holder")[:255],
        "region_code": _region(raw, "region_code", bad),
        "price_low": low,
        "price_high": high,
    }


def _contract(raw: dict[str, Any], bad: Bad) -> dict[str, Any]:
    number = _text(raw, "number")
    if len(number) > 64:
        bad("number", "value.out_of_range", "登记编号超过 64 个字符。", "longer than 64 characters.",
            "请核对登记编号。", "Check the registration number.")  # fmt: skip
    f = "amount_yuan" if "amount_yuan" in raw else "amount_wan"
    amount = None
    d = _number(raw, f, bad)
    if raw.get(f) is None:
        bad(f, "value.missing", "必填，但此格为空。", "required, but the cell is empty.",
            "请填写成交金额。", "Enter the amount.")  # fmt: skip
    elif d is not None:
        yuan = d * WAN if f == "amount_wan" else d
        if yuan != yuan.to_integral_value():
            unit = "万元" if f == "amount_wan" else "元"
            bad(f, "value.not_integer", f"{d} {unit} 不是整数元（系统以整数元保存金额）。",
                f"{d} {unit} is not a whole number of yuan (amounts are kept in whole 元).",
                "请核对金额，精确到元。", "Check the amount, to the yuan.")  # fmt: skip
        else:
            amount = int(yuan)
    return {
        "number": number,
        "name": _text(raw, "name")[:255],
        "seller": _text(raw, "seller")[:255],
        "buyer": _text(raw, "buyer")[:255],
        "amount": amount,
        "signed_on": _date(raw, "signed_on", bad),
        "region_code": _region(raw, "region_code", bad),
    }


PARSERS: dict[str, Callable[[dict[str, Any], Bad], dict[str, Any]]] = {
    "need": _need,
    "achievement": _achievement,
    "contract": _contract,
}
