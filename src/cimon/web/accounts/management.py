"""User management from the web (省级管理员): the list, and the guards the command line does
not need. Creating and changing users, and their audit events (old → new), are
:mod:`cimon.store.accounts.services`, shared with ``cimon user``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from cimon.model.regions import RegionRegistry
from cimon.store.accounts.models import ADMIN, EXPERT, Account, ExpertAssignment
from cimon.store.accounts.services import AccountError


@dataclass(frozen=True)
class UserRow:
    """One line of the user list."""

    pk: int
    username: str
    display_name: str
    role: str  # "" for a user without an account (may do nothing)
    role_zh: str
    role_en: str
    scope: str  # department, county name or the expert's counties
    active: bool
    last_login: Any
    province: str = ""  # on an instance hosting several provinces


def _name(registry: RegionRegistry, code: str) -> str:
    try:
        return registry[code].name
    except KeyError:
        return code


def user_rows(registry: RegionRegistry, users: Any = None) -> list[UserRow]:
    """Every user (of ``users``, a queryset of users, when given), administrators first, then by
    role and user name."""
    from cimon.store.national.models import ProvinceMember

    User = get_user_model()
    provinces = dict(ProvinceMember.objects.values_list("user_id", "province"))
    accounts = {a.user_id: a for a in Account.objects.all()}
    assigned: dict[int, list[str]] = {}
    for a in ExpertAssignment.objects.order_by("region_code"):
        assigned.setdefault(a.expert_id, []).append(a.region_code)
    order = {r: i for i, r in enumerate((ADMIN, "department", "county", EXPERT, "viewer", ""))}
    rows = []
    for u in (User.objects.all() if users is None else users).order_by("username"):
        acct = accounts.get(u.pk)
        role = acct.role if acct else ""
        zh, en = acct.role_name if acct else ("无角色", "no role")
        if role == EXPERT:
            scope = "、".join(_name(registry, c) for c in assigned.get(u.pk, []))
        elif acct and acct.region_code:
            scope = _name(registry, acct.region_code)
        else:
            scope = (acct.department or acct.city) if acct else ""
        rows.append(
            UserRow(
                u.pk,
                u.get_username(),
                acct.display_name if acct else "",
                role,
                zh,
                en,
                scope,
                u.is_active,
                u.last_login,
                provinces.get(u.pk, ""),
            )
        )
    rows.sort(key=lambda r: (order.get(r.role, 9), r.username))
    return rows


def check_not_self(
    by: Any, target: Any, *, active: bool | None = None, role: str | None = None
) -> None:
    """An administrator may not deactivate or demote itself from the web (it would lock itself
    out, possibly leaving no administrator); another administrator, or ``cimon user set``, can."""
    if by is None or by.pk != target.pk:
        return
    if active is False:
        raise AccountError(
            "不能停用自己的账户（请由另一位管理员操作）。",
            "You cannot deactivate your own account (ask another administrator).",
        )
    if role is not None and role != ADMIN:
        raise AccountError(
            "不能取消自己的管理员角色（请由另一位管理员操作）。",
            "You cannot remove your own administrator role (ask another administrator).",
        )
