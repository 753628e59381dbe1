"""Free-form CSV/XLSX submissions: tables that are not cimon templates.

Two shapes are understood:

* **long**: one value per row, columns for the county, the year, the variable and the value
  (``region, year, variable, value``), optionally ``expert``;
* **wide**: one row per county (and year), one column per variable.

Columns are recognised by an explicit ``mapping`` (header → ``region``, ``region_code``,
``region_name``, ``year``, ``variable``, ``value``, ``expert``, ``ignore`` or a variable code,
e.g. ``{"县区": "region", "年份": "year", "R&D经费": "rd_exp"}``) or, without one, by their header:
a variable's code or Chinese/English name (compared after NFKC normalisation — full-width to
half-width — without spaces, ignoring a trailing unit in brackets such as ``（万元）``) and common
Chinese/English names of the county and year columns. The header row is the row, among the first
20, that the most header cells are recognised in. Years in the table are **data years**; without a
year column the ``year`` argument (evaluation year − data lag) is used.

CSV files may be UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or GBK/GB18030
(what Chinese Excel writes by default); comma, tab and semicolon delimiters are recognised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from cimon.intake.layout import HeaderRoles, RegionColumns, parse_year
from cimon.intake.report import ValidationReport
from cimon.intake.submission import ParsedSubmission, Record
from cimon.intake.workbook import (
    INSTRUCTIONS_SHEET,
    REGION_CODE,
    cell_ref,
    col_letter,
    is_blank,
    norm_expert,
    norm_text,
    raw_text,
    row_get,
)
from cimon.model.cells import parse_cell
from cimon.model.framework import Framework, Variable
from cimon.model.regions import RegionRegistry

__all__ = ["decode_csv", "read_csv", "read_table", "read_workbook"]

#: first cells of the unit/definition rows under a template's header: not counties
LABEL_ROWS = {"计量单位", "指标解释", "单位", "说明"}
TITLE_MARK = "县域科技创新监测评价"


def decode_csv(data: bytes) -> str | None:
    """The text of CSV bytes: UTF-16 with a BOM, else UTF-8 (BOM optional), else GB18030 (a
    superset of GBK and GB2312); None when none of them fits."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def read_csv(
    data: bytes,
    sub: ParsedSubmission,
    framework: Framework,
    registry: RegionRegistry,
    data_year: int | None,
    mapping: dict[str, str] | None,
    department: str | None,
) -> None:
    """Read CSV bytes into ``sub`` (see :func:`read_table`)."""
    text = decode_csv(data)
    rows: list[list[Any]] | None = None
    if text is not None:
        try:
            sample = text[:8192]
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
            except csv.Error:
                dialect = csv.excel
            rows = [
                [c if c.strip() else None for c in r]
                for r in csv.reader(io.StringIO(text), dialect)
            ]
        except (csv.Error, ValueError):
            rows = None
    if rows is None:
        sub.report.add(
            "file.unreadable",
            "无法读取该 CSV 文件（编码无法识别或格式损坏）。",
            "The CSV file cannot be read (unknown encoding or damaged).",
            "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后重新提交。",
            "Save it from Excel as 'CSV UTF-8 (comma delimited)' and resubmit.",
        )
        return
    read_table(rows, "", sub, framework, registry, data_year, mapping, department)


def read_workbook(
    wb: Any,
    sub: ParsedSubmission,
    framework: Framework,
    registry: RegionRegistry,
    data_year: int | None,
    mapping: dict[str, str] | None,
    department: str | None,
) -> None:
    """Read one worksheet: the first whose header names a county column, else the first with
    content. Other sheets with content are reported as not read (``sheet.ignored``); a
    template's 填报说明 sheet is skipped silently."""
    sheets = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title != INSTRUCTIONS_SHEET and any(not is_blank(v) for r in rows for v in r):
            sheets.append((ws.title, rows))
    if not sheets:
        sub.report.add(
            "file.empty",
            "文件中没有任何数据。",
            "The file holds no data.",
            "请填写数据后重新提交。",
            "Enter the data and resubmit.",
        )
        return
    cols = HeaderRoles(framework, mapping, ValidationReport())
    region_roles = {"region", "region_code", "region_name"}
    chosen = next(
        (
            k
            for k, (_, rows) in enumerate(sheets)
            if any((cols.role(v) or ("",))[0] in region_roles for r in rows[:20] for v in r)
        ),
        0,
    )
    for k, (title, rows) in enumerate(sheets):
        if k == chosen:
            read_table(rows, title, sub, framework, registry, data_year, mapping, department)
            continue
        sub.report.add(
            "sheet.ignored",
            f"只读取了工作表“{sheets[chosen][0]}”，工作表“{title}”未读取。",
            f"Only sheet '{sheets[chosen][0]}' was read; sheet '{title}' was not.",
            "请把所有数据放在一个工作表中，或分成多个文件提交。",
            "Put all data in one sheet, or submit one file per sheet.",
            sheet=title,
        )


def read_table(
    rows: Sequence[Sequence[Any]],
    sheet: str,
    sub: ParsedSubmission,
    framework: Framework,
    registry: RegionRegistry,
    data_year: int | None,
    mapping: dict[str, str] | None,
    department: str | None,
) -> None:
    """Read a free-form table (rows of cell values) in long or wide shape into ``sub.records``."""
    report = sub.report
    cols = HeaderRoles(framework, mapping, report)
    best, head0 = 0, -1
    for i in range(min(20, len(rows))):
        score = sum(cols.role(v) is not None for v in rows[i])
        if score and score >= best:
            best, head0 = score, i
    header = rows[head0] if head0 >= 0 else ()
    roles = [cols.role(v) for v in header]
    where = {"sheet": sheet}
    has = {r[0]: j for j, r in reversed(list(enumerate(roles))) if r is not None}
    if (
        head0 >= 0
        and REGION_CODE in [raw_text(v).strip() for v in header]
        and any(TITLE_MARK in raw_text(v) for r in rows[:2] for v in r)
    ):
        report.add(
            "template.version",
            "这看起来是本系统的模板，但其中隐藏的信息表（_cimon）已被删除，无法确认模板的年度和报送单位。",
            "This looks like a cimon template, but its hidden information sheet (_cimon) was "
            "deleted: its year and department cannot be confirmed.",
            "请重新下载本年度模板，把数据复制到新模板中再提交。",
            "Download this year's template again, copy the data into it and resubmit.",
            **where,
        )
    code_col0 = has.get("region_code", has.get("region", has.get("region_name", -1)))
    name_col0 = has.get("region_name", has.get("region", code_col0))
    if code_col0 < 0:
        report.add(
            "column.missing",
            "找不到县（市、区）列。表头应有“县（市、区）”“区划代码”或 region 等列名。",
            "No county column found. The header needs a column such as 县（市、区）, 区划代码 or "
            "region.",
            "请在第一行写明列名（如“县（市、区）”“年份”和变量名称），或提供列映射。",
            "Put column names in the first row (county, year and variable names), or give a "
            "column mapping.",
            cell=f"{head0 + 1}:{head0 + 1}" if head0 >= 0 else "1:1",
            **where,
        )
        return
    year_col0 = has.get("year", -1)
    if year_col0 < 0 and data_year is None:
        report.add(
            "column.missing",
            "没有年份列，也没有指定数据年度。",
            "There is no year column and no year was given.",
            "请增加“年份”列（填数据年度，如 2021），或导入时指定年度（--year）。",
            "Add a year column (the data year, e.g. 2021), or give the year when importing (--year).",
            cell=f"{head0 + 1}:{head0 + 1}",
            **where,
        )
        return
    long = "variable" in has and "value" in has
    if "variable" in has and "value" not in has:
        report.add(
            "column.missing",
            "有“指标”列但没有“数值”列。",
            "There is a variable column but no value column.",
            "长表需要“指标”和“数值”两列。",
            "A long table needs both a variable and a value column.",
            cell=f"{head0 + 1}:{head0 + 1}",
            **where,
        )
        return
    columns: list[tuple[int, Variable]] = []
    if not long:
        for j, r in enumerate(roles):
            if r is not None and r[0] == "var" and r[1] is not None:
                if _foreign(report, r[1], department, cell_ref(head0, j), where):
                    continue
                if any(v.code == r[1].code for _, v in columns):
                    report.add(
                        "column.duplicate",
                        f"变量 {r[1].code}（{r[1].name_zh}）有两列，{col_letter(j)} 列未读取。",
                        f"Variable {r[1].code} has two columns; column {col_letter(j)} was not read.",
                        "请删除重复的列。",
                        "Delete the duplicate column.",
                        cell=cell_ref(head0, j),
                        variable=r[1].code,
                        **where,
                    )
                    continue
                columns.append((j, r[1]))
            elif r is None and (
                not is_blank(row_get(header, j))
                or any(not is_blank(row_get(row, j)) for row in rows[head0 + 1 :])
            ):
                text = raw_text(row_get(header, j)).strip()
                report.add(
                    "column.unknown",
                    f"无法识别第 {col_letter(j)} 列“{text or '（无表头）'}”：它不是指标体系 "
                    f"{framework.id} 中的变量，该列未读取。",
                    f"Column {col_letter(j)} '{text or '(no header)'}' is not a variable of "
                    f"framework {framework.id}; it was not read.",
                    "请把表头改为变量代码或变量名称，或在列映射中说明该列；无关的列请删除。",
                    "Rename the header to a variable code or name, or map it; delete unrelated "
                    "columns.",
                    cell=cell_ref(head0, j),
                    value=text,
                    **where,
                )
    regions = RegionColumns(registry, report, sheet, duplicates=False)
    seen: dict[tuple[str, int, str, str], str] = {}
    years: set[int] = set()
    var_col0, value_col0, expert_col0 = (
        has.get("variable", -1),
        has.get("value", -1),
        has.get("expert", -1),
    )
    source_col0 = next(
        (j for j, v in enumerate(header) if raw_text(v).strip().lower() == "source"), -1
    )
    # a long table's status column (cimon's own panel files): estimated / imputed values keep
    # their status; reported and missing follow from the value itself
    status_col0 = (
        next(
            (
                j
                for j, v in enumerate(header)
                if raw_text(v).strip().lower() in ("status", "数据状态", "状态")
            ),
            -1,
        )
        if long
        else -1
    )
    for row0 in range(head0 + 1, len(rows)):
        row = rows[row0]
        if all(is_blank(v) for v in row):
            continue
        code_raw, name_raw = row_get(row, code_col0), row_get(row, name_col0)
        if norm_text(raw_text(code_raw)) in LABEL_ROWS:
            continue
        region = regions.resolve(code_raw, name_raw, row0, code_col0, name_col0)
        if region is None:
            continue
        year = data_year
        if year_col0 >= 0:
            yraw = row_get(row, year_col0)
            y = parse_year(yraw) if not is_blank(yraw) else data_year
            ref = cell_ref(row0, year_col0)
            if y is None:
                report.add(
                    "year.invalid",
                    f"年份“{raw_text(yraw)}”无效。",
                    f"Year '{raw_text(yraw)}' is invalid.",
                    "请填写四位数字的数据年度，如 2021。",
                    "Enter the four-digit data year, e.g. 2021.",
                    cell=ref,
                    region=region.code,
                    region_name=region.name,
                    value=raw_text(yraw),
                    **where,
                )
                continue
            if data_year is not None and y != data_year:
                report.add(
                    "year.wrong",
                    f"数据年度为 {y}，本次应报送 {data_year} 年的数据。",
                    f"The data year is {y}; this submission is for data year {data_year}.",
                    f"请只提交 {data_year} 年的数据（{data_year + framework.data_lag} 年度评价使用 "
                    f"{data_year} 年数据）。",
                    f"Submit data of {data_year} only (the {data_year + framework.data_lag} "
                    f"evaluation uses {data_year} data).",
                    cell=ref,
                    region=region.code,
                    region_name=region.name,
                    value=raw_text(yraw),
                    **where,
                )
                continue
            year = y
        assert year is not None
        expert = norm_expert(row_get(row, expert_col0)) if expert_col0 >= 0 else ""
        # cimon's own panel files (``cimon demo``'s CSV, Panel frames) name the expert of a
        # rubric score in ``source``, as ``expert3`` or ``file.xlsx#expert3``
        source = (
            raw_text(row_get(row, source_col0)).rsplit("#", 1)[-1].strip()
            if source_col0 >= 0 and not expert
            else ""
        )
        if long:
            vraw = row_get(row, var_col0)
            var = cols.variable(vraw)
            if var is None:
                if not is_blank(vraw):
                    report.add(
                        "variable.unknown",
                        f"无法识别的变量“{raw_text(vraw)}”。",
                        f"Unknown variable '{raw_text(vraw)}'.",
                        f"请使用指标体系 {framework.id} 中的变量代码或名称。",
                        f"Use a variable code or name of framework {framework.id}.",
                        cell=cell_ref(row0, var_col0),
                        region=region.code,
                        region_name=region.name,
                        value=raw_text(vraw),
                        **where,
                    )
                continue
            if _foreign(report, var, department, cell_ref(row0, var_col0), where):
                continue
            if source and var.kind == "rubric":
                expert = norm_expert(source)
            cells = [(value_col0, var)]
        else:
            cells = columns
        for col0, var in cells:
            raw = row_get(row, col0)
            ref = cell_ref(row0, col0)
            key = (region.code, year, var.code, expert)
            if key in seen:
                report.add(
                    "region.duplicate",
                    f"{region.name} {year} 年的 {var.code} 出现了两次（{seen[key]} 和 {ref}），{ref} 未读取。",
                    f"{region.name}'s {var.code} for {year} appears twice ({seen[key]} and {ref}); "
                    f"{ref} was not read.",
                    "请删除重复的数据。",
                    "Delete the duplicate.",
                    cell=ref,
                    region=region.code,
                    region_name=region.name,
                    variable=var.code,
                    value=raw_text(raw),
                    **where,
                )
                continue
            seen[key] = ref
            cv = parse_cell(raw, var)
            if not cv.ok:
                cv.report_error(
                    report,
                    cell=ref,
                    region=region.code,
                    region_name=region.name,
                    variable=var.code,
                    value=raw_text(raw),
                    **where,
                )
                continue
            years.add(year)
            status = cv.status
            if status_col0 >= 0 and status == "reported":
                status = _status_word(row_get(row, status_col0))
            sub.records.append(
                Record(
                    region.code,
                    year,
                    var.code,
                    cv.value,
                    status,
                    expert,
                    sheet,
                    ref,
                    raw_text(raw),
                    cv.note,
                )
            )
    if data_year is None and years:
        sub.year = max(years)


def _status_word(raw: object) -> str:
    """A status cell of a long table: ``estimated``/``imputed`` (in English or Chinese) or, for
    anything else (``reported``, 填报, blank), ``reported``."""
    from cimon.intake.statuses import STATUS_WORDS

    text = raw_text(raw).strip().casefold()
    return next(
        (code for code, words in STATUS_WORDS.items() if text in {w.casefold() for w in words}),
        "reported",
    )


def _foreign(
    report: ValidationReport,
    var: Variable,
    department: str | None,
    cell: str,
    where: dict[str, str],
) -> bool:
    """A variable of another department in a department's file: ``column.unknown``."""
    if not department or var.department == department:
        return False
    report.add(
        "column.unknown",
        f"变量 {var.code}（{var.name_zh}）由{var.department}报送，不属于{department}的报送内容，未读取。",
        f"Variable {var.code} is supplied by {var.department}, not by {department}; not read.",
        f"请删除该列，或由{var.department}报送。",
        f"Delete it, or have {var.department} submit it.",
        cell=cell,
        variable=var.code,
        **where,
    )
    return True
