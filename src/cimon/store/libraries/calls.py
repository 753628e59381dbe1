"""揭榜挂帅 (issue #18): a county turns a published need into a call (榜单), publishes it, teams
apply with a proposal and files, experts without a conflict score, the county awards one
application with its reason, and the winner reports milestones the county accepts or returns.

Each function checks the step against the record's present state, writes in one transaction and
records an audit event (``call.*``, ``call_application.*``, ``milestone.*``). Who may call what
is the web layer's policy (:mod:`cimon.web.accounts.policy_calls`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cimon.safe import display_name
from cimon.store import audit
from cimon.store.libraries import expert_review
from cimon.store.libraries.call_models import (
    APP_AWARDED,
    APP_DRAFT,
    APP_LOST,
    APP_SUBMITTED,
    CALL_AWARDED,
    CALL_DRAFT,
    CALL_OPEN,
    CALL_REVIEW,
    CALL_STATUSES,
    MAX_FILE_BYTES,
    MAX_FILES,
    REPORT_ACCEPTED,
    REPORT_PENDING,
    REPORT_RETURNED,
    Call,
    CallApplication,
    CallApplicationVersion,
    CallFile,
    CallReviewer,
    CallScore,
    CallVersion,
    Milestone,
    MilestoneReport,
)
from cimon.store.libraries.expert_review import Names, check_institution, conflicted, reviewer_of
from cimon.store.libraries.models import PUBLISHED, Need
from cimon.store.libraries.services import LibraryError, _name

CALL_FIELDS = ("title", "budget", "deadline", "conditions")
#: the expert review's messages (:mod:`cimon.store.libraries.expert_review`)
NAMES = Names("该榜单", "this call", "申请单位", "the applicant's institution")


def _check_terms(data: dict[str, Any]) -> None:
    if not str(data.get("title") or "").strip():
        raise LibraryError("榜单名称不能为空。", "A call needs a title.")
    budget = data.get("budget")
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        raise LibraryError(
            f"榜单金额须为正整数（元），而不是 {budget!r}。",
            f"The budget must be a positive whole number of 元, not {budget!r}.",
        )
    if not isinstance(data.get("deadline"), dt.date):
        raise LibraryError("请填写揭榜截止日期。", "Give the call's deadline.")


def _state(call: Call, allowed: tuple[str, ...]) -> Call:
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status not in allowed:
        zh, en = CALL_STATUSES[call.status]
        raise LibraryError(
            f"榜单 #{call.pk} 当前状态为“{zh}”，不能执行此操作。",
            f"Call #{call.pk} is {en.lower()}: this step is not allowed.",
        )
    return call


def _terms(version: CallVersion) -> dict[str, Any]:
    return {
        "title": version.title,
        "budget": version.budget,
        "deadline": version.deadline.isoformat(),
        "conditions": version.conditions,
    }


@transaction.atomic
def create_call(
    need: Need,
    user: Any,
    *,
    title: str,
    budget: int,
    deadline: dt.date,
    conditions: str = "",
    label: str = "",
) -> Call:
    """A draft call made from a published need (budget in whole 元)."""
    if need.status != PUBLISHED:
        raise LibraryError(
            f"需求 #{need.pk} 尚未发布：只有已发布的需求才能发榜。",
            f"Need #{need.pk} is not published: only a published need becomes a call.",
        )
    data = {"title": title.strip(), "budget": budget, "deadline": deadline,
            "conditions": conditions.strip()}  # fmt: skip
    _check_terms(data)
    now = timezone.now()
    call = Call.objects.create(
        need=need, region_code=need.region_code, owner=user, label=label, created_at=now
    )
    version = CallVersion.objects.create(
        call=call, number=1, recorded_at=now, recorded_by=_name(user), **data
    )
    audit.record(user, "call.create", "call", call.pk, new=_terms(version), need=need.pk)
    return call


@transaction.atomic
def edit_call(call: Call, user: Any, **changes: Any) -> CallVersion:
    """A new version of a draft call's terms; the earlier versions stay."""
    call = _state(call, (CALL_DRAFT,))
    unknown = set(changes) - set(CALL_FIELDS)
    if unknown:
        raise LibraryError(f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}")
    old = call.current
    data = {f: getattr(old, f) for f in CALL_FIELDS} | changes
    _check_terms(data)
    new = CallVersion.objects.create(
        call=call, number=old.number + 1, recorded_at=timezone.now(), recorded_by=_name(user),
        **data,
    )  # fmt: skip
    audit.record(user, "call.edit", "call", call.pk, old=_terms(old), new=_terms(new))
    return new


@transaction.atomic
def publish_call(call: Call, user: Any, *, today: dt.date | None = None) -> Call:
    """Draft → published: teams may apply until the deadline."""
    call = _state(call, (CALL_DRAFT,))
    today = today or timezone.localdate()
    if call.current.deadline < today:
        raise LibraryError(
            f"揭榜截止日期 {call.current.deadline} 已过：请先修改截止日期。",
            f"The deadline {call.current.deadline} has passed: change it first.",
        )
    call.status, call.published_at = CALL_OPEN, timezone.now()
    call.save(update_fields=["status", "published_at"])
    audit.record(user, "call.publish", "call", call.pk, old=CALL_DRAFT, new=CALL_OPEN)
    return call


@transaction.atomic
def assign_reviewer(call: Call, user: Any, expert: Any, institution: str) -> CallReviewer:
    """Add an expert (with the institution that decides conflicts) to a call's reviewers."""
    call = _state(call, (CALL_DRAFT, CALL_OPEN, CALL_REVIEW))
    institution = check_institution(institution)
    if CallApplication.objects.filter(call=call, applicant=expert).exists():
        raise LibraryError(
            f"专家 {expert.get_username()} 已申请该榜单，不能担任评审专家。",
            f"Expert {expert.get_username()} has applied to this call and cannot review it.",
        )
    row: CallReviewer = expert_review.add_reviewer(
        user, call, "call", expert, institution, NAMES, assigned_by=_name(user)
    )
    return row


@transaction.atomic
def close_call(call: Call, user: Any) -> Call:
    """Published → reviewing: no more applications; the experts score."""
    call = _state(call, (CALL_OPEN,))
    call.status = CALL_REVIEW
    call.save(update_fields=["status"])
    audit.record(user, "call.close", "call", call.pk, old=CALL_OPEN, new=CALL_REVIEW)
    return call


# ---- applications ---------------------------------------------------------------------------


@transaction.atomic
def apply(
    call: Call,
    user: Any,
    *,
    team: str,
    institution: str,
    proposal: str,
    label: str = "",
    today: dt.date | None = None,
) -> CallApplication:
    """A draft application to a published call, before its deadline (one per account)."""
    call = _state(call, (CALL_OPEN,))
    today = today or timezone.localdate()
    if call.current.deadline < today:
        raise LibraryError(
            f"揭榜已于 {call.current.deadline} 截止。",
            f"The call closed on {call.current.deadline}.",
        )
    if not team.strip() or not institution.strip() or not proposal.strip():
        raise LibraryError(
            "请填写团队名称、所在单位和揭榜方案。",
            "Give the team, its institution and the proposal.",
        )
    if CallApplication.objects.filter(call=call, applicant=user).exists():
        raise LibraryError(
            "您已申请该榜单：请在原申请中修改。",
            "You have already applied to this call: change that application.",
        )
    now = timezone.now()
    app = CallApplication.objects.create(
        call=call, applicant=user, team=team.strip(), institution=institution.strip(),
        label=label, created_at=now,
    )  # fmt: skip
    CallApplicationVersion.objects.create(
        application=app, number=1, proposal=proposal.strip(), recorded_at=now,
        recorded_by=_name(user),
    )  # fmt: skip
    audit.record(user, "call_application.create", "call_application", app.pk, call=call.pk,
                 team=app.team, institution=app.institution)  # fmt: skip
    return app


def _draft(app: CallApplication) -> CallApplication:
    app = CallApplication.objects.select_for_update().get(pk=app.pk)
    if app.status != APP_DRAFT or app.call.status != CALL_OPEN:
        raise LibraryError(
            "只能修改揭榜期内的申请草稿。",
            "Only a draft application of an open call can be changed.",
        )
    return app


@transaction.atomic
def revise_application(app: CallApplication, user: Any, proposal: str) -> CallApplicationVersion:
    """A new version of a draft application's proposal."""
    app = _draft(app)
    if not proposal.strip():
        raise LibraryError("揭榜方案不能为空。", "The proposal cannot be empty.")
    old = app.current
    new = CallApplicationVersion.objects.create(
        application=app, number=old.number + 1, proposal=proposal.strip(),
        recorded_at=timezone.now(), recorded_by=_name(user),
    )  # fmt: skip
    audit.record(user, "call_application.edit", "call_application", app.pk, version=new.number)
    return new


@transaction.atomic
def attach_file(app: CallApplication, user: Any, name: str, content: bytes) -> CallFile:
    """Attach a file (at most :data:`MAX_FILE_BYTES`, :data:`MAX_FILES` per application) to a
    draft application; its name is kept for display only."""
    app = _draft(app)
    shown = display_name(name, "file")
    if len(content) > MAX_FILE_BYTES:
        raise LibraryError(
            f"文件“{shown}”大小 {len(content)} 字节，超过上限 {MAX_FILE_BYTES} 字节：请压缩后再上传。",
            f"File '{shown}' has {len(content)} bytes, over the limit of {MAX_FILE_BYTES}: "
            "compress it and upload again.",
        )
    if app.files.count() >= MAX_FILES:
        raise LibraryError(
            f"每份申请最多 {MAX_FILES} 个附件：请合并文件。",
            f"An application has at most {MAX_FILES} files: merge them.",
        )
    row = CallFile.objects.create(
        application=app, name=shown, content=content, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), uploaded_at=timezone.now(),
        uploaded_by=_name(user),
    )  # fmt: skip
    audit.record(user, "call_application.file", "call_application", app.pk, new=shown,
                 sha256=row.sha256)  # fmt: skip
    return row


@transaction.atomic
def submit_application(app: CallApplication, user: Any) -> CallApplication:
    """Draft → submitted (before the call closes)."""
    app = _draft(app)
    app.status, app.submitted_at = APP_SUBMITTED, timezone.now()
    app.save(update_fields=["status", "submitted_at"])
    audit.record(user, "call_application.submit", "call_application", app.pk, old=APP_DRAFT,
                 new=APP_SUBMITTED)  # fmt: skip
    return app


def may_score(reviewer: CallReviewer | None, app: CallApplication) -> bool:
    """A reviewer scores a submitted application unless the two share an institution."""
    return (
        reviewer is not None
        and app.status != APP_DRAFT
        and not conflicted(reviewer.institution, app.institution)
    )


@transaction.atomic
def score_application(app: CallApplication, user: Any, score: int, comment: str = "") -> CallScore:
    """An assigned expert's score (0–100) of a submitted application while the call is in
    review; an expert of the applicant's institution is excluded."""
    app = CallApplication.objects.select_related("call").get(pk=app.pk)
    if app.call.status != CALL_REVIEW or app.status != APP_SUBMITTED:
        raise LibraryError(
            "只有评审中的榜单的已提交申请才能评分。",
            "Only a submitted application of a call in review is scored.",
        )
    reviewer = reviewer_of(app.call, user)
    row: CallScore = expert_review.record_score(
        app, reviewer, app.institution, score, comment, NAMES
    )
    audit.record(user, "call_application.score", "call_application", app.pk, new=score)
    return row


def mean_score(app: CallApplication) -> float | None:
    """The mean of each non-conflicted reviewer's latest score (None: not scored)."""
    return expert_review.mean_score(app, app.institution)


@transaction.atomic
def award(
    call: Call,
    user: Any,
    app: CallApplication,
    reason: str,
    milestones: list[tuple[str, dt.date | None]],
) -> Call:
    """Reviewing → awarded: one submitted application wins (the reason is recorded), the others
    are not awarded, and the milestones the winner reports on are set."""
    call = _state(call, (CALL_REVIEW,))
    app = CallApplication.objects.select_for_update().get(pk=app.pk)
    if app.call_id != call.pk or app.status != APP_SUBMITTED:
        raise LibraryError(
            "只能从该榜单已提交的申请中确定揭榜方。",
            "The winner must be a submitted application of this call.",
        )
    if not reason.strip():
        raise LibraryError("请说明确定揭榜方的理由。", "Give the reason for the award.")
    titles = [(t.strip(), d) for t, d in milestones if t.strip()]
    if not titles:
        raise LibraryError("请至少设定一个里程碑。", "Set at least one milestone.")
    call.status, call.winner = CALL_AWARDED, app
    call.award_reason, call.awarded_by, call.awarded_at = (
        reason.strip(),
        _name(user),
        timezone.now(),
    )
    call.save(update_fields=["status", "winner", "award_reason", "awarded_by", "awarded_at"])
    app.status = APP_AWARDED
    app.save(update_fields=["status"])
    call.applications.filter(status=APP_SUBMITTED).exclude(pk=app.pk).update(status=APP_LOST)
    for i, (title, due) in enumerate(titles, 1):
        Milestone.objects.create(call=call, number=i, title=title, due_on=due)
    audit.record(user, "call.award", "call", call.pk, old=CALL_REVIEW, new=CALL_AWARDED,
                 winner=app.pk, reason=call.award_reason, mean=mean_score(app),
                 milestones=[t for t, _ in titles])  # fmt: skip
    return call


# ---- milestones -----------------------------------------------------------------------------


@transaction.atomic
def report_milestone(milestone: Milestone, user: Any, text: str) -> MilestoneReport:
    """The winner reports a milestone (again after a return); an accepted one is closed."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    latest = milestone.latest
    if latest is not None and latest.status in (REPORT_PENDING, REPORT_ACCEPTED):
        raise LibraryError(
            f"里程碑“{milestone.title}”已有待验收或已通过的报告。",
            f"Milestone '{milestone.title}' already has a pending or accepted report.",
        )
    if not text.strip():
        raise LibraryError("请填写里程碑完成情况。", "Describe what was achieved.")
    row = MilestoneReport.objects.create(
        milestone=milestone, number=(latest.number + 1) if latest else 1, text=text.strip(),
        reported_at=timezone.now(), reported_by=_name(user),
    )  # fmt: skip
    audit.record(user, "milestone.report", "milestone", milestone.pk, version=row.number)
    return row


@transaction.atomic
def decide_milestone(
    milestone: Milestone, user: Any, accept: bool, note: str = ""
) -> MilestoneReport:
    """The county accepts the pending report, or returns it with the reason."""
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    latest = milestone.latest
    if latest is None or latest.status != REPORT_PENDING:
        raise LibraryError(
            f"里程碑“{milestone.title}”没有待验收的报告。",
            f"Milestone '{milestone.title}' has no pending report.",
        )
    if not accept and not note.strip():
        raise LibraryError("退回须说明理由。", "Say why the report is returned.")
    latest.status = REPORT_ACCEPTED if accept else REPORT_RETURNED
    latest.decided_by, latest.decided_at, latest.note = _name(user), timezone.now(), note.strip()
    latest.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit.record(user, f"milestone.{'accept' if accept else 'return'}", "milestone",
                 milestone.pk, old=REPORT_PENDING, new=latest.status, note=latest.note)  # fmt: skip
    return latest


def open_calls() -> QuerySet[Call]:
    """Calls teams may apply to now (published, deadline not passed)."""
    today = timezone.localdate()
    ids = [c.pk for c in Call.objects.filter(status=CALL_OPEN) if c.current.deadline >= today]
    return Call.objects.filter(pk__in=ids)
