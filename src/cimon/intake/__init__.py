"""Data collection (数据报送): Excel templates, parsing of messy submissions, validation.

No database here: a file becomes a :class:`~cimon.intake.submission.ParsedSubmission` with its
:class:`~cimon.intake.report.ValidationReport`; storing it is the job of ``cimon.store.submissions``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cimon.intake.report import CODES, Issue, ValidationReport
from cimon.intake.submission import Claim, ParsedSubmission, Record

if TYPE_CHECKING:
    from cimon.model.framework import Framework
    from cimon.model.panel import Panel
    from cimon.model.regions import RegionRegistry


def validate_file(
    path: str | Path,
    framework: Framework,
    registry: RegionRegistry,
    *,
    year: int | None = None,
    history: Panel | None = None,
    context: Panel | None = None,
    mapping: dict[str, str] | None = None,
) -> ParsedSubmission:
    """Read a submitted file and check it: never raises for anything in the file's content.

    ``year`` is the evaluation year the file is expected for (None: take it from the template);
    ``history`` holds accepted data of earlier years (unit slips, year-over-year jumps) and
    ``context`` accepted data of the same year from other submissions (consistency rules).
    ``mapping`` maps the columns of a free-form file to ``region``/``year``/variable codes.
    """
    from cimon.intake.checks import check_records
    from cimon.intake.reader import read_submission

    sub = read_submission(path, framework, registry, year=year, mapping=mapping)
    if sub.report.ok or sub.records:
        check_records(sub, framework, history=history, context=context, registry=registry)
    return sub


__all__ = [
    "CODES",
    "Claim",
    "Issue",
    "ParsedSubmission",
    "Record",
    "ValidationReport",
    "validate_file",
]
