"""Write the annual report in the formats asked for: one content (:func:`build_content`), one
composed document per language, then Word, HTML, PDF (from the same HTML) and the results workbook.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cimon.analysis.codes import CodeMap
from cimon.engine.run import Run
from cimon.errors import CimonError
from cimon.reports.annual.compose import chart_count, compose
from cimon.reports.annual.content import AnnualContent, build_content
from cimon.reports.annual.document import Document, check_doc_number, stamp
from cimon.reports.annual.geo import Boundaries, load_boundaries

FORMATS = ("docx", "html", "pdf", "xlsx")
DEFAULT_FORMATS = ("docx", "html", "pdf")
Progress = Callable[[str], None]


@dataclass
class AnnualReport:
    """What :func:`write_report` produced."""

    content: AnnualContent
    document: Document
    files: dict[str, Path] = field(default_factory=dict)


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """``"docx,html"`` → ``("docx", "html")``; an unknown format is a clear error."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = tuple(dict.fromkeys(s.strip().lower() for s in items if s.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise CimonError(
            f"不支持的报告格式：{'、'.join(bad) or '（空）'}。可用：{'、'.join(FORMATS)}，用逗号分隔，如 docx,html,pdf。",
            f"Unsupported report format: {', '.join(bad) or '(empty)'}. Use {', '.join(FORMATS)}, "
            "comma-separated, e.g. docx,html,pdf.",
            "--format",
        )
    return out


def step_count(runs: Mapping[int, Run], year: int, formats: Iterable[str]) -> int:
    """How many times :func:`write_report` calls ``progress`` (for a progress bar)."""
    n = len(runs[year].regions) if year in runs else 0
    return 1 + 3 + n + len(tuple(formats))


def report_stem(year: int, lang: str) -> str:
    return f"annual-report-{year}-{'en' if lang == 'en' else 'zh'}"


def write_report(
    runs: Mapping[int, Run],
    year: int,
    out_dir: str | Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    lang: str = "zh",
    rules: Any = "nx-2021",
    targets: Any = "nx-2025",
    robustness: Any | None = None,
    boundaries: Boundaries | str | Path | None = None,
    code_map: CodeMap | None = None,
    issuer: str | None = None,
    progress: Progress | None = None,
    content: AnnualContent | None = None,
    robustness_source: str = "robustness",
    issue_date: date | None = None,
    doc_number: str | None = None,
) -> AnnualReport:
    """Build the report of evaluation ``year`` and write it into ``out_dir`` as
    ``annual-report-<year>-<zh|en>.<docx|html|pdf>`` and ``annual-results-<year>-<zh|en>.xlsx``.

    ``boundaries``: a GeoJSON file (or loaded :class:`Boundaries`) for the map, else a tile grid.
    ``content``: reuse a content already built (e.g. for a second language).
    ``issue_date``, ``doc_number``: the cover's issue date and document number (发文字号); none
    by default, so that the same data give the same file.
    """
    tick = progress or (lambda _label: None)
    fmts = parse_formats(formats)
    doc_number = check_doc_number(doc_number)  # before the long work: a typo fails at once
    if content is None:
        content = build_content(
            runs, year, rules, targets, robustness, code_map, issuer, robustness_source
        )
    tick("content")
    shapes = boundaries
    if shapes is not None and not isinstance(shapes, Boundaries):
        shapes = load_boundaries(shapes, [c.code for c in content.counties])
    doc = stamp(compose(content, lang, shapes, tick), issue_date, doc_number)
    out = Path(out_dir)
    stem = report_stem(year, lang)
    report = AnnualReport(content, doc)
    for fmt in fmts:
        if fmt == "docx":
            from cimon.reports.annual.docx import write_docx

            report.files["docx"] = write_docx(doc, out / f"{stem}.docx")
        elif fmt in ("html", "pdf"):
            from cimon.reports.annual.html import render_html, write_html

            if fmt == "html":
                html_text = render_html(doc)
                report.files["html"] = write_html(doc, out / f"{stem}.html", html_text)
            else:
                from cimon.reports.annual.pdf import write_pdf

                text = render_html(doc, for_pdf=True)
                report.files["pdf"] = write_pdf(doc, out / f"{stem}.pdf", text)
        elif fmt == "xlsx":
            from cimon.reports.annual.results_excel import write_results_workbook

            name = f"annual-results-{year}-{'en' if lang == 'en' else 'zh'}.xlsx"
            report.files["xlsx"] = write_results_workbook(content, out / name, lang)
        tick(fmt)
    return report


__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "AnnualReport",
    "chart_count",
    "parse_formats",
    "step_count",
    "write_report",
]
