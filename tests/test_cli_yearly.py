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
    assert "14,250,000 元" in r.output and "不在规定用途" in r.output
    assert "台账问题" in load_workbook(tmp_path / "i.xlsx").sheetnames


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
