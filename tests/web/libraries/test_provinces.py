"""The libraries on an instance hosting two provinces (#20): an administrator of 62 sees none of
64's needs, achievements, contracts, talent, calls, projects, collections or list imports, and
is refused their pages (404) and steps; 64's accounts see them as before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.store.libraries.test_calls import published_need
from tests.store.libraries.test_collection import achievement
from tests.web.conftest import XIJI

from cimon.store.libraries import calls, projects, talent
from cimon.store.libraries import collection as col_svc
from cimon.store.libraries import services as lib
from cimon.web.accounts import policy_calls as pc
from cimon.web.accounts import policy_libraries as pl

pytestmark = pytest.mark.django_db
LATER = dt.date.today() + dt.timedelta(days=60)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_needs_and_contracts_stay_in_their_province(two_provinces: dict[str, Any]) -> None:
    u = two_provinces
    need = published_need(u)
    pending = lib.create_need(u["county"], XIJI, "待审核的需求：冷链运输。")
    lib.submit_need(pending, u["county"])
    gs = lib.create_need(u["admin62"], "620102", "甘肃的需求：旱作节水。")
    lib.submit_need(gs, u["admin62"])
    gs = lib.publish_need(gs, u["admin62"])
    url = reverse("libraries:need", kwargs={"pk": need.pk})
    assert _client(u["admin62"]).get(url).status_code == 404
    assert _client(u["admin"]).get(url).status_code == 200
    assert _client(u["viewer"]).get(url).status_code == 200
    assert not pl.can_view_need(u["admin62"], need) and pl.can_view_need(u["admin62"], gs)
    assert not pl.can_view_need(u["admin"], gs)
    assert list(pl.visible_needs(u["admin62"])) == [gs]
    assert list(pl.visible_needs(u["viewer"])) == [need]
    # the public page: an account its province's; without login (public) every published one
    assert (
        "马铃薯种薯退化"
        not in _client(u["admin62"]).get(reverse("libraries:public")).content.decode()
    )
    assert (
        "马铃薯种薯退化" in _client(u["viewer"]).get(reverse("libraries:public")).content.decode()
    )
    assert "马铃薯种薯退化" in Client().get(reverse("libraries:public")).content.decode()
    # the review queue and the review step
    assert list(pl.needs_to_review(u["admin62"])) == []
    assert list(pl.needs_to_review(u["admin"])) == [pending]
    r = _client(u["admin62"]).post(
        reverse("libraries:need_review", kwargs={"pk": pending.pk}), {"decision": "publish"}
    )
    assert r.status_code == 404
    pending.refresh_from_db()
    assert pending.status == "submitted"
    # contracts: registered in 64, listed for 64's administrator only
    lib.register_contract(u["admin"], "HT-64-001", 120_000, dt.date(2025, 3, 1), XIJI)
    page = reverse("libraries:contracts")
    assert "HT-64-001" in _client(u["admin"]).get(page).content.decode()
    assert "HT-64-001" not in _client(u["admin62"]).get(page).content.decode()
    assert not pl.can_register_contract(u["admin62"], XIJI)
    assert pl.can_register_contract(u["admin62"], "620102")
    assert not pl.can_post_need(u["admin62"], XIJI) and pl.can_post_need(u["admin"], XIJI)


def test_achievements_and_talent_follow_their_owners_province(
    two_provinces: dict[str, Any],
) -> None:
    u = two_provinces
    item = achievement(u["viewer"], "马铃薯脱毒快繁技术")
    draft = lib.create_achievement(u["viewer"], "未发布的成果", abstract="摘要", discipline="210",
                                   trl=5, mode="转让", holder="某大学")  # fmt: skip
    assert pl.can_view_achievement(u["admin"], item) and pl.can_view_achievement(u["admin"], draft)
    assert not pl.can_view_achievement(u["admin62"], item)
    assert list(pl.visible_achievements(u["admin62"])) == []
    assert list(pl.visible_achievements(u["county"])) == [item]
    r = _client(u["admin62"]).post(reverse("libraries:achievement_publish", args=[draft.pk]))
    assert r.status_code == 404
    profile = talent.create_talent(u["viewer"], "王研究员", "脱毒种薯", contact="x")
    assert pl.can_publish_talent(u["admin"], profile)
    assert not pl.can_publish_talent(u["admin62"], profile)
    r = _client(u["admin62"]).post(reverse("libraries:talent_publish", args=[profile.pk]))
    assert r.status_code == 404
    talent.publish_talent(profile, u["viewer"])
    assert list(pl.visible_talent(u["admin62"])) == []
    assert [p.pk for p in pl.visible_talent(u["county"])] == [profile.pk]
    talent_page = reverse("libraries:talent")
    assert "王研究员" not in _client(u["admin62"]).get(talent_page).content.decode()
    assert "王研究员" in _client(u["county"]).get(talent_page).content.decode()


def test_calls_projects_and_collections_stay_in_their_province(
    two_provinces: dict[str, Any],
) -> None:
    u = two_provinces
    need = published_need(u)
    call = calls.create_call(need, u["county"], title="脱毒种薯快繁揭榜", budget=500_000,
                             deadline=LATER)  # fmt: skip
    calls.publish_call(call, u["county"])
    url = reverse("libraries:call", kwargs={"pk": call.pk})
    assert _client(u["admin62"]).get(url).status_code == 404
    assert _client(u["viewer"]).get(url).status_code == 200
    assert (
        "脱毒种薯快繁揭榜"
        not in _client(u["admin62"]).get(reverse("libraries:calls")).content.decode()
    )
    assert not pc.can_manage_call(u["admin62"], XIJI) and pc.can_manage_call(u["admin"], XIJI)
    project = projects.create_project(
        need, u["county"], title="脱毒种薯快繁项目", budget=300_000, starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2027, 12, 31), lead_unit="县农技中心",
    )  # fmt: skip
    purl = reverse("libraries:project", kwargs={"pk": project.pk})
    assert _client(u["admin62"]).get(purl).status_code == 404
    assert _client(u["admin"]).get(purl).status_code == 200
    assert list(pc.visible_projects(u["admin62"])) == []
    assert list(pc.visible_projects(u["viewer"])) == [project]
    public = reverse("libraries:projects_public")
    assert "脱毒种薯快繁项目" not in _client(u["admin62"]).get(public).content.decode()
    assert "脱毒种薯快繁项目" in Client().get(public).content.decode()
    assert "脱毒种薯快繁项目" not in Client().get(public + "?province=62").content.decode()
    assert "脱毒种薯快繁项目" in Client().get(public + "?province=64").content.decode()
    today = dt.date.today()
    col = col_svc.create_collection(u["department"], "先进适用技术成果征集", today.year, today,
                                    LATER)  # fmt: skip
    curl = reverse("libraries:collection", kwargs={"pk": col.pk})
    assert _client(u["admin62"]).get(curl).status_code == 404
    assert _client(u["viewer"]).get(curl).status_code == 200
    assert list(pc.visible_collections(u["admin62"])) == []
    assert list(pc.visible_collections(u["viewer"])) == [col]
    assert not pc.can_view_collection(u["admin62"], col)
    orphan = col_svc.create_collection(None, "无人开设的征集", today.year, today, LATER)
    assert orphan.created_by == ""  # opened by no account: no province's
    assert not pc.can_view_collection(u["norole"], orphan)
    lost = two_provinces["norole"]
    from cimon.store.accounts.models import VIEWER, Account
    from cimon.store.national.models import ProvinceMember

    Account.objects.create(user=lost, role=VIEWER)
    ProvinceMember.objects.filter(user=lost).delete()  # an account without a province
    assert not pc.can_view_collection(lost, orphan) and not pc.can_view_collection(lost, col)


def test_one_province_is_unchanged(users: dict[str, Any]) -> None:
    """Without CIMON_PROVINCES an account without a province sees every county's records."""
    need = published_need(users)
    assert pl.can_view_need(users["viewer"], need)
    assert list(pl.visible_needs(users["viewer"])) == [need]
    assert pl.library_import_regions(users["admin"]) is None
    assert pl.can_register_contract(users["admin"], "620102")


def test_pages_without_login_filter_by_province(two_provinces: dict[str, Any]) -> None:
    """Without login every province's published records; ``?province=CODE`` one province's,
    with a select of the hosted provinces (#20)."""
    from tests.store.libraries.test_collection import TODAY, reviewed

    u = two_provinces
    published_need(u)  # 64: 马铃薯种薯退化 …
    gs = lib.create_need(u["admin62"], "620102", "甘肃的需求：旱作节水。")
    lib.submit_need(gs, u["admin62"])
    lib.publish_need(gs, u["admin62"])
    achievement(u["viewer"], "宁夏的成果")
    achievement(u["admin62"], "甘肃的成果")
    for owner, name in ((u["viewer"], "宁夏研究员"), (u["admin62"], "甘肃研究员")):
        talent.publish_talent(talent.create_talent(owner, name, "专长", contact="x"), owner)
    col, _ = reviewed(u)  # its selected entry of 西吉县 (64): 马铃薯脱毒快繁
    col_svc.put_on_notice(col, u["department"])
    col_svc.publish_collection(col, u["department"], today=TODAY + dt.timedelta(days=7))
    anon = Client()

    def page(name: str, province: str = "") -> str:
        query = f"?province={province}" if province else ""
        return anon.get(reverse(name) + query).content.decode()

    every = page("libraries:public")
    assert 'name="province"' in every and "62 甘肃省" in every
    assert "马铃薯种薯退化" in every and "旱作节水" in every
    assert "宁夏的成果" in every and "甘肃的成果" in every
    only62 = page("libraries:public", "62")
    assert "旱作节水" in only62 and "甘肃的成果" in only62
    assert "马铃薯种薯退化" not in only62 and "宁夏的成果" not in only62
    only64 = page("libraries:public", "64")
    assert "旱作节水" not in only64 and "马铃薯种薯退化" in only64
    assert "旱作节水" in page("libraries:public", "99")  # not hosted: every province
    talent62 = page("libraries:talent", "62")
    assert "甘肃研究员" in talent62 and "宁夏研究员" not in talent62
    assert "宁夏研究员" in page("libraries:talent")
    assert "马铃薯脱毒快繁" in page("libraries:catalogue")
    assert "马铃薯脱毒快繁" not in page("libraries:catalogue", "62")
    assert {r.title for r in col_svc.catalogue(province="64")} == {"马铃薯脱毒快繁"}
    assert col_svc.catalogue(province="62") == []


def test_pages_without_login_single_province_have_no_filter(users: dict[str, Any]) -> None:
    published_need(users)
    html = Client().get(reverse("libraries:public") + "?province=62").content.decode()
    assert 'name="province"' not in html and "马铃薯种薯退化" in html
