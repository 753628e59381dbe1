"""The programme steps each role may take, per application status (#19): one answer, from
:func:`cimon.web.accounts.policy_programmes.programme_actions`, for the page's forms and for the
step it accepts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from cimon.store.programmes.models import STATUSES
from cimon.web.accounts.policy_programmes import programme_actions

pytestmark = pytest.mark.django_db

XIJI = "640422"  # 西吉县: the county clerk's and the expert's county

ADMIN_BEFORE = {"eligibility", "review", "notice", "designate", "reject"}
ADMIN_ALL = ADMIN_BEFORE | {
    "accept", "midterm", "site_review", "acceptance_decide", "acceptance_notice", "objection",
    "handle_objection", "acceptance_publish",
}  # fmt: skip
#: roles without a step on the application
NO_STEPS = ("county2", "department", "department2", "viewer", "city", "unit", "commissioner",
            "norole")  # fmt: skip
#: role → (before designation, designated without an acceptance, designated with one)
EXPECT: dict[str, tuple[set[str], set[str], set[str]]] = {
    "admin": (ADMIN_BEFORE, ADMIN_BEFORE | {"accept", "midterm"}, ADMIN_ALL),
    "county": ({"submit"}, {"submit", "progress", "accept"}, {"submit", "progress", "accept"}),
    "expert": ({"score"}, {"score"}, {"score", "acceptance_review"}),
    **{r: (set(), set(), set()) for r in NO_STEPS},
}


def _application(status: str, acceptance: bool = False) -> Any:
    from cimon.store.programmes.models import Acceptance, Application, Batch, Programme

    now = timezone.now()
    prog = Programme.objects.create(
        code=f"p-{status}-{acceptance}", name_zh="创新型县(市)", kind="own", created_at=now
    )
    batch = Batch.objects.create(programme=prog, year=2026, opens_on=date(2026, 1, 1),
                                 closes_on=date(2026, 12, 31), created_at=now)  # fmt: skip
    app = Application.objects.create(batch=batch, county=XIJI, status=status, created_at=now)
    if acceptance:
        Acceptance.objects.create(application=app, summary="自评", created_at=now)
    return app


@pytest.mark.parametrize("status", sorted(STATUSES))
def test_steps_per_role_and_status(users: dict[str, Any], status: str) -> None:
    app = _application(status)
    phase = 1 if status == "designated" else 0
    for name, user in users.items():
        assert programme_actions(user, app) == EXPECT[name][phase], (name, status)


def test_an_acceptance_brings_its_steps(users: dict[str, Any]) -> None:
    app = _application("designated", acceptance=True)
    for name, user in users.items():
        assert programme_actions(user, app) == EXPECT[name][2], name


def test_an_expert_of_the_units_county_does_not_review_the_acceptance(
    users: dict[str, Any],
) -> None:
    from cimon.store.accounts.models import Account

    app = _application("designated", acceptance=True)
    Account.objects.filter(user=users["expert"]).update(region_code=XIJI)
    assert programme_actions(users["expert"], app) == {"score"}
