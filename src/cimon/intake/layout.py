"""Reading the grid of a template sheet: the header row of machine codes, the variable columns,
the county of each row and the cells of a counties × variables sheet.

Shared by the template reader (:mod:`cimon.intake.reader`) and the expert sheets
(:mod:`cimon.intake.qualitative`). Rows are tuples of values from openpyxl's read-only mode
(or cells, where a number format matters); every place is named with an A1 reference computed
from 0-based indices.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from cimon.errors import RegionError
from cimon.intake.report import ValidationReport
from cimon.intake.submission import ParsedSubmission, Record
from cimon.intake.workbook import (
    CITY,
    REGION_CODE,
    REGION_NAME,
    SheetLayout,
    cell_ref,
    col_letter,
    is_blank,
    norm_header_variants,
    norm_text,
    raw_text,
    row_get,
)
from cimon.model.cells import parse_cell
from cimon.model.framework import Framework, Variable
from cimon.model.regions import Region, RegionRegistry

FIXED = (REGION_CODE, REGION_NAME, CITY)


def find_code_row(rows: Sequence[Sequence[Any]], expected: int, limit: int = 15) -> int | None:
    """0-based index of the header row of machine codes (the one holding ``region_code``, or
    ``variable`` in a claims sheet): the expected row if it is there, else the first such row."""
    markers = {REGION_CODE, "variable"}

    def has(i: int) -> bool:
        return i < len(rows) and any(
            isinstance(v, str) and v.strip() in markers for v in rows[i][:10]
        )

    if has(expected):
        return expected
    return next((i for i in range(min(limit, len(rows))) if has(i)), None)


def header_codes(row: Sequence[Any]) -> list[str]:
    """The machine codes of a header row (trailing blanks dropped)."""
    codes = ["" if is_blank(v) else str(v).strip() for v in row]
    while codes and not codes[-1]:
        codes.pop()
    return codes


def layout_changed(
    report: ValidationReport, layout: SheetLayout, codes: list[str], code_row0: int
) -> None:
    """``template.version`` when the header codes are not where the template put them."""
    expected = list(layout.columns)
    if code_row0 != layout.code_row - 1:
        where_zh = f"表头行从第 {layout.code_row} 行移到了第 {code_row0 + 1} 行（有行被插入或删除）"
        where_en = (
            f"the header row moved from row {layout.code_row} to row {code_row0 + 1} "
            "(rows inserted or deleted above it)"
        )
        cell = f"{code_row0 + 1}:{code_row0 + 1}"
    elif codes != expected:
        j = next(
            (
                k
                for k in range(max(len(codes), len(expected)))
                if row_get(codes, k) != row_get(expected, k)
            ),
            0,
        )
        want, got = row_get(expected, j), row_get(codes, j)
        where_zh = f"第 {col_letter(j)} 列应为“{want or '（无）'}”，实际为“{got or '（空）'}”（有列被插入、删除或移动）"
        where_en = (
            f"column {col_letter(j)} should be '{want or '(none)'}' but is '{got or '(blank)'}' "
            "(columns inserted, deleted or moved)"
        )
        cell = f"{col_letter(j)}{code_row0 + 1}"
    else:
        return
    report.add(
        "template.version",
        f"工作表的结构与模板不符：{where_zh}。",
        f"The sheet's layout differs from the template: {where_en}.",
        "请不要增删或移动行、列；请在新下载的模板中重新填写，或把行列恢复原样。",
        "Do not insert, delete or move rows or columns; fill in a fresh template or restore them.",
        sheet=layout.name,
        cell=cell,
    )


class RegionColumns:
    """Resolves the county of a row from its code and/or name cell, reporting problems."""

    def __init__(
        self,
        registry: RegionRegistry,
        report: ValidationReport,
        sheet: str,
        *,
        duplicates: bool = True,
        file: str = "",
    ) -> None:
        self.registry = registry
        self.report = report
        self.sheet = sheet
        self.duplicates = duplicates  # False: a county may come twice (checked by the caller)
        self.where = {"sheet": sheet, "file": file or report.source}
        self.cache: dict[str, Region | None] = {}
        self.seen: dict[str, int] = {}  # region code → 1-based row where it first appeared

    def _find(self, raw: object) -> Region | None:
        key = raw_text(raw).strip()
        if key not in self.cache:
            self.cache[key] = self.registry.find(key)
        return self.cache[key]

    def resolve(
        self, code_raw: object, name_raw: object, row0: int, code_col0: int, name_col0: int
    ) -> Region | None:
        """The row's county, or None after reporting ``region.unknown``/``region.duplicate``."""
        by_code = None if is_blank(code_raw) else self._find(code_raw)
        by_name: Region | None
        if by_code is not None and (is_blank(name_raw) or name_raw == by_code.name):
            by_name = by_code  # the usual template row: no need to normalise the name
        else:
            by_name = None if is_blank(name_raw) else self._find(name_raw)
        if by_code is not None and by_name is not None and by_code.code != by_name.code:
            self.report.add(
                "region.unknown",
                f"区划代码“{raw_text(code_raw)}”是{by_code.name}，但名称写的是“{raw_text(name_raw)}”。",
                f"Code '{raw_text(code_raw)}' is {by_code.name} but the name says '{raw_text(name_raw)}'.",
                "请核对该行的区划代码和县（市、区）名称，使两者一致。",
                "Check the row's code and county name and make them agree.",
                **self.where,
                cell=cell_ref(row0, name_col0),
                value=raw_text(name_raw),
            )
            return None
        region = by_code or by_name
        if region is None:
            bad_col, bad = (
                (code_col0, code_raw) if not is_blank(code_raw) else (name_col0, name_raw)
            )
            text = raw_text(bad).strip()
            if not text:
                zh, en = "该行有数据但没有县（市、区）。", "The row has data but no county."
            else:
                try:
                    self.registry.match(text)
                    zh, en = f"无法识别的县（市、区）“{text}”。", f"Unknown county '{text}'."
                except RegionError as exc:
                    zh, en = exc.zh, exc.en
            self.report.add(
                "region.unknown",
                zh,
                en,
                "请填写正式的县（市、区）名称或 6 位区划代码；不要在模板中增加行。",
                "Enter the official county name or its 6-digit code; do not add rows to a template.",
                **self.where,
                cell=cell_ref(row0, bad_col),
                value=text,
            )
            return None
        first = self.seen.get(region.code)
        if first is not None and self.duplicates:
            self.report.add(
                "region.duplicate",
                f"{region.name}出现了两次：第 {first} 行和第 {row0 + 1} 行。第 {row0 + 1} 行未读取。",
                f"{region.name} appears twice: rows {first} and {row0 + 1}. Row {row0 + 1} was not read.",
                "请删除重复的一行，只保留正确的数据。",
                "Delete the duplicate row and keep the correct data.",
                **self.where,
                cell=cell_ref(row0, code_col0 if not is_blank(code_raw) else name_col0),
                region=region.code,
                region_name=region.name,
            )
            return None
        self.seen.setdefault(region.code, row0 + 1)
        return region

    def report_missing(self) -> None:
        """``region.missing`` for each county of the registry without a row."""
        for region in self.registry:
            if region.code not in self.seen:
                self.report.add(
                    "region.missing",
                    f"缺少{region.name}（{region.code}）的数据行。",
                    f"No row for {region.name} ({region.code}).",
                    "请补上该县（市、区）的数据；确实没有数据的请保留该行并留空。",
                    "Add the county's data; if it has none, keep its row with blank cells.",
                    **self.where,
                    region=region.code,
                    region_name=region.name,
                )


def percent_value(cell: Any) -> tuple[object, str]:
    """A numeric cell formatted as a percentage stores a fraction (2.15% is 0.0215): return the
    percentage number and a note; any other cell: its value unchanged."""
    v = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(v, int | float) and not isinstance(v, bool) and "%" in fmt and math.isfinite(v):
        pct = float(Decimal(repr(float(v))) * 100)
        return pct, f"百分比格式 {v!r} → {pct!r}"
    return v, ""


def read_cells(
    rows: Sequence[Sequence[Any]],
    first0: int,
    columns: Sequence[tuple[int, Variable]],
    sub: ParsedSubmission,
    sheet: str,
    regions: RegionColumns,
    code_col0: int,
    name_col0: int,
    cells: bool,
) -> None:
    """Turn the data rows of a counties × variables sheet into records (blank → missing).
    ``cells``: the rows hold openpyxl cells (not values), so percent formats can be seen."""
    report, year, records = sub.report, sub.year, sub.records
    width = max((c for c, _ in columns), default=0) + 1
    pct = {c for c, v in columns if v.unit == "%"} if cells else set()
    for row0 in range(first0, len(rows)):
        row = rows[row0]
        vals = [c.value for c in row] if cells else row
        code_raw, name_raw = row_get(vals, code_col0), row_get(vals, name_col0)
        if (
            is_blank(code_raw)
            and is_blank(name_raw)
            and all(is_blank(row_get(vals, j)) for j in range(width))
        ):
            continue
        region = regions.resolve(code_raw, name_raw, row0, code_col0, name_col0)
        if region is None:
            continue
        for col0, var in columns:
            raw = row_get(vals, col0)
            note0 = ""
            if col0 in pct and col0 < len(row):
                raw, note0 = percent_value(row[col0])
            cv = parse_cell(raw, var)
            ref = cell_ref(row0, col0)
            if not cv.ok:
                cv.report_error(
                    report,
                    sheet=sheet,
                    cell=ref,
                    region=region.code,
                    region_name=region.name,
                    variable=var.code,
                    value=raw_text(raw),
                )
                continue
            note = f"{note0}；{cv.note}" if note0 and cv.note else note0 or cv.note
            records.append(
                Record(
                    region.code,
                    year,
                    var.code,
                    cv.value,
                    cv.status,
                    "",
                    sheet,
                    ref,
                    raw_text(raw),
                    note,
                )
            )


def variable_columns(
    report: ValidationReport,
    sheet: str,
    rows: Sequence[Sequence[Any]],
    code_row0: int,
    codes: list[str],
    expected: dict[str, Variable],
    framework: Framework,
    layout: SheetLayout,
) -> list[tuple[int, Variable]]:
    """The (column, variable) pairs of a header row of codes; unknown, duplicate and missing
    columns are reported."""
    known = {v.code: v for v in framework.variables}
    out: list[tuple[int, Variable]] = []
    seen: dict[str, int] = {}
    first0 = code_row0 + (layout.first_row - layout.code_row)
    for j, code in enumerate(codes):
        if code in FIXED:
            continue
        ref = cell_ref(code_row0, j)
        if code in expected:
            if code in seen:
                report.add(
                    "column.duplicate",
                    f"变量 {code} 的列出现了两次（{col_letter(seen[code])} 列和 {col_letter(j)} 列），"
                    f"{col_letter(j)} 列未读取。",
                    f"Variable {code} has two columns ({col_letter(seen[code])} and "
                    f"{col_letter(j)}); column {col_letter(j)} was not read.",
                    "请删除重复的列。",
                    "Delete the duplicate column.",
                    sheet=sheet,
                    cell=ref,
                    variable=code,
                )
                continue
            seen[code] = j
            out.append((j, expected[code]))
            continue
        if not code and not any(not is_blank(row_get(r, j)) for r in rows[first0:]):
            continue  # an empty column
        if code in known:
            zh = f"变量 {code}（{known[code].name_zh}）由{known[code].department}报送，不属于本表。"
            en = f"Variable {code} is supplied by {known[code].department}, not in this sheet."
        else:
            zh = f"第 {col_letter(j)} 列的表头“{code or '（空）'}”不是本表的变量，该列未读取。"
            en = f"The header '{code or '(blank)'}' of column {col_letter(j)} is not a variable of this sheet; the column was not read."
        report.add(
            "column.unknown",
            zh,
            en,
            "请删除该列；不要在模板中增加列。",
            "Delete the column; do not add columns to a template.",
            sheet=sheet,
            cell=ref,
            value=code,
        )
    for k, code in enumerate(layout.columns):
        if code in expected and code not in seen:
            var = expected[code]
            report.add(
                "column.missing",
                f"缺少变量 {code}（{var.name_zh}）的列。",
                f"The column of variable {code} ({var.name_en}) is missing.",
                "请恢复该列（不要删除模板中的列），或在新下载的模板中重新填写。",
                "Restore the column (do not delete template columns), or use a fresh template.",
                sheet=sheet,
                cell=f"{col_letter(k)}{code_row0 + 1}",
                variable=code,
            )
    return out


# ------------------------------------------------------------------------------------------
# free-form headers

#: what a free-form column can be (targets of a column mapping, besides variable codes)
ROLES = ("region", "region_code", "region_name", "year", "variable", "value", "expert", "ignore")
KEYWORDS: dict[str, set[str]] = {
    "region_code": {"region_code", "code", "county_code", "区划代码", "代码", "行政区划代码"},
    "region": {
        "region",
        "county",
        "region_name",
        "county_name",
        "name",
        "县",
        "县区",
        "区县",
        "县(市、区)",
        "县(市,区)",
        "县市区",
        "县(区)",
        "地区",
        "县名",
        "县名称",
        "名称",
        "行政区",
        "行政区划",
        "行政区名称",
        "县(市、区)名称",
    },
    "year": {"year", "年份", "年度", "数据年度", "数据年份", "年", "统计年度"},
    "variable": {
        "variable",
        "指标",
        "变量",
        "指标名称",
        "指标代码",
        "变量代码",
        "变量名称",
        "项目",
    },
    "value": {"value", "数值", "值", "数据", "填报值", "填报数", "数"},
    "expert": {"expert", "专家", "专家姓名", "评分专家"},
    "ignore": {
        "序号",
        "no",
        "no.",
        "city",
        "设区市",
        "所属设区市",
        "市",
        "status",
        "source",
        "note",
        "备注",
        "说明",
        "计量单位",
        "单位",
        "unit",
        "province",
        "省",
    },
}


class HeaderRoles:
    """What each column of a free-form header row is: a variable (by code, Chinese or English
    name), the county, year, variable, value or expert column, or one to ignore."""

    def __init__(
        self, framework: Framework, mapping: dict[str, str] | None, report: ValidationReport
    ) -> None:
        self.vars: dict[str, Variable] = {}
        for v in framework.variables:
            for key in (v.code, v.name_zh, v.name_en):
                self.vars.setdefault(norm_text(key), v)
        self.keywords = {norm_text(k): role for role, ks in KEYWORDS.items() for k in ks}
        self.mapping: dict[str, str] = {}
        for src, target in (mapping or {}).items():
            if target not in ROLES and target not in {v.code for v in framework.variables}:
                report.add(
                    "mapping.invalid",
                    f"列映射“{src}”→“{target}”无效：“{target}”既不是变量代码，也不是 "
                    f"{'/'.join(ROLES)} 之一。",
                    f"Mapping '{src}' → '{target}' is invalid: '{target}' is neither a variable "
                    f"code nor one of {'/'.join(ROLES)}.",
                    "请改正列映射中的目标名称。",
                    "Correct the target in the column mapping.",
                    value=f"{src}={target}",
                )
                continue
            self.mapping[norm_text(src)] = target
        self.codes = {v.code: v for v in framework.variables}

    def role(self, header: object) -> tuple[str, Variable | None] | None:
        """(role, variable) of a header cell, or None when unrecognised."""
        if is_blank(header):
            return None
        for key in norm_header_variants(header):
            target = self.mapping.get(key)
            if target is not None:
                var = self.codes.get(target)
                return ("var", var) if var is not None else (target, None)
        for key in norm_header_variants(header):
            if key in self.keywords:
                return self.keywords[key], None
            if key in self.vars:
                return "var", self.vars[key]
        return None

    def variable(self, text: object) -> Variable | None:
        for key in norm_header_variants(text):
            if key in self.mapping and self.mapping[key] in self.codes:
                return self.codes[self.mapping[key]]
            if key in self.vars:
                return self.vars[key]
        return None


def parse_year(raw: object) -> int | None:
    """A year cell (``2021``, ``2021.0``, ``\"2021年\"``, full-width digits) or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return int(raw) if raw == int(raw) and 1900 <= raw <= 2200 else None
    text = unicodedata.normalize("NFKC", str(raw)).strip().removesuffix("年度").removesuffix("年")
    text = text.removesuffix(".0")
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2200 else None
