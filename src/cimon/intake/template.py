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
This module checks the arguments and assembles the workbook; :mod:`cimon.intake.template_sheets`
builds each sheet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.workbook.protection import WorkbookProtection

from cimon.errors import CimonError
from cimon.intake.statuses import status_lookup, write_status_sheet
from cimon.intake.submission import Claim
from cimon.intake.template_sheets import claims_sheet, meta_sheet, values_sheet
from cimon.intake.workbook import (
    INSTRUCTIONS_SHEET,
    TEMPLATE_KINDS,
    TEMPLATE_VERSION,
    TemplateMeta,
    write_instructions,
)
from cimon.model.framework import Framework, Variable
from cimon.model.panel import Panel
from cimon.model.regions import COUNTY_DEPARTMENT, Region, RegionRegistry
from cimon.safe import save

__all__ = ["TEMPLATE_VERSION", "county_variables", "department_variables", "write_template"]


def department_variables(framework: Framework, department: str) -> list[Variable]:
    """Quantitative variables a department supplies, in framework order."""
    return [v for v in framework.variables if v.department == department and v.kind != "rubric"]


def county_variables(framework: Framework) -> list[Variable]:
    """Rubric (qualitative 创新管理) items a county assesses itself on: department 县."""
    return [
        v for v in framework.variables if v.kind == "rubric" and v.department == COUNTY_DEPARTMENT
    ]


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
            values_sheet(wb, dept, f"{head} · {dept}报送", variables, registry, lookup, lang=lang)
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
                sheet = values_sheet(
                    wb, dept, f"{head} · {dept}报送", variables, registry, lookup, lang=lang
                )
                meta.sheets.append(sheet)
        write_instructions(intro, head, "各部门报送（汇总）", allvars, "values")
    elif kind == "county":
        reg = _check_region(registry, region)
        meta.department, meta.region = COUNTY_DEPARTMENT, reg.code
        variables = county_variables(framework)
        if not variables:
            raise CimonError(
                "该指标体系没有由县（市、区）自评的创新管理项目。",
                "The framework has no qualitative items assessed by counties.",
            )
        meta.sheets.append(
            claims_sheet(wb, f"{head} · {reg.name}创新管理自评", variables, _claims(values), lang)
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
            values_sheet(
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
    meta_sheet(wb, meta)
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
