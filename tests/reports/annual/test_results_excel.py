"""The results workbook: one sheet per level, headers frozen, classes coloured, the Run's numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from cimon.engine.run import Run
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.results_excel import write_results_workbook

from .conftest import YEAR


def test_sheets_formatting_and_numbers(
    content: AnnualContent, runs: dict[int, Run], tmp_path: Path
) -> None:
    wb = load_workbook(write_results_workbook(content, tmp_path / "r.xlsx"))
    assert wb.sheetnames == [
        "全区",
        "设区市",
        "县（市、区）",
        "一级指标",
        "二级指标得分",
        "二级指标值",
        "激励资金",
    ]
    ws = wb["县（市、区）"]
    assert "模拟数据（synthetic）" in ws["A1"].value and ws.freeze_panes == "C3"
    heads = [c.value for c in ws[2]]
    col = {h: k for k, h in enumerate(heads)}
    res = runs[YEAR].results
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    award = {a.code: a for a in content.awards}
    assert len(rows) == len(res)
    for r in rows:
        code = r[col["区划代码"]]
        assert r[col["得分"]] == res.at[code, "score_published"]
        assert r[col["类别"]] == res.at[code, "class"] and r[col["排名"]] == res.at[code, "rank"]
        assert isinstance(r[col["激励资金（元）"]], int)
        # the places paid for (the rule set's rank.places, #13), beside the money they earn
        assert r[col["类内进位"]] == award[code].places
        assert r[col["激励资金（元）"]] == award[code].total
    assert sum(r[col["激励资金（元）"]] for r in rows) == content.total
    assert "保持本类概率" in col
    klass = ws.cell(row=3, column=col["类别"] + 1)
    fills = {"A": "C6EFCE", "B": "FFEB9C", "C": "E7E6E6"}
    assert klass.fill.fgColor.rgb.endswith(fills[klass.value])
    assert ws.cell(row=3, column=col["得分"] + 1).number_format == "0.00"
    prov = wb["全区"]
    years = [r[0] for r in prov.iter_rows(min_row=3, values_only=True)]
    assert years == [2020, 2021, 2022]
    assert next(iter(prov.iter_rows(min_row=5, values_only=True)))[1:4] == tuple(
        runs[YEAR].class_counts().values()
    )
    pillars = wb["一级指标"]
    first = next(pillars.iter_rows(min_row=3, values_only=True))
    # Excel keeps 15 significant digits
    assert first[3] == pytest.approx(runs[YEAR].data["pillars"].at[first[0], "input"], rel=1e-14)
    en = load_workbook(write_results_workbook(content, tmp_path / "e.xlsx", "en"))
    assert en.sheetnames[:3] == ["Province", "Cities", "Counties"]
