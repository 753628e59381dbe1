"""What a commissioner records: services (with evidence files), ventures and trainings. A
correction is a new row that supersedes the old one, which stays; every write is audited
(``service.*``, ``venture.*``, ``training.*``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.safe import display_name
from cimon.store import audit
from cimon.store.commissioners import files
from cimon.store.commissioners.common import (
    CommissionerError,
    check_choice,
    check_code,
    check_text,
    check_year,
    name_of,
    plain,
    village_parts,
)
from cimon.store.commissioners.models import (
    Commissioner,
    Dispatch,
    ServiceEvidence,
    ServiceRecord,
    Team,
    Training,
    Venture,
)
from cimon.store.commissioners.names import (
    ACCEPTED,
    ENDED,
    SERVICE_KINDS,
    VENTURE_KINDS,
    VENTURE_ROLES,
)

SERVICE_FIELDS = ("date", "village_code", "kind", "people_reached", "notes", "dispatch_id")
#: people reached by one service, at most (a typo guard)
MAX_PEOPLE = 100_000


def _check_service(person: Commissioner, data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    day = data["date"]
    if not isinstance(day, dt.date):
        raise CommissionerError("服务日期无效。", "The service date is not a date.")
    if day > today:
        raise CommissionerError(
            f"服务日期 {day} 晚于今天（{today}）：只能记录已完成的服务。",
            f"The service date {day} is after today ({today}): record services once done.",
        )
    county, town, village = village_parts(data["village_code"])
    kind = check_choice(data["kind"], SERVICE_KINDS, "服务类型", "The service kind")
    people = data["people_reached"]
    if isinstance(people, bool) or not isinstance(people, int) or not 0 <= people <= MAX_PEOPLE:
        raise CommissionerError(
            f"服务人数应为 0–{MAX_PEOPLE} 的整数，而不是 {people!r}。",
            f"People reached must be a whole number 0–{MAX_PEOPLE}, not {people!r}.",
        )
    notes = str(data.get("notes") or "")
    if len(notes) > 2000:
        raise CommissionerError("服务说明最多 2000 字。", "Notes have at most 2000 characters.")
    dispatch_id = data.get("dispatch_id")
    if dispatch_id is not None:
        dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
        if dispatch is None or dispatch.commissioner_id != person.pk:
            raise CommissionerError(
                f"派遣 #{dispatch_id} 不是该特派员的派遣。",
                f"Dispatch #{dispatch_id} is not this commissioner's.",
            )
        if dispatch.status not in (ACCEPTED, ENDED):
            raise CommissionerError(
                f"派遣 #{dispatch_id} 尚未被县里接受。",
                f"Dispatch #{dispatch_id} has not been accepted by the county.",
            )
    return dict(
        date=day,
        village_code=village,
        town_code=town,
        county_code=county,
        kind=kind,
        people_reached=people,
        notes=notes,
        dispatch_id=dispatch_id,
    )


def _service_audit(row: ServiceRecord) -> dict[str, Any]:
    return {f: plain(getattr(row, f)) for f in SERVICE_FIELDS}


@transaction.atomic
def log_service(
    person: Commissioner,
    user: Any,
    *,
    date: dt.date,
    village_code: str,
    kind: str,
    people_reached: int = 0,
    notes: str = "",
    dispatch: Dispatch | None = None,
    label: str = "",
    today: dt.date | None = None,
) -> ServiceRecord:
    """A service the commissioner gave (date not in the future, a 12-digit village code)."""
    data = _check_service(
        person,
        dict(
            date=date,
            village_code=village_code,
            kind=kind,
            people_reached=people_reached,
            notes=notes,
            dispatch_id=dispatch.pk if dispatch else None,
        ),
        today or timezone.localdate(),
    )
    row = ServiceRecord.objects.create(
        commissioner=person,
        label=label,
        recorded_at=timezone.now(),
        recorded_by=name_of(user),
        **data,
    )
    audit.record(user, "service.log", "service", row.pk, new=_service_audit(row), label=label)
    return row


@transaction.atomic
def correct_service(
    record: ServiceRecord, user: Any, today: dt.date | None = None, **changes: Any
) -> ServiceRecord:
    """A corrected service record that supersedes ``record`` (kept); the evidence files come
    along, an unused rating code of the old record no longer works."""
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if record.superseded_at is not None:
        raise CommissionerError(
            f"服务记录 #{record.pk} 已被更正，请更正最新的记录。",
            f"Service record #{record.pk} was corrected already; correct the latest one.",
        )
    if "dispatch" in changes:
        d = changes.pop("dispatch")
        changes["dispatch_id"] = d.pk if d is not None else None
    unknown = set(changes) - set(SERVICE_FIELDS)
    if unknown:
        raise CommissionerError(
            f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}"
        )
    old = {f: getattr(record, f) for f in SERVICE_FIELDS}
    person = record.commissioner
    data = _check_service(person, old | changes, today or timezone.localdate())
    now = timezone.now()
    record.superseded_at = now
    record.save(update_fields=["superseded_at"])
    new = ServiceRecord.objects.create(
        commissioner=person,
        label=record.label,
        recorded_at=now,
        recorded_by=name_of(user),
        supersedes=record,
        **data,
    )
    ServiceEvidence.objects.bulk_create(
        ServiceEvidence(
            record=new,
            path=e.path,
            sent_name=e.sent_name,
            content_type=e.content_type,
            size=e.size,
            sha256=e.sha256,
            uploaded_at=e.uploaded_at,
            uploaded_by=e.uploaded_by,
        )
        for e in record.evidence.all()
    )
    audit.record(
        user,
        "service.correct",
        "service",
        new.pk,
        old=_service_audit(record),
        new=_service_audit(new),
        supersedes=record.pk,
    )
    return new


@transaction.atomic
def add_evidence(
    record: ServiceRecord, user: Any, content: bytes, sent_name: str = ""
) -> ServiceEvidence:
    """Attach a photo or PDF to a current service record (type read from its bytes, size
    bounded, stored under a generated name with its SHA-256)."""
    sent = display_name(sent_name, "photo")
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if record.superseded_at is not None:
        raise CommissionerError(
            f"服务记录 #{record.pk} 已被更正，请在最新的记录上添加材料。",
            f"Service record #{record.pk} was corrected; add files to the latest one.",
        )
    if record.evidence.count() >= files.MAX_FILES:
        raise CommissionerError(
            f"每条服务记录最多 {files.MAX_FILES} 个文件。",
            f"A service record holds at most {files.MAX_FILES} files.",
        )
    ctype, ext = files.check(content, sent)
    rel, digest = files.store(content, ext)
    row = ServiceEvidence.objects.create(
        record=record,
        path=rel,
        sent_name=sent,
        content_type=ctype,
        size=len(content),
        sha256=digest,
        uploaded_at=timezone.now(),
        uploaded_by=name_of(user),
    )
    audit.record(
        user,
        "service.evidence",
        "service",
        record.pk,
        new={"file": row.pk, "sha256": digest, "size": len(content), "type": ctype},
        sent_name=sent,
    )
    return row


# ---- ventures and trainings -------------------------------------------------------------------

VENTURE_FIELDS = ("role", "kind", "name", "registration_code", "arrangement", "year", "county_code")


def _check_venture(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out["role"] = check_choice(data["role"], VENTURE_ROLES, "领办方式", "The venture role")
    out["kind"] = check_choice(data["kind"], VENTURE_KINDS, "主体类型", "The venture kind")
    out["name"] = check_text(data["name"], "合作社或企业名称", "The venture's name")
    code = str(data.get("registration_code") or "").strip().upper()
    if code and len(code) != 18:
        raise CommissionerError(
            f"统一社会信用代码“{code}”应为 18 位。",
            f"The credit code '{code}' must be 18 characters.",
        )
    out["registration_code"] = code
    out["arrangement"] = str(data.get("arrangement") or "")
    check_year(data["year"])
    out["county_code"] = check_code(data["county_code"], 6, "县代码", "The county code")
    return out


@transaction.atomic
def record_venture(person: Commissioner, user: Any, *, label: str = "", **fields: Any) -> Venture:
    """A cooperative or enterprise the commissioner leads, founded or assists (``fields``:
    :data:`VENTURE_FIELDS`)."""
    unknown = set(fields) - set(VENTURE_FIELDS)
    if unknown:
        raise CommissionerError(
            f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}"
        )
    data = _check_venture({"registration_code": "", "arrangement": ""} | fields)
    row = Venture.objects.create(
        commissioner=person,
        label=label,
        recorded_at=timezone.now(),
        recorded_by=name_of(user),
        **data,
    )
    audit.record(user, "venture.record", "venture", row.pk, new=data, label=label)
    return row


@transaction.atomic
def correct_venture(venture: Venture, user: Any, **changes: Any) -> Venture:
    """A corrected venture that supersedes the old one (kept)."""
    venture = Venture.objects.select_for_update().get(pk=venture.pk)
    if venture.superseded_at is not None:
        raise CommissionerError("该记录已被更正。", "This record was corrected already.")
    unknown = set(changes) - set(VENTURE_FIELDS)
    if unknown:
        raise CommissionerError(
            f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}"
        )
    old = {f: getattr(venture, f) for f in VENTURE_FIELDS}
    data = _check_venture(old | changes)
    now = timezone.now()
    venture.superseded_at = now
    venture.save(update_fields=["superseded_at"])
    new = Venture.objects.create(
        commissioner=venture.commissioner,
        label=venture.label,
        recorded_at=now,
        recorded_by=name_of(user),
        supersedes=venture,
        **data,
    )
    audit.record(
        user, "venture.correct", "venture", new.pk, old=old, new=data, supersedes=venture.pk
    )
    return new


@transaction.atomic
def record_training(
    user: Any,
    *,
    date: dt.date,
    county_code: str,
    topic: str,
    trainees: int,
    commissioner: Commissioner | None = None,
    team: Team | None = None,
    label: str = "",
    supersedes: Training | None = None,
) -> Training:
    """A 三区人才 training given by a commissioner or a team; with ``supersedes``, a correction
    of that (current) training, which stays."""
    county_code = check_code(county_code, 6, "县代码", "The county code")
    topic = check_text(topic, "培训主题", "The training topic")
    if isinstance(trainees, bool) or not isinstance(trainees, int) or not 0 < trainees <= 100_000:
        raise CommissionerError(
            f"培训人数应为正整数，而不是 {trainees!r}。",
            f"Trainees must be a positive whole number, not {trainees!r}.",
        )
    if commissioner is None and team is None:
        raise CommissionerError(
            "培训须注明由哪位特派员或哪个特派团开展。",
            "Say which commissioner or team gave the training.",
        )
    now = timezone.now()
    if supersedes is not None:
        supersedes = Training.objects.select_for_update().get(pk=supersedes.pk)
        if supersedes.superseded_at is not None:
            raise CommissionerError("该培训记录已被更正。", "This training was corrected already.")
        supersedes.superseded_at = now
        supersedes.save(update_fields=["superseded_at"])
    row = Training.objects.create(
        date=date,
        county_code=county_code,
        topic=topic,
        trainees=trainees,
        commissioner=commissioner,
        team=team,
        label=label,
        recorded_at=now,
        recorded_by=name_of(user),
        supersedes=supersedes,
    )
    audit.record(
        user,
        "training.correct" if supersedes else "training.record",
        "training",
        row.pk,
        new={"date": date.isoformat(), "county": county_code, "topic": topic, "trainees": trainees},
        supersedes=supersedes.pk if supersedes else None,
        label=label,
    )
    return row
