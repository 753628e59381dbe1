"""The submission portal: templates, uploads, the report with the sheet drawn and flagged,
acknowledging warnings, and the status board. Thin: the work is in :mod:`.portal`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.safe import safe_filename
from cimon.store.submissions.models import Submission
from cimon.web.accounts import policy
from cimon.web.i18n import lang, tr
from cimon.web.submissions import portal
from cimon.web.submissions.forms import AcknowledgeForm, DeadlineForm, UploadForm
from cimon.web.submissions.sheetview import anchor, sheet_views
from cimon.web.uploads import sent_name


def _error(request: HttpRequest, exc: CimonError, status: int = 400) -> HttpResponse:
    return render(
        request, "error.html", {"message": exc.render(lang()), "status": status}, status=status
    )


def _submission(request: HttpRequest, pk: int) -> Submission:
    """The submission if the user may see it; 404 otherwise (ids tell nothing)."""
    sub = portal.province_submissions(request.user, Submission.objects).filter(pk=pk).first()
    if sub is None or not policy.can_view_submission(request.user, sub):
        raise Http404
    return sub


def _attachment(name: str, content: bytes, content_type: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(safe_filename(name), safe='')}",
            "X-Content-Type-Options": "nosniff",
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    if not policy.can_submit(request.user):
        raise PermissionDenied
    try:
        year = portal.parse_year(request.GET.get("year"))
    except CimonError as exc:
        return _error(request, exc)
    scope = policy.submission_scope(request.user)
    reminders = []
    if policy.can_view_status(request.user) and scope is not None and scope.kind != "any":
        reminders = portal.board(request.user, year).reminders
    return render(
        request,
        "submissions/portal.html",
        {
            "year": year,
            "scope": scope,
            "form": UploadForm(),
            "reminders": reminders,
            **_submission_lists(request),
        },
    )


REFUSED_PER_PAGE = 20


def _submission_lists(request: HttpRequest) -> dict[str, Any]:
    """The user's submissions: those in use or replaced (latest 50), and the refused attempts
    (rejected, drafts) apart, collapsed and paged (``?refused=N``): every attempt is kept, none
    pushes the others off the page."""
    from django.core.paginator import Paginator

    from cimon.store.submissions.queries import REFUSED

    visible = portal.province_submissions(request.user, policy.visible_submissions(request.user))
    visible = visible.defer("content", "report")
    ordered = visible.order_by("-created_at", "-id")
    pages = Paginator(ordered.filter(status__in=REFUSED), REFUSED_PER_PAGE)
    return {
        "submissions": ordered.exclude(status__in=REFUSED)[:50],
        "refused": pages.get_page(request.GET.get("refused")),
        "refused_open": "refused" in request.GET,
    }


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    try:
        year = portal.parse_year(request.GET.get("year"))
        name, content = portal.template_for(request.user, year, lang())
    except CimonError as exc:
        return _error(request, exc)
    return _attachment(name, content, XLSX)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    if not policy.can_submit(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    try:
        year = portal.parse_year(request.POST.get("year"))
    except CimonError as exc:
        return _error(request, exc)
    if not form.is_valid():
        return render(
            request,
            "submissions/portal.html",
            {
                "year": year,
                "scope": policy.submission_scope(request.user),
                "form": form,
                "reminders": [],
                **_submission_lists(request),
            },
            status=400,
        )
    f = form.cleaned_data["file"]
    try:
        result = portal.upload(
            request.user,
            portal.Upload(sent_name(f), f),
            year,
            evidence=[portal.Upload(sent_name(e), e) for e in form.cleaned_data["evidence"]],
            accept_warnings=form.cleaned_data["accept_warnings"],
            reason=form.cleaned_data["reason"],
        )
    except CimonError as exc:
        return _error(request, exc)
    level = messages.SUCCESS if not result.blocked else messages.WARNING
    messages.add_message(request, level, portal.message(result, lang()))
    target = result.submission_id or result.duplicate_of
    if target is None:
        return redirect(f"{reverse('submissions:portal')}?year={year}")
    return redirect("submissions:detail", pk=target)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    report = sub.validation_report()
    issues = report.errors + report.warnings
    page = portal.issue_page(issues, request.GET.get("page"))
    views = sheet_views(sub.file_name, bytes(sub.content), issues)
    index = {v.name: v.index for v in views}
    links = [
        (i, f"#{anchor(index[i.sheet], i.cell)}" if i.sheet in index and i.cell else "")
        for i in page.issues
    ]
    return render(
        request,
        "submissions/detail.html",
        {
            "sub": sub,
            "report": report,
            "groups": report.groups(),
            "issues": links,
            "page": page,
            "views": views,
            "can_acknowledge": policy.can_acknowledge(request.user, sub),
            "ack_form": AcknowledgeForm(),
            "form": UploadForm(),
            "year": sub.evaluation_year or portal.current_year(),
            "can_resubmit": policy.can_submit(request.user),
            "scope": policy.submission_scope(request.user),
        },
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    kind = "text/csv" if sub.file_name.lower().endswith(".csv") else XLSX
    return _attachment(sub.file_name, bytes(sub.content), kind)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _submission(request, pk)
    if not policy.can_acknowledge(request.user, sub):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("submissions:detail", pk=pk)
    try:
        result = portal.acknowledge(request.user, sub, form.cleaned_data["reason"])
    except CimonError as exc:
        return _error(request, exc)
    messages.add_message(
        request,
        messages.WARNING if result.blocked else messages.SUCCESS,
        portal.message(result, lang()),
    )
    return redirect("submissions:detail", pk=result.submission_id or result.duplicate_of or pk)


@login_required
@require_GET
def status_board(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_status(request.user):
        raise PermissionDenied
    try:
        year = portal.parse_year(request.GET.get("year"))
    except CimonError as exc:
        return _error(request, exc)
    board = portal.board(request.user, year, request.GET)
    fw = portal.web_framework()
    city = policy.own_city(request.user)
    latest = policy.visible_publications(request.user).light().order_by("-evaluation_year").first()
    return render(
        request,
        "submissions/board.html",
        {
            "board": board,
            "city": city,  # a city bureau: a link to its city's page of the latest results
            "city_year": latest.evaluation_year if city and latest else None,
            "year": year,
            "departments": list(fw.departments),
            "deadline_form": DeadlineForm(initial={"year": year}),
            "states": portal.STATE_LABELS,
        },
    )


@login_required
@require_POST
def deadline(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage(request.user):
        raise PermissionDenied
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            tr("截止日期未保存：", "Deadline not saved: ")
            + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
        )
        return redirect("submissions:board")
    d: dict[str, Any] = form.cleaned_data
    try:
        portal.set_deadline(request.user, d["year"], d["department"], d["due"], d["note"])
    except CimonError as exc:
        return _error(request, exc)
    messages.success(
        request,
        tr(
            f"已设置 {d['department']} 的截止日期：{d['due']:%Y-%m-%d}。",
            f"Deadline of {d['department']} set to {d['due']:%Y-%m-%d}.",
        ),
    )
    return redirect(f"{reverse('submissions:board')}?year={d['year']}")
