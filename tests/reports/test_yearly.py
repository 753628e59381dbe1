"""Excel workbooks of the yearly cycle: Chinese sheet names and headers, the synthetic caption, and
the numbers the library computed (the change split adds up in every row)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

import cimon
from cimon.analysis.compare import compare_runs
from cimon.analysis.diagnose import diagnose
from cimon.analysis.incentives import incentives_for_runs
from cimon.analysis.ledger import allocations_from_awards, check_ledger
from cimon.analysis.rules import load_rules
from cimon.analysis.targets import load_province_targets, province_progress
from cimon.engine.run import Run
from cimon.reports.annual.demo import annual_report_step
from cimon.reports.demo import DEMO_STEPS, run_demo
from cimon.reports.yearly_excel import (
    write_comparison,
    write_diagnosis,
    write_incentives,
    write_targets,
)


@pytest.fixture(scope="module")
def runs() -> dict[int, Run]:
    fw = cimon.load_framework("nx-2021")
    return cimon.evaluate_years(fw, cimon.demo_panel(), [2022, 2023])


def test_comparison_workbook(runs: dict[int, Run], tmp_path: Path) -> None:
    c = compare_runs(runs[2022], runs[2023])
    wb = load_workbook(write_comparison(c, tmp_path / "c.xlsx"))
    assert wb.sheetnames == ["年度比较", "类别转移矩阵", "得分变化分解"]
    ws = wb["得分变化分解"]
    assert "模拟数据（synthetic）" in ws["A1"].value
    heads = [c.value for c in ws[2]]
    assert heads[:3] == ["区划代码", "县（市、区）", "得分变化"]
    for row in ws.iter_rows(min_row=3, values_only=True):
        pillars = row[3:8]
        assert round(sum(pillars) * 100) == round(row[2] * 100)
        assert round(sum(row[8:]) * 100) == round(row[2] * 100)


def test_incentives_workbook(runs: dict[int, Run], tmp_path: Path) -> None:
    rules = load_rules()
    owed = incentives_for_runs(runs, rules)
    ledger = check_ledger(allocations_from_awards(owed), [])
    path = write_incentives(
        owed[2023], rules, 2023, tmp_path / "i.xlsx", ledger=ledger, run=runs[2023]
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["激励资金", "激励规则", "资金台账", "台账问题"]
    ws = wb["激励资金"]
    assert ws["J2"].value == "合计（元）"
    # rank.places=overtaken (the default since #13); 14,250,000 under the literal reading
    assert sum(r[9] for r in ws.iter_rows(min_row=3, values_only=True)) == 4_500_000


def test_targets_and_diagnosis_workbooks(runs: dict[int, Run], tmp_path: Path) -> None:
    goal = load_province_targets()
    rows = province_progress(goal, {y: r.class_counts() for y, r in runs.items()})
    wb = load_workbook(write_targets(tmp_path / "t.xlsx", "en", (goal, rows)))
    assert wb.sheetnames == ["Province targets"] and wb.active["A2"].value == "Year"
    d = diagnose(runs[2023], "西吉县")
    wb = load_workbook(write_diagnosis(d, runs[2023], tmp_path / "d.xlsx"))
    assert wb.sheetnames == ["指标诊断", "升类路径", "分组比较"]
    assert "重新评价" in str(wb["升类路径"].cell(row=2 + len(d.path.steps) + 1, column=2).value)  # type: ignore[union-attr]


def test_demo_prints_targets_and_incentives(tmp_path: Path) -> None:
    """``cimon demo``: class counts against the 2025 target (10/8/4 reached in 2025) and the
    incentives owed per year (nx-2021: 2023 owes 4,500,000 元) and the cost of each reading of
    places gained (2023: 450 万元 overtaking, 1,425 万元 literal)."""
    # without the annual report step (tests/reports/annual covers it; it takes seconds)
    steps = [s for s in DEMO_STEPS if s is not annual_report_step]
    report = run_demo(tmp_path / "demo", steps=steps)
    text = report.render()
    assert "类别数量与 2025 年目标" in text and "10（已达目标）" in text
    assert "各年度激励资金" in text and "4,500,000" in text
    assert "进位计数口径与激励资金" in text
    line_2023 = [x.split() for x in text.splitlines() if x.startswith("2023  ")]
    assert ["2023", "实际超越（现行规则）", "7", "2", "50", "450"] in line_2023
    assert ["2023", "字面位次", "20", "17", "1,050", "1,425"] in line_2023
    assert len(report.files) == 9  # the steps add text; robustness adds its .xlsx and .json


def test_english_texts_name_counties_in_english(runs: dict[int, Run]) -> None:
    """The yearly texts in English (``cimon --lang en compare / incentives / diagnose``) name
    counties and cities in English; in Chinese they keep the Chinese names."""
    from cimon.model.regions import default_registry
    from cimon.reports.yearly import (
        awards_table,
        comparison_table,
        comparison_text,
        diagnosis_text,
        incentives_text,
    )

    reg = default_registry()
    names = {n for r in reg for n in (r.name, r.city)}
    c = compare_runs(runs[2022], runs[2023])
    _, rows = comparison_table(c, "en")
    assert {(r[0], r[1], r[2]) for r in rows} == {(x.code, x.name_en, x.city_en) for x in reg}
    text = comparison_text(c, "en")
    assert "Xiji County" in text and not any(n in text for n in names)
    assert "西吉县" in comparison_text(c, "zh")
    rules = load_rules()
    owed = incentives_for_runs(runs, rules)[2023]
    text = incentives_text(owed, rules, 2023, "en")
    paid = [a for a in owed if a.total]
    assert paid and all(f"{reg[a.code].name_en}: " in text for a in paid)
    assert not any(n in text for n in names)
    assert awards_table(owed, "zh").rows[0][1] == owed[0].name
    d = diagnose(runs[2023], "西吉县")
    assert diagnosis_text(d, "en").startswith("Xiji County (640422) 2023:")
    assert "peers: Guyuan (4 other counties)" in diagnosis_text(d, "en")
    assert diagnosis_text(d, "zh").startswith("西吉县（640422）")
