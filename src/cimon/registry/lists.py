"""Reading an official list (名单) as a province publishes it: an Excel workbook (or CSV) with one
row per enterprise or carrier, in the province's own column names.

Columns are recognised by their header (compared after NFKC normalisation — full-width to
half-width — without spaces, lower case) against the synonyms in :data:`FIELDS`: 企业名称 /
单位名称 / 名称, 统一社会信用代码 / 信用代码 / 社会信用代码, 证书编号, 发证日期 / 认定日期 / 批准日期,
有效期, 所在县区 / 县(市、区) …; other columns are not read. The header row is the row, among the
first 20, that recognises the most columns and holds a name column.

The file is never trusted: before openpyxl parses it, the bounded checks of
:mod:`cimon.intake.limits` run (zip directory, uncompressed sizes, compression ratio, every XML
part streamed with a cell budget, no DTD), with :data:`LIST_LIMITS`. The read is
all-or-nothing: any error (a bad code, a date that cannot be read, a missing name, an enterprise
listed twice, an unknown county) names its sheet and cell and says what to do in Chinese and
English (:class:`cimon.intake.report.ValidationReport`), and no row is returned.

Cell values: codes are checked with :func:`cimon.registry.codes.check_code`; dates may be Excel
dates, Excel serial numbers, ``2019-11-28``, ``2019/11/28``, ``2019.11.28``, ``20191128`` or
``2019年11月28日``; 有效期 may be a duration (``三年``, ``3年``), a last valid day, or a range
``2019-11-28至2022-11-27``. ``end`` in the result is the first day no longer valid (the last
valid day + 1), the convention of :mod:`cimon.registry.counts`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from cimon.errors import RegionError
from cimon.intake.bounded import table_sheets
from cimon.intake.limits import MB, Limits
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import (
    cell_ref,
    col_letter,
    is_blank,
    norm_text,
    raw_text,
    sha256_bytes,
)
from cimon.model.regions import RegionRegistry, normalise_name
from cimon.registry.codes import check_code, normalise_code

__all__ = ["FIELDS", "LIST_LIMITS", "ListRead", "parse_date", "parse_validity", "read_list"]

#: Field → header synonyms (as written; compared after :func:`norm_text`).
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "单位名称", "名称", "机构名称", "载体名称", "平台名称", "申报单位"),
    "code": ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码"),
    "certificate": ("证书编号", "证书号", "入库登记编号", "登记编号"),
    "date": ("发证日期", "认定日期", "批准日期", "认定时间", "发证时间", "入库日期", "批准时间"),
    "valid": ("有效期", "有效期至", "有效期限", "有效期截止日期"),
    "county": ("所在县区", "县(市、区)", "所在县(市、区)", "县区", "区县", "所在区县", "所在地"),
    "region_code": ("区划代码", "行政区划代码", "县区代码"),
    "kind": ("类型", "类别", "载体类型", "平台类型", "资质类型"),
    "level": ("级别", "认定级别", "层级"),
    "body": ("认定单位", "认定部门", "批准单位", "认定机构"),
    "status": ("状态", "认定状态"),
}
_SYNONYMS = {norm_text(s): f for f, ss in FIELDS.items() for s in ss}
HEADER_SCAN = 20
#: A province's list: up to 100,000 rows of up to 64 columns.
LIST_LIMITS = Limits(
    rows=100_000, columns=64, cells=1_600_000, member_bytes=128 * MB, total_bytes=256 * MB
)
_NUM_WORDS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "十": 10}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_RANGE = re.compile(r"^(.+?)\s*(?:至|到|~|—|--|－)\s*(.+)$")


@dataclass
class ListRead:
    """One list read: ``rows`` (one per enterprise or carrier; empty unless ``ok``), the
    ``report``, the sheet read and each field's column letter."""

    report: ValidationReport
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    sheet: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.report.ok


def parse_date(raw: object) -> pd.Timestamp | None:
    """A date cell as a timestamp, or None when it is not a date (blank included)."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, datetime | date):
        return pd.Timestamp(raw).normalize()
    if isinstance(raw, int | float):
        # an Excel serial number (days since 1899-12-30) from a cell without a date format
        if raw != raw or not 1 <= raw < 2_958_466:
            return None
        return pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    m = _DATE.match(text)
    if m is None and len(text) == 8 and text.isdigit():
        m = re.match(r"(\d{4})(\d{2})(\d{2})", text)
    if m is None:
        return None
    try:
        return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_validity(
    raw: object, start: pd.Timestamp | None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None] | None:
    """A 有效期 cell as ``(start, end)`` (``end`` exclusive; either may be None), or None when
    it cannot be read: ``三年``/``3年`` (from ``start``), a last valid day, or a range."""
    text = unicodedata.normalize("NFKC", raw_text(raw)).strip()
    years = re.fullmatch(r"([一二两三四五六十]|\d{1,2})\s*年", text)
    if years:
        n = _NUM_WORDS.get(years.group(1)) or int(years.group(1))
        return start, (start + pd.DateOffset(years=n)) if start is not None else None
    rng = _RANGE.match(text) if not isinstance(raw, datetime | date | int | float) else None
    if rng:
        a, b = parse_date(rng.group(1)), parse_date(rng.group(2))
        if a is None or b is None:
            return None
        return a, b + pd.Timedelta(days=1)
    last = parse_date(raw)
    return None if last is None else (start, last + pd.Timedelta(days=1))


def read_list(
    data: bytes,
    filename: str = "",
    *,
    limits: Limits = LIST_LIMITS,
    regions: RegionRegistry | None = None,
    require_code: bool = True,
) -> ListRead:
    """Read an official list from file bytes (``.xlsx``; ``.csv`` by ``filename``).

    ``require_code``: every row must have a 统一社会信用代码 (enterprise lists); carrier lists
    may pass False (a code, where given, is still checked). ``regions``: resolve the county
    column to GB/T 2260 codes (``region.unknown`` otherwise); without it the county is kept
    as written, normalised (:func:`cimon.model.regions.normalise_name`).
    """
    report = ValidationReport(source=filename)
    out = ListRead(report, sha256=sha256_bytes(data))
    if not data.strip():
        report.add("file.empty", "文件是空的。", "The file is empty.",
                   "请选择名单文件后重新导入。", "Choose the list file and import again.")  # fmt: skip
        return out
    sheets = _sheets(data, filename, limits, report)
    if sheets is None:
        return out
    chosen = None
    for title, rows in sheets:
        found = _header(rows)
        if found is not None and chosen is None:
            chosen = (title, rows, *found)
        elif chosen is not None and any(not is_blank(v) for r in rows for v in r):
            report.add(
                "sheet.ignored",
                f"只读取了工作表“{chosen[0]}”，工作表“{title}”未读取。",
                f"Only sheet '{chosen[0]}' was read; sheet '{title}' was not.",
                "请把名单放在一个工作表中，或分成多个文件导入。",
                "Put the list in one sheet, or import one file per sheet.",
                sheet=title,
            )
    if chosen is None:
        report.add(
            "column.missing",
            "找不到名称列（如“企业名称”“单位名称”“名称”）：文件前 20 行中没有可识别的表头。",
            "No name column (such as 企业名称, 单位名称, 名称) in the first 20 rows of any sheet.",
            "请确认表头行包含名称列，列名使用名单原有的写法，然后重新导入。",
            "Make sure the header row has a name column, as the official list writes it, and "
            "import again.",
        )
        return out
    title, rows, head_row, cols = chosen
    out.sheet = title
    out.columns = {f: col_letter(c) for f, c in cols.items()}
    if require_code and "code" not in cols:
        report.add(
            "column.missing",
            "缺少“统一社会信用代码”列。",
            "The 统一社会信用代码 (unified social credit code) column is missing.",
            "请在名单中保留统一社会信用代码列后重新导入。",
            "Keep the code column of the list and import again.",
            sheet=title,
            cell=f"{head_row + 1}:{head_row + 1}",
        )
        return out
    frame = _rows(rows, head_row, cols, title, report, regions, require_code)
    out.rows = frame if report.ok else frame.iloc[0:0]
    return out


def _sheets(
    data: bytes, filename: str, limits: Limits, report: ValidationReport
) -> list[tuple[str, list[tuple[Any, ...]]]] | None:
    """Every sheet's rows, read within ``limits``; None with the issue in ``report``."""
    return table_sheets(data, filename, limits, report)


def _header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and field → column (0-based), or None without a name column."""
    best: tuple[int, dict[str, int]] | None = None
    for r, row in enumerate(rows[:HEADER_SCAN]):
        cols: dict[str, int] = {}
        for c, v in enumerate(row):
            if is_blank(v):
                continue
            f = _SYNONYMS.get(norm_text(v))
            if f is not None and f not in cols:
                cols[f] = c
        if "name" in cols and (best is None or len(cols) > len(best[1])):
            best = (r, cols)
    return best


def _rows(
    rows: Sequence[Sequence[Any]],
    head: int,
    cols: dict[str, int],
    sheet: str,
    report: ValidationReport,
    regions: RegionRegistry | None,
    require_code: bool,
) -> pd.DataFrame:
    def get(row: Sequence[Any], f: str) -> Any:
        return _get(row, cols, f)

    def where(r0: int, f: str, raw: object) -> dict[str, str]:
        return {"sheet": sheet, "cell": cell_ref(r0, cols[f]), "value": raw_text(raw)}

    cache: dict[str, str | None] = {}
    seen: dict[tuple[str, str], int] = {}
    out: list[dict[str, Any]] = []
    for r0 in range(head + 1, len(rows)):
        row = rows[r0]
        if all(is_blank(v) for v in row):
            continue
        rec: dict[str, Any] = {"row": r0 + 1}
        name = get(row, "name")
        if is_blank(name):
            report.add("name.missing", f"第 {r0 + 1} 行没有名称。", f"Row {r0 + 1} has no name.",
                       "请填写企业或载体的全称，或删除该行。",
                       "Enter the full name of the enterprise or carrier, or delete the row.",
                       **where(r0, "name", name))  # fmt: skip
        rec["name"] = "" if is_blank(name) else str(name).strip()
        raw_code = get(row, "code")
        code = normalise_code(raw_code)
        if "code" in cols and (code or require_code):
            check = check_code(code)
            if not check.valid:
                report.add("code.invalid", check.zh, check.en,
                           "请对照营业执照或国家企业信用信息公示系统核对该代码后改正。",
                           "Check the code against the business licence or the national "
                           "enterprise credit information system and correct it.",
                           **where(r0, "code", raw_code))  # fmt: skip
        rec["code"] = code
        for f in ("certificate", "kind", "level", "body", "status"):
            v = get(row, f)
            rec[f] = "" if is_blank(v) else unicodedata.normalize("NFKC", str(v)).strip()
        start = None
        if "date" in cols and not is_blank(raw := get(row, "date")):
            start = parse_date(raw)
            if start is None:
                _bad_date(report, where(r0, "date", raw))
        end = None
        if "valid" in cols and not is_blank(raw := get(row, "valid")):
            span = parse_validity(raw, start)
            if span is None:
                _bad_date(report, where(r0, "valid", raw), validity=True)
            else:
                start = span[0] if start is None else start
                end = span[1]
        rec["start"], rec["end"] = start, end
        rec["county"] = _county(row, r0, cols, regions, report, sheet, cache)
        for key_field in ("code", "certificate"):
            key = rec[key_field]
            if key:
                first = seen.setdefault((key_field, key), r0 + 1)
                if first != r0 + 1:
                    report.add("row.duplicate",
                               f"“{key}”在第 {first} 行和第 {r0 + 1} 行出现了两次。",
                               f"'{key}' is listed twice: rows {first} and {r0 + 1}.",
                               "请删除重复的一行，或改正其中写错的代码。",
                               "Delete the duplicate row, or correct the mistyped code.",
                               **where(r0, key_field, key))  # fmt: skip
        out.append(rec)
    if not out:
        report.add("file.empty", "名单中没有数据行。", "The list has no data rows.",
                   "请确认名单内容在表头下方后重新导入。",
                   "Make sure the list's rows are below its header and import again.",
                   sheet=sheet)  # fmt: skip
    columns = ["row", "name", "code", "certificate", "kind", "level", "body", "status",
               "start", "end", "county"]  # fmt: skip
    frame = pd.DataFrame(out, columns=columns)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def _county(
    row: Sequence[Any],
    r0: int,
    cols: dict[str, int],
    regions: RegionRegistry | None,
    report: ValidationReport,
    sheet: str,
    cache: dict[str, str | None],
) -> str:
    """The row's county: a GB/T 2260 code when ``regions`` is given (``region.unknown`` if it
    cannot be found), else the name as written, normalised."""
    f = (
        "region_code"
        if "region_code" in cols and not is_blank(_get(row, cols, "region_code"))
        else "county"
    )
    raw = _get(row, cols, f)
    if is_blank(raw):
        return ""
    text = raw_text(raw).strip()
    if regions is None:
        return text if f == "region_code" else normalise_name(text)
    if text not in cache:
        region = regions.find(text)
        cache[text] = region.code if region is not None else None
    if cache[text] is not None:
        return str(cache[text])
    try:
        regions.match(text)
        zh, en = f"无法识别的县（市、区）“{text}”。", f"Unknown county '{text}'."
    except RegionError as exc:
        zh, en = exc.zh, exc.en
    report.add(
        "region.unknown",
        zh,
        en,
        "请改为正式的县（市、区）名称或 6 位区划代码后重新导入。",
        "Write the official county name or its six-digit code and import again.",
        sheet=sheet,
        cell=cell_ref(r0, cols[f]),
        value=text,
    )
    return ""


def _get(row: Sequence[Any], cols: dict[str, int], f: str) -> Any:
    c = cols.get(f)
    return row[c] if c is not None and c < len(row) else None


def _bad_date(report: ValidationReport, where: dict[str, str], validity: bool = False) -> None:
    text = where["value"]
    report.add(
        "date.invalid",
        f"有效期“{text}”无法识别。" if validity else f"日期“{text}”无法识别。",
        f"Validity '{text}' is not understood."
        if validity
        else f"Date '{text}' is not understood.",
        "有效期请写成“三年”、截止日期（如 2022-11-27）或“2019-11-28至2022-11-27”。"
        if validity
        else "请写成 2019-11-28 或 2019年11月28日 的形式，或设为 Excel 日期格式。",
        "Write the validity as 三年 (three years), a last day (2022-11-27) or a range "
        "(2019-11-28至2022-11-27)."
        if validity
        else "Write it as 2019-11-28 or 2019年11月28日, or format the cell as an Excel date.",
        **where,
    )
