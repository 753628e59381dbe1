"""Creating users: roles need their department, county or assigned counties, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import FW, REG

from cimon.store.accounts.models import Account, ExpertAssignment
from cimon.store.accounts.services import AccountError, create_user, set_password, users_text

pytestmark = pytest.mark.django_db


def _make(name: str, role: str, **kw: Any) -> Any:
    return create_user(name, role, framework=FW, registry=REG, **kw)


def test_generated_password_is_returned_once_and_works(db: Any) -> None:
    user, pw = _make("a1", "viewer")
    assert len(pw) >= 16 and user.check_password(pw)
    assert pw not in user.password


@pytest.mark.parametrize(
    ("role", "kw", "zh"),
    [
        ("boss", {}, "角色"),
        ("department", {}, "报送部门"),
        ("department", {"department": "县"}, "报送部门"),
        ("county", {}, "县（市、区）"),
        ("viewer", {"department": "统计局"}, "只有部门填报员"),
        ("viewer", {"region": "西吉县"}, "只有县级填报员"),
        ("county", {"region": "西吉县", "assign": ["原州区"]}, "只有专家"),
        ("city", {}, "设区市"),
        ("city", {"city": "兰州市"}, "固原市"),
        ("viewer", {"city": "固原市"}, "只有设区市科技局"),
    ],
)
def test_wrong_role_details_are_refused(db: Any, role: str, kw: dict[str, Any], zh: str) -> None:
    with pytest.raises(AccountError) as err:
        _make("u", role, **kw)
    assert zh in err.value.render("zh")
    assert err.value.render("en")
    assert not Account.objects.exists()


def test_county_name_is_matched_and_expert_assignments_kept(db: Any) -> None:
    user, _ = _make("c", "county", region="西吉縣")  # Traditional characters
    assert user.account.region_code == "640422"
    expert, _ = _make("e", "expert", assign=["西吉县", "640402"])
    assert sorted(
        ExpertAssignment.objects.filter(expert=expert).values_list("region_code", flat=True)
    ) == ["640402", "640422"]


def test_city_bureau_is_given_its_city_by_name_or_code(db: Any) -> None:
    """A 设区市科技局 (#20 item 3) keeps the registry's name of its city; a role change drops
    it and the audit log says so."""
    from cimon.store.accounts.services import update_user
    from cimon.store.submissions.models import AuditEvent

    for name, given in (("g1", "固原市"), ("g2", "固原"), ("g3", "640400")):
        user, _ = _make(name, "city", city=given)
        assert user.account.city == "固原市" and user.account.region_code == ""
    assert "g1\t设区市科技局\t固原市" in users_text()
    update_user("g1", framework=FW, registry=REG, role="viewer")
    assert Account.objects.get(user__username="g1").city == ""
    ev = AuditEvent.objects.filter(action="user.changed").latest("id")
    assert ev.detail["old"]["city"] == "固原市"


def test_taken_name_and_listing(db: Any) -> None:
    _make("same", "viewer")
    with pytest.raises(AccountError):
        _make("same", "viewer")
    assert "same\t浏览者" in users_text()
    assert "same\tViewer" in users_text("en")


def test_password_reset(db: Any) -> None:
    user, old = _make("r", "viewer")
    new = set_password("r")
    user.refresh_from_db()
    assert new != old and user.check_password(new)
    with pytest.raises(AccountError):
        set_password("nobody")


def test_update_user_records_old_and_new(db: Any) -> None:
    from cimon.store.accounts.services import update_user
    from cimon.store.submissions.models import AuditEvent

    user, _ = _make("clerk", "county", region="西吉县")
    update_user("clerk", framework=FW, registry=REG, region="原州区")
    ev = AuditEvent.objects.filter(action="user.changed").get()
    assert ev.detail == {"old": {"region_code": "640422"}, "new": {"region_code": "640402"}}
    # a role change drops what the old role had; assignments are replaced
    update_user("clerk", framework=FW, registry=REG, role="expert", assign=["西吉县"])
    user.refresh_from_db()
    assert user.account.role == "expert" and user.account.region_code == ""
    assert list(
        ExpertAssignment.objects.filter(expert=user).values_list("region_code", flat=True)
    ) == ["640422"]
    update_user("clerk", framework=FW, registry=REG, active=False)
    user.refresh_from_db()
    assert not user.is_active
    last = AuditEvent.objects.filter(action="user.changed").order_by("-id").first()
    assert last is not None and last.detail == {"old": {"active": True}, "new": {"active": False}}
    with pytest.raises(AccountError):
        update_user("clerk", framework=FW, registry=REG, role="department")  # no department
    user.refresh_from_db()
    assert user.account.role == "expert"  # unchanged: all or nothing
    update_user("clerk", framework=FW, registry=REG)  # nothing to change: no event
    assert AuditEvent.objects.filter(action="user.changed").count() == 3


def test_unit_and_commissioner_accounts(db: Any) -> None:
    """#17: a 派出单位 account points at its registered unit; a commissioner account is linked
    from its record (once, never to two records); the audit log names both."""
    from cimon.store.accounts.services import update_user
    from cimon.store.commissioners import services as cs
    from cimon.store.submissions.models import AuditEvent

    unit = cs.create_unit(None, "宁夏大学", "university")
    person = cs.create_commissioner(None, unit=unit, name="王特派")
    other = cs.create_commissioner(None, unit=unit, name="李特派")
    for kw, zh in (
        ({}, "派出单位账号需要指定已登记的派出单位"),
        ({"unit": "某大学"}, "宁夏大学"),
    ):
        with pytest.raises(AccountError) as err:
            _make("u", "unit", **kw)
        assert zh in err.value.render("zh") and "--unit" in err.value.render("en")
    with pytest.raises(AccountError, match="--unit"):
        _make("v", "viewer", unit="宁夏大学")
    with pytest.raises(AccountError, match="--commissioner"):
        _make("v", "viewer", commissioner=person.pk)
    user, _ = _make("nd", "unit", unit="宁夏大学")
    assert user.account.unit_id == unit.pk
    assert "nd\t派出单位\t宁夏大学" in users_text()
    c_user, _ = _make("wang", "commissioner", commissioner=person.pk)
    person.refresh_from_db()
    assert person.user_id == c_user.pk
    assert AuditEvent.objects.filter(action="commissioner.link").count() == 1
    with pytest.raises(AccountError, match="has an account already"):
        _make("wang2", "commissioner", commissioner=person.pk)
    with pytest.raises(AccountError, match="no commissioner"):
        _make("wang3", "commissioner", commissioner=999_999)
    assert not Account.objects.filter(user__username__in=["wang2", "wang3"]).exists()
    update_user("nd", framework=FW, registry=REG, role="viewer")
    assert Account.objects.get(user__username="nd").unit_id is None
    ev = AuditEvent.objects.filter(action="user.changed").latest("id")
    assert ev.detail["old"]["unit"] == "宁夏大学"
    assert other.user_id is None
