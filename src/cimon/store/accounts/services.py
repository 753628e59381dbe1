"""Creating users and changing what they are, each change in the audit log.

Passwords are hashed with Argon2 (``settings.PASSWORD_HASHERS``); a generated password is
returned once to be handed over and is never stored in clear.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from cimon.errors import CimonError
from cimon.model.framework import Framework
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry
from cimon.store.accounts.models import (
    CITY,
    COMMISSIONER,
    COUNTY,
    DEPARTMENT,
    EXPERT,
    ROLE_NAMES,
    ROLES,
    UNIT,
    Account,
    ExpertAssignment,
)
from cimon.store.audit import record


class AccountError(CimonError):
    """A user that cannot be created or changed as asked."""


def generate_password() -> str:
    """A random password of 16 URL-safe characters (~96 bits)."""
    return secrets.token_urlsafe(12)


def _check(
    role: str,
    department: str,
    region: str,
    experts_regions: Iterable[str],
    framework: Framework,
    registry: RegionRegistry,
) -> tuple[str, str, list[str]]:
    if role not in ROLES:
        names = "、".join(f"{r}（{ROLE_NAMES[r][0]}）" for r in ROLES)
        raise AccountError(
            f"角色“{role}”无效。可用：{names}。",
            f"Unknown role '{role}'. Use one of: {', '.join(ROLES)}.",
        )
    depts = [d for d in framework.departments if d != COUNTY_DEPARTMENT]
    if role == DEPARTMENT:
        if department not in depts:
            raise AccountError(
                f"部门填报员需要指定报送部门（--department），可选：{'、'.join(depts)}。",
                f"A department clerk needs a supplying department (--department), one of: "
                f"{', '.join(depts)}.",
            )
    elif department:
        raise AccountError(
            "只有部门填报员需要指定报送部门（--department）。",
            "Only department clerks have a department (--department).",
        )
    code = ""
    if role == COUNTY:
        if not region:
            raise AccountError(
                "县级填报员需要指定县（市、区）（--region，名称或代码）。",
                "A county clerk needs a county (--region, name or code).",
            )
        code = registry.match(region).code
    elif region:
        raise AccountError(
            "只有县级填报员需要指定县（--region）；专家的县用 --assign 指定。",
            "Only county clerks have a county (--region); assign experts with --assign.",
        )
    assigned = [registry.match(r).code for r in experts_regions]
    if assigned and role != EXPERT:
        raise AccountError(
            "只有专家可以分配评分的县（--assign）。",
            "Only experts are assigned counties to score (--assign).",
        )
    return department, code, assigned


def check_city(role: str, city: str, registry: RegionRegistry) -> str:
    """The 设区市 of a city bureau as the registry names it (given by name or city code); an
    :class:`AccountError` when a city bureau has none or another role is given one."""
    city = (city or "").strip()
    if role != CITY:
        if city:
            raise AccountError(
                "只有设区市科技局需要指定设区市（--city）。",
                "Only city bureaus have a city (--city).",
            )
        return ""
    cities = registry.cities()
    known = list(dict.fromkeys(cities.values()))
    if city in cities:
        return cities[city]
    if city in known:
        return city
    for name in known:  # 固原 for 固原市
        if name.removesuffix("市") == city.removesuffix("市") and city:
            return name
    raise AccountError(
        f"设区市科技局需要指定设区市（--city），可选：{'、'.join(known)}。",
        f"A city bureau needs a city (--city), one of: {', '.join(known)}.",
    )


def check_unit(role: str, unit: str) -> Any:
    """The 派出单位 of a dispatching-unit account (given by its exact name); an
    :class:`AccountError` when a unit account has none or another role is given one."""
    from django.apps import apps

    unit = (unit or "").strip()
    if role != UNIT:
        if unit:
            raise AccountError(
                "只有派出单位账号需要指定派出单位（--unit）。",
                "Only dispatching-unit accounts have a unit (--unit).",
            )
        return None
    model = apps.get_model("commissioners", "DispatchUnit")
    found = model.objects.filter(name=unit).first() if unit else None
    if found is None:
        known = list(model.objects.order_by("name").values_list("name", flat=True)[:20])
        raise AccountError(
            f"派出单位账号需要指定已登记的派出单位（--unit 单位全称），而不是“{unit}”。"
            f"已登记：{'、'.join(known) or '（无）'}。",
            f"A dispatching-unit account needs a registered unit (--unit FULL NAME), not "
            f"'{unit}'. Registered: {', '.join(known) or '(none)'}.",
        )
    return found


def _link_commissioner(user: Any, commissioner_id: int | None, role: str, by: Any) -> None:
    """Link a commissioner account to its record (``Commissioner.user``)."""
    if commissioner_id is None:
        return
    if role != COMMISSIONER:
        raise AccountError(
            "只有科技特派员账号可以关联特派员（--commissioner）。",
            "Only commissioner accounts are linked to a commissioner (--commissioner).",
        )
    from cimon.store.commissioners.common import CommissionerError
    from cimon.store.commissioners.models import Commissioner
    from cimon.store.commissioners.people import link_account

    person = Commissioner.objects.filter(pk=commissioner_id).first()
    if person is None:
        raise AccountError(
            f"没有编号为 {commissioner_id} 的特派员。",
            f"There is no commissioner #{commissioner_id}.",
        )
    try:
        link_account(person, by, user)
    except CommissionerError as exc:
        raise AccountError(exc.zh, exc.en) from exc


@transaction.atomic
def create_user(
    username: str,
    role: str,
    *,
    framework: Framework,
    registry: RegionRegistry,
    department: str = "",
    region: str = "",
    display_name: str = "",
    assign: Iterable[str] = (),
    password: str | None = None,
    by: Any = None,
    city: str = "",
    unit: str = "",
    commissioner: int | None = None,
) -> tuple[Any, str]:
    """Create a user with a role; return the user and its password (generated when None).

    ``department`` for department clerks, ``region`` (name or code) for county clerks,
    ``assign`` (names or codes) for experts, ``city`` (name or city code) for city bureaus,
    ``unit`` (the 派出单位's name) for unit accounts, ``commissioner`` (its id) to link a
    commissioner account to its record. Raises :class:`AccountError` when the user name is
    taken or the role's details are missing or wrong.
    """
    User = get_user_model()
    username = username.strip()
    if not username:
        raise AccountError("用户名不能为空。", "The user name is empty.")
    if User.objects.filter(username=username).exists():
        raise AccountError(
            f"用户名“{username}”已存在，请换一个。",
            f"The user name '{username}' is taken; choose another.",
        )
    dept, code, assigned = _check(role, department, region, assign, framework, registry)
    city_name = check_city(role, city, registry)
    unit_row = check_unit(role, unit)
    pw = password or generate_password()
    user = User.objects.create_user(username=username, password=pw)
    Account.objects.create(
        user=user,
        role=role,
        department=dept,
        region_code=code,
        city=city_name,
        unit=unit_row,
        display_name=display_name,
    )
    _link_commissioner(user, commissioner, role, by)
    for c in assigned:
        ExpertAssignment.objects.create(expert=user, region_code=c)
    record(
        by,
        "user.created",
        "user",
        user.pk,
        new={
            "username": username,
            "role": role,
            "department": dept,
            "region_code": code,
            **({"city": city_name} if city_name else {}),
            **({"unit": unit_row.name} if unit_row else {}),
            **({"commissioner": commissioner} if commissioner is not None else {}),
        },
        assigned=assigned,
    )
    return user, pw


def account_snapshot(user: Any) -> dict[str, Any]:
    """A user's role, department, county, name, assigned counties (sorted) and active flag: what
    the audit log compares and the user form starts from."""
    acct = Account.objects.filter(user=user).first()
    return {
        "role": acct.role if acct else "",
        "department": acct.department if acct else "",
        "region_code": acct.region_code if acct else "",
        "city": acct.city if acct else "",
        "unit": acct.unit.name if acct and acct.unit_id else "",
        "display_name": acct.display_name if acct else "",
        "assigned": sorted(
            ExpertAssignment.objects.filter(expert=user).values_list("region_code", flat=True)
        ),
        "active": user.is_active,
    }


def _refuse_declared_ties(user: Any, codes: Iterable[str], registry: RegionRegistry) -> None:
    """An expert is never assigned a county it declared a tie to (issue #16; the declarations
    are the evidence app's, looked up by label so that accounts imports nothing of it)."""
    from django.apps import apps

    conflict = apps.get_model("evidence", "Conflict")
    tied = list(
        conflict.objects.filter(expert=user, region_code__in=list(codes)).values_list(
            "region_code", "reason"
        )
    )
    if tied:
        code, reason = tied[0]
        name = registry[code].name if code in registry.codes else code
        raise AccountError(
            f"不能分配{name}：该专家已申报与其存在关联（{reason}），应回避。",
            f"Cannot assign {name}: the expert declared a tie to it ({reason}).",
        )


@transaction.atomic
def update_user(
    username: str,
    *,
    framework: Framework,
    registry: RegionRegistry,
    role: str | None = None,
    department: str | None = None,
    region: str | None = None,
    assign: Iterable[str] | None = None,
    display_name: str | None = None,
    active: bool | None = None,
    by: Any = None,
    city: str | None = None,
    unit: str | None = None,
    commissioner: int | None = None,
) -> Any:
    """Change a user's role and its details, its name, its assigned counties or whether it may
    log in; ``None`` keeps a value. A role change drops details the new role does not have.
    ``commissioner`` (an id) links a commissioner account to its record (once: a link is never
    moved). One audit event records every changed field, old → new (the link is the
    commissioners' own ``commissioner.link`` event)."""
    User = get_user_model()
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        raise AccountError(f"没有用户“{username}”。", f"There is no user '{username}'.") from None
    old = account_snapshot(user)
    new_role = role if role is not None else old["role"]
    changed_role = role is not None and role != old["role"]
    dept = department if department is not None else ("" if changed_role else old["department"])
    reg = region if region is not None else ("" if changed_role else old["region_code"])
    codes = list(assign) if assign is not None else ([] if changed_role else old["assigned"])
    dept, code, assigned = _check(new_role, dept, reg, codes, framework, registry)
    city_name = check_city(
        new_role, city if city is not None else ("" if changed_role else old["city"]), registry
    )
    unit_row = check_unit(
        new_role, unit if unit is not None else ("" if changed_role else old["unit"])
    )
    _refuse_declared_ties(user, assigned, registry)
    Account.objects.update_or_create(
        user=user,
        defaults={
            "role": new_role,
            "department": dept,
            "region_code": code,
            "city": city_name,
            "unit": unit_row,
            "display_name": old["display_name"] if display_name is None else display_name,
        },
    )
    _link_commissioner(user, commissioner, new_role, by)
    ExpertAssignment.objects.filter(expert=user).exclude(region_code__in=assigned).delete()
    for c in assigned:
        ExpertAssignment.objects.get_or_create(expert=user, region_code=c)
    if active is not None and active != user.is_active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    new = account_snapshot(user)
    diff = {k: (old[k], new[k]) for k in new if old[k] != new[k]}
    if diff:
        record(
            by,
            "user.changed",
            "user",
            user.pk,
            old={k: v[0] for k, v in diff.items()},
            new={k: v[1] for k, v in diff.items()},
        )
    return user


def active_account(username: str) -> Any:
    """The active user called ``username``, for work done in that user's name outside the web
    platform (``cimon import --user``): the audit log then names a real account. An
    :class:`AccountError` when there is no such user or the account is disabled."""
    User = get_user_model()
    name = (username or "").strip()
    user = User.objects.filter(username=name).first() if name else None
    if user is None:
        raise AccountError(
            f"没有用户“{name}”：导入人必须是已有账号。请用 cimon user list 查看账号，"
            "或让管理员用 cimon user add 创建。",
            f"There is no user '{name}': the importer must be an existing account. See the "
            "accounts with cimon user list, or ask an administrator to create one with "
            "cimon user add.",
        )
    if not user.is_active:
        raise AccountError(
            f"账号“{name}”已停用，不能以其名义导入。",
            f"The account '{name}' is disabled; nothing can be imported in its name.",
        )
    return user


@transaction.atomic
def set_password(username: str, password: str | None = None, by: Any = None) -> str:
    """Give a user a new password (generated when None) and unlock it; return the password."""
    from axes.utils import reset

    User = get_user_model()
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        raise AccountError(f"没有用户“{username}”。", f"There is no user '{username}'.") from None
    pw = password or generate_password()
    user.set_password(pw)
    user.save(update_fields=["password"])
    reset(username=username)
    record(by, "user.password_reset", "user", user.pk)
    return pw


def users_text(lang: str = "zh") -> str:
    """Every user with role, department or county and assigned counties (``cimon user list``)."""
    en = lang == "en"
    rows = []
    for a in Account.objects.select_related("user", "unit").order_by("role", "user__username"):
        zh_name, en_name = a.role_name
        where = a.department or a.region_code or a.city or (a.unit.name if a.unit else "")
        if a.role == EXPERT:
            where = ",".join(
                ExpertAssignment.objects.filter(expert=a.user).values_list("region_code", flat=True)
            )
        active = "" if a.user.is_active else (" (inactive)" if en else "（已停用）")
        rows.append(f"{a.user.username}\t{en_name if en else zh_name}\t{where}{active}")
    if not rows:
        return "No users." if en else "没有用户。"
    return "\n".join(rows)
