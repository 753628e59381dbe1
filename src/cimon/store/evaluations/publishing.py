"""Publication: what may be published now, the confirmation preview and the publication itself,
with its basis and incentive rules frozen (see :mod:`cimon.store.evaluations.services`).

Versions are numbered per province and year (``Publication.province``: "" on a single-province
instance; on one hosting several provinces, the evaluation's province): each hosted province
publishes, corrects and is compared with its own versions only, under its own incentive rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.store.evaluations.models import NOTICE, OPEN, PUBLISHED, REVIEW, Evaluation, Publication
from cimon.store.evaluations.steps import WorkflowError, check_status, current_publication, move
from cimon.store.national.hosting import publication_province


def _check_publishable(ev: Evaluation, reason: str, today: date) -> Publication | None:
    """Raise :class:`WorkflowError` unless ``ev`` may be published now; returns the version it
    would supersede (None: the year's first publication in its province)."""
    previous = current_publication(ev.evaluation_year, publication_province(ev))
    if previous is None:
        check_status(ev, NOTICE)
        assert ev.notice_end is not None
        if today <= ev.notice_end:
            raise WorkflowError(
                f"公示期至 {ev.notice_end} 结束，结束后才能发布。",
                f"The public notice runs until {ev.notice_end}; publish after it ends.",
            )
    else:
        check_status(ev, REVIEW, NOTICE)
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
    from cimon.store.evaluations.basis import basis_ids
    from cimon.store.evaluations.rules import configured_for

    check_doc_number(document_number)
    previous = _check_publishable(ev, reason, today or timezone.localdate())
    province = publication_province(ev)
    later = []  # versions of later years compared with the one this corrects: they stay as are
    if previous is not None:
        for pub in Publication.objects.filter(
            province=province, evaluation_year__gt=ev.evaluation_year, superseded_at__isnull=True
        ).order_by("evaluation_year"):
            if basis_ids(pub).get(ev.evaluation_year) == previous.pk:
                later.append(pub)
    return {
        "version": (previous.version + 1) if previous else 1,
        "supersedes": previous,
        "keep_basis": later,
        "compared_with": current_publication(ev.evaluation_year - 1, province),
        # the incentive rules it will be published under (its province's), frozen with it
        "rules": configured_for(ev),
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
    with what it is compared with (:mod:`cimon.store.evaluations.basis`) and its incentive rules
    (:mod:`cimon.store.evaluations.rules`) frozen. ``issue_date`` and ``document_number`` (文号) go
    on the cover of the version's annual report."""
    from cimon.reports.annual.document import check_doc_number

    document_number = check_doc_number(document_number)
    previous = _check_publishable(ev, reason, today or timezone.localdate())
    province = publication_province(ev)
    with transaction.atomic():
        now = timezone.now()
        if previous is not None:
            Publication.objects.filter(pk=previous.pk).update(superseded_at=now)
        from cimon.store.evaluations.basis import current_before
        from cimon.store.evaluations.rules import configured_for, freeze

        pub = Publication.objects.create(
            province=province,
            evaluation_year=ev.evaluation_year,
            # what it is compared with, frozen now (see cimon.store.evaluations.basis)
            basis=current_before(ev.evaluation_year, province=province),
            # the incentive rules it shows, frozen now (see cimon.store.evaluations.rules)
            rules=freeze(configured_for(ev)),
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
        from cimon.store.evaluations.tasks import enqueue_publication

        enqueue_publication(pub.pk)  # its robustness analysis and downloads, in the background
        move(
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
