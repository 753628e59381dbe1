"""The database step of ``cimon demo``: import the demo panel, evaluate from the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from cimon.reports.demo import panel_step, run_demo
from cimon.store.submissions.demo import database_step
from cimon.store.submissions.models import Observation, Submission

pytestmark = pytest.mark.django_db(transaction=True)


def test_database_step_imports_and_matches_the_file_run(tmp_path: Path) -> None:
    report = run_demo(tmp_path, years=(2024, 2025), steps=[panel_step, database_step], lang="en")
    text = report.render()
    assert "equals the evaluation from the file at every stage" in text
    assert Submission.objects.get().status == "accepted"
    assert Observation.objects.count() == len(report.panel.frame)
    from cimon.store.programmes.models import Application  # demo programmes (#19)

    assert sorted(
        Application.objects.filter(label="模拟数据").values_list("status", flat=True)
    ) == [
        "designated",  # the unit with a mid-term review and an acceptance (#19)
        "notice",
        "submitted",
    ]
    names = sorted(p.name for p in (tmp_path / "templates").iterdir())
    assert names == sorted(
        [
            "2025-科技厅.xlsx",
            "2025-发展改革委.xlsx",
            "2025-财政厅.xlsx",
            "2025-市场监管厅.xlsx",
            "2025-统计局.xlsx",
            "2025-兴庆区-自评.xlsx",
        ]
    )


def test_second_run_is_a_no_op_on_the_same_database(tmp_path: Path) -> None:
    run_demo(tmp_path / "a", years=(2025,), steps=[panel_step, database_step])
    again = run_demo(tmp_path / "b", years=(2025,), steps=[panel_step, database_step])
    assert "未做任何更改" in again.render()
    assert Submission.objects.count() == 1
