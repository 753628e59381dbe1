"""揭榜挂帅 (#18): a call from a published need, versioned terms, applications with files, experts
with a conflict excluded, one award with its reason, milestones accepted or returned; an audit
event for every step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.web.conftest import FW, PASSWORD, REG, XIJI

from cimon.store.libraries import calls
from cimon.store.libraries import services as lib
from cimon.store.libraries.call_models import (
    APP_AWARDED,
    APP_LOST,
    APP_SUBMITTED,
    CALL_AWARDED,
    CALL_OPEN,
    CALL_REVIEW,
    MAX_FILE_BYTES,
    REPORT_ACCEPTED,
    REPORT_RETURNED,
    Call,
)
from cimon.store.libraries.services import LibraryError
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=30)


def expert(name: str) -> Any:
    from cimon.store.accounts.services import create_user

    user, _ = create_user(name, "expert", framework=FW, registry=REG, password=PASSWORD)
    return user


def published_need(users: dict[str, Any]) -> Any:
    need = lib.create_need(
        users["county"], XIJI, "马铃薯种薯退化，需要脱毒快繁技术。", chain="马铃薯"
    )
    lib.submit_need(need, users["county"])
    return lib.publish_need(need, users["county"])


def open_call(users: dict[str, Any]) -> Call:
    call = calls.create_call(
        published_need(users), users["county"], title="脱毒种薯快繁揭榜", budget=500_000,
        deadline=LATER, conditions="须有种薯繁育基地",
    )  # fmt: skip
    return calls.publish_call(call, users["county"])


def applied(call: Call, user: Any, institution: str, team: str = "团队") -> Any:
    app = calls.apply(call, user, team=team, institution=institution, proposal="三年建成快繁体系")
    return calls.submit_application(app, user)


def test_a_call_needs_a_published_need_and_whole_yuan(users: dict[str, Any]) -> None:
    need = lib.create_need(users["county"], XIJI, "草稿需求")
    with pytest.raises(LibraryError, match="尚未发布"):
        calls.create_call(need, users["county"], title="x", budget=1, deadline=LATER)
    need = published_need(users)
    for bad in (0, -5, 1.5, True):
        with pytest.raises(LibraryError, match="正整数"):
            calls.create_call(need, users["county"], title="x", budget=bad, deadline=LATER)
    call = calls.create_call(need, users["county"], title="x", budget=100, deadline=LATER)
    assert call.region_code == XIJI and call.current.budget == 100


def test_terms_are_versioned_and_frozen_once_published(users: dict[str, Any]) -> None:
    need = published_need(users)
    call = calls.create_call(need, users["county"], title="旧名", budget=100, deadline=LATER)
    calls.edit_call(call, users["county"], title="新名", budget=200)
    assert [(v.number, v.title, v.budget) for v in call.versions.order_by("number")] == [
        (1, "旧名", 100),
        (2, "新名", 200),
    ]
    calls.publish_call(call, users["county"])
    with pytest.raises(LibraryError, match="不能执行此操作"):
        calls.edit_call(call, users["county"], title="再改")
    events = list(AuditEvent.objects.filter(object_type="call").values_list("action", flat=True))
    assert events == ["call.create", "call.edit", "call.publish"]


def test_a_past_deadline_cannot_be_published_or_applied_to(users: dict[str, Any]) -> None:
    need = published_need(users)
    past = TODAY - dt.timedelta(days=1)
    call = calls.create_call(need, users["county"], title="x", budget=1, deadline=past)
    with pytest.raises(LibraryError, match="已过"):
        calls.publish_call(call, users["county"])
    call = open_call(users)
    with pytest.raises(LibraryError, match="截止"):
        calls.apply(call, users["viewer"], team="t", institution="i", proposal="p",
                    today=LATER + dt.timedelta(days=1))  # fmt: skip


def test_applications_are_versioned_with_bounded_files(users: dict[str, Any]) -> None:
    call = open_call(users)
    app = calls.apply(call, users["viewer"], team="甲团队", institution="某大学", proposal="方案一")
    calls.revise_application(app, users["viewer"], "方案二")
    assert [v.proposal for v in app.versions.order_by("number")] == ["方案一", "方案二"]
    row = calls.attach_file(app, users["viewer"], "../../etc/方案.pdf", b"%PDF-1.4")
    assert row.size == 8 and len(row.sha256) == 64
    with pytest.raises(LibraryError, match="超过上限"):
        calls.attach_file(app, users["viewer"], "big.pdf", b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(LibraryError, match="已申请"):
        calls.apply(call, users["viewer"], team="t", institution="i", proposal="p")
    calls.submit_application(app, users["viewer"])
    with pytest.raises(LibraryError, match="草稿"):
        calls.revise_application(app, users["viewer"], "方案三")
    with pytest.raises(LibraryError, match="草稿"):
        calls.attach_file(app, users["viewer"], "late.pdf", b"x")


def test_a_conflicted_expert_is_excluded_and_does_not_count(users: dict[str, Any]) -> None:
    call = open_call(users)
    a = applied(call, users["viewer"], "某农业大学", "甲")
    b = applied(call, users["department"], "某农科院", "乙")
    same, other = expert("li"), expert("wang")
    calls.assign_reviewer(call, users["county"], same, " 某农业 大学 ")  # spaces aside: the same
    calls.assign_reviewer(call, users["county"], other, "某研究所")
    with pytest.raises(LibraryError, match="评审中"):
        calls.score_application(a, other, 80)
    calls.close_call(call, users["county"])
    assert calls.conflicted(" 某农业 大学 ", "某农业大学")
    with pytest.raises(LibraryError, match="回避"):
        calls.score_application(a, same, 99)
    calls.score_application(b, same, 70)
    calls.score_application(a, other, 60)
    calls.score_application(a, other, 90)  # scoring again adds a row; the latest counts
    calls.score_application(b, other, 80)
    with pytest.raises(LibraryError, match="0–100"):
        calls.score_application(b, other, 101)
    with pytest.raises(LibraryError, match="不是该榜单"):
        calls.score_application(b, users["expert"], 50)
    assert a.scores.count() == 2
    with pytest.raises(LibraryError, match="不能担任评审专家"):  # an applicant never reviews
        calls.assign_reviewer(call, users["county"], users["viewer"], "某机构")
    assert calls.mean_score(a) == 90 and calls.mean_score(b) == 75


def test_award_one_with_reason_then_milestones(users: dict[str, Any]) -> None:
    call = open_call(users)
    win = applied(call, users["viewer"], "某农业大学", "甲")
    lose = applied(call, users["department"], "某农科院", "乙")
    with pytest.raises(LibraryError, match="不能执行此操作"):
        calls.award(call, users["county"], win, "最好", [("建成基地", None)])
    calls.close_call(call, users["county"])
    with pytest.raises(LibraryError, match="理由"):
        calls.award(call, users["county"], win, " ", [("建成基地", None)])
    with pytest.raises(LibraryError, match="里程碑"):
        calls.award(call, users["county"], win, "最好", [])
    calls.award(
        call,
        users["county"],
        win,
        "方案最完整，基地条件最好",
        [("建成基地", LATER), ("推广", None)],
    )
    call.refresh_from_db()
    win.refresh_from_db()
    lose.refresh_from_db()
    assert (call.status, call.winner_id, win.status, lose.status) == (
        CALL_AWARDED, win.pk, APP_AWARDED, APP_LOST,
    )  # fmt: skip
    assert call.award_reason == "方案最完整，基地条件最好"
    event = AuditEvent.objects.get(action="call.award")
    assert event.detail["reason"] == call.award_reason and event.detail["winner"] == win.pk
    m1 = call.milestones.get(number=1)
    with pytest.raises(LibraryError, match="没有待验收"):
        calls.decide_milestone(m1, users["county"], True)
    calls.report_milestone(m1, users["viewer"], "基地已建成 50 亩")
    with pytest.raises(LibraryError, match="待验收"):
        calls.report_milestone(m1, users["viewer"], "再报")
    with pytest.raises(LibraryError, match="理由"):
        calls.decide_milestone(m1, users["county"], False)
    calls.decide_milestone(m1, users["county"], False, "缺少验收照片")
    calls.report_milestone(m1, users["viewer"], "基地已建成 50 亩，附照片")
    calls.decide_milestone(m1, users["county"], True)
    assert [(r.number, r.status) for r in m1.reports.all()] == [
        (1, REPORT_RETURNED),
        (2, REPORT_ACCEPTED),
    ]
    with pytest.raises(LibraryError, match="已通过"):
        calls.report_milestone(m1, users["viewer"], "又报")


def test_states_and_open_calls(users: dict[str, Any]) -> None:
    call = open_call(users)
    assert call.status == CALL_OPEN and list(calls.open_calls()) == [call]
    applied(call, users["viewer"], "某大学")
    calls.close_call(call, users["county"])
    call.refresh_from_db()
    assert call.status == CALL_REVIEW and list(calls.open_calls()) == []
    with pytest.raises(LibraryError, match="不能执行此操作"):
        calls.apply(call, users["department"], team="t", institution="i", proposal="p")
    assert call.applications.get().status == APP_SUBMITTED
