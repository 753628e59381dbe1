"""Expert scoring sheets of the qualitative 创新管理 items (``kind="expert"`` templates).

An expert scores every county on every rubric item within 0..max_points. Each score becomes a
:class:`~cimon.intake.submission.Record` with ``expert`` set; several experts give several rows
per county and item, which :meth:`cimon.model.panel.Panel.wide` combines by the variable's rule
(mean, or trimmed mean dropping the highest and lowest). Who scored what is kept.

Checked across all the sheets read together (:func:`check_experts`): a score outside 0..P
(``expert.out_of_range``); the same expert scoring a county's item twice, in two rows, sheets or
files (``expert.duplicate``); an expert who left a county blank, or an expected expert without a
sheet (``expert.missing``); a sheet without the expert's name (``expert.unnamed``); an expert not
on the expected list (``expert.unknown``, warning).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cimon.intake.layout import (
    RegionColumns,
    find_code_row,
    header_codes,
    layout_changed,
    variable_columns,
)
from cimon.intake.report import ValidationReport
from cimon.intake.submission import ParsedSubmission, Record
from cimon.intake.workbook import (
    EXPERT_NAME_CELL,
    REGION_CODE,
    REGION_NAME,
    SheetLayout,
    cell_ref,
    is_blank,
    norm_expert,
    raw_text,
    row_get,
)
from cimon.model.cells import parse_cell
from cimon.model.framework import Framework, Variable
from cimon.model.regions import RegionRegistry

__all__ = ["ExpertSheet", "check_experts", "read_expert_sheet"]


@dataclass
class ExpertSheet:
    """What one expert sheet holds, before the checks across sheets."""

    file: str
    sheet: str
    expert: str  # normalised name; "" when unnamed
    records: list[Record] = field(default_factory=list)  # valid scores
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (region, var) → cell
    filled: set[tuple[str, str]] = field(default_factory=set)  # non-blank cells, valid or not


def read_expert_sheet(
    ws: Any,
    layout: SheetLayout,
    sub: ParsedSubmission,
    framework: Framework,
    registry: RegionRegistry,
    *,
    extra: bool = False,
) -> ExpertSheet:
    """Read one expert sheet. ``extra``: a sheet not in the template's layout (a copy made for
    another expert); it is read only if its header is an expert header, silently skipped
    otherwise (the caller then reports it as ignored)."""
    report, name = sub.report, ws.title
    out = ExpertSheet(sub.file_name, name, "")
    rows = list(ws.iter_rows(values_only=True))
    code_row0 = find_code_row(rows, layout.code_row - 1)
    codes = header_codes(rows[code_row0]) if code_row0 is not None else []
    rubric = {v.code: v for v in framework.variables if v.kind == "rubric"}
    if code_row0 is None or REGION_CODE not in codes or not set(codes) & set(rubric):
        if not extra:
            report.add(
                "column.missing",
                "找不到专家评分表的表头代码行（含 region_code 和各项目代码）。",
                "The header row of codes (region_code and the item codes) is missing.",
                "请在新下载的专家评分模板中重新填写，不要修改表头。",
                "Fill in a freshly downloaded template; do not edit its header rows.",
                sheet=name,
                cell=f"{layout.code_row}:{layout.code_row}",
            )
        return out
    here = SheetLayout(name, "expert", "", layout.code_row, layout.first_row, layout.columns)
    if not extra:
        layout_changed(report, here, codes, code_row0)
    columns = variable_columns(report, name, rows, code_row0, codes, rubric, framework, here)
    name_row0 = code_row0 - (layout.code_row - 2)
    name_cell = cell_ref(name_row0, 1) if name_row0 >= 0 else EXPERT_NAME_CELL
    out.expert = norm_expert(row_get(rows[name_row0], 1)) if name_row0 >= 0 else ""
    if not out.expert:
        report.add(
            "expert.unnamed",
            "专家评分表没有填写专家姓名，评分无法归属。",
            "The scoring sheet does not name its expert; the scores cannot be attributed.",
            f"请在 {name_cell} 单元格填写专家姓名。",
            f"Enter the expert's name in cell {name_cell}.",
            sheet=name,
            cell=name_cell,
        )
    code_col0 = codes.index(REGION_CODE)
    name_col0 = codes.index(REGION_NAME) if REGION_NAME in codes else code_col0
    regions = RegionColumns(registry, report, name, duplicates=False)
    width = max((c for c, _ in columns), default=0) + 1
    for row0 in range(code_row0 + layout.first_row - layout.code_row, len(rows)):
        row = rows[row0]
        code_raw, name_raw = row_get(row, code_col0), row_get(row, name_col0)
        if all(is_blank(row_get(row, j)) for j in range(max(width, code_col0 + 1))):
            continue
        region = regions.resolve(code_raw, name_raw, row0, code_col0, name_col0)
        if region is not None:
            for col0, var in columns:
                _score(out, sub, region.code, region.name, var, row_get(row, col0), row0, col0)
    return out


def _score(
    out: ExpertSheet,
    sub: ParsedSubmission,
    region: str,
    region_name: str,
    var: Variable,
    raw: object,
    row0: int,
    col0: int,
) -> None:
    ref = cell_ref(row0, col0)
    key = (region, var.code)
    out.cells.setdefault(key, ref)
    if is_blank(raw):
        return
    where = {
        "sheet": out.sheet,
        "cell": ref,
        "region": region,
        "region_name": region_name,
        "variable": var.code,
        "value": raw_text(raw),
    }
    cv = parse_cell(raw, var)
    if not cv.ok:
        out.filled.add(key)
        cv.report_error(sub.report, **where)
        return
    if math.isnan(cv.value):  # "—", "无": no score
        return
    out.filled.add(key)
    top = var.max_points or 0.0
    if not 0.0 <= cv.value <= top:
        sub.report.add(
            "expert.out_of_range",
            f"{out.expert or '专家'}对{region_name}“{var.name_zh}”的评分 {cv.value:g} 超出 0–{top:g} 分。",
            f"{out.expert or 'The expert'}'s score {cv.value:g} for {region_name} on "
            f"'{var.name_en}' is outside 0–{top:g}.",
            f"请改为 0–{top:g} 之间的分数。",
            f"Enter a score between 0 and {top:g}.",
            **where,
        )
        return
    out.records.append(
        Record(
            region,
            sub.year,
            var.code,
            cv.value,
            "reported",
            out.expert,
            out.sheet,
            ref,
            raw_text(raw),
            cv.note,
        )
    )


def check_experts(
    sheets: Sequence[ExpertSheet],
    report: ValidationReport,
    experts: Iterable[str] | None = None,
    registry: RegionRegistry | None = None,
) -> list[Record]:
    """Checks across expert sheets (of one or several files); returns the records to keep.

    ``expert.duplicate``: the same expert scored a county's item twice (the first is kept);
    ``expert.missing``: a county and item that some sheet asks for but this expert left blank
    or never saw, and every expected expert (``experts``) without a sheet;
    ``expert.unknown`` (warning): an expert not on the expected list. Unnamed sheets
    (``expert.unnamed``, already reported) contribute no records.
    """

    def name_of(code: str) -> str:
        return registry[code].name if registry is not None and code in registry else ""

    kept: list[Record] = []
    first: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    universe: dict[tuple[str, str], None] = {}
    for s in sheets:
        universe.update(dict.fromkeys(s.cells))
    by_expert: dict[str, list[ExpertSheet]] = {}
    for s in sheets:
        if not s.expert:
            continue
        by_expert.setdefault(s.expert, []).append(s)
        for rec in s.records:
            key = (s.expert, rec.region_code, rec.variable)
            if key in first:
                f_file, f_sheet, f_cell = first[key]
                report.add(
                    "expert.duplicate",
                    f"专家{s.expert}对同一县（市、区）的同一项目评了两次：{f_file} {f_sheet}!{f_cell} 和 {s.file} "
                    f"{s.sheet}!{rec.cell}。后一处未采用。",
                    f"Expert {s.expert} scored the same county and item twice: {f_file} {f_sheet}!{f_cell} and "
                    f"{s.file} {s.sheet}!{rec.cell}. The second was not used.",
                    "请删除重复的评分，每位专家对每个县的每个项目只评一次。",
                    "Delete the duplicate: each expert scores each county's item once.",
                    file=s.file,
                    sheet=s.sheet,
                    cell=rec.cell,
                    region=rec.region_code,
                    region_name=name_of(rec.region_code),
                    variable=rec.variable,
                    value=rec.raw,
                )
                continue
            first[key] = (s.file, s.sheet, rec.cell)
            kept.append(rec)
    for expert, mine in by_expert.items():
        filled = set().union(*(s.filled for s in mine))
        for region, var in universe:
            if (region, var) in filled:
                continue
            home = next((s for s in mine if (region, var) in s.cells), mine[0])
            report.add(
                "expert.missing",
                f"专家{expert}没有对{name_of(region) or region}的“{var}”评分。",
                f"Expert {expert} gave no score for {name_of(region) or region} on '{var}'.",
                "请补上该项评分（0 至满分）。",
                "Add the score (0 to the item's maximum).",
                file=home.file,
                sheet=home.sheet,
                cell=home.cells.get((region, var), ""),
                region=region,
                region_name=name_of(region),
                variable=var,
            )
    scored_regions = {region for region, _ in universe}
    for reg in registry if registry is not None and sheets else ():
        if reg.code not in scored_regions:
            report.add(
                "region.missing",
                f"专家评分表中没有{reg.name}（{reg.code}）的行，该县的创新管理项目无人评分。",
                f"No expert sheet has a row for {reg.name} ({reg.code}): nobody scored its "
                "qualitative items.",
                "请使用完整的专家评分模板，为每个县（市、区）评分。",
                "Use the complete expert template and score every county.",
                file=sheets[0].file,
                sheet=sheets[0].sheet,
                region=reg.code,
                region_name=reg.name,
            )
    if experts is not None:
        wanted = {norm_expert(e): e for e in experts if norm_expert(e)}
        for want, shown in wanted.items():
            if want not in by_expert:
                report.add(
                    "expert.missing",
                    f"名单中的专家{shown}没有提交评分表。",
                    f"Expert {shown} on the list submitted no scoring sheet.",
                    "请收齐该专家的评分表一并导入，或修改专家名单。",
                    "Collect that expert's sheet and import it too, or correct the list.",
                )
        for expert, mine in by_expert.items():
            if expert not in wanted:
                report.add(
                    "expert.unknown",
                    f"专家{expert}不在本次评审的专家名单中。",
                    f"Expert {expert} is not on this review's list of experts.",
                    "请核对专家姓名的写法，或把该专家加入名单。",
                    "Check how the name is written, or add the expert to the list.",
                    file=mine[0].file,
                    sheet=mine[0].sheet,
                    cell=EXPERT_NAME_CELL,
                    value=expert,
                )
    return kept
