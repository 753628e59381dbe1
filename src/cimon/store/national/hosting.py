"""One instance hosting one province (the default) or several (``CIMON_PROVINCES``), each with
its own framework and incentive rules (issue #20 item 3; the design: docs/national.md).

A hosted province is its GB/T 2260 two-digit code. Region codes are unique nationwide, so a
province's data (submissions, observations, registries) are already told apart by their code's
first two digits; what needs a key is who may see what: an account's province
(:class:`~.models.ProvinceMember`) and an evaluation's (:class:`~.models.ProvinceEvaluation`).
On a single-province instance nothing changes: no key is needed and every check passes as before.

Implemented: the setting, the data model, the scoping of evaluations and of the other areas'
records by province (the policy modules call :func:`covers`, :func:`same_member`,
:func:`scoped`, :func:`scoped_by_code`), an account's province (:mod:`.members`), each
province's registry, framework and rules, and the evaluate and publish path per province: an
evaluation is tagged with its province when it is created (:func:`creating_province`), runs on
that province's framework, registry and data, and publishes under that province's incentive
rules as a version numbered per province and year (``Publication.province``:
:func:`publication_province`; lookups by year: :func:`viewer_province`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from cimon.errors import CimonError
from cimon.model.regions import Region, RegionRegistry


@dataclass(frozen=True)
class HostedProvince:
    code: str  # GB/T 2260 two digits, e.g. "64"
    framework: str  # a bundled framework id or a file
    rules: str  # incentive rules (as CIMON_INCENTIVE_RULES)


def parse_provinces(text: str) -> dict[str, HostedProvince]:
    """``"64:nx-2021:nx-2021,62:gs-2024:gs-2024"`` → the hosted provinces by code; ``""`` → none
    (a single-province instance). :class:`CimonError` naming the entry for a malformed one."""
    out: dict[str, HostedProvince] = {}
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        parts = entry.split(":")
        if len(parts) != 3 or not (len(parts[0]) == 2 and parts[0].isdigit()) or not all(parts):
            raise CimonError(
                f"CIMON_PROVINCES 的条目“{entry}”格式应为 省代码:指标体系:激励规则（如 64:nx-2021:nx-2021）。",
                f"The CIMON_PROVINCES entry '{entry}' must be code:framework:rules "
                "(e.g. 64:nx-2021:nx-2021).",
                "CIMON_PROVINCES",
            )
        if parts[0] in out:
            raise CimonError(
                f"CIMON_PROVINCES 中省代码 {parts[0]} 重复。",
                f"The province {parts[0]} appears twice in CIMON_PROVINCES.",
                "CIMON_PROVINCES",
            )
        out[parts[0]] = HostedProvince(*parts)
    return out


def hosted() -> dict[str, HostedProvince]:
    """The provinces this instance hosts; empty on a single-province instance (the default)."""
    return parse_provinces(str(getattr(settings, "CIMON_PROVINCES", "") or ""))


def province_registry(code: str) -> RegionRegistry:
    """The county-level units of one hosted province (from the national registry)."""
    from cimon.model.national import national_registry

    regions: list[Region] = [r for r in national_registry() if r.code[:2] == code]
    if not regions:
        raise CimonError(
            f"省代码 {code} 不在全国区划名录中。", f"{code} is not a province code of the registry."
        )
    return RegionRegistry(regions, source=f"national registry, province {code}")


def province_of_code(region_code: str) -> str:
    return region_code[:2]


def user_province(user: Any) -> str | None:
    """The account's province on a multi-province instance (None: it has none)."""
    from cimon.store.national.models import ProvinceMember

    if not getattr(user, "is_authenticated", False):
        return None
    m = ProvinceMember.objects.filter(user=user).first()
    return m.province if m else None


def evaluation_province(evaluation: Any) -> str | None:
    from cimon.store.national.models import ProvinceEvaluation

    tag = ProvinceEvaluation.objects.filter(evaluation=evaluation).first()
    return tag.province if tag else None


def same_province(user: Any, evaluation: Any) -> bool:
    """May ``user`` see ``evaluation`` as far as provinces go: always on a single-province
    instance; on a multi-province one only when both belong to the same hosted province."""
    if not hosted():
        return True
    mine = user_province(user)
    return mine is not None and mine == evaluation_province(evaluation)


def scoped(user: Any, qs: QuerySet[Any], field: str = "province_tag__province") -> QuerySet[Any]:
    """``qs`` (evaluations, or publications with ``field="evaluation__province_tag__province"``)
    narrowed to the user's province on a multi-province instance; unchanged otherwise."""
    if not hosted():
        return qs
    mine = user_province(user)
    return qs.none() if mine is None else qs.filter(**{field: mine})


def scoped_by_code(user: Any, qs: QuerySet[Any], field: str = "region_code") -> QuerySet[Any]:
    """``qs`` (rows keyed by a county code in ``field``: submissions, registry records, needs,
    commissioners' services …) narrowed to the user's province by the code's first two digits on a
    multi-province instance; unchanged otherwise. An account without a province sees none."""
    if not hosted():
        return qs
    mine = user_province(user)
    return qs.none() if mine is None else qs.filter(**{f"{field}__startswith": mine})


def covers(user: Any, region_code: str) -> bool:
    """Does the user's province cover the county ``region_code`` (always on a single-province
    instance; never for an account without a province on a multi-province one)?"""
    if not hosted():
        return True
    mine = user_province(user)
    return mine is not None and str(region_code or "")[:2] == mine


def same_member(user: Any, other: Any) -> bool:
    """Do two accounts belong to the same province (always on a single-province instance)?
    ``other`` may be None (a record without an owner): then only on a single-province one."""
    if not hosted():
        return True
    mine = user_province(user)
    return mine is not None and other is not None and user_province_of_id(other) == mine


def user_province_of_id(user: Any) -> str | None:
    """The province of an account given as a user or its id (no login check: the owner of a
    record, not the one asking)."""
    from cimon.store.national.models import ProvinceMember

    uid = getattr(user, "pk", user)
    return ProvinceMember.objects.filter(user_id=uid).values_list("province", flat=True).first()


def visible_codes(user: Any, codes: Iterable[str]) -> list[str]:
    """The county codes of ``codes`` the user's province covers (all of them on a
    single-province instance), in their order."""
    codes = list(codes)
    if not hosted():
        return codes
    mine = user_province(user)
    return [] if mine is None else [c for c in codes if c[:2] == mine]


def tag_evaluation(evaluation: Any, province: str) -> None:
    """Record which hosted province an evaluation belongs to (once; never changed)."""
    from cimon.store.national.models import ProvinceEvaluation

    if province not in hosted():
        raise CimonError(
            f"省代码 {province} 不是本平台承载的省份（CIMON_PROVINCES）。",
            f"{province} is not a province this instance hosts (CIMON_PROVINCES).",
        )
    ProvinceEvaluation.objects.create(evaluation=evaluation, province=province)


def hosted_province(code: str) -> HostedProvince:
    """The hosted province ``code``; :class:`CimonError` when this instance does not host it."""
    found = hosted().get(code)
    if found is None:
        raise CimonError(
            f"省代码 {code} 不是本平台承载的省份（CIMON_PROVINCES）。",
            f"{code} is not a province this instance hosts (CIMON_PROVINCES).",
        )
    return found


def creating_province(user: Any = None, province: str | None = None) -> str | None:
    """The province a new evaluation belongs to: None on a single-province instance (no
    ``province`` may be given there); on a multi-province one ``province`` when given (it must
    be hosted), else the creating account's, else the only hosted one; :class:`CimonError`
    when several are hosted and none is named."""
    provinces = hosted()
    if province:
        return hosted_province(province).code
    if not provinces:
        return None
    mine = user_province(user) if user is not None else None
    if mine is not None:
        return hosted_province(mine).code
    if len(provinces) == 1:
        return next(iter(provinces))
    raise CimonError(
        f"本平台承载多个省份（{'、'.join(provinces)}），请指定省份（--province）。",
        f"This instance hosts several provinces ({', '.join(provinces)}); name one (--province).",
        "province",
    )


def publication_province(evaluation: Any) -> str:
    """The province a publication of ``evaluation`` is numbered in (``Publication.province``):
    "" on a single-province instance, its evaluation's province on a multi-province one."""
    if not hosted():
        return ""
    return evaluation_province(evaluation) or ""


def acting_province(user: Any) -> str | None:
    """The province a year-wide step of ``user`` (the 科技特派员 assessment's compute, confirm
    all, 公示, publish; a selection call) acts on: None on a single-province instance (every
    row, as before); the account's province on a multi-province one; :class:`CimonError` for
    an account without a province there."""
    if not hosted():
        return None
    mine = user_province(user)
    if mine is None:
        raise CimonError(
            "本平台承载多个省份，您的账号没有所属省份，不能办理全省的步骤。",
            "This instance hosts several provinces and your account has none: it may not take "
            "a province-wide step.",
            "province",
        )
    return mine


def public_province(value: str | None) -> str | None:
    """The province a page without login is narrowed to by its ``?province=CODE``: None (every
    province) on a single-province instance, without a value or for a code not hosted."""
    code = str(value or "")
    return code if hosted() and code in hosted() else None


def public_choices() -> list[tuple[str, str]]:
    """The hosted provinces as (code, "code 省名") for the filter of the pages without login;
    empty on a single-province instance (no filter shown)."""
    from cimon.model.national import national_registry

    codes = hosted()
    if not codes:
        return []
    names: dict[str, str] = {}
    for r in national_registry():
        names.setdefault(r.code[:2], r.province)
    return [(c, f"{c} {names.get(c, '')}".strip()) for c in codes]


def in_public_province(
    qs: QuerySet[Any], province: str | None, field: str = "region_code", *, by_code: bool = True
) -> QuerySet[Any]:
    """``qs`` narrowed to ``province`` (:func:`public_province`; None: unchanged): by the
    first two digits of a county code in ``field``, or (``by_code=False``) where ``field`` is
    the province (an owner's, e.g. ``"owner__province_member__province"``)."""
    if province is None:
        return qs
    return qs.filter(**{f"{field}__startswith" if by_code else field: province})


def code_province(region_code: str) -> str | None:
    """The province whose publications a record of county ``region_code`` is checked against
    (a programme application, a plan, a county's 创新管理 evidence): "" on a single-province
    instance; on a multi-province one the hosted province of the code's first two digits, None
    when it names no hosted province (a name, another province): no publication."""
    if not hosted():
        return ""
    code = str(region_code or "")[:2]
    return code if code in hosted() else None


def viewer_province(user: Any) -> str | None:
    """The province whose publications ``user`` looks up by year: "" on a single-province
    instance, the account's province on a multi-province one; None when it has none (it sees
    no province's results)."""
    if not hosted():
        return ""
    return user_province(user)
