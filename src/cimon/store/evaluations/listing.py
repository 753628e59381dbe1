"""Ranked lists of a publication's frozen results, filtered and paged: what the dashboard's
ranked-list page and the API's results endpoint show when the platform holds many units (the
national registry's 2,844, ``CIMON_REGIONS=national``).

Plain functions over the result rows (:func:`cimon.store.evaluations.results.result_rows`, in
rank order) and the platform's registry (for the province, which the rows do not hold). The
rows are read once with the publication (one query); filtering 2,844 dicts takes about a
millisecond, so nothing here asks the database again (the paged views are guarded by
``assertNumQueries`` in the tests).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cimon.model.regions import RegionRegistry, normalise_name

if TYPE_CHECKING:
    from cimon.store.evaluations.models import Publication

#: Rows per page unless asked otherwise, and the most one page may hold.
PER_PAGE, MAX_PER_PAGE = 50, 1000
#: Bins of the score distribution (0–100 in steps of 5).
BIN_WIDTH = 5


#: Decoded rows of recently read versions, per process: a version's rows never change once
#: published (a correction is a new version), and decoding 2,844 rows of JSON on every request
#: was half the time of a page (#20). Keyed by id and publication time (an id alone could be
#: reused after a restore).
_ROWS: OrderedDict[tuple[int, str], list[dict[str, Any]]] = OrderedDict()
_ROWS_KEEP = 8
_ROWS_LOCK = threading.Lock()


def frozen_rows(pub: Publication) -> list[dict[str, Any]]:
    """The frozen result rows of ``pub`` (read with ``results`` deferred, or not): from this
    process's cache of the last few versions read, else one query. Shared: do not modify them."""
    if "results" not in pub.get_deferred_fields():
        return list(pub.results)
    key = (int(pub.pk), pub.published_at.isoformat())
    with _ROWS_LOCK:
        rows = _ROWS.get(key)
        if rows is not None:
            _ROWS.move_to_end(key)
            return rows
    from cimon.store.evaluations.models import Publication

    rows = list(Publication.objects.filter(pk=pub.pk).values_list("results", flat=True)[0])
    with _ROWS_LOCK:
        _ROWS[key] = rows
        while len(_ROWS) > _ROWS_KEEP:
            _ROWS.popitem(last=False)
    return rows


@dataclass(frozen=True)
class Filters:
    """What a ranked list is narrowed to: a province, a 设区市, a class, a search text (a code
    prefix, or part of the Chinese or English name). Empty: no narrowing."""

    province: str = ""
    city: str = ""
    klass: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.province or self.city or self.klass or self.q)

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for links to other pages of the same list)."""
        out = {"province": self.province, "city": self.city, "class": self.klass, "q": self.q}
        return {k: v for k, v in out.items() if v}


def filters_from(params: Mapping[str, str]) -> Filters:
    """Filters from query parameters ``province``, ``city``, ``class``, ``q`` (trimmed; names
    normalised as the registry matches them; at most 50 characters each)."""

    def get(key: str) -> str:
        return " ".join(str(params.get(key) or "").split())[:50]

    return Filters(
        province=normalise_name(get("province")) if get("province") else "",
        city=normalise_name(get("city")) if get("city") else "",
        klass=get("class"),
        q=get("q"),
    )


def province_of(row: Mapping[str, Any], registry: RegionRegistry, codes: set[str]) -> str:
    code = str(row.get("region_code") or "")
    return registry[code].province if code in codes else ""


def _matches(row: Mapping[str, Any], f: Filters, province: str, english: str) -> bool:
    if f.province and province != f.province:
        return False
    if f.city and str(row.get("city") or "") != f.city:
        return False
    if f.klass and str(row.get("class") or "") != f.klass:
        return False
    if f.q:
        q = f.q.lower()
        code = str(row.get("region_code") or "")
        name = str(row.get("name") or "")
        if not (code.startswith(q) or q in name.lower() or q in english.lower()):
            return False
    return True


def select(
    rows: Iterable[Mapping[str, Any]], f: Filters, registry: RegionRegistry
) -> list[dict[str, Any]]:
    """The rows ``f`` keeps, in their order, each with ``province`` (from the registry) and
    ``name_en`` (the registry's English name by code, else the Chinese name) added."""
    seq = rows if isinstance(rows, list) else list(rows)
    provinces_, english = _places(seq, registry)
    out = []
    for row, province, name_en in zip(seq, provinces_, english, strict=True):
        if f.province and province != f.province:
            continue
        if _matches(row, f, province, name_en):
            out.append({**row, "province": province, "name_en": name_en})
    return out


#: The province and English name of each row of recently listed row lists (the shared rows of
#: :func:`frozen_rows`), by the ids of the list and the registry, which the entry keeps alive:
#: looking 2,844 codes up in the registry on every request was most of a filtered list (#20).
_PLACES: OrderedDict[tuple[int, int], tuple[object, object, list[str], list[str]]] = OrderedDict()


def _places(rows: list[Mapping[str, Any]], registry: RegionRegistry) -> tuple[list[str], list[str]]:
    key = (id(rows), id(registry))
    with _ROWS_LOCK:
        hit = _PLACES.get(key)
        if hit is not None and len(hit[2]) == len(rows):
            _PLACES.move_to_end(key)
            return hit[2], hit[3]
    codes = set(registry.codes)
    provinces_: list[str] = []
    english: list[str] = []
    for row in rows:
        code = str(row.get("region_code") or "")
        region = registry[code] if code in codes else None
        provinces_.append(region.province if region else "")
        english.append((region.name_en if region else "") or str(row.get("name") or ""))
    if any(rows is cached for cached in _cached_lists()):  # only the shared, frozen lists
        with _ROWS_LOCK:
            _PLACES[key] = (rows, registry, provinces_, english)
            while len(_PLACES) > _ROWS_KEEP:
                _PLACES.popitem(last=False)
    return provinces_, english


def _cached_lists() -> list[list[dict[str, Any]]]:
    with _ROWS_LOCK:
        return list(_ROWS.values())


@dataclass
class Page:
    """One page of a list: its rows and where it is."""

    rows: list[dict[str, Any]]
    number: int
    per_page: int
    total: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def first(self) -> int:
        """1-based position of the page's first row (0 when empty)."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    def meta(self) -> dict[str, int]:
        return {
            "page": self.number,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
        }


def paginate(rows: Sequence[dict[str, Any]], number: int, per_page: int) -> Page:
    """Page ``number`` (1-based; past the end: the last page) of ``per_page`` rows."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    pages = max(1, math.ceil(len(rows) / per_page))
    number = max(1, min(number, pages))
    start = (number - 1) * per_page
    return Page(list(rows[start : start + per_page]), number, per_page, len(rows))


def distribution(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Class counts and a histogram of scores (bins of :data:`BIN_WIDTH` points, 0–100)."""
    classes: dict[str, int] = {}
    bins = [0] * (100 // BIN_WIDTH)
    for row in rows:
        k = str(row.get("class") or "")
        if k:
            classes[k] = classes.get(k, 0) + 1
        score = row.get("score")
        if isinstance(score, (int, float)) and not math.isnan(float(score)):
            i = min(len(bins) - 1, max(0, int(float(score) // BIN_WIDTH)))
            bins[i] += 1
    return {
        "classes": dict(sorted(classes.items())),
        "bins": [
            {"from": i * BIN_WIDTH, "to": (i + 1) * BIN_WIDTH, "count": n}
            for i, n in enumerate(bins)
        ],
    }


def provinces(registry: RegionRegistry) -> list[str]:
    """The registry's provinces, in registry (code) order."""
    return list(dict.fromkeys(r.province for r in registry))


def cities_of(registry: RegionRegistry, province: str = "") -> list[str]:
    """The 设区市 of a province (all of them without one), in registry order."""
    return list(dict.fromkeys(r.city for r in registry if not province or r.province == province))
