"""The 派出单位's pages: its people, candidates for an open selection call, proposing a
dispatch, confirming service days and rating its people per year. A person's page and the
dispatch proposal are shared with the province (and the commissioner, for itself)."""

from __future__ import annotations

from typing import Any

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
from cimon.store.commissioners.models import (
    Commissioner,
    Dispatch,
    DispatchUnit,
    UnitRating,
)
from cimon.store.commissioners.names import CALL_OPEN, OBJECT_KINDS, RATINGS
from cimon.web.commissioners.common import (
    county_names,
    fail,
    get_visible,
    page_of,
    require,
    role_in,
)
from cimon.web.i18n import tr


def _bad() -> HttpResponse:
    return HttpResponse(
        tr("表单有误，请检查后重新提交。", "The form has errors; check it."), status=400
    )


@login_required
@require_GET
def unit_home(request: HttpRequest) -> HttpResponse:
    """The unit's people (paged), its candidates, and the calls open for recommendations."""
    w = role_in(request, "unit")
    unit = DispatchUnit.objects.filter(pk=w.unit_id).first()
    people = (
        policy.visible(request.user, "commissioner").with_profile().order_by("id")
        if unit
        else Commissioner.objects.none()
    )
    ctx = {
        "unit": unit,
        "page": page_of(request, people),
        "candidates": policy.visible(request.user, "candidate")
        .select_related("call", "commissioner")
        .order_by("-call__year", "id")[:200],
        "calls": services.calls_of(request.user).filter(status=CALL_OPEN),
        "year": timezone.localdate().year,
        "ratings": RATINGS,
    }
    return render(request, "commissioners/unit.html", ctx)


class RecommendForm(forms.Form):
    person = forms.IntegerField(required=False)
    name = forms.CharField(max_length=100, required=False)
    institution = forms.CharField(max_length=200, required=False)
    title = forms.CharField(max_length=100, required=False)
    expertise_text = forms.CharField(max_length=200, required=False)
    phone = forms.CharField(max_length=32, required=False)


@login_required
@require_POST
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit recommends one of its people, or a new person, to an open call."""
    w = role_in(request, "unit")
    call = services.calls_of(request.user).filter(pk=pk).first()
    unit = DispatchUnit.objects.filter(pk=w.unit_id).first()
    if call is None or unit is None:
        return redirect("commissioners:unit")
    if not policy.can_create(request.user, "candidate"):
        raise PermissionDenied
    form = RecommendForm(request.POST)
    if not form.is_valid():
        return _bad()
    d = dict(form.cleaned_data)
    pid = d.pop("person")
    try:
        if pid:
            person = get_visible(request, Commissioner, pid)
            services.recommend(call, request.user, unit, person=person)
        else:
            services.recommend(call, request.user, unit, **{k: v for k, v in d.items() if v})
        messages.success(request, tr("已推荐。", "Recommended."))
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:unit")


@login_required
@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """A commissioner as its unit, the counties it serves and the province see it."""
    obj = get_visible(request, Commissioner, pk, select=("unit",))
    acts = policy.actions(request.user, obj)
    ctx = {
        "person": obj,
        "profile": obj.current,
        "dispatches": policy.visible(request.user, "dispatch").filter(commissioner=obj)[:50],
        "services": policy.visible(request.user, "service")
        .filter(commissioner=obj, superseded_at__isnull=True)
        .order_by("-date", "-id")[:20],
        "ratings": UnitRating.objects.filter(commissioner=obj, superseded_at__isnull=True),
        "can_rate": "rate" in acts,
        "can_dispatch": policy.can_create(request.user, "dispatch", commissioner=obj),
        "rating_names": RATINGS,
        "year": timezone.localdate().year,
    }
    return render(request, "commissioners/person.html", ctx)


class DispatchForm(forms.Form):
    object_name = forms.CharField(max_length=200)
    object_kind = forms.ChoiceField(choices=[(k, k) for k in OBJECT_KINDS])
    county_code = forms.CharField(max_length=6)
    town_code = forms.CharField(max_length=9, required=False)
    village_code = forms.CharField(max_length=12, required=False)
    start_on = forms.DateField()
    end_on = forms.DateField()
    tasks = forms.CharField(max_length=4000, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def dispatch_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a 三方协议 for a commissioner (a unit for its people, a commissioner for
    itself, the province for anyone); the county accepts or declines it."""
    obj = get_visible(request, Commissioner, pk)
    if not policy.can_create(request.user, "dispatch", commissioner=obj):
        raise PermissionDenied
    if request.method == "POST":
        form = DispatchForm(request.POST)
        if not form.is_valid():
            return _bad()
        d: dict[str, Any] = dict(form.cleaned_data)
        if not policy.can_create(
            request.user, "dispatch", commissioner=obj, county_code=d["county_code"]
        ):  # a county of another province (#20)
            raise PermissionDenied
        d["tasks"] = [t.strip() for t in d["tasks"].splitlines() if t.strip()][:50]
        try:
            row = services.propose_dispatch(request.user, obj, **d)
            messages.success(
                request, tr("已提交，待县科技局确认。", "Proposed; the county decides.")
            )
            return redirect("commissioners:dispatch", pk=row.pk)
        except CommissionerError as exc:
            fail(request, exc)
    ctx = {
        "person": obj,
        "profile": obj.current,
        "kinds": OBJECT_KINDS,
        "counties": sorted(county_names().items()),
    }
    return render(request, "commissioners/dispatch_new.html", ctx)


@login_required
@require_POST
def days(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit confirms the service days of a dispatch for a year (a newer one supersedes)."""
    row = get_visible(request, Dispatch, pk)
    require(request, "days", row)
    try:
        year, n = int(request.POST.get("year", "")), int(request.POST.get("days", ""))
    except ValueError:
        return _bad()
    try:
        services.confirm_days(row, request.user, year, n)
        messages.success(request, tr("服务天数已确认。", "Service days confirmed."))
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:dispatch", pk=pk)


@login_required
@require_POST
def rate_person(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit rates one of its people for a year (优秀/良好/合格/不合格)."""
    obj = get_visible(request, Commissioner, pk)
    require(request, "rate", obj)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return _bad()
    try:
        services.rate_by_unit(
            obj,
            request.user,
            year,
            request.POST.get("rating", ""),
            request.POST.get("note", "")[:2000],
        )
        messages.success(request, tr("评价已保存。", "Rating saved."))
    except CommissionerError as exc:
        fail(request, exc)
    return redirect("commissioners:person", pk=pk)
