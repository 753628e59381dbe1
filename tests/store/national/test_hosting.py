"""Two provinces in one instance (#20 item 3): the setting, each province's registry and
framework, and who sees which evaluation and publication (object-level)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cimon.errors import CimonError
from cimon.store.national.hosting import (
    HostedProvince,
    hosted,
    parse_provinces,
    province_registry,
    tag_evaluation,
)
from cimon.store.national.models import ProvinceMember
from cimon.web.accounts import policy

pytestmark = pytest.mark.django_db
TWO = "64:nx-2021:nx-2021,62:nx-2021-gs:gs-rules"


def test_parse_provinces() -> None:
    assert parse_provinces("") == {}
    p = parse_provinces(TWO)
    assert p["62"] == HostedProvince("62", "nx-2021-gs", "gs-rules") and list(p) == ["64", "62"]
    for bad in ("64:nx-2021", "6:a:b", "64:a:b,64:c:d", "xx:a:b"):
        with pytest.raises(CimonError, match="CIMON_PROVINCES"):
            parse_provinces(bad)


def test_province_registry() -> None:
    assert len(province_registry("64")) == 22 and len(province_registry("62")) == 86
    assert {r.province for r in province_registry("62")} == {"甘肃省"}
    with pytest.raises(CimonError):
        province_registry("99")


def _publish(year: int, version: int) -> Any:
    from cimon.store.evaluations.models import PUBLISHED, Evaluation, Publication

    now = timezone.now()
    ev = Evaluation.objects.create(evaluation_year=year, framework_id="nx-2021", data_as_of=now,
                                   created_at=now, status=PUBLISHED, progress=100)  # fmt: skip
    pub = Publication.objects.create(evaluation_year=year, version=version, evaluation=ev,
                                     results=[], class_counts={}, published_at=now)  # fmt: skip
    return ev, pub


def test_two_provinces_see_only_their_own(users: dict[str, Any], settings: Any) -> None:
    from cimon.store.accounts.services import create_user

    ev64, pub64 = _publish(2025, 1)
    ev62, pub62 = _publish(2024, 1)  # rows made directly (province ""): see test_provinces.py
    admin, viewer = users["admin"], users["viewer"]
    from tests.web.conftest import FW, PASSWORD, REG

    admin62, _ = create_user("gs-admin", "admin", framework=FW, registry=REG, password=PASSWORD)
    # one province (the default): nothing changes
    assert hosted() == {}
    assert policy.can_view_evaluation(admin, ev62) and policy.can_view_evaluation(admin62, ev64)
    assert set(policy.visible_publications(viewer)) == {pub64, pub62}
    # two provinces: each account and each evaluation belongs to one
    settings.CIMON_PROVINCES = TWO
    assert sorted(hosted()) == ["62", "64"]
    tag_evaluation(ev64, "64")
    tag_evaluation(ev62, "62")
    with pytest.raises(CimonError):
        tag_evaluation(ev62, "11")  # not hosted
    for user, code in ((admin, "64"), (viewer, "64"), (admin62, "62")):
        ProvinceMember.objects.create(user=user, province=code)
    assert policy.can_view_evaluation(admin, ev64) and not policy.can_view_evaluation(admin, ev62)
    assert policy.can_view_evaluation(admin62, ev62) and not policy.can_view_evaluation(
        admin62, ev64
    )
    assert policy.can_view_publication(viewer, pub64) and not policy.can_view_publication(
        viewer, pub62
    )
    assert list(policy.visible_publications(viewer)) == [pub64]
    assert list(policy.visible_publications(admin62)) == [pub62]
    # an account without a province sees no province's data
    assert not policy.can_view_publication(users["county"], pub64)
    assert list(policy.visible_publications(users["county"])) == []


@pytest.mark.django_db
def test_scoped_by_code_and_visible_codes(settings: Any, django_user_model: Any) -> None:
    from cimon.store.national.hosting import scoped_by_code, visible_codes
    from cimon.store.national.models import ProvinceMember
    from cimon.store.submissions.models import Submission

    user = django_user_model.objects.create_user("p64", password="x")
    codes = ["640101", "620102", "640522"]
    settings.CIMON_PROVINCES = ""
    assert visible_codes(user, codes) == codes
    qs = Submission.objects.all()
    assert scoped_by_code(user, qs) is qs
    settings.CIMON_PROVINCES = "64:nx-2021:nx-2021,62:nx-2021:nx-2021"
    assert visible_codes(user, codes) == []  # no province: nothing
    assert list(scoped_by_code(user, qs)) == []
    assert "WHERE" not in str(qs.query)
    ProvinceMember.objects.create(user=user, province="64")
    assert visible_codes(user, codes) == ["640101", "640522"]
    sql = str(scoped_by_code(user, qs).query)
    assert "LIKE 64%" in sql.replace("\\", "")
