"""The annual evaluation report (《县域科技创新年度评估报告》, seed 000 四(一)) in Word, HTML and PDF,
with charts and a map, and the results workbook.

:func:`build_content` gathers the numbers from the Runs (:mod:`.content`); :func:`compose` turns
them into a document in Chinese or English (:mod:`.compose`, :mod:`.profile`); :mod:`.docx`,
:mod:`.html` and :mod:`.pdf` lay it out; :func:`write_report` does all of it. See
docs/reports/annual.md.
"""

from __future__ import annotations

from cimon.reports.annual.build import (
    DEFAULT_FORMATS,
    FORMATS,
    AnnualReport,
    parse_formats,
    step_count,
    write_report,
)
from cimon.reports.annual.compose import compose
from cimon.reports.annual.content import AnnualContent, build_content

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "AnnualContent",
    "AnnualReport",
    "build_content",
    "compose",
    "parse_formats",
    "step_count",
    "write_report",
]
