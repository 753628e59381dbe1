"""Registry pages: thin views over :mod:`cimon.store.registry`; who may do what is
:mod:`cimon.web.accounts.policy`'s."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cimon.errors import CimonError
from cimon.store.national.hosting import covers, hosted, scoped_by_code
from cimon.store.platform import platform_registry
from cimon.store.registry.models import (
    CARRIER,
    CARRIER_KINDS,
    ENTERPRISE,
    QUALIFICATION_KINDS,
    Carrier,
    DerivedCount,
    Enterprise,
    ListImport,
)
from cimon.web.accounts import policy
from cimon.web.i18n import lang, tr

PER_PAGE = 50
MAX_LIST_BYTES = 64 * 1024 * 1024


class ListUploadForm(forms.Form):
    file = forms.FileField()
    list_kind = forms.ChoiceField(choices=[(ENTERPRISE, ENTERPRISE), (CARRIER, CARRIER)])
    kind = forms.CharField(max_length=64, required=False)


def _iso(value: Any) -> str:
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _counties(request: HttpRequest) -> list[tuple[str, str]]:
    """The counties whose records the user sees (its province's on a multi-province instance)."""
    names = {r.code: r.name for r in platform_registry()}
    return [(c, names[c]) for c in policy.registry_counties(request.user, names)]


def _county_arg(request: HttpRequest) -> str:
    code = request.GET.get("county", "").strip()
    return code if code in dict(_counties(request)) else ""


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def _viewer(request: HttpRequest) -> None:
    if not policy.can_view_registry(request.user):
        raise PermissionDenied


@login_required
@require_GET
def enterprises(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    county, q = _county_arg(request), request.GET.get("q", "")[:100]
    qs = Enterprise.objects.search(q).with_name()
    qs = (
        qs.in_county(county) if county else scoped_by_code(request.user, qs.with_county(), "county")
    )
    ctx = {
        "page": _page(request, qs.order_by("id")),
        "county": county,
        "q": q,
        "counties": _counties(request),
        "names": dict(_counties(request)),
        "can_import": policy.can_import_registry(request.user),
        "kinds": QUALIFICATION_KINDS,
        "carrier_kinds": CARRIER_KINDS,
        "imports": policy.visible_list_imports(request.user).order_by("-created_at")[:20],
    }
    return render(request, "registry/enterprises.html", ctx)


@login_required
@require_GET
def carriers(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    county, q = _county_arg(request), request.GET.get("q", "")[:100]
    qs = Carrier.objects.current().search(q)
    qs = qs.in_county(county) if county else scoped_by_code(request.user, qs)
    ctx = {
        "page": _page(request, qs),
        "county": county,
        "q": q,
        "counties": _counties(request),
        "names": dict(_counties(request)),
    }
    return render(request, "registry/carriers.html", ctx)


def _own_registry(request: HttpRequest) -> Any:
    """The counties a list may name: None (the platform's) on a single-province instance, the
    user's province's on one hosting several (a row of another province is an error)."""
    if not hosted():
        return None
    registry = platform_registry()
    return registry.subset(policy.registry_counties(request.user, registry.codes))


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    if not policy.can_import_registry(request.user):
        raise PermissionDenied
    form = ListUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "registry/upload_invalid.html", {"form": form}, status=400)
    f = form.cleaned_data["file"]
    if f.size > MAX_LIST_BYTES:
        messages.error(request, tr("文件过大。", "The file is too large."))
        return redirect("registry:index")
    from cimon.store.registry.services import import_list

    result = import_list(
        f.read(),
        f.name,
        list_kind=form.cleaned_data["list_kind"],
        kind=form.cleaned_data["kind"].strip(),
        user=request.user,
        regions=_own_registry(request),
    )
    return redirect("registry:import_detail", pk=result.list_import.pk)


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_import_registry(request.user):
        raise PermissionDenied
    li = get_object_or_404(ListImport.objects.defer("content"), pk=pk)
    if not policy.can_view_list_import(request.user, li):
        raise Http404
    import json

    from cimon.intake.report import ValidationReport

    report = ValidationReport.from_json(json.dumps(li.report, ensure_ascii=False))
    ctx = {
        "li": li,
        "issues": [i.render(lang()) for i in report],
        "reviews": li.reviews.order_by("row"),
        "names": dict(_counties(request)),
    }
    return render(request, "registry/import.html", ctx)


@login_required
@require_POST
def decide_item(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_import_registry(request.user):
        raise PermissionDenied
    from cimon.store.registry.models import ReviewItem
    from cimon.store.registry.services import decide

    item = get_object_or_404(ReviewItem.objects.select_related("list_import"), pk=pk)
    if not policy.can_view_list_import(request.user, item.list_import):
        raise Http404
    decision = request.POST.get("decision", "")
    try:
        decide(item, decision, request.user, record=request.POST.get("record", ""))
    except CimonError as exc:
        messages.error(request, exc.render(lang()))
    else:
        messages.success(request, tr(f"第 {item.row} 行已处理。", f"Row {item.row} settled."))
    return redirect("registry:import_detail", pk=item.list_import_id)


@login_required
@require_GET
def count_list(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The records behind a county's registry count on 31 December of a data year (now)."""
    _viewer(request)
    names = dict(_counties(request))
    if code not in names or not 1900 <= year <= 2200:
        raise Http404
    from cimon.registry.counts import year_end
    from cimon.store.registry.tables import counts_on

    kind = request.GET.get("kind", "高新技术企业")[:64]
    level = request.GET.get("level") or None
    day = year_end(year).date()
    rows = counts_on(day).drill(code, kind, level)
    records = [
        {**r, "start": _iso(r["start"]), "end": _iso(r["end"])} for r in rows.to_dict("records")
    ]
    ctx = {
        "title": f"{names[code]} · {kind}{' · ' + level if level else ''} · {day}",
        "records": records,
        "count": len(rows),
        "source": tr("名录（当前）", "the registry as stored now"),
    }
    return render(request, "registry/records.html", ctx)


@login_required
@require_GET
def derived_list(
    request: HttpRequest, pk: int, variable: str, code: str, year: int
) -> HttpResponse:
    """The records behind a derived value as the evaluation run counted them."""
    if not policy.can_view_registry(request.user) or not policy.can_view_derived(request.user, pk):
        raise Http404
    d = get_object_or_404(
        DerivedCount, evaluation_id=pk, variable=variable, region_code=code, year=year
    )
    if not covers(request.user, code):
        raise Http404
    names = dict(_counties(request))
    ctx = {
        "title": f"{names.get(code, code)} · {variable} · {d.on}",
        "records": d.records,
        "count": d.count,
        "source": tr(f"评价 #{pk} 计算时的名录", f"the registry as evaluation #{pk} counted it"),
    }
    return render(request, "registry/records.html", ctx)
