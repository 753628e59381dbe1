"""Excel export: sheets, headers, flags in words, run parameters, synthetic marking, formats and a
pandas/openpyxl round trip. Also the demo runner and the terminal text helpers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import cimon
from cimon.engine.pipeline import evaluate
from cimon.engine.run import Run
from cimon.model.framework import load_framework
from cimon.model.regions import default_registry
from cimon.reports.annual.demo import annual_report_step
from cimon.reports.demo import DEMO_STEPS, DemoReport, Section, run_demo
from cimon.reports.excel import SHEETS, explain_flag, flags_in_words, flatten_log, write_results
from cimon.reports.text import display_width, format_table, run_summary

FW = load_framework("nx-2021")
REG = default_registry()
XIJI, LONGDE, YONGNING = "640422", "640423", "640121"


def long_frame(years: range = range(2018, 2025), seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for year in years:
        for r in REG:
            for v in FW.variables:
                if v.kind == "rubric":
                    value = float(rng.integers(1, 6))
                else:
                    value = float(rng.uniform(1, 100)) * (1 + (year - 2018) / 10)
                rows.append((r.code, year, v.code, value, "reported"))
    return pd.DataFrame(rows, columns=["region_code", "year", "variable", "value", "status"])


def flagged_run(source: str = "test.xlsx") -> Run:
    """2021 evaluation (data 2020) with one of each flag."""
    df = long_frame()
    at = (df["year"] == 2020) & (df["region_code"] == XIJI)
    df = df.loc[~(at & (df["variable"] == "hte"))]  # missing → carry_forward (override below)
    df = df.loc[~(at & (df["variable"] == "tsme"))]  # missing, no imputation → scored 0
    df.loc[at & (df["variable"] == "gdp"), "value"] = 0.0  # zero denominator → undefined
    df.loc[at & (df["variable"] == "tech_contracts"), "status"] = "estimated"
    base = (df["year"] == 2019) & (df["region_code"] == LONGDE) & (df["variable"] == "fiscal_rd")
    df.loc[base, "value"] = 1.0  # huge growth in 2020 → capped by treat: bounds
    panel = cimon.Panel.from_frame(df, source=source)
    return evaluate(FW, panel, 2021, overrides={"impute.I06.method": "carry_forward"})


@pytest.fixture(scope="module")
def run() -> Run:
    return flagged_run()


@pytest.fixture(scope="module")
def book(run: Run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_results(run, tmp_path_factory.mktemp("xl") / "sub" / "r.xlsx")


def test_sheets_caption_and_headers(book: Path) -> None:
    wb = load_workbook(book)
    assert wb.sheetnames == [s.zh for s in SHEETS.values()]
    ws = wb["总分与排名"]
    assert ws["A1"].value == "2021 年度评价（数据年度 2020）· 指标体系 nx-2021 版本 2021.1"
    heads = [c.value for c in ws[2]]
    assert heads[:8] == [
        "区划代码",
        "县（市、区）",
        "设区市",
        "得分",
        "类别",
        "排名",
        "市内排名",
        "市辖区内排名",
    ]
    assert heads[-1] == "数据标记"
    for name in wb.sheetnames:
        assert wb[name].freeze_panes == "A3"
    assert [c.value for c in wb["一级指标得分"][2]][3] == "创新投入（25分）"
    assert [c.value for c in wb["二级指标得分"][2]][3] == "I01 地方全社会R&D投入强度（7分）"
    assert [c.value for c in wb["指标原始值"][2]][7] == "I05 每万名就业人员中R&D人员数（人年/万人）"


def test_scores_round_trip_through_pandas(run: Run, book: Path) -> None:
    res = pd.read_excel(book, sheet_name="总分与排名", header=1, dtype={"区划代码": str})
    assert res["区划代码"].tolist() == REG.codes
    assert np.array_equal(res["得分"].to_numpy(), run.results["score_published"].to_numpy())
    assert res["类别"].tolist() == run.results["class"].tolist()
    assert res["排名"].tolist() == run.results["rank"].tolist()
    pts = pd.read_excel(book, sheet_name="二级指标得分", header=1, dtype={"区划代码": str})
    assert np.allclose(pts.iloc[:, 3:].to_numpy(), run.data["points"].to_numpy(), equal_nan=True)
    pillars = pd.read_excel(book, sheet_name="一级指标得分", header=1)
    assert np.allclose(pillars.iloc[:, 3:8].sum(axis=1), run.results["score"])


def test_formats_and_class_fills(run: Run, book: Path) -> None:
    ws = load_workbook(book)["总分与排名"]
    for row in ws.iter_rows(min_row=3):
        assert row[3].number_format == "0.00"
        colour = {"A": "C6EFCE", "B": "FFEB9C", "C": "E7E6E6"}[row[4].value]
        assert row[4].fill.fgColor.rgb.endswith(colour)
    assert load_workbook(book)["二级指标得分"]["D3"].number_format == "0.00"


def test_flags_in_words(run: Run, book: Path) -> None:
    flags = pd.read_excel(book, sheet_name="标记", header=1, dtype={"区划代码": str})
    xiji = flags.loc[flags["区划代码"] == XIJI]
    got = dict(zip(xiji["指标代码"] + " " + xiji["标记"], xiji["说明"], strict=True))
    assert got["I06 imputed:carry_forward"] == "插补(carry_forward)"
    assert got["I07 missing"] == "缺失记0分"
    assert got["I01 undefined"] == "分母或基期为零无法计算"
    assert got["I15 input:estimated"] == "估算数据"
    longde = flags.loc[flags["区划代码"] == LONGDE]
    assert "已截断/缩尾处理(bounds)" in set(longde["说明"])
    res = pd.read_excel(book, sheet_name="总分与排名", header=1, dtype={"区划代码": str})
    words = res.set_index("区划代码").at[XIJI, "数据标记"]
    assert "插补(carry_forward)" in words and "缺失记0分" in words and "估算数据" in words


def test_run_parameters(run: Run, book: Path) -> None:
    params = pd.read_excel(book, sheet_name="运行参数", header=1)
    values = dict(zip(params["项目"], params["值"], strict=True))
    assert values["评价年度"] == 2021 and values["数据年度"] == 2020
    assert values["指标体系"] == "nx-2021" and str(values["指标体系版本"]) == "2021.1"
    assert values["指标体系哈希"] == run.framework_hash
    assert values["数据哈希"] == run.data_hash
    assert values["cimon 版本"] == cimon.__version__
    assert values["normalise.I01.method"] == "target"
    assert values["normalise.I01.target"] == 2.5
    assert values["impute.I06.method"] == "carry_forward"
    assert values["classify.labels"] == '["A", "B", "C"]'
    assert "数据说明" not in values  # not synthetic


def test_synthetic_note(tmp_path: Path) -> None:
    path = write_results(flagged_run(source="模拟数据（宁夏）"), tmp_path / "s.xlsx")
    wb = load_workbook(path)
    assert wb["总分与排名"]["A1"].value.endswith("模拟数据（synthetic）")
    assert wb["运行参数"]["B3"].value == "模拟数据（synthetic）"


def test_english_workbook(run: Run, tmp_path: Path) -> None:
    path = write_results(run, tmp_path / "en.xlsx", lang="en")
    wb = load_workbook(path)
    assert wb.sheetnames == [s.en for s in SHEETS.values()]
    assert [c.value for c in wb["Scores and ranks"][2]][:5] == [
        "Code",
        "County",
        "City",
        "Score",
        "Class",
    ]
    assert wb["Scores and ranks"]["A1"].value.startswith("2021 evaluation (data year 2020)")
    flags = pd.read_excel(path, sheet_name="Flags", header=1)
    assert "missing, scored 0" in set(flags["Explanation"])


@pytest.mark.parametrize(
    ("flag", "zh", "en"),
    [
        ("imputed:group_median", "插补(group_median)", "imputed (group_median)"),
        ("missing", "缺失记0分", "missing, scored 0"),
        ("treated:winsorise", "已截断/缩尾处理(winsorise)", "capped/winsorised (winsorise)"),
        ("undefined", "分母或基期为零无法计算", "undefined: zero denominator or base"),
        ("input:estimated", "估算数据", "estimated input data"),
        ("something_new", "something_new", "something_new"),
    ],
)
def test_explain_flag(flag: str, zh: str, en: str) -> None:
    assert explain_flag(flag) == zh and explain_flag(flag, "en") == en


def test_flags_in_words_joins() -> None:
    assert flags_in_words("missing;undefined") == "缺失记0分；分母或基期为零无法计算"
    assert flags_in_words("") == ""


def test_flatten_log() -> None:
    log = {"a": {"b": 1, "c": [1, None]}, "d": None, "e": {}}
    assert flatten_log(log) == {"a.b": 1, "a.c": "[1, null]", "d": "null", "e": "{}"}


def test_run_summary(run: Run) -> None:
    text = run_summary(run)
    assert text.startswith("2021 年度评价（数据年度 2020）")
    assert "前 5 名" in text
    assert (
        "数据标记：插补 1 处，截断/缩尾 6 处，缺失记0分 2 处，无法计算 1 处，估算数据 1 处" in text
    )
    top = run.results.sort_values("rank").iloc[0]["name"]
    assert top in text


def test_format_table_aligns_wide_characters() -> None:
    text = format_table(["县", "分"], [["西吉县", 1.5], ["ab", 10.0]])
    lines = text.splitlines()
    assert len({display_width(line) for line in lines}) == 1
    assert lines[2] == "西吉县   1.50" and lines[3] == "ab      10.00"


def test_run_demo_steps_are_extensible(tmp_path: Path) -> None:
    panel = cimon.Panel.from_frame(long_frame(range(2018, 2022)), source="模拟数据")
    seen: list[int] = []

    def extra(report: DemoReport) -> None:
        seen.extend(report.runs)
        report.sections.append(Section("附加", "Extra", "body"))

    report = run_demo(
        tmp_path / "demo",
        panel=panel,
        years=(2020, 2021, 2022),
        steps=[*(s for s in DEMO_STEPS if s is not annual_report_step), extra],
    )
    assert seen == [2020, 2021, 2022]
    assert [p.name for p in report.files] == [
        "demo-panel.csv",
        *(f"results-{y}.xlsx" for y in (2020, 2021, 2022)),
        "robustness-2022.xlsx",
        "robustness-2022.json",
    ]
    text = report.render()
    assert "模拟数据" in text and text.index("各年度类别数量") < text.index("附加")
    assert "已写入文件" in text
    wb = load_workbook(report.files[1])
    assert "模拟数据（synthetic）" in wb["总分与排名"]["A1"].value


def test_run_demo_on_bundled_panel(tmp_path: Path) -> None:
    pytest.importorskip("cimon.data.demo")
    steps = [s for s in DEMO_STEPS if s is not annual_report_step]  # tests/reports/annual
    report = run_demo(tmp_path / "demo", steps=steps)
    assert sorted(report.runs) == list(range(2020, 2026))
    assert len(report.files) == 9  # panel, six workbooks, robustness .xlsx and .json
    from cimon.model.panel_file import read_panel

    again = evaluate(report.framework, read_panel(report.files[0], REG, report.framework), 2025)
    assert np.array_equal(again.results["score"], report.runs[2025].results["score"])
