"""揭榜挂帅 pages (issue #18): thin views over :mod:`cimon.store.libraries.calls`; who may do
what is :mod:`cimon.web.accounts.policy_calls`'s. What a user may not see answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.store.accounts.models import EXPERT
from cimon.store.libraries import calls as svc
from cimon.store.libraries.call_models import (
    APP_DRAFT,
    APP_STATUSES,
    CALL_OPEN,
    CALL_REVIEW,
    CALL_STATUSES,
    MAX_FILE_BYTES,
    REPORT_PENDING,
    REPORT_STATUSES,
    Call,
    CallApplication,
    CallFile,
    Milestone,
)
from cimon.store.libraries.models import Need
from cimon.web.accounts import policy
from cimon.web.accounts import policy_calls as pc
from cimon.web.i18n import tr
from cimon.web.libraries.views import _fail, _names
from cimon.web.submissions.views import _attachment
from cimon.web.uploads import sent_name

BAD_FORM = (
    "表单有误：请检查各项后重新提交。",
    "The form has errors: check each field and send it again.",
)


def _bad(zh: str = BAD_FORM[0], en: str = BAD_FORM[1]) -> HttpResponse:
    return HttpResponse(tr(zh, en), status=400)


def _whole(value: str | None) -> int | None:
    """A whole number as typed ("1.5", "", "x": None — never truncated, unlike vocab.integer)."""
    try:
        return int(str(value or "").strip())
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _call(request: HttpRequest, pk: int) -> Call:
    call = Call.objects.filter(pk=pk).first()
    if call is None or not pc.can_view_call(request.user, call):
        raise Http404
    return call


def _app(request: HttpRequest, pk: int) -> CallApplication:
    app = CallApplication.objects.select_related("call").filter(pk=pk).first()
    if app is None or not pc.can_view_application(request.user, app):
        raise Http404
    return app


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The calls the user may see, the user's applications and the collections."""
    user = request.user
    if policy.role(user) is None:
        raise PermissionDenied
    calls = [c for c in Call.objects.all()[:500] if pc.can_view_call(user, c)]
    needs = []
    if pc.can_make_calls(user):
        needs = [n for n in Need.objects.published()[:500]
                 if pc.can_manage_call(user, n.region_code)]  # fmt: skip
    ctx = {
        "calls": [(c, c.current, CALL_STATUSES[c.status]) for c in calls],
        "mine": CallApplication.objects.filter(applicant=user).select_related("call"),
        "app_statuses": APP_STATUSES,
        "needs": [(n, n.current) for n in needs],
        "collections": pc.visible_collections(user)[:200],
        "can_collect": pc.can_manage_collections(user),
        "names": _names(),
    }
    return render(request, "libraries/calls/index.html", ctx)


@login_required
@require_POST
def call_new(request: HttpRequest) -> HttpResponse:
    """Make a draft call from a published need of a county the user manages."""
    if not pc.can_make_calls(request.user):
        raise PermissionDenied
    p = request.POST
    need = Need.objects.filter(pk=_whole(p.get("need")) or 0).first()
    budget, deadline = _whole(p.get("budget")), _date(p.get("deadline"))
    if need is None or budget is None or deadline is None:
        return _bad(
            "请选择需求，并填写榜单金额（元，整数）和截止日期（YYYY-MM-DD）。",
            "Choose a need and give the budget (whole 元) and the deadline (YYYY-MM-DD).",
        )
    if not pc.can_manage_call(request.user, need.region_code):
        raise PermissionDenied
    try:
        call = svc.create_call(need, request.user, title=p.get("title", "")[:255], budget=budget,
                               deadline=deadline, conditions=p.get("conditions", "")[:8000])  # fmt: skip
    except CimonError as exc:
        _fail(request, exc)
        return redirect("libraries:calls")
    return redirect("libraries:call", pk=call.pk)


@login_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    user = request.user
    manage = pc.can_manage_call(user, call.region_code)
    apps = pc.visible_applications(user, call)
    ctx = {
        "call": call,
        "version": call.current,
        "versions": call.versions.order_by("-number"),
        "status": CALL_STATUSES[call.status],
        "manage": manage,
        "apps": [(a, APP_STATUSES[a.status], svc.mean_score(a)) for a in apps],
        "reviewers": call.reviewers.select_related("expert") if manage else [],
        "can_apply": pc.can_apply_call(user, call)
        and not call.applications.filter(applicant=user).exists(),
        "milestones": [(m, m.latest) for m in call.milestones.all()],
        "report_statuses": REPORT_STATUSES,
        "names": _names(),
    }
    return render(request, "libraries/calls/call.html", ctx)


def _milestones(request: HttpRequest) -> list[tuple[str, dt.date | None]]:
    titles = request.POST.getlist("milestone")[:20]
    dues = request.POST.getlist("due")[:20]
    return [(t[:255], _date(dues[i]) if i < len(dues) else None) for i, t in enumerate(titles)]


@login_required
@require_POST
def call_step(request: HttpRequest, pk: int) -> HttpResponse:
    """publish | reviewer (username, institution) | close | award (application, reason,
    milestones)."""
    call = _call(request, pk)
    user, p = request.user, request.POST
    if not pc.can_manage_call(user, call.region_code):
        raise PermissionDenied
    action = p.get("action", "")
    try:
        if action == "publish":
            svc.publish_call(call, user)
        elif action == "reviewer":
            expert = get_user_model().objects.filter(username=p.get("expert", "")).first()
            if expert is None or policy.role(expert) != EXPERT:
                return _bad("请填写专家账号的用户名。", "Give the username of an expert account.")
            svc.assign_reviewer(call, user, expert, p.get("institution", "")[:255])
        elif action == "close":
            svc.close_call(call, user)
        elif action == "award":
            app = call.applications.filter(pk=_whole(p.get("application")) or 0).first()
            if app is None:
                return _bad("请选择揭榜方的申请。", "Choose the winning application.")
            svc.award(call, user, app, p.get("reason", "")[:4000], _milestones(request))
        else:
            return _bad("未知操作。", "Unknown step.")
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:call", pk=call.pk)


@login_required
@require_POST
def call_apply(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    if not pc.can_apply_call(request.user, call):
        raise PermissionDenied
    p = request.POST
    try:
        app = svc.apply(call, request.user, team=p.get("team", "")[:255],
                        institution=p.get("institution", "")[:255],
                        proposal=p.get("proposal", "")[:20000])  # fmt: skip
    except CimonError as exc:
        _fail(request, exc)
        return redirect("libraries:call", pk=call.pk)
    return redirect("libraries:application", pk=app.pk)


def _actions(user: Any, app: CallApplication) -> list[str]:
    out: list[str] = []
    call = app.call
    mine = app.applicant_id == user.pk
    if mine and app.status == APP_DRAFT and call.status == CALL_OPEN:
        out += ["revise", "file", "submit"]
    if call.status == CALL_REVIEW and svc.may_score(svc.reviewer_of(call, user), app):
        out.append("score")
    return out


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _app(request, pk)
    user = request.user
    manage = pc.can_manage_call(user, app.call.region_code)
    winner = app.call.winner_id == app.pk
    scores = app.scores.select_related("reviewer__expert") if manage else []
    ctx = {
        "app": app,
        "call": app.call,
        "version": app.current,
        "versions": app.versions.order_by("-number"),
        "status": APP_STATUSES[app.status],
        "files": app.files.only("id", "name", "size", "sha256", "uploaded_at"),
        "actions": _actions(user, app),
        "scores": scores,
        "mean": svc.mean_score(app) if manage else None,
        "milestones": [(m, m.latest) for m in app.call.milestones.all()] if winner else [],
        "can_report": winner and app.applicant_id == user.pk,
        "can_decide": winner and manage,
        "pending": REPORT_PENDING,
        "report_statuses": REPORT_STATUSES,
        "max_mb": MAX_FILE_BYTES // (1024 * 1024),
    }
    return render(request, "libraries/calls/application.html", ctx)


@login_required
@require_POST
def application_step(request: HttpRequest, pk: int) -> HttpResponse:
    """revise | file | submit (the applicant) · score (a reviewer without conflict) · report
    (the winner) · accept | return (the call's managers) a milestone."""
    app = _app(request, pk)
    user, p, action = request.user, request.POST, request.POST.get("action", "")
    call = app.call
    winner = call.winner_id == app.pk
    try:
        if action in ("revise", "file", "submit"):
            if app.applicant_id != user.pk:
                raise PermissionDenied
            if action == "revise":
                svc.revise_application(app, user, p.get("proposal", "")[:20000])
            elif action == "submit":
                svc.submit_application(app, user)
            else:
                f = request.FILES.get("file")
                if f is None:
                    return _bad("请选择要上传的文件。", "Choose a file to upload.")
                if f.size > MAX_FILE_BYTES:
                    mb = MAX_FILE_BYTES // (1024 * 1024)
                    return _bad(f"文件超过 {mb} MB：请压缩后再上传。",
                                f"The file is larger than {mb} MB: compress it.")  # fmt: skip
                svc.attach_file(app, user, sent_name(f), b"".join(f.chunks()))
        elif action == "score":
            if svc.reviewer_of(call, user) is None:
                raise PermissionDenied
            score = _whole(p.get("score"))
            if score is None:
                return _bad("请填写 0–100 的整数评分。", "Give a whole-number score 0–100.")
            svc.score_application(app, user, score, p.get("comment", "")[:4000])
        elif action in ("report", "accept", "return"):
            milestone = Milestone.objects.filter(
                call=call, pk=_whole(p.get("milestone")) or 0
            ).first()
            if not winner or milestone is None:
                return _bad("请选择里程碑。", "Choose a milestone.")
            if action == "report":
                if app.applicant_id != user.pk:
                    raise PermissionDenied
                svc.report_milestone(milestone, user, p.get("text", "")[:8000])
            else:
                if not pc.can_manage_call(user, call.region_code):
                    raise PermissionDenied
                svc.decide_milestone(milestone, user, action == "accept", p.get("note", "")[:4000])
        else:
            return _bad("未知操作。", "Unknown step.")
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:application", pk=app.pk)


@login_required
@require_GET
def call_file(request: HttpRequest, pk: int) -> HttpResponse:
    row = CallFile.objects.select_related("application__call").filter(pk=pk).first()
    if row is None or not pc.can_view_application(request.user, row.application):
        raise Http404
    return _attachment(row.name, bytes(row.content), "application/octet-stream")
