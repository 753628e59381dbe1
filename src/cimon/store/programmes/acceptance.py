"""Mid-term review (中期评估) and acceptance (验收) of a designated unit (#19).

An acceptance: the unit's self-summary with files (SHA-256) and the completion of every target
computed at that moment (:func:`~cimon.store.programmes.services.target_statuses`) →
experts score it (an expert from the unit's own county has a conflict and is refused) and the
site review (现场考察) records what it found → the administrator decides pass / fail / postpone
with reasons → 公示 under the evaluations' notice rules (never backdated, at least
``CIMON_NOTICE_DAYS`` days, objections recorded and handled) → published after the notice when
no objection is open. Every step is audited; nothing stored is overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.safe import safe_filename
from cimon.store import audit
from cimon.store.evaluations.notice import strict_period
from cimon.store.programmes.models import (
    MIDTERM_RESULTS,
    RESULTS,
    SITE_RESULTS,
    Acceptance,
    AcceptanceFile,
    AcceptanceObjection,
    AcceptanceReview,
    Application,
    MidTermReview,
)
from cimon.store.programmes.services import ProgrammeError, target_statuses

#: bound on a self-summary file, bytes
MAX_FILE_BYTES = 20 * 1024 * 1024


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _name(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return str(user or "")
    return getattr(user, "get_full_name", lambda: "")() or user.get_username()


def _designated(app: Application, what_zh: str, what_en: str) -> None:
    if app.status != "designated":
        raise ProgrammeError(
            f"只有已命名的单位可以{what_zh}。", f"Only designated units can {what_en}."
        )


def midterm_review(
    user: Any, app: Application, year: int, result: str, opinion: str
) -> MidTermReview:
    """A new version of the mid-term review: the current progress reports and the completion
    computed now are frozen with the experts' opinion and the result (良好/合格/需整改)."""
    _designated(app, "进行中期评估", "have a mid-term review")
    if result not in MIDTERM_RESULTS:
        raise ProgrammeError(
            f"中期评估结果须为 {'、'.join(v[0] for v in MIDTERM_RESULTS.values())}"
            f"（{'/'.join(MIDTERM_RESULTS)}）。",
            f"The mid-term result is one of {', '.join(MIDTERM_RESULTS)}.",
        )
    if not opinion.strip():
        raise ProgrammeError("请填写专家意见。", "Give the experts' opinion.")
    reports = [
        {"year": r.year, "target": r.target_code, "value": r.value, "sha256": r.sha256}
        for r in app.progress.filter(superseded_at__isnull=True)
    ]
    now = timezone.now()
    with transaction.atomic():
        old = app.midterms.filter(superseded_at__isnull=True).first()
        if old is not None:
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
        mt = MidTermReview.objects.create(
            application=app, version=(old.version + 1) if old else 1, year=int(year),
            reports=reports, completion=target_statuses(app), opinion=opinion.strip(),
            result=result, reviewed_by=_user(user), created_at=now,
        )  # fmt: skip
        audit.record(
            user, "programme.midterm", "application", app.pk, version=mt.version, result=result
        )
    return mt


def accept(
    user: Any, app: Application, summary: str,
    files: Sequence[tuple[str, bytes]] = (), *, label: str = "",
) -> Acceptance:  # fmt: skip
    """Start an acceptance (验收): the self-summary, its files and the completion of every
    target computed from stored data now. One open acceptance per application at a time."""
    _designated(app, "申请验收", "apply for acceptance")
    if not summary.strip():
        raise ProgrammeError("请填写自评总结。", "Give the self-summary.")
    if app.acceptances.exclude(status="published").exists():
        raise ProgrammeError(
            "已有一次验收尚未公布，请先办结。", "An acceptance is under way; finish it first."
        )
    for name, content in files:
        if len(content) > MAX_FILE_BYTES:
            raise ProgrammeError(
                f"自评材料“{name}”超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请压缩或拆分后再上传。",
                f"Self-summary file '{name}' exceeds {MAX_FILE_BYTES // 1024 // 1024} MB; "
                "compress or split it.",
            )
    now = timezone.now()
    with transaction.atomic():
        acc = Acceptance.objects.create(
            application=app, summary=summary.strip(), completion=target_statuses(app),
            status="submitted", created_by=_user(user), created_at=now, label=label,
        )  # fmt: skip
        for name, content in files:
            AcceptanceFile.objects.create(
                acceptance=acc, file_name=safe_filename(name), content=content,
                sha256=hashlib.sha256(content).hexdigest(), created_at=now,
            )  # fmt: skip
        audit.record(
            user, "programme.accept", "application", app.pk, acceptance=acc.pk,
            files=[hashlib.sha256(c).hexdigest() for _, c in files],
        )  # fmt: skip
    return acc


def _status(acc: Acceptance, *allowed: str) -> None:
    if acc.status not in allowed:
        raise ProgrammeError(
            f"验收状态为“{acc.status}”，此步骤只适用于：{'、'.join(allowed)}。",
            f"The acceptance is {acc.status}; this step applies only to: {', '.join(allowed)}.",
        )


def has_conflict(user: Any, app: Application) -> bool:
    """An expert from the unit's own county (its account's region) has a conflict."""
    from cimon.store.accounts.models import Account
    from cimon.store.programmes.sources import region_code

    acct = Account.objects.filter(user_id=getattr(user, "pk", None)).first()
    own = acct.region_code if acct is not None else ""
    return bool(own) and own in (app.county, region_code(app.county))


def review(user: Any, acc: Acceptance, points: float, opinion: str = "") -> AcceptanceReview:
    """An expert's score (0–100) of a submitted acceptance; a new one supersedes the old."""
    _status(acc, "submitted")
    if has_conflict(user, acc.application):
        raise ProgrammeError(
            "专家与被验收单位同属一县，须回避，不能评分。",
            "The expert is from the unit's own county (a conflict) and may not score.",
        )
    if not 0 <= float(points) <= 100:
        raise ProgrammeError("评分须在 0 至 100 之间。", "Points are between 0 and 100.")
    return _review(user, acc, "expert", points=float(points), opinion=opinion)


def site_review(user: Any, acc: Acceptance, result: str, findings: str = "") -> AcceptanceReview:
    """The site review's (现场考察) result of a submitted acceptance."""
    _status(acc, "submitted")
    if result not in SITE_RESULTS:
        raise ProgrammeError(
            f"现场考察结果须为 {'、'.join(v[0] for v in SITE_RESULTS.values())}"
            f"（{'/'.join(SITE_RESULTS)}）。",
            f"The site-review result is one of {', '.join(SITE_RESULTS)}.",
        )
    return _review(user, acc, "site", result=result, opinion=findings)


def _review(user: Any, acc: Acceptance, kind: str, **values: Any) -> AcceptanceReview:
    now = timezone.now()
    with transaction.atomic():
        AcceptanceReview.objects.filter(
            acceptance=acc, kind=kind, reviewer=_user(user), superseded_at__isnull=True
        ).update(superseded_at=now)
        r = AcceptanceReview.objects.create(
            acceptance=acc, kind=kind, reviewer=_user(user), reviewer_name=_name(user),
            created_at=now, **values,
        )  # fmt: skip
        audit.record(
            user, f"programme.acceptance_{kind}", "acceptance", acc.pk,
            points=values.get("points"), result=values.get("result", ""),
        )  # fmt: skip
    return r


def current_reviews(acc: Acceptance, kind: str) -> list[AcceptanceReview]:
    return list(acc.reviews.filter(kind=kind, superseded_at__isnull=True))


def mean_points(acc: Acceptance) -> float | None:
    pts = [r.points for r in current_reviews(acc, "expert") if r.points is not None]
    return sum(pts) / len(pts) if pts else None


def decide(user: Any, acc: Acceptance, result: str, reasons: str, opinion: str = "") -> Acceptance:
    """Pass, fail or postpone, with reasons; needs at least one expert score and the site
    review's result."""
    _status(acc, "submitted")
    if result not in RESULTS:
        raise ProgrammeError(
            f"验收结论须为 {'、'.join(RESULTS)}。", f"The result is one of {', '.join(RESULTS)}."
        )
    if not reasons.strip():
        raise ProgrammeError("请写明验收结论的理由。", "Give the reasons for the decision.")
    if mean_points(acc) is None or not current_reviews(acc, "site"):
        raise ProgrammeError(
            "须先有专家评分和现场考察结果，才能作出验收结论。",
            "An expert score and the site-review result come before the decision.",
        )
    with transaction.atomic():
        acc.result, acc.reasons, acc.opinion = result, reasons.strip(), opinion.strip()
        acc.status, acc.decided_at, acc.decided_by = "decided", timezone.now(), _user(user)
        acc.save(
            update_fields=["result", "reasons", "opinion", "status", "decided_at", "decided_by"]
        )
        audit.record(user, "programme.acceptance_decide", "acceptance", acc.pk, result=result)
    return acc


def put_on_notice(
    user: Any, acc: Acceptance, start_on: date | None = None, end_on: date | None = None,
    *, today: date | None = None,
) -> Acceptance:  # fmt: skip
    """公示 of a decided acceptance under the evaluations' notice rules."""
    _status(acc, "decided")
    start_on, end_on = strict_period(
        start_on, end_on, today or timezone.localdate(), ProgrammeError
    )
    with transaction.atomic():
        acc.status, acc.notice_start, acc.notice_end = "notice", start_on, end_on
        acc.save(update_fields=["status", "notice_start", "notice_end"])
        audit.record(
            user, "programme.acceptance_notice", "acceptance", acc.pk,
            start=str(start_on), end=str(end_on),
        )  # fmt: skip
    return acc


def object_to(
    user: Any, acc: Acceptance, text: str, *, today: date | None = None
) -> AcceptanceObjection:
    """An objection during the notice period."""
    today = today or timezone.localdate()
    _status(acc, "notice")
    if acc.notice_start and acc.notice_end and not acc.notice_start <= today <= acc.notice_end:
        raise ProgrammeError(
            f"异议须在公示期（{acc.notice_start} 至 {acc.notice_end}）内提出。",
            f"Objections are raised during the notice ({acc.notice_start} to {acc.notice_end}).",
        )
    if not text.strip():
        raise ProgrammeError("请写明异议内容。", "Say what the objection is.")
    with transaction.atomic():
        obj = AcceptanceObjection.objects.create(
            acceptance=acc, text=text.strip(), raised_by=_user(user), created_at=timezone.now()
        )
        audit.record(user, "programme.acceptance_objection", "acceptance", acc.pk, objection=obj.pk)
    return obj


def handle_objection(
    user: Any, obj: AcceptanceObjection, upheld: bool, reply: str
) -> AcceptanceObjection:
    """Uphold or dismiss an open objection, with a reply. An upheld objection sends the
    acceptance back to review (status submitted; its decision is kept in the audit log)."""
    if obj.status != "open":
        raise ProgrammeError("该异议已处理。", "The objection has been handled.")
    if not reply.strip():
        raise ProgrammeError("请填写处理意见。", "Give the reply.")
    with transaction.atomic():
        obj.status, obj.reply, obj.handled_at = (
            "upheld" if upheld else "dismissed", reply.strip(), timezone.now(),
        )  # fmt: skip
        obj.save(update_fields=["status", "reply", "handled_at"])
        acc = obj.acceptance
        if upheld:
            audit.record(
                user, "programme.acceptance_reopen", "acceptance", acc.pk,
                old_result=acc.result, old_reasons=acc.reasons,
            )  # fmt: skip
            acc.status, acc.notice_start, acc.notice_end = "submitted", None, None
            acc.save(update_fields=["status", "notice_start", "notice_end"])
        audit.record(
            user, "programme.acceptance_objection_handled", "acceptance", acc.pk,
            objection=obj.pk, status=obj.status,
        )  # fmt: skip
    return obj


def publish(user: Any, acc: Acceptance, *, today: date | None = None) -> Acceptance:
    """Publish the acceptance after its notice period when no objection is open."""
    _status(acc, "notice")
    today = today or timezone.localdate()
    if acc.notice_end is not None and today <= acc.notice_end:
        raise ProgrammeError(
            f"公示期至 {acc.notice_end} 结束，之后才能公布。",
            f"The notice runs until {acc.notice_end}; publication comes after it.",
        )
    if acc.objections.filter(status="open").exists():
        raise ProgrammeError(
            "尚有未处理的异议，请先处理。", "Objections are still open; handle them first."
        )
    with transaction.atomic():
        acc.status, acc.published_at = "published", timezone.now()
        acc.save(update_fields=["status", "published_at"])
        audit.record(user, "programme.acceptance_publish", "acceptance", acc.pk, result=acc.result)
    return acc
