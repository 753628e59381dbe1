"""The qualitative 创新管理 items: a county's self-assessment and the experts' scoring sheets.

* **Self-assessment** (``kind="county"`` template, sheet ``创新管理自评``): per item the score the
  county claims (0..max_points), a short 情况说明 and the 佐证材料 file names. Read into
  :class:`~cimon.intake.submission.Claim` objects; a claim outside 0..P is
  ``claim.out_of_range``, a claim without a statement ``claim.no_statement`` (warning). With an
  ``evidence_dir`` every listed file must exist there (``evidence.missing``), inside it
  (``evidence.outside``) and within the size limit (``evidence.too_large``);
  :func:`cimon.intake.multi.read_self_assessment` returns their paths so storage can keep them.
* **Expert sheets** (``kind="expert"``): several experts score every county on every item;
  read in :mod:`cimon.intake.experts`, several files at once by
  :func:`cimon.intake.multi.read_expert_sheets`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cimon.intake.layout import find_code_row, header_codes, layout_changed
from cimon.intake.submission import Claim, ParsedSubmission
from cimon.intake.workbook import (
    SheetLayout,
    cell_ref,
    is_blank,
    raw_text,
    row_get,
)
from cimon.model.cells import parse_cell
from cimon.model.framework import Framework, Variable
from cimon.model.regions import COUNTY_DEPARTMENT

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "SelfAssessment",
    "check_evidence",
    "read_claims_sheet",
    "split_evidence",
]

_EVIDENCE_SEP = re.compile(r"[;；,，、\r\n]+")


def split_evidence(text: object) -> tuple[str, ...]:
    """File names listed in a 佐证材料 cell, separated by ``；`` ``;`` ``，`` ``、`` or new lines."""
    if is_blank(text):
        return ()
    return tuple(p.strip() for p in _EVIDENCE_SEP.split(str(text)) if p.strip())


# ------------------------------------------------------------------------------------------
# self-assessment


def read_claims_sheet(ws: Any, layout: SheetLayout, sub: ParsedSubmission, fw: Framework) -> None:
    """Read a county's 创新管理自评 sheet into ``sub.claims``."""
    report, sheet = sub.report, layout.name
    rows = list(ws.iter_rows(values_only=True))
    code_row0 = find_code_row(rows, layout.code_row - 1)
    codes = header_codes(rows[code_row0]) if code_row0 is not None else []
    if code_row0 is None or "variable" not in codes or "claimed" not in codes:
        report.add(
            "column.missing",
            "找不到自评表的表头代码行（含 variable、claimed），无法读取自评。",
            "The header row of codes (variable, claimed) is missing; the self-assessment "
            "cannot be read.",
            "请在新下载的自评模板中重新填写，不要修改表头。",
            "Fill in a freshly downloaded template; do not edit its header rows.",
            sheet=sheet,
            cell=f"{layout.code_row}:{layout.code_row}",
        )
        return
    layout_changed(report, layout, codes, code_row0)
    col: dict[str, int] = {
        c: codes.index(c) for c in ("variable", "claimed", "statement", "evidence") if c in codes
    }
    items = {
        v.code: v for v in fw.variables if v.kind == "rubric" and v.department == COUNTY_DEPARTMENT
    }
    seen: set[str] = set()
    for row0 in range(code_row0 + layout.first_row - layout.code_row, len(rows)):
        row = rows[row0]
        code = raw_text(row_get(row, col["variable"])).strip()
        if not code:
            continue
        var = items.get(code)
        if var is None or code in seen:
            report.add(
                "variable.unknown" if var is None else "template.version",
                f"第 {row0 + 1} 行的项目“{code}”"
                + ("不是本指标体系的创新管理项目。" if var is None else "重复出现。"),
                f"Row {row0 + 1}: item '{code}' "
                + (
                    "is not a qualitative item of the framework."
                    if var is None
                    else "appears twice."
                ),
                "请不要增加或复制行；在新下载的自评模板中重新填写。",
                "Do not add or copy rows; fill in a freshly downloaded template.",
                sheet=sheet,
                cell=cell_ref(row0, col["variable"]),
                value=code,
            )
            continue
        seen.add(code)
        sub.claims.append(_claim(sub, var, row, row0, col, sheet))
    for code, var in items.items():
        if code not in seen:
            report.add(
                "value.missing",
                f"缺少创新管理项目 {code}（{var.name_zh}）的自评行。",
                f"The self-assessment row of item {code} ({var.name_en}) is missing.",
                "请在新下载的自评模板中填写全部项目。",
                "Fill in every item in a freshly downloaded template.",
                sheet=sheet,
                variable=code,
            )


def _claim(
    sub: ParsedSubmission,
    var: Variable,
    row: Sequence[Any],
    row0: int,
    col: dict[str, int],
    sheet: str,
) -> Claim:
    report = sub.report
    raw = row_get(row, col["claimed"])
    ref = cell_ref(row0, col["claimed"])
    top = var.max_points or 0.0
    where = {"sheet": sheet, "cell": ref, "region": sub.region_code, "variable": var.code}
    statement = "" if "statement" not in col else raw_text(row_get(row, col["statement"])).strip()
    evidence = () if "evidence" not in col else split_evidence(row_get(row, col["evidence"]))
    score = math.nan
    cv = parse_cell(raw, var)
    if is_blank(raw):
        report.add(
            "value.missing",
            f"项目“{var.name_zh}”未填写自评得分。",
            f"No self-assessed score for '{var.name_en}'.",
            f"请填写 0–{top:g} 之间的自评得分。",
            f"Enter a score between 0 and {top:g}.",
            **where,
        )
    elif not cv.ok:
        cv.report_error(report, value=raw_text(raw), **where)
    else:
        score = cv.value
        if not math.isnan(score) and not 0.0 <= score <= top:
            report.add(
                "claim.out_of_range",
                f"项目“{var.name_zh}”的自评得分 {score:g} 超出 0–{top:g} 分。",
                f"The self-assessed score {score:g} of '{var.name_en}' is outside 0–{top:g}.",
                f"请填写 0–{top:g} 之间的分数。",
                f"Enter a score between 0 and {top:g}.",
                value=raw_text(raw),
                **where,
            )
    if not statement and not is_blank(raw):
        report.add(
            "claim.no_statement",
            f"项目“{var.name_zh}”有自评得分但没有情况说明。",
            f"Item '{var.name_en}' has a score but no statement.",
            "请在“情况说明”栏简要说明开展的工作和取得的成效。",
            "Briefly describe the work done and its results under 情况说明.",
            **{**where, "cell": cell_ref(row0, col.get("statement", col["claimed"]))},
        )
    return Claim(sub.region_code, sub.year, var.code, score, statement, evidence, ref)


@dataclass
class SelfAssessment:
    """A county's self-assessment as read: the submission (claims and report) and the evidence
    files found, file name as listed → path in ``evidence_dir``."""

    submission: ParsedSubmission
    evidence: dict[str, Path] = field(default_factory=dict)


# evidence.missing as the user sent the files: in a folder (command line, Python) or as files
# attached to the web upload form, which has no folder
_MISSING_EVIDENCE = {
    "folder": (
        "佐证材料“{name}”不在提交的材料文件夹中。",
        "Evidence file '{name}' is not in the submitted evidence folder.",
        "请把该文件放入材料文件夹一并提交，或改正自评表中的文件名。",
        "Put the file in the evidence folder, or correct its name in the sheet.",
    ),
    "upload": (
        "佐证材料“{name}”未随表上传。",
        "Evidence file '{name}' was not attached to the upload.",
        "上传本表时请在“佐证材料”处一并选择该文件（可多选），或改正自评表“佐证材料”栏中的文件名。",
        "Attach the file in the evidence field when you upload the sheet (several files may be "
        "chosen at once), or correct its name in the sheet's evidence column.",
    ),
}


#: default largest evidence file, in bytes (the web platform's upload limit is the same 20 MB)
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def check_evidence(
    sub: ParsedSubmission,
    evidence_dir: str | Path,
    *,
    require: bool = True,
    max_bytes: int = MAX_EVIDENCE_BYTES,
    uploaded: bool = False,
) -> dict[str, Path]:
    """Find the evidence files listed in ``sub.claims`` inside ``evidence_dir``.

    Names may hold sub-folders but never leave the folder (:func:`cimon.safe.inside`): an
    absolute path, ``..`` or a symbolic link pointing out is ``evidence.outside`` and is never
    read. A name is looked up as written, then with each folder and file name made safe
    (:func:`cimon.safe.safe_relpath`: how ``cimon data export`` writes evidence), then as
    :func:`cimon.safe.safe_filename` makes it (the web platform stores uploads under that name,
    so ``报告:终版.pdf`` listed in the sheet finds the upload of that name stored as
    ``报告_终版.pdf``). A file larger than ``max_bytes``
    is ``evidence.too_large``. With ``require`` a listed file that is not there is
    ``evidence.missing``; ``uploaded``: the files were attached to a web upload (the message
    says "attach it", not "put it in the folder"). Issues sit at the claim's 佐证材料 cell.
    Returns listed name → resolved path of the files found and usable.
    """
    from cimon.safe import inside, safe_filename, safe_relpath

    zh, en, fix_zh, fix_en = _MISSING_EVIDENCE["upload" if uploaded else "folder"]

    found: dict[str, Path] = {}
    for claim in sub.claims:
        row = re.sub(r"^[A-Z]+", "", claim.cell)
        for name in claim.evidence:
            where = {
                "sheet": "创新管理自评",
                "cell": f"F{row}" if row else "",
                "region": claim.region_code,
                "variable": claim.variable,
                "value": name,
            }
            path = inside(evidence_dir, name)
            if path is None:
                sub.report.add(
                    "evidence.outside",
                    f"佐证材料“{name}”指向材料文件夹之外（绝对路径、“..”或指向外部的链接），不予读取。",
                    f"Evidence file '{name}' points outside the evidence folder (an absolute "
                    "path, '..' or a link leading out); it is not read.",
                    "只填写材料文件夹中的文件名（可含子文件夹，如“材料/证明.pdf”）。",
                    "Give only the names of files in the evidence folder (sub-folders allowed, "
                    "e.g. 'docs/proof.pdf').",
                    **where,
                )
                continue
            for alt_name in (safe_relpath(name), safe_filename(name)):
                if path.is_file() or alt_name is None:
                    break
                alt = inside(evidence_dir, alt_name)
                path = alt if alt is not None and alt.is_file() else path
            if path.is_file():
                size = path.stat().st_size
                if size > max_bytes:
                    mb = max_bytes / 1024 / 1024
                    sub.report.add(
                        "evidence.too_large",
                        f"佐证材料“{name}”有 {size / 1024 / 1024:.1f} MB，超过上限 {mb:g} MB。",
                        f"Evidence file '{name}' is {size / 1024 / 1024:.1f} MB, over the "
                        f"{mb:g} MB limit.",
                        "请压缩或拆分该文件，或只提交关键页。",
                        "Compress or split the file, or submit only the pages that matter.",
                        **where,
                    )
                    continue
                found[name] = path
                continue
            if require:
                sub.report.add(
                    "evidence.missing",
                    zh.format(name=name),
                    en.format(name=name),
                    fix_zh,
                    fix_en,
                    **where,
                )
    return found
