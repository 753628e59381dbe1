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

from cimon.intake.report import ValidationReport
from cimon.registry.lists import read_list
from cimon.registry.match import REVIEW_STATUSES, match_rows
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
    Carrier,
    EnterpriseName,
    ListImport,
    ReviewItem,
)
from cimon.store.registry.writer import (
    RegistryError,
    RowWriter,
    county_on,
    county_rows,
    default_end,
)

__all__ = [
    "ImportResult",
    "RegistryError",
    "apply_row",
    "carrier_records",
    "decide",
    "default_end",
    "enterprise_records",
    "import_list",
]


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


def enterprise_records(day: dt.date | None = None) -> pd.DataFrame:
    """Stored enterprises for matching: one row per (enterprise, name) with its code and
    county on ``day`` (default today) (``id``, ``code``, ``name``, ``county``). Three queries
    whatever the number of enterprises: names with codes, and every current county row."""
    day = day or timezone.localdate()
    county = {e: county_on(rows, day) for e, rows in county_rows().items()}
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
    """Match the rows once against every stored record, open a review item per row a person
    must settle, and write the others in bulk (:class:`~.writer.RowWriter`)."""
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
    writes: list[tuple[dict[str, Any], Hashable | None]] = []
    reviews: list[ReviewItem] = []
    for i, (row, status, record, code_valid, cands) in enumerate(
        zip(frame.to_dict("records"), matched["status"], matched["record"],
            matched["code_valid"], matched["candidates"], strict=True)
    ):  # fmt: skip
        data = _jsonable({str(k): v for k, v in row.items()})
        data.setdefault("kind", "")
        data["kind"] = data.get("kind") or kind
        data["_code_valid"] = bool(code_valid)
        if status in REVIEW_STATUSES:
            reviews.append(
                ReviewItem(
                    list_import=result.list_import,
                    row=int(data.get("row") or i + 1),
                    status=str(status),
                    data=data,
                    candidates=[
                        {
                            "record": _jsonable({"r": c.record})["r"],
                            "name": c.name,
                            "score": round(float(c.score), 1),
                            "via": c.via,
                        }
                        for c in cands
                    ],
                )
            )
            continue
        writes.append((data, None if status == "new" else record))
    writer = RowWriter(result.list_import, list_kind, user, now, label)
    writer.load(
        [t for _, t in writes if t is not None],
        {str(d.get("kind") or "") for d, _ in writes},
        [str(d.get("code") or "") for d, t in writes if t is None and d.get("_code_valid")],
    )
    for data, target in writes:
        writer.apply(data, target)
    writer.flush()
    result.written = len(writes)
    result.reviews = ReviewItem.objects.bulk_create(reviews, batch_size=500)


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
    or as a new record when ``target`` is None (the rules of :mod:`.writer`). Returns the
    record's id."""
    writer = RowWriter(li, list_kind, user, now, label)
    code = str(data.get("code") or "") if data.get("_code_valid") else ""
    writer.load([] if target is None else [target], [str(data.get("kind") or "")], [code])
    record = writer.apply(data, target)
    writer.flush()
    return writer.record_id(record)


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
