"""The steps every part of the evaluation workflow shares: the error of a step not allowed now,
the status check, a status change with its audit event, and the current publication of a year."""

from __future__ import annotations

from typing import Any

from cimon.errors import CimonError
from cimon.store import audit
from cimon.store.evaluations.models import Evaluation, Publication


class WorkflowError(CimonError):
    """A workflow step that is not allowed now (wrong status, open objections …)."""


def check_status(ev: Evaluation, *allowed: str) -> None:
    """Raise :class:`WorkflowError` unless ``ev`` is in one of the ``allowed`` statuses."""
    if ev.status not in allowed:
        names = dict(Evaluation.STATUS_CHOICES)
        want = "、".join(names[s].split(" / ")[0] for s in allowed)
        want_en = ", ".join(names[s].split(" / ")[1] for s in allowed)
        now_zh, now_en = names[ev.status].split(" / ")
        raise WorkflowError(
            f"评价 #{ev.pk} 当前状态为“{now_zh}”，此操作只能在“{want}”状态下进行。",
            f"Evaluation #{ev.pk} is {now_en}; this step needs it to be {want_en}.",
        )


def move(user: Any, ev: Evaluation, new: str, action: str, **detail: Any) -> None:
    """Change the status of ``ev`` to ``new`` and write the audit event ``action``."""
    old = ev.status
    ev.status = new
    ev.save()
    audit.record(user, action, "evaluation", ev.pk, old=old, new=new, **detail)


def current_publication(year: int, province: str = "") -> Publication | None:
    """The current (not superseded) publication of ``year`` in ``province`` ("" on a
    single-province instance; see ``Publication.province``), or None."""
    return Publication.objects.filter(evaluation_year=year, province=province).current().first()
