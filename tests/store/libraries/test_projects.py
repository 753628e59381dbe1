"""项目库 (#18, 需求项目化): a project from a published need, versioned content, the status steps
立项 → 实施中 → 结题 or 终止 with a reason, an audit event for each; the libraries' state of a
county and year (the computed I21 evidence) on a hand-counted case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from tests.store.libraries.test_calls import published_need
from tests.web.conftest import XIJI, YUANZHOU

from cimon.store.libraries import projects as svc
from cimon.store.libraries import services as lib
from cimon.store.libraries import talent
from cimon.store.libraries.project_models import (
    PROJ_APPROVED,
    PROJ_DONE,
    PROJ_RUNNING,
    PROJ_STOPPED,
)
from cimon.store.libraries.services import LibraryError
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 3, 1), dt.date(2027, 12, 31)


def make(need: Any, user: Any, **kw: Any) -> Any:
    data = {"title": "脱毒种薯快繁项目", "budget": 300_000, "starts_on": START, "ends_on": END,
            "lead_unit": "县农技中心", "tasks": "建设快繁基地"} | kw  # fmt: skip
    return svc.create_project(need, user, **data)


def test_a_project_from_a_published_need_is_versioned_and_audited(
    users: dict[str, Any],
) -> None:
    need = published_need(users)
    project = make(need, users["county"])
    assert project.region_code == XIJI and project.status == PROJ_APPROVED
    assert project.current.budget == 300_000 and project.current.number == 1
    svc.edit_project(project, users["county"], budget=350_000)
    assert project.current.number == 2 and project.current.budget == 350_000
    assert project.versions.get(number=1).budget == 300_000  # the first version stays
    svc.step_project(project, users["county"], "start")
    svc.step_project(project, users["county"], "finish")
    project.refresh_from_db()
    assert project.status == PROJ_DONE
    with pytest.raises(LibraryError):
        svc.edit_project(project, users["county"], title="改名")  # finished: no more edits
    with pytest.raises(LibraryError):
        svc.step_project(project, users["county"], "stop", "晚了")
    actions = list(
        AuditEvent.objects.filter(object_type="project")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["project.create", "project.edit", "project.start", "project.finish"]


def test_refusals_name_the_field(users: dict[str, Any]) -> None:
    need = published_need(users)
    with pytest.raises(LibraryError, match="budget"):
        make(need, users["county"], budget=1.5)
    with pytest.raises(LibraryError, match="lead_unit"):
        make(need, users["county"], lead_unit=" ")
    with pytest.raises(LibraryError, match="早于"):
        make(need, users["county"], ends_on=dt.date(2025, 1, 1))
    draft = lib.create_need(users["county"], XIJI, "滩羊繁育需要技术支持。")
    with pytest.raises(LibraryError, match="尚未发布"):
        make(draft, users["county"])
    project = make(need, users["county"])
    with pytest.raises(LibraryError, match="reason"):
        svc.step_project(project, users["county"], "stop", "  ")
    with pytest.raises(LibraryError):
        svc.step_project(project, users["county"], "finish")  # not started yet
    svc.step_project(project, users["county"], "stop", "承担单位退出")
    project.refresh_from_db()
    assert project.status == PROJ_STOPPED and project.status_reason == "承担单位退出"


def test_libraries_state_hand_case(users: dict[str, Any]) -> None:
    county, year = users["county"], timezone.now().year
    need = published_need(users)  # XIJI, published
    lib.create_need(county, XIJI, "枸杞烘干能耗高。")  # XIJI, draft
    lib.create_need(users["county2"], YUANZHOU, "肉牛育肥饲料配方。")  # another county
    running = make(need, county)
    svc.step_project(running, county, "start")
    make(need, county, title="第二个项目")  # 立项
    stopped = make(need, county, title="第三个项目")
    svc.step_project(stopped, county, "stop", "经费未落实")
    for title, region in (("马铃薯脱毒快繁技术", XIJI), ("枸杞制干技术", YUANZHOU)):
        item = lib.create_achievement(
            county, title, abstract="马铃薯 脱毒 快繁", region_code=region
        )
        lib.publish_achievement(item, county)
    lib.create_achievement(county, "未发布成果", region_code=XIJI)  # a draft: not counted
    profile = talent.create_talent(county, "张三", "马铃薯育种", region_code=XIJI)
    talent.publish_talent(profile, county)
    matches = lib.recommend(need, county)
    lib.register_contract(county, "T-1", 100_000, dt.date(year, 5, 1), XIJI)
    lib.register_contract(county, "T-2", 50_000, dt.date(year, 6, 1), XIJI)
    lib.register_contract(county, "T-3", 70_000, dt.date(year - 1, 6, 1), XIJI)  # last year
    lib.register_contract(county, "T-4", 9_000, dt.date(year, 6, 1), YUANZHOU)

    state = svc.libraries_state(XIJI, year)
    assert (state.needs_posted, state.needs_published) == (2, 1)
    assert state.projects == {PROJ_APPROVED: 1, PROJ_RUNNING: 1, PROJ_DONE: 0, PROJ_STOPPED: 1}
    assert state.projects_total == 3
    assert (state.achievements, state.talent) == (1, 1)
    assert len(matches) >= 1 and state.matches == len(matches)
    assert (state.contracts, state.contract_amount) == (2, 150_000)
    assert not state.empty

    last = svc.libraries_state(XIJI, year - 1)
    assert (last.needs_posted, last.projects_total, last.matches) == (0, 0, 0)
    assert (last.contracts, last.contract_amount) == (1, 70_000)
    other = svc.libraries_state(YUANZHOU, year)
    assert (other.needs_posted, other.needs_published, other.projects_total) == (1, 0, 0)
    assert (other.achievements, other.talent, other.contracts) == (1, 0, 1)
