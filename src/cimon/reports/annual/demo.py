"""The demo step that writes the demo year's annual report (``cimon demo``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cimon.reports.demo_report import DemoReport

#: the formats the demo writes
DEMO_FORMATS = ("docx", "html", "pdf")


def annual_report_step(report: DemoReport) -> None:
    """Files: the annual report of the last demo year (``annual-report-<year>-zh.docx/.html/.pdf``),
    with the robustness result an earlier step left in ``report.extras["robustness"][year]``, if
    any; section: where the report went."""
    from cimon.reports.annual.build import write_report
    from cimon.reports.demo_report import Section
    from cimon.reports.text import SYNTHETIC_LABEL

    year = max(report.runs)
    robustness = report.extras.get("robustness", {}).get(year)
    done = write_report(
        report.runs, year, report.out_dir, DEMO_FORMATS, report.lang, robustness=robustness
    )
    report.files.extend(done.files.values())
    en = report.lang == "en"
    c = done.content
    body = (
        f"{len(c.counties)} counties, {len(done.document.headings())} headings, "
        f"{len(done.document.tables())} tables; robustness "
        + ("included" if robustness is not None else "not analysed")
        if en
        else f"{len(c.counties)} 个县（市、区），{len(done.document.headings())} 个标题，"
        f"{len(done.document.tables())} 张表；稳健性分析"
        + ("已纳入" if robustness is not None else "未开展")
    )
    report.sections.append(
        Section(
            f"{year} 年度评估报告（{SYNTHETIC_LABEL}）",
            f"{year} annual report ({SYNTHETIC_LABEL})",
            body,
        )
    )
