"""The yearly workflows: selection (选认) and the annual assessment, each step audited
(``selection.*``, ``assessment.*``).

Selection: the province opens a call → units recommend candidates → the province approves or
rejects each → 公示 (the same notice rules as evaluations: no backdating, at least
``CIMON_NOTICE_DAYS`` days) → once the notice is over the province confirms: the approved
candidates become active commissioners.

Assessment: the scores, grades and reasons are computed elsewhere (the rule engine
``cimon.analysis.commissioners``) and stored by :func:`store_computed_assessments`, frozen per
row → the county reviews its commissioners (first review, with a reason where it changes a
grade) → the province confirms → 公示 → publication. Bulk steps are set-based (one UPDATE per
step and one audit event naming the year, county and count).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cimon.store import audit
from cimon.store.commissioners.common import (
    CommissionerError,
    check_choice,
    check_text,
    check_year,
    name_of,
)
from cimon.store.commissioners.models import (
    Assessment,
    Candidate,
    Commissioner,
    DispatchUnit,
    SelectionCall,
)
from cimon.store.commissioners.names import (
    A_CONFIRMED,
    A_COUNTY,
    A_DRAFT,
    A_NOTICE,
    A_PUBLISHED,
    ACTIVE,
    APPROVED,
    ASSESSMENT_STATUSES,
    CALL_CONFIRMED,
    CALL_NOTICE,
    CALL_OPEN,
    CALL_STATUSES,
    GRADES,
    INDIVIDUAL,
    RECOMMENDED,
    REJECTED,
)
from cimon.store.commissioners.people import create_commissioner
from cimon.store.evaluations.notice import strict_period


def acting_province(user: Any) -> str | None:
    """:func:`cimon.store.national.hosting.acting_province`, refused as a
    :class:`CommissionerError` (#20)."""
    from cimon.errors import CimonError
    from cimon.store.national.hosting import acting_province as acting

    try:
        return acting(user)
    except CimonError as exc:
        raise CommissionerError(exc.zh, exc.en, exc.where) from None


def _notice(start_on: dt.date, end_on: dt.date | None, today: dt.date) -> dt.date:
    return strict_period(start_on, end_on, today, CommissionerError)[1]


# ---- selection --------------------------------------------------------------------------------


@transaction.atomic
def open_call(user: Any, year: int, title: str, *, label: str = "") -> SelectionCall:
    """A 选认 call of a year, open for the units' recommendations."""
    check_year(year)
    province = acting_province(user) or ""  # several hosted provinces: the opener's (#20)
    call = SelectionCall.objects.create(
        year=year,
        province=province,
        title=check_text(title, "选认通知标题", "The call's title"),
        label=label,
        created_at=timezone.now(),
        created_by=name_of(user),
    )
    audit.record(user, "selection.open", "selection", call.pk, new={"year": year, "title": title})
    return call


def calls_of(user: Any) -> Any:
    """The selection calls ``user`` sees: all on a single-province instance; on a
    multi-province one those opened in the account's province (#20)."""
    from cimon.store.national.hosting import scoped

    return scoped(user, SelectionCall.objects.all(), "province")


def _call_in(call: SelectionCall, status: str) -> SelectionCall:
    call = SelectionCall.objects.select_for_update().get(pk=call.pk)
    if call.status != status:
        zh, en = CALL_STATUSES[call.status]
        raise CommissionerError(
            f"选认 #{call.pk} 当前为“{zh}”，不能执行此操作。",
            f"Selection call #{call.pk} is {en}: this step is not allowed.",
        )
    return call


@transaction.atomic
def recommend(
    call: SelectionCall,
    user: Any,
    unit: DispatchUnit,
    *,
    person: Commissioner | None = None,
    kind: str = INDIVIDUAL,
    label: str = "",
    **profile: Any,
) -> Candidate:
    """A unit recommends a candidate: an existing commissioner of the unit, or a new one (a
    candidate with the ``profile`` given) while the call is open."""
    call = _call_in(call, CALL_OPEN)
    if person is None:
        person = create_commissioner(user, unit=unit, kind=kind, label=label, **profile)
    elif person.unit_id != unit.pk:
        raise CommissionerError(
            f"特派员 #{person.pk} 不属于{unit.name}，不能由其推荐。",
            f"Commissioner #{person.pk} is not of {unit.name}; it cannot recommend it.",
        )
    if Candidate.objects.filter(call=call, commissioner=person).exists():
        raise CommissionerError(
            f"特派员 #{person.pk} 已被推荐。", f"Commissioner #{person.pk} is recommended already."
        )
    row = Candidate.objects.create(
        call=call,
        commissioner=person,
        unit=unit,
        recommended_at=timezone.now(),
        recommended_by=name_of(user),
    )
    audit.record(user, "selection.recommend", "selection", call.pk, new=person.pk, unit=unit.pk)
    return row


@transaction.atomic
def decide_candidate(candidate: Candidate, user: Any, approve: bool, reason: str = "") -> Candidate:
    """The province approves (拟认定) or rejects a candidate while the call is open."""
    _call_in(candidate.call, CALL_OPEN)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if not approve and not reason.strip():
        raise CommissionerError("不予认定须说明理由。", "Say why the candidate is rejected.")
    old = candidate.decision
    candidate.decision = APPROVED if approve else REJECTED
    candidate.reason, candidate.decided_at, candidate.decided_by = (
        reason,
        timezone.now(),
        name_of(user),
    )
    candidate.save(update_fields=["decision", "reason", "decided_at", "decided_by"])
    audit.record(
        user,
        "selection.decide",
        "selection",
        candidate.call_id,
        old=old,
        new=candidate.decision,
        commissioner=candidate.commissioner_id,
        reason=reason,
    )
    return candidate


@transaction.atomic
def put_call_on_notice(
    call: SelectionCall,
    user: Any,
    start_on: dt.date,
    end_on: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> SelectionCall:
    """The approved candidates go on 公示 from ``start_on`` (today or later) for at least the
    notice days; nobody may still be waiting for a decision."""
    call = _call_in(call, CALL_OPEN)
    if call.candidates.filter(decision=RECOMMENDED).exists():
        raise CommissionerError(
            "还有候选人未作决定：请先逐一认定或不予认定。",
            "Some candidates await a decision: approve or reject each first.",
        )
    if not call.candidates.filter(decision=APPROVED).exists():
        raise CommissionerError(
            "没有拟认定的候选人可以公示。", "No approved candidate to put on notice."
        )
    end = _notice(start_on, end_on, today or timezone.localdate())
    call.status, call.notice_start, call.notice_end = CALL_NOTICE, start_on, end
    call.save(update_fields=["status", "notice_start", "notice_end"])
    audit.record(
        user, "selection.notice", "selection", call.pk, old=CALL_OPEN, new=CALL_NOTICE,
        period=[start_on.isoformat(), end.isoformat()],
    )  # fmt: skip
    return call


@transaction.atomic
def confirm_call(call: SelectionCall, user: Any, *, today: dt.date | None = None) -> int:
    """After the notice: the approved candidates become active commissioners; returns how many."""
    call = _call_in(call, CALL_NOTICE)
    today = today or timezone.localdate()
    assert call.notice_end is not None
    if today <= call.notice_end:
        raise CommissionerError(
            f"公示期到 {call.notice_end} 结束，之后才能认定。",
            f"The notice runs until {call.notice_end}; confirm after it.",
        )
    ids = list(call.candidates.filter(decision=APPROVED).values_list("commissioner_id", flat=True))
    Commissioner.objects.filter(pk__in=ids).exclude(status=ACTIVE).update(status=ACTIVE)
    call.status, call.confirmed_at, call.confirmed_by = (
        CALL_CONFIRMED,
        timezone.now(),
        name_of(user),
    )
    call.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    audit.record(
        user, "selection.confirm", "selection", call.pk, old=CALL_NOTICE, new=CALL_CONFIRMED,
        commissioners=ids,
    )  # fmt: skip
    return len(ids)


# ---- assessment -------------------------------------------------------------------------------

#: ids per UPDATE … WHERE id IN (…)
_CHUNK = 10_000


#: the columns that differ between the rows of one computation
_VARYING = ("commissioner_id", "county_code", "score", "grade", "reasons")


def _insert(common: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Insert new assessment rows (``common`` values plus each row's :data:`_VARYING`): with
    ``COPY`` on PostgreSQL (300,000 rows in seconds, where model objects and INSERTs of 2,000
    rows took over a minute), ``bulk_create`` elsewhere. The columns every row shares (year,
    rules, who and when, the empty review columns) are prepared once."""
    from django.db import connection

    if connection.vendor != "postgresql" or not rows:
        Assessment.objects.bulk_create([Assessment(**common, **r) for r in rows], batch_size=2000)
        return
    from cimon.store.submissions.writing import copy_rows

    fields = [f for f in Assessment._meta.concrete_fields if not f.primary_key]
    sample = Assessment(**common, **rows[0])
    shared = {
        f.attname: f.get_db_prep_save(getattr(sample, f.attname), connection)
        for f in fields
        if f.attname not in _VARYING
    }
    names = [f.attname for f in fields]
    varying = [n for n in names if n not in shared]
    assert sorted(varying) == sorted(_VARYING), varying
    copy_rows(
        Assessment,
        [*shared, *varying],
        (
            [
                *shared.values(),
                *(
                    json.dumps(r[n], ensure_ascii=False) if n == "reasons" else r[n]
                    for n in varying
                ),
            ]
            for r in rows
        ),
    )


def _of_year(year: int, province: str | None) -> Any:
    """The year's current assessment rows; of one hosted province's counties (the first two
    digits of their county code) when ``province`` is given (#20)."""
    qs = Assessment.objects.current().filter(year=year)
    return qs if province is None else qs.filter(county_code__startswith=province)


@transaction.atomic
def store_computed_assessments(
    year: int,
    rows: Iterable[Mapping[str, Any]],
    user: Any,
    *,
    rules_id: str = "",
    rules_sha256: str = "",
    label: str = "",
) -> tuple[int, list[int]]:
    """Store the computed assessment of a year: ``rows`` hold ``commissioner_id``,
    ``county_code``, ``score``, ``grade`` (优秀/良好/合格/不合格 or its key) and ``reasons``
    (a list of {"zh", "en"}). A draft of the same commissioner is superseded (kept); a row the
    county has reviewed or later is frozen and left as it is. On an instance hosting several
    provinces only the rows of the acting account's province's counties are stored (#20); a
    commissioner's draft elsewhere (its dispatch moved) is superseded by the new row.
    Returns (stored, frozen ids)."""
    check_year(year)
    now, by = timezone.now(), name_of(user)
    province = acting_province(user)  # several hosted provinces: the user's only (#20)
    given = {
        int(r["commissioner_id"]): r
        for r in rows
        if province is None or str(r.get("county_code") or "").startswith(province)
    }
    unknown = set(given) - set(Commissioner.objects.values_list("pk", flat=True))
    if unknown:
        raise CommissionerError(
            f"考核结果中有不存在的特派员编号：{sorted(unknown)[:10]}。",
            f"The results name commissioners that do not exist: {sorted(unknown)[:10]}.",
        )
    # the year's current rows, read whole (no IN list of 300,000 ids)
    # (of every province: a commissioner whose dispatch moved keeps one current row)
    current = dict(_of_year(year, None).values_list("commissioner_id", "status"))
    frozen = sorted(c for c, s in current.items() if c in given and s != A_DRAFT)
    redo = sorted(c for c, s in current.items() if c in given and s == A_DRAFT)
    drafts = sum(1 for s in current.values() if s == A_DRAFT)
    if redo and len(redo) == drafts:  # every draft of the year is redone: one UPDATE, no id list
        _of_year(year, None).filter(status=A_DRAFT).update(superseded_at=now)
        redo_chunks = 0
    else:
        redo_chunks = len(redo)
    for i in range(0, redo_chunks, _CHUNK):  # SQLite takes at most 32,766 parameters
        Assessment.objects.current().filter(
            year=year, status=A_DRAFT, commissioner_id__in=redo[i : i + _CHUNK]
        ).update(superseded_at=now)
    common = {
        "year": year,
        "rules_id": rules_id,
        "rules_sha256": rules_sha256,
        "computed_at": now,
        "computed_by": by,
        "label": label,
    }
    new = [
        {
            "commissioner_id": c,
            "county_code": str(r.get("county_code") or ""),
            "score": float(r["score"]),
            "grade": check_choice(str(r["grade"]), GRADES, "考核等次", "The grade"),
            "reasons": list(r.get("reasons") or []),
        }
        for c, r in given.items()
        if c not in frozen
    ]
    _insert(common, new)
    audit.record(
        user,
        "assessment.compute",
        "assessment_year",
        year,
        new=len(new),
        superseded=len(redo),
        frozen=len(frozen),
        rules=rules_id,
        rules_sha256=rules_sha256,
    )
    return len(new), frozen


def _one(assessment: Assessment, status: str) -> Assessment:
    row = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if row.superseded_at is not None or row.status != status:
        zh, en = ASSESSMENT_STATUSES[row.status]
        raise CommissionerError(
            f"考核 #{row.pk} 当前为“{zh}”，不能执行此操作。",
            f"Assessment #{row.pk} is {en}: this step is not allowed.",
        )
    return row


def _grade(grade: str | None, computed: str, reason: str) -> str:
    key = check_choice(grade, GRADES, "考核等次", "The grade") if grade else computed
    if key != computed and not reason.strip():
        raise CommissionerError(
            f"改变计算所得等次（{GRADES[computed][0]} → {GRADES[key][0]}）须说明理由。",
            f"Say why the grade changes from {GRADES[computed][1]} to {GRADES[key][1]}.",
        )
    return key


@transaction.atomic
def county_review(
    assessment: Assessment, user: Any, grade: str | None = None, reason: str = ""
) -> Assessment:
    """The county's first review of one assessment (a changed grade needs a reason)."""
    row = _one(assessment, A_DRAFT)
    row.county_grade = _grade(grade, row.grade, reason)
    row.county_reason, row.county_by, row.county_at = reason, name_of(user), timezone.now()
    row.status = A_COUNTY
    row.save(update_fields=["county_grade", "county_reason", "county_by", "county_at", "status"])
    audit.record(
        user, "assessment.county_review", "assessment", row.pk, old=row.grade,
        new=row.county_grade, reason=reason,
    )  # fmt: skip
    return row


@transaction.atomic
def county_review_all(year: int, county_code: str, user: Any) -> int:
    """The county keeps the computed grade of every draft of its commissioners; how many."""
    qs = Assessment.objects.current().filter(year=year, county_code=county_code, status=A_DRAFT)
    n = qs.update(
        status=A_COUNTY,
        county_grade=F("grade"),
        county_by=name_of(user),
        county_at=timezone.now(),
    )
    audit.record(
        user, "assessment.county_review", "assessment_year", year, new=n, county=county_code
    )
    return n


@transaction.atomic
def province_confirm(
    assessment: Assessment, user: Any, grade: str | None = None, reason: str = ""
) -> Assessment:
    """The province confirms one county-reviewed assessment (a changed grade needs a reason)."""
    row = _one(assessment, A_COUNTY)
    row.final_grade = _grade(grade, row.county_grade, reason)
    row.final_reason, row.confirmed_by, row.confirmed_at = reason, name_of(user), timezone.now()
    row.status = A_CONFIRMED
    row.save(
        update_fields=["final_grade", "final_reason", "confirmed_by", "confirmed_at", "status"]
    )
    audit.record(
        user, "assessment.confirm", "assessment", row.pk, old=row.county_grade,
        new=row.final_grade, reason=reason,
    )  # fmt: skip
    return row


@transaction.atomic
def province_confirm_all(year: int, user: Any, max_excellent_share: float | None = None) -> int:
    """The province confirms every county-reviewed assessment of the year with the county's
    grade; with ``max_excellent_share`` (e.g. 0.2) it refuses when 优秀 would exceed that share
    of the year's assessments. Returns how many were confirmed."""
    qs = _of_year(year, acting_province(user))
    if max_excellent_share is not None:
        total = qs.count()
        excellent = (
            qs.filter(status=A_COUNTY, county_grade="excellent").count()
            + qs.filter(
                status__in=(A_CONFIRMED, A_NOTICE, A_PUBLISHED), final_grade="excellent"
            ).count()
        )
        if total and excellent > max_excellent_share * total:
            raise CommissionerError(
                f"优秀 {excellent} 人，超过 {max_excellent_share:.0%} 的比例上限"
                f"（{int(max_excellent_share * total)} 人）：请先调整个别等次。",
                f"{excellent} rated excellent exceed the {max_excellent_share:.0%} quota "
                f"({int(max_excellent_share * total)}): change some grades first.",
            )
    n = qs.filter(status=A_COUNTY).update(
        status=A_CONFIRMED,
        final_grade=F("county_grade"),
        confirmed_by=name_of(user),
        confirmed_at=timezone.now(),
    )
    audit.record(user, "assessment.confirm", "assessment_year", year, new=n)
    return n


@transaction.atomic
def put_assessments_on_notice(
    year: int,
    user: Any,
    start_on: dt.date,
    end_on: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> int:
    """The year's confirmed assessments go on 公示 together (none may still wait for a review
    or a confirmation). Returns how many."""
    qs = _of_year(year, acting_province(user))
    waiting = qs.filter(status__in=(A_DRAFT, A_COUNTY)).count()
    if waiting:
        raise CommissionerError(
            f"{year} 年还有 {waiting} 份考核未完成初审或确认，不能公示。",
            f"{waiting} assessment(s) of {year} still await a review or confirmation.",
        )
    end = _notice(start_on, end_on, today or timezone.localdate())
    n = qs.filter(status=A_CONFIRMED).update(status=A_NOTICE, notice_start=start_on, notice_end=end)
    if not n:
        raise CommissionerError(
            f"{year} 年没有已确认的考核可以公示。", f"No confirmed assessment of {year}."
        )
    audit.record(
        user, "assessment.notice", "assessment_year", year, new=n,
        period=[start_on.isoformat(), end.isoformat()],
    )  # fmt: skip
    return n


@transaction.atomic
def publish_assessments(year: int, user: Any, *, today: dt.date | None = None) -> int:
    """After the notice, the year's assessments are published (and frozen). Returns how many."""
    today = today or timezone.localdate()
    qs = _of_year(year, acting_province(user)).filter(status=A_NOTICE)
    running = qs.filter(notice_end__gte=today).order_by("-notice_end").first()
    if running is not None:
        raise CommissionerError(
            f"公示期到 {running.notice_end} 结束，之后才能发布。",
            f"The notice runs until {running.notice_end}; publish after it.",
        )
    n = qs.update(status=A_PUBLISHED, published_at=timezone.now(), published_by=name_of(user))
    if not n:
        raise CommissionerError(
            f"{year} 年没有公示中的考核。", f"No assessment of {year} is on notice."
        )
    audit.record(user, "assessment.publish", "assessment_year", year, new=n)
    return n
