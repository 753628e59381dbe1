"""Importing official lists into the registries, and settling the rows a person must review.

:func:`import_list` reads a list (:func:`cimon.registry.lists.read_list`), matches its rows to
the stored records (:func:`cimon.registry.match.match_rows`) and writes, in **one transaction**:
the :class:`~.models.ListImport` (the file byte for byte, always kept, whatever the outcome),
the rows matched by code or exact name and the new ones, a :class:`~.models.ReviewItem` for
every ``ambiguous``/``conflict`` row (written nothing until a person decides, so never
counted), and an audit event. A list with any error writes nothing but the rejected
``ListImport`` and its audit event (all-or-nothing). :func:`decide` settles a review item.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from cimon.errors import CimonError
from cimon.intake.report import ValidationReport
from cimon.registry.counts import VALIDITY_YEARS
from cimon.registry.lists import read_list
from cimon.registry.match import REVIEW_STATUSES, match_rows
from cimon.registry.names import name_key
from cimon.safe import display_name
from cimon.store import audit
from cimon.store.registry.models import (
    ACCEPTED,
    CARRIER,
    CONFIRMED,
    DECLARED_NEW,
    DISMISSED,
    ENTERPRISE,
    IN_REVIEW,
    PENDING,
    REJECTED,
    VALID,
    Carrier,
    Enterprise,
    EnterpriseCounty,
    EnterpriseName,
    ListImport,
    Qualification,
    ReviewItem,
)


class RegistryError(CimonError):
    """A registry action that cannot be done (a review item already settled …)."""


@dataclass
class ImportResult:
    """What :func:`import_list` did: the stored import, its report, rows per match status,
    records written and the review items opened."""

    list_import: ListImport
    report: ValidationReport
    statuses: dict[str, int] = field(default_factory=dict)
    written: int = 0
    reviews: list[ReviewItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.list_import.outcome != REJECTED


def _user_name(user: Any) -> tuple[str, Any]:
    account = user if getattr(user, "is_authenticated", False) else None
    return (account.get_username() if account else str(user or "")), account


def _day(value: Any) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out[k] = None
        elif isinstance(v, pd.Timestamp | dt.date):
            out[k] = pd.Timestamp(v).date().isoformat()
        else:
            out[k] = v if isinstance(v, int | float | bool) else str(v)
    return out


def default_end(kind: str, start: dt.date | None, end: dt.date | None) -> dt.date | None:
    """The end a qualification is stored with: as given, else the kind's validity from its
    start (高新技术企业: three years, :data:`cimon.registry.counts.VALIDITY_YEARS`), so that the
    QuerySets and the library's counts agree."""
    if end is None and start is not None and kind in VALIDITY_YEARS:
        return (pd.Timestamp(start) + pd.DateOffset(years=VALIDITY_YEARS[kind])).date()
    return end


def enterprise_records() -> pd.DataFrame:
    """Stored enterprises for matching: one row per (enterprise, name) with its code and
    current county (``id``, ``code``, ``name``, ``county``)."""
    county = dict(Enterprise.objects.with_county().values_list("pk", "county"))
    rows = [
        (e, code if valid else "", name, county.get(e) or "")
        for e, code, valid, name in EnterpriseName.objects.values_list(
            "enterprise_id", "enterprise__code", "enterprise__code_valid", "name"
        )
    ]
    return pd.DataFrame(rows, columns=["id", "code", "name", "county"])


def carrier_records() -> pd.DataFrame:
    """Current carriers for matching (``id`` is the carrier's ``key``)."""
    rows = list(Carrier.objects.current().values_list("key", "code", "name", "region_code"))
    return pd.DataFrame(rows, columns=["id", "code", "name", "county"])


def import_list(
    data: bytes,
    file_name: str,
    *,
    list_kind: str = ENTERPRISE,
    kind: str = "",
    user: Any = None,
    regions: Any = None,
    label: str = "",
) -> ImportResult:
    """Import an official list (see the module's docstring).

    ``list_kind``: ``enterprise`` (每行一家企业; ``kind`` is the qualification, e.g.
    高新技术企业, unless the list has a 类型 column) or ``carrier`` (``kind`` is the carrier kind
    unless the list gives one). ``regions``: a :class:`~cimon.model.regions.RegionRegistry` to
    resolve the county column to codes (the platform's, by default).
    """
    if list_kind not in (ENTERPRISE, CARRIER):
        raise RegistryError(
            f"名单类型只能是 enterprise 或 carrier，而不是“{list_kind}”。",
            f"The list kind must be enterprise or carrier, not '{list_kind}'.",
        )
    if regions is None:
        from cimon.store.platform import platform_registry

        regions = platform_registry()
    name, account = _user_name(user)
    file_name = display_name(file_name, "list")  # shown and audited, never a path
    read = read_list(data, file_name, regions=regions, require_code=list_kind == ENTERPRISE)
    now = timezone.now()
    with transaction.atomic():
        li = ListImport.objects.create(
            file_name=file_name[:255], content=data, sha256=read.sha256, size=len(data),
            list_kind=list_kind, kind=kind, label=label, user=name, user_account=account,
            created_at=now, outcome=REJECTED, report={},
        )  # fmt: skip
        result = ImportResult(li, read.report)
        if read.ok:
            _write_rows(result, read.rows, list_kind, kind, name, now, label)
        li.report = json.loads(read.report.to_json())
        li.outcome = REJECTED if not read.ok else IN_REVIEW if result.reviews else ACCEPTED
        li.counts = {"statuses": result.statuses, "written": result.written,
                     "reviews": len(result.reviews)}  # fmt: skip
        li.save(update_fields=["report", "outcome", "counts"])
        audit.record(
            account or name, f"registry.import.{li.outcome}", "list_import", li.pk,
            file=li.file_name, sha256=li.sha256, list_kind=list_kind, kind=kind,
            **li.counts, errors=len(read.report.errors),
        )  # fmt: skip
    return result


def _write_rows(
    result: ImportResult,
    rows: pd.DataFrame,
    list_kind: str,
    kind: str,
    user: str,
    now: dt.datetime,
    label: str,
) -> None:
    frame = rows.reset_index(drop=True)
    incoming = pd.DataFrame(
        {
            "code": frame.get("code", ""),
            "name": frame["name"],
            "county": frame.get("county", ""),
        }
    )
    records = enterprise_records() if list_kind == ENTERPRISE else carrier_records()
    matched = match_rows(incoming, records)
    statuses = matched["status"].value_counts().to_dict()
    result.statuses = {str(k): int(v) for k, v in statuses.items()}
    for i, row in enumerate(frame.to_dict("records")):
        m = matched.iloc[i]
        data = _jsonable({str(k): v for k, v in row.items()})
        data.setdefault("kind", "")
        data["kind"] = data.get("kind") or kind
        data["_code_valid"] = bool(m["code_valid"])
        if m["status"] in REVIEW_STATUSES:
            result.reviews.append(
                ReviewItem.objects.create(
                    list_import=result.list_import,
                    row=int(data.get("row") or i + 1),
                    status=str(m["status"]),
                    data=data,
                    candidates=[
                        {
                            "record": _jsonable({"r": c.record})["r"],
                            "name": c.name,
                            "score": round(float(c.score), 1),
                            "via": c.via,
                        }
                        for c in m["candidates"]
                    ],
                )
            )
            continue
        target = None if m["status"] == "new" else m["record"]
        apply_row(result.list_import, list_kind, data, target, user, now, label)
        result.written += 1


def apply_row(
    li: ListImport,
    list_kind: str,
    data: dict[str, Any],
    target: Hashable | None,
    user: str,
    now: dt.datetime,
    label: str = "",
) -> str:
    """Write one list row into the registry: onto the enterprise (or carrier key) ``target``,
    or as a new record when ``target`` is None. Returns the record's id."""
    if list_kind == CARRIER:
        return _apply_carrier(li, data, None if target is None else str(target), now, label)
    start = _day(data.get("start") or data.get("date"))
    end = _day(data.get("end"))
    qkind = _text(data.get("kind"))
    end = default_end(qkind, start, end)
    name = _text(data.get("name"))
    county = _text(data.get("county"))
    if target is None:
        code = _text(data.get("code"))
        valid = bool(data.get("_code_valid")) and bool(code)
        if valid and Enterprise.objects.filter(code=code, code_valid=True).exists():
            raise RegistryError(
                f"统一社会信用代码 {code} 已属于名录中的另一家企业，不能作为新记录；请确认该企业。",
                f"The code {code} already belongs to an enterprise of the registry; it cannot be "
                "a new record: confirm that enterprise instead.",
            )
        ent = Enterprise.objects.create(
            code=code, code_valid=valid, label=label, created_at=now, created_by=user, source=li
        )
        EnterpriseName.objects.create(enterprise=ent, name=name, recorded_at=now, source=li)
        if county:
            EnterpriseCounty.objects.create(
                enterprise=ent, region_code=county, since=None, recorded_at=now, source=li
            )
    else:
        ent = Enterprise.objects.get(pk=target)
        if name and ent.name != name and name_key(name) != name_key(ent.name):
            EnterpriseName.objects.create(enterprise=ent, name=name, recorded_at=now, source=li)
        if county:
            # a list that places the enterprise elsewhere: it moved, at the latest on the
            # date of the qualification it lists (else on the day of the import)
            day = start or timezone.localdate()
            here = Enterprise.objects.filter(pk=ent.pk).with_county(day).first()
            if here is not None and here.county != county:
                EnterpriseCounty.objects.create(
                    enterprise=ent, region_code=county, since=day, recorded_at=now, source=li
                )
    if qkind:
        _write_qualification(ent, li, qkind, _text(data.get("certificate")), start, end, now)
    return str(ent.pk)


def _write_qualification(
    ent: Enterprise,
    li: ListImport,
    kind: str,
    certificate: str,
    start: dt.date | None,
    end: dt.date | None,
    now: dt.datetime,
) -> None:
    """A new qualification, or a new version of the same one (same kind and certificate, or
    same kind and start) when its facts changed; the same facts again write nothing."""
    same = Qualification.objects.current().filter(enterprise=ent, kind=kind)
    same = same.filter(certificate=certificate) if certificate else same.filter(start=start)
    old = same.order_by("-id").first()
    if old is not None and (old.start, old.end, old.certificate) == (start, end, certificate):
        return
    new = Qualification.objects.create(
        enterprise=ent, kind=kind, certificate=certificate, start=start, end=end,
        source=li, recorded_at=now,
    )  # fmt: skip
    if old is not None:
        Qualification.objects.filter(pk=old.pk).update(superseded_at=now, superseded_by=new)


def _apply_carrier(
    li: ListImport, data: dict[str, Any], key: str | None, now: dt.datetime, label: str
) -> str:
    fields = {
        "name": _text(data.get("name")),
        "code": _text(data.get("code")),
        "kind": _text(data.get("kind")),
        "level": _text(data.get("level")),
        "body": _text(data.get("body")),
        "start": _day(data.get("start") or data.get("date")),
        "end": _day(data.get("end")),
        "region_code": _text(data.get("county")),
        "status": _text(data.get("status")) or VALID,
        "status_date": _day(data.get("status_date")),
    }
    old = Carrier.objects.current().filter(key=key).first() if key else None
    if old is not None:
        if all(getattr(old, k) == v for k, v in fields.items()):
            return old.key
        Carrier.objects.filter(pk=old.pk).update(superseded_at=now)
    new = Carrier.objects.create(key=key or "", label=label, source=li, recorded_at=now, **fields)
    if not key:
        new.key = f"C{new.pk}"
        new.save(update_fields=["key"])
    if old is not None:
        Carrier.objects.filter(pk=old.pk).update(superseded_by=new)
    return new.key


def decide(item: ReviewItem | int, decision: str, user: Any, record: str = "") -> ReviewItem:
    """Settle a review item: ``confirmed`` (``record`` one of its candidates), ``new`` (a new
    record) or ``rejected`` (nothing written). Only then is the row written, in one
    transaction with the decision and its audit event; when the import's last item is settled
    the import becomes ``accepted``."""
    name, account = _user_name(user)
    with transaction.atomic():
        pk = item.pk if isinstance(item, ReviewItem) else item
        it = ReviewItem.objects.select_for_update().select_related("list_import").get(pk=pk)
        if it.decision != PENDING:
            raise RegistryError(
                f"第 {it.row} 行已处理（{it.get_decision_display()}），不能再次处理。",
                f"Row {it.row} has already been settled ({it.decision}).",
            )
        li = it.list_import
        now = timezone.now()
        if decision == CONFIRMED:
            allowed = {str(c["record"]) for c in it.candidates}
            if str(record) not in allowed:
                raise RegistryError(
                    f"“{record}”不是第 {it.row} 行的候选记录。",
                    f"'{record}' is not a candidate of row {it.row}.",
                )
            it.record = apply_row(li, li.list_kind, it.data, record, name, now, li.label)
        elif decision == DECLARED_NEW:
            it.record = apply_row(li, li.list_kind, it.data, None, name, now, li.label)
        elif decision != DISMISSED:
            raise RegistryError(
                "处理方式只能是 confirmed（确认候选）、new（新记录）或 rejected（驳回）。",
                "The decision must be confirmed, new or rejected.",
            )
        it.decision, it.decided_by, it.decided_at = decision, name, now
        it.save(update_fields=["decision", "record", "decided_by", "decided_at"])
        audit.record(
            account or name, f"registry.review.{decision}", "review_item", it.pk,
            list_import=li.pk, row=it.row, record=it.record, name=it.data.get("name"),
        )  # fmt: skip
        if not li.reviews.filter(decision=PENDING).exists():
            ListImport.objects.filter(pk=li.pk).update(outcome=ACCEPTED)
            audit.record(account or name, "registry.import.settled", "list_import", li.pk,
                         old=IN_REVIEW, new=ACCEPTED)  # fmt: skip
    return it
