"""The evaluation workflow: run (in the background, with progress), review, public notice (公示),
objections, publication and corrections. Every step checks the user with
:mod:`cimon.web.accounts.policy` and writes an audit event (old → new status).

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
  (:mod:`cimon.web.evaluations.basis`), and so are the incentive rules it was published under
  (the configured ``CIMON_INCENTIVE_RULES`` at that moment: :mod:`cimon.web.evaluations.rules`);
* the pages ask for confirmation before publishing (:func:`publish_preview` says what will be
  published and what it will be compared with).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.errors import CimonError
from cimon.web.accounts import audit, policy
from cimon.web.evaluations.models import (
    DISMISSED,
    FAILED,
    NOTICE,
    OPEN,
    PUBLISHED,
    QUEUED,
    REVIEW,
    RUNNING,
    UPHELD,
    Evaluation,
    Objection,
    Publication,
)

NOTICE_DAYS = 7


class WorkflowError(CimonError):
    """A workflow step that is not allowed now (wrong status, open objections …)."""


def _deny(user: Any) -> None:
    if not policy.can_run_evaluations(user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied


def _status(ev: Evaluation, *allowed: str) -> None:
    if ev.status not in allowed:
        names = dict(Evaluation.STATUS_CHOICES)
        want = "、".join(names[s].split(" / ")[0] for s in allowed)
        want_en = ", ".join(names[s].split(" / ")[1] for s in allowed)
        now_zh, now_en = names[ev.status].split(" / ")
        raise WorkflowError(
            f"评价 #{ev.pk} 当前状态为“{now_zh}”，此操作只能在“{want}”状态下进行。",
            f"Evaluation #{ev.pk} is {now_en}; this step needs it to be {want_en}.",
        )


def _move(user: Any, ev: Evaluation, new: str, action: str, **detail: Any) -> None:
    old = ev.status
    ev.status = new
    ev.save()
    audit.record(user, action, "evaluation", ev.pk, old=old, new=new, **detail)


# --- running ------------------------------------------------------------------------------


def default_year() -> int:
    """The evaluation year the run form offers: the latest one the data stored now support —
    its data year (``year − data_lag``) has a current value of every variable the framework's
    indicators use and some value for every county of the registry (what the engine checks
    before it scores). Without such a year: the latest year with any stored data, else this
    calendar year."""
    from cimon.web.submissions.models import Observation
    from cimon.web.submissions.portal import web_framework, web_registry

    fw = web_framework()
    needed = {v for ind in fw.indicators for v in ind.variables}
    current = Observation.objects.filter(superseded_at__isnull=True, value__isnull=False)
    by_year: dict[int, set[str]] = {}
    for y, v in current.order_by().values_list("year", "variable").distinct():
        by_year.setdefault(int(y), set()).add(v)
    counties = set(web_registry().codes)
    for y in sorted(by_year, reverse=True):
        if needed <= by_year[y]:
            have = set(current.filter(year=y).order_by().values_list("region_code", flat=True))
            if counties <= have:
                return y + fw.data_lag
    return max(by_year) + fw.data_lag if by_year else timezone.localdate().year


def start(user: Any, year: int, *, queue: bool = True) -> Evaluation:
    """Record the evaluation of ``year`` over the data stored now and, with ``queue``, put its
    run on the task queue in the same transaction (:mod:`.tasks`: a worker runs it with
    :func:`execute`); without, the caller runs :func:`execute` itself."""
    from cimon.web.submissions.portal import web_framework

    _deny(user)
    fw = web_framework()
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
        audit.record(user, "evaluation.queued", "evaluation", ev.pk, new=QUEUED, year=year)
        if queue:
            from cimon.web.evaluations.tasks import enqueue_evaluation

            ev.task_id = enqueue_evaluation(ev.pk)
            ev.save(update_fields=["task_id"])
    return ev


def _progress(ev: Evaluation, percent: int, zh: str, en: str) -> None:
    ev.progress, ev.progress_note = percent, f"{zh} / {en}"
    ev.save(update_fields=["progress", "progress_note", "status", "started_at"])


def score_decimals(framework_id: str) -> int:
    """The decimals scores are published with under ``framework_id`` (``rounding`` of the
    framework; 2 when the framework cannot be loaded any more)."""
    return _decimals(framework_id)


@lru_cache(maxsize=32)
def _decimals(framework_id: str) -> int:
    from cimon.model.framework import load_framework

    try:
        return int(load_framework(framework_id).rounding)
    except Exception:  # an id no longer bundled: the default precision
        return 2


def result_rows(results: Any, pillars: Any = None) -> list[dict[str, Any]]:
    """The engine's results table as JSON-ready rows (NaN → None), in rank order; with the
    run's pillar scores (``pillars``: regions × pillar codes) as ``{"pillars": {code: points}}``
    so that published results keep them frozen too."""
    import math

    rows = []
    for code, row in results.sort_values(["rank", "score"], ascending=[True, False]).iterrows():
        out: dict[str, Any] = {"region_code": str(code)}
        for key in (
            "name",
            "city",
            "score",
            "score_published",
            "class",
            "rank",
            "rank_city",
            "flags",
        ):
            v = row.get(key)
            if isinstance(v, float) and math.isnan(v):
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            out[key] = v
        if pillars is not None and code in pillars.index:
            out["pillars"] = {
                str(p): (None if math.isnan(float(x)) else float(x))
                for p, x in pillars.loc[code].items()
            }
        rows.append(out)
    return rows


def execute(evaluation_id: int) -> Evaluation:
    """Run a queued evaluation: read the panel as of its moment, evaluate, store the results;
    progress is saved at each step so a page can show it. Never raises for a domain error: the
    evaluation is marked failed with the message."""
    import json

    from cimon.engine.pipeline import evaluate
    from cimon.web.submissions.portal import web_framework, web_registry
    from cimon.web.submissions.queries import panel_as_of

    ev = Evaluation.objects.get(pk=evaluation_id)
    _status(ev, QUEUED)
    # claim the run: of two workers given the same id, one goes on
    if not Evaluation.objects.filter(pk=ev.pk, status=QUEUED).update(status=RUNNING):
        ev.refresh_from_db()
        _status(ev, QUEUED)
    ev.status, ev.started_at = RUNNING, timezone.now()
    _progress(ev, 10, "读取数据", "reading the data")
    try:
        fw = web_framework()
        if fw.hash != ev.framework_hash:
            raise WorkflowError(
                f"指标体系 {fw.id} 已变更，请重新发起评价。",
                f"The framework {fw.id} changed since this run was queued; start a new run.",
            )
        panel = panel_as_of(ev.data_as_of, fw)
        _progress(ev, 40, "计算得分", "scoring")
        run = evaluate(fw, panel, ev.evaluation_year, web_registry())
        _progress(ev, 80, "保存结果", "saving the results")
        ev.results = result_rows(run.results, run.data.get("pillars"))
        ev.class_counts = run.class_counts()
        ev.log = json.loads(json.dumps(run.log, default=str))
        ev.data_hash = run.data_hash
    except CimonError as exc:
        ev.status, ev.error = FAILED, exc.render("both")
        ev.finished_at = timezone.now()
        ev.progress_note = "失败 / failed"
        ev.save()
        audit.record(None, "evaluation.failed", "evaluation", ev.pk, old=RUNNING, new=FAILED)
        return ev
    ev.status, ev.progress, ev.finished_at = REVIEW, 100, timezone.now()
    ev.progress_note = "完成，待审核 / done, in review"
    ev.save()
    audit.record(
        None,
        "evaluation.finished",
        "evaluation",
        ev.pk,
        old=RUNNING,
        new=REVIEW,
        class_counts=ev.class_counts,
    )
    return ev


# --- notice, objections, publication -------------------------------------------------------


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
    _deny(user)
    _status(ev, REVIEW)
    today = today or timezone.localdate()
    start_on = start_on or today
    end_on = end_on or default_notice_end(start_on)
    if end_on < start_on:
        raise WorkflowError(
            f"公示结束日期 {end_on} 早于开始日期 {start_on}。",
            f"The notice ends ({end_on}) before it starts ({start_on}).",
        )
    broken = notice_breaks(start_on, end_on, today)
    reason = override_reason.strip()
    if broken and not reason:
        raise WorkflowError(
            "".join(zh for zh, _ in broken)
            + "如公示已在线下进行等特殊情况，请勾选“例外”并填写理由（记入审计日志）。",
            " ".join(en for _, en in broken)
            + " If the notice was held otherwise (offline, earlier), tick the exception and "
            "give the reason (kept in the audit log).",
        )
    with transaction.atomic():
        ev.notice_start, ev.notice_end = start_on, end_on
        ev.notice_override = reason if broken else ""
        detail: dict[str, Any] = {"start": str(start_on), "end": str(end_on)}
        if broken:
            detail["override_reason"] = reason
            detail["rules_broken"] = [en for _, en in broken]
        _move(user, ev, NOTICE, "evaluation.notice", **detail)
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
    from cimon.web.submissions.portal import web_registry

    _deny(user)
    _status(ev, NOTICE)
    if not raised_by.strip() or not content.strip():
        raise WorkflowError(
            "请填写异议人和异议内容。", "Give who objected and what the objection says."
        )
    region_code = region_code.strip()
    if region_code and region_code not in web_registry().codes:
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
    _deny(user)
    _status(obj.evaluation, NOTICE)
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


def current_publication(year: int) -> Publication | None:
    return Publication.objects.filter(evaluation_year=year, superseded_at__isnull=True).first()


def visible_publication(user: Any, year: int, version: int | None = None) -> Publication | None:
    """The publication of ``year`` a page or the API shows ``user``: the current version, or
    ``version``; ``None`` when the year is unpublished, the version does not exist or the user
    may not see it (:func:`~cimon.web.accounts.policy.can_view_publication`)."""
    pubs = Publication.objects.filter(evaluation_year=year).select_related("evaluation")
    pub = (
        pubs.filter(superseded_at__isnull=True).first()
        if version is None
        else pubs.filter(version=version).first()
    )
    return pub if pub is not None and policy.can_view_publication(user, pub) else None


def _check_publishable(ev: Evaluation, reason: str, today: date) -> Publication | None:
    """Raise :class:`WorkflowError` unless ``ev`` may be published now; returns the version it
    would supersede (None: the year's first publication)."""
    previous = current_publication(ev.evaluation_year)
    if previous is None:
        _status(ev, NOTICE)
        assert ev.notice_end is not None
        if today <= ev.notice_end:
            raise WorkflowError(
                f"公示期至 {ev.notice_end} 结束，结束后才能发布。",
                f"The public notice runs until {ev.notice_end}; publish after it ends.",
            )
    else:
        _status(ev, REVIEW, NOTICE)
        if not reason.strip():
            raise WorkflowError(
                f"{ev.evaluation_year} 年度已发布第 {previous.version} 版；更正发布必须填写理由。",
                f"Version {previous.version} of {ev.evaluation_year} is published; a correction "
                "needs a reason.",
            )
    open_ = ev.objections.filter(status=OPEN).count()
    if open_:
        raise WorkflowError(
            f"还有 {open_} 条异议未处理，处理后才能发布。",
            f"{open_} objection(s) still open; handle them before publishing.",
        )
    return previous


def publish_preview(
    user: Any,
    ev: Evaluation,
    reason: str = "",
    today: date | None = None,
    document_number: str = "",
) -> dict[str, Any]:
    """What publishing ``ev`` now would do, for the confirmation page (raises
    :class:`WorkflowError` as :func:`publish` would): the version it becomes, the version it
    supersedes (a correction), and the version of the year before it will be compared with for
    good (``compared_with`` None: that year has no published result yet, so no jumps, places or
    incentive money can be counted for this version); ``keep_basis``: the current versions of
    later years compared with the version this one corrects, which keep that comparison;
    ``rules``: the incentive rule set it will be published under (frozen with it)."""
    from cimon.reports.annual.document import check_doc_number
    from cimon.web.evaluations.basis import basis_ids
    from cimon.web.evaluations.rules import configured

    _deny(user)
    check_doc_number(document_number)
    previous = _check_publishable(ev, reason, today or timezone.localdate())
    later = []  # versions of later years compared with the one this corrects: they stay as are
    if previous is not None:
        for pub in Publication.objects.filter(
            evaluation_year__gt=ev.evaluation_year, superseded_at__isnull=True
        ).order_by("evaluation_year"):
            if basis_ids(pub).get(ev.evaluation_year) == previous.pk:
                later.append(pub)
    return {
        "version": (previous.version + 1) if previous else 1,
        "supersedes": previous,
        "keep_basis": later,
        "compared_with": current_publication(ev.evaluation_year - 1),
        # the incentive rules it will be published under, frozen with it
        "rules": configured(),
        "class_counts": ev.class_counts,
        "counties": len(ev.results),
        "handled_objections": ev.objections.exclude(status=OPEN).count(),
    }


def publish(
    user: Any,
    ev: Evaluation,
    reason: str = "",
    today: date | None = None,
    issue_date: date | None = None,
    document_number: str = "",
) -> Publication:
    """Publish an evaluation's results as the next version of its year (see the module rules),
    with what it is compared with (:mod:`cimon.web.evaluations.basis`) and its incentive rules
    (:mod:`cimon.web.evaluations.rules`) frozen. ``issue_date`` and ``document_number`` (文号) go
    on the cover of the version's annual report."""
    from cimon.reports.annual.document import check_doc_number

    _deny(user)
    document_number = check_doc_number(document_number)
    previous = _check_publishable(ev, reason, today or timezone.localdate())
    with transaction.atomic():
        now = timezone.now()
        if previous is not None:
            Publication.objects.filter(pk=previous.pk).update(superseded_at=now)
        from cimon.web.evaluations.basis import current_before
        from cimon.web.evaluations.rules import configured, freeze

        pub = Publication.objects.create(
            evaluation_year=ev.evaluation_year,
            # what it is compared with, frozen now (see cimon.web.evaluations.basis)
            basis=current_before(ev.evaluation_year),
            # the incentive rules it shows, frozen now (see cimon.web.evaluations.rules)
            rules=freeze(configured()),
            version=(previous.version + 1) if previous else 1,
            evaluation=ev,
            results=ev.results,
            class_counts=ev.class_counts,
            published_at=now,
            published_by=user,
            reason=reason.strip(),
            issue_date=issue_date,
            document_number=document_number,
        )
        from cimon.web.evaluations.tasks import enqueue_publication

        enqueue_publication(pub.pk)  # its robustness analysis and downloads, in the background
        _move(
            user,
            ev,
            PUBLISHED,
            "evaluation.published",
            version=pub.version,
            reason=pub.reason,
            supersedes=previous.version if previous else None,
            issue_date=str(issue_date or ""),
            document_number=document_number,
        )
    return pub
