"""The QuerySets of the store's models (issue #15): what each role's account sees, and what is
current. The web's policy builds on these (tests/web/accounts/test_policy.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from tests.web.conftest import XIJI, YUANZHOU, MakeSub, rec

from cimon.store.accounts.models import Account
from cimon.store.evaluations.models import Evaluation, Publication
from cimon.store.submissions.models import Observation, Submission
from cimon.store.submissions.services import store_submission

pytestmark = pytest.mark.django_db


def _account(user: Any) -> Account | None:
    return Account.objects.filter(user=user).first()


def _publications(admin: Any) -> tuple[Publication, Publication]:
    now = timezone.now()
    ev = Evaluation.objects.create(
        evaluation_year=2025, framework_id="nx-2021", data_as_of=now, created_at=now
    )
    old = Publication.objects.create(
        evaluation_year=2025, version=1, evaluation=ev, published_at=now, superseded_at=now
    )
    new = Publication.objects.create(
        evaluation_year=2025, version=2, evaluation=ev, published_at=now
    )
    return old, new


def test_publications_by_role(users: dict[str, Any]) -> None:
    old, new = _publications(users["admin"])
    assert list(Publication.objects.current()) == [new]
    assert Publication.objects.of_year(2025) == new
    assert Publication.objects.of_year(2025, 1) == old
    assert Publication.objects.of_year(2024) is None
    seen = {
        who: set(Publication.objects.visible_to(_account(users[who])))
        for who in ("admin", "viewer", "county", "norole")
    }
    assert seen == {"admin": {old, new}, "viewer": {new}, "county": {new}, "norole": set()}


def test_evaluations_are_seen_by_administrators_only(users: dict[str, Any]) -> None:
    _publications(users["admin"])
    assert Evaluation.objects.visible_to(_account(users["admin"])).count() == 1
    for who in ("department", "county", "expert", "viewer", "norole"):
        assert not Evaluation.objects.visible_to(_account(users[who])).exists()


def test_current_submissions_and_observations(users: dict[str, Any], make_sub: MakeSub) -> None:
    first = store_submission(make_sub([rec(XIJI, "rd_exp", 1.0)]), b"1")
    store_submission(make_sub([rec(XIJI, "rd_exp", 1.0)], errors=["value.not_number"]), b"2")
    assert list(Submission.objects.current()) == [Submission.objects.get(pk=first.submission_id)]
    year = Submission.objects.get(pk=first.submission_id).data_year
    assert Submission.objects.current(year).count() == 1
    assert Submission.objects.current(year + 1).count() == 0
    store_submission(make_sub([rec(XIJI, "rd_exp", 2.0), rec(YUANZHOU, "rd_exp", 3.0)]), b"3")
    assert Observation.objects.count() == 3
    assert sorted(Observation.objects.current().values_list("value", flat=True)) == [2.0, 3.0]
    # the first submission's only value was superseded: it is no longer current
    assert Submission.objects.current().count() == 1
    assert Submission.objects.visible_to(_account(users["admin"])).count() == 3
    assert not Submission.objects.visible_to(_account(users["viewer"])).exists()
    assert not Submission.objects.visible_to(None).exists()
