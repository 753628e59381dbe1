"""Read a submitted file into a :class:`~cimon.intake.submission.ParsedSubmission`.

:func:`read_submission` never raises for anything in the file: a damaged zip, a wrong file type,
an empty file, merged cells, extra or renamed sheets, moved columns or junk in cells all become
issues of ``sub.report``, each with the sheet, the cell (``D7``), the county and the variable.

A workbook with our very hidden ``_cimon`` sheet is a cimon template: its identity is checked
(framework and its hash → ``template.framework``; evaluation year → ``template.year``; supplying
department → ``template.department``; template version, edited metadata or moved columns →
``template.version``) and its sheets are read by their machine-code header row, so values are
found even where the layout was changed. Anything else is read as a free-form table
(:mod:`cimon.intake.freeform`).

Reading uses openpyxl's read-only mode with plain values (cell coordinates are computed from
row and column indices); cells are only materialised for sheets with percentage variables,
whose number format matters (a cell showing 2.15% stores 0.0215).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from cimon.intake.experts import ExpertSheet, check_experts, read_expert_sheet
from cimon.intake.freeform import read_csv, read_workbook
from cimon.intake.layout import (
    RegionColumns,
    find_code_row,
    header_codes,
    layout_changed,
    read_cells,
    variable_columns,
)
from cimon.intake.limits import REDO_EN, REDO_ZH, Limits, check_csv, inspect_zip
from cimon.intake.qualitative import read_claims_sheet
from cimon.intake.report import ValidationReport
from cimon.intake.submission import ParsedSubmission
from cimon.intake.workbook import (
    INSTRUCTIONS_SHEET,
    META_SHEET,
    REGION_CODE,
    REGION_NAME,
    TEMPLATE_VERSION,
    MetaError,
    SheetLayout,
    TemplateMeta,
    is_blank,
    load_xlsx,
    parse_meta,
    read_bytes,
    sha256_bytes,
)
from cimon.intake.xmlscan import bound_sheets, scan_parts
from cimon.model.framework import Framework
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry

__all__ = ["read_submission"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv")

log = logging.getLogger(__name__)


def read_submission(
    path: str | Path,
    framework: Framework,
    registry: RegionRegistry,
    *,
    year: int | None = None,
    mapping: dict[str, str] | None = None,
    department: str | None = None,
) -> ParsedSubmission:
    """Read a template or a free-form CSV/XLSX file; never raises for the file's content.

    Parameters
    ----------
    path:
        The submitted file (``.xlsx``/``.xlsm`` or ``.csv``).
    framework, registry:
        The indicator framework and the counties the file is checked against.
    year:
        The **evaluation** year the file is expected for; ``None`` accepts the template's (for a
        free-form file: the years in its year column). Records carry the data year,
        ``year - framework.data_lag``.
    mapping:
        For free-form files: header → ``region``/``year``/``variable``/``value`` or a variable
        code, e.g. ``{"县区": "region", "R&D经费": "rd_exp"}``.
    department:
        The department the file is expected from; a template of another department gives
        ``template.department``.

    Returns
    -------
    ParsedSubmission
        Records (blank cells as ``status="missing"`` with NaN), claims of a county's
        self-assessment, expert scores (``Record.expert``), and the report.
    """
    p = Path(path)
    sub, _ = read_file(p, framework, registry, year=year, mapping=mapping, department=department)
    return sub


def read_file(
    p: Path,
    framework: Framework,
    registry: RegionRegistry,
    *,
    year: int | None = None,
    mapping: dict[str, str] | None = None,
    department: str | None = None,
    finish_experts: bool = True,
) -> tuple[ParsedSubmission, list[ExpertSheet]]:
    """:func:`read_submission`, also returning the expert sheets read (for checks across files
    by :func:`cimon.intake.multi.read_expert_sheets`, which passes
    ``finish_experts=False``)."""
    report = ValidationReport(p.name)
    sub = ParsedSubmission(
        file_name=p.name,
        sha256="",
        kind="freeform",
        year=(year - framework.data_lag) if year is not None else 0,
        framework_id=framework.id,
        framework_version=framework.version,
        framework_hash=framework.hash,
        department=department or "",
        report=report,
    )
    experts: list[ExpertSheet] = []
    try:
        _read_into(sub, p, framework, registry, year, mapping, department, experts)
        if experts and finish_experts:
            sub.records.extend(check_experts(experts, report, registry=registry))
    except Exception:  # the contract: a file never makes the reader raise
        # the place in our code is for the log, not for the person who sent the file
        log.exception("reading %s failed", p.name)
        report.add(
            "file.unreadable",
            "无法读取该文件：文件可能已损坏，或含有本系统无法处理的内容。",
            "The file cannot be read: it may be damaged or hold content this system cannot handle.",
            REDO_ZH + "如仍无法导入，请把文件发给系统管理员。",
            REDO_EN + " If it still fails, send the file to the system administrator.",
        )
    return sub, experts


def _read_into(
    sub: ParsedSubmission,
    p: Path,
    framework: Framework,
    registry: RegionRegistry,
    year: int | None,
    mapping: dict[str, str] | None,
    department: str | None,
    experts: list[ExpertSheet],
) -> None:
    report = sub.report
    data = read_bytes(p, report)
    if data is None:
        return
    sub.sha256 = sha256_bytes(data)
    if not data.strip():
        report.add(
            "file.empty",
            "文件是空的。",
            "The file is empty.",
            "请填写模板后重新提交。",
            "Fill in the template and resubmit.",
        )
        return
    data_year = None if year is None else year - framework.data_lag
    suffix = p.suffix.lower()
    limits = Limits.for_intake(len(registry), len(framework.variables))
    if data[:4] == b"\xd0\xcf\x11\xe0" and suffix in (".xlsx", ".xlsm"):
        # an OLE container named .xlsx: a workbook with an opening password, or a renamed .xls
        report.add(
            "file.type",
            "该文件设置了打开密码，或是改了扩展名的旧版 .xls 文件，无法读取。",
            "The file has an opening password, or is a legacy .xls file renamed to .xlsx; it "
            "cannot be read.",
            "请在 Excel 中取消打开密码（文件 → 信息 → 保护工作簿），或“另存为”Excel 工作簿（.xlsx）后重新提交。",
            "Remove the opening password in Excel (File → Info → Protect Workbook), or 'Save "
            "As' an Excel workbook (.xlsx), and resubmit.",
        )
    elif data[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        # the zip's directory and every XML part are checked before openpyxl parses anything
        zf = inspect_zip(data, limits, report)
        if zf is None:
            return
        with zf:
            scans = scan_parts(zf, limits, report)
        if scans is None:
            return
        wb = load_xlsx(data, report)
        if wb is None:
            return
        bound_sheets(wb, scans)
        try:
            if META_SHEET in wb.sheetnames:
                _read_template(wb, sub, framework, registry, year, department, experts)
            else:
                read_workbook(wb, sub, framework, registry, data_year, mapping, department)
        finally:
            wb.close()
    elif suffix in CSV_SUFFIXES:
        if not check_csv(data, limits, report):
            return
        read_csv(data, sub, framework, registry, data_year, mapping, department)
    else:
        legacy = data[:4] == b"\xd0\xcf\x11\xe0" or suffix == ".xls"
        report.add(
            "file.type",
            "这是旧版 Excel 97-2003（.xls）文件。" if legacy else f"不支持的文件类型“{suffix}”。",
            "This is a legacy Excel 97-2003 (.xls) file."
            if legacy
            else f"Unsupported file type '{suffix}'.",
            "请在 Excel 中“另存为”Excel 工作簿（.xlsx）后重新提交；也可提交 CSV 文件。",
            "Save it from Excel as an Excel workbook (.xlsx) and resubmit, or submit a CSV file.",
        )


# ------------------------------------------------------------------------------------------
# templates


def _read_template(
    wb: Any,
    sub: ParsedSubmission,
    framework: Framework,
    registry: RegionRegistry,
    year: int | None,
    department: str | None,
    experts: list[ExpertSheet],
) -> None:
    report = sub.report
    try:
        meta = parse_meta(wb[META_SHEET].iter_rows(max_col=2, values_only=True))
    except MetaError:
        report.add(
            "template.version",
            "模板中隐藏的信息表（_cimon）被改动，无法确认模板的指标体系、年度和报送单位。",
            "The template's hidden information sheet (_cimon) was altered: its framework, year and "
            "department cannot be confirmed.",
            "请重新下载本年度模板，把数据复制到新模板中再提交。",
            "Download this year's template again, copy the data into it and resubmit.",
            sheet=META_SHEET,
        )
        return
    _check_identity(meta, sub, framework, registry, year, department)
    sub.kind = meta.kind
    sub.year = meta.data_year
    sub.department = meta.department
    sub.region_code = meta.region
    sub.expert = meta.expert
    sub.template_version = meta.template_version
    known = {s.name for s in meta.sheets}
    for layout in meta.sheets:
        if layout.name not in wb.sheetnames:
            report.add(
                "sheet.missing",
                f"缺少工作表“{layout.name}”（可能被删除或重命名）。",
                f"Sheet '{layout.name}' is missing (deleted or renamed?).",
                f"请把工作表名称改回“{layout.name}”，或重新下载模板。",
                f"Rename the sheet back to '{layout.name}', or download the template again.",
                sheet=layout.name,
            )
            continue
        ws = wb[layout.name]
        if layout.role == "values":
            _read_values_sheet(ws, layout, sub, framework, registry)
        elif layout.role == "claims":
            read_claims_sheet(ws, layout, sub, framework)
        elif layout.role == "expert":
            experts.append(read_expert_sheet(ws, layout, sub, framework, registry))
        elif layout.role == "status":  # after the data sheets it qualifies (layout order)
            from cimon.intake.statuses import read_status_sheet

            read_status_sheet(ws, layout, sub)
    for name in wb.sheetnames:
        if name in known or name in (META_SHEET, INSTRUCTIONS_SHEET):
            continue
        ws = wb[name]
        if meta.kind == "expert" and meta.sheets:
            found = read_expert_sheet(ws, meta.sheets[0], sub, framework, registry, extra=True)
            if found.cells:
                experts.append(found)
                continue
        if any(not is_blank(v) for row in ws.iter_rows(values_only=True) for v in row):
            report.add(
                "sheet.ignored",
                f"工作表“{name}”不属于本模板，未读取其中的内容。",
                f"Sheet '{name}' is not part of the template; its content was not read.",
                "如其中有需要报送的数据，请填入模板中对应的工作表。",
                "If it holds data to submit, enter them in the template's own sheet.",
                sheet=name,
            )


def _check_identity(
    meta: TemplateMeta,
    sub: ParsedSubmission,
    framework: Framework,
    registry: RegionRegistry,
    year: int | None,
    department: str | None,
) -> None:
    report = sub.report
    redo_zh = "请重新下载本年度模板，把数据复制到新模板中再提交。"
    redo_en = "Download this year's template again, copy the data into it and resubmit."
    if meta.fingerprint != meta.compute_fingerprint():
        report.add(
            "template.version",
            "模板中隐藏的信息表（_cimon）被改动。",
            "The template's hidden information sheet (_cimon) was altered.",
            redo_zh,
            redo_en,
            sheet=META_SHEET,
        )
    if meta.template_version != TEMPLATE_VERSION:
        report.add(
            "template.version",
            f"模板版本为 {meta.template_version}，当前版本为 {TEMPLATE_VERSION}。",
            f"The template is version {meta.template_version}; the current version is "
            f"{TEMPLATE_VERSION}.",
            redo_zh,
            redo_en,
            sheet=META_SHEET,
        )
    if meta.framework_id != framework.id or meta.framework_hash != framework.hash:
        same_id = meta.framework_id == framework.id
        report.add(
            "template.framework",
            f"模板属于指标体系 {meta.framework_id} {meta.framework_version}"
            + ("（内容与当前版本不同）" if same_id else "")
            + f"，本次导入使用 {framework.id} {framework.version}。",
            f"The template is for framework {meta.framework_id} {meta.framework_version}"
            + (" (its content differs from the current one)" if same_id else "")
            + f"; this import uses {framework.id} {framework.version}.",
            f"请下载 {framework.id} 的模板重新填报。",
            f"Download the template of {framework.id} and fill it in.",
            sheet=META_SHEET,
        )
    if year is not None and meta.evaluation_year != year:
        report.add(
            "template.year",
            f"这是 {meta.evaluation_year} 年度（{meta.data_year} 年数据）的模板，本次应报送 "
            f"{year} 年度（{year - framework.data_lag} 年数据）。",
            f"This is the template of evaluation year {meta.evaluation_year} (data "
            f"{meta.data_year}); this submission is for {year} (data {year - framework.data_lag}).",
            f"请下载 {year} 年度的模板，填入 {year - framework.data_lag} 年的数据。",
            f"Download the {year} template and enter the {year - framework.data_lag} data.",
            sheet=META_SHEET,
        )
    if department and meta.kind == "department" and meta.department != department:
        report.add(
            "template.department",
            f"这是{meta.department}的报送模板，不是{department}的。",
            f"This is the template of {meta.department}, not of {department}.",
            f"请使用{department}的模板，或以{meta.department}的名义导入。",
            f"Use the template of {department}, or import it as {meta.department}.",
            sheet=META_SHEET,
        )
    if department and meta.kind == "county":
        wanted = registry.find(department)
        if wanted is not None and wanted.code != meta.region:
            have = registry[meta.region].name if meta.region in registry else meta.region
            report.add(
                "region.wrong",
                f"这是{have}的自评表，不是{wanted.name}的。",
                f"This is the self-assessment of {have}, not of {wanted.name}.",
                f"请提交{wanted.name}自己的自评表。",
                f"Submit {wanted.name}'s own self-assessment.",
                sheet=META_SHEET,
                region=wanted.code,
                region_name=wanted.name,
            )
        elif wanted is None and department != COUNTY_DEPARTMENT:
            report.add(
                "template.department",
                f"这是县（市、区）的自评表，不是{department}的报送模板。",
                f"This is a county self-assessment, not a template of {department}.",
                f"请使用{department}的模板。",
                f"Use the template of {department}.",
                sheet=META_SHEET,
            )
    if department and meta.kind == "expert" and department not in ("专家", "expert"):
        report.add(
            "template.department",
            f"这是专家评分表，不是{department}的报送模板。",
            f"This is an expert scoring sheet, not a template of {department}.",
            f"请使用{department}的模板。",
            f"Use the template of {department}.",
            sheet=META_SHEET,
        )


def _read_values_sheet(
    ws: Any,
    layout: SheetLayout,
    sub: ParsedSubmission,
    framework: Framework,
    registry: RegionRegistry,
) -> None:
    """One department's sheet of a department or combined template."""
    report, sheet = sub.report, layout.name
    expected = {
        v.code: v
        for v in framework.variables
        if v.department == layout.department and v.kind != "rubric"
    }
    cells = any(v.unit == "%" for v in expected.values())
    rows = list(ws.iter_rows(values_only=not cells))
    plain = [[c.value for c in r] for r in rows] if cells else rows
    code_row0 = find_code_row(plain, layout.code_row - 1)
    if code_row0 is None:
        _no_header(report, layout)
        return
    codes = header_codes(plain[code_row0])
    layout_changed(report, layout, codes, code_row0)
    columns = variable_columns(report, sheet, plain, code_row0, codes, expected, framework, layout)
    code_col0 = codes.index(REGION_CODE) if REGION_CODE in codes else -1
    name_col0 = codes.index(REGION_NAME) if REGION_NAME in codes else -1
    if code_col0 < 0 and name_col0 < 0:
        _no_header(report, layout)
        return
    code_col0 = code_col0 if code_col0 >= 0 else name_col0
    name_col0 = name_col0 if name_col0 >= 0 else code_col0
    regions = RegionColumns(registry, report, sheet)
    first0 = code_row0 + (layout.first_row - layout.code_row)
    read_cells(rows, first0, columns, sub, sheet, regions, code_col0, name_col0, cells)
    regions.report_missing()


def _no_header(report: ValidationReport, layout: SheetLayout) -> None:
    report.add(
        "column.missing",
        f"找不到表头中的代码行（第 {layout.code_row} 行，含 region_code），无法确定各列的含义。",
        f"The header row of codes (row {layout.code_row}, with region_code) is missing, so the "
        "columns cannot be identified.",
        "请不要删除或修改表头；请在新下载的模板中重新填写。",
        "Do not delete or edit the header rows; fill in a freshly downloaded template.",
        sheet=layout.name,
        cell=f"{layout.code_row}:{layout.code_row}",
    )
