"""The evaluations pages on an instance hosting two provinces (#20): the list shows an
administrator its province's runs and versions only; another province's run is refused (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.store.national.test_hosting import _publish

from cimon.store.national.hosting import tag_evaluation
from cimon.web.accounts import policy

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_runs_and_versions_stay_in_their_province(two_provinces: dict[str, Any]) -> None:
    u = two_provinces
    ev64, _ = _publish(2025, 1)
    ev62, _ = _publish(2024, 1)
    tag_evaluation(ev64, "64")
    tag_evaluation(ev62, "62")
    assert list(policy.visible_evaluations(u["admin62"])) == [ev62]
    assert list(policy.visible_evaluations(u["admin"])) == [ev64]
    assert list(policy.visible_evaluations(u["viewer"])) == []
    gs, nx = _client(u["admin62"]), _client(u["admin"])
    assert gs.get(f"/evaluations/{ev64.pk}/").status_code == 404
    assert nx.get(f"/evaluations/{ev64.pk}/").status_code == 200
    index = gs.get("/evaluations/").content.decode()
    assert f"/evaluations/{ev62.pk}/" in index and f"/evaluations/{ev64.pk}/" not in index
    assert "/results/2024/" in index and "/results/2025/" not in index
    assert policy.can_view_derived(u["admin"], ev64.pk)
    assert not policy.can_view_derived(u["admin62"], ev64.pk)


def test_run_form_proposes_the_province_year(two_provinces: dict[str, Any], make_sub: Any) -> None:
    """The run form's year is the account's province's: 64 has stored data (the latest year
    they support), 62 none (this calendar year)."""
    from django.utils import timezone
    from tests.web.conftest import FW, REG

    from cimon.intake.submission import Record
    from cimon.store.evaluations.running import default_year
    from cimon.store.submissions.services import store_submission

    rows = [Record(c, 2021, v.code, 3.0) for c in REG.codes for v in FW.variables]
    store_submission(make_sub(rows, file_name="模拟数据.csv", kind="freeform"), b"synthetic")
    assert default_year("62") == timezone.localdate().year != default_year("64")
    for user, code in ((two_provinces["admin62"], "62"), (two_provinces["admin"], "64")):
        resp = _client(user).get("/evaluations/")
        assert resp.context["year"] == default_year(code), code
