"""The lists every role reads within what it may see — dispatches, service records (filtered
and paged in SQL), trainings and teams — with the 县科技局's steps: accept, decline and end a
dispatch, mark its tasks done or not done, record trainings and the teams' five coverages."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cimon.store.commissioners import policy, services
from cimon.store.commissioners.common import CommissionerError
from cimon.store.commissioners.models import Commissioner, Dispatch, Team, TeamCoverage
from cimon.store.commissioners.names import (
    COVERAGE_AREAS,
    COVERAGE_STATUSES,
    DISPATCH_STATUSES,
    SERVICE_KINDS,
)
from cimon.store.commissioners.tasks import current_task_status
from cimon.web.commissioners.common import (
    county_names,
    fail,
    get_visible,
    page_of,
    query_without_page,
    require,
    who,
)
from cimon.web.i18n import tr

#: who may open the lists (the records in them are the policy's)
READERS = ("admin", "county", "city", "unit", "commissioner")


def _reader(request: HttpRequest) -> None:
    if who(request).role not in READERS:
        raise PermissionDenied


@login_required
@require_GET
def dispatches(request: HttpRequest) -> HttpResponse:
    _reader(request)
    qs = policy.visible(request.user, "dispatch").select_related("unit")
    status = request.GET.get("status", "")
    if status in DISPATCH_STATUSES:
        qs = qs.filter(status=status)
    page = page_of(request, qs.order_by("-start_on", "-id"))
    names = dict(
        Commissioner.objects.with_profile()
        .filter(pk__in=[d.commissioner_id for d in page])
        .values_list("pk", "name")
    )
    ctx = {
        "page": page,
        "names": names,
        "statuses": DISPATCH_STATUSES,
        "status": status,
        "query": query_without_page(request),
        "counties": county_names(),
    }
    return render(request, "commissioners/dispatches.html", ctx)


@login_required
@require_GET
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible(request, Dispatch, pk, select=("commissioner", "unit"))
    acts = policy.actions(request.user, row)
    year = timezone.localdate().year
    marks = current_task_status(row, year)
    ctx = {
        "d": row,
        "tasks": [(i, t, marks.get(i)) for i, t in enumerate(row.tasks or [])],
        "can_tasks": "tasks" in acts
        and row.status in ("accepted", "ended")
        and row.start_on.year <= year <= row.end_on.year,
        "profile": row.commissioner.current,
        "days": row.days.filter(superseded_at__isnull=True).order_by("year"),
        "can_decide": "decide" in acts and row.status == "proposed",
        "can_end": "end" in acts and row.status == "accepted",
        "can_days": "days" in acts and row.status in ("accepted", "ended"),
        "counties": county_names(),
        "year": year,
        "services": row.services.filter(superseded_at__isnull=True).count(),
    }
    return render(request, "commissioners/dispatch.html", ctx)


@login_required
@require_POST
def dispatch_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The county accepts a proposed dispatch, or declines it with a reason."""
    row = get_visible(request, Dispatch, pk)
    require(request, "decide", row)
    decision, note = request.POST.get("decision", ""), request.POST.get("note", "")[:2000]
    if decision not in ("accept", "decline"):
        return HttpResponse(tr("请选择接受或不接受。", "Accept or decline."), status=400)
    if decision == "decline" and not note.strip():
        messages.error(request, tr("不接受须说明理由。", "Say why the dispatch is declined."))
        return redirect("commissioners:dispatch", pk=pk)
    try:
        services.decide_dispatch(row, request.user, decision == "accept", note)
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:dispatch", pk=pk)


@login_required
@require_POST
def dispatch_end(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_visible(request, Dispatch, pk)
    require(request, "end", row)
    try:
        services.end_dispatch(row, request.user, request.POST.get("note", "")[:2000])
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:dispatch", pk=pk)


@login_required
@require_POST
def dispatch_task(request: HttpRequest, pk: int) -> HttpResponse:
    """The county marks one task of its dispatch done or not done for a year, with a note."""
    row = get_visible(request, Dispatch, pk)
    require(request, "tasks", row)
    try:
        year = int(request.POST.get("year", ""))
        index = int(request.POST.get("task", ""))
    except ValueError:
        return HttpResponse(
            tr("表单有误：年度和任务须为数字。", "The form has errors: year and task are numbers."),
            status=400,
        )
    done = request.POST.get("done", "")
    if done not in ("1", "0"):
        return HttpResponse(tr("请选择完成或未完成。", "Choose done or not done."), status=400)
    try:
        services.record_task_status(
            row, request.user, year, index, done == "1", request.POST.get("note", "")[:2000]
        )
        messages.success(request, tr("任务完成情况已记录。", "Task status recorded."))
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:dispatch", pk=pk)


def _month(text: str) -> tuple[dt.date, dt.date] | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not m or not 1 <= int(m[2]) <= 12:
        return None
    start = dt.date(int(m[1]), int(m[2]), 1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


@login_required
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    """The current service records the user sees, filtered by town, village, kind and month,
    newest first, one page at a time (COUNT + LIMIT/OFFSET in SQL)."""
    _reader(request)
    qs = policy.visible(request.user, "service").filter(superseded_at__isnull=True)
    f = {k: request.GET.get(k, "").strip() for k in ("town", "village", "kind", "month")}
    if re.fullmatch(r"\d{9}", f["town"]):
        qs = qs.filter(town_code=f["town"])
    if re.fullmatch(r"\d{12}", f["village"]):
        qs = qs.filter(village_code=f["village"])
    if f["kind"] in SERVICE_KINDS:
        qs = qs.filter(kind=f["kind"])
    span = _month(f["month"])
    if span:
        qs = qs.filter(date__gte=span[0], date__lt=span[1])
    page = page_of(request, qs.order_by("-date", "-id"))
    names = dict(
        Commissioner.objects.with_profile()
        .filter(pk__in={r.commissioner_id for r in page})
        .values_list("pk", "name")
    )
    ctx = {
        "page": page,
        "names": names,
        "f": f,
        "kinds": SERVICE_KINDS,
        "query": query_without_page(request),
        "counties": county_names(),
    }
    return render(request, "commissioners/services.html", ctx)


class TrainingForm(forms.Form):
    date = forms.DateField()
    county_code = forms.CharField(max_length=6)
    topic = forms.CharField(max_length=200)
    trainees = forms.IntegerField(min_value=0, max_value=100_000)
    team = forms.IntegerField(required=False)
    person = forms.IntegerField(required=False)


@login_required
@require_http_methods(["GET", "POST"])
def trainings(request: HttpRequest) -> HttpResponse:
    """三区人才 trainings the user sees; a commissioner records its own, a county those in its
    county, the province any."""
    _reader(request)
    w = who(request)
    if request.method == "POST":
        form = TrainingForm(request.POST)
        if not form.is_valid():
            return HttpResponse(
                tr("表单有误，请检查后重新提交。", "The form has errors."), status=400
            )
        d = dict(form.cleaned_data)
        team_id, person_id = d.pop("team"), d.pop("person")
        team = get_visible(request, Team, team_id) if team_id else None
        if w.role == "commissioner":
            person = Commissioner.objects.filter(pk=w.commissioner_id).first()
        else:  # a county names the team or the commissioner (one it sees) who gave it
            person = get_visible(request, Commissioner, person_id) if person_id else None
        if not policy.can_create(
            request.user, "training", commissioner=person, county_code=d["county_code"]
        ):
            raise PermissionDenied
        try:
            services.record_training(request.user, commissioner=person, team=team, **d)
            messages.success(request, tr("培训已记录。", "Training recorded."))
        except CommissionerError as exc:
            fail(request, exc)
        return redirect("commissioners:trainings")
    qs = policy.visible(request.user, "training").filter(superseded_at__isnull=True)
    ctx = {
        "page": page_of(request, qs.order_by("-date", "-id")),
        "can_record": w.role in ("admin", "county", "commissioner"),
        "counties": county_names(),
        "own_counties": w.counties,
        "teams": policy.visible(request.user, "team").order_by("-year", "name")[:100]
        if w.role in ("admin", "county")
        else [],
        "today": timezone.localdate().isoformat(),
        "query": "",
    }
    return render(request, "commissioners/trainings.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    """特派团 and their five coverages (this year's current rows); the province creates a
    team (leader and members by commissioner number)."""
    _reader(request)
    if request.method == "POST":
        if who(request).role != "admin":
            raise PermissionDenied
        try:
            ids = [int(x) for x in re.findall(r"\d+", request.POST.get("members", ""))][:200]
            leader = Commissioner.objects.filter(pk=int(request.POST.get("leader", "0"))).first()
            year = int(request.POST.get("year", ""))
        except ValueError:
            return HttpResponse(tr("表单有误。", "The form has errors."), status=400)
        if leader is None:
            messages.error(request, tr("没有这个团长编号。", "No commissioner has that number."))
            return redirect("commissioners:teams")
        try:
            services.create_team(
                request.user,
                request.POST.get("name", ""),
                leader,
                request.POST.get("county", ""),
                year,
                list(Commissioner.objects.filter(pk__in=ids)),
            )
            messages.success(request, tr("特派团已建立。", "Team created."))
        except CommissionerError as exc:
            fail(request, exc)
        return redirect("commissioners:teams")
    rows = list(policy.visible(request.user, "team").order_by("-year", "county_code", "name")[:200])
    cover = TeamCoverage.objects.filter(team__in=rows, superseded_at__isnull=True)
    table: dict[int, dict[str, TeamCoverage]] = {}
    for c in cover:
        if c.year == next((t.year for t in rows if t.pk == c.team_id), None):
            table.setdefault(c.team_id, {})[c.area] = c
    ctx = {
        "rows": [
            (
                t,
                [table.get(t.pk, {}).get(a) for a in COVERAGE_AREAS],
                "coverage" in policy.actions(request.user, t),
            )
            for t in rows
        ],
        "areas": COVERAGE_AREAS,
        "statuses": COVERAGE_STATUSES,
        "counties": county_names(),
        "is_admin": who(request).role == "admin",
        "year": timezone.localdate().year,
    }
    return render(request, "commissioners/teams.html", ctx)


@login_required
@require_POST
def team_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_visible(request, Team, pk)
    require(request, "coverage", team)
    try:
        services.record_coverage(
            team,
            request.user,
            team.year,
            request.POST.get("area", ""),
            request.POST.get("status", ""),
            request.POST.get("note", "")[:2000],
        )
        messages.success(request, tr("覆盖情况已记录。", "Coverage recorded."))
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:teams")
