"""The command line: happy paths, and bad input giving one clean paragraph (file + place), exit 2 and
no traceback."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner, Result
from openpyxl import load_workbook

import cimon
from cimon.cli import main
from cimon.model.framework import load_framework
from cimon.model.regions import default_registry

FW = load_framework("nx-2021")
REG = default_registry()
CIMON = Path(sys.executable).parent / "cimon"


def wide_frame(years: tuple[int, ...] = (2019, 2020), seed: int = 0) -> pd.DataFrame:
    """One row per county and data year, one column per variable (random but plausible)."""
    rng = np.random.default_rng(seed)
    rows = []
    for year in years:
        for r in REG:
            row: dict[str, object] = {"county": r.name, "year": year}
            for v in FW.variables:
                if v.kind == "rubric":
                    row[v.code] = float(rng.integers(1, 6))
                else:
                    row[v.code] = round(float(rng.uniform(1, 100)) * (1 + (year - 2018) / 10), 2)
            rows.append(row)
    return pd.DataFrame(rows)


def synthetic_panel(years: range = range(2018, 2025)) -> cimon.Panel:
    df = wide_frame(tuple(years)).melt(id_vars=["county", "year"], var_name="variable")
    df["region_code"] = [REG.match(n).code for n in df["county"]]
    return cimon.Panel.from_frame(df, source="模拟数据（测试）")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


@pytest.fixture
def panel_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "panel.xlsx"
    wide_frame().to_excel(path, index=False)  # sheet "Sheet1"; data rows start at Excel row 2
    return path


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def assert_clean_error(result: Result, where: str, *words: str) -> None:
    """Exit 2, two lines on stderr (Chinese then English), both starting with the place."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert all(line.startswith(f"{where}: ") for line in lines), result.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0][len(where) :])
    for w in words:
        assert w in result.stderr


# --- happy paths ----------------------------------------------------------------------------------


def test_evaluate_prints_summary_and_writes_workbook(runner: CliRunner, panel_xlsx: Path) -> None:
    result = invoke(
        runner, "evaluate", "--data", str(panel_xlsx), "--year", "2021", "--out", "r.xlsx"
    )
    assert result.exit_code == 0, result.output
    assert "2021 年度评价（数据年度 2020）" in result.stdout
    assert "类别" in result.stdout and "前 5 名" in result.stdout
    assert "r.xlsx" in result.stdout
    wb = load_workbook("r.xlsx")
    assert wb.sheetnames[0] == "总分与排名"


def test_evaluate_default_out_and_english(runner: CliRunner, panel_xlsx: Path) -> None:
    result = invoke(runner, "--lang", "en", "evaluate", "-d", str(panel_xlsx), "-y", "2021")
    assert result.exit_code == 0, result.output
    assert "2021 evaluation (data year 2020)" in result.stdout and "Top 5" in result.stdout
    assert Path("results-2021.xlsx").exists()
    assert load_workbook("results-2021.xlsx").sheetnames[0] == "Scores and ranks"


def test_evaluate_set_overrides_the_log(runner: CliRunner, panel_xlsx: Path) -> None:
    args = ["evaluate", "-d", str(panel_xlsx), "-y", "2021", "-o", "r.xlsx"]
    result = invoke(runner, *args, "--set", "normalise.I01.target=5", "--set", "treat.I02.cap=50")
    assert result.exit_code == 0, result.output
    log = pd.read_excel("r.xlsx", sheet_name="运行参数", header=1)
    values = dict(zip(log["项目"], log["值"], strict=True))
    assert float(values["normalise.I01.target"]) == 5.0
    assert float(values["treat.I02.cap"]) == 50.0


def test_framework_list_show_validate(runner: CliRunner) -> None:
    listed = invoke(runner, "framework", "list")
    assert listed.exit_code == 0 and "nx-2021" in listed.stdout
    shown = invoke(runner, "framework", "show", "nx-2021")
    assert shown.exit_code == 0
    assert "创新投入（25分）" in shown.stdout and "share(rd_exp, gdp)" in shown.stdout
    assert "target(floor=0, target=2.5)" in shown.stdout and FW.hash in shown.stdout
    english = invoke(runner, "framework", "show", "nx-2021", "--lang", "en")
    assert "Innovation input" in english.stdout
    path = Path("fw.yaml")
    path.write_text(yaml.safe_dump(dict(FW.raw), allow_unicode=True), encoding="utf-8")
    ok = invoke(runner, "framework", "validate", str(path))
    assert ok.exit_code == 0 and ok.stdout.startswith("OK") and FW.hash in ok.stdout


def test_regions_show_and_match(runner: CliRunner) -> None:
    shown = invoke(runner, "regions", "show")
    assert shown.exit_code == 0 and "640422" in shown.stdout and "共 22 个县" in shown.stdout
    matched = invoke(runner, "regions", "match", "西吉縣", "固原市 隆德", "ＸＸ县")
    assert "西吉縣" in matched.stdout and "640422 西吉县（固原市）" in matched.stdout
    assert "640423 隆德县" in matched.stdout
    assert "ＸＸ县" in matched.stdout and "未找到" in matched.stdout
    assert matched.exit_code == 2 and "Traceback" not in matched.output


def test_regions_custom_file(runner: CliRunner) -> None:
    Path("r.csv").write_text(
        "code,name,city_code,city,province,type\n110101,东城区,110100,北京市,北京市,区\n",
        encoding="utf-8",
    )
    assert "东城区" in invoke(runner, "regions", "show", "--file", "r.csv").stdout
    bad = invoke(runner, "regions", "show", "--file", "missing.csv")
    assert_clean_error(bad, "missing.csv", "找不到区划文件", "not found")


@pytest.mark.django_db(transaction=True)
def test_demo_writes_one_workbook_per_year(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the annual report step is tested in tests/reports/annual (it takes seconds)
    from cimon.reports import demo as demo_module
    from cimon.reports.annual.demo import annual_report_step

    monkeypatch.setattr(cimon, "demo_panel", synthetic_panel)
    monkeypatch.setattr(demo_module, "demo_panel", synthetic_panel)  # what run_demo calls

    steps = [s for s in demo_module.DEMO_STEPS if s is not annual_report_step]
    monkeypatch.setattr(demo_module, "DEMO_STEPS", steps)
    result = invoke(runner, "demo", "--out", "d")
    assert result.exit_code == 0, result.output
    assert "模拟数据" in result.stdout
    table = [line.split() for line in result.stdout.splitlines()]
    years = [row[0] for row in table if row and row[0].isdigit() and len(row) == 5]
    assert years == [str(y) for y in range(2020, 2026)]
    assert sorted(p.name for p in Path("d").iterdir()) == [
        "demo-panel.csv",
        *(f"results-{y}.xlsx" for y in range(2020, 2026)),
        "robustness-2025.json",
        "robustness-2025.xlsx",
        "templates",
    ]
    assert "2025 年度稳健性分析" in result.stdout
    assert len(list(Path("d/templates").glob("2025-*.xlsx"))) == 6
    # the demo imports its panel into the database; this random panel breaks the consistency
    # rules, so the import is refused with the cells named (tests/web/test_demo.py runs the real one)
    assert "数据报送与数据库" in result.stdout and "value.not_number" not in result.stdout
    assert "未导入：文件有错误" in result.stdout
    again = invoke(runner, "evaluate", "-d", "d/demo-panel.csv", "-y", "2025", "-o", "r.xlsx")
    assert again.exit_code == 0, again.output
    assert "[模拟数据 / synthetic]" in again.stdout


def test_version_and_help(runner: CliRunner) -> None:
    assert cimon.__version__ in invoke(runner, "--version").stdout
    assert "评价年度" in invoke(runner, "evaluate", "--help").stdout


# --- bad frameworks -------------------------------------------------------------------------------


def nx_raw() -> dict:
    text = (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _sum_off(d: dict) -> None:
    d["pillars"][0]["indicators"][0]["points"] = 8
    d["pillars"][0]["points"] = 26


def _pillar_off(d: dict) -> None:
    d["pillars"][2]["indicators"][1]["points"] = 5


def _unknown_var(d: dict) -> None:
    d["pillars"][1]["indicators"][2]["formula"] = "share(ent_with_rd, ent_cnt)"


def _no_department(d: dict) -> None:
    del d["variables"][3]["department"]


def _duplicate(d: dict) -> None:
    d["pillars"][1]["indicators"][0]["code"] = "I01"


def _target_below_floor(d: dict) -> None:
    d["pillars"][0]["indicators"][0]["normalise"] = {"method": "target", "floor": 3, "target": 1}


def _unknown_method(d: dict) -> None:
    d["pillars"][0]["indicators"][1]["treat"] = {"method": "clip", "floor": 0}


def _unknown_param(d: dict) -> None:
    d["pipeline"]["weight"] = {"method": "entropy", "base": 2}


BAD_FRAMEWORKS = [
    (_sum_off, "fw.yaml: pillars", ["101", "100"]),
    (_pillar_off, "fw.yaml: pillars[2].points", ["15", "16"]),
    (_unknown_var, "fw.yaml: pillars[1].indicators[2].formula", ["ent_cnt"]),
    (_no_department, "fw.yaml: variables[3].department", ["fiscal_st", "统计局"]),
    (
        _duplicate,
        "fw.yaml: pillars[1].indicators[0].code",
        ["I01", "pillars[0].indicators[0].code"],
    ),
    (_target_below_floor, "fw.yaml: pillars[0].indicators[0].normalise.target", ["floor 3"]),
    (_unknown_method, "fw.yaml: pillars[0].indicators[1].treat", ["clip", "bounds"]),
    (_unknown_param, "fw.yaml: pipeline.weight", ["base"]),
]


@pytest.mark.parametrize(
    ("mutate", "where", "words"), BAD_FRAMEWORKS, ids=[m.__name__ for m, _, _ in BAD_FRAMEWORKS]
)
def test_bad_framework_names_the_key_path(
    runner: CliRunner, mutate, where: str, words: list[str]
) -> None:
    raw = nx_raw()
    mutate(raw)
    Path("fw.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert_clean_error(invoke(runner, "framework", "validate", "fw.yaml"), where, *words)


BROKEN_YAML = """id: x
version: "1"
pillars:
  - code: a
    name_zh: [unclosed
    points: 3
"""


def test_yaml_syntax_error_names_line_and_column(runner: CliRunner) -> None:
    Path("bad.yaml").write_text(BROKEN_YAML, encoding="utf-8")
    result = invoke(runner, "framework", "validate", "bad.yaml")
    assert_clean_error(result, "bad.yaml:6:11", "YAML")


def test_bad_framework_in_evaluate(runner: CliRunner, panel_xlsx: Path) -> None:
    raw = nx_raw()
    _unknown_var(raw)
    Path("fw.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    result = invoke(runner, "evaluate", "-f", "fw.yaml", "-d", str(panel_xlsx), "-y", "2021")
    assert_clean_error(result, "fw.yaml: pillars[1].indicators[2].formula", "ent_cnt")
    assert not Path("results-2021.xlsx").exists()


def test_unknown_framework_id(runner: CliRunner) -> None:
    result = invoke(runner, "framework", "show", "nx-2099")
    assert_clean_error(result, "nx-2099", "nx-2021")


# --- bad panels -----------------------------------------------------------------------------------


def test_unknown_county_names_the_cell(runner: CliRunner, tmp_path: Path) -> None:
    df = wide_frame()
    df.loc[5, "county"] = "火星县"  # Excel row 7
    df.to_excel(tmp_path / "panel.xlsx", index=False)
    result = invoke(runner, "evaluate", "-d", "panel.xlsx", "-y", "2021")
    assert_clean_error(result, "panel.xlsx [Sheet1!A7]", "火星县")


def test_non_numeric_value_names_the_cell(runner: CliRunner, tmp_path: Path) -> None:
    df = wide_frame().astype(object)
    df.iloc[5, 3] = "十二"  # column D, Excel row 7
    df.to_excel(tmp_path / "panel.xlsx", index=False)
    result = invoke(runner, "evaluate", "-d", "panel.xlsx", "-y", "2021")
    assert_clean_error(result, "panel.xlsx [Sheet1!D7]", "十二", "not a number")


def test_non_numeric_value_in_csv_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    df = wide_frame().astype(object)
    df.iloc[5, 3] = "约12"
    df.to_csv(tmp_path / "panel.csv", index=False)
    result = invoke(runner, "evaluate", "-d", "panel.csv", "-y", "2021")
    assert_clean_error(result, "panel.csv:7 (列/column 4)", "约12")


def test_unknown_column_names_the_header_cell(runner: CliRunner, tmp_path: Path) -> None:
    df = wide_frame().rename(columns={"gdp": "gpd"})
    df.to_excel(tmp_path / "panel.xlsx", index=False)
    result = invoke(runner, "evaluate", "-d", "panel.xlsx", "-y", "2021")
    assert_clean_error(result, "panel.xlsx [Sheet1!D1]", "gpd")


def test_missing_required_variable(runner: CliRunner, tmp_path: Path) -> None:
    wide_frame().drop(columns=["fiscal_rd"]).to_excel(tmp_path / "panel.xlsx", index=False)
    result = invoke(runner, "evaluate", "-d", "panel.xlsx", "-y", "2021")
    assert_clean_error(result, "panel.xlsx", "fiscal_rd", "财政厅", "2020")


def test_missing_year(runner: CliRunner, panel_xlsx: Path) -> None:
    result = invoke(runner, "evaluate", "-d", str(panel_xlsx), "-y", "2023")
    assert_clean_error(result, str(panel_xlsx.name), "2022", "2019、2020")


def test_unwritable_output(runner: CliRunner, panel_xlsx: Path) -> None:
    Path("taken").write_text("a file, not a folder", encoding="utf-8")
    result = invoke(runner, "evaluate", "-d", str(panel_xlsx), "-y", "2021", "-o", "taken/r.xlsx")
    assert_clean_error(result, "taken/r.xlsx", "无法写入文件", "Cannot write")


def test_missing_data_file(runner: CliRunner) -> None:
    result = invoke(runner, "evaluate", "-d", "nope.xlsx", "-y", "2021")
    assert_clean_error(result, "nope.xlsx", "找不到数据文件")


def test_bad_set_address(runner: CliRunner, panel_xlsx: Path) -> None:
    args = ["evaluate", "-d", str(panel_xlsx), "-y", "2021"]
    result = invoke(runner, *args, "--set", "normalise.I99.target=3")
    assert_clean_error(result, "normalise.I99.target", "I99")
    result = invoke(runner, *args, "--set", "normalise.I01.bogus=3")
    assert_clean_error(result, "normalise.I01", "bogus", "floor")


def test_malformed_set_is_a_usage_error(runner: CliRunner, panel_xlsx: Path) -> None:
    result = invoke(runner, "evaluate", "-d", str(panel_xlsx), "-y", "2021", "--set", "oops")
    assert result.exit_code == 2 and "ADDRESS=VALUE" in result.stderr
    assert "Traceback" not in result.output


def test_unexpected_error_is_exit_1_without_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cimon.model.framework as fw_module

    def boom(ref: str) -> None:
        raise RuntimeError("kaputt")

    monkeypatch.setattr(fw_module, "load_framework", boom)
    result = invoke(runner, "framework", "show", "nx-2021")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "kaputt" in result.stderr
    assert "--debug" in result.stderr
    with pytest.raises(RuntimeError):
        invoke(runner, "--debug", "framework", "show", "nx-2021")


def test_entry_point_subprocess(tmp_path: Path) -> None:
    """The installed ``cimon`` script: a broken framework gives exit 2 and no traceback."""
    raw = nx_raw()
    _duplicate(raw)
    (tmp_path / "fw.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    proc = subprocess.run(
        [str(CIMON), "framework", "validate", "fw.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert [line.split(": ")[0:2] for line in lines] == [
        ["fw.yaml", "pillars[1].indicators[0].code"]
    ] * 2


def test_regions_show_national_writes_one_row_per_unit(runner: CliRunner) -> None:
    result = invoke(runner, "regions", "show", "--national", "--out", "all.csv")
    assert result.exit_code == 0, result.output
    assert "all.csv" in result.stdout
    table = pd.read_csv("all.csv", dtype=str)
    assert list(table.columns) == ["code", "name", "kind", "city", "province", "name_en"]
    assert len(table) == 2844 and table["code"].is_unique
    row = table.set_index("code").loc["640422"]
    assert list(row) == ["西吉县", "县", "固原市", "宁夏回族自治区", "Xiji County"]
    assert table.groupby("province").size()["四川省"] == 183
    both = invoke(runner, "regions", "show", "--national", "--file", "r.csv")
    assert both.exit_code == 2 and "Traceback" not in both.output
