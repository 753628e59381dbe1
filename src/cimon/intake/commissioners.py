"""Reading the 科技特派员 lists and service logs provinces already keep in Excel (issue #17 item 6).

Two kinds of file, each an ``.xlsx`` (or ``.csv``) with one header row among the first 20 rows,
in the province's own column names (compared after NFKC normalisation — full-width brackets become
half-width —, without spaces, lower case; :data:`ROSTER_FIELDS`, :data:`LOG_FIELDS`):

* the 名单 (:func:`read_roster`): 序号、姓名、单位/派出单位、服务县(区)、服务领域/专业、职称、联系电话;
  姓名 and 服务县 are required; the county is resolved with the region matcher
  (:meth:`cimon.model.regions.RegionRegistry.find`) when a registry is given;
* the service log (:func:`read_service_log`): 姓名、日期、服务村、服务类型、服务人数、内容; every
  field but 内容 is required; dates as :func:`cimon.registry.lists.parse_date` reads them (Excel
  dates, serial numbers, ``2026-03-05``, ``2026年3月5日`` … — :func:`cimon.model.cells.parse_cell`
  refuses dates by design, so it reads only the number of people); 服务人数 a whole number
  0–:data:`MAX_PEOPLE`; the date within ``year`` when given; the kind one of :data:`SERVICE_KINDS`.

The file is never trusted: the bounded reader (:mod:`cimon.intake.bounded`) checks the zip and
streams every sheet's XML within :data:`COMMISSIONER_LIMITS` before openpyxl parses anything.
Formulas are read as their cached values (a formula without one is a blank cell); text that
starts like a formula (``=``, ``+``, ``@``) in a name is refused. The read is all-or-nothing:
every problem names the file, sheet, cell and field and says what to do in Chinese and English
(:class:`~cimon.intake.report.ValidationReport`), and ``rows`` stays empty unless the file is
clean. A person (name + unit) or a service (name + date + village + kind) listed twice is an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cimon.intake.bounded import table_sheets
from cimon.intake.limits import MB, Limits
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import cell_ref, col_letter, is_blank, norm_text, raw_text, sha256_bytes
from cimon.model.cells import parse_cell
from cimon.model.regions import RegionRegistry, normalise_name
from cimon.registry.lists import parse_date

__all__ = [
    "COMMISSIONER_LIMITS",
    "LOG_FIELDS",
    "MAX_PEOPLE",
    "ROSTER_FIELDS",
    "SERVICE_KINDS",
    "CommissionerRead",
    "read_roster",
    "read_service_log",
]

#: 名单 field → header variants as provinces publish them
ROSTER_FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "name": ("姓名", "特派员姓名", "科技特派员姓名", "科技特派员"),
    "unit": ("单位", "派出单位", "工作单位", "所在单位", "推荐单位", "单位名称", "派出单位名称"),
    "county": ("服务县(区)", "服务县(市、区)", "服务县", "服务县区", "服务区县", "服务地区",
               "派驻县(区)", "派驻县", "服务县(市)", "服务地"),
    "field": ("服务领域", "专业", "服务领域/专业", "专业领域", "服务产业", "技术领域", "专业特长",
              "服务专业"),
    "title": ("职称", "专业技术职称", "职务/职称", "职务职称", "技术职称"),
    "phone": ("联系电话", "电话", "手机", "手机号码", "联系方式", "手机号"),
}  # fmt: skip
#: service-log field → header variants
LOG_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "特派员姓名", "科技特派员姓名", "科技特派员"),
    "date": ("日期", "服务日期", "服务时间"),
    "village": ("服务村", "服务村(社区)", "服务地点", "服务村庄", "村", "服务对象所在村"),
    "kind": ("服务类型", "服务方式", "服务形式", "类型"),
    "people": ("服务人数", "受益人数", "服务对象人数", "培训人数", "人数"),
    "content": ("内容", "服务内容", "工作内容", "主要内容"),
}
ROSTER_REQUIRED = ("name", "county")
LOG_REQUIRED = ("name", "date", "village", "kind", "people")
#: the kinds of service of issue #17 (技术指导、培训、示范推广、创业带动、科普), and usual variants
SERVICE_KINDS: dict[str, str] = {
    "技术指导": "技术指导", "技术服务": "技术指导", "指导": "技术指导",
    "培训": "培训", "技术培训": "培训",
    "示范推广": "示范推广", "示范": "示范推广", "推广": "示范推广",
    "创业带动": "创业带动", "创业": "创业带动",
    "科普": "科普", "科普宣传": "科普",
}  # fmt: skip
MAX_PEOPLE = 10_000
HEADER_SCAN = 20
#: a province's list or a year's log of one upload: up to 100,000 rows of up to 64 columns
COMMISSIONER_LIMITS = Limits(
    rows=100_000, columns=64, cells=1_600_000, member_bytes=128 * MB, total_bytes=256 * MB
)
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
_FIELD_ZH = {"name": "姓名", "unit": "单位", "county": "服务县(区)", "field": "服务领域",
             "title": "职称", "phone": "联系电话", "date": "日期", "village": "服务村",
             "kind": "服务类型", "people": "服务人数", "content": "内容", "seq": "序号"}  # fmt: skip


@dataclass
class CommissionerRead:
    """One file read: ``rows`` (empty unless ``ok``), the ``report``, the sheet read, each
    field's column letter and the file's SHA-256."""

    report: ValidationReport
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    sheet: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.report.ok


def read_roster(
    data: bytes,
    filename: str = "",
    *,
    regions: RegionRegistry | None = None,
    limits: Limits = COMMISSIONER_LIMITS,
) -> CommissionerRead:
    """Read a 名单: columns ``row, name, unit, county_code, county, field, title, phone``
    (``county_code`` is the GB/T 2260 code when ``regions`` is given, else empty)."""
    out, found = _open(data, filename, limits, ROSTER_FIELDS, ROSTER_REQUIRED, "名单")
    if found is None:
        return out
    rows, head, cols = found
    c = _Cells(out, cols)
    recs: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    cache: dict[str, tuple[str, str] | None] = {}
    for r0 in range(head + 1, len(rows)):
        row = rows[r0]
        if all(is_blank(v) for v in row):
            continue
        name = c.name(row, r0)
        unit = c.text(row, "unit")
        code, county = c.county(row, r0, regions, cache)
        phone = c.text(row, "phone")
        if phone and not _PHONE.match(re.sub(r"[\s()（）]", "", phone)):
            c.error(r0, "phone", phone, "value.implausible",
                    f"联系电话“{phone}”不是有效的手机号或固定电话。", f"Phone '{phone}' is not a valid number.",
                    "请填写 11 位手机号或带区号的固定电话（如 0951-1234567），或留空。",
                    "Enter an 11-digit mobile or a landline with its area code (0951-1234567), or leave it blank.")  # fmt: skip
        if name:
            first = seen.setdefault((name, unit), r0 + 1)
            if first != r0 + 1:
                c.error(r0, "name", name, "row.duplicate",
                        f"“{name}”（{unit or '未填单位'}）在第 {first} 行和第 {r0 + 1} 行出现了两次。",
                        f"'{name}' ({unit or 'no unit'}) is listed twice: rows {first} and {r0 + 1}.",
                        "请删除重复的一行；同名的两个人请填写各自的单位。",
                        "Delete the duplicate row; for two people of the same name give each one's unit.")  # fmt: skip
        recs.append({"row": r0 + 1, "name": name, "unit": unit, "county_code": code,
                     "county": county, "field": c.text(row, "field"), "title": c.text(row, "title"),
                     "phone": phone})  # fmt: skip
    columns = ["row", "name", "unit", "county_code", "county", "field", "title", "phone"]
    frame = _finish(out, recs, columns)
    out.rows = frame if out.ok else frame.iloc[0:0]
    return out


def read_service_log(
    data: bytes,
    filename: str = "",
    *,
    year: int | None = None,
    known: Collection[str] | None = None,
    limits: Limits = COMMISSIONER_LIMITS,
) -> CommissionerRead:
    """Read a service log: columns ``row, name, date, village, kind, people, content``.
    ``year``: every date must fall in it; ``known``: names of the roster (a name not on it is an
    error)."""
    out, found = _open(data, filename, limits, LOG_FIELDS, LOG_REQUIRED, "服务记录")
    if found is None:
        return out
    rows, head, cols = found
    c = _Cells(out, cols)
    recs: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for r0 in range(head + 1, len(rows)):
        row = rows[r0]
        if all(is_blank(v) for v in row):
            continue
        name = c.name(row, r0)
        if name and known is not None and name not in known:
            c.error(r0, "name", name, "name.missing",
                    f"“{name}”不在科技特派员名单中。", f"'{name}' is not on the commissioners' list.",
                    "请先导入或补充名单，或改正姓名的写法。",
                    "Import or complete the list first, or correct the name.")  # fmt: skip
        day = c.date(row, r0, year)
        village = c.required(row, r0, "village")
        kind = c.kind(row, r0)
        people = c.people(row, r0)
        key = (name, day, village, kind)
        if name and day is not None and village and kind:
            first = seen.setdefault(key, r0 + 1)
            if first != r0 + 1:
                c.error(r0, "name", name, "row.duplicate",
                        f"同一服务（{name}、{day:%Y-%m-%d}、{village}、{kind}）在第 {first} 行和第 {r0 + 1} 行出现了两次。",
                        f"The same service ({name}, {day:%Y-%m-%d}, {village}, {kind}) is listed twice: rows {first} and {r0 + 1}.",
                        "请删除重复的一行。", "Delete the duplicate row.")  # fmt: skip
        recs.append({"row": r0 + 1, "name": name, "date": day, "village": village, "kind": kind,
                     "people": people, "content": c.text(row, "content")})  # fmt: skip
    frame = _finish(out, recs, ["row", "name", "date", "village", "kind", "people", "content"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["people"] = frame["people"].astype("Int64")
    out.rows = frame if out.ok else frame.iloc[0:0]
    return out


def _open(
    data: bytes,
    filename: str,
    limits: Limits,
    fields: Mapping[str, Sequence[str]],
    required: Sequence[str],
    what: str,
) -> tuple[CommissionerRead, tuple[list[tuple[Any, ...]], int, dict[str, int]] | None]:
    report = ValidationReport(source=filename)
    out = CommissionerRead(report, sha256=sha256_bytes(data))
    if not data.strip():
        report.add("file.empty", "文件是空的。", "The file is empty.",
                   f"请选择{what}文件后重新导入。", "Choose the file and import again.")  # fmt: skip
        return out, None
    sheets = table_sheets(data, filename, limits, report)
    if sheets is None:
        return out, None
    synonyms = {norm_text(s): f for f, ss in fields.items() for s in ss}
    chosen: tuple[str, list[tuple[Any, ...]], int, dict[str, int]] | None = None
    for title, rows in sheets:
        found = _header(rows, synonyms)
        if found is not None and chosen is None:
            chosen = (title, rows, *found)
        elif chosen is not None and any(not is_blank(v) for r in rows for v in r):
            report.add("sheet.ignored", f"只读取了工作表“{chosen[0]}”，工作表“{title}”未读取。",
                       f"Only sheet '{chosen[0]}' was read; sheet '{title}' was not.",
                       f"请把{what}放在一个工作表中，或分成多个文件导入。",
                       "Put the rows in one sheet, or import one file per sheet.", sheet=title)  # fmt: skip
    if chosen is None:
        heads = "、".join(fields["name"][:2])
        report.add("column.missing",
                   f"找不到{what}的表头：文件前 {HEADER_SCAN} 行中没有姓名列（如“{heads}”）。",
                   f"No header with a name column (such as {heads}) in the first {HEADER_SCAN} rows of any sheet.",
                   "请确认表头行包含姓名列，列名使用原有写法，然后重新导入。",
                   "Make sure the header row has a name column and import again.")  # fmt: skip
        return out, None
    title, rows, head, cols = chosen
    out.sheet = title
    out.columns = {f: col_letter(c) for f, c in cols.items()}
    lacking = [f for f in required if f not in cols]
    for f in lacking:
        names = "、".join(fields[f][:3])
        report.add("column.missing", f"缺少“{_FIELD_ZH[f]}”列（如 {names}）。",
                   f"The {f} column ({names}) is missing.",
                   f"请在表头行加上“{_FIELD_ZH[f]}”列并填写后重新导入。",
                   f"Add the {_FIELD_ZH[f]} column to the header row, fill it in and import again.",
                   sheet=title, cell=f"{head + 1}:{head + 1}", variable=f)  # fmt: skip
    return out, (None if lacking else (rows, head, cols))


def _header(
    rows: Sequence[Sequence[Any]], synonyms: Mapping[str, str]
) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    for r, row in enumerate(rows[:HEADER_SCAN]):
        cols: dict[str, int] = {}
        for c, v in enumerate(row):
            f = None if is_blank(v) else synonyms.get(norm_text(v))
            if f is not None and f not in cols:
                cols[f] = c
        if "name" in cols and (best is None or len(cols) > len(best[1])):
            best = (r, cols)
    return best


def _finish(out: CommissionerRead, recs: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    if not recs:
        out.report.add("file.empty", "表头下方没有数据行。", "There are no rows below the header.",
                       "请确认数据在表头下方后重新导入。", "Put the rows below the header and import again.",
                       sheet=out.sheet)  # fmt: skip
    return pd.DataFrame(recs, columns=columns)


class _Cells:
    """Reading and checking the cells of one sheet, every problem named by cell and field."""

    def __init__(self, out: CommissionerRead, cols: dict[str, int]) -> None:
        self.out, self.cols = out, cols

    def get(self, row: Sequence[Any], f: str) -> Any:
        c = self.cols.get(f)
        return row[c] if c is not None and c < len(row) else None

    def text(self, row: Sequence[Any], f: str) -> str:
        v = self.get(row, f)
        return "" if is_blank(v) else unicodedata.normalize("NFKC", raw_text(v)).strip()

    def error(
        self, r0: int, f: str, raw: object, code: str, zh: str, en: str, fix_zh: str, fix_en: str
    ) -> None:
        self.out.report.add(code, zh, en, fix_zh, fix_en, severity="error", sheet=self.out.sheet,
                            cell=cell_ref(r0, self.cols[f]), variable=f, value=raw_text(raw))  # fmt: skip

    def required(self, row: Sequence[Any], r0: int, f: str) -> str:
        v = self.text(row, f)
        if not v:
            self.error(r0, f, "", "value.missing", f"第 {r0 + 1} 行没有填写“{_FIELD_ZH[f]}”。",
                       f"Row {r0 + 1} has no {f}.", f"请填写“{_FIELD_ZH[f]}”，或删除该行。",
                       f"Fill in the {f}, or delete the row.")  # fmt: skip
        return v

    def name(self, row: Sequence[Any], r0: int) -> str:
        v = self.text(row, "name")
        if not v:
            self.error(r0, "name", "", "name.missing", f"第 {r0 + 1} 行没有姓名。", f"Row {r0 + 1} has no name.",
                       "请填写科技特派员姓名，或删除该行。", "Enter the commissioner's name, or delete the row.")  # fmt: skip
        elif v[0] in "=+@-" or len(v) > 50:
            self.error(r0, "name", v, "value.implausible", f"“{v[:20]}”不像姓名（以公式符号开头或过长）。",
                       f"'{v[:20]}' does not look like a name (starts like a formula or is too long).",
                       "请填写姓名本身，不要填写公式或说明文字。", "Enter the name itself, not a formula or a note.")  # fmt: skip
            return ""
        return v

    def county(
        self,
        row: Sequence[Any],
        r0: int,
        regions: RegionRegistry | None,
        cache: dict[str, tuple[str, str] | None],
    ) -> tuple[str, str]:
        text = self.required(row, r0, "county")
        if not text:
            return "", ""
        if regions is None:
            return "", normalise_name(text)
        if text not in cache:
            region = regions.find(text)
            cache[text] = (region.code, region.name) if region is not None else None
        hit = cache[text]
        if hit is None:
            self.error(r0, "county", text, "region.unknown", f"无法识别的服务县（市、区）“{text}”。",
                       f"Unknown county '{text}'.", "请改为正式的县（市、区）名称或 6 位区划代码后重新导入。",
                       "Write the official county name or its six-digit code and import again.")  # fmt: skip
            return "", text
        return hit

    def date(self, row: Sequence[Any], r0: int, year: int | None) -> pd.Timestamp | None:
        raw = self.get(row, "date")
        if is_blank(raw):
            self.required(row, r0, "date")
            return None
        day = parse_date(raw)
        if day is None:
            self.error(r0, "date", raw, "date.invalid", f"日期“{raw_text(raw)}”无法识别。",
                       f"Date '{raw_text(raw)}' is not understood.",
                       "请写成 2026-03-05 或 2026年3月5日 的形式，或设为 Excel 日期格式。",
                       "Write it as 2026-03-05 or 2026年3月5日, or format the cell as an Excel date.")  # fmt: skip
        elif year is not None and day.year != year:
            self.error(r0, "date", raw, "value.out_of_range", f"日期 {day:%Y-%m-%d} 不在 {year} 年内。",
                       f"Date {day:%Y-%m-%d} is not in {year}.",
                       f"请只导入 {year} 年的服务记录，或改正日期。", f"Import only the services of {year}, or correct the date.")  # fmt: skip
            return None
        return day

    def kind(self, row: Sequence[Any], r0: int) -> str:
        v = self.required(row, r0, "kind")
        if not v:
            return ""
        kind = SERVICE_KINDS.get(v.replace(" ", ""))
        if kind is None:
            self.error(r0, "kind", v, "value.implausible", f"服务类型“{v}”不是规定的类型。",
                       f"Service kind '{v}' is not one of the kinds.",
                       "请填写 技术指导、培训、示范推广、创业带动 或 科普 之一。",
                       "Enter one of 技术指导, 培训, 示范推广, 创业带动, 科普.")  # fmt: skip
            return ""
        return kind

    def people(self, row: Sequence[Any], r0: int) -> int | None:
        raw = self.get(row, "people")
        if is_blank(raw):
            self.required(row, r0, "people")
            return None
        cv = parse_cell(raw)
        if not cv.ok or cv.value != cv.value:
            self.error(r0, "people", raw, "value.not_number", f"服务人数“{raw_text(raw)}”不是数字。",
                       f"People reached '{raw_text(raw)}' is not a number.", "请填写整数人数，如 35。",
                       "Enter a whole number of people, e.g. 35.")  # fmt: skip
            return None
        if cv.value != int(cv.value) or not 0 <= cv.value <= MAX_PEOPLE:
            self.error(r0, "people", raw, "value.out_of_range",
                       f"服务人数 {cv.value:g} 应为 0–{MAX_PEOPLE:,} 的整数。",
                       f"People reached {cv.value:g} must be a whole number 0–{MAX_PEOPLE:,}.",
                       "请核对人数；一次服务超过一万人请分成多条记录。",
                       "Check the number; split a service of more than 10,000 people into several records.")  # fmt: skip
            return None
        return int(cv.value)
