"""Selection (选认) and the annual assessment (issue #17): 公示 with the evaluations' notice rules,
confirmed candidates active, computed rows frozen once reviewed, grades changed only with a
reason, published only after the notice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cimon.store.commissioners import services as cs
from cimon.store.commissioners.models import Assessment, Commissioner
from cimon.store.submissions.models import AuditEvent

from .conftest import XIJI

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def test_selection_from_call_to_active_commissioners(world: dict[str, Any]) -> None:
    admin, call, cand, cand2 = world["users"]["admin"], world["call"], world["cand"], world["cand2"]
    assert (
        cand.commissioner.status == "candidate" and cand.commissioner.unit_id == world["unit_a"].pk
    )
    with pytest.raises(cs.CommissionerError, match="await a decision"):
        cs.put_call_on_notice(call, admin, TODAY, today=TODAY)
    cs.decide_candidate(cand, admin, approve=True)
    with pytest.raises(cs.CommissionerError, match="Say why"):
        cs.decide_candidate(cand2, admin, approve=False)
    cs.decide_candidate(cand2, admin, approve=False, reason="服务领域不符")
    with pytest.raises(cs.CommissionerError, match="before today"):
        cs.put_call_on_notice(call, admin, TODAY - dt.timedelta(days=1), today=TODAY)
    with pytest.raises(cs.CommissionerError, match="less than the required 7"):
        cs.put_call_on_notice(call, admin, TODAY, TODAY + dt.timedelta(days=3), today=TODAY)
    call = cs.put_call_on_notice(call, admin, TODAY, today=TODAY)
    assert call.notice_end == TODAY + dt.timedelta(days=6)
    with pytest.raises(cs.CommissionerError, match="not allowed"):
        cs.recommend(call, admin, world["unit_a"], name="迟到的")
    with pytest.raises(cs.CommissionerError, match="confirm after it"):
        cs.confirm_call(call, admin, today=call.notice_end)
    assert cs.confirm_call(call, admin, today=call.notice_end + dt.timedelta(days=1)) == 1
    assert Commissioner.objects.get(pk=cand.commissioner_id).status == "active"
    assert Commissioner.objects.get(pk=cand2.commissioner_id).status == "candidate"
    assert AuditEvent.objects.filter(action__startswith="selection.").count() >= 6


def test_a_unit_recommends_only_its_own(world: dict[str, Any]) -> None:
    with pytest.raises(cs.CommissionerError, match="not of"):
        cs.recommend(world["call"], world["u_unit"], world["unit_a"], person=world["c2"])
    with pytest.raises(cs.CommissionerError, match="recommended already"):
        cs.recommend(
            world["call"], world["u_unit"], world["unit_a"], person=world["cand"].commissioner
        )


def _through_notice(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    cs.county_review(world["a1"], world["users"]["county"])
    cs.county_review_all(2025, world["a2"].county_code, admin)
    assert cs.province_confirm_all(2025, admin) == 2
    cs.put_assessments_on_notice(2025, admin, TODAY, today=TODAY)


def test_assessment_workflow(world: dict[str, Any]) -> None:
    admin, county = world["users"]["admin"], world["users"]["county"]
    a1 = world["a1"]
    assert (a1.status, a1.grade, a1.score) == ("draft", "excellent", 90)
    with pytest.raises(cs.CommissionerError, match="Say why"):
        cs.county_review(a1, county, grade="良好")
    a1 = cs.county_review(a1, county, grade="良好", reason="服务天数核减")
    assert (a1.status, a1.county_grade, a1.grade) == ("county_reviewed", "good", "excellent")
    with pytest.raises(cs.CommissionerError, match="await a review"):
        cs.put_assessments_on_notice(2025, admin, TODAY, today=TODAY)
    assert cs.county_review_all(2025, world["a2"].county_code, county) == 1
    a1 = cs.province_confirm(a1, admin)
    assert a1.final_grade == "good"
    assert cs.province_confirm_all(2025, admin) == 1
    assert Assessment.objects.get(pk=world["a2"].pk).final_grade == "pass"
    assert cs.put_assessments_on_notice(2025, admin, TODAY, today=TODAY) == 2
    with pytest.raises(cs.CommissionerError, match="publish after it"):
        cs.publish_assessments(2025, admin, today=TODAY + dt.timedelta(days=6))
    assert cs.publish_assessments(2025, admin, today=TODAY + dt.timedelta(days=7)) == 2
    assert set(Assessment.objects.values_list("status", flat=True)) == {"published"}


def test_recomputing_supersedes_drafts_and_leaves_reviewed_rows(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    cs.county_review(world["a1"], world["users"]["county"])
    rows = [
        {"commissioner_id": world["c1"].pk, "county_code": XIJI, "score": 10, "grade": "不合格"},
        {"commissioner_id": world["c2"].pk, "county_code": "640104", "score": 80, "grade": "良好",
         "reasons": [{"zh": "服务记录 20 条", "en": "20 service records"}]},
    ]  # fmt: skip
    stored, frozen = cs.store_computed_assessments(2025, rows, admin, rules_id="nx-2025")
    assert (stored, frozen) == (1, [world["c1"].pk])
    a1 = Assessment.objects.current().get(commissioner=world["c1"])
    assert a1.pk == world["a1"].pk and a1.score == 90  # frozen
    a2 = Assessment.objects.current().get(commissioner=world["c2"])
    assert a2.pk != world["a2"].pk and a2.grade == "good" and a2.rules_id == "nx-2025"
    assert a2.reasons[0]["zh"] == "服务记录 20 条"
    old = Assessment.objects.get(pk=world["a2"].pk)
    assert old.superseded_at is not None and old.score == 70  # kept
    with pytest.raises(cs.CommissionerError, match="do not exist"):
        cs.store_computed_assessments(
            2025, [{"commissioner_id": 999_999, "score": 1, "grade": "合格"}], admin
        )


def test_the_excellent_quota(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    cs.county_review(world["a1"], world["users"]["county"])
    cs.county_review_all(2025, world["a2"].county_code, admin)
    with pytest.raises(cs.CommissionerError, match="quota"):
        cs.province_confirm_all(2025, admin, max_excellent_share=0.2)
    assert cs.province_confirm_all(2025, admin, max_excellent_share=0.5) == 2


def test_published_rows_are_frozen(world: dict[str, Any]) -> None:
    admin = world["users"]["admin"]
    _through_notice(world)
    cs.publish_assessments(2025, admin, today=TODAY + dt.timedelta(days=30))
    rows = [{"commissioner_id": world["c1"].pk, "county_code": XIJI, "score": 1, "grade": "不合格"}]
    assert cs.store_computed_assessments(2025, rows, admin) == (0, [world["c1"].pk])
    with pytest.raises(cs.CommissionerError, match="not allowed"):
        cs.county_review(world["a1"], world["users"]["county"])
