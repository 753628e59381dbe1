"""``cimon robustness``: the demo year end to end (Excel, JSON, terminal summary in both
languages) and bad options giving a clean bilingual error with exit code 2."""

from __future__ import annotations

import json
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


def test_robustness_writes_excel_and_json(runner: CliRunner, tmp_path: Path) -> None:
    r = invoke(
        runner,
        "robustness",
        "-y",
        "2025",
        "-n",
        "300",
        "--seed",
        "9",
        "--sobol-n",
        "16",
        "-o",
        "out",
    )
    assert r.exit_code == 0, r.output
    assert "类别稳定" in r.output and "激励资金的稳健性" in r.output and "Sobol" in r.output
    assert "模拟数据" in r.output
    data = json.loads((tmp_path / "out" / "robustness-2025.json").read_text(encoding="utf-8"))
    assert data["seed"] == 9 and data["replicates"] == 300 and len(data["counties"]) == 22
    assert data["sobol"]["evaluations"] == 16 * 6
    wb = load_workbook(tmp_path / "out" / "robustness-2025.xlsx")
    assert wb.sheetnames[:2] == ["各县稳健性", "激励稳健性"]
    assert wb["各县稳健性"].max_row == 2 + 22
    # the same seed again: the same JSON
    again = invoke(
        runner,
        "robustness",
        "-y",
        "2025",
        "-n",
        "300",
        "--seed",
        "9",
        "--sobol-n",
        "16",
        "-o",
        "again",
    )
    assert again.exit_code == 0
    assert (tmp_path / "again" / "robustness-2025.json").read_text(encoding="utf-8") == (
        tmp_path / "out" / "robustness-2025.json"
    ).read_text(encoding="utf-8")


def test_robustness_in_english_without_incentives(runner: CliRunner, tmp_path: Path) -> None:
    r = invoke(
        runner, "--lang", "en", "robustness", "-y", "2020", "-n", "100", "--sobol-n", "0",
        "-a", "methods",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Counties whose class is stable" in r.output and "incentives" not in r.output.lower()
    wb = load_workbook(tmp_path / "robustness-2020.xlsx")
    assert wb.sheetnames == ["Counties", "Assumptions", "Run"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sobol-n", "100"], "2 的幂"),
        (["-a", "nosuch.yaml"], "找不到"),
        (["-y", "2031"], "2031"),
    ],
)
def test_bad_options(runner: CliRunner, args: list[str], message: str) -> None:
    base = ["robustness", "-y", "2025", "-n", "10"]
    r = runner.invoke(main, base + args)
    assert r.exit_code == 2, r.output
    assert message in r.output
