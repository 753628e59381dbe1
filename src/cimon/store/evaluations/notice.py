"""Public notice (公示) and objections: the notice period rules, putting a reviewed evaluation on
notice, recording objections and handling them (see :mod:`cimon.store.evaluations.services`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.store import audit
from cimon.store.evaluations.models import (
    DISMISSED,
    NOTICE,
    OPEN,
    REVIEW,
    UPHELD,
    Evaluation,
    Objection,
)
from cimon.store.evaluations.steps import WorkflowError, check_status, move

NOTICE_DAYS = 7


def notice_days() -> int:
    """The shortest notice period in days, counting the first and the last day
    (``CIMON_NOTICE_DAYS``, default 7)."""
    from django.conf import settings

    return max(1, int(getattr(settings, "CIMON_NOTICE_DAYS", NOTICE_DAYS)))


def default_notice_end(start_on: date) -> date:
    """The last day of the shortest notice period that starts on ``start_on``."""
    return start_on + timedelta(days=notice_days() - 1)


def notice_breaks(start_on: date, end_on: date, today: date) -> list[tuple[str, str]]:
    """The rules a notice period from ``start_on`` to ``end_on`` (both days included) breaks,
    as (Chinese, English) sentences: it must start today or later and last at least
    :func:`notice_days` days."""
    out = []
    if start_on < today:
        out.append(
            (
                f"公示开始日期 {start_on} 早于今天（{today}）：公示期应从今天或以后开始。",
                f"The notice starts on {start_on}, before today ({today}): a notice starts "
                "today or later.",
            )
        )
    days, least = (end_on - start_on).days + 1, notice_days()
    if days < least:
        out.append(
            (
                f"公示期 {start_on} 至 {end_on} 共 {days} 天，少于规定的 {least} 天"
                f"（最早可于 {start_on + timedelta(days=least - 1)} 结束）。",
                f"The notice from {start_on} to {end_on} lasts {days} day(s), less than the "
                f"required {least} (it can end on {start_on + timedelta(days=least - 1)} at the "
                "earliest).",
            )
        )
    return out


def strict_period(
    start_on: date | None, end_on: date | None, today: date, error: type[Exception]
) -> tuple[date, date]:
    """The notice period ``start_on`` (default ``today``) to ``end_on`` (default
    :func:`default_notice_end`) for a notice that admits no exception: ``error(zh, en)`` with
    every rule it breaks (:func:`notice_breaks`)."""
    start = start_on or today
    end = end_on or default_notice_end(start)
    broken = notice_breaks(start, end, today)
    if broken:
        raise error(" ".join(zh for zh, _ in broken), " ".join(en for _, en in broken))
    return start, end


#: how to ask for the exception's reason, (Chinese, English): on a form with an exception box and
#: a reason (the evaluations'), or with a reason field only (the collections')
TICK_AND_REASON = ("请勾选“例外”并填写理由", "tick the exception and give the reason")
REASON_ONLY = ("请填写例外理由", "give the reason")


@dataclass(frozen=True)
class NoticePeriod:
    """A notice period :func:`overridable_period` accepted: ``override`` is the reason kept
    when the period breaks a rule (``broken``: the rules broken, in English), else ``""``."""

    start: date
    end: date
    override: str = ""
    broken: tuple[str, ...] = ()

    def audit_detail(self) -> dict[str, Any]:
        """The audit event's detail: the dates, and the reason and the rules broken if any."""
        detail: dict[str, Any] = {"start": str(self.start), "end": str(self.end)}
        if self.broken:
            detail["override_reason"] = self.override
            detail["rules_broken"] = list(self.broken)
        return detail


def overridable_period(
    start_on: date | None,
    end_on: date | None,
    today: date,
    override_reason: str,
    error: type[Exception],
    how: tuple[str, str] = REASON_ONLY,
) -> NoticePeriod:
    """The notice period ``start_on`` (default ``today``) to ``end_on`` (default
    :func:`default_notice_end`) for a notice that admits an exception: a period that breaks the
    rules (:func:`notice_breaks`) — a notice held offline earlier, say — is accepted only with
    ``override_reason``; else ``error(zh, en)`` with every rule it breaks and ``how`` to give
    the reason. An end before the start is never accepted."""
    start = start_on or today
    end = end_on or default_notice_end(start)
    if end < start:
        raise error(
            f"公示结束日期 {end} 早于开始日期 {start}。",
            f"The notice ends ({end}) before it starts ({start}).",
        )
    broken = notice_breaks(start, end, today)
    reason = override_reason.strip()
    if broken and not reason:
        raise error(
            "".join(zh for zh, _ in broken)
            + f"如公示已在线下进行等特殊情况，{how[0]}（记入审计日志）。",
            " ".join(en for _, en in broken)
            + f" If the notice was held otherwise (offline, earlier), {how[1]} (kept in the "
            "audit log).",
        )
    return NoticePeriod(start, end, reason if broken else "", tuple(en for _, en in broken))


def put_on_notice(
    user: Any,
    ev: Evaluation,
    start_on: date | None = None,
    end_on: date | None = None,
    *,
    override_reason: str = "",
    today: date | None = None,
) -> Evaluation:
    """Put a reviewed evaluation on public notice from ``start_on`` (default today) to
    ``end_on`` (default: the shortest period, :func:`default_notice_end`), both days included.

    The period must start today or later and last at least :func:`notice_days` days
    (:func:`notice_breaks`). A period that breaks these rules — a notice held offline earlier,
    say — is accepted only with ``override_reason``, which is kept with the evaluation and in
    the audit event. An end before the start is never accepted."""
    check_status(ev, REVIEW)
    period = overridable_period(
        start_on, end_on, today or timezone.localdate(), override_reason, WorkflowError,
        TICK_AND_REASON,
    )  # fmt: skip
    with transaction.atomic():
        ev.notice_start, ev.notice_end = period.start, period.end
        ev.notice_override = period.override
        move(user, ev, NOTICE, "evaluation.notice", **period.audit_detail())
    return ev


def record_objection(
    user: Any,
    ev: Evaluation,
    *,
    raised_by: str,
    content: str,
    region_code: str = "",
    received_on: date | None = None,
) -> Objection:
    """Record an objection received while the evaluation is on notice. ``region_code``: the
    county it concerns, a code of the province's region registry (or empty); ``received_on``:
    default today, never in the future."""
    from cimon.store.evaluations.running import inputs_of

    check_status(ev, NOTICE)
    if not raised_by.strip() or not content.strip():
        raise WorkflowError(
            "请填写异议人和异议内容。", "Give who objected and what the objection says."
        )
    region_code = region_code.strip()
    if region_code and region_code not in inputs_of(ev)[2].codes:  # its province's (#20)
        raise WorkflowError(
            f"涉及的县“{region_code}”不在本省的县（市、区）名录中：请从列表中选择。",
            f"The county '{region_code}' is not in the province's region registry: pick one "
            "from the list.",
        )
    today = timezone.localdate()
    if received_on is not None and received_on > today:
        raise WorkflowError(
            f"收到日期 {received_on} 晚于今天（{today}）：请填写实际收到异议的日期。",
            f"The received date {received_on} is after today ({today}): give the day the "
            "objection was received.",
        )
    with transaction.atomic():
        obj = Objection.objects.create(
            evaluation=ev,
            region_code=region_code,
            raised_by=raised_by.strip(),
            content=content.strip(),
            received_on=received_on or today,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        audit.record(user, "objection.recorded", "objection", obj.pk, new=OPEN, evaluation=ev.pk)
    return obj


def handle_objection(user: Any, obj: Objection, decision: str, response: str) -> Objection:
    """Uphold or dismiss an objection, with the response given to whoever raised it (while its
    evaluation is on notice: after publication the record is closed)."""
    check_status(obj.evaluation, NOTICE)
    if decision not in (UPHELD, DISMISSED):
        raise WorkflowError(
            f"处理结果“{decision}”无效：应为 upheld（成立）或 dismissed（不成立）。",
            f"Unknown decision '{decision}': use upheld or dismissed.",
        )
    if not response.strip():
        raise WorkflowError("请填写处理意见。", "Give the response to the objection.")
    with transaction.atomic():
        old = obj.status
        obj.status, obj.response = decision, response.strip()
        obj.handled_by, obj.handled_at = user, timezone.now()
        obj.save()
        audit.record(user, "objection.handled", "objection", obj.pk, old=old, new=decision)
    return obj
