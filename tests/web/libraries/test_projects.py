"""项目库 pages (#18): who sees a project (another county's or an unknown one: 404), the path
from a need's page through the status steps, the public list without the owner, and the
libraries' state shown as computed I21 evidence on the 创新管理 evidence page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.store.libraries.test_calls import published_need
from tests.web.conftest import XIJI

from cimon.store.evidence import services as ev
from cimon.store.libraries import projects as svc
from cimon.store.libraries import services as lib
from cimon.store.libraries.models import Need
from cimon.store.libraries.project_models import PROJ_DONE, PROJ_STOPPED, Project

pytestmark = pytest.mark.django_db

ROLES = ("admin", "department", "county", "county2", "city", "expert", "viewer", "norole")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _project(users: dict[str, Any]) -> Project:
    return svc.create_project(
        published_need(users), users["county"], title="脱毒种薯快繁项目", budget=300_000,
        starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2027, 12, 31), lead_unit="县农技中心",
    )  # fmt: skip


def test_a_project_is_seen_only_by_its_county_and_admins(users: dict[str, Any]) -> None:
    project = _project(users)
    for name in ("project", "project_step"):
        url = reverse(f"libraries:{name}", kwargs={"pk": project.pk})
        got = {
            r: (_client(users[r]).get(url) if name == "project" else
                _client(users[r]).post(url, {"action": "start"})).status_code
            for r in ROLES
        }  # fmt: skip
        ok = 200 if name == "project" else 302
        assert got == dict.fromkeys(ROLES, 404) | {"admin": ok, "county": ok}, name
    project.refresh_from_db()
    assert (
        project.status == "running"
    )  # started by the admin (the county's second start was refused)
    # another county's clerk may not make a project from this county's need
    r = _client(users["county2"]).post(
        reverse("libraries:project_new"),
        {"need": project.need_id, "title": "x", "budget": "1", "starts_on": "2026-01-01",
         "ends_on": "2026-12-31", "lead_unit": "y"},
    )  # fmt: skip
    assert r.status_code == 404 and Project.objects.count() == 1
    listing = _client(users["county2"]).get(reverse("libraries:projects")).content.decode()
    assert "脱毒种薯快繁项目" not in listing


def test_the_path_through_the_pages(users: dict[str, Any]) -> None:
    need = published_need(users)
    county = _client(users["county"])
    page = county.get(reverse("libraries:need", kwargs={"pk": need.pk})).content.decode()
    assert 'id="project-new"' in page
    form = {"need": need.pk, "title": "快繁项目", "budget": "300000", "starts_on": "2026-03-01",
            "ends_on": "2027-12-31", "lead_unit": "县农技中心", "tasks": "建基地"}  # fmt: skip
    assert (
        county.post(reverse("libraries:project_new"), form | {"budget": "1.5"}).status_code == 400
    )
    r = county.post(reverse("libraries:project_new"), form)
    project = Project.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/projects/{project.pk}/")
    step = reverse("libraries:project_step", kwargs={"pk": project.pk})
    edit = form | {"action": "edit", "budget": "320000"}
    assert county.post(step, edit).status_code == 302
    assert project.current.number == 2 and project.current.budget == 320_000
    county.post(step, {"action": "start"})
    county.post(step, {"action": "finish"})
    project.refresh_from_db()
    assert project.status == PROJ_DONE
    detail = county.get(reverse("libraries:project", kwargs={"pk": project.pk})).content.decode()
    assert "结题" in detail and "320000" in detail
    public = Client().get(reverse("libraries:projects_public")).content.decode()
    assert "快繁项目" in public and "县农技中心" in public
    assert users["county"].get_username() not in public  # no owner on the public page


def test_stop_needs_a_reason(users: dict[str, Any]) -> None:
    project = _project(users)
    county = _client(users["county"])
    step = reverse("libraries:project_step", kwargs={"pk": project.pk})
    county.post(step, {"action": "stop", "reason": ""})
    project.refresh_from_db()
    assert project.status == "approved"
    county.post(step, {"action": "stop", "reason": "经费未落实"})
    project.refresh_from_db()
    assert project.status == PROJ_STOPPED and project.status_reason == "经费未落实"


def test_the_evidence_page_of_i21_shows_the_libraries_state(users: dict[str, Any]) -> None:
    project = _project(users)
    svc.create_project(
        project.need, users["county"], title="第二项目", budget=100_000,
        starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 12, 31), lead_unit="某公司",
    )  # fmt: skip
    day = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
    Need.objects.update(created_at=day)
    Project.objects.update(created_at=day)
    lib.register_contract(users["county"], "T-9", 120_000, dt.date(2025, 5, 1), XIJI)
    library = {"library": "projects", "entries": "2", "updated_on": "2025-06-01"}
    item = ev.submit_item(users["county"], XIJI, 2025, "library", library)
    meeting = {"date": "2025-03-18", "chair": "王某", "chair_title": "县委书记", "minutes": "x"}
    other = ev.submit_item(users["county"], XIJI, 2025, "meeting", meeting)
    expert = _client(users["expert"])
    page = expert.get(reverse("evidence:item", kwargs={"pk": item.pk})).content.decode()
    assert 'id="libraries-state"' in page and "自动计算" in page
    assert "<td>2 · 立项 2 · 实施中 0 · 结题 0 · 终止 0</td>" in page
    assert "<td>1 / 120000</td>" in page
    page = expert.get(reverse("evidence:item", kwargs={"pk": other.pk})).content.decode()
    assert 'id="libraries-state"' not in page  # only on the I21 (mgmt_projects) items
