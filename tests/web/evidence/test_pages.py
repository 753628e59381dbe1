"""The evidence pages: every new endpoint × every role × own / other county (the policy's
:func:`can_view_item` and friends), a declared conflict hiding a county from its expert, the
whole flow through the pages, and a county's scores appearing only after publication."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cimon.store.evidence import services as ev
from cimon.store.evidence.models import Clarification, Item, Score

from ..conftest import XIJI, YUANZHOU

MEETING = {
    "date": "2025-03-18",
    "chair": "王某",
    "chair_title": "县委书记",
    "minutes": "研究科技工作",
}
ROLES = ("anon", "admin", "county", "county2", "expert", "department", "viewer", "norole")


@pytest.fixture
def things(users: dict[str, Any]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for key, user, region in (("own", "county", XIJI), ("other", "county2", YUANZHOU)):
        item = ev.submit_item(users[user], region, 2025, "meeting", MEETING, [("纪要.pdf", b"x")])
        doc = ev.documents(item).get()
        q = Clarification.objects.create(
            series=item.series,
            item=item,
            expert=users["expert"],
            question="?",
            asked_at=item.created_at,
        )
        out[key] = {"item": item.pk, "doc": doc.pk, "q": q.pk}
    return out


def _expect(endpoint: str, role: str, where: str) -> int:
    if role == "anon":
        return 302
    sees = (
        role == "admin"
        or (where == "own" and role in ("county", "expert"))
        or (where == "other" and role == "county2")
    )
    if not sees:
        return 404
    edits = role in ("county", "county2")
    scores = role == "expert"
    return {
        "item": 200,
        "file": 200,
        "edit": 302 if edits else 403,  # a POST without valid values: back to the item
        "answer": 302 if edits else 403,
        "ask": 302 if scores else 403,
        "score": 302 if scores else 403,
    }[endpoint]


CASES = [
    (e, r, w)
    for e in ("item", "file", "edit", "answer", "ask", "score")
    for r in ROLES
    for w in ("own", "other")
]


# who gets which answer is decided in Python (the policy): SQLite only; the flow below and the
# pages without an item run the evidence queries on PostgreSQL too
@pytest.mark.sqlite_only
@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "role", "where"), CASES)
def test_every_role_on_every_item_endpoint(
    endpoint: str, role: str, where: str, users: dict[str, Any], things: Any
) -> None:
    t = things[where]
    pk = {"file": t["doc"], "answer": t["q"]}.get(endpoint, t["item"])
    url = reverse(f"evidence:{endpoint}", kwargs={"pk": pk})
    client = Client()
    if role != "anon":
        client.force_login(users[role])
    method = client.get if endpoint in ("item", "file") else client.post
    response = method(url, {})
    assert response.status_code == _expect(endpoint, role, where), (endpoint, role, where)
    if endpoint == "edit" and response.status_code == 302:
        assert Item.objects.filter(pk=t["item"], superseded_at=None).exists()  # nothing stored


@pytest.mark.django_db
def test_a_declared_conflict_hides_the_county_from_the_expert(
    users: dict[str, Any], things: Any
) -> None:
    client = Client()
    client.force_login(users["admin"])
    expert = users["expert"]
    r = client.post(
        reverse("evidence:assign"),
        {"action": "conflict", "expert": expert.pk, "region": XIJI, "reason": "亲属在该县任职"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("evidence:assign"),
        {"action": "assign", "expert": expert.pk, "region": XIJI},
        follow=True,
    )
    assert "应回避" in r.content.decode()
    client.force_login(expert)
    assert (
        client.get(reverse("evidence:item", kwargs={"pk": things["own"]["item"]})).status_code
        == 404
    )
    assert "王某" not in client.get(reverse("evidence:index") + "?year=2025").content.decode()


@pytest.mark.django_db
def test_the_whole_flow_through_the_pages(users: dict[str, Any], settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    county, expert = Client(), Client()
    county.force_login(users["county"])
    expert.force_login(users["expert"])
    r = county.post(
        reverse("evidence:new") + "?kind=meeting&year=2025",
        {
            **MEETING,
            "kind": "meeting",
            "year": "2025",
            "files": [SimpleUploadedFile("纪要.pdf", b"%PDF-1")],
        },
    )
    assert r.status_code == 302
    item = Item.objects.get()
    page = expert.get(reverse("evidence:item", kwargs={"pk": item.pk})).content.decode()
    assert "评分细则" in page and "至少召开 2 次" in page and "纪要.pdf" in page
    expert.post(reverse("evidence:ask", kwargs={"pk": item.pk}), {"question": "请补充签到表"})
    q = Clarification.objects.get()
    r = county.post(reverse("evidence:answer", kwargs={"pk": q.pk}), {"answer": "已补充签到表"})
    new = Item.objects.get(superseded_at=None)
    assert r.status_code == 302 and new.pk == item.pk  # an answer without files: same version
    expert.post(
        reverse("evidence:score", kwargs={"pk": item.pk}),
        {"points_org_meetings": "1.5", "comment_org_meetings": "签到表齐全"},
    )
    assert Score.objects.get().points == 1.5
    # the county sees no score before publication, and its reasons after
    assert (
        "1.50" not in county.get(reverse("evidence:item", kwargs={"pk": item.pk})).content.decode()
    )
    assert county.get(reverse("evidence:results", kwargs={"year": 2025})).status_code == 404
    _publish(2026)
    page = county.get(reverse("evidence:results", kwargs={"year": 2025})).content.decode()
    assert "1.50" in page and "签到表齐全" in page and "至少召开 2 次" in page


@pytest.mark.django_db
def test_pages_render_in_english(users: dict[str, Any]) -> None:
    client = Client()
    client.force_login(users["county"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("evidence:new") + "?kind=fund&year=2025").content.decode()
    assert "Use of incentive funds" in page and "Amount (10k yuan)" in page


def _publish(year: int) -> None:
    from django.utils import timezone

    from cimon.store.evaluations.models import PUBLISHED, Evaluation, Publication

    now = timezone.now()
    e = Evaluation.objects.create(
        evaluation_year=year,
        framework_id="nx-2021",
        data_as_of=now,
        created_at=now,
        status=PUBLISHED,
        progress=100,
    )
    Publication.objects.create(evaluation_year=year, version=1, evaluation=e, published_at=now)


@pytest.mark.django_db
def test_cimon_serve_first_start_loads_demo_items() -> None:
    from cimon.store.platform import platform_framework
    from cimon.web.serving import load_demo

    _, year = load_demo()
    data_year = year - platform_framework().data_lag
    items = Item.objects.filter(year=data_year)
    assert items.count() == 12 and all("模拟数据" in i.note for i in items)
    assert ev.is_open(data_year)  # the demo's deadline is ahead: counties can still answer


@pytest.mark.django_db
def test_the_scores_submission_shows_in_the_experts_portal(users: dict[str, Any]) -> None:
    from cimon.store.submissions.models import Submission

    item = ev.submit_item(users["county"], XIJI, 2025, "meeting", MEETING)
    ev.score(users["expert"], item, {"org_meetings": 2})
    sub = Submission.objects.get(kind="expert")
    assert sub.status == "accepted" and sub.user == users["expert"]
    client = Client()
    client.force_login(users["expert"])
    assert client.get(reverse("submissions:detail", kwargs={"pk": sub.pk})).status_code == 200
    assert client.get(reverse("submissions:portal")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_the_pages_without_an_item(role: str, users: dict[str, Any]) -> None:
    """The POSTs the main matrix (tests/web/test_permissions.py) does not make, and the
    results page of a year nobody published."""
    client = Client()
    if role != "anon":
        client.force_login(users[role])
    login = 302 if role == "anon" else None
    new = client.post(reverse("evidence:new") + "?kind=meeting&year=2025", {"chair": "x"})
    assert new.status_code == (login or (200 if role in ("county", "county2") else 403))
    assign = client.post(reverse("evidence:assign"), {"action": "assign"})
    assert assign.status_code == (login or (302 if role == "admin" else 403))
    results = client.get(reverse("evidence:results", kwargs={"year": 2025}))
    assert results.status_code == (login or (403 if role == "norole" else 404))
    assert not Item.objects.exists()
