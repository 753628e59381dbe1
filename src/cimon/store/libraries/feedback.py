"""Feedback on recommendations (issue #18): the need's owner or its county accepts a match, or
rejects it with the reason; every verdict is kept (:class:`MatchFeedback`) and audited
(``match.feedback``). :func:`stored_quality` measures the engine against the stored verdicts
(:func:`cimon.matching.quality.feedback_quality`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.matching.quality import Judgement, Quality, feedback_quality
from cimon.store import audit
from cimon.store.libraries.models import Match
from cimon.store.libraries.models_talent import ACCEPTED, REJECTED, MatchFeedback
from cimon.store.libraries.services import LibraryError, _name

__all__ = ["record_feedback", "stored_quality"]


@transaction.atomic
def record_feedback(
    match: Match, user: Any, accepted: bool, reason: str = "", *, label: str = ""
) -> MatchFeedback:
    """Keep a verdict on ``match`` (a rejection needs its reason). Who may give it is the web
    layer's policy (the need's owner, its county's clerk, an administrator)."""
    reason = reason.strip()
    if not accepted and not reason:
        raise LibraryError(
            "不采纳推荐时请说明理由（例如：技术不对口、价格过高、已有方案）。",
            "Say why the recommendation is rejected (e.g. wrong field, too expensive, solved).",
        )
    match = Match.objects.select_for_update().get(pk=match.pk)
    verdict = ACCEPTED if accepted else REJECTED
    fb = MatchFeedback.objects.create(
        match=match, verdict=verdict, reason=reason, rank=match.rank, label=label,
        at=timezone.now(), by=_name(user),
    )  # fmt: skip
    audit.record(user, "match.feedback", "match", match.pk, new=verdict, reason=reason,
                 rank=match.rank, label=label)  # fmt: skip
    return fb


def stored_quality(k: int = 10, *, region_codes: list[str] | None = None) -> Quality:
    """The engine's quality from every stored verdict (or those on needs of ``region_codes``)."""
    qs = MatchFeedback.objects.select_related("match").order_by("at", "id")
    if region_codes is not None:
        qs = qs.filter(match__need__region_code__in=region_codes)
    return feedback_quality(
        (
            Judgement(
                str(f.match.need_id), str(f.match.achievement_id), f.rank, f.verdict == ACCEPTED
            )
            for f in qs
        ),
        k=k,
    )
