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
