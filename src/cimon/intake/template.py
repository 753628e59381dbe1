"""Excel templates (报送模板) for departments, counties and experts.

:func:`write_template` makes one ``.xlsx`` workbook of one of four kinds:

===========  ==============================================================================
kind         content
===========  ==============================================================================
department   one sheet named after the department: counties as rows (code, name, city),
             the department's quantitative variables as columns
combined     one such sheet per supplying department
county       one county's self-assessment of the qualitative 创新管理 items (rubric variables
             of department 县): claimed score, 情况说明, 佐证材料 file names
expert       an expert's scoring sheet: counties as rows, every rubric item as a column,
             the expert's name in ``B2``
===========  ==============================================================================

Every data sheet has a title row, header rows (name, machine code, unit, definition), numeric
data validation with a Chinese input message on input cells, locked headers and code/name
columns (sheet protection without a password), frozen panes and set column widths. A
``填报说明`` sheet explains how to fill it in, and a very hidden ``_cimon`` sheet identifies the
template (framework id/version/hash, kind, department/region/expert, evaluation and data
year, :data:`TEMPLATE_VERSION`, the layout and its fingerprint) so that
:func:`cimon.intake.reader.read_submission` can refuse last year's or an altered template.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cimon.errors import CimonError
from cimon.intake.statuses import status_lookup, write_status_sheet
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
    INSTRUCTIONS_SHEET,
    LOCKED_FILL,
    META_SHEET,
    REGION_CODE,
    REGION_NAME,
    TEMPLATE_KINDS,
    TEMPLATE_VERSION,
    TITLE_FONT,
    UNLOCKED,
    VALUES_ROWS,
    WRAP,
    SheetLayout,
    TemplateMeta,
    col_letter,
    protect_sheet,
    range_text,
    write_instructions,
)
from cimon.model.framework import Framework, Variable
from cimon.model.panel import Panel
from cimon.model.regions import Region, RegionRegistry
from cimon.safe import put, save

__all__ = ["TEMPLATE_VERSION", "county_variables", "department_variables", "write_template"]


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


def department_variables(framework: Framework, department: str) -> list[Variable]:
    """Quantitative variables a department supplies, in framework order."""
    return [v for v in framework.variables if v.department == department and v.kind != "rubric"]


def county_variables(framework: Framework) -> list[Variable]:
    """Rubric (qualitative 创新管理) items a county assesses itself on: department 县."""
    return [v for v in framework.variables if v.kind == "rubric" and v.department == "县"]


def default_kind(
    department: str | None = None, region: str | None = None, expert: str | None = None
) -> str:
    """The template kind the arguments imply: ``expert`` for an expert's name, else ``county``
    for a county, else ``department`` for a department, else ``combined``."""
    if expert:
        return "expert"
    if region:
        return "county"
    return "department" if department else "combined"


def write_template(
    framework: Framework,
    registry: RegionRegistry,
    year: int,
    out: str | Path,
    *,
    department: str | None = None,
    region: str | None = None,
    kind: str = "department",
    expert: str | None = None,
    values: pd.DataFrame | Panel | Sequence[Claim] | None = None,
    lang: str = "zh",
) -> Path:
    """Write a submission template and return its path.

    Parameters
    ----------
    framework, registry:
        The indicator framework and the counties (rows of department and expert sheets).
    year:
        The **evaluation** year (评价年度); the template collects data year
        ``year - framework.data_lag``.
    out:
        The ``.xlsx`` file to write (parent folders are created).
    department:
        The supplying department (``kind="department"``), e.g. ``统计局``.
    region:
        The county (code or name, ``kind="county"``).
    kind:
        ``department``, ``county``, ``combined`` or ``expert``.
    expert:
        The expert's name, prefilled in ``B2`` of an expert sheet (optional).
    values:
        Existing observations to prefill (``cimon data export``): a :class:`Panel` or long
        DataFrame (``region_code, year, variable, value`` and for expert sheets ``expert`` or a
        ``source`` ending in ``#expert``); rows of other data years are ignored and NaN stays
        blank. For a county sheet: :class:`Claim` objects or a DataFrame with ``variable,
        score, statement, evidence``.
    lang:
        ``zh`` (default) or ``en``: the language of each variable's definition (指标解释 row)
        and of a rubric item's scoring points (评分要点 column). Layout, codes and everything
        the reader checks are the same in both.

    Raises
    ------
    CimonError
        For an unknown kind, department or county, or a department without variables.
    """
    if kind not in TEMPLATE_KINDS:
        raise CimonError(
            f"模板类型“{kind}”无效，可用：{'、'.join(TEMPLATE_KINDS)}。",
            f"Unknown template kind '{kind}'; use one of {', '.join(TEMPLATE_KINDS)}.",
        )
    data_year = year - framework.data_lag
    meta = TemplateMeta(
        kind=kind,
        framework_id=framework.id,
        framework_version=framework.version,
        framework_hash=framework.hash,
        evaluation_year=year,
        data_year=data_year,
    )
    wb = Workbook()
    intro = wb.active
    assert intro is not None
    intro.title = INSTRUCTIONS_SHEET
    head = f"{year}年度县域科技创新监测评价 · {data_year}年数据"
    if kind == "department":
        dept = _check_department(framework, department)
        meta.department = dept
        variables = department_variables(framework, dept)
        lookup = _value_lookup(values, data_year)
        meta.sheets.append(
            _values_sheet(wb, dept, f"{head} · {dept}报送", variables, registry, lookup, lang=lang)
        )
        statuses = status_lookup(values, data_year)
        if statuses:  # estimated / imputed values travel beside them (cimon data export)
            meta.sheets.append(
                write_status_sheet(wb, statuses, variables, registry, f"{head} · 数据状态", dept)
            )
        write_instructions(intro, head, f"{dept}报送", variables, "values", bool(statuses))
    elif kind == "combined":
        meta.department = ""
        lookup = _value_lookup(values, data_year)
        allvars: list[Variable] = []
        for dept in framework.departments:
            variables = department_variables(framework, dept)
            if variables:
                allvars += variables
                sheet = _values_sheet(
                    wb, dept, f"{head} · {dept}报送", variables, registry, lookup, lang=lang
                )
                meta.sheets.append(sheet)
        write_instructions(intro, head, "各部门报送（汇总）", allvars, "values")
    elif kind == "county":
        reg = _check_region(registry, region)
        meta.department, meta.region = "县", reg.code
        variables = county_variables(framework)
        if not variables:
            raise CimonError(
                "该指标体系没有由县（市、区）自评的创新管理项目。",
                "The framework has no qualitative items assessed by counties.",
            )
        meta.sheets.append(
            _claims_sheet(wb, f"{head} · {reg.name}创新管理自评", variables, _claims(values), lang)
        )
        write_instructions(intro, head, f"{reg.name}创新管理自评", variables, "claims")
    else:
        variables = [v for v in framework.variables if v.kind == "rubric"]
        if not variables:
            raise CimonError(
                "该指标体系没有需专家评分的定性项目。",
                "The framework has no qualitative items for experts to score.",
            )
        meta.expert = (expert or "").strip()
        lookup = _value_lookup(values, data_year, expert=meta.expert) if meta.expert else {}
        meta.sheets.append(
            _values_sheet(
                wb,
                "专家评分",
                f"{head} · 创新管理专家评分",
                variables,
                registry,
                lookup,
                expert=meta.expert,
                lang=lang,
            )
        )
        write_instructions(intro, head, "创新管理专家评分", variables, "expert")
    wb.active = 1  # the (first) data sheet
    _meta_sheet(wb, meta)
    wb.security = WorkbookProtection(lockStructure=True)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    save(wb, path)  # names and texts from users stay text, never formulas
    return path


# ------------------------------------------------------------------------------------------
# arguments


def _check_department(framework: Framework, department: str | None) -> str:
    have = [d for d in framework.departments if department_variables(framework, d)]
    if not department or department not in have:
        raise CimonError(
            f"报送单位“{department or ''}”无效。请使用：{'、'.join(have)}。",
            f"Unknown or empty supplying department '{department or ''}'. Use one of: "
            f"{', '.join(have)}.",
        )
    return department


def _check_region(registry: RegionRegistry, region: str | None) -> Region:
    if not region:
        raise CimonError(
            "县（市、区）自评模板需要指定县（--region）。",
            "A county self-assessment template needs a county (--region).",
        )
    return registry.match(region)


def _value_lookup(
    values: pd.DataFrame | Panel | Sequence[Claim] | None, data_year: int, expert: str = ""
) -> dict[tuple[str, str], float]:
    """(region_code, variable) → value of the data year (last row wins)."""
    if values is None:
        return {}
    frame = values.frame if isinstance(values, Panel) else values
    if not isinstance(frame, pd.DataFrame):
        return {}
    rows = frame[frame["year"].astype(int) == data_year]
    if expert:
        if "expert" in rows.columns:
            who = rows["expert"].astype(str)
        elif "source" in rows.columns:
            who = rows["source"].astype(str).str.rsplit("#", n=1).str[-1]
        else:
            return {}
        rows = rows[who.str.strip() == expert]
    out: dict[tuple[str, str], float] = {}
    for code, var, value in zip(
        rows["region_code"].astype(str), rows["variable"].astype(str), rows["value"], strict=True
    ):
        out[(code, var)] = float(value)
    return out


def _claims(values: pd.DataFrame | Panel | Sequence[Claim] | None) -> dict[str, Claim]:
    if values is None or isinstance(values, Panel):
        return {}
    if isinstance(values, pd.DataFrame):
        out: dict[str, Claim] = {}
        for rec in values.to_dict("records"):
            ev = rec.get("evidence", ())
            evidence = (
                tuple(ev) if isinstance(ev, list | tuple) else tuple(str(ev or "").split("；"))
            )
            out[str(rec["variable"])] = Claim(
                "",
                0,
                str(rec["variable"]),
                float(rec.get("score", math.nan)),
                str(rec.get("statement") or ""),
                tuple(e for e in evidence if e),
            )
        return out
    return {c.variable: c for c in values}


# ------------------------------------------------------------------------------------------
# sheets


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


def _values_sheet(
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


def _claims_sheet(
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
        department="县",
        code_row=CLAIM_ROWS["code"],
        first_row=first,
        columns=CLAIM_COLUMNS,
    )


def _meta_sheet(wb: Workbook, meta: TemplateMeta) -> None:
    ws = wb.create_sheet(META_SHEET)
    meta.fingerprint = meta.compute_fingerprint()
    for i, (key, value) in enumerate(meta.rows(), start=1):
        ws.cell(row=i, column=1, value=key)
        put(ws, i, 2, value).number_format = "@"
    ws.sheet_state = "veryHidden"
    protect_sheet(ws)
