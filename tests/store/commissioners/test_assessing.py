"""The annual assessment from the stored records (issue #17): the input table, the stored
result with the rule set's id and hash, frozen rows kept, the exports from stored rows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from cimon.analysis.commissioners import load_assessment_rules
from cimon.store.commissioners import services as cs
from cimon.store.commissioners.assessing import (
    assessment_frame,
    compute_assessments,
    export_assessment,
    stored_assessment,
)
from cimon.store.commissioners.models import Assessment

from .conftest import DAY, XIJI, village

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 12, 31)


def test_assessment_frame(world: dict[str, Any]) -> None:
    c1, u = world["c1"], world["u_comm"]
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 1, 2), kind="培训", today=TODAY)
    cs.log_service(c1, u, date=dt.date(2025, 7, 1), village_code=village(XIJI), kind="科普",
                   today=TODAY)  # fmt: skip
    cs.rate_by_unit(c1, world["u_unit"], 2025, "优秀")
    code, _ = cs.issue_rating_code(world["s1"], u)
    cs.redeem_rating_code(code, 5)
    cs.county_review(world["a1"], world["users"]["county"], "良好", "服务天数不足")
    frame = assessment_frame(2025).set_index("commissioner_id")
    row = frame.loc[c1.pk]
    assert (row["name"], row.service_days, row.records) == ("王特派", 2, 3)
    assert (row.ratings, row.satisfaction, row.unit_rating) == (1, 5.0, "优秀")
    assert row.county_grade == "良好"
    assert pd.isna(frame.loc[world["c3"].pk].unit_rating)
    assert pd.isna(frame.loc[world["c3"].pk].county_grade)


def test_compute_and_store(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    cs.county_review(world["a1"], world["users"]["county"], "良好", "服务天数不足")
    scored, stored, frozen = compute_assessments(2025, admin)
    rules = load_assessment_rules()
    # c1 was reviewed: frozen; c2 draft superseded; c3 and the users fixture one new
    assert frozen == [world["c1"].pk] and stored == len(scored) - 1, scored[
        ["commissioner_id", "name"]
    ]
    assert len(scored) == 4 and set(scored["grade"]) <= {"优秀", "良好", "合格", "不合格"}
    c3 = Assessment.objects.current().get(year=2025, commissioner=world["c3"])
    assert (c3.rules_id, c3.rules_sha256) == (rules.id, rules.hash)
    assert c3.grade == "fail" and c3.reasons[0]["zh"]  # no record at all
    assert Assessment.objects.filter(year=2025, commissioner=world["c2"]).count() == 2
    table = stored_assessment(2025).set_index("commissioner_id")
    assert table.loc[world["c1"].pk, "grade"] == "良好"  # the county's grade, not recomputed
    assert table.loc[world["c1"].pk, "grade_by_score"] == "优秀"
    assert table.loc[world["c3"].pk, "name"] == "赵特派"


def test_rules_from_a_yaml_file(world: dict[str, Any], tmp_path: Any) -> None:
    import yaml

    raw = dict(load_assessment_rules().raw)
    raw["id"] = "assessment-test"
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    compute_assessments(2025, world["users"]["admin"], path)
    assert Assessment.objects.current().get(commissioner=world["c3"]).rules_id == "assessment-test"


def test_exports_read_stored_rows(world: dict[str, Any]) -> None:
    data = export_assessment(2025, "xlsx", county_names={XIJI: "西吉县"})
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:2] == ["考核结果", "优秀名单"]
    top = [[c.value for c in r] for r in wb["优秀名单"].iter_rows(min_row=2)]
    assert [r[1:3] for r in top] == [["西吉县", "王特派"]]
    doc = Document(io.BytesIO(export_assessment(2025, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "优秀等次的共 1 人" in text
    assert any("王特派" in c.text for t in doc.tables for r in t.rows for c in r.cells)
