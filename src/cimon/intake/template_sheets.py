"""The sheets of a submission template (see :mod:`cimon.intake.template`): the values sheet of a
department or an expert, a county's claims sheet and the hidden ``_cimon`` sheet, each with its
header rows, data validation, locked cells and widths."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cimon.intake.submission import Claim
from cimon.intake.workbook import (
    BOLD,
    CENTER_WRAP,
    CITY,
    CLAIM_COLUMNS,
    CLAIM_ROWS,
    CODE_FONT,
    EXPERT_ROWS,
    HEADER_FILL,
    LOCKED_FILL,
    META_SHEET,
    REGION_CODE,
    REGION_NAME,
    TITLE_FONT,
    UNLOCKED,
    VALUES_ROWS,
    WRAP,
    SheetLayout,
    TemplateMeta,
    col_letter,
    protect_sheet,
    range_text,
)
from cimon.model.framework import Variable
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry
from cimon.safe import put

FIXED_HEADS = (
    ("区划代码", REGION_CODE, 10),
    ("县（市、区）", REGION_NAME, 13),
    ("设区市", CITY, 10),
)
CLAIM_HEADS = {
    "variable": ("项目代码", 14),
    "item": ("创新管理项目", 30),
    "max_points": ("满分", 7),
    "claimed": ("自评得分", 10),
    "statement": ("情况说明", 60),
    "evidence": ("佐证材料（文件名，多个用“；”分隔）", 36),
    "criteria": ("评分要点", 40),
}


def definition(var: Variable, lang: str = "zh") -> str:
    """A variable's definition (a rubric item's scoring points) in ``lang``; in Chinese the
    name and unit when the framework gives none, in English the English definition or name."""
    if lang == "en":
        return var.definition_en or var.name_en
    return var.definition_zh or (f"{var.name_zh}（{var.unit}）" if var.unit else var.name_zh)


def set_exact(cell: Any, value: float) -> None:
    """Store a float so that it reads back bit for bit.

    openpyxl writes numbers with ``"%.16g"``, which rounds some doubles (0.1 + 0.2 is written
    as ``0.3``); an export → import round trip must not change a value. Where 16 digits do not
    round-trip, the cell keeps its numeric type but holds the shortest exact text (``repr``),
    which openpyxl's writer copies into ``<v>`` as it is and every reader parses back exactly.
    """
    value = float(value)
    cell.value = value
    if float(f"{value:.16g}") != value:
        cell._value = repr(value)  # data_type stays "n"


def _safe_sheet_name(name: str) -> str:
    bad = set("[]:*?/\\")
    return "".join("_" if ch in bad else ch for ch in name)[:31] or "数据"


def _title(ws: Worksheet, text: str, ncols: int) -> None:
    ws.cell(row=1, column=1, value=text).font = TITLE_FONT
    if ncols > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 24


def _validation(var: Variable, sqref: str, expert: bool = False) -> DataValidation:
    """Decimal validation with the variable's range, a Chinese input message and error alert."""
    lo, hi = var.min, var.max
    if expert or var.kind == "rubric":
        lo, hi = 0.0, float(var.max_points or 0.0)
    if lo is not None and hi is not None:
        dv = DataValidation(
            type="decimal", operator="between", formula1=f"{lo!r}", formula2=f"{hi!r}"
        )
    elif lo is not None:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{lo!r}")
    elif hi is not None:
        dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=f"{hi!r}")
    else:
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
    rng = f"{lo:g}–{hi:g}" if lo is not None and hi is not None else range_text(var)[0]
    unit = f"，单位：{var.unit}" if var.unit else ""
    dv.allow_blank = True
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.promptTitle = var.name_zh[:32]
    dv.prompt = (
        f"{var.name_zh}{unit}。请填写数值"
        + (f"（{rng}）" if rng else "")
        + "；没有数据请留空，留空不等于 0。"
    )[:255]
    dv.errorTitle = "输入无效"
    dv.error = ("请填写数值" + (f"，范围 {rng}" if rng else "") + "。没有数据请留空。")[:255]
    dv.add(sqref)
    return dv


def values_sheet(
    wb: Workbook,
    name: str,
    title: str,
    variables: Sequence[Variable],
    registry: RegionRegistry,
    lookup: Mapping[tuple[str, str], float],
    expert: str | None = None,
    lang: str = "zh",
) -> SheetLayout:
    """A counties × variables sheet (a department's values, or an expert's scores)."""
    is_expert = expert is not None
    rows = EXPERT_ROWS if is_expert else VALUES_ROWS
    ws = wb.create_sheet(_safe_sheet_name(name))
    ncols = len(FIXED_HEADS) + len(variables)
    _title(ws, title, ncols)
    if is_expert:
        ws.cell(row=rows["expert"], column=1, value="专家姓名").font = BOLD
        cell = put(ws, rows["expert"], 2, expert or None)
        cell.protection = UNLOCKED
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
        ws.cell(row=rows["expert"], column=3, value="← 请填写专家姓名（必填）").font = CODE_FONT
    for j, (zh, code, width) in enumerate(FIXED_HEADS, start=1):
        ws.cell(row=rows["name"], column=j, value=zh)
        ws.cell(row=rows["code"], column=j, value=code)
        ws.column_dimensions[col_letter(j - 1)].width = width
    ws.cell(row=rows["unit"], column=1, value="计量单位")
    ws.cell(row=rows["definition"], column=1, value="Definition" if lang == "en" else "指标解释")
    for j, var in enumerate(variables, start=len(FIXED_HEADS) + 1):
        ws.cell(row=rows["name"], column=j, value=var.name_zh)
        ws.cell(row=rows["code"], column=j, value=var.code)
        unit = f"0–{var.max_points:g} 分" if is_expert else var.unit
        ws.cell(row=rows["unit"], column=j, value=unit)
        ws.cell(row=rows["definition"], column=j, value=definition(var, lang))
        ws.column_dimensions[col_letter(j - 1)].width = min(max(12, len(var.name_zh) * 1.6), 26)
    for r in range(rows["name"], rows["first"]):
        for j in range(1, ncols + 1):
            c = ws.cell(row=r, column=j)
            c.fill = HEADER_FILL
            c.alignment = CENTER_WRAP if r == rows["name"] else WRAP
            if r == rows["code"]:
                c.font = CODE_FONT
            elif r == rows["name"]:
                c.font = BOLD
    ws.row_dimensions[rows["name"]].height = 42
    ws.row_dimensions[rows["definition"]].height = 60
    first = rows["first"]
    for i, reg in enumerate(registry):
        r = first + i
        for j, text in enumerate((reg.code, reg.name, reg.city), start=1):
            put(ws, r, j, text).fill = LOCKED_FILL
        for j, var in enumerate(variables, start=len(FIXED_HEADS) + 1):
            v = lookup.get((reg.code, var.code))
            cell = ws.cell(row=r, column=j)
            if v is not None and math.isfinite(v):
                set_exact(cell, v)
            cell.protection = UNLOCKED
    last = first + len(registry) - 1
    for j, var in enumerate(variables, start=len(FIXED_HEADS)):
        letter = col_letter(j)
        ws.add_data_validation(_validation(var, f"{letter}{first}:{letter}{last}", is_expert))
    ws.freeze_panes = f"{col_letter(len(FIXED_HEADS))}{first}"
    protect_sheet(ws)
    return SheetLayout(
        name=ws.title,
        role="expert" if is_expert else "values",
        department="" if is_expert else name,  # the department's own name, before sanitising
        code_row=rows["code"],
        first_row=first,
        columns=tuple([c for _, c, _ in FIXED_HEADS] + [v.code for v in variables]),
    )


def claims_sheet(
    wb: Workbook,
    title: str,
    variables: Sequence[Variable],
    claims: Mapping[str, Claim],
    lang: str = "zh",
) -> SheetLayout:
    """A county's self-assessment: one row per 创新管理 item."""
    ws = wb.create_sheet("创新管理自评")
    _title(ws, title, len(CLAIM_COLUMNS))
    for j, code in enumerate(CLAIM_COLUMNS, start=1):
        zh, width = CLAIM_HEADS[code]
        for r, text in ((CLAIM_ROWS["name"], zh), (CLAIM_ROWS["code"], code)):
            c = ws.cell(row=r, column=j, value=text)
            c.fill = HEADER_FILL
            c.font = BOLD if r == CLAIM_ROWS["name"] else CODE_FONT
            c.alignment = CENTER_WRAP
        ws.column_dimensions[col_letter(j - 1)].width = width
    first = CLAIM_ROWS["first"]
    for i, var in enumerate(variables):
        r = first + i
        claim = claims.get(var.code)
        criteria = var.definition_en if lang == "en" else var.definition_zh  # 评分要点
        fixed = (var.code, var.name_zh, var.max_points, None, None, None, criteria or None)
        for j, val in enumerate(fixed, start=1):
            c = ws.cell(row=r, column=j, value=val)
            c.alignment = WRAP
            c.fill = LOCKED_FILL
        for key in ("claimed", "statement", "evidence"):
            c = ws.cell(row=r, column=CLAIM_COLUMNS.index(key) + 1)
            c.protection = UNLOCKED
            c.fill = PatternFill(fill_type=None)
            c.alignment = WRAP
            if claim is not None:
                put(
                    ws,
                    r,
                    CLAIM_COLUMNS.index(key) + 1,
                    {
                        "claimed": claim.score if math.isfinite(claim.score) else None,
                        "statement": claim.statement or None,
                        "evidence": "；".join(claim.evidence) or None,
                    }[key],
                )
        ws.add_data_validation(
            _validation(var, f"{col_letter(CLAIM_COLUMNS.index('claimed'))}{r}", expert=True)
        )
        ws.row_dimensions[r].height = 90
    ws.freeze_panes = f"C{first}"
    protect_sheet(ws)
    return SheetLayout(
        name=ws.title,
        role="claims",
        department=COUNTY_DEPARTMENT,
        code_row=CLAIM_ROWS["code"],
        first_row=first,
        columns=CLAIM_COLUMNS,
    )


def meta_sheet(wb: Workbook, meta: TemplateMeta) -> None:
    ws = wb.create_sheet(META_SHEET)
    meta.fingerprint = meta.compute_fingerprint()
    for i, (key, value) in enumerate(meta.rows(), start=1):
        ws.cell(row=i, column=1, value=key)
        put(ws, i, 2, value).number_format = "@"
    ws.sheet_state = "veryHidden"
    protect_sheet(ws)
