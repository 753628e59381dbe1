"""Monitoring (issue #17): village coverage per county as the dashboard's tile grid and per town,
the unserved villages, services per month by kind, the alerts (inactive commissioners, dispatches
ending without a service record), the 特派团 five coverages of the 重点帮扶县 and a
commissioner's own counts. The province sees every county, a city bureau its counties
(read-only), a county clerk its own, a commissioner its own page. Every list is paged and every
count is a GROUP BY in the database (:mod:`cimon.store.commissioners.board`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cimon.reports.annual.tilegrid import tile_layout
from cimon.store.commissioners import board, monitor
from cimon.store.commissioners.models import Commissioner, Dispatch, ServiceRecord
from cimon.store.commissioners.names import COVERAGE_AREAS, COVERAGE_STATUSES, SERVICE_KINDS
from cimon.store.platform import platform_registry
from cimon.vocab import percent_or
from cimon.web.commissioners.common import me, page_of, query_without_page, who
from cimon.web.dashboard.content import FONT
from cimon.web.i18n import lang

#: the alert's default and largest number of days without a service record
INACTIVE_DAYS, MAX_DAYS = 30, 366
#: colours of the coverage shares (none, below a third, below two thirds, above)
SHADES = ("#dddddd", "#f4c27a", "#9fd08a", "#2e8b57")
KIND_COLOURS = ("#12355b", "#2e8b57", "#e39b2f", "#8c4b9c", "#c0392b")


def _scope(request: HttpRequest) -> tuple[str, ...] | None:
    """The counties the user monitors: None for the province (every county), its counties for a
    city bureau or a county clerk; 403 for anyone else."""
    w = who(request)
    if w.role == "admin":  # on an instance hosting several provinces: its province's (#20)
        from cimon.store.national.hosting import hosted, visible_codes

        return tuple(visible_codes(request.user, platform_registry().codes)) if hosted() else None
    if w.role in ("city", "county") and w.counties:
        return w.counties
    raise PermissionDenied


def _regions(scope: tuple[str, ...] | None) -> list[Any]:
    return [r for r in platform_registry() if scope is None or r.code in scope]


def _latest() -> int:
    """The year of the latest current service record (the demo's 2025), else this year."""
    last = ServiceRecord.objects.current().order_by("-date").values_list("date", flat=True)[:1]
    return last[0].year if last else timezone.localdate().year


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return _latest()
    return year if 2000 <= year <= 2100 else _latest()


def _shade(share: float | None) -> str:
    if not share:
        return SHADES[0]
    return SHADES[1] if share < 1 / 3 else SHADES[2] if share < 2 / 3 else SHADES[3]


def tiles_option(
    regions: list[Any], shares: dict[str, float | None], links: dict[str, str], lg: str
) -> dict[str, Any]:
    """The dashboard's tile grid (one square per county, by city), coloured by the share of
    villages served; dashboard.js sizes the squares (``cimonTiles``) and opens ``cimonLinks``."""
    grid = tile_layout(regions, max_width=12)
    data = []
    for tile in grid.tiles:
        share = shares.get(tile.code)
        pct = "—" if share is None else f"{share:.0%}"
        data.append({
            "name": tile.name, "code": tile.code, "value": [tile.col, tile.row, share],
            "itemStyle": {"color": _shade(share)},
            "tooltip": {"formatter": f"{tile.name}: {pct}"},
        })  # fmt: skip
    labels = [{"name": lb.city, "value": [lb.col, lb.row]} for lb in grid.labels]
    return {
        "textStyle": {"fontFamily": FONT}, "animation": False,
        "tooltip": {"trigger": "item", "renderMode": "richText"},
        "grid": {"left": 4, "right": 4, "top": 4, "bottom": 4},
        "xAxis": {"type": "value", "min": -0.5, "max": grid.width - 0.5, "show": False},
        "yAxis": {"type": "value", "min": -0.5, "max": grid.height - 0.5, "inverse": True,
                  "show": False},
        "series": [
            {"type": "scatter", "symbol": "rect", "data": data,
             "label": {"show": True, "formatter": "{b}", "fontSize": 10, "color": "#111"}},
            {"type": "scatter", "symbolSize": 1, "silent": True, "data": labels,
             "itemStyle": {"color": "rgba(0,0,0,0)"}, "tooltip": {"show": False},
             "label": {"show": True, "formatter": "{b}", "fontWeight": "bold", "fontSize": 12,
                       "color": "#12355b"}},
        ],
        "cimonTiles": {"cols": grid.width, "rows": grid.height},
        "cimonLinks": links,
    }  # fmt: skip


def months_option(months: dict[str, dict[str, int]], lg: str) -> dict[str, Any]:
    """Service records per month, stacked by kind."""
    keys = list(months)
    return {
        "textStyle": {"fontFamily": FONT}, "animation": False,
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 10, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [k[5:] for k in keys]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"type": "bar", "stack": "n", "name": names[1] if lg == "en" else names[0],
             "itemStyle": {"color": KIND_COLOURS[i % len(KIND_COLOURS)]},
             "data": [months[k].get(kind, 0) for k in keys]}
            for i, (kind, names) in enumerate(SERVICE_KINDS.items())
        ],
    }  # fmt: skip


@login_required
@require_GET
def monitor_home(request: HttpRequest) -> HttpResponse:
    """Coverage per county (tile grid and table), services per month by kind, serving
    commissioners per county. A commissioner is sent to its own page."""
    if who(request).role == "commissioner":
        return redirect("commissioners:monitor_me")
    scope = _scope(request)
    year, lg = _year(request), lang()
    regions = _regions(scope)
    cov = board.county_coverage(year, [r.code for r in regions])
    by_code = {c.county_code: c for c in cov.counties}
    serving = monitor.serving_by_county(timezone.localdate())
    rows = [(r, by_code.get(r.code), serving.get(r.code, 0), percent_or(by_code[r.code].share if r.code in by_code else None))
            for r in regions]  # fmt: skip
    links = {r.code: reverse("commissioners:monitor_county", args=[r.code]) + f"?year={year}"
             for r in regions}  # fmt: skip
    months = board.monthly_services(year, None if scope is None else scope)
    ctx = {
        "year": year,
        "rows": rows,
        "coverage": cov,
        "charts": {
            "chart-coverage": tiles_option(
                regions,
                {r.code: by_code[r.code].share if r.code in by_code else None for r in regions},
                links,
                lg,
            ),
            "chart-months": months_option(months, lg),
        },
        "shades": SHADES,
    }
    return render(request, "commissioners/monitor.html", ctx)


@login_required
@require_GET
def monitor_county(request: HttpRequest, code: str) -> HttpResponse:
    """One county's coverage per town and its unserved villages (``?town=`` one town; paged)."""
    scope = _scope(request)
    if scope is not None and code not in scope:
        raise Http404
    region = next((r for r in platform_registry() if r.code == code), None)
    if region is None:
        raise Http404
    year = _year(request)
    cov = board.county_coverage(year, [code], unknown=False)
    towns = board.town_names(code)
    town = request.GET.get("town", "")
    town = town if town in towns else ""
    page = Paginator(board.unserved(year, code, town), 50).get_page(request.GET.get("page"))
    ctx = {
        "year": year,
        "region": region,
        "county": cov.counties[0] if cov.counties else None,
        "towns": towns,
        "town": town,
        "page": page,
        "query": query_without_page(request),
    }
    return render(request, "commissioners/monitor_county.html", ctx)


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", INACTIVE_DAYS))
    except ValueError:
        return INACTIVE_DAYS
    return min(max(days, 1), MAX_DAYS)


@login_required
@require_GET
def monitor_alerts(request: HttpRequest) -> HttpResponse:
    """Active commissioners without a service record in ``?days=`` days (30; 1–366) and accepted
    dispatches ending within 30 days (or ended) without any service record; both paged."""
    scope = _scope(request)
    today, days = timezone.localdate(), _days(request)
    # by number: the latest date is then computed for the page's rows only, not for every
    # inactive commissioner (ordering by it took 3.4 s with 300,000 commissioners)
    people = monitor.inactive(days, today).order_by("id")
    ending = monitor.ending_without_report(today).select_related("commissioner")
    if scope is not None:
        there = Dispatch.objects.filter(county_code__in=scope, status="accepted")
        people = people.filter(pk__in=there.values("commissioner_id"))
        ending = ending.filter(county_code__in=scope)
    page = page_of(request, people)
    names = dict(
        Commissioner.objects.with_profile()
        .filter(pk__in=[p.pk for p in page])
        .values_list("pk", "name")
    )
    ends = Paginator(ending, 50).get_page(request.GET.get("epage"))
    ctx = {"days": days, "today": today, "page": page, "names": names, "ends": ends,
           "query": query_without_page(request)}  # fmt: skip
    return render(request, "commissioners/monitor_alerts.html", ctx)


@login_required
@require_GET
def monitor_teams(request: HttpRequest) -> HttpResponse:
    """The five coverages of the team of each 重点帮扶县 (一县一团) in ``?year=``."""
    scope = _scope(request)
    year = _year(request)
    ctx = {
        "year": year,
        "rows": board.key_county_teams(year, _regions(scope)),
        "areas": COVERAGE_AREAS,
        "statuses": COVERAGE_STATUSES,
    }
    return render(request, "commissioners/monitor_teams.html", ctx)


@login_required
@require_GET
def monitor_me(request: HttpRequest) -> HttpResponse:
    """A commissioner's own counts of ``?year=`` and its services per month."""
    person = me(request)
    year = _year(request)
    months = board.monthly_services(year, commissioner_id=person.pk)
    ctx = {
        "year": year,
        "person": person,
        "name": person.current.name,
        "counts": board.person_counts(person.pk, year),
        "charts": {"chart-months": months_option(months, lang())},
        "today": dt.date.today(),
    }
    return render(request, "commissioners/monitor_me.html", ctx)
