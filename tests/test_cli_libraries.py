"""``cimon needs|achievements|contracts`` on the database and ``cimon match --feedback-report``
(#18): import all or nothing (exit 2 naming the cell), list (``--out`` writes Excel), show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from tests.intake.test_library_lists import CONTRACT_HEAD, xlsx

from cimon.cli import main

pytestmark = pytest.mark.django_db


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_contracts_import_and_list(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([CONTRACT_HEAD, ["C1", "n", "s", "b", "十万", "2025-01-01", "640422"]]))
    r = run("contracts", "import", str(bad))
    assert r.exit_code == 2 and "E2" in r.output and "导入记录 #" in r.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        xlsx([CONTRACT_HEAD, ["C1", "n", "s", "=HYPERLINK(1)", 1.5, "2025-01-01", "640422"]])
    )
    r = run("contracts", "import", str(good))
    assert r.exit_code == 0 and "写入 1 条" in r.output
    r = run("contracts", "import", str(good))
    assert r.exit_code == 2 and "row.duplicate" in r.output
    r = run("contracts", "list", "--year", "2025")
    assert "C1\tn\ts\t=HYPERLINK(1)\t15000\t2025-01-01\t640422" in r.output
    out = tmp_path / "list.xlsx"
    assert run("contracts", "list", "--out", str(out)).exit_code == 0
    ws = load_workbook(out).active
    assert ws is not None
    assert ws["A2"].value == "C1" and ws["E2"].value == 15000
    assert ws["D2"].data_type == "s"  # text, never a formula


def test_needs_and_achievements(tmp_path: Path) -> None:
    needs = tmp_path / "n.xlsx"
    needs.write_bytes(
        xlsx([["问题描述", "区划代码", "产业链"], ["马铃薯贮藏期烂薯多", "640422", "马铃薯"]])
    )
    assert run("needs", "import", str(needs)).exit_code == 0
    ach = tmp_path / "a.xlsx"
    ach.write_bytes(xlsx([["成果名称", "技术成熟度"], ["马铃薯贮藏窖通风技术", 7]]))
    assert run("achievements", "import", str(ach)).exit_code == 0
    r = run("needs", "list", "--county", "640422")
    assert "马铃薯贮藏期烂薯多" in r.output and "已发布" in r.output
    need_id = r.output.splitlines()[1].split("\t")[0]
    assert "版本 1" in run("needs", "show", need_id).output
    assert run("needs", "show", "99999").exit_code == 2
    r = run("achievements", "list", "--status", "published")
    ach_id = r.output.splitlines()[1].split("\t")[0]
    assert "马铃薯贮藏窖通风技术" in run("achievements", "show", ach_id).output


def test_feedback_report() -> None:
    r = run("match", "--feedback-report", "--json")
    assert r.exit_code == 0 and json.loads(r.output)["judged"] == 0
    assert "MRR" in run("--lang", "en", "match", "--feedback-report").output
