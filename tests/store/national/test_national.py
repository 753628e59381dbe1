"""Imports of provinces' published results, the comparison, its workbook and the CLI (#20)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cimon.cli import main
from cimon.store.audit import AuditEvent
from cimon.store.national.demo import PROVINCES, load_demo, published_json
from cimon.store.national.models import ACCEPTED, REJECTED, ProvinceImport
from cimon.store.national.services import comparison, import_published, workbook

pytestmark = pytest.mark.django_db


def nx(year: int = 2025) -> bytes:
    return published_json(*PROVINCES[0][:4], PROVINCES[0][4], year)


def test_every_attempt_is_kept_and_audited(db: Any) -> None:
    bad = import_published(published_json(*PROVINCES[1], 2025), "gs.json", "宁夏")
    assert bad.status == REJECTED and "620" in bad.error and bad.results == []
    ok = import_published(nx(), "nx.json", "宁夏", "someone")
    again = import_published(nx(), "nx.json", "宁夏")
    assert ok.status == again.status == ACCEPTED and ok.pk != again.pk
    assert ok.province == "宁夏回族自治区" and ok.framework_id == "nx-2021"
    assert ok.published_at is not None and ok.published_at.year == 2026 and len(ok.results) == 22
    assert ProvinceImport.objects.count() == 3
    events = AuditEvent.objects.filter(action="national.import")
    assert sorted(e.detail["new"] for e in events) == [ACCEPTED, ACCEPTED, REJECTED]


def test_comparison_uses_the_latest_import_and_last_year(db: Any) -> None:
    assert load_demo() == 6 and load_demo() == 0
    assert all(
        i.file_name.startswith("模拟数据") and i.synthetic for i in ProvinceImport.objects.all()
    )
    c = comparison(2025)
    assert [r.province for r in c.rows] == ["贵州省", "甘肃省", "宁夏回族自治区"]  # by code
    assert not c.scores_comparable and all(r.prev_year == 2024 for r in c.rows)
    gz = next(r for r in c.rows if r.province == "贵州省")
    assert gz.key_n == 20 and gz.units == 88  # 贵州's 20 重点帮扶县 are sourced
    # a new import of a province replaces its figures in the comparison, the old one is kept
    d = json.loads(nx())
    for row in d["results"]:
        row["class"] = "A"
    import_published(json.dumps(d).encode(), "nx2.json", "宁夏")
    row = next(r for r in comparison(2025).rows if r.province == "宁夏回族自治区")
    assert row.shares["A"] == 1.0
    with pytest.raises(Exception, match="2030"):
        comparison(2030)


def test_workbook_is_safe_and_labelled(db: Any) -> None:
    from openpyxl import load_workbook

    d = json.loads(nx())
    d["framework"]["id"] = '=HYPERLINK("http://x")'
    import_published(json.dumps(d).encode(), "nx.json", "宁夏")
    ws = load_workbook(io.BytesIO(workbook(comparison(2025), "zh", True))).active
    assert ws is not None and "模拟数据" in str(ws["A1"].value)
    assert ws["A2"].value == "省份" and ws["A3"].value == "宁夏回族自治区"
    assert ws["B3"].data_type == "s" and str(ws["B3"].value).startswith("=HYPERLINK")


def test_cli_import_and_compare(tmp_path: Path, db: Any) -> None:
    from openpyxl import load_workbook

    runner = CliRunner()
    f = tmp_path / "nx.json"
    f.write_bytes(nx())
    r = runner.invoke(main, ["national", "import", str(f), "--province", "宁夏"])
    assert r.exit_code == 0 and "宁夏回族自治区\t2025\tv1\t22" in r.output, r.output
    r = runner.invoke(main, ["national", "import", str(f), "--province", "甘肃"])
    assert r.exit_code == 2 and "--province" in r.output and "甘肃省" in r.output
    out = tmp_path / "cmp.xlsx"
    r = runner.invoke(main, ["national", "compare", "--year", "2025", "--out", str(out)])
    assert r.exit_code == 0 and "宁夏回族自治区\tnx-2021 2021.1\t22\t22" in r.output, r.output
    assert "93" in r.output  # the partial 重点帮扶县 tag is stated (93 of 160 sourced)
    assert load_workbook(out).active["A3"].value == "宁夏回族自治区"  # type: ignore[index]
    r = runner.invoke(
        main, ["national", "compare", "--year", "2025", "--out", str(tmp_path / "x.csv")]
    )
    assert r.exit_code == 2 and ".xlsx" in r.output
    r = runner.invoke(main, ["national", "compare", "--year", "2019"])
    assert r.exit_code == 2 and "2019" in r.output
