"""The policy module: its queryset and its predicate agree on every submission and user."""

from __future__ import annotations

from typing import Any

import pytest

from cimon.web.accounts import policy

from ..test_permissions import objects  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_visible_submissions_agrees_with_can_view(
    users: dict[str, Any],
    objects: dict[str, int],  # noqa: F811
) -> None:
    from cimon.store.submissions.models import Submission

    for user in users.values():
        listed = set(policy.visible_submissions(user).values_list("pk", flat=True))
        for sub in Submission.objects.all():
            assert (sub.pk in listed) == policy.can_view_submission(user, sub), (user, sub)


def test_inactive_users_have_no_role(users: dict[str, Any]) -> None:
    admin = users["admin"]
    admin.is_active = False
    admin.save()
    assert policy.role(admin) is None
    assert not policy.can_manage(admin)
    assert not policy.visible_submissions(admin).exists()


def test_scopes(users: dict[str, Any]) -> None:
    assert policy.submission_scope(users["department"]) == policy.Scope(
        "department", department="统计局"
    )
    assert policy.submission_scope(users["county"]) == policy.Scope(
        "county", department="县", region_code="640422"
    )
    assert policy.submission_scope(users["expert"]) == policy.Scope(
        "expert", expert="张专家", regions=("640422",)
    )
    assert policy.submission_scope(users["viewer"]) is None
    assert policy.submission_scope(users["norole"]) is None
