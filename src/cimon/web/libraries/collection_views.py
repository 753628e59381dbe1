"""成果征集 pages and the public catalogue (issue #18): thin views over
:mod:`cimon.store.libraries.collection`; who may do what is
:mod:`cimon.web.accounts.policy_calls`'s."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.store.accounts.models import EXPERT
from cimon.store.libraries import collection as svc
from cimon.store.libraries.call_models import (
    COL_NOTICE,
    COL_OPEN,
    COL_REVIEW,
    COLLECTION_STATUSES,
    OBJECTION_STATUSES,
    Collection,
    CollectionEntry,
)
from cimon.store.libraries.calls import open_calls
from cimon.store.libraries.catalogue_export import catalogue_docx, catalogue_xlsx
from cimon.store.libraries.models import Achievement
from cimon.store.national.hosting import in_public_province, public_choices, public_province
from cimon.web.accounts import policy
from cimon.web.accounts import policy_calls as pc
from cimon.web.libraries.call_views import _bad, _date, _whole
from cimon.web.libraries.views import _fail, _names
from cimon.web.submissions.views import _attachment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _collection(request: HttpRequest, pk: int) -> Collection:
    col = Collection.objects.filter(pk=pk).first()
    if col is None or not pc.can_view_collection(request.user, col):
        raise Http404
    return col


@login_required
@require_POST
def collection_new(request: HttpRequest) -> HttpResponse:
    if not pc.can_manage_collections(request.user):
        raise PermissionDenied
    p = request.POST
    year, opens, closes = _whole(p.get("year")), _date(p.get("opens_on")), _date(p.get("closes_on"))
    if year is None or opens is None or closes is None:
        return _bad(
            "请填写年度和征集起止日期（YYYY-MM-DD）。",
            "Give the year and the collection's dates (YYYY-MM-DD).",
        )
    try:
        col = svc.create_collection(request.user, p.get("title", "")[:255], year, opens, closes)
    except CimonError as exc:
        _fail(request, exc)
        return redirect("libraries:calls")
    return redirect("libraries:collection", pk=col.pk)


@login_required
@require_GET
def collection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    col = _collection(request, pk)
    user = request.user
    manage = pc.can_manage_collections(user)
    entries = [
        e for e in col.entries.select_related("achievement_version") if pc.can_view_entry(user, e)
    ]
    reviewer = svc.reviewer_of(col, user)
    mine = Achievement.objects.published().filter(owner=user) if col.status == COL_OPEN else []
    ctx = {
        "col": col,
        "status": COLLECTION_STATUSES[col.status],
        "manage": manage,
        "entries": [
            (
                e,
                svc.entry_mean(e) if manage else None,
                col.status == COL_REVIEW and svc.may_score(reviewer, e),
            )
            for e in entries
        ],
        "reviewers": col.reviewers.select_related("expert") if manage else [],
        "objections": col.objections.select_related("entry") if manage else [],
        "objection_statuses": OBJECTION_STATUSES,
        "mine": [(a, a.current) for a in mine],
        "catalogue": svc.catalogue_entries(col) if col.status != COL_OPEN else [],
        "names": _names(),
    }
    return render(request, "libraries/calls/collection.html", ctx)


@login_required
@require_POST
def collection_step(request: HttpRequest, pk: int) -> HttpResponse:
    """submit (an achievement's owner) · reviewer | close | notice | objection | handle |
    publish (the province)."""
    col = _collection(request, pk)
    user, p, action = request.user, request.POST, request.POST.get("action", "")
    try:
        if action == "submit":
            item = Achievement.objects.filter(pk=_whole(p.get("achievement")) or 0).first()
            if item is None or not pc.can_submit_entry(user, item):
                return _bad("请选择您已发布的成果。", "Choose one of your published achievements.")
            acct = policy.account(user)
            svc.submit_entry(col, user, item, p.get("unit", "")[:255],
                             region_code=acct.region_code if acct else "")  # fmt: skip
            return redirect("libraries:collection", pk=col.pk)
        if not pc.can_manage_collections(user):
            raise PermissionDenied
        if action == "reviewer":
            expert = get_user_model().objects.filter(username=p.get("expert", "")).first()
            if expert is None or policy.role(expert) != EXPERT:
                return _bad("请填写专家账号的用户名。", "Give the username of an expert account.")
            svc.assign_reviewer(col, user, expert, p.get("institution", "")[:255])
        elif action == "close":
            svc.close_collection(col, user)
        elif action == "notice":
            svc.put_on_notice(col, user, _date(p.get("start_on")), _date(p.get("end_on")),
                              override_reason=p.get("override_reason", "")[:2000])  # fmt: skip
        elif action == "objection":
            entry = col.entries.filter(pk=_whole(p.get("entry")) or 0).first()
            svc.record_objection(col, user, raised_by=p.get("raised_by", "")[:255],
                                 content=p.get("content", "")[:8000], entry=entry,
                                 received_on=_date(p.get("received_on")))  # fmt: skip
        elif action == "handle":
            obj = col.objections.filter(pk=_whole(p.get("objection")) or 0).first()
            if obj is None:
                return _bad("请选择异议。", "Choose an objection.")
            svc.handle_objection(obj, user, p.get("decision", ""), p.get("response", "")[:4000])
        elif action == "publish":
            svc.publish_collection(col, user)
        else:
            return _bad("未知操作。", "Unknown step.")
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:collection", pk=col.pk)


@login_required
@require_POST
def entry_step(request: HttpRequest, pk: int) -> HttpResponse:
    """score (a reviewer without conflict) · select | drop (the province)."""
    entry = CollectionEntry.objects.select_related("collection").filter(pk=pk).first()
    if entry is None or not pc.can_view_entry(request.user, entry):
        raise Http404
    user, p, action = request.user, request.POST, request.POST.get("action", "")
    try:
        if action == "score":
            if svc.reviewer_of(entry.collection, user) is None:
                raise PermissionDenied
            score = _whole(p.get("score"))
            if score is None:
                return _bad("请填写 0–100 的整数评分。", "Give a whole-number score 0–100.")
            svc.score_entry(entry, user, score, p.get("comment", "")[:4000])
        elif action in ("select", "drop"):
            if not pc.can_manage_collections(user):
                raise PermissionDenied
            svc.select_entry(entry, user, action == "select", p.get("note", "")[:2000])
        else:
            return _bad("未知操作。", "Unknown step.")
    except CimonError as exc:
        _fail(request, exc)
    return redirect("libraries:collection", pk=entry.collection_id)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """For everyone, without login: the published catalogue and the open calls — no owner,
    applicant, account or contact."""
    province = public_province(request.GET.get("province"))  # several hosted (#20)
    listed = in_public_province(open_calls(), province)
    calls = [(c, c.current) for c in listed.order_by("-published_at", "-id")[:200]]
    ctx = {
        "rows": svc.catalogue(province=province),
        "calls": calls,
        "notices": svc.opened_in(Collection.objects.filter(status=COL_NOTICE), province),
        "names": _names(),
        "provinces": public_choices(),
        "province": province or "",
    }
    return render(request, "libraries/calls/catalogue.html", ctx)


@require_GET
def catalogue_export(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = svc.catalogue(province=public_province(request.GET.get("province")))
    label = next((r.label for r in rows if r.label), "")  # 模拟数据 printed above demo data
    if fmt == "docx":
        return _attachment("先进适用技术成果目录.docx", catalogue_docx(rows, _names(), label), DOCX)
    if fmt == "xlsx":
        return _attachment("先进适用技术成果目录.xlsx", catalogue_xlsx(rows, _names(), label), XLSX)
    raise Http404
