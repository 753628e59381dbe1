"""Units, commissioners, teams and dispatches: each step checks the transition, writes in one
transaction and records an audit event (``commissioner.*``, ``unit.*``, ``team.*``,
``dispatch.*``). Who may call what is :mod:`.policy`'s; these functions check the data and the
record's present state only, and raise :class:`CommissionerError` (Chinese and English).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.store import audit
from cimon.store.commissioners.common import (
    CommissionerError,
    check_choice,
    check_code,
    check_text,
    check_year,
    name_of,
    plain,
)
from cimon.store.commissioners.models import (
    Commissioner,
    CommissionerVersion,
    Dispatch,
    DispatchUnit,
    ServiceDays,
    UnitRating,
)
from cimon.store.commissioners.names import (
    ACCEPTED,
    ACTIVE,
    CANDIDATE,
    COMMISSIONER_KINDS,
    COMMISSIONER_STATUSES,
    DECLINED,
    DISPATCH_STATUSES,
    ENDED,
    GENDERS,
    INDIVIDUAL,
    OBJECT_KINDS,
    PROPOSED,
    RATINGS,
    UNIT_KINDS,
)

#: the fields of a commissioner's profile version (never a national ID number)
PROFILE_FIELDS = (
    "name",
    "gender",
    "institution",
    "title",
    "expertise",
    "expertise_text",
    "phone",
)


def create_unit(
    user: Any, name: str, kind: str = "other", region_code: str = "", *, label: str = ""
) -> DispatchUnit:
    """A new 派出单位 (its name is unique)."""
    name = check_text(name, "派出单位名称", "The unit's name", 100)
    kind = check_choice(kind, UNIT_KINDS, "单位类型", "The unit kind")
    if DispatchUnit.objects.filter(name=name).exists():
        raise CommissionerError(f"派出单位“{name}”已存在。", f"The unit '{name}' exists already.")
    unit = DispatchUnit.objects.create(
        name=name,
        kind=kind,
        region_code=region_code,
        label=label,
        created_at=timezone.now(),
        created_by=name_of(user),
    )
    audit.record(user, "unit.create", "dispatch_unit", unit.pk, new={"name": name, "kind": kind})
    return unit


def _check_profile(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise CommissionerError(
            f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}"
        )
    out = {f: str(data.get(f) or "").strip() for f in PROFILE_FIELDS}
    out["name"] = check_text(out["name"], "特派员姓名", "The commissioner's name", 100)
    out["gender"] = (
        check_choice(out["gender"], GENDERS, "性别", "The gender") if out["gender"] else ""
    )
    code = out["expertise"]
    if code:
        from cimon.matching.taxonomy import discipline_code, field_map

        first = discipline_code(code)
        if first is None or first not in field_map().disciplines:
            raise CommissionerError(
                f"服务领域代码“{code}”不是 GB/T 13745 学科代码；不知道代码时请只填写服务领域文字。",
                f"The expertise code '{code}' is not a GB/T 13745 discipline code; leave it "
                "empty and write the field as text instead.",
            )
    for field, limit in (("institution", 200), ("title", 100), ("expertise_text", 200)):
        if len(out[field]) > limit:
            raise CommissionerError(
                f"{field} 最多 {limit} 个字符。", f"{field} has at most {limit} characters."
            )
    if len(out["phone"]) > 32:
        raise CommissionerError("联系电话过长。", "The phone number is too long.")
    return out


@transaction.atomic
def create_commissioner(
    user: Any,
    *,
    unit: DispatchUnit | None,
    kind: str = INDIVIDUAL,
    status: str = CANDIDATE,
    account: Any = None,
    label: str = "",
    **profile: Any,
) -> Commissioner:
    """A new commissioner (a candidate unless ``status`` says otherwise) with the first version
    of its profile (``profile``: :data:`PROFILE_FIELDS`); ``account`` is its own login, if any."""
    kind = check_choice(kind, COMMISSIONER_KINDS, "特派员类型", "The commissioner kind")
    status = check_choice(status, COMMISSIONER_STATUSES, "状态", "The status")
    data = _check_profile(profile)
    if account is not None and Commissioner.objects.filter(user=account).exists():
        raise CommissionerError(
            "该账号已关联另一位特派员。", "This account belongs to another commissioner already."
        )
    now, by = timezone.now(), name_of(user)
    person = Commissioner.objects.create(
        kind=kind,
        unit=unit,
        status=status,
        user=account,
        label=label,
        created_at=now,
        created_by=by,
    )
    CommissionerVersion.objects.create(
        commissioner=person, number=1, recorded_at=now, recorded_by=by, **data
    )
    audit.record(
        user,
        "commissioner.create",
        "commissioner",
        person.pk,
        new=data
        | {
            "kind": kind,
            "status": status,
            "unit": unit.pk if unit else None,
            "account": account.get_username() if account is not None else None,
        },
        label=label,
    )
    return person


@transaction.atomic
def edit_profile(person: Commissioner, user: Any, **changes: Any) -> CommissionerVersion:
    """A new version of the profile (the current one with ``changes``); the old stays."""
    person = Commissioner.objects.select_for_update().get(pk=person.pk)
    old = person.current
    data = _check_profile({f: getattr(old, f) for f in PROFILE_FIELDS} | changes)
    if all(data[f] == getattr(old, f) for f in PROFILE_FIELDS):
        return old
    now = timezone.now()
    CommissionerVersion.objects.filter(pk=old.pk).update(superseded_at=now)
    new = CommissionerVersion.objects.create(
        commissioner=person,
        number=old.number + 1,
        recorded_at=now,
        recorded_by=name_of(user),
        **data,
    )
    audit.record(
        user,
        "commissioner.edit",
        "commissioner",
        person.pk,
        old={f: getattr(old, f) for f in PROFILE_FIELDS if getattr(old, f) != data[f]},
        new={f: data[f] for f in PROFILE_FIELDS if getattr(old, f) != data[f]},
        version=new.number,
    )
    return new


@transaction.atomic
def set_status(person: Commissioner, user: Any, status: str, reason: str = "") -> Commissioner:
    """Activate or deactivate (停派) a commissioner; the reason goes to the audit log."""
    status = check_choice(status, COMMISSIONER_STATUSES, "状态", "The status")
    person = Commissioner.objects.select_for_update().get(pk=person.pk)
    if person.status == status:
        return person
    old, person.status = person.status, status
    person.save(update_fields=["status"])
    audit.record(
        user, "commissioner.status", "commissioner", person.pk, old=old, new=status, reason=reason
    )
    return person


@transaction.atomic
def link_account(person: Commissioner, user: Any, account: Any) -> Commissioner:
    """Link a commissioner to its login (once; a link is never moved to another account)."""
    person = Commissioner.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None and person.user_id != account.pk:
        raise CommissionerError(
            f"特派员 #{person.pk} 已关联账号。",
            f"Commissioner #{person.pk} has an account already.",
        )
    if Commissioner.objects.filter(user=account).exclude(pk=person.pk).exists():
        raise CommissionerError(
            "该账号已关联另一位特派员。", "This account belongs to another commissioner already."
        )
    person.user = account
    person.save(update_fields=["user"])
    audit.record(user, "commissioner.link", "commissioner", person.pk, new=account.get_username())
    return person


# ---- dispatches (三方协议) --------------------------------------------------------------------


@transaction.atomic
def propose_dispatch(
    user: Any,
    person: Commissioner,
    *,
    object_name: str,
    object_kind: str,
    county_code: str,
    start_on: dt.date,
    end_on: dt.date,
    tasks: Iterable[str] = (),
    town_code: str = "",
    village_code: str = "",
    label: str = "",
) -> Dispatch:
    """A 三方协议 proposed for the county to accept: the commissioner, its unit, the service
    object, the term and the tasks."""
    object_name = check_text(object_name, "服务对象名称", "The service object's name")
    object_kind = check_choice(object_kind, OBJECT_KINDS, "服务对象类型", "The service object kind")
    county_code = check_code(county_code, 6, "县代码", "The county code")
    if town_code:
        town_code = check_code(town_code, 9, "乡镇代码", "The town code")
    if village_code:
        village_code = check_code(village_code, 12, "行政村代码", "The village code")
    for code in (town_code, village_code):
        if code and not code.startswith(county_code):
            raise CommissionerError(
                f"代码 {code} 不在县 {county_code} 内。",
                f"Code {code} is not in county {county_code}.",
            )
    if end_on < start_on:
        raise CommissionerError(
            f"服务期限结束日期 {end_on} 早于开始日期 {start_on}。",
            f"The term ends on {end_on}, before it starts ({start_on}).",
        )
    task_list = [check_text(t, "服务任务", "A task") for t in tasks]
    dispatch = Dispatch.objects.create(
        commissioner=person,
        unit=person.unit,
        object_name=object_name,
        object_kind=object_kind,
        county_code=county_code,
        town_code=town_code,
        village_code=village_code,
        start_on=start_on,
        end_on=end_on,
        tasks=task_list,
        label=label,
        proposed_at=timezone.now(),
        proposed_by=name_of(user),
    )
    audit.record(
        user,
        "dispatch.propose",
        "dispatch",
        dispatch.pk,
        new={
            "commissioner": person.pk,
            "object": object_name,
            "county": county_code,
            "term": [start_on.isoformat(), end_on.isoformat()],
            "tasks": task_list,
        },
        label=label,
    )
    return dispatch


def _move(dispatch: Dispatch, allowed: tuple[str, ...], to: str) -> tuple[Dispatch, str]:
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.status not in allowed:
        zh, en = DISPATCH_STATUSES[dispatch.status]
        raise CommissionerError(
            f"派遣 #{dispatch.pk} 当前为“{zh}”，不能执行此操作。",
            f"Dispatch #{dispatch.pk} is {en}: this step is not allowed.",
        )
    old = dispatch.status
    dispatch.status = to
    return dispatch, old


@transaction.atomic
def decide_dispatch(dispatch: Dispatch, user: Any, accept: bool, note: str = "") -> Dispatch:
    """The county accepts (the commissioner becomes active) or declines a proposed dispatch."""
    dispatch, old = _move(dispatch, (PROPOSED,), ACCEPTED if accept else DECLINED)
    if not accept and not note.strip():
        raise CommissionerError("不接受派遣须说明理由。", "Say why the dispatch is declined.")
    dispatch.decided_at, dispatch.decided_by = timezone.now(), name_of(user)
    dispatch.end_note = "" if accept else note
    dispatch.save(update_fields=["status", "decided_at", "decided_by", "end_note"])
    action = "dispatch.accept" if accept else "dispatch.decline"
    audit.record(user, action, "dispatch", dispatch.pk, old=old, new=dispatch.status, note=note)
    person = dispatch.commissioner
    if accept and person.status == CANDIDATE:
        set_status(person, user, ACTIVE, f"派遣 #{dispatch.pk} 已接受")
    return dispatch


@transaction.atomic
def end_dispatch(dispatch: Dispatch, user: Any, note: str = "") -> Dispatch:
    """Accepted → ended (the term is over, or the county ends it early with a note)."""
    dispatch, old = _move(dispatch, (ACCEPTED,), ENDED)
    dispatch.ended_at, dispatch.ended_by, dispatch.end_note = timezone.now(), name_of(user), note
    dispatch.save(update_fields=["status", "ended_at", "ended_by", "end_note"])
    audit.record(user, "dispatch.end", "dispatch", dispatch.pk, old=old, new=ENDED, note=note)
    return dispatch


@transaction.atomic
def confirm_days(dispatch: Dispatch, user: Any, year: int, days: int) -> ServiceDays:
    """The unit confirms the service days of an accepted or ended dispatch in a year (0–366);
    a new confirmation supersedes the previous one."""
    check_year(year)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 366:
        raise CommissionerError(
            f"服务天数应为 0–366 的整数，而不是 {days!r}。",
            f"Service days must be a whole number 0–366, not {days!r}.",
        )
    dispatch = Dispatch.objects.get(pk=dispatch.pk)
    if dispatch.status not in (ACCEPTED, ENDED):
        raise CommissionerError(
            "只能确认已接受派遣的服务天数。", "Only an accepted dispatch has service days."
        )
    now = timezone.now()
    old = (
        ServiceDays.objects.select_for_update()
        .filter(dispatch=dispatch, year=year, superseded_at__isnull=True)
        .first()
    )
    if old is not None:
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
    row = ServiceDays.objects.create(
        dispatch=dispatch, year=year, days=days, recorded_at=now, recorded_by=name_of(user)
    )
    audit.record(
        user, "dispatch.days", "dispatch", dispatch.pk, old=old.days if old else None, new=days,
        year=year,
    )  # fmt: skip
    return row


@transaction.atomic
def rate_by_unit(
    person: Commissioner, user: Any, year: int, rating: str, note: str = ""
) -> UnitRating:
    """The unit's rating of its commissioner for a year; supersedes the previous one."""
    check_year(year)
    rating = check_choice(rating, RATINGS, "单位评价", "The unit rating")
    if person.unit_id is None:
        raise CommissionerError(
            f"特派员 #{person.pk} 没有派出单位，无法由单位评价。",
            f"Commissioner #{person.pk} has no unit to rate it.",
        )
    now = timezone.now()
    old = (
        UnitRating.objects.select_for_update()
        .filter(commissioner=person, year=year, superseded_at__isnull=True)
        .first()
    )
    if old is not None:
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
    row = UnitRating.objects.create(
        commissioner=person,
        unit_id=person.unit_id,
        year=year,
        rating=rating,
        note=note,
        recorded_at=now,
        recorded_by=name_of(user),
    )
    audit.record(
        user,
        "commissioner.unit_rating",
        "commissioner",
        person.pk,
        old=old.rating if old else None,
        new=rating,
        year=year,
        note=plain(note),
    )
    return row
