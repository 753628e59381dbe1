"""The workflow of structured 创新管理 evidence, one function per step; each change in one
transaction with its audit event. These check the rules of the workflow (a county's own items,
the deadline, an expert assigned and not tied to the county), not *who* may reach a page: the
web policy decides that. Items and deadlines: :mod:`.items`; scores and what they feed:
:mod:`.scoring`; both re-exported here, the one module callers need.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.safe import display_name
from cimon.store import audit
from cimon.store.accounts.models import EXPERT, ExpertAssignment
from cimon.store.evidence.items import (
    EvidenceError,
    current_items,
    deadline,
    documents,
    evaluation_year,
    is_open,
    is_published,
    max_file_bytes,
    require_open,
    store_item,
    user_name,
)
from cimon.store.evidence.models import Clarification, Conflict, Item, Score
from cimon.store.evidence.scoring import (
    ItemResult,
    expert_variable_score,
    feed,
    has_conflict,
    item_result,
    may_score,
    refeed,
    require_scorer,
    score,
)

__all__ = [
    "EvidenceError",
    "ItemResult",
    "Score",
    "answer",
    "ask",
    "assign",
    "current_items",
    "deadline",
    "declare_conflict",
    "documents",
    "evaluation_year",
    "expert_variable_score",
    "feed",
    "has_conflict",
    "is_open",
    "is_published",
    "item_result",
    "max_file_bytes",
    "may_score",
    "open_questions",
    "score",
    "submit_item",
]


def submit_item(
    user: Any,
    region_code: str,
    year: int,
    kind: str,
    values: dict[str, Any],
    files: Iterable[tuple[str, bytes]] = (),
    *,
    series: str | None = None,
    note: str = "",
    check_deadline: bool = True,
) -> Item:
    """Store a new item, or with ``series`` a new version of one (:func:`.items.store_item`).
    A new version's predecessor's scores no longer count: the experts who scored the variable
    are fed again from what still counts."""
    with transaction.atomic():
        item = store_item(
            user,
            region_code,
            year,
            kind,
            values,
            files,
            series=series,
            note=note,
            check_deadline=check_deadline,
        )
        if series is not None:
            refeed(region_code, year, item.variable)
    return item


# --- conflicts and assignments --------------------------------------------------------------


def declare_conflict(by: Any, expert: Any, region_code: str, reason: str) -> Conflict:
    """Record that ``expert`` is tied to the county (work, family, a past role …). An existing
    assignment to that county is removed in the same transaction."""
    reason = display_name(reason, "", 300)
    if not reason:
        raise EvidenceError("请说明关联关系。", "Say what ties the expert to the county.")
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(
            expert=expert,
            region_code=region_code,
            defaults={
                "reason": reason,
                "declared_by": user_name(by),
                "declared_at": timezone.now(),
            },
        )
        removed, _ = ExpertAssignment.objects.filter(
            expert=expert, region_code=region_code
        ).delete()
        if created:
            audit.record(
                by,
                "evidence.conflict",
                "user",
                expert.pk,
                region_code=region_code,
                reason=reason,
                assignment_removed=bool(removed),
            )
    return conflict


def assign(by: Any, expert: Any, region_code: str) -> ExpertAssignment:
    """Assign the county to the expert; refused when the expert has declared a tie to it."""
    acct = getattr(expert, "account", None)
    if acct is None or acct.role != EXPERT:
        raise EvidenceError("只能为专家分配县（市、区）。", "Only experts are assigned counties.")
    conflict = Conflict.objects.filter(expert=expert, region_code=region_code).first()
    if conflict is not None:
        raise EvidenceError(
            f"不能分配：专家“{user_name(expert)}”已申报与该县存在关联（{conflict.reason}），应回避。",
            f"Refused: expert '{user_name(expert)}' declared a tie to this county "
            f"({conflict.reason}) and must not score it.",
        )
    with transaction.atomic():
        row, created = ExpertAssignment.objects.get_or_create(
            expert=expert, region_code=region_code
        )
        if created:
            audit.record(by, "evidence.assigned", "user", expert.pk, region_code=region_code)
    return row


# --- clarifications -------------------------------------------------------------------------


def ask(expert: Any, item: Item, question: str) -> Clarification:
    """Return the item to the county with a question (答复期限: the counties' deadline)."""
    require_scorer(expert, item)
    question = question.strip()
    if not question:
        raise EvidenceError("请填写需要县里说明的问题。", "Write the question for the county.")
    with transaction.atomic():
        c = Clarification.objects.create(
            series=item.series,
            item=item,
            expert=expert,
            question=question[:2000],
            asked_at=timezone.now(),
            due=deadline(item.year),
        )
        audit.record(expert, "evidence.returned", "evidence_item", item.pk, question=c.question)
    return c


def open_questions(item: Item) -> Any:
    return Clarification.objects.filter(series=item.series, answered_at=None)


def answer(
    user: Any,
    clarification: Clarification,
    text: str,
    *,
    values: dict[str, Any] | None = None,
    files: Iterable[tuple[str, bytes]] = (),
) -> Clarification:
    """The county's answer, before the deadline; with ``values`` or ``files`` the item gets a
    new version as well (the answer is its note)."""
    if clarification.answered_at is not None:
        raise EvidenceError("该问题已答复。", "This question has already been answered.")
    item = Item.objects.get(series=clarification.series, superseded_at=None)
    require_open(item.year)
    text = text.strip()
    if not text:
        raise EvidenceError("请填写答复。", "Write an answer.")
    files = list(files)
    with transaction.atomic():
        if values is not None or files:
            submit_item(
                user,
                item.region_code,
                item.year,
                item.kind,
                values if values is not None else item.values,
                files,
                series=item.series,
                note=text,
            )
        clarification.answer = text[:4000]
        clarification.answered_by = user if getattr(user, "is_authenticated", False) else None
        clarification.answered_at = timezone.now()
        clarification.save(update_fields=["answer", "answered_by", "answered_at"])
        audit.record(
            user, "evidence.answered", "evidence_item", item.pk, clarification=clarification.pk
        )
    return clarification
