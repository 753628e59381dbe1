"""User management pages: list, create with a one-time password, change role and scope,
deactivate and reactivate, reset a password; every change audited old → new; admins only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cimon.store.accounts.models import Account, ExpertAssignment
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db


def _admin(users: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(users["admin"])
    return c


def _can_log_in(username: str, password: str) -> bool:
    r = Client().post("/accounts/login/", {"username": username, "password": password})
    return r.status_code == 302


def _password(html: str) -> str:
    found = re.search(r'<code class="password">([^<]+)</code>', html)
    assert found, html
    return found.group(1)


def test_list_shows_roles_and_scopes(users: dict[str, Any]) -> None:
    text = _admin(users).get("/accounts/users/").content.decode()
    for name in ("admin", "tongji", "xiji", "zhang", "viewer", "norole"):
        assert f"<td>{name}</td>" in text
    assert "统计局" in text and "西吉县" in text and "无角色" in text


def test_create_shows_a_one_time_password_that_works(users: dict[str, Any]) -> None:
    c = _admin(users)
    r = c.post(
        "/accounts/users/new/",
        {
            "username": "lishi",
            "display_name": "李四",
            "role": "expert",
            "assign": ["640422", "640402"],
        },
    )
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    password = _password(r.content.decode())
    user = get_user_model().objects.get(username="lishi")
    assert user.check_password(password)
    assert sorted(
        ExpertAssignment.objects.filter(expert=user).values_list("region_code", flat=True)
    ) == [
        "640402",
        "640422",
    ]
    assert _can_log_in("lishi", password)
    event = AuditEvent.objects.get(action="user.created", object_id=str(user.pk))
    assert event.user == "admin" and event.detail["new"]["role"] == "expert"
    assert password not in str(event.detail)  # never in the log
    # the password is not shown again anywhere
    assert password not in c.get("/accounts/users/").content.decode()


@pytest.mark.parametrize(
    ("data", "field", "zh"),
    [
        ({"username": "a", "role": "department"}, "department", "报送部门"),
        ({"username": "a", "role": "county"}, "region", "县（市、区）"),
        ({"username": "a", "role": "viewer", "assign": ["640422"]}, "assign", "专家评分的县"),
        ({"username": "", "role": "viewer"}, "username", "用户名"),
        ({"username": "tongji", "role": "viewer"}, None, "已存在"),
    ],
)
def test_create_errors_name_the_field(
    users: dict[str, Any], data: dict[str, Any], field: str | None, zh: str
) -> None:
    before = get_user_model().objects.count()
    r = _admin(users).post("/accounts/users/new/", data)
    assert r.status_code == 200
    form = r.context["form"]
    errors = form.errors.get(field or "__all__")
    assert errors and zh in " ".join(errors)
    assert get_user_model().objects.count() == before


def test_edit_changes_role_and_scope_audited_old_to_new(users: dict[str, Any]) -> None:
    target = users["county2"]
    r = _admin(users).post(
        f"/accounts/users/{target.pk}/",
        {"role": "department", "department": "财政厅", "display_name": "王五"},
    )
    assert r.status_code == 302
    acct = Account.objects.get(user=target)
    assert (acct.role, acct.department, acct.region_code) == ("department", "财政厅", "")
    event = AuditEvent.objects.filter(action="user.changed", object_id=str(target.pk)).last()
    assert event is not None
    assert event.detail["old"]["role"] == "county" and event.detail["new"]["role"] == "department"
    assert event.detail["old"]["region_code"] == "640402"


def test_deactivate_and_reactivate(users: dict[str, Any]) -> None:
    c, target = _admin(users), users["viewer"]
    assert c.post(f"/accounts/users/{target.pk}/active/", {"active": "0"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert not _can_log_in("viewer", "correct-horse-battery-9")
    c.post(f"/accounts/users/{target.pk}/active/", {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    changes = [
        (e.detail["old"]["active"], e.detail["new"]["active"])
        for e in AuditEvent.objects.filter(action="user.changed", object_id=str(target.pk))
    ]
    assert changes == [(True, False), (False, True)]


def test_admin_cannot_lock_itself_out(users: dict[str, Any]) -> None:
    c, me = _admin(users), users["admin"]
    r = c.post(f"/accounts/users/{me.pk}/active/", {"active": "0"}, follow=True)
    assert "不能停用自己的账户" in r.content.decode()
    me.refresh_from_db()
    assert me.is_active
    r = c.post(f"/accounts/users/{me.pk}/", {"role": "viewer"})
    assert r.status_code == 200 and "不能取消自己的管理员角色" in r.content.decode()
    assert Account.objects.get(user=me).role == "admin"


def test_reset_password_once_and_audited(users: dict[str, Any]) -> None:
    target = users["county"]
    r = _admin(users).post(f"/accounts/users/{target.pk}/password/")
    password = _password(r.content.decode())
    assert _can_log_in("xiji", password)
    assert not _can_log_in("xiji", "correct-horse-battery-9")
    assert AuditEvent.objects.filter(
        action="user.password_reset", object_id=str(target.pk)
    ).exists()


@pytest.mark.parametrize("role", ["department", "county", "expert", "viewer", "norole"])
def test_others_get_403_and_change_nothing(users: dict[str, Any], role: str) -> None:
    c = Client()
    c.force_login(users[role])
    target = users["viewer"]
    assert c.get("/accounts/users/").status_code == 403
    assert c.post("/accounts/users/new/", {"username": "x", "role": "admin"}).status_code == 403
    assert c.post(f"/accounts/users/{target.pk}/", {"role": "admin"}).status_code == 403
    assert c.post(f"/accounts/users/{target.pk}/password/").status_code == 403
    assert c.post(f"/accounts/users/{target.pk}/active/", {"active": "0"}).status_code == 403
    assert not get_user_model().objects.filter(username="x").exists()
    assert (
        not AuditEvent.objects.filter(action__startswith="user.")
        .exclude(action="user.created")
        .exists()
    )
