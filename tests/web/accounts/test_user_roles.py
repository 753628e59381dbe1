"""The user form's newer roles (#17): a 派出单位 account chooses its DispatchUnit, a 科技特派员
account chooses the commissioner record it is linked to; errors name the field in zh and en."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cimon.store.accounts.models import Account
from cimon.store.commissioners import services as comm
from cimon.store.commissioners.models import Commissioner
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db


def _admin(users: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(users["admin"])
    return c


@pytest.fixture
def free(users: dict[str, Any]) -> Commissioner:
    """A commissioner without an account."""
    return comm.create_commissioner(
        None, unit=None, status="active", name="李特派", institution="宁夏大学"
    )


def test_the_form_offers_units_and_free_commissioners(
    users: dict[str, Any], free: Commissioner
) -> None:
    r = _admin(users).get("/accounts/users/new/")
    html = r.content.decode()
    assert r.status_code == 200
    assert '<option value="宁夏农林科学院">宁夏农林科学院</option>' in html
    assert f'<option value="{free.pk}">#{free.pk} 李特派（宁夏大学）</option>' in html
    linked = Commissioner.objects.get(user=users["commissioner"])
    assert f'<option value="{linked.pk}">' not in html  # has an account already


def test_create_a_unit_account_from_the_page(users: dict[str, Any]) -> None:
    r = _admin(users).post(
        "/accounts/users/new/", {"username": "nky2", "role": "unit", "unit": "宁夏农林科学院"}
    )
    assert r.status_code == 200 and "一次性" in r.content.decode()
    acct = Account.objects.get(user__username="nky2")
    assert acct.role == "unit" and acct.unit is not None and acct.unit.name == "宁夏农林科学院"
    event = AuditEvent.objects.filter(action="user.created", object_id=str(acct.user_id)).get()
    assert event.detail["new"]["unit"] == "宁夏农林科学院"


def test_create_a_commissioner_account_linked_to_its_record(
    users: dict[str, Any], free: Commissioner
) -> None:
    r = _admin(users).post(
        "/accounts/users/new/",
        {"username": "li", "role": "commissioner", "commissioner": str(free.pk)},
    )
    assert r.status_code == 200
    user = get_user_model().objects.get(username="li")
    free.refresh_from_db()
    assert free.user_id == user.pk and Account.objects.get(user=user).role == "commissioner"
    assert AuditEvent.objects.filter(action="commissioner.link", object_id=str(free.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field", "zh", "en"),
    [
        ({"role": "unit"}, "unit", "派出单位：派出单位账号必须选择", "required for a unit account"),
        (
            {"role": "viewer", "unit": "宁夏农林科学院"},
            "unit",
            "派出单位：只有派出单位账号需要",
            "only for unit accounts",
        ),
        (
            {"role": "unit", "unit": "不存在的单位"},
            "unit",
            "派出单位：“不存在的单位”不是已登记的派出单位",
            "'不存在的单位' is not a registered unit",
        ),
        (
            {"role": "commissioner"},
            "commissioner",
            "关联的科技特派员：科技特派员账号必须选择",
            "must choose its own record",
        ),
        (
            {"role": "viewer", "commissioner": "FREE"},
            "commissioner",
            "关联的科技特派员：只有科技特派员账号需要",
            "only for commissioner accounts",
        ),
        (
            {"role": "commissioner", "commissioner": "LINKED"},
            "commissioner",
            "不存在或已关联其他账号",
            "does not exist or has an account already",
        ),
    ],
)
def test_errors_name_the_field_in_both_languages(
    users: dict[str, Any], free: Commissioner, data: dict[str, str], field: str, zh: str, en: str
) -> None:
    linked = Commissioner.objects.get(user=users["commissioner"])
    post = {"username": "newbie", **data}
    if post.get("commissioner") == "FREE":
        post["commissioner"] = str(free.pk)
    if post.get("commissioner") == "LINKED":
        post["commissioner"] = str(linked.pk)
    r = _admin(users).post("/accounts/users/new/", post)
    assert r.status_code == 200
    errors = " ".join(r.context["form"].errors.get(field, []))
    html = r.content.decode()
    assert en in errors and zh in errors, errors
    assert len(r.context["form"].errors[field]) == 1  # one error, the one that says what to do
    assert "关联的科技特派员" in html and "派出单位" in html
    assert not get_user_model().objects.filter(username="newbie").exists()
    free.refresh_from_db()
    assert free.user_id is None


def test_edit_links_once_and_never_moves_the_link(
    users: dict[str, Any], free: Commissioner
) -> None:
    target = users["viewer"]
    admin = _admin(users)
    r = admin.post(
        f"/accounts/users/{target.pk}/", {"role": "commissioner", "commissioner": str(free.pk)}
    )
    assert r.status_code == 302
    free.refresh_from_db()
    assert free.user_id == target.pk
    # the edit page shows the link; saving again keeps it
    page = admin.get(f"/accounts/users/{target.pk}/").content.decode()
    assert f'<option value="{free.pk}" selected>' in page
    r = admin.post(
        f"/accounts/users/{target.pk}/",
        {"role": "commissioner", "commissioner": str(free.pk), "display_name": "李"},
    )
    assert r.status_code == 302
    # another commissioner: refused, the link stays
    other = comm.create_commissioner(None, unit=None, status="active", name="王特派")
    r = admin.post(
        f"/accounts/users/{target.pk}/", {"role": "commissioner", "commissioner": str(other.pk)}
    )
    assert r.status_code == 200
    errors = " ".join(r.context["form"].errors["commissioner"])
    assert "关联不能改到另一位" in errors and "cannot be moved" in errors
    other.refresh_from_db()
    free.refresh_from_db()
    assert other.user_id is None and free.user_id == target.pk


def test_edit_a_user_into_a_unit_account(users: dict[str, Any]) -> None:
    target = users["viewer"]
    r = _admin(users).post(
        f"/accounts/users/{target.pk}/", {"role": "unit", "unit": "宁夏农林科学院"}
    )
    assert r.status_code == 302
    acct = Account.objects.get(user=target)
    assert acct.role == "unit" and acct.unit is not None
    page = _admin(users).get(f"/accounts/users/{target.pk}/").content.decode()
    assert '<option value="宁夏农林科学院" selected>' in page
