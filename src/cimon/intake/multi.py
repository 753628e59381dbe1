"""Readers over whole files built on :func:`cimon.intake.reader.read_submission`: several
experts' scoring files checked together (:func:`read_expert_sheets`) and a county's
self-assessment with its evidence folder (:func:`read_self_assessment`).

They sit above the reader, so that the sheet readers (:mod:`cimon.intake.experts`,
:mod:`cimon.intake.qualitative`) never import it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from cimon.intake.experts import ExpertSheet, check_experts
from cimon.intake.qualitative import SelfAssessment, check_evidence
from cimon.intake.reader import read_file, read_submission
from cimon.intake.report import ValidationReport
from cimon.intake.submission import ParsedSubmission
from cimon.model.framework import Framework
from cimon.model.regions import RegionRegistry

__all__ = ["read_expert_sheets", "read_self_assessment"]


def read_expert_sheets(
    paths: Iterable[str | Path],
    framework: Framework,
    registry: RegionRegistry,
    year: int,
    experts: list[str] | None = None,
) -> ParsedSubmission:
    """Read several experts' scoring files together and check them across files.

    Parameters
    ----------
    paths:
        Expert scoring workbooks (``kind="expert"`` templates, one expert each, or several
        expert sheets in one workbook).
    year:
        The evaluation year (each template must be for it: ``template.year``).
    experts:
        The expected experts; one without a sheet is ``expert.missing``, one not on the list
        ``expert.unknown``.

    Returns
    -------
    ParsedSubmission
        ``kind="expert"``, one record per expert, county and item (``Record.expert``); the
        issues of every file (``Issue.file`` names it). ``file_name`` joins the file names and
        ``sha256`` is the sha256 of their sha256 digests in the given order.
    """
    files = [Path(p) for p in paths]
    report = ValidationReport("；".join(p.name for p in files))
    merged = ParsedSubmission(
        file_name=report.source,
        sha256="",
        kind="expert",
        year=year - framework.data_lag,
        framework_id=framework.id,
        framework_version=framework.version,
        framework_hash=framework.hash,
        report=report,
    )
    sheets: list[ExpertSheet] = []
    digests = []
    for p in files:
        sub, found = read_file(p, framework, registry, year=year, finish_experts=False)
        report.extend(sub.report.issues)
        digests.append(sub.sha256)
        if sub.kind != "expert" and sub.report.ok:
            report.add(
                "template.unknown",
                "该文件不是专家评分表。",
                "This file is not an expert scoring sheet.",
                "请提交由系统生成的专家评分模板。",
                "Submit the expert scoring template made by the system.",
                file=p.name,
            )
        merged.records.extend(r for r in sub.records if not r.expert)
        sheets.extend(found)
    merged.sha256 = hashlib.sha256("".join(digests).encode()).hexdigest()
    merged.records.extend(check_experts(sheets, report, experts, registry))
    return merged


def read_self_assessment(
    path: str | Path,
    framework: Framework,
    registry: RegionRegistry,
    *,
    year: int | None = None,
    evidence_dir: str | Path | None = None,
    department: str | None = None,
) -> SelfAssessment:
    """Read a county's self-assessment workbook and, with ``evidence_dir``, check and collect
    the evidence files it lists. ``year`` is the evaluation year; ``department`` may name the
    county the file must belong to (``region.wrong`` otherwise). Never raises for the file."""
    sub = read_submission(path, framework, registry, year=year, department=department)
    evidence = check_evidence(sub, evidence_dir) if evidence_dir is not None else {}
    return SelfAssessment(sub, evidence)
