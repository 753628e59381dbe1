"""Setting an account's province on a multi-province instance (issue #20 item 4): the
user-management page and ``cimon user add --province`` both call :func:`set_province`.

Who may set what: a superuser any hosted province; a provincial administrator of a province
only its own (:func:`may_assign`); nobody else. A county clerk's county and an expert's
counties must lie in the province chosen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cimon.errors import CimonError
from cimon.store.national.hosting import hosted, user_province


def check_province(code: str) -> str:
    """``code`` when it is a province this instance hosts; :class:`CimonError` otherwise (also
    on a single-province instance, which has no provinces to choose from)."""
    code = (code or "").strip()
    provinces = hosted()
    if not provinces:
        raise CimonError(
            "本平台只承载一个省份，不能为账户设置省份（需配置 CIMON_PROVINCES）。",
            "This instance hosts one province: an account's province cannot be set "
            "(CIMON_PROVINCES is empty).",
            "province",
        )
    if code not in provinces:
        known = "、".join(sorted(provinces))
        raise CimonError(
            f"省代码“{code}”不是本平台承载的省份（可选：{known}）。",
            f"'{code}' is not a province this instance hosts (one of: {', '.join(sorted(provinces))}).",
            "province",
        )
    return code


def assignable(actor: Any) -> list[str]:
    """The hosted provinces ``actor`` may put an account in: all for a superuser (or the
    command line, ``actor`` None), its own for an account of a province, none otherwise."""
    provinces = sorted(hosted())
    if actor is None or getattr(actor, "is_superuser", False):
        return provinces
    mine = user_province(actor)
    return [mine] if mine in provinces else []


def may_assign(actor: Any, code: str) -> bool:
    return code in assignable(actor)


def check_codes(code: str, region_code: str = "", counties: Iterable[str] = ()) -> None:
    """The account's county and assigned counties must lie in its province ``code``."""
    outside = sorted(c for c in [region_code, *counties] if c and c[:2] != code)
    if outside:
        raise CimonError(
            f"县（市、区）{'、'.join(outside)} 不属于省份 {code}。",
            f"The counties {', '.join(outside)} are not in the province {code}.",
            "province",
        )


def set_province(user: Any, code: str, *, by: Any = None) -> None:
    """Put ``user`` in the hosted province ``code`` (audited); :class:`CimonError` for an
    unknown code, for a province ``by`` may not assign, and for counties outside it."""
    from cimon.store.accounts.models import Account, ExpertAssignment
    from cimon.store.audit import record
    from cimon.store.national.models import ProvinceMember

    code = check_province(code)
    actor = by if getattr(by, "is_authenticated", False) else None
    if not may_assign(actor, code):
        raise CimonError(
            f"您只能在本省份内设置账户（不能设为 {code}）。",
            f"You may only place accounts in your own province (not {code}).",
            "province",
        )
    acct = Account.objects.filter(user=user).first()
    check_codes(
        code,
        acct.region_code if acct is not None else "",
        ExpertAssignment.objects.filter(expert=user).values_list("region_code", flat=True),
    )
    old = user_province(user) if getattr(user, "is_authenticated", False) else None
    ProvinceMember.objects.update_or_create(user=user, defaults={"province": code})
    if old != code:
        record(by, "user.province", "user", user.pk, old=old, new=code)


def may_manage(actor: Any, target: Any) -> bool:
    """May ``actor`` change ``target``'s account: always on a single-province instance; on a
    multi-province one a superuser any account, a province's administrator only its
    province's accounts."""
    if not hosted() or getattr(actor, "is_superuser", False):
        return True
    mine = user_province(actor)
    return mine is not None and user_province(target) == mine


def manageable(actor: Any, users: Any) -> Any:
    """The accounts of ``users`` (a queryset) ``actor`` may change (as :func:`may_manage`)."""
    if not hosted() or getattr(actor, "is_superuser", False):
        return users
    mine = user_province(actor)
    return users.none() if mine is None else users.filter(province_member__province=mine)


def choices(actor: Any) -> list[tuple[str, str]]:
    """The provinces ``actor`` may choose, as (code, "code 省名") pairs for a form."""
    from cimon.model.national import national_registry

    names: dict[str, str] = {}
    for r in national_registry():
        names.setdefault(r.code[:2], r.province)
    return [(c, f"{c} {names.get(c, '')}".strip()) for c in assignable(actor)]
