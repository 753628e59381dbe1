"""The 科技特派员's own pages, mobile first: home, log a service (with photos), a record (its
corrections, photos, a rating code), the profile, ventures and trainings. Thin views over
:mod:`cimon.store.commissioners.services`; who may do what is the store policy's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cimon.store.commissioners import files, policy, services
from cimon.store.commissioners.common import CommissionerError
from cimon.store.commissioners.models import Commissioner, Dispatch
from cimon.store.commissioners.names import (
    SERVICE_KINDS,
    VENTURE_KINDS,
    VENTURE_ROLES,
)
from cimon.store.commissioners.rating import RATING_PATH, display
from cimon.store.commissioners.records import ServiceEvidence, ServiceRecord, Venture
from cimon.web.commissioners.common import (
    fail,
    get_visible,
    me,
    require,
    running_dispatches,
    village_choices,
)
from cimon.web.i18n import tr


class ServiceForm(forms.Form):
    date = forms.DateField()
    village = forms.CharField(max_length=12, required=False)  # the select
    village_typed = forms.CharField(max_length=20, required=False)  # the fallback
    kind = forms.ChoiceField(choices=[(k, k) for k in SERVICE_KINDS])
    people_reached = forms.IntegerField(min_value=0, max_value=100_000, required=False)
    notes = forms.CharField(max_length=2000, required=False)
    dispatch = forms.IntegerField(required=False)

    def village_code(self) -> str:
        d = self.cleaned_data
        return str(d.get("village_typed") or "").strip() or str(d.get("village") or "")


def _bad_form(form: forms.Form) -> str:
    fields = "、".join(form.errors)
    return tr(f"表单有误：请检查 {fields}。", f"The form has errors: check {fields}.")


def _service_fields(form: ServiceForm, person: Commissioner) -> dict[str, Any]:
    d = form.cleaned_data
    dispatch = None
    if d.get("dispatch"):
        dispatch = Dispatch.objects.filter(pk=d["dispatch"], commissioner=person).first()
        if dispatch is None:
            raise Http404
    return dict(
        date=d["date"],
        village_code=form.village_code(),
        kind=d["kind"],
        people_reached=d.get("people_reached") or 0,
        notes=d.get("notes") or "",
        dispatch=dispatch,
    )


def _attach(request: HttpRequest, record: ServiceRecord) -> int:
    """Attach the photos sent with the form (each bounded before it is read); returns how many
    were stored, reporting each refused one as a message."""
    stored = 0
    for upload in request.FILES.getlist("photos")[: files.MAX_FILES]:
        try:
            if upload.size is None or upload.size > files.max_bytes():
                raise CommissionerError(
                    f"文件“{upload.name}”超过 {files.max_bytes() // 1024 // 1024} MB，请压缩后再上传。",
                    f"The file '{upload.name}' is over {files.max_bytes() // 1024 // 1024} MB; "
                    "send a smaller one.",
                )
            content = upload.read(files.max_bytes() + 1)
            sent = getattr(upload, "original_name", "") or upload.name or ""  # as sent (#14)
            services.add_evidence(record, request.user, content, sent)
            stored += 1
        except CommissionerError as exc:
            fail(request, exc)
    return stored


def _form_context(person: Commissioner) -> dict[str, Any]:
    dispatches = list(running_dispatches(person))
    counties = sorted({d.county_code for d in dispatches})
    return {
        "dispatches": dispatches,
        "villages": village_choices(counties),
        "kinds": SERVICE_KINDS,
        "today": timezone.localdate().isoformat(),
        # one running dispatch: preselected (a thumb less)
        "dispatch_value": dispatches[0].pk if len(dispatches) == 1 else None,
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The commissioner's start page: log a service, the recent records, the dispatches."""
    person = me(request)
    ctx = {
        "person": person,
        "profile": person.current,
        "recent": ServiceRecord.objects.current()
        .filter(commissioner=person)
        .order_by("-date", "-id")[:10],
        "dispatches": Dispatch.objects.filter(commissioner=person).order_by("-start_on")[:20],
        "kinds": SERVICE_KINDS,
    }
    return render(request, "commissioners/home.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    """Log a service: the date defaults to today, the village is picked from the villages of
    the dispatch's county (or typed as a 12-digit code), photos attached at once."""
    person = me(request)
    if not policy.can_create(request.user, "service", commissioner=person):
        raise PermissionDenied
    if request.method == "POST":
        form = ServiceForm(request.POST)
        if form.is_valid():
            try:
                record = services.log_service(person, request.user, **_service_fields(form, person))
            except CommissionerError as exc:
                fail(request, exc)
            else:
                n = _attach(request, record)
                messages.success(
                    request,
                    tr(
                        f"服务已记录（#{record.pk}，照片 {n} 张）。",
                        f"Service #{record.pk} logged ({n} photos).",
                    ),
                )
                return redirect("commissioners:service", pk=record.pk)
        else:
            messages.error(request, _bad_form(form))
        status = 400
    else:
        status = 200
    ctx = _form_context(person) | {"values": request.POST}
    return render(request, "commissioners/service_new.html", ctx, status=status)


def _chain(record: ServiceRecord) -> list[ServiceRecord]:
    """The earlier versions of a record (each superseded by the next), newest first."""
    out: list[ServiceRecord] = []
    at = record.supersedes
    while at is not None and len(out) < 50:
        out.append(at)
        at = at.supersedes
    return out


@login_required
@require_GET
def service(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible(request, ServiceRecord, pk, select=("commissioner", "dispatch"))
    acts = policy.actions(request.user, record)
    current = record.superseded_at is None
    newer = ServiceRecord.objects.filter(supersedes=record).first()
    rated = record.tokens.filter(used_at__isnull=False).first()
    ctx = {
        "record": record,
        "evidence": list(record.evidence.all()),
        "older": _chain(record),
        "newer": newer,
        "rated": rated,
        "can_correct": current and "correct" in acts,
        "can_attach": current and "evidence" in acts,
        "can_code": current and "rating_code" in acts and rated is None,
        "max_files": files.MAX_FILES,
    }
    if ctx["can_correct"]:  # the correction form: the same choices as a new record
        ctx |= _form_context(record.commissioner)
        listed = {code for _, rows in ctx["villages"] for code, _ in rows}
        if record.village_code not in listed:
            ctx["villages"].append((record.county_code, [(record.village_code,) * 2]))
    return render(request, "commissioners/service.html", ctx)


@login_required
@require_POST
def service_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction: a new record supersedes this one (kept, shown as superseded)."""
    record = get_visible(request, ServiceRecord, pk, select=("commissioner",))
    require(request, "correct", record)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_bad_form(form), status=400)
    try:
        fields = _service_fields(form, record.commissioner)
        new = services.correct_service(record, request.user, **fields)
    except CommissionerError as exc:
        fail(request, exc)
        return redirect("commissioners:service", pk=pk)
    messages.success(request, tr(f"已更正为新记录 #{new.pk}。", f"Corrected as record #{new.pk}."))
    return redirect("commissioners:service", pk=new.pk)


@login_required
@require_POST
def service_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible(request, ServiceRecord, pk)
    require(request, "evidence", record)
    n = _attach(request, record)
    if n:
        messages.success(request, tr(f"已添加 {n} 个文件。", f"{n} files attached."))
    elif not request.FILES:
        messages.error(request, tr("请选择照片。", "Choose a photo."))
    return redirect("commissioners:service", pk=pk)


@login_required
@never_cache
@require_POST
def service_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a rating code and show it once (this response only; it is never stored)."""
    record = get_visible(request, ServiceRecord, pk)
    require(request, "rating_code", record)
    try:
        code, token = services.issue_rating_code(record, request.user)
    except CommissionerError as exc:
        fail(request, exc)
        return redirect("commissioners:service", pk=pk)
    link = request.build_absolute_uri(RATING_PATH.format(code=code))
    ctx = {"record": record, "code": display(code), "link": link, "token": token}
    return render(request, "commissioners/code.html", ctx)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    row = ServiceEvidence.objects.select_related("record").filter(pk=pk).first()
    if row is None or not policy.can_view(request.user, row.record):
        raise Http404
    try:
        content = files.read(row.path)
    except (CommissionerError, OSError) as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type=row.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=100)
    gender = forms.ChoiceField(choices=[("", ""), ("m", "m"), ("f", "f")], required=False)
    institution = forms.CharField(max_length=200, required=False)
    title = forms.CharField(max_length=100, required=False)
    expertise = forms.CharField(max_length=8, required=False)
    expertise_text = forms.CharField(max_length=200, required=False)
    phone = forms.CharField(max_length=32, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The commissioner's profile; an edit is a new version (the old ones listed)."""
    person = me(request)
    if request.method == "POST":
        require(request, "edit", person)
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_bad_form(form), status=400)
        try:
            version = services.edit_profile(person, request.user, **form.cleaned_data)
            messages.success(
                request,
                tr(f"资料已保存（第 {version.number} 版）。", f"Saved (version {version.number})."),
            )
        except CommissionerError as exc:
            fail(request, exc)
        return redirect("commissioners:profile")
    ctx = {
        "person": person,
        "profile": person.current,
        "versions": person.versions.order_by("-number"),
    }
    return render(request, "commissioners/profile.html", ctx)


class VentureForm(forms.Form):
    role = forms.ChoiceField(choices=[(k, k) for k in VENTURE_ROLES])
    kind = forms.ChoiceField(choices=[(k, k) for k in VENTURE_KINDS])
    name = forms.CharField(max_length=200)
    registration_code = forms.CharField(max_length=18, required=False)
    arrangement = forms.CharField(max_length=2000, required=False)
    year = forms.IntegerField(min_value=2000, max_value=2100)
    county_code = forms.CharField(max_length=6)


@login_required
@require_http_methods(["GET", "POST"])
def ventures(request: HttpRequest) -> HttpResponse:
    """The commissioner's ventures (领办/创办/协办); POST records one."""
    person = me(request)
    if request.method == "POST":
        if not policy.can_create(request.user, "venture", commissioner=person):
            raise PermissionDenied
        form = VentureForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_bad_form(form), status=400)
        try:
            services.record_venture(person, request.user, **form.cleaned_data)
            messages.success(request, tr("已记录。", "Recorded."))
        except CommissionerError as exc:
            fail(request, exc)
        return redirect("commissioners:ventures")
    ctx = {
        "rows": Venture.objects.filter(commissioner=person, superseded_at__isnull=True),
        "roles": VENTURE_ROLES,
        "kinds": VENTURE_KINDS,
        "counties": sorted({d.county_code for d in running_dispatches(person)}),
        "year": timezone.localdate().year,
    }
    return render(request, "commissioners/ventures.html", ctx)
