"""``cimon programmes``: define, list and the review list as Word."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cimon.cli import main


@pytest.mark.django_db
def test_define_list_and_review_list(tmp_path: Path, db: Any) -> None:
    from cimon.store.programmes.demo import load_demo_programmes
    from cimon.store.programmes.models import Batch

    runner = CliRunner()
    r = runner.invoke(main, ["programmes", "define", "innovative-county"])
    assert r.exit_code == 0 and "创新型县(市)" in r.output
    assert runner.invoke(main, ["programmes", "define", "nope"]).exit_code == 2
    load_demo_programmes(["640422", "640402"], date(2026, 3, 10))
    r = runner.invoke(main, ["programmes", "list"])
    assert r.exit_code == 0 and "公示中" in r.output and "已提交" in r.output
    out = tmp_path / "review.docx"
    batch = Batch.objects.get(year=2026)
    r = runner.invoke(
        main, ["programmes", "review-list", "--batch", str(batch.pk), "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    from docx import Document

    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[0] == "模拟数据" and "评审结果名单" in paragraphs[1]
    assert (
        runner.invoke(
            main, ["programmes", "review-list", "--batch", "999", "--out", str(out)]
        ).exit_code
        == 2
    )


@pytest.mark.django_db
def test_acceptance_opinion_and_cases(tmp_path: Path, db: Any) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from cimon.store.programmes.demo import load_demo_programmes
    from cimon.store.programmes.models import Acceptance, Case

    runner = CliRunner()
    load_demo_programmes(["640422", "640402"], date(2026, 3, 10))
    acc = Acceptance.objects.get()
    out = tmp_path / "opinion.docx"
    args = ["programmes", "acceptance-opinion", "--application", str(acc.application_id)]
    r = runner.invoke(main, [*args, "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "模拟数据" and "验收意见" in doc.paragraphs[1].text
    assert "建设方案第 1 版" in text and "通过验收。理由：" in text and "公示期" in text
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells][:2] == ["序号", "目标"]
    assert len(table.rows) == 1 + len(acc.completion) == 3
    bad = ["programmes", "acceptance-opinion", "--application", "999", "--out", str(out)]
    assert runner.invoke(main, bad).exit_code == 2
    r = runner.invoke(main, ["programmes", "cases"])
    assert r.exit_code == 0 and r.output.count("\n") == 3 and "已发布" in r.output
    xlsx = tmp_path / "cases.xlsx"
    assert runner.invoke(main, ["programmes", "cases", "--out", str(xlsx)]).exit_code == 0
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][1] == "标题" and len(rows) == 1 + Case.objects.count()


@pytest.mark.django_db
def test_upload_plan_and_plan_status(tmp_path: Path, db: Any) -> None:
    """A YAML plan stored from the command line; a bad one lists its errors and stores nothing;
    ``plan-status --out`` writes one row per target with deadline, units, status and rule."""
    from openpyxl import load_workbook
    from tests.store.programmes.test_target_plans import CITY_PLAN

    from cimon.store.programmes.models import TargetPlan

    runner = CliRunner()
    bad = tmp_path / "bad.yaml"
    bad.write_text(CITY_PLAN.replace("kind: zero_break", "kind: zero-break"), "utf-8")
    r = runner.invoke(main, ["programmes", "upload-plan", str(bad)])
    assert r.exit_code == 2 and "items[1]" in r.output and not TargetPlan.objects.exists()
    good = tmp_path / "city.yaml"
    good.write_text(CITY_PLAN, "utf-8")
    r = runner.invoke(main, ["programmes", "upload-plan", str(good)])
    assert r.exit_code == 0 and "lishui-2024" in r.output
    r = runner.invoke(main, ["programmes", "plan-status", "lishui-2024"])
    assert r.exit_code == 0 and "C2\t2026\t县经济商务科技局、县委人才办" in r.output
    out = tmp_path / "status.xlsx"
    r = runner.invoke(main, ["programmes", "plan-status", "lishui-2024", "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = list(load_workbook(out).active.iter_rows(min_row=3, values_only=True))  # type: ignore[union-attr]
    assert [row[0] for row in rows] == ["C1", "C2", "C3", "C4"]
    assert rows[1][3] == 2026 and rows[1][4] == "县经济商务科技局、县委人才办" and rows[1][10]
    assert runner.invoke(main, ["programmes", "plan-status", "nope"]).exit_code == 2


@pytest.mark.parametrize(
    ("args", "ending"),
    [
        (["review-list", "--batch", "1"], ".docx"),
        (["acceptance-opinion", "--application", "1"], ".docx"),
        (["cases"], ".xlsx"),
        (["plan-status", "nope"], ".xlsx"),
    ],
)
def test_an_out_file_of_another_ending_is_refused(
    tmp_path: Path, args: list[str], ending: str
) -> None:
    """Every ``--out`` of ``cimon programmes`` takes the ending of what it writes; another is
    refused (exit 2, in the output language) before the database is opened."""
    out = tmp_path / "out.pdf"
    runner = CliRunner()
    r = runner.invoke(main, ["programmes", *args, "--out", str(out)])
    assert r.exit_code == 2 and f"输出文件 out.pdf 须以 {ending} 结尾" in r.output, r.output
    r = runner.invoke(main, ["--lang", "en", "programmes", *args, "--out", str(out)])
    assert r.exit_code == 2 and f"must end in {ending}" in r.output and not out.exists()
