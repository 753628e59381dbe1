"""Importing existing lists of needs, achievements and technology contracts (issue #18).

:func:`import_list` reads the file with :func:`cimon.intake.library_lists.read_list` (bounded,
all-or-nothing, errors by cell), refuses rows whose record is already stored (a contract's
登记编号; a need's county and problem; an achievement's title and holder) and rows outside the
importer's counties, and writes every record in one transaction — or none. Every attempt is
kept (:class:`ImportAttempt`: the file byte for byte, its report, what it created), accepted or
refused, with an audit event ``library.import``.

Imported needs and achievements are stored as published (the list is already the county's or
the province's published list; the importer is its reviewer); imported contracts are
registered. Each created record is audited as its own ``*.import`` event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.intake.library_lists import LIST_LIMITS, ListRead, ListRow, dup_key, read_list
from cimon.intake.limits import Limits
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import norm_text
from cimon.store import audit
from cimon.store.libraries.models import (
    PUBLISHED,
    Achievement,
    AchievementVersion,
    Contract,
    Need,
    NeedVersion,
)
from cimon.store.libraries.models_talent import ACCEPTED, REJECTED, ImportAttempt
from cimon.store.libraries.services import ACHIEVEMENT_FIELDS, NEED_FIELDS, _content, _name

__all__ = ["import_list", "keep_attempt"]


def _stored_keys(kind: str, rows: list[ListRow]) -> set[tuple[str, ...]]:
    """The duplicate keys (:func:`dup_key`) of the stored records these rows could collide with."""
    if kind == "contract":
        return {(norm_text(n),) for n in Contract.objects.values_list("number", flat=True)}
    if kind == "need":
        counties = {r.values["region_code"] for r in rows}
        latest: dict[int, tuple[str, str]] = {}
        for need_id, region, problem in (
            NeedVersion.objects.filter(need__region_code__in=counties)
            .order_by("need_id", "number")
            .values_list("need_id", "need__region_code", "problem")
        ):
            latest[need_id] = (region, norm_text(problem))
        return set(latest.values())
    latest_a: dict[int, tuple[str, str]] = {}
    for aid, title, holder in AchievementVersion.objects.order_by(
        "achievement_id", "number"
    ).values_list("achievement_id", "title", "holder"):
        latest_a[aid] = (norm_text(title), norm_text(holder))
    return set(latest_a.values())


def _check_store(read: ListRead, regions: Iterable[str] | None) -> None:
    """Add to the report the rows already stored and the rows outside ``regions``."""
    stored = _stored_keys(read.kind, read.rows)
    allowed = None if regions is None else set(regions)
    key_field = {"contract": "number", "need": "problem", "achievement": "title"}[read.kind]
    for row in read.rows:
        if dup_key(read.kind, row.values) in stored:
            read.report.add(
                "row.duplicate", "该记录已在库中（重复导入）。",
                "This record is already stored (imported before).",
                "请从名单中删除已导入的行后重新导入。",
                "Delete the rows imported before and import again.",
                sheet=row.sheet, cell=row.cells.get(key_field, ""), variable=key_field,
                value=str(row.values.get(key_field, "")),
            )  # fmt: skip
        region = row.values.get("region_code") or ""
        if allowed is not None and region not in allowed:
            read.report.add(
                "region.wrong", f"区划代码 {region or '（空）'} 不是您负责的县。",
                f"Region {region or '(empty)'} is not a county you are responsible for.",
                "只能导入本县的记录；其他县的记录请由该县或管理员导入。",
                "Import only your county's records; another county's are imported by it or an "
                "administrator.",
                sheet=row.sheet, cell=row.cells.get("region_code", f"{row.row}:{row.row}"),
                variable="region_code", value=region,
            )  # fmt: skip


def keep_attempt(
    kind: str,
    data: bytes,
    file_name: str,
    user: Any,
    report: ValidationReport,
    ok: bool,
    region: str = "",
) -> ImportAttempt:
    """Keep one import attempt: the file byte for byte, its report, accepted or refused (the
    caller fills ``created`` once it has written the records). Shared by every list import
    (needs, achievements, contracts; the commissioners' lists and logs)."""
    return ImportAttempt.objects.create(
        kind=kind[:16], file_name=file_name[:255], content=data,
        sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        status=ACCEPTED if ok else REJECTED, report=json.loads(report.to_json()),
        user=user if getattr(user, "is_authenticated", False) else None,
        by=_name(user), region_code=region, at=timezone.now(),
    )  # fmt: skip


def import_list(
    kind: str,
    data: bytes,
    file_name: str,
    user: Any,
    *,
    regions: Iterable[str] | None = None,
    label: str = "",
    limits: Limits = LIST_LIMITS,
) -> tuple[ImportAttempt, ListRead]:
    """Import a list of ``kind`` (need, achievement, contract), all or nothing. ``regions``: the
    counties the importer may write (None: any, an administrator). Returns the kept attempt and
    the read (its report says why a refused file was refused)."""
    read = read_list(kind, data, file_name, limits)
    regions = None if regions is None else sorted(set(regions))
    region = regions[0] if regions is not None and len(regions) == 1 else ""
    with transaction.atomic():
        if read.ok:
            _check_store(read, regions)
        ok = read.ok
        attempt = keep_attempt(kind, data, file_name, user, read.report, ok, region)
        created = (
            [WRITERS[kind](row.values, user, label, attempt.pk) for row in read.rows] if ok else []
        )
        attempt.created = created
        attempt.save(update_fields=["created"])
        audit.record(
            user, "library.import", "import", attempt.pk, new={"kind": kind, "rows": len(created)},
            status=attempt.status, file=file_name, sha256=attempt.sha256,
        )  # fmt: skip
    if not ok:
        read.rows = []
    return attempt, read


#: the account that owns needs and achievements imported outside the web platform (no role, no
#: password); the audit log names who imported them
IMPORT_ACCOUNT = "library-import"


def _owner(user: Any) -> Any:
    if getattr(user, "is_authenticated", False):
        return user
    from django.contrib.auth import get_user_model

    owner, created = get_user_model().objects.get_or_create(username=IMPORT_ACCOUNT)
    if created:
        owner.set_unusable_password()
        owner.save()
    return owner


def _need(values: dict[str, Any], user: Any, label: str, attempt: int) -> int:
    now = timezone.now()
    need = Need.objects.create(
        owner=_owner(user), region_code=values["region_code"], status=PUBLISHED, label=label,
        created_at=now, reviewed_by=_name(user), reviewed_at=now,
        review_note=f"导入 #{attempt} / import #{attempt}",
    )  # fmt: skip
    v = NeedVersion.objects.create(
        need=need, number=1, recorded_at=now, recorded_by=_name(user),
        **{f: values[f] for f in NEED_FIELDS},
    )  # fmt: skip
    audit.record(user, "need.import", "need", need.pk, new=_content(v, NEED_FIELDS), label=label,
                 attempt=attempt)  # fmt: skip
    return int(need.pk)


def _achievement(values: dict[str, Any], user: Any, label: str, attempt: int) -> int:
    now = timezone.now()
    item = Achievement.objects.create(
        owner=_owner(user), status=PUBLISHED, label=label, created_at=now, published_at=now
    )
    v = AchievementVersion.objects.create(
        achievement=item, number=1, recorded_at=now, recorded_by=_name(user),
        **{f: values[f] for f in ACHIEVEMENT_FIELDS},
    )  # fmt: skip
    audit.record(user, "achievement.import", "achievement", item.pk,
                 new=_content(v, ACHIEVEMENT_FIELDS), label=label, attempt=attempt)  # fmt: skip
    return int(item.pk)


def _contract(values: dict[str, Any], user: Any, label: str, attempt: int) -> int:
    c = Contract.objects.create(
        number=values["number"], amount=values["amount"], signed_on=values["signed_on"],
        region_code=values["region_code"], name=values["name"], seller=values["seller"],
        buyer=values["buyer"], label=label, recorded_at=timezone.now(), recorded_by=_name(user),
    )  # fmt: skip
    audit.record(
        user, "contract.import", "contract", c.pk, label=label, attempt=attempt,
        new={"number": c.number, "amount": c.amount, "signed_on": c.signed_on.isoformat(),
             "region_code": c.region_code, "name": c.name, "seller": c.seller, "buyer": c.buyer},
    )  # fmt: skip
    return int(c.pk)


WRITERS = {"need": _need, "achievement": _achievement, "contract": _contract}
