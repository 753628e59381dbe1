"""Robustness tables, terminal text and workbook: every number is the result's."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

import cimon
from cimon.analysis.assumptions import load_assumptions
from cimon.analysis.rules import load_rules
from cimon.analysis.sensitivity import rank_sensitivity
from cimon.analysis.uncertainty import UncertaintyResult, monte_carlo
from cimon.reports.robustness import county_table, robustness_text, write_robustness


@pytest.fixture(scope="module")
def result() -> UncertaintyResult:
    fw = cimon.load_framework("nx-2021")
    runs = cimon.evaluate_years(fw, cimon.demo_panel(), [2024, 2025])
    aset = load_assumptions("default")
    res = monte_carlo(runs[2025], aset, 400, 1, runs[2024], load_rules("nx-2021"))
    res.sobol = rank_sensitivity(runs[2025], aset, 16, 1)
    return res


def test_workbook_matches_the_result(result: UncertaintyResult, tmp_path: Path) -> None:
    path = write_robustness(result, tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "各县稳健性", "激励稳健性", "敏感性（平均排名变动）", "敏感性（各县排名）", "不确定性假设", "分析信息",
    ]  # fmt: skip
    ws = wb["各县稳健性"]
    assert "模拟数据" in ws["A1"].value and "400 次模拟" in ws["A1"].value
    heads = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3, values_only=True):
        rec = dict(zip(heads, row, strict=True))
        c = result.counties.loc[rec["区划代码"]]
        assert rec["得分"] == c["score"] and rec["A类概率"] == c["p_A"]
        assert rec["排名区间（5%–95%）"] == f"{c['rank_p05']}–{c['rank_p95']}"
        assert rec["类别稳定"] == ("是" if c["stable"] else "否")
    inc = wb["激励稳健性"]
    amounts = [r[6] for r in inc.iter_rows(min_row=3, values_only=True)]
    assert amounts == result.incentives["amount"].tolist()
    assert all(isinstance(a, int) for a in amounts)  # money stays integer 元


def test_text_in_both_languages(result: UncertaintyResult) -> None:
    zh = robustness_text(result)
    en = robustness_text(result, "en")
    n_unstable = int((~result.counties["stable"]).sum())
    assert f"不稳定：{n_unstable} 个" in zh and f"unstable: {n_unstable}" in en
    assert f"{result.budget['nominal']:,}" in zh
    assert "指标分值（权重）" in zh and "Indicator points (weights)" in en
    heads, rows = county_table(result, "en")
    assert heads[-1] == "Stable" and len(rows) == 22


def test_probabilities_are_written_as_the_annual_report_writes_them() -> None:
    """One format for a probability everywhere: 100 % only when every replicate agrees (a class
    kept in 99.96 % of them is not certain): ``cimon.vocab.percent_or``, which the robustness
    tables call with "" for a missing probability."""
    from cimon.vocab import percent_or

    def pct(p: object) -> str:
        return percent_or(p, "")

    assert pct(0.9996) == ">99.9%" and pct(1.0) == "100%"
    assert pct(0.0004) == "<0.1%" and pct(0.0) == "0%"
    assert pct(0.5) == "50.0%" and pct(float("nan")) == "" and pct(None) == ""
