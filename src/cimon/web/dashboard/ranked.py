"""The dashboard's ranked-list page (排名列表): every unit of a publication, searched, filtered
(province, 设区市, class) and paged, with the distribution of the units kept (class counts and
a score histogram) and a tile grid of one province (its units by 设区市, in class colours; for
the national registry a province must be chosen, else the grid would be 2,844 squares).

Everything comes from the publication's frozen rows (:mod:`cimon.store.evaluations.listing`):
no run is rebuilt, so the page costs the same few queries whatever the number of units."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from cimon.store.evaluations.listing import (
    PER_PAGE,
    cities_of,
    distribution,
    filters_from,
    frozen_rows,
    paginate,
    provinces,
    select,
)
from cimon.store.evaluations.models import Publication
from cimon.vocab import fmt_score
from cimon.web.params import int_param

#: Units a tile grid shows at most (a province has at most 183; the whole country does not fit).
MAX_TILES = 400


def _tiles(rows: list[dict[str, Any]], codes: set[str]) -> list[dict[str, Any]]:
    """The tile grid: one block per 设区市 (registry order of the rows), a square per unit."""
    by_city: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if str(r.get("region_code")) in codes:
            by_city.setdefault(str(r.get("city") or ""), []).append(r)
    return [
        {"city": city, "units": sorted(units, key=lambda r: str(r.get("region_code")))}
        for city, units in by_city.items()
    ]


def _county_href(year: int) -> Callable[[str], str]:
    """The link of a unit's county page: one ``reverse`` for the page, not one per row and tile
    (a province's tile grid is up to 183 links; reversing each was a fifth of the page, #20)."""
    probe = "000000"
    url = reverse("dashboard:county", args=[year, probe])
    head, tail = url.rsplit(probe, 1)

    def href(code: str) -> str:
        if code.isascii() and code.isalnum():
            return f"{head}{code}{tail}"
        return reverse("dashboard:county", args=[year, code])

    return href


def _annotate(rows: list[dict[str, Any]], href: Callable[[str], str], decimals: int) -> None:
    """Each row's ``href`` (its county page) and ``score_text`` (at the published decimals):
    the template shows them as they are. The rows are :func:`select`'s own copies."""
    for r in rows:
        if "href" not in r:
            r["href"] = href(str(r.get("region_code") or ""))
            r["score_text"] = fmt_score(r.get("score"), decimals)


def list_page(
    pub: Publication,
    params: Mapping[str, str],
    user: Any,
    version_query: str,
    decimals: int = 2,
) -> dict[str, Any]:
    """The page's context: ``filters``, the ``page`` of rows, the ``dist`` of every row kept,
    the ``tiles`` of the chosen province (or of a one-province registry), the choices of the
    filter form and the query string of other pages of the same list. The rows shown carry
    their link and their score at ``decimals`` places (:func:`_annotate`)."""
    from cimon.store.platform import platform_registry

    reg = platform_registry(pub.province or None)  # its hosted province's units (#20)
    f = filters_from(params)
    kept = select(frozen_rows(pub), f, reg)
    page = paginate(
        kept, int_param(params.get("page"), 1), int_param(params.get("per_page"), PER_PAGE)
    )
    all_provinces = provinces(reg)
    province = f.province or (all_provinces[0] if len(all_provinces) == 1 else "")
    tiles: list[dict[str, Any]] = []
    if province:
        codes = {r.code for r in reg if r.province == province}
        if len(codes) <= MAX_TILES:
            tiles = _tiles(kept, codes)
    href = _county_href(int(pub.evaluation_year))
    _annotate(page.rows, href, decimals)
    for block in tiles:
        _annotate(block["units"], href, decimals)
    dist = distribution(kept)
    most = max((b["count"] for b in dist["bins"]), default=0) or 1
    for b in dist["bins"]:
        b["pct"] = round(100 * b["count"] / most)
    base = dict(f.query())
    if version_query:
        base["version"] = str(pub.version)
    if page.per_page != PER_PAGE:
        base["per_page"] = str(page.per_page)
    return {
        "filters": f,
        "list_page": page,
        "dist": dist,
        "tiles": tiles,
        "tile_province": province,
        "provinces": all_provinces if len(all_provinces) > 1 else [],
        "cities": cities_of(reg, f.province),
        "classes": sorted(str(k) for k in pub.class_counts),
        "prev_query": urlencode({**base, "page": page.number - 1}) if page.number > 1 else "",
        "next_query": (
            urlencode({**base, "page": page.number + 1}) if page.number < page.pages else ""
        ),
    }
