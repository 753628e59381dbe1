"""The user-management page on an instance hosting two provinces (#20 item 4): a select of the
hosted provinces (only then), a province's administrator lists, changes and creates accounts
of its own province only (another's: 404, or refused), a superuser any."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cimon.store.national.hosting import user_province

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _new(c: Client, name: str, **extra: str) -> Any:
    return c.post("/accounts/users/new/", {"username": name, "role": "viewer", **extra})


def test_no_province_select_on_one_province(users: dict[str, Any]) -> None:
    page = _client(users["admin"]).get("/accounts/users/new/").content.decode()
    assert 'name="province"' not in page and "所属省份" not in page
    r = _new(_client(users["admin"]), "plain", province="62")  # ignored: there is no field
    assert (
        r.status_code == 200
        and user_province(get_user_model().objects.get(username="plain")) is None
    )


def test_a_province_admin_manages_its_own_province_only(two_provinces: dict[str, Any]) -> None:
    u = two_provinces
    gs = _client(u["admin62"])
    page = gs.get("/accounts/users/new/").content.decode()
    options = re.findall(r'<option value="(\d\d)"', page)
    assert options == ["62"] and "62 甘肃省" in page
    # the list: its own accounts only
    listing = gs.get("/accounts/users/").content.decode()
    assert "<td>gs-admin</td>" in listing and "<td>xiji</td>" not in listing
    assert "<td>xiji</td>" in _client(u["admin"]).get("/accounts/users/").content.decode()
    # another province's account: not found, nothing changed
    xiji = u["county"]
    assert gs.get(f"/accounts/users/{xiji.pk}/").status_code == 404
    assert gs.post(f"/accounts/users/{xiji.pk}/active/", {"active": "0"}).status_code == 404
    assert gs.post(f"/accounts/users/{xiji.pk}/password/").status_code == 404
    xiji.refresh_from_db()
    assert xiji.is_active
    # creating in 64 is refused (not a choice), and without a province too; in 62 it works
    r = _new(gs, "nx-viewer", province="64")
    assert r.status_code == 200 and "不是您可以设置的省份" in r.content.decode()
    r = _new(gs, "no-province")
    assert "所属省份：请选择" in r.content.decode()
    assert not get_user_model().objects.filter(username__in=["nx-viewer", "no-province"]).exists()
    r = _new(gs, "gs-viewer", province="62")
    assert r.status_code == 200 and "password" in r.content.decode()
    assert user_province(get_user_model().objects.get(username="gs-viewer")) == "62"


def test_a_county_outside_the_province_is_refused_and_nothing_written(
    two_provinces: dict[str, Any],
) -> None:
    u = two_provinces
    root = get_user_model().objects.create_superuser("root", password="x")
    from cimon.store.accounts.models import ADMIN, Account
    from cimon.store.national.models import ProvinceMember

    Account.objects.create(user=root, role=ADMIN)
    ProvinceMember.objects.create(user=root, province="64")
    c = _client(root)
    options = re.findall(r'<option value="(\d\d)"', c.get("/accounts/users/new/").content.decode())
    assert options == ["62", "64"]  # a superuser: every hosted province
    r = _new(c, "xiji2", role="county", region="640422", province="62")
    assert "640422" in r.content.decode() and "62" in r.content.decode()
    assert not get_user_model().objects.filter(username="xiji2").exists()  # all or nothing
    # moving a 64 account to 62 from its edit page
    viewer = u["viewer"]
    page = c.get(f"/accounts/users/{viewer.pk}/").content.decode()
    assert re.search(r'<option value="64" selected>', page)
    r = c.post(f"/accounts/users/{viewer.pk}/", {"role": "viewer", "province": "62"})
    assert r.status_code == 302 and user_province(viewer) == "62"
