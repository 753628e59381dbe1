"""The resource libraries' workflows (issue #18): needs and achievements versioned, the county's
review, recommendations stored with the engine's explanation, match stages one at a time with
who and when, contracts with a unique registration number; an audit event for every write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from tests.web.conftest import XIJI

from cimon.store.libraries import services as lib
from cimon.store.libraries.models import (
    CONTACTED,
    DRAFT,
    NEGOTIATING,
    PUBLISHED,
    RECOMMENDED,
    REGISTERED,
    REJECTED,
    SIGNED,
    SUBMITTED,
    Contract,
    Match,
    Need,
)
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db

PROBLEM = "供港菜心采收后损耗大，需要采后预冷和冷链运输方案。"


def _need(users: dict[str, Any], **kw: Any) -> Need:
    return lib.create_need(
        users["county"], XIJI, PROBLEM, chain="冷凉蔬菜", industry="01", budget=Decimal("30"), **kw
    )


def _achievements(users: dict[str, Any]) -> list[Any]:
    owner = users["viewer"]
    items = [
        lib.create_achievement(
            owner,
            "冷凉蔬菜真空预冷与冷链运输技术",
            abstract="蔬菜采后真空预冷，降低运输损耗，延长货架期。",
            discipline="550",
            trl=8,
            mode="转让",
            region_code="640100",
        ),
        lib.create_achievement(
            owner,
            "滩羊标准化养殖技术",
            abstract="滩羊舍饲养殖与饲草配方。",
            discipline="230",
            trl=7,
        ),
        lib.create_achievement(owner, "马铃薯脱毒种薯繁育", abstract="脱毒种薯三级繁育体系。"),
    ]
    return items


def _actions(kind: str, pk: int) -> list[str]:
    rows = AuditEvent.objects.filter(object_type=kind, object_id=str(pk)).order_by("id")
    return list(rows.values_list("action", flat=True))


def test_a_need_is_submitted_reviewed_and_versioned(users: dict[str, Any]) -> None:
    need = _need(users)
    assert need.status == DRAFT and need.current.number == 1
    v2 = lib.edit_need(need, users["county"], budget=Decimal("50"))
    assert (v2.number, v2.budget, v2.problem) == (2, Decimal("50"), PROBLEM)
    assert need.versions.get(number=1).budget == Decimal("30")  # the first version stays
    lib.submit_need(need, users["county"])
    with pytest.raises(lib.LibraryError):
        lib.edit_need(need, users["county"], budget=Decimal("60"))  # submitted: no edits
    lib.reject_need(need, users["admin"], "预算不明确")
    need.refresh_from_db()
    assert (need.status, need.reviewed_by, need.review_note) == (REJECTED, "admin", "预算不明确")
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["admin"])
    need.refresh_from_db()
    assert need.status == PUBLISHED
    with pytest.raises(lib.LibraryError):
        lib.publish_need(need, users["admin"])  # only a submitted need is reviewed
    assert _actions("need", need.pk) == [
        "need.create",
        "need.edit",
        "need.submit",
        "need.reject",
        "need.submit",
        "need.publish",
    ]
    edit = AuditEvent.objects.get(action="need.edit")
    assert (edit.detail["old"]["budget"], edit.detail["new"]["budget"]) == ("30.00", "50")


def test_a_rejection_needs_a_reason_and_a_draft_cannot_be_published(users: dict[str, Any]) -> None:
    need = _need(users)
    with pytest.raises(lib.LibraryError):
        lib.publish_need(need, users["admin"])
    lib.submit_need(need, users["county"])
    with pytest.raises(lib.LibraryError):
        lib.reject_need(need, users["admin"], " ")
    need.refresh_from_db()
    assert need.status == SUBMITTED


def test_achievements_are_checked_versioned_and_published(users: dict[str, Any]) -> None:
    with pytest.raises(lib.LibraryError):
        lib.create_achievement(users["viewer"], "X", trl=10)
    with pytest.raises(lib.LibraryError):
        lib.create_achievement(users["viewer"], "X", mode="赠送")
    with pytest.raises(lib.LibraryError):
        lib.create_achievement(
            users["viewer"], "X", price_low=Decimal("9"), price_high=Decimal("1")
        )
    item = lib.create_achievement(users["viewer"], "滩羊标准化养殖技术", trl=6)
    lib.publish_achievement(item, users["viewer"])
    with pytest.raises(lib.LibraryError):
        lib.publish_achievement(item, users["viewer"])
    lib.edit_achievement(item, users["viewer"], trl=7)
    assert [v.trl for v in item.versions.order_by("number")] == [6, 7]
    assert _actions("achievement", item.pk) == [
        "achievement.create",
        "achievement.publish",
        "achievement.edit",
    ]


def test_recommend_stores_published_achievements_with_the_explanation(
    users: dict[str, Any],
) -> None:
    cold, sheep, _potato = _achievements(users)
    for item in (cold, sheep):
        lib.publish_achievement(item, users["viewer"])
    lib.create_achievement(users["viewer"], "菜心采后预冷冷链运输", abstract="降低损耗。")  # draft
    need = _need(users)
    with pytest.raises(lib.LibraryError):
        lib.recommend(need, users["admin"])  # not published yet
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["admin"])
    found = lib.recommend(need, users["admin"])
    assert [m.achievement_id for m in found] == [cold.pk]  # sheep shares nothing; the rest: drafts
    m = found[0]
    assert m.stage == RECOMMENDED and m.rank == 1 and 0 < m.score <= 1
    assert "预冷" in m.shared_terms and m.explanation_zh.startswith("共同词：")
    assert m.achievement_version.number == 1 and m.need_version.number == 1
    assert list(m.stages.values_list("stage", flat=True)) == [RECOMMENDED]
    # run again: the stored pair keeps its row and stage
    lib.advance_match(m, users["county"], CONTACTED)
    again = lib.recommend(need, users["admin"])
    assert [r.pk for r in again] == [m.pk] and again[0].stage == CONTACTED
    assert Match.objects.count() == 1
    assert AuditEvent.objects.filter(action="match.recommend").count() == 2


def _signed_match(users: dict[str, Any]) -> Match:
    cold = _achievements(users)[0]
    lib.publish_achievement(cold, users["viewer"])
    need = _need(users)
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["admin"])
    m = lib.recommend(need, users["admin"])[0]
    for stage in (CONTACTED, NEGOTIATING, SIGNED):
        m = lib.advance_match(m, users["county"], stage)
    return m


def test_a_match_moves_one_stage_at_a_time_with_who_and_when(users: dict[str, Any]) -> None:
    cold = _achievements(users)[0]
    lib.publish_achievement(cold, users["viewer"])
    need = _need(users)
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["admin"])
    m = lib.recommend(need, users["admin"])[0]
    with pytest.raises(lib.LibraryError):
        lib.advance_match(m, users["county"], NEGOTIATING)  # skips 对接
    with pytest.raises(lib.LibraryError):
        lib.advance_match(m, users["county"], "unknown")
    lib.advance_match(m, users["county"], CONTACTED, note="电话联系")
    stages = list(m.stages.order_by("id").values_list("stage", "by", "note"))
    assert stages == [(RECOMMENDED, "admin", ""), (CONTACTED, "xiji", "电话联系")]
    event = AuditEvent.objects.get(action="match.advance")
    assert (event.user, event.detail["old"], event.detail["new"]) == (
        "xiji",
        RECOMMENDED,
        CONTACTED,
    )
    m = lib.advance_match(m, users["county"], NEGOTIATING)
    m = lib.advance_match(m, users["county"], SIGNED)
    with pytest.raises(lib.LibraryError):
        lib.advance_match(m, users["county"], REGISTERED)  # only by registering the contract


def test_a_contract_is_registered_once_and_closes_its_match(users: dict[str, Any]) -> None:
    m = _signed_match(users)
    c = lib.register_contract(
        users["county"], "64042220260001", 1_200_000, dt.date(2026, 5, 1), XIJI, match=m
    )
    m.refresh_from_db()
    assert m.stage == REGISTERED and c.match_id == m.pk and c.amount == 1_200_000
    assert m.stages.order_by("-id").first().stage == REGISTERED  # type: ignore[union-attr]
    with pytest.raises(lib.LibraryError):  # the registration number is unique
        lib.register_contract(users["county"], "64042220260001", 1, dt.date(2026, 5, 2), XIJI)
    with pytest.raises(lib.LibraryError):  # whole 元
        lib.register_contract(users["county"], "N2", 1.5, dt.date(2026, 5, 2), XIJI)  # type: ignore[arg-type]
    assert Contract.objects.count() == 1
    assert AuditEvent.objects.filter(action="contract.register").count() == 1
    # a contract without a match (registered directly) is allowed
    lib.register_contract(users["county"], "N3", 5000, dt.date(2026, 6, 1), XIJI)
    assert list(
        Contract.objects.in_county(XIJI).in_year(2026).values_list("number", flat=True)
    ) == [
        "N3",
        "64042220260001",
    ]


def test_a_contract_needs_a_signed_match(users: dict[str, Any]) -> None:
    cold = _achievements(users)[0]
    lib.publish_achievement(cold, users["viewer"])
    need = _need(users)
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["admin"])
    m = lib.recommend(need, users["admin"])[0]
    with pytest.raises(lib.LibraryError):
        lib.register_contract(users["county"], "N1", 10, dt.date(2026, 1, 1), XIJI, match=m)
    assert not Contract.objects.exists()
