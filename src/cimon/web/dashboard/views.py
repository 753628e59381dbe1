"""Dashboard pages (数据看板). Thin: which version a user may see is
:mod:`cimon.web.accounts.policy`'s; the Runs are :mod:`.published`'s; page data and chart
options are :mod:`.content`'s; files are :mod:`.downloads`'."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from cimon.store.evaluations import downloads
from cimon.store.evaluations.basis import basis_note
from cimon.store.evaluations.models import Publication
from cimon.store.evaluations.published import (
    NotReproducible,
    Published,
    content_of,
    published_years,
)
from cimon.store.national.hosting import viewer_province
from cimon.store.registry.derived import derived_of
from cimon.vocab import percent
from cimon.web.accounts import policy
from cimon.web.dashboard import content as pages
from cimon.web.dashboard import plans
from cimon.web.dashboard import ranked as pages_list
from cimon.web.evaluations.services import score_decimals, visible_publication
from cimon.web.i18n import lang


def _publication(request: HttpRequest, year: int, rows: bool = True) -> Publication:
    """The version asked for (``?version=N``, else the current one) if the user may see it;
    404 for unpublished years and versions the user may not see. ``rows=False``: without its
    rows (the page reads them with ``listing.frozen_rows``)."""
    if not policy.can_view_dashboard(request.user):
        raise Http404
    wanted = request.GET.get("version", "")
    version = int(wanted) if wanted.isdigit() else None
    pub = visible_publication(request.user, year, version, rows=rows)
    if pub is None:
        raise Http404
    return pub


def _context(request: HttpRequest, pub: Publication, page: str) -> dict[str, Any]:
    year = pub.evaluation_year
    versions = [
        p
        for p in policy.visible_publications(request.user)
        .filter(evaluation_year=year)
        .light()
        .order_by("version")
    ]
    query = f"?version={pub.version}" if pub.superseded_at is not None else ""
    return {
        "pub": pub,
        "year": year,
        "versions": versions,
        "q": query,
        "page": page,
        "years": published_years(viewer_province(request.user)),
        "lang": lang(),
        "basis": basis_note(pub),
        # scores show the framework's published decimals (trailing zeros kept)
        "decimals": score_decimals(pub.evaluation.framework_id),
    }


def _content(pub: Publication) -> tuple[Published | None, str]:
    try:
        return content_of(pub), ""
    except NotReproducible as exc:
        return None, exc.render(lang())


def _city_of(row: dict[str, Any]) -> str:
    """The 设区市 of a frozen result row (older rows may lack it: the registry knows)."""
    from cimon.store.platform import platform_registry

    if row.get("city"):
        return str(row["city"])
    reg = platform_registry()
    code = str(row.get("region_code", ""))
    return reg[code].city if code in reg.codes else ""


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The latest published year's overview, or a page saying nothing is published yet."""
    if not policy.can_view_dashboard(request.user):
        raise PermissionDenied
    years = published_years(viewer_province(request.user))
    if years:
        return redirect("dashboard:province", year=years[-1])
    return render(request, "dashboard/empty.html", {"page": "province"})


@login_required
@require_GET
def province(request: HttpRequest, year: int) -> HttpResponse:
    from cimon.store.platform import is_national

    pub = _publication(request, year)
    ctx = _context(request, pub, "province")
    p, error = _content(pub)
    many = is_national()
    ctx.update(error=error, many=many)
    if p is not None:
        c, lg = p.content, lang()
        q = ctx["q"]
        charts = {"chart-trend": pages.trend_option(c, lg)}
        if not many:  # thousands of bars and squares are unreadable: the ranked list pages them
            links = {
                r.code: reverse("dashboard:county", kwargs={"year": year, "code": r.code}) + q
                for r in c.counties
            }
            charts["chart-ranking"] = pages.ranking_option(c, lg)
            charts["chart-tiles"] = pages.tilegrid_option(c, lg, links)
        ctx.update(data=pages.province_page(c, lg), charts=charts)
    return render(request, "dashboard/province.html", ctx)


@login_required
@require_GET
def ranked_list(request: HttpRequest, year: int) -> HttpResponse:
    """The ranked list of every unit, searched, filtered and paged, with the distribution of
    the units kept and a tile grid of a province: usable for the national registry's 2,844
    units (read from the frozen rows only; no run is rebuilt)."""
    pub = _publication(request, year, rows=False)
    ctx = _context(request, pub, "list")
    ctx.update(pages_list.list_page(pub, request.GET, request.user, ctx["q"], ctx["decimals"]))
    return render(request, "dashboard/list.html", ctx)


@login_required
@require_GET
def city(request: HttpRequest, year: int, city: str) -> HttpResponse:
    pub = _publication(request, year)
    ctx = _context(request, pub, "city")
    p, error = _content(pub)
    ctx.update(error=error, city=city)
    if p is None:
        rows = [r for r in pub.results if _city_of(r) == city]
        if not rows:
            raise Http404
        ctx["rows"] = rows
    else:
        data = pages.city_page(p.content, city, lang())
        if data is None:
            raise Http404
        ctx.update(data=data, charts={"chart-city": data["ranking"]})
    return render(request, "dashboard/city.html", ctx)


@login_required
@require_GET
def county(request: HttpRequest, year: int, code: str) -> HttpResponse:
    pub = _publication(request, year)
    ctx = _context(request, pub, "county")
    p, error = _content(pub)
    ctx["error"] = error
    ctx["derived"] = derived_of(pub.evaluation, code)  # registry counts and their lists (#16)
    if p is None:
        row = next((r for r in pub.results if r.get("region_code") == code), None)
        if row is None:
            raise Http404
        ctx["row"] = row
        return render(request, "dashboard/county.html", ctx)
    profile = pages.profile(p.content, code)
    if profile is None:
        raise Http404
    lg = lang()
    hist = pages.history(p.runs, code)
    ctx.update(
        p=profile,
        r=profile.result,
        history=hist,
        pillar_rows=pages.pillar_rows(profile, lg),
        steps=pages.steps_text(profile, lg),
        targets=plans.county_targets(profile.result.name, p.runs, code, lg),
        award_total=pages.money(profile.award.total if profile.award else None, lg),
        award_why=profile.award.explain(lg) if profile.award else "",
        robustness_pct=percent(profile.robustness.p_nominal) if profile.robustness else "",
        charts={
            "chart-pillars": pages.pillars_option(profile, lg),
            "chart-radar": pages.radar_option(profile, lg),
            "chart-history": pages.history_option(hist, lg, p.content.framework.rounding),
        },
    )
    return render(request, "dashboard/county.html", ctx)


@login_required
@require_GET
def incentives(request: HttpRequest, year: int) -> HttpResponse:
    pub = _publication(request, year)
    ctx = _context(request, pub, "incentives")
    p, error = _content(pub)
    ctx["error"] = error
    if p is not None:
        ctx["data"] = pages.incentives_page(p.content, lang())
    return render(request, "dashboard/incentives.html", ctx)


@login_required
@require_GET
def downloads_page(request: HttpRequest, year: int) -> HttpResponse:
    pub = _publication(request, year)
    ctx = _context(request, pub, "downloads")
    ctx["files"] = [
        (kind, downloads.file_name(year, kind, lang())) for kind in ("xlsx", "docx", "pdf")
    ]
    return render(request, "dashboard/downloads.html", ctx)


@login_required
@require_GET
def download(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    """A file of the version: the one stored with it (made at publication), else made now and
    stored. 409 when the version's data cannot be rebuilt (the published table is all there
    is)."""
    pub = _publication(request, year)
    if kind not in downloads.KINDS:
        raise Http404
    lg = lang()
    stored = downloads.stored_file(pub, kind, lg)
    if stored is None:
        p, error = _content(pub)
        if p is None:
            ctx = _context(request, pub, "downloads")
            ctx["error"] = error
            return render(request, "dashboard/unavailable.html", ctx, status=409)
        stored = downloads.report_file(p, kind, lg)
    response = HttpResponse(bytes(stored.content), content_type=downloads.KINDS[kind])
    response["Content-Disposition"] = content_disposition_header(True, stored.name)
    return response
