"""Library pages (#18): who sees an unpublished need, the public page without contact details,
and one path through the pages: post a need → the county publishes it → the engine recommends
→ 对接 … → a registered contract."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.conftest import XIJI

from cimon.store.libraries import services as lib
from cimon.store.libraries.models import (
    CONTACTED,
    PUBLISHED,
    REGISTERED,
    Achievement,
    Contract,
    Match,
    Need,
)

pytestmark = pytest.mark.django_db

PROBLEM = "供港菜心采收后损耗大，需要采后预冷和冷链运输方案。"


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _need(users: dict[str, Any]) -> Need:
    return lib.create_need(users["county"], XIJI, PROBLEM, chain="冷凉蔬菜", industry="01")


def _status(users: dict[str, Any], url: str) -> dict[str, int]:
    roles = ("admin", "department", "county", "county2", "expert", "viewer", "norole")
    return {r: _client(users[r]).get(url).status_code for r in roles}


def test_an_unpublished_need_is_seen_only_by_its_owner_and_reviewers(
    users: dict[str, Any],
) -> None:
    need = _need(users)
    url = reverse("libraries:need", kwargs={"pk": need.pk})
    hidden = {"admin": 200, "department": 404, "county": 200, "county2": 404, "expert": 404}
    assert _status(users, url) == hidden | {"viewer": 404, "norole": 404}
    lib.submit_need(need, users["county"])
    assert _status(users, url) == hidden | {"viewer": 404, "norole": 404}
    lib.publish_need(need, users["admin"])
    seen = {r: 200 for r in ("admin", "department", "county", "county2", "expert", "viewer")}
    assert _status(users, url) == seen | {"norole": 404}


def test_only_the_needs_county_reviews_it(users: dict[str, Any]) -> None:
    need = _need(users)
    lib.submit_need(need, users["county"])
    url = reverse("libraries:need_review", kwargs={"pk": need.pk})
    assert _client(users["county2"]).post(url, {"decision": "publish"}).status_code == 404
    assert _client(users["viewer"]).post(url, {"decision": "publish"}).status_code == 404
    queue = _client(users["county2"]).get(reverse("libraries:review"))
    assert PROBLEM[:20] not in queue.content.decode()
    assert (
        PROBLEM[:20] in _client(users["county"]).get(reverse("libraries:review")).content.decode()
    )
    assert _client(users["county"]).post(url, {"decision": "publish"}).status_code == 302
    need.refresh_from_db()
    assert need.status == PUBLISHED
    # published: another county sees it but may not recommend or review
    rec = reverse("libraries:recommend", kwargs={"pk": need.pk})
    assert _client(users["county2"]).post(rec).status_code == 403


def test_the_public_page_lists_published_records_without_contact(users: dict[str, Any]) -> None:
    draft = lib.create_need(users["county"], XIJI, "草稿需求不公开")
    need = _need(users)
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["admin"])
    item = lib.create_achievement(users["expert"], "冷链预冷技术", holder="某大学", trl=8)
    lib.publish_achievement(item, users["expert"])
    lib.create_achievement(users["expert"], "未发布成果")
    page = Client().get(reverse("libraries:public")).content.decode()
    assert PROBLEM in page and "冷链预冷技术" in page
    assert "草稿需求不公开" not in page and "未发布成果" not in page
    for contact in ("xiji", "zhang", "张专家", "某大学"):  # owners and holders stay off
        assert contact not in page
    assert draft.status == "draft"


def test_one_path_from_a_need_to_a_registered_contract(users: dict[str, Any]) -> None:
    expert = _client(users["expert"])
    expert.post(
        reverse("libraries:achievement_new"),
        {
            "title": "冷凉蔬菜真空预冷与冷链运输技术",
            "abstract": "采后预冷，降低运输损耗。",
            "trl": "8",
        },
    )
    item = Achievement.objects.get()
    expert.post(reverse("libraries:achievement_publish", kwargs={"pk": item.pk}))
    county = _client(users["county"])
    r = county.post(reverse("libraries:need_new"), {"problem": PROBLEM, "chain": "冷凉蔬菜"})
    need = Need.objects.get()
    assert r.status_code == 302 and need.region_code == XIJI
    county.post(reverse("libraries:need_submit", kwargs={"pk": need.pk}))
    county.post(reverse("libraries:need_review", kwargs={"pk": need.pk}), {"decision": "publish"})
    county.post(reverse("libraries:recommend", kwargs={"pk": need.pk}))
    m = Match.objects.get()
    assert m.achievement_id == item.pk
    page = county.get(reverse("libraries:need", kwargs={"pk": need.pk})).content.decode()
    assert "共同词：" in page and "预冷" in page
    advance = reverse("libraries:match_advance", kwargs={"pk": m.pk})
    for stage in (CONTACTED, "negotiating", "signed"):
        assert county.post(advance, {"stage": stage}).status_code == 302
    county.post(
        reverse("libraries:contracts"),
        {"number": "64042220260001", "amount": "800000", "signed_on": "2026-05-01", "match": m.pk},
    )
    m.refresh_from_db()
    assert m.stage == REGISTERED
    c = Contract.objects.get()
    assert (c.region_code, c.amount) == (XIJI, 800_000)
    listing = county.get(reverse("libraries:contracts")).content.decode()
    assert "64042220260001" in listing
    # another county's clerk does not see it
    assert (
        "64042220260001"
        not in _client(users["county2"]).get(reverse("libraries:contracts")).content.decode()
    )


def test_a_contract_sums_drill_down_shows_each_amount(users: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    from cimon.store.evaluations.models import REVIEW, Evaluation
    from cimon.store.registry.models import DerivedCount

    now = timezone.now()
    ev = Evaluation.objects.create(evaluation_year=2026, framework_id="nx-2021", data_as_of=now,
                                   created_at=now, status=REVIEW, progress=100)  # fmt: skip
    record = {"record": "A1", "item": "1", "name": "A1", "start": "2025-03-01", "end": "",
              "amount": 1_200_000}  # fmt: skip
    DerivedCount.objects.create(evaluation=ev, variable="tech_contracts", region_code=XIJI,
                                year=2025, on=dt.date(2025, 12, 31), count=1, value=120.0,
                                records=[record])  # fmt: skip
    url = reverse(
        "registry:derived",
        kwargs={"pk": ev.pk, "variable": "tech_contracts", "code": XIJI, "year": 2025},
    )
    page = _client(users["admin"]).get(url).content.decode()
    assert "A1 · 1200000 元" in page


def test_writes_on_another_users_objects_are_refused(users: dict[str, Any]) -> None:
    need = _need(users)
    submit = reverse("libraries:need_submit", kwargs={"pk": need.pk})
    # the admin sees the draft (a reviewer) but does not own it
    assert _client(users["admin"]).post(submit).status_code == 403
    assert _client(users["county2"]).post(submit).status_code == 404
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["admin"])
    item = lib.create_achievement(
        users["expert"], "冷凉蔬菜真空预冷与冷链运输技术", abstract="采后预冷"
    )
    publish = reverse("libraries:achievement_publish", kwargs={"pk": item.pk})
    assert _client(users["viewer"]).post(publish).status_code == 404  # a draft: owner and admin
    assert _client(users["expert"]).post(publish).status_code == 302
    assert _client(users["viewer"]).post(publish).status_code == 403  # published: seen, not owned
    m = lib.recommend(need, users["admin"])[0]
    advance = reverse("libraries:match_advance", kwargs={"pk": m.pk})
    for role in ("county2", "viewer", "expert", "department"):
        assert _client(users[role]).post(advance, {"stage": CONTACTED}).status_code == 403
    assert _client(users["norole"]).post(advance, {"stage": CONTACTED}).status_code == 404
    m.refresh_from_db()
    assert m.stage == "recommended"
    for stage in (CONTACTED, "negotiating", "signed"):
        lib.advance_match(m, users["county"], stage)
    form = {"number": "X1", "amount": "1", "signed_on": "2026-01-01", "match": m.pk}
    assert _client(users["county2"]).post(reverse("libraries:contracts"), form).status_code == 404
    assert _client(users["expert"]).post(reverse("libraries:contracts"), form).status_code == 403
    assert not Contract.objects.exists()
