"""The yearly-cycle commands: compare, incentives, targets, diagnose — happy paths on the bundled
demo (模拟数据), Excel written, and bad input giving a clean two-line error with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from cimon.cli import main


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_compare(runner: CliRunner, tmp_path: Path) -> None:
    r = invoke(runner, "compare", "--year", "2023")
    assert r.exit_code == 0, r.output
    # no database here: the bundled demo panel, and the command says so
    assert "使用内置模拟数据" in r.stderr
    assert "跃升 5" in r.output and "模拟数据" in r.output
    assert load_workbook(tmp_path / "compare-2023.xlsx").sheetnames[0] == "年度比较"


def test_incentives_with_ledger(runner: CliRunner, tmp_path: Path) -> None:
    uses = tmp_path / "uses.csv"
    uses.write_text("county,year,category,amount\n平罗县,2023,买车,10000\n", encoding="utf-8")
    r = invoke(runner, "incentives", "-y", "2023", "--uses", str(uses), "-o", "i.xlsx")
    assert r.exit_code == 0, r.output
    assert "4,500,000 元" in r.output and "不是《行动方案》四（三）列明的用途" in r.output
    assert "台账问题" in load_workbook(tmp_path / "i.xlsx").sheetnames


def _rows(output: str, year: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines() if line.startswith(f"{year}  ")]


def test_incentives_shows_the_cost_of_each_reading(runner: CliRunner, tmp_path: Path) -> None:
    """Must show (#13): ``cimon incentives`` prints the side-by-side cost of the readings of
    “places gained” (rank.places), the rule set's own marked, with the seed sentence."""
    r = invoke(runner, "incentives", "-y", "2023")
    assert r.exit_code == 0, r.output
    assert "进位计数口径与激励资金测算" in r.output and "同类别内排名每提高1个位次" in r.output
    assert _rows(r.output, "2023") == [
        ["2023", "实际超越（现行规则）", "7", "2", "50", "450"],
        ["2023", "字面位次", "20", "17", "1,050", "1,425"],
    ]
    ws = load_workbook(tmp_path / "incentives-2023.xlsx")["口径测算"]
    values = [list(r) for r in ws.iter_rows(values_only=True) if r and r[0] == 2023]
    assert values == [
        [2023, "实际超越（现行规则）", 7, 2, 500_000, 4_500_000],
        [2023, "字面位次", 20, 17, 10_500_000, 14_250_000],
    ]  # whole 元, numbers
    r = invoke(runner, "--lang", "en", "incentives", "-y", "2023")
    assert ["2023", "literal", "20", "17", "1,050", "1,425"] in _rows(r.output, "2023")
    # a rule set that chooses the literal reading pays today's amounts and is marked as such
    rules = tmp_path / "literal.yaml"
    import yaml

    from cimon.analysis.rules import load_rules

    raw = dict(load_rules("nx-2021").raw)
    raw["rank"] = {**raw["rank"], "places": "literal"}
    rules.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    r = invoke(runner, "incentives", "-y", "2023", "--rules", str(rules))
    assert r.exit_code == 0, r.output
    assert "14,250,000 元" in r.output
    assert _rows(r.output, "2023") == [
        ["2023", "字面位次（现行规则）", "20", "17", "1,050", "1,425"],
        ["2023", "实际超越", "7", "2", "50", "450"],
    ]


def test_incentives_second_rule_set_english(runner: CliRunner) -> None:
    r = invoke(runner, "--lang", "en", "incentives", "-y", "2023", "--rules", "zj-style")
    assert r.exit_code == 0, r.output
    assert "rules zj-style" in r.output
    # counties by their English names (the registry's), none by the Chinese name
    from cimon.model.regions import default_registry

    reg = default_registry()
    assert any(f"{x.name_en}: " in r.output for x in reg)
    assert not any(x.name in r.output for x in reg)


def test_targets(runner: CliRunner, tmp_path: Path) -> None:
    r = invoke(runner, "targets", "--plan", "jingning-2023")
    assert r.exit_code == 0, r.output
    assert "10（已达目标）" in r.output and "景宁畲族自治县" in r.output and "按期可达" in r.output
    assert (tmp_path / "targets.xlsx").exists()


def test_diagnose(runner: CliRunner, tmp_path: Path) -> None:
    r = invoke(runner, "diagnose", "西吉县", "--year", "2023", "--peers", "tag:山区县")
    assert r.exit_code == 0, r.output
    assert "升入B类" in r.output and "B类（达到）" in r.output
    assert (tmp_path / "diagnose-640422-2023.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (("compare", "--year", "2019", "--demo"), "模拟数据(synthetic) demo panel"),
        (("incentives", "-y", "2023", "--rules", "nope.yaml", "--demo"), "nope.yaml"),
        (("diagnose", "西吉县", "--peers", "tag:沿海县", "--demo"), "--peers tag:沿海县"),
    ],
)
def test_clean_errors(runner: CliRunner, args: tuple[str, ...], where: str) -> None:
    r = invoke(runner, *args)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{where}: ") for line in lines)
    assert "Traceback" not in r.output


def test_targets_plan_lists_every_target_and_writes_one_row_each(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Every seed 001 target with its deadline and responsible units; the workbook holds one
    row per target, with its kind and the rule that decided its status (#19)."""
    r = invoke(runner, "targets", "--plan", "jingning-2023", "--out", "plan.xlsx")
    assert r.exit_code == 0, r.output
    codes = [f"T{k:02d}" for k in range(1, 37)]
    lines = {
        ln.split()[0]: ln for ln in r.output.splitlines() if ln[:1] == "T" and ln[1:3].isdigit()
    }
    assert list(lines) == codes
    assert "2025" in lines["T35"] and "县财政局" in lines["T35"] and "县委人才办" in lines["T14"]
    ws = load_workbook(tmp_path / "plan.xlsx")["县级目标清单"]
    heads = [c.value for c in ws[2]]
    assert "判定规则" in heads and "目标类型" in heads and "责任单位" in heads
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]
    assert [r[0] for r in rows] == codes
    assert all(r[heads.index("判定规则")] for r in rows)


def test_targets_uploaded_plan_text_never_becomes_a_formula(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "p.yaml").write_text(
        "kind: plan\nlevel: county\narea: 某县\nitems:\n"
        "  - {code: X1, name_zh: '=1+1', target: 1, deadline: 2027, responsible: ['=cmd']}\n",
        encoding="utf-8",
    )
    r = invoke(runner, "targets", "--plan", str(tmp_path / "p.yaml"), "--out", "p.xlsx")
    assert r.exit_code == 0, r.output
    ws = load_workbook(tmp_path / "p.xlsx")["县级目标清单"]
    cells = [c for row in ws.iter_rows(min_row=3) for c in row if c.value in ("=1+1", "=cmd")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
