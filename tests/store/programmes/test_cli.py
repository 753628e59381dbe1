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
    batch = Batch.objects.get()
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
