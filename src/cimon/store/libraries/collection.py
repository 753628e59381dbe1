"""成果征集 (issue #18): the province's periodic collection of 先进适用技术成果. A collection is
open → units submit their published achievements → it closes for expert review and the province
selects → the selected list is put on public notice (公示) under the evaluations' notice rules
(:mod:`cimon.store.evaluations.notice`: no backdating, a minimum number of days, objections)
→ published: the selected entries without an upheld objection form the catalogue.

Every step writes an audit event (``collection.*``, ``collection_entry.*``,
``collection_objection.*``); who may take it is :mod:`cimon.web.accounts.policy_calls`'s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.store import audit
from cimon.store.evaluations.notice import overridable_period
from cimon.store.libraries import expert_review
from cimon.store.libraries.call_models import (
    COL_NOTICE,
    COL_OPEN,
    COL_PUBLISHED,
    COL_REVIEW,
    COLLECTION_STATUSES,
    OBJ_DISMISSED,
    OBJ_OPEN,
    OBJ_UPHELD,
    Collection,
    CollectionEntry,
    CollectionObjection,
    CollectionReviewer,
    EntryScore,
)
from cimon.store.libraries.expert_review import Names, check_institution, conflicted, reviewer_of
from cimon.store.libraries.models import PUBLISHED, Achievement
from cimon.store.libraries.services import LibraryError, _name

#: the expert review's messages (:mod:`cimon.store.libraries.expert_review`)
NAMES = Names("本次征集", "this collection", "报送单位", "the submitting unit")


def _state(col: Collection, allowed: tuple[str, ...]) -> Collection:
    col = Collection.objects.select_for_update().get(pk=col.pk)
    if col.status not in allowed:
        zh, en = COLLECTION_STATUSES[col.status]
        raise LibraryError(
            f"成果征集 #{col.pk} 当前状态为“{zh}”，不能执行此操作。",
            f"Collection #{col.pk} is {en.lower()}: this step is not allowed.",
        )
    return col


def _move(user: Any, col: Collection, to: str, action: str, **detail: Any) -> Collection:
    old = col.status
    col.status = to
    col.save()
    audit.record(user, action, "collection", col.pk, old=old, new=to, **detail)
    return col


@transaction.atomic
def create_collection(
    user: Any, title: str, year: int, opens_on: dt.date, closes_on: dt.date, *, label: str = ""
) -> Collection:
    """A new collection, open for submissions from ``opens_on`` to ``closes_on``."""
    if not title.strip():
        raise LibraryError("成果征集须有名称。", "A collection needs a title.")
    if closes_on < opens_on:
        raise LibraryError(
            f"征集截止日期 {closes_on} 早于开始日期 {opens_on}。",
            f"The collection closes ({closes_on}) before it opens ({opens_on}).",
        )
    col = Collection.objects.create(
        title=title.strip(), year=year, opens_on=opens_on, closes_on=closes_on, label=label,
        created_at=timezone.now(), created_by=_name(user),
    )  # fmt: skip
    audit.record(user, "collection.create", "collection", col.pk, new=col.title, year=year,
                 opens=str(opens_on), closes=str(closes_on))  # fmt: skip
    return col


@transaction.atomic
def assign_reviewer(
    col: Collection, user: Any, expert: Any, institution: str
) -> CollectionReviewer:
    col = _state(col, (COL_OPEN, COL_REVIEW))
    row: CollectionReviewer = expert_review.add_reviewer(
        user, col, "collection", expert, check_institution(institution), NAMES
    )
    return row


@transaction.atomic
def submit_entry(
    col: Collection,
    user: Any,
    achievement: Achievement,
    unit: str,
    *,
    region_code: str = "",
    label: str = "",
    today: dt.date | None = None,
) -> CollectionEntry:
    """A unit submits one of its published achievements (its current version) to an open
    collection within the collection's dates."""
    col = _state(col, (COL_OPEN,))
    today = today or timezone.localdate()
    if not col.opens_on <= today <= col.closes_on:
        raise LibraryError(
            f"征集期为 {col.opens_on} 至 {col.closes_on}，今天（{today}）不在征集期内。",
            f"The collection takes submissions from {col.opens_on} to {col.closes_on}, not "
            f"today ({today}).",
        )
    if achievement.status != PUBLISHED:
        raise LibraryError(
            f"成果 #{achievement.pk} 尚未发布：请先在成果库发布后再报送。",
            f"Achievement #{achievement.pk} is not published: publish it in the library first.",
        )
    if not unit.strip():
        raise LibraryError("请填写报送单位。", "Give the submitting unit.")
    if CollectionEntry.objects.filter(collection=col, achievement=achievement).exists():
        raise LibraryError(
            f"成果 #{achievement.pk} 已报送本次征集。",
            f"Achievement #{achievement.pk} is already submitted to this collection.",
        )
    entry = CollectionEntry.objects.create(
        collection=col, achievement=achievement, achievement_version=achievement.current,
        unit=unit.strip(), region_code=region_code, submitted_by=user,
        submitted_at=timezone.now(), label=label,
    )  # fmt: skip
    audit.record(user, "collection_entry.submit", "collection_entry", entry.pk,
                 collection=col.pk, achievement=achievement.pk,
                 version=entry.achievement_version.number)  # fmt: skip
    return entry


@transaction.atomic
def close_collection(col: Collection, user: Any) -> Collection:
    """Open → reviewing."""
    return _move(user, _state(col, (COL_OPEN,)), COL_REVIEW, "collection.close")


def may_score(reviewer: CollectionReviewer | None, entry: CollectionEntry) -> bool:
    """A reviewer scores an entry unless the reviewer works at the submitting unit."""
    return reviewer is not None and not conflicted(reviewer.institution, entry.unit)


@transaction.atomic
def score_entry(entry: CollectionEntry, user: Any, score: int, comment: str = "") -> EntryScore:
    entry = CollectionEntry.objects.select_related("collection").get(pk=entry.pk)
    if entry.collection.status != COL_REVIEW:
        raise LibraryError("只有评审中的征集才能评分。", "Only a collection in review is scored.")
    reviewer = reviewer_of(entry.collection, user)
    row: EntryScore = expert_review.record_score(entry, reviewer, entry.unit, score, comment, NAMES)
    audit.record(user, "collection_entry.score", "collection_entry", entry.pk, new=score)
    return row


def entry_mean(entry: CollectionEntry) -> float | None:
    """The mean of each non-conflicted reviewer's latest score."""
    return expert_review.mean_score(entry, entry.unit)


@transaction.atomic
def select_entry(
    entry: CollectionEntry, user: Any, selected: bool, note: str = ""
) -> CollectionEntry:
    """The province's decision on an entry during review (it may change its mind until the
    notice; each decision is in the audit log)."""
    entry = CollectionEntry.objects.select_for_update().get(pk=entry.pk)
    _state(entry.collection, (COL_REVIEW,))
    old = entry.selected
    entry.selected, entry.selected_note = selected, note.strip()
    entry.save(update_fields=["selected", "selected_note"])
    audit.record(user, "collection_entry.select", "collection_entry", entry.pk, old=old,
                 new=selected, note=entry.selected_note, mean=entry_mean(entry))  # fmt: skip
    return entry


@transaction.atomic
def put_on_notice(
    col: Collection,
    user: Any,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
    *,
    override_reason: str = "",
    today: dt.date | None = None,
) -> Collection:
    """Reviewing → on notice, under the evaluations' rules (:func:`overridable_period`): the notice
    starts today or later and lasts the minimum days, unless an override reason is given (kept
    with the collection and in the audit log). Every entry must be decided, one selected."""
    col = _state(col, (COL_REVIEW,))
    entries = list(col.entries.all())
    if any(e.selected is None for e in entries):
        raise LibraryError(
            "还有报送成果未作出入选决定：请先逐项决定。",
            "Some entries have no decision yet: decide each first.",
        )
    if not any(e.selected for e in entries):
        raise LibraryError("没有入选的成果，无需公示。", "No entry is selected: nothing to notice.")
    period = overridable_period(
        start_on, end_on, today or timezone.localdate(), override_reason, LibraryError
    )
    col.notice_start, col.notice_end = period.start, period.end
    col.notice_override = period.override
    return _move(user, col, COL_NOTICE, "collection.notice", **period.audit_detail())


@transaction.atomic
def record_objection(
    col: Collection,
    user: Any,
    *,
    raised_by: str,
    content: str,
    entry: CollectionEntry | None = None,
    received_on: dt.date | None = None,
) -> CollectionObjection:
    """An objection received during the notice (never dated in the future)."""
    col = _state(col, (COL_NOTICE,))
    if not raised_by.strip() or not content.strip():
        raise LibraryError("请填写异议人和异议内容。", "Give who objected and what it says.")
    if entry is not None and entry.collection_id != col.pk:
        raise LibraryError(
            "异议涉及的成果不属于本次征集。", "That entry is not in this collection."
        )
    today = timezone.localdate()
    if received_on is not None and received_on > today:
        raise LibraryError(
            f"收到日期 {received_on} 晚于今天（{today}）：请填写实际收到异议的日期。",
            f"The received date {received_on} is after today ({today}): give the real date.",
        )
    obj = CollectionObjection.objects.create(
        collection=col, entry=entry, raised_by=raised_by.strip(), content=content.strip(),
        received_on=received_on or today, recorded_by=_name(user), recorded_at=timezone.now(),
    )  # fmt: skip
    audit.record(user, "collection_objection.record", "collection_objection", obj.pk,
                 new=OBJ_OPEN, collection=col.pk, entry=entry.pk if entry else None)  # fmt: skip
    return obj


@transaction.atomic
def handle_objection(
    obj: CollectionObjection, user: Any, decision: str, response: str
) -> CollectionObjection:
    """Uphold (the entry leaves the catalogue) or dismiss an objection, with the response."""
    obj = CollectionObjection.objects.select_for_update().get(pk=obj.pk)
    _state(obj.collection, (COL_NOTICE,))
    if obj.status != OBJ_OPEN:
        raise LibraryError("该异议已处理。", "This objection is already handled.")
    if decision not in (OBJ_UPHELD, OBJ_DISMISSED):
        raise LibraryError(
            f"处理结果“{decision}”无效：应为 upheld（成立）或 dismissed（不成立）。",
            f"Unknown decision '{decision}': use upheld or dismissed.",
        )
    if not response.strip():
        raise LibraryError("请填写处理意见。", "Give the response to the objection.")
    obj.status, obj.response = decision, response.strip()
    obj.handled_by, obj.handled_at = _name(user), timezone.now()
    obj.save()
    audit.record(user, "collection_objection.handle", "collection_objection", obj.pk,
                 old=OBJ_OPEN, new=decision)  # fmt: skip
    return obj


@transaction.atomic
def publish_collection(col: Collection, user: Any, *, today: dt.date | None = None) -> Collection:
    """On notice → published, once the notice period is over and every objection handled."""
    col = _state(col, (COL_NOTICE,))
    today = today or timezone.localdate()
    assert col.notice_end is not None
    if today <= col.notice_end:
        raise LibraryError(
            f"公示期至 {col.notice_end} 结束，公示期满后才能发布目录。",
            f"The notice runs until {col.notice_end}: publish after it ends.",
        )
    if col.objections.filter(status=OBJ_OPEN).exists():
        raise LibraryError("还有未处理的异议：请先处理。", "Some objections are open: handle them.")
    col.published_at = timezone.now()
    return _move(user, col, COL_PUBLISHED, "collection.publish",
                 entries=[e.pk for e in catalogue_entries(col)])  # fmt: skip


def catalogue_entries(col: Collection) -> list[CollectionEntry]:
    """The entries of ``col`` in its catalogue: selected, without an upheld objection."""
    upheld = set(
        col.objections.filter(status=OBJ_UPHELD, entry__isnull=False).values_list(
            "entry_id", flat=True
        )
    )
    rows = col.entries.filter(selected=True).select_related("achievement_version")
    return [e for e in rows.order_by("id") if e.pk not in upheld]


@dataclass(frozen=True)
class CatalogueRow:
    """One achievement of the published catalogue, as the public sees it (no contact)."""

    collection: str
    year: int
    title: str
    abstract: str
    discipline: str
    trl: int | None
    mode: str
    unit: str
    region_code: str
    label: str = ""  # 模拟数据 for demo data


def opened_in(cols: Any, province: str | None) -> Any:
    """The collections of ``cols`` opened by an account of ``province`` (None: all; #20)."""
    if province is None:
        return cols
    from django.contrib.auth import get_user_model

    names = get_user_model().objects.filter(province_member__province=province)
    return cols.filter(created_by__in=names.values("username"))


def catalogue(year: int | None = None, *, province: str | None = None) -> list[CatalogueRow]:
    """The published catalogue of 先进适用技术成果: every published collection's selected
    entries without an upheld objection (newest collection first); with ``province`` (an
    instance hosting several, #20) the entries of that province's counties only."""
    cols = Collection.objects.filter(status=COL_PUBLISHED)
    if year is not None:
        cols = cols.filter(year=year)
    out: list[CatalogueRow] = []
    for col in cols:
        for e in catalogue_entries(col):
            if province is not None and not e.region_code.startswith(province):
                continue
            v = e.achievement_version
            out.append(CatalogueRow(col.title, col.year, v.title, v.abstract, v.discipline,
                                    v.trl, v.mode, e.unit, e.region_code, col.label))  # fmt: skip
    return out
