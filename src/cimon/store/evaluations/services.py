"""The evaluation workflow: run (in the background, with progress), review, public notice (公示),
objections, publication and corrections. Every step writes an audit event (old → new status)
naming the user; whether the user may take the step is the caller's decision (the web checks
its policy first, :mod:`cimon.web.evaluations.services`).

One API over its parts: :mod:`.running` (the run), :mod:`.notice` (notice and objections),
:mod:`.publishing` (publication), :mod:`.steps` and :mod:`.results` (what they share).

Rules (seed 000 section 四: the science department evaluates and publishes the yearly results):

* a run evaluates the stored data as of the moment it was started; a failure keeps the
  message (both languages) and the run can be started again;
* the notice period (公示期) starts today or later and lasts at least ``CIMON_NOTICE_DAYS`` days
  (default 7, counting the first and last day); a period that breaks this (a notice held
  offline earlier) needs a reason, kept with the evaluation and in the audit log;
* objections are recorded only while on notice, name their county from the region registry,
  were received today or earlier, and each must be upheld or dismissed, with a response, before
  publication;
* the first publication of a year needs the notice period to be over; a later one is a
  **correction**: it needs a reason, supersedes the current version (which stays readable to
  administrators) and may come straight from review;
* published results are a frozen copy: later runs never change them, and what a version is
  compared with (last year's version, for jumps and incentive money) is frozen with it
  (:mod:`cimon.store.evaluations.basis`), and so are the incentive rules it was published under
  (the configured ``CIMON_INCENTIVE_RULES`` at that moment: :mod:`cimon.store.evaluations.rules`);
* the pages ask for confirmation before publishing (:func:`publish_preview` says what will be
  published and what it will be compared with).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.store import audit
from cimon.store.evaluations.models import QUEUED, Evaluation
from cimon.store.evaluations.notice import (
    NOTICE_DAYS,
    default_notice_end,
    handle_objection,
    notice_breaks,
    notice_days,
    put_on_notice,
    record_objection,
)
from cimon.store.evaluations.publishing import publish, publish_preview
from cimon.store.evaluations.results import result_rows, score_decimals
from cimon.store.evaluations.running import default_year, execute
from cimon.store.evaluations.steps import WorkflowError, current_publication

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
]


def start(user: Any, year: int, *, queue: bool = True, province: str | None = None) -> Evaluation:
    """Record the evaluation of ``year`` over the data stored now and, with ``queue``, put its
    run on the task queue in the same transaction (:mod:`.tasks`: a worker runs it with
    :func:`execute`); without, the caller runs :func:`execute` itself. On an instance hosting
    several provinces the evaluation belongs to ``province`` (it must be hosted), else to the
    account's province (:func:`~cimon.store.national.hosting.creating_province`: required when
    several are hosted and the account has none), and is tagged with it: it runs on that
    province's framework, registry and data and publishes under its incentive rules."""
    from cimon.store.national.hosting import creating_province, tag_evaluation
    from cimon.store.platform import platform_framework

    code = creating_province(user, province)
    fw = platform_framework(code)
    with transaction.atomic():
        ev = Evaluation.objects.create(
            evaluation_year=year,
            data_year=year - fw.data_lag,
            framework_id=fw.id,
            framework_version=fw.version,
            framework_hash=fw.hash,
            data_as_of=timezone.now(),
            created_by=user,
            created_at=timezone.now(),
            progress_note="排队中 / queued",
        )
        if code is not None:
            tag_evaluation(ev, code)
        audit.record(
            user,
            "evaluation.queued",
            "evaluation",
            ev.pk,
            new=QUEUED,
            year=year,
            **({"province": code} if code is not None else {}),
        )
        if queue:
            from cimon.store.evaluations.tasks import enqueue_evaluation

            ev.task_id = enqueue_evaluation(ev.pk)
            ev.save(update_fields=["task_id"])
    return ev
