"""The 省科技厅's pages: dispatching units, the commissioners (searched and paged in SQL: the
province holds hundreds of thousands), selection calls (open, decide candidates, 公示 with the
evaluations' notice rules, confirm). Teams are on :func:`cimon.web.commissioners.county.teams`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cimon.store.commissioners import policy, services
from cimon.store.commissioners.common import CommissionerError
from cimon.store.commissioners.models import Commissioner
from cimon.store.commissioners.names import (
    CANDIDATE_DECISIONS,
    COMMISSIONER_STATUSES,
    UNIT_KINDS,
)
from cimon.store.commissioners.records import Candidate
from cimon.store.evaluations.notice import default_notice_end
from cimon.web.commissioners.common import fail, page_of, query_without_page, role_in, who
from cimon.web.i18n import tr


def _admin(request: HttpRequest) -> None:
    role_in(request, "admin")


@login_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest) -> HttpResponse:
    """The dispatching units; POST adds one (its name is unique)."""
    _admin(request)
    if request.method == "POST":
        if not policy.can_create_unit(request.user, request.POST.get("region_code", "")[:12]):
            raise PermissionDenied
        try:
            services.create_unit(
                request.user,
                request.POST.get("name", ""),
                request.POST.get("kind", "other"),
                request.POST.get("region_code", "")[:12],
            )
            messages.success(request, tr("派出单位已添加。", "Unit added."))
        except CommissionerError as exc:
            fail(request, exc)
        return redirect("commissioners:units")
    ctx = {
        "page": page_of(request, policy.visible_units(request.user).order_by("name")),
        "kinds": UNIT_KINDS,
        "query": "",
    }
    return render(request, "commissioners/units.html", ctx)


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """The commissioners the user sees (the province: all), with the current profile's name
    and institution in one join, searched by name or institution, filtered by status, one page
    at a time (COUNT + LIMIT/OFFSET)."""
    if who(request).role not in ("admin", "unit", "county", "city"):
        raise PermissionDenied
    qs = policy.visible(request.user, "commissioner").with_profile().select_related("unit")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        # the annotated current profile (one join), never an older version's name
        qs = qs.filter(Q(name__icontains=q) | Q(institution__icontains=q))
    status = request.GET.get("status", "")
    if status in COMMISSIONER_STATUSES:
        qs = qs.filter(status=status)
    ctx = {
        "page": page_of(request, qs.order_by("id")),
        "q": q,
        "status": status,
        "statuses": COMMISSIONER_STATUSES,
        "query": query_without_page(request),
    }
    return render(request, "commissioners/people.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def calls(request: HttpRequest) -> HttpResponse:
    """Selection calls (选认): the province opens one for a year; units see the open ones on
    their page."""
    _admin(request)
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            return HttpResponse(tr("年度应为四位数字。", "The year is four digits."), status=400)
        try:
            call = services.open_call(request.user, year, request.POST.get("title", ""))
            return redirect("commissioners:call", pk=call.pk)
        except CommissionerError as exc:
            fail(request, exc)
        return redirect("commissioners:calls")
    ctx = {
        "rows": services.calls_of(request.user).order_by("-year", "-id")[:100],
        "year": timezone.localdate().year,
    }
    return render(request, "commissioners/calls.html", ctx)


@login_required
@require_GET
def call(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    row = services.calls_of(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    today = timezone.localdate()
    ctx = {
        "call": row,
        "page": page_of(
            request,
            policy.visible(request.user, "candidate")
            .filter(call=row)
            .select_related("unit")
            .order_by("id"),
            per_page=100,
        ),
        "names": {},
        "decisions": CANDIDATE_DECISIONS,
        "start": today.isoformat(),
        "end": default_notice_end(today).isoformat(),
        "query": "",
    }
    ctx["names"] = dict(
        Commissioner.objects.with_profile()
        .filter(pk__in=[c.commissioner_id for c in ctx["page"]])
        .values_list("pk", "name")
    )
    return render(request, "commissioners/call.html", ctx)


@login_required
@require_POST
def candidate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve (拟认定) or reject (未通过, with a reason) a candidate."""
    _admin(request)
    cand = Candidate.objects.filter(pk=pk).first()
    if cand is None:
        raise Http404
    if not policy.can(request.user, "decide", cand):
        raise PermissionDenied
    decision = request.POST.get("decision", "")
    if decision not in ("approve", "reject"):
        return HttpResponse(tr("请选择认定或不予认定。", "Approve or reject."), status=400)
    try:
        services.decide_candidate(
            cand, request.user, decision == "approve", request.POST.get("reason", "")[:2000]
        )
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:call", pk=cand.call_id)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@login_required
@require_POST
def call_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The approved candidates go on 公示: it starts today or later and lasts at least the
    notice days (``CIMON_NOTICE_DAYS``)."""
    _admin(request)
    row = services.calls_of(request.user).filter(pk=pk).first()
    start = _date(request.POST.get("start", ""))
    if row is None or start is None:
        return HttpResponse(tr("请填写公示开始日期。", "Give the notice's start date."), status=400)
    try:
        services.put_call_on_notice(row, request.user, start, _date(request.POST.get("end", "")))
        messages.success(request, tr("已进入公示。", "On notice."))
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:call", pk=pk)


@login_required
@require_POST
def call_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """After the notice the approved candidates become active commissioners."""
    _admin(request)
    row = services.calls_of(request.user).filter(pk=pk).first()
    if row is None:
        return HttpResponse(tr("没有这个选认批次。", "No such call."), status=404)
    try:
        n = services.confirm_call(row, request.user)
        messages.success(request, tr(f"已认定 {n} 名特派员。", f"{n} commissioners confirmed."))
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:call", pk=pk)
