"""揭榜挂帅 and 成果征集 pages (#18): who sees a draft call, an application and an entry (object ×
role), the whole call path through the pages, the collection path to the public catalogue
(without contact details) and its downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.store.libraries.test_calls import expert, published_need
from tests.store.libraries.test_collection import achievement
from tests.web.conftest import XIJI

from cimon.store.libraries import calls
from cimon.store.libraries import collection as col_svc
from cimon.store.libraries.call_models import (
    APP_AWARDED,
    CALL_AWARDED,
    CALL_OPEN,
    COL_PUBLISHED,
    REPORT_ACCEPTED,
    Call,
    CallApplication,
    Collection,
)

pytestmark = pytest.mark.django_db

ROLES = ("admin", "department", "county", "county2", "city", "expert", "viewer", "norole")
LATER = dt.date.today() + dt.timedelta(days=30)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _status(users: dict[str, Any], url: str, extra: dict[str, Any] | None = None) -> dict[str, int]:
    who = {r: users[r] for r in ROLES} | (extra or {})
    return {r: _client(u).get(url).status_code for r, u in who.items()}


def _call(users: dict[str, Any]) -> Call:
    return calls.create_call(published_need(users), users["county"], title="脱毒种薯快繁揭榜",
                             budget=500_000, deadline=LATER)  # fmt: skip


def test_a_draft_call_is_seen_only_by_its_managers(users: dict[str, Any]) -> None:
    call = _call(users)
    url = reverse("libraries:call", kwargs={"pk": call.pk})
    hidden = dict.fromkeys(ROLES, 404) | {"admin": 200, "county": 200}
    assert _status(users, url) == hidden
    assert (
        "脱毒种薯快繁揭榜"
        not in _client(users["viewer"]).get(reverse("libraries:calls")).content.decode()
    )
    assert "脱毒种薯快繁揭榜" not in Client().get(reverse("libraries:catalogue")).content.decode()
    calls.publish_call(call, users["county"])
    assert _status(users, url) == dict.fromkeys(ROLES, 200) | {"norole": 404}
    assert "脱毒种薯快繁揭榜" in Client().get(reverse("libraries:catalogue")).content.decode()
    # another county sees the published call but does not manage it
    step = reverse("libraries:call_step", kwargs={"pk": call.pk})
    assert _client(users["county2"]).post(step, {"action": "close"}).status_code == 403
    assert _client(users["county"]).post(step, {"action": "close"}).status_code == 302


def test_an_application_is_seen_by_its_owner_managers_and_unconflicted_reviewers(
    users: dict[str, Any],
) -> None:
    call = calls.publish_call(_call(users), users["county"])
    same, other = expert("li"), expert("wang")
    calls.assign_reviewer(call, users["county"], same, "某农业大学")
    calls.assign_reviewer(call, users["county"], other, "某研究所")
    app = calls.apply(call, users["viewer"], team="甲", institution="某农业大学", proposal="方案")
    f = calls.attach_file(app, users["viewer"], "方案.pdf", b"%PDF")
    extra = {"same": same, "other": other}
    urls = [reverse("libraries:application", kwargs={"pk": app.pk}),
            reverse("libraries:call_file", kwargs={"pk": f.pk})]  # fmt: skip
    nobody = dict.fromkeys([*ROLES, *extra], 404)
    for url in urls:  # a draft: its applicant only
        assert _status(users, url, extra) == nobody | {"viewer": 200}
    calls.submit_application(app, users["viewer"])
    seen = {"viewer": 200, "admin": 200, "county": 200, "other": 200}  # not "same": a conflict
    for url in urls:
        assert _status(users, url, extra) == nobody | seen
    # reviewers and managers do not apply to the call they judge
    apply_url = reverse("libraries:call_apply", kwargs={"pk": call.pk})
    form = {"team": "t", "institution": "i", "proposal": "p"}
    for who in (other, users["county"]):
        assert _client(who).post(apply_url, form).status_code == 403


def test_the_call_path_through_the_pages(users: dict[str, Any]) -> None:
    need = published_need(users)
    county, team = _client(users["county"]), _client(users["viewer"])
    r = county.post(reverse("libraries:call_new"), {"need": need.pk, "title": "快繁揭榜",
                    "budget": "800000", "deadline": LATER.isoformat(), "conditions": "有基地"})  # fmt: skip
    call = Call.objects.get()
    assert r.status_code == 302 and call.current.budget == 800_000
    assert (
        county.post(reverse("libraries:call_new"), {"need": need.pk, "budget": "1.5"}).status_code
        == 400
    )
    step = reverse("libraries:call_step", kwargs={"pk": call.pk})
    county.post(step, {"action": "publish"})
    call.refresh_from_db()
    assert call.status == CALL_OPEN
    team.post(reverse("libraries:call_apply", kwargs={"pk": call.pk}),
              {"team": "甲团队", "institution": "某农业大学", "proposal": "三年建成体系"})  # fmt: skip
    app = CallApplication.objects.get()
    app_step = reverse("libraries:application_step", kwargs={"pk": app.pk})
    upload = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 proposal")
    assert team.post(app_step, {"action": "file", "file": upload}).status_code == 302
    team.post(app_step, {"action": "submit"})
    reviewer = expert("wang")
    county.post(step, {"action": "reviewer", "expert": "wang", "institution": "某研究所"})
    assert (
        county.post(
            step, {"action": "reviewer", "expert": "viewer", "institution": "x"}
        ).status_code
        == 400
    )
    county.post(step, {"action": "close"})
    assert _client(reviewer).post(app_step, {"action": "score", "score": "88"}).status_code == 302
    assert app.scores.get().score == 88
    page = county.get(reverse("libraries:call", kwargs={"pk": call.pk})).content.decode()
    assert "88.0" in page
    county.post(step, {"action": "award", "application": app.pk, "reason": "唯一且方案可行",
                       "milestone": ["建成基地", ""], "due": [LATER.isoformat(), ""]})  # fmt: skip
    call.refresh_from_db()
    app.refresh_from_db()
    assert (call.status, app.status, call.milestones.count()) == (CALL_AWARDED, APP_AWARDED, 1)
    m = call.milestones.get()
    assert (
        county.post(app_step, {"action": "report", "milestone": m.pk, "text": "x"}).status_code
        == 403
    )
    team.post(app_step, {"action": "report", "milestone": m.pk, "text": "基地建成"})
    assert team.post(app_step, {"action": "accept", "milestone": m.pk}).status_code == 403
    county.post(app_step, {"action": "accept", "milestone": m.pk})
    assert m.latest is not None and m.latest.status == REPORT_ACCEPTED
    page = team.get(reverse("libraries:application", kwargs={"pk": app.pk})).content.decode()
    assert "基地建成" in page and "方案.pdf" in page


def test_the_collection_path_to_the_public_catalogue(users: dict[str, Any]) -> None:
    prov, unit = _client(users["department"]), _client(users["viewer"])
    today = dt.date.today()
    assert unit.post(reverse("libraries:collection_new"), {}).status_code == 403
    prov.post(reverse("libraries:collection_new"), {"title": "先进适用技术成果征集", "year": today.year,
              "opens_on": today.isoformat(), "closes_on": LATER.isoformat()})  # fmt: skip
    col = Collection.objects.get()
    item = achievement(users["viewer"], "马铃薯脱毒快繁")
    other = achievement(users["county"], "别人的成果")
    step = reverse("libraries:collection_step", kwargs={"pk": col.pk})
    assert (
        unit.post(step, {"action": "submit", "achievement": other.pk, "unit": "x"}).status_code
        == 400
    )
    unit.post(step, {"action": "submit", "achievement": item.pk, "unit": "某农科院"})
    entry = col.entries.get()
    assert unit.post(step, {"action": "close"}).status_code == 403
    # the entry is seen by its submitter and the province, not by another account
    url = reverse("libraries:collection", kwargs={"pk": col.pk})
    assert "马铃薯脱毒快繁" not in _client(users["county2"]).get(url).content.decode()
    assert "马铃薯脱毒快繁" in unit.get(url).content.decode()
    entry_step = reverse("libraries:entry_step", kwargs={"pk": entry.pk})
    assert _client(users["county2"]).post(entry_step, {"action": "select"}).status_code == 404
    prov.post(step, {"action": "close"})
    assert unit.post(entry_step, {"action": "select"}).status_code == 403
    prov.post(entry_step, {"action": "select", "note": "通过"})
    # a backdated notice without a reason is refused with the rule it breaks
    past = (today - dt.timedelta(days=3)).isoformat()
    r = prov.post(step, {"action": "notice", "start_on": past}, follow=True)
    assert "早于今天" in r.content.decode()
    prov.post(step, {"action": "notice"})
    col.refresh_from_db()
    assert col.status == "notice" and col.notice_start == today
    col_svc.publish_collection(col, users["department"], today=today + dt.timedelta(days=7))
    col.refresh_from_db()
    assert col.status == COL_PUBLISHED
    page = Client().get(reverse("libraries:catalogue")).content.decode()
    assert "马铃薯脱毒快繁" in page and "某农科院" in page
    assert "13900000000" not in page and "viewer" not in page
    for fmt, kind in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")):
        r = Client().get(reverse("libraries:catalogue_export", kwargs={"fmt": fmt}))
        assert r.status_code == 200 and kind in r["Content-Type"] and len(r.content) > 1000
    assert (
        Client().get(reverse("libraries:catalogue_export", kwargs={"fmt": "pdf"})).status_code
        == 404
    )


def test_demo_calls_and_catalogue(users: dict[str, Any]) -> None:
    from cimon.store.libraries.call_demo import load_demo_calls
    from cimon.store.libraries.demo import load_demo_libraries

    load_demo_libraries([XIJI], 2025)
    assert load_demo_calls([XIJI], 2025) == 4  # a call, a collection, two projects
    assert load_demo_calls([XIJI], 2025) == 0  # loading twice adds nothing
    from cimon.store.libraries.project_models import Project

    demo = Project.objects.order_by("id")
    assert [(p.label, p.status) for p in demo] == [
        ("模拟数据", "running"),
        ("模拟数据", "approved"),
    ]
    assert "模拟数据" in Client().get(reverse("libraries:projects_public")).content.decode()
    call = Call.objects.get()
    assert call.label == "模拟数据" and call.status == CALL_AWARDED
    assert call.applications.count() == 2 and call.winner is not None and call.award_reason
    rows = col_svc.catalogue()
    assert rows and all(r.year for r in rows)
    assert "模拟数据" in Client().get(reverse("libraries:catalogue")).content.decode()
