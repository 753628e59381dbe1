"""The bundled demo (``cimon demo``): evaluate every demo year on the synthetic panel and write the
outputs.

:func:`run_demo` evaluates the years, then runs each step of :data:`DEMO_STEPS` in order. A step is a
function ``step(report) -> None`` that adds a :class:`Section` (text for the terminal) and/or writes
files into ``report.out_dir`` and records them in ``report.files``. To add to the demo (year-on-year
jumps, incentives, charts …), write a step and append it to :data:`DEMO_STEPS`. The types a step
sees (:class:`DemoReport`, :class:`Section`) live in :mod:`cimon.reports.demo_report`, so steps
defined elsewhere never import this module back.

All demo data are synthetic (模拟数据) and every output says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from cimon.data.demo import demo_panel
from cimon.engine.pipeline import evaluate
from cimon.model.framework import Framework, load_framework
from cimon.model.panel import Panel
from cimon.reports.annual.demo import annual_report_step
from cimon.reports.demo_report import DemoReport, DemoStep, Section
from cimon.reports.excel import write_results
from cimon.reports.robustness import robustness_step
from cimon.reports.text import SYNTHETIC_LABEL, class_count_table

#: evaluation years (评价年度) of the demo; they use data years 2019–2024
DEMO_YEARS: tuple[int, ...] = (2020, 2021, 2022, 2023, 2024, 2025)


def class_counts_step(report: DemoReport) -> None:
    """Section: number of A/B/C counties per evaluation year."""
    report.sections.append(
        Section(
            f"各年度类别数量（{SYNTHETIC_LABEL}）",
            f"Counties per class and year ({SYNTHETIC_LABEL})",
            class_count_table(report.runs, report.lang),
        )
    )


def workbooks_step(report: DemoReport) -> None:
    """Files: one results workbook per evaluation year (``results-<year>.xlsx``)."""
    for year, run in report.runs.items():
        path = report.out_dir / f"results-{year}.xlsx"
        report.files.append(write_results(run, path, report.lang))


def panel_step(report: DemoReport) -> None:
    """File: the demo panel as a long CSV (``demo-panel.csv``), ready for ``cimon evaluate --data``."""
    path = report.out_dir / "demo-panel.csv"
    report.panel.frame.to_csv(path, index=False, encoding="utf-8")
    report.files.append(path)


def targets_step(report: DemoReport) -> None:
    """Section: class counts per year against the province's 2025 target (seed 000 section 二),
    with the status of each count and the pace still needed."""
    from cimon.analysis.targets import load_province_targets, province_progress
    from cimon.reports.yearly import province_text

    goal = load_province_targets("nx-2025")
    counts = {y: r.class_counts() for y, r in report.runs.items() if y >= goal.base_year}
    report.sections.append(
        Section(
            f"类别数量与 {goal.target_year} 年目标（{SYNTHETIC_LABEL}）",
            f"Class counts against the {goal.target_year} target ({SYNTHETIC_LABEL})",
            province_text(goal, province_progress(goal, counts), report.lang),
        )
    )


def incentives_step(report: DemoReport) -> None:
    """Sections: incentive money owed per evaluation year under the default rule set (seed 000
    section 四(二)): counties awarded, jump and rank money, total in whole yuan; then what each
    reading of “places gained” (``rank.places``) would cost, side by side."""
    from cimon.analysis.incentives import incentives_for_runs, total_owed
    from cimon.analysis.readings import reading_costs
    from cimon.analysis.rules import load_rules
    from cimon.reports.readings import readings_note, readings_table
    from cimon.reports.text import format_table
    from cimon.tables.specs import AWARDS

    rules = load_rules("nx-2021")
    owed = incentives_for_runs(report.runs, rules)
    en = report.lang == "en"
    heads = (["Year", "Counties", "Jumps"] if en else ["评价年度", "获奖县数", "跃升县数"]) + [
        AWARDS.column(k).header(report.lang, "text") for k in ("jump", "rank", "total")
    ]  # the award columns' own headers (cimon.tables.specs.AWARDS)
    rows = []
    for year, awards in owed.items():
        rank = sum(a.rank + a.bonus + a.reduction for a in awards)
        rows.append(
            [
                year,
                sum(1 for a in awards if a.total),
                sum(1 for a in awards if a.jump),
                f"{sum(a.jump for a in awards):,}",
                f"{rank:,}",
                f"{total_owed(awards):,}",
            ]
        )
    grand = sum(total_owed(a) for a in owed.values())
    note = (
        f"Total {grand:,} yuan (rules {rules.id} {rules.version}; rank money after caps)"
        if en
        else f"合计 {grand:,} 元（规则 {rules.id} {rules.version}；进位激励为封顶后金额）"
    )
    report.sections.append(
        Section(
            f"各年度激励资金（{SYNTHETIC_LABEL}）",
            f"Incentives owed per year ({SYNTHETIC_LABEL})",
            format_table(heads, rows) + "\n" + note,
        )
    )
    r_heads, r_rows = readings_table(reading_costs(report.runs, rules, awards=owed), report.lang)
    report.sections.append(
        Section(
            f"进位计数口径与激励资金（{SYNTHETIC_LABEL}）",
            f"Readings of places gained and their cost ({SYNTHETIC_LABEL})",
            readings_note(rules, report.lang) + "\n\n" + format_table(r_heads, r_rows),
        )
    )


__all__ = [
    "DEMO_STEPS",
    "DEMO_YEARS",
    "DemoReport",
    "DemoStep",
    "Section",
    "run_demo",
]

#: the steps :func:`run_demo` runs, in order; append to extend the demo
DEMO_STEPS: list[DemoStep] = [
    class_counts_step,
    targets_step,
    incentives_step,
    panel_step,
    workbooks_step,
    robustness_step,
    annual_report_step,
]


def run_demo(
    out_dir: str | Path = "out/demo",
    framework: str | Path | Framework = "nx-2021",
    years: Iterable[int] = DEMO_YEARS,
    panel: Panel | None = None,
    lang: str = "zh",
    steps: Iterable[DemoStep] | None = None,
) -> DemoReport:
    """Evaluate every demo year and run the demo steps.

    Parameters
    ----------
    out_dir:
        folder for the files (created if needed).
    framework:
        a bundled framework id, a YAML path or a loaded :class:`Framework`.
    years:
        evaluation years (评价年度); each uses data of ``year − data_lag``.
    panel:
        the data; default :func:`cimon.demo_panel` (synthetic, 模拟数据).
    steps:
        the steps to run; default :data:`DEMO_STEPS`.
    """
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    if panel is None:
        panel = demo_panel()
    runs = {int(y): evaluate(fw, panel, int(y)) for y in years}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = DemoReport(framework=fw, panel=panel, runs=runs, out_dir=out, lang=lang)
    for step in DEMO_STEPS if steps is None else steps:
        step(report)
    return report
