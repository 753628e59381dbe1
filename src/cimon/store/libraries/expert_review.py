"""Expert review, one step shared by 揭榜挂帅 calls (:mod:`cimon.store.libraries.calls`) and
成果征集 collections (:mod:`cimon.store.libraries.collection`): a reviewer is assigned with the
institution that decides conflicts of interest; an expert of the scored unit's own institution is
excluded; a score is a whole number 0–100, each a new row; the mean counts each non-conflicted
reviewer's latest score.

What is reviewed (a call, a collection) has ``reviewers``; what is scored (an application, an
entry) has ``scores``; the caller checks the workflow state (and writes a score's audit event).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cimon.store import audit
from cimon.store.libraries.services import LibraryError


@dataclass(frozen=True)
class Names:
    """How the messages name what is reviewed and the scored unit's institution."""

    reviewed_zh: str  # 该榜单
    reviewed_en: str  # this call
    unit_zh: str  # 申请单位
    unit_en: str  # the applicant's institution


def _same(a: str, b: str) -> bool:
    """Two institution names are the same one (spaces and case aside)."""
    return "".join(a.split()).casefold() == "".join(b.split()).casefold() != ""


def conflicted(reviewer_institution: str, applicant_institution: str) -> bool:
    """An expert of the applicant's own institution has a conflict and is excluded."""
    return _same(reviewer_institution, applicant_institution)


def check_institution(text: str) -> str:
    """A reviewer's institution, required: it decides conflicts of interest."""
    if not text.strip():
        raise LibraryError(
            "请填写专家的工作单位（用于回避）。",
            "Give the expert's institution (it decides conflicts of interest).",
        )
    return text.strip()


def add_reviewer(
    user: Any, reviewed: Any, kind: str, expert: Any, institution: str, names: Names, **more: Any
) -> Any:
    """``expert`` becomes a reviewer of ``reviewed`` (a call or a collection: audit kind
    ``kind``) with its ``institution`` (checked by :func:`check_institution`) and the ``more``
    columns; an expert already reviewing is refused."""
    row, created = reviewed.reviewers.get_or_create(
        expert=expert, defaults={"institution": institution, "assigned_at": timezone.now(), **more}
    )
    if not created:
        raise LibraryError(
            f"专家 {expert.get_username()} 已是{names.reviewed_zh}的评审专家。",
            f"Expert {expert.get_username()} already reviews {names.reviewed_en}.",
        )
    audit.record(user, f"{kind}.reviewer", kind, reviewed.pk, new=expert.get_username(),
                 institution=row.institution)  # fmt: skip
    return row


def reviewer_of(reviewed: Any, user: Any) -> Any | None:
    """``user``'s reviewer row of ``reviewed`` (a call or a collection), or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    return reviewed.reviewers.filter(expert=user).first()


def record_score(
    scored: Any, reviewer: Any | None, unit: str, score: int, comment: str, names: Names
) -> Any:
    """A new score row of ``scored`` (an application or an entry of unit ``unit``) by
    ``reviewer``: refused for who reviews nothing here, for an expert of the unit's own
    institution, and for a score that is not a whole number 0–100."""
    if reviewer is None:
        raise LibraryError(
            f"您不是{names.reviewed_zh}的评审专家。", f"You do not review {names.reviewed_en}."
        )
    if conflicted(reviewer.institution, unit):
        raise LibraryError(
            f"您与{names.unit_zh}“{unit}”同属一个单位，须回避，不能评分。",
            f"You work at {names.unit_en} ({unit}): you are excluded.",
        )
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise LibraryError(
            f"评分须为 0–100 的整数，而不是 {score!r}。",
            f"A score is a whole number 0–100, not {score!r}.",
        )
    return scored.scores.create(
        reviewer=reviewer, score=score, comment=comment.strip(), recorded_at=timezone.now()
    )


def mean_score(scored: Any, unit: str) -> float | None:
    """The mean of each non-conflicted reviewer's latest score of ``scored`` (None: not
    scored)."""
    latest: dict[int, int] = {}
    for s in scored.scores.select_related("reviewer").order_by("recorded_at", "id"):
        if not conflicted(s.reviewer.institution, unit):
            latest[s.reviewer_id] = s.score
    return sum(latest.values()) / len(latest) if latest else None
