"""The programmes on an instance hosting two provinces (#20): an administrator of 62 sees none
of 64's applications, cases and uploaded plans, is refused their pages (404) and may take no
step on them; 64's accounts see them as before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cimon.store.programmes import cases as C
from cimon.store.programmes import services
from cimon.store.programmes.models import Application
from cimon.web.accounts import policy_plans as pplans
from cimon.web.accounts import policy_programmes as pp

pytestmark = pytest.mark.django_db
TARGETS = [{"code": "T1", "name": "高新技术企业数", "kind": "zero_break", "params": {},
            "baseline": 0, "deadline": 2028, "units": ["科技局"]}]  # fmt: skip


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_applications_stay_in_their_province(two_provinces: dict[str, Any]) -> None:
    u = two_provinces
    today = timezone.localdate()
    batch = services.open_batch(None, services.define_programme("innovative-county"), today.year,
                                today, today + timedelta(days=30))  # fmt: skip
    app = services.apply(u["county"], batch, u["county"].account.region_code, theme="产业发展",
                         base_year=2025, budget_yuan=800000, targets=TARGETS)  # fmt: skip
    services.submit(u["county"], app)
    gs = Application.objects.create(batch=batch, county="620102", status="submitted",
                                    created_at=app.created_at)  # fmt: skip
    url = reverse("programmes:application", args=[app.pk])
    assert _client(u["admin62"]).get(url).status_code == 404
    assert _client(u["admin"]).get(url).status_code == 200
    assert list(pp.visible_applications(u["admin62"])) == [gs]
    assert list(pp.visible_applications(u["admin"])) == [app]
    assert pp.programme_actions(u["admin62"], app) == set()
    assert "eligibility" in pp.programme_actions(u["admin"], app)
    step = _client(u["admin62"]).post(reverse("programmes:step", args=[app.pk]),
                                      {"action": "eligibility"})  # fmt: skip
    assert step.status_code == 404
    app.refresh_from_db()
    assert app.status == "submitted"
    index = _client(u["admin62"]).get(reverse("programmes:index")).content.decode()
    assert f"/programmes/applications/{app.pk}/" not in index


def test_cases_and_plans_stay_in_their_province(two_provinces: dict[str, Any]) -> None:
    from tests.store.programmes.test_target_stored import PLAN

    from cimon.store.programmes import target_plans as TP

    u = two_provinces
    case = C.add_case(u["admin"], "西吉县的经验", "640422", "产业", "正文")
    gs = C.add_case(u["admin62"], "甘肃的经验", "620102", "产业", "正文")
    assert _client(u["admin62"]).get(reverse("programmes:case", args=[case.pk])).status_code == 404
    assert _client(u["admin"]).get(reverse("programmes:case", args=[case.pk])).status_code == 200
    assert list(pp.visible_cases(u["admin62"])) == [gs]
    assert not pp.can_edit_case(u["admin62"], case) and pp.can_edit_case(u["admin"], case)
    C.publish_case(u["admin"], case)
    assert list(pp.visible_cases(u["admin62"])) == [gs]  # published: still 64's only
    assert case in pp.visible_cases(u["viewer"]) and gs not in pp.visible_cases(u["viewer"])
    tp = TP.upload_plan(u["admin"], PLAN.encode(), "plan.yaml")
    url = reverse("programmes:target_plan", args=[tp.pk])
    assert _client(u["admin62"]).get(url).status_code == 404
    assert _client(u["viewer"]).get(url).status_code == 200
    assert list(pplans.visible_target_plans(u["admin62"])) == []
    assert pplans.reportable(u["admin62"], tp) == [] and pplans.reportable(u["admin"], tp)
    listing = _client(u["admin62"]).get(reverse("programmes:target_plans")).content.decode()
    assert f"/programmes/target-plans/{tp.pk}/" not in listing


def test_public_cases_filter_by_province(two_provinces: dict[str, Any]) -> None:
    u = two_provinces
    C.publish_case(u["admin"], C.add_case(u["admin"], "西吉县的经验", "640422", "产业", "正文"))
    C.publish_case(u["admin62"], C.add_case(u["admin62"], "甘肃的经验", "620102", "产业", "正文"))
    anon = Client()
    every = anon.get(reverse("programmes:public_cases")).content.decode()
    assert "西吉县的经验" in every and "甘肃的经验" in every and 'name="province"' in every
    only62 = anon.get(reverse("programmes:public_cases") + "?province=62").content.decode()
    assert "甘肃的经验" in only62 and "西吉县的经验" not in only62
