"""The national page (全国比较, issue #20): the provinces compared from their published results,
and its Excel export. Read by administrators and viewers of a national instance; the figures are
:mod:`cimon.store.national.services`'."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from cimon.analysis.national_compare import KEY_SOURCED
from cimon.store.accounts.models import ADMIN, VIEWER
from cimon.store.national import services
from cimon.web.accounts import policy
from cimon.web.i18n import lang

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_view_national(user: Any) -> bool:
    """The national comparison: administrators and viewers (read only)."""
    return policy.role(user) in (ADMIN, VIEWER)


def _year(request: HttpRequest, years: list[int]) -> int | None:
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and int(wanted) in years:
        return int(wanted)
    return years[0] if years else None


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    if not can_view_national(request.user):
        raise PermissionDenied
    years = services.years()
    year = _year(request, years)
    context: dict[str, Any] = {"years": years, "year": year, "key_sourced": KEY_SOURCED}
    if year is not None:
        c = services.comparison(year)
        heads, rows = services.table(c, lang())
        context.update(
            heads=heads,
            rows=rows,
            notes=services.notes(c, lang()),
            frameworks=c.frameworks,
            comparable=c.scores_comparable,
            synthetic=services.is_synthetic(year),
            imports=services.current_imports(year).values(),
        )
    if policy.is_admin(request.user):
        context["attempts"] = services.imports(20)
    return render(request, "dashboard/national.html", context)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    if not can_view_national(request.user):
        raise PermissionDenied
    years = services.years()
    year = _year(request, years)
    if year is None:
        raise Http404
    data = services.workbook(services.comparison(year), lang(), services.is_synthetic(year))
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = content_disposition_header(True, f"national-{year}.xlsx")
    return resp
