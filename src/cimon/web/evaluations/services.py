"""The evaluation workflow as the pages use it: each step first asks the web's policy
(:func:`cimon.web.accounts.policy.can_run_evaluations`) and then calls the workflow of
:mod:`cimon.store.evaluations.services`, which does the work and writes the audit log. Same
names, same arguments; what needs no permission is the store's function itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied

from cimon.store.evaluations import services as store
from cimon.store.evaluations.models import Evaluation, Objection, Publication
from cimon.store.evaluations.services import (
    NOTICE_DAYS,
    WorkflowError,
    current_publication,
    default_notice_end,
    default_year,
    execute,
    notice_breaks,
    notice_days,
    result_rows,
    score_decimals,
)
from cimon.web.accounts import policy

__all__ = [
    "NOTICE_DAYS",
    "WorkflowError",
    "current_publication",
    "default_notice_end",
    "default_year",
    "execute",
    "handle_objection",
    "notice_breaks",
    "notice_days",
    "publish",
    "publish_preview",
    "put_on_notice",
    "record_objection",
    "result_rows",
    "score_decimals",
    "start",
    "visible_publication",
]


def _deny(user: Any) -> None:
    if not policy.can_run_evaluations(user):
        raise PermissionDenied


def start(user: Any, year: int, *, queue: bool = True) -> Evaluation:
    _deny(user)
    return store.start(user, year, queue=queue)  # in the account's province (#20)


def put_on_notice(
    user: Any,
    ev: Evaluation,
    start_on: date | None = None,
    end_on: date | None = None,
    *,
    override_reason: str = "",
    today: date | None = None,
) -> Evaluation:
    _deny(user)
    return store.put_on_notice(
        user, ev, start_on, end_on, override_reason=override_reason, today=today
    )


def record_objection(
    user: Any,
    ev: Evaluation,
    *,
    raised_by: str,
    content: str,
    region_code: str = "",
    received_on: date | None = None,
) -> Objection:
    _deny(user)
    return store.record_objection(
        user,
        ev,
        raised_by=raised_by,
        content=content,
        region_code=region_code,
        received_on=received_on,
    )


def handle_objection(user: Any, obj: Objection, decision: str, response: str) -> Objection:
    _deny(user)
    return store.handle_objection(user, obj, decision, response)


def publish_preview(
    user: Any,
    ev: Evaluation,
    reason: str = "",
    today: date | None = None,
    document_number: str = "",
) -> dict[str, Any]:
    _deny(user)
    return store.publish_preview(user, ev, reason, today, document_number)


def publish(
    user: Any,
    ev: Evaluation,
    reason: str = "",
    today: date | None = None,
    issue_date: date | None = None,
    document_number: str = "",
) -> Publication:
    _deny(user)
    return store.publish(user, ev, reason, today, issue_date, document_number)


def visible_publication(
    user: Any, year: int, version: int | None = None, *, rows: bool = True
) -> Publication | None:
    """The publication of ``year`` a page or the API shows ``user``: the current version, or
    ``version``; ``None`` when the year is unpublished, the version does not exist or the user
    may not see it (:func:`~cimon.web.accounts.policy.can_view_publication`). ``rows=False``:
    without its rows (read them with :func:`cimon.store.evaluations.listing.frozen_rows`). On an
    instance hosting several provinces, the year's publication of the user's province."""
    from cimon.store.national.hosting import viewer_province

    province = viewer_province(user)
    if province is None:
        return None
    pub = Publication.objects.of_year(year, version, rows=rows, province=province)
    return pub if pub is not None and policy.can_view_publication(user, pub) else None
