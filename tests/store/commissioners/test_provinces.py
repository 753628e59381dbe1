"""The 科技特派员 assessment's year-wide steps and the selection calls on an instance hosting two
provinces (#20): a province's administrator computes, confirms, puts on 公示 and publishes the
rows of its own counties only, and sees and opens only its own province's calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.conftest import FW, REG, two_provinces  # noqa: F401  (a fixture)

from cimon.store.accounts.services import create_user
from cimon.store.commissioners import services as cs
from cimon.store.commissioners.models import Assessment

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
LANZHOU = "620102"


def test_year_wide_steps_stay_in_their_province(two_provinces: Any, world: Any) -> None:  # noqa: F811
    nx, gs = world["users"]["admin"], two_provinces["admin62"]
    rows = [
        {"commissioner_id": world["c1"].pk, "county_code": "640522", "score": 1, "grade": "不合格"},
        {"commissioner_id": world["c3"].pk, "county_code": LANZHOU, "score": 88, "grade": "良好"},
    ]  # fmt: skip
    # 62 stores its county's row only; 64's drafts are neither superseded nor rewritten
    assert cs.store_computed_assessments(2025, rows, gs) == (1, [])
    assert Assessment.objects.current().get(commissioner=world["c1"]).pk == world["a1"].pk
    gs_row = Assessment.objects.current().get(commissioner=world["c3"])
    assert gs_row.county_code == LANZHOU
    # 64's rows are reviewed: 62's "confirm all" leaves them alone, 64's confirms them
    for a in (world["a1"], world["a2"]):
        cs.county_review(a, world["users"]["county"])
    assert cs.province_confirm_all(2025, gs) == 0
    assert cs.province_confirm_all(2025, nx) == 2
    # 62's draft does not hold 64's notice back, and 64's notice is not 62's
    assert cs.put_assessments_on_notice(2025, nx, TODAY, today=TODAY) == 2
    with pytest.raises(cs.CommissionerError, match="1 assessment"):
        cs.put_assessments_on_notice(2025, gs, TODAY, today=TODAY)
    with pytest.raises(cs.CommissionerError, match="No assessment of 2025 is on notice"):
        cs.publish_assessments(2025, gs, today=TODAY + dt.timedelta(days=7))
    assert cs.publish_assessments(2025, nx, today=TODAY + dt.timedelta(days=7)) == 2
    assert Assessment.objects.current().get(pk=gs_row.pk).status == "draft"
    # an administrator without a province takes no province-wide step
    nobody, _ = create_user("noprov", "admin", framework=FW, registry=REG)
    with pytest.raises(cs.CommissionerError, match="has none"):
        cs.province_confirm_all(2025, nobody)


def test_a_moved_commissioner_keeps_one_current_row(two_provinces: Any, world: Any) -> None:  # noqa: F811
    gs = two_provinces["admin62"]
    row = {"commissioner_id": world["c2"].pk, "county_code": LANZHOU, "score": 60, "grade": "合格"}
    assert cs.store_computed_assessments(2025, [row], gs) == (1, [])
    now = Assessment.objects.current().get(commissioner=world["c2"])
    assert now.county_code == LANZHOU and now.pk != world["a2"].pk
    assert Assessment.objects.current().get(commissioner=world["c1"]).pk == world["a1"].pk


def test_compute_assesses_the_province_counties_only(two_provinces: Any, world: Any) -> None:  # noqa: F811
    from cimon.store.commissioners.assessing import compute_assessments

    before = set(Assessment.objects.current().values_list("pk", flat=True))
    scored, stored, _ = compute_assessments(2025, two_provinces["admin62"])
    assert stored == 0 and len(scored) == 0  # 62 has no dispatch: 64's rows untouched
    assert set(Assessment.objects.current().values_list("pk", flat=True)) == before
    _, stored, _ = compute_assessments(2025, world["users"]["admin"])
    assert stored > 0


def test_selection_calls_stay_in_their_province(two_provinces: Any, world: Any) -> None:  # noqa: F811
    nx, gs = world["users"]["admin"], two_provinces["admin62"]
    mine = cs.open_call(gs, 2026, "甘肃选认")
    theirs = cs.open_call(nx, 2026, "宁夏选认")
    assert (mine.province, theirs.province) == ("62", "64")
    assert list(cs.calls_of(gs)) == [mine]
    assert theirs in cs.calls_of(nx) and mine not in cs.calls_of(nx)
    c = Client()
    c.force_login(gs)
    assert c.get(reverse("commissioners:call", args=[theirs.pk])).status_code == 404
    assert c.get(reverse("commissioners:call", args=[mine.pk])).status_code == 200
    page = c.get(reverse("commissioners:calls")).content.decode()
    assert "甘肃选认" in page and "宁夏选认" not in page


def test_single_province_calls_are_everyone_s(world: Any) -> None:
    call = cs.open_call(world["users"]["admin"], 2026, "选认")
    assert call.province == "" and call in cs.calls_of(world["users"]["admin"])
