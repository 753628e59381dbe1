"""The 科技特派员 pages on an instance hosting two provinces (#20): an administrator of 62 sees
none of 64's commissioners, dispatches, services, units or assessments, is refused their pages
(404) and may not add a unit or propose a dispatch in 64; 64's administrator as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.commissioners.test_pages import world  # noqa: F401  (a fixture)
from tests.web.conftest import XIJI

from cimon.store.commissioners import policy
from cimon.store.commissioners import services as comm
from cimon.store.commissioners.models import DispatchUnit

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_records_stay_in_their_province(two_provinces: dict[str, Any], world: Any) -> None:  # noqa: F811
    u, w = two_provinces, world
    gs, nx = u["admin62"], u["admin"]
    for kind in ("commissioner", "dispatch", "service"):
        assert not policy.visible(gs, kind).exists(), kind
        assert policy.visible(nx, kind).exists(), kind
    for obj in (w["me"], w["mine_d"], w["mine_r"]):
        assert not policy.can_view(gs, obj) and policy.can_view(nx, obj)
        assert policy.actions(gs, obj) == frozenset()
    pages = [reverse("commissioners:dispatch", args=[w["mine_d"].pk]),
             reverse("commissioners:service", args=[w["mine_r"].pk]),
             reverse("commissioners:person", args=[w["me"].pk]),
             reverse("commissioners:monitor_county", args=[XIJI])]  # fmt: skip
    for url in pages:
        assert _client(gs).get(url).status_code == 404, url
        assert _client(nx).get(url).status_code == 200, url
    listing = _client(gs).get(reverse("commissioners:services")).content.decode()
    assert "马特派" not in listing and "李特派" not in listing
    assert "马特派" in _client(nx).get(reverse("commissioners:services")).content.decode()
    # a dispatch into a county of another province is refused, even for an administrator
    assert not policy.can_create(nx, "dispatch", commissioner=w["me"], county_code="620102")
    assert policy.can_create(nx, "dispatch", commissioner=w["me"], county_code=XIJI)
    assert not policy.can_create(gs, "dispatch", commissioner=w["me"], county_code="620102")


def test_units_stay_in_their_province(two_provinces: dict[str, Any]) -> None:
    u = two_provinces
    nx_unit = comm.create_unit(None, "固原市农科所", "institute", "640402")
    gs_unit = comm.create_unit(None, "甘肃农业大学", "university", "620102")
    assert list(policy.visible_units(u["admin62"])) == [gs_unit]
    assert list(policy.visible_units(u["admin"])) == [nx_unit]
    page = _client(u["admin62"]).get(reverse("commissioners:units")).content.decode()
    assert "甘肃农业大学" in page and "固原市农科所" not in page
    r = _client(u["admin62"]).post(reverse("commissioners:units"),
                                   {"name": "宁夏某单位", "kind": "other", "region_code": XIJI})  # fmt: skip
    assert r.status_code == 403 and not DispatchUnit.objects.filter(name="宁夏某单位").exists()
    r = _client(u["admin62"]).post(reverse("commissioners:units"),
                                   {"name": "兰州某单位", "kind": "other", "region_code": "620102"})  # fmt: skip
    assert r.status_code == 302 and DispatchUnit.objects.filter(name="兰州某单位").exists()


def test_one_province_is_unchanged(users: dict[str, Any], world: Any) -> None:  # noqa: F811
    assert policy.can_view(users["admin"], world["mine_d"])
    assert policy.visible_units(users["admin"]).count() == DispatchUnit.objects.count()
    assert policy.can_create_unit(users["admin"], "")
