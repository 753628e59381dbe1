"""``cimon calls``: list the calls and collections, write the catalogue as Word or Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cimon.cli import main

pytestmark = pytest.mark.django_db


def test_list_and_catalogue(tmp_path: Path, db: Any) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from cimon.store.libraries.call_demo import load_demo_calls
    from cimon.store.libraries.demo import load_demo_libraries

    load_demo_libraries(["640422"], 2025)
    load_demo_calls(["640422"], 2025)
    runner = CliRunner()
    r = runner.invoke(main, ["calls", "list"])
    assert r.exit_code == 0, r.output
    assert "800000" in r.output and "已确定揭榜方" in r.output and "已发布" in r.output
    docx, xlsx = tmp_path / "目录.docx", tmp_path / "目录.xlsx"
    r = runner.invoke(main, ["calls", "catalogue", "--out", str(docx)])
    assert r.exit_code == 0, r.output
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert paragraphs[0] == "模拟数据" and paragraphs[1] == "先进适用技术成果目录"
    r = runner.invoke(main, ["calls", "catalogue", "--out", str(xlsx), "--year", "2025"])
    assert r.exit_code == 0 and r.output.strip().endswith("\t3"), r.output
    ws = load_workbook(xlsx).active
    assert ws is not None and ws["A1"].value == "模拟数据" and ws["B2"].value == "成果名称"
    r = runner.invoke(main, ["calls", "catalogue", "--out", str(tmp_path / "x.pdf")])
    assert r.exit_code == 2 and ".docx" in r.output
    r = runner.invoke(main, ["calls", "catalogue", "--out", str(xlsx), "--year", "1999"])
    assert r.exit_code == 0 and r.output.strip().endswith("\t0")
