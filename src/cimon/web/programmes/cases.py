"""The case library's pages (典型经验, #19): the list with filters, a case, writing and editing
(county clerks for their county's drafts, administrators for every case), publishing
(administrators), files, and the public page of published cases. Thin over
:mod:`cimon.store.programmes.cases`; who may do what is :mod:`cimon.web.accounts.policy`'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cimon.safe import safe_filename
from cimon.store.national.hosting import in_public_province, public_choices, public_province
from cimon.store.programmes import cases as C
from cimon.store.programmes.models import CASE_STATUSES, Case, CaseFile
from cimon.store.programmes.services import ProgrammeError
from cimon.web.accounts import policy, policy_programmes
from cimon.web.i18n import tr

MAX_UPLOADS = 10


class CaseForm(forms.Form):
    title = forms.CharField(max_length=200)
    field = forms.CharField(max_length=50)
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    county = forms.CharField(max_length=100, required=False)  # administrators only
    text = forms.CharField(widget=forms.Textarea, max_length=100_000)


def _error(exc: Exception) -> str:
    a = exc.args
    return tr(str(a[0]), str(a[1])) if len(a) >= 2 else str(exc)


def _uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    files = request.FILES.getlist("files")
    if len(files) > MAX_UPLOADS:
        raise ProgrammeError(
            f"一次最多上传 {MAX_UPLOADS} 个附件。", f"At most {MAX_UPLOADS} files at once."
        )
    out = []
    for f in files:
        if f.size is not None and f.size > C.MAX_FILE_BYTES:
            raise ProgrammeError(
                f"附件“{f.name}”过大（上限 {C.MAX_FILE_BYTES // 1024 // 1024} MB）。",
                f"File '{f.name}' is too large (limit {C.MAX_FILE_BYTES // 1024 // 1024} MB).",
            )
        out.append((str(f.name), f.read()))
    return out


def _case(request: HttpRequest, pk: int) -> Case:
    if not policy_programmes.can_view_programmes(request.user):
        raise PermissionDenied
    return get_object_or_404(policy_programmes.visible_cases(request.user), pk=pk)


def _filtered(qs: Any, request: HttpRequest) -> Any:
    g = request.GET
    if g.get("county"):
        qs = qs.filter(county=g["county"])
    if g.get("field"):
        qs = qs.filter(field=g["field"])
    if g.get("year", "").isdigit():
        qs = qs.filter(year=int(g["year"]))
    if g.get("status") in CASE_STATUSES:
        qs = qs.filter(status=g["status"])
    return qs


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user sees, filtered by county, field, year and status."""
    if not policy_programmes.can_view_programmes(request.user):
        raise PermissionDenied
    qs = policy_programmes.visible_cases(request.user)
    return render(
        request,
        "programmes/cases.html",
        {
            "cases": _filtered(qs, request).order_by("-year", "county", "title", "id")[:500],
            "fields": sorted(set(qs.values_list("field", flat=True))),
            "statuses": CASE_STATUSES,
            "q": request.GET,
            "can_write": policy_programmes.can_write_cases(request.user),
        },
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(
        request,
        "programmes/case.html",
        {
            "case": case,
            "status": CASE_STATUSES.get(case.status, (case.status, case.status)),
            "can_edit": policy_programmes.can_edit_case(request.user, case),
            "can_publish": (
                policy_programmes.can_publish_case(request.user) and case.status == "draft"
            ),
        },
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """A new draft case: a county clerk's for its county; an administrator names the county."""
    if not policy_programmes.can_write_cases(request.user):
        raise PermissionDenied
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c, acct = form.cleaned_data, policy.account(request.user)
        county = (
            c["county"].strip()
            if policy.is_admin(request.user)
            else (acct.region_code if acct else "")
        )
        try:
            case = C.add_case(
                request.user, c["title"], county, c["field"], c["text"], year=c["year"],
                files=_uploads(request),
            )  # fmt: skip
        except ProgrammeError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, tr("案例已保存为草稿。", "The case is saved as a draft."))
            return redirect("programmes:case", pk=case.pk)
    return render(request, "programmes/case_form.html", {"form": form, "case": None})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a case (the old content is kept as a version) and add files."""
    case = _case(request, pk)
    if not policy_programmes.can_edit_case(request.user, case):
        raise PermissionDenied
    initial = {"title": case.title, "field": case.field, "year": case.year, "text": case.text}
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            C.edit_case(request.user, case, title=c["title"], field=c["field"], text=c["text"],
                        files=_uploads(request))  # fmt: skip
        except ProgrammeError as exc:
            form.add_error(None, _error(exc))
        else:
            messages.success(request, tr("已保存。", "Saved."))
            return redirect("programmes:case", pk=case.pk)
    return render(request, "programmes/case_form.html", {"form": form, "case": case})


@login_required
@require_POST
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not policy_programmes.can_publish_case(request.user):
        raise PermissionDenied
    try:
        C.publish_case(request.user, case)
    except ProgrammeError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, tr("案例已发布。", "The case is published."))
    return redirect("programmes:case", pk=case.pk)


@login_required
@require_GET
def case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's file, byte for byte, for whoever sees the case."""
    if not policy_programmes.can_view_programmes(request.user):
        raise PermissionDenied
    f = get_object_or_404(CaseFile.objects.select_related("case"), pk=pk)
    _case(request, f.case_id)
    resp = HttpResponse(bytes(f.content), content_type="application/octet-stream")
    resp["Content-Disposition"] = f'attachment; filename="{safe_filename(f.file_name)}"'
    return resp


@require_GET
def public_cases(request: HttpRequest) -> HttpResponse:
    """Published cases, for everyone (no login)."""
    province = public_province(request.GET.get("province"))  # several hosted (#20)
    qs = in_public_province(_filtered(C.published_cases(), request), province, "county")
    ctx = {"cases": qs[:500], "provinces": public_choices(), "province": province or ""}
    return render(request, "programmes/public_cases.html", ctx)
