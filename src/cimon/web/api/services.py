"""What the JSON API returns: published results only, read from the frozen publications.

Plain functions over :class:`~cimon.store.evaluations.models.Publication`; the views in
:mod:`.views` only parse the request, ask :mod:`cimon.web.accounts.policy` and turn an
:class:`ApiError` into the JSON error body. Nothing here is computed from data that was not
published: scores, classes and ranks are the frozen copy; city figures and incentive money are
derived from it (and from the previous year's version it was published against, its frozen
basis: :mod:`cimon.store.evaluations.basis`) on each request.

Who may call: every user with a role, after logging in (the same rule as the results pages,
seed 000 section 四: results are published to the departments and counties of the province; the
platform shows them after login). The current version of a year to every role; a superseded
version (``?version=N``) to administrators only; an unpublished year does not exist (404).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from cimon.store.evaluations.listing import PER_PAGE, Filters, Page
from cimon.store.evaluations.models import Publication
from cimon.tables.render import records
from cimon.tables.specs import AWARDS, RESULTS
from cimon.vocab import number
from cimon.web.accounts import policy
from cimon.web.evaluations.services import visible_publication


@dataclass
class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message_zh", "message_en"}}``."""

    status: int
    code: str
    message_zh: str
    message_en: str

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message_zh": self.message_zh,
                "message_en": self.message_en,
            }
        }


def not_found(year: int | str) -> ApiError:
    return ApiError(
        404,
        "not_found",
        f"{year} 年度没有已发布的评价结果（或您无权查看该版本）。",
        f"There are no published results for {year} (or you may not see that version).",
    )


def bad_parameter(name: str, value: str, zh: str, en: str) -> ApiError:
    return ApiError(
        400,
        "bad_parameter",
        f"参数 {name} 的值“{value}”无效：{zh}",
        f"Parameter {name} has an invalid value '{value}': {en}",
    )


def parse_year(text: str) -> int:
    """A four-digit evaluation year from the path (400 naming the field otherwise)."""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise bad_parameter("year", text, "应为四位数的年度，如 2025。", "use a year such as 2025.")
    return int(text)


def parse_version(text: str | None) -> int | None:
    """The ``version`` query parameter: absent → None (the current version)."""
    if text is None or text == "":
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or int(text) < 1:
        raise bad_parameter(
            "version",
            text,
            "应为正整数（第几版），如 1。",
            "use a positive version number such as 1.",
        )
    return int(text)


def publication(
    user: Any, year: int, version: int | None = None, *, rows: bool = True
) -> Publication:
    """The publication ``user`` asked for: the current version, or ``version``; 404 when the
    year is unpublished, the version does not exist or the user may not see it. ``rows=False``:
    without its rows (read with ``listing.frozen_rows``)."""
    pub = visible_publication(user, year, version, rows=rows)
    if pub is None:
        raise not_found(year)
    return pub


def _english(name: str | None) -> str | None:
    """The registry's English name of a county or city (the Chinese name when it has none)."""
    from cimon.model.regions import display_name
    from cimon.store.platform import platform_registry

    return None if name is None else display_name(name, "en", platform_registry())


def _place(name: str, lang: str) -> str:
    return _english(name) or name


def county_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """One county of a publication in the API's shape (missing fields → null). ``name`` and
    ``city`` are the Chinese names as published; ``name_en`` and ``city_en`` the registry's
    English names (the Chinese name where it has none)."""
    pillars = row.get("pillars")
    return {
        **records(RESULTS.shown_in("api"), [row], _place)[0],
        "pillars": (
            {str(k): number(v) for k, v in pillars.items()} if isinstance(pillars, dict) else None
        ),
    }


@lru_cache(maxsize=8)
def _framework_pillars(framework_id: str) -> tuple[tuple[str, str, str, float], ...]:
    from cimon.errors import CimonError
    from cimon.model.framework import load_framework

    try:
        fw = load_framework(framework_id)
    except (CimonError, OSError):
        return ()
    return tuple((p.code, p.name_zh, p.name_en, float(p.points)) for p in fw.pillars)


def pillars_of(pub: Publication) -> list[dict[str, Any]]:
    """The framework's pillars (code, names, points) for reading ``pillars`` in the rows."""
    return [
        {"code": c, "name_zh": zh, "name_en": en, "points": pts}
        for c, zh, en, pts in _framework_pillars(pub.evaluation.framework_id)
    ]


def meta(pub: Publication, user: Any) -> dict[str, Any]:
    """What every year-level answer starts with: which version this is and which exist."""
    versions = [
        p.version
        for p in Publication.objects.filter(
            evaluation_year=pub.evaluation_year, province=pub.province
        )
        .light()
        .order_by("version")
        if policy.can_view_publication(user, p)
    ]
    return {
        "year": pub.evaluation_year,
        "version": pub.version,
        "current": pub.superseded_at is None,
        "versions": versions,
        "published_at": pub.published_at.isoformat(),
        "data_year": pub.evaluation.data_year,
        "framework": {
            "id": pub.evaluation.framework_id,
            "version": pub.evaluation.framework_version,
        },
        "correction_reason": pub.reason,
    }


def years(user: Any) -> list[dict[str, Any]]:
    """Every year with a current publication the user may see, newest first."""
    out = []
    qs = (
        Publication.objects.filter(superseded_at__isnull=True)
        .select_related("evaluation")
        .order_by("-evaluation_year")
    )
    for pub in qs:
        if not policy.can_view_publication(user, pub):
            continue
        out.append(
            {
                "year": pub.evaluation_year,
                "version": pub.version,
                "published_at": pub.published_at.isoformat(),
                "data_year": pub.evaluation.data_year,
                "counties": len(pub.results),
                "class_counts": {str(k): int(v) for k, v in pub.class_counts.items()},
            }
        )
    return out


def parse_page(name: str, text: str | None, default: int, most: int) -> int:
    """A positive page number or page size from the query (``default`` when absent; at most
    ``most``); 400 naming the parameter otherwise."""
    if text is None or text == "":
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 7 or int(text) < 1:
        raise bad_parameter(
            name, text, "应为正整数，如 1。", "use a positive whole number such as 1."
        )
    return min(int(text), most)


def results(
    pub: Publication,
    user: Any,
    filters: Filters | None = None,
    page: int | None = None,
    per_page: int | None = None,
) -> dict[str, Any]:
    """The counties of a publication, in rank order, with the framework's pillars; narrowed by
    ``filters`` (province, city, class, search) and paged (``page``/``per_page``; neither: all
    rows on one page). ``paging`` says where the page is; ``class_counts`` are the whole
    publication's."""
    from cimon.store.evaluations.listing import frozen_rows, paginate, select
    from cimon.store.platform import platform_registry

    f = filters or Filters()
    every = frozen_rows(pub)
    rows = select(every, f, platform_registry(pub.province or None)) if f.active else every
    if page is None and per_page is None:
        shown = Page(rows, 1, len(rows), len(rows))
    else:
        shown = paginate(rows, page or 1, per_page or PER_PAGE)
    return {
        **meta(pub, user),
        "class_counts": {str(k): int(v) for k, v in pub.class_counts.items()},
        "pillars": pillars_of(pub),
        "filters": f.query(),
        "paging": shown.meta(),
        "results": [county_row(r) for r in shown.rows],
    }


def county(pub: Publication, user: Any, code: str) -> dict[str, Any]:
    """One county of a publication (404 when the code is not in it), with the pillars."""
    for r in pub.results:
        if str(r.get("region_code")) == code:
            return {**meta(pub, user), "pillars": pillars_of(pub), "county": county_row(r)}
    raise ApiError(
        404,
        "not_found",
        f"{pub.evaluation_year} 年度的评价结果中没有县（市、区）代码 {code}。",
        f"The {pub.evaluation_year} results have no county with code {code}.",
    )


def cities(pub: Publication, user: Any) -> dict[str, Any]:
    """Per city (设区市): counties, mean and best/worst published score, class counts."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in pub.results:
        row = county_row(r)
        groups.setdefault(row["city"] or "", []).append(row)
    out: list[dict[str, Any]] = []
    for city, rows in groups.items():
        scores = [r["score"] for r in rows if r["score"] is not None]
        counts: dict[str, int] = {}
        for r in rows:
            if r["class"]:
                counts[r["class"]] = counts.get(r["class"], 0) + 1
        ranked = [r for r in rows if r["rank"] is not None]
        best = min(ranked, key=lambda r: r["rank"]) if ranked else None
        out.append(
            {
                "city": city,
                "city_en": _english(city),
                "counties": len(rows),
                "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
                "max_score": max(scores) if scores else None,
                "min_score": min(scores) if scores else None,
                "class_counts": counts,
                "best_county": best["code"] if best else None,
            }
        )
    out.sort(key=lambda c: (-(c["mean_score"] or 0.0), c["city"]))
    return {**meta(pub, user), "cities": out}


def _frame(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    """A results table as :func:`cimon.analysis.compare.compare_results` reads it; rows without
    a score or a class (not a scored county) are left out."""
    keep = [
        r
        for r in rows
        if number(r.get("score_published", r.get("score"))) is not None and r.get("class")
    ]
    return pd.DataFrame(
        {
            "name": [str(r.get("name") or "") for r in keep],
            "city": [str(r.get("city") or "") for r in keep],
            "score_published": [number(r.get("score_published", r.get("score"))) for r in keep],
            "class": [str(r["class"]) for r in keep],
        },
        index=pd.Index([str(r.get("region_code")) for r in keep], name="region_code"),
    )


def incentives(pub: Publication, user: Any) -> dict[str, Any]:
    """Incentive money (integer 元) for the year of ``pub``: this publication against the
    version of the year before it was published against (its frozen basis; none → no award, as
    the rule set says; ``previous.corrected_since`` names a later correction of that year, which
    does not change this version), under the incentive rules the version was published with,
    frozen with it (:mod:`cimon.store.evaluations.rules`; the configured ``CIMON_INCENTIVE_RULES``
    of that moment), whatever the platform is configured with now."""
    from cimon.analysis.incentives import incentives as compute
    from cimon.store.evaluations.basis import previous_of
    from cimon.store.evaluations.rules import rules_line, rules_of

    rules = rules_of(pub)

    prev = previous_of(pub)
    curr = _frame(pub.results)
    labels = list(rules.classes)
    awards = []
    if len(curr) and set(curr["class"]) <= set(labels):
        prev_frame = _frame(prev.results) if prev is not None else None
        if prev_frame is not None and not set(prev_frame["class"]) <= set(labels):
            prev_frame = None
        awards = compute(prev_frame, curr, rules, pub.evaluation_year, labels)
    rows = records(AWARDS.shown_in("api"), awards, _place)
    return {
        **meta(pub, user),
        "previous": (
            {
                "year": prev.evaluation_year,
                "version": prev.version,
                "current": prev.superseded_at is None,
            }
            if prev is not None
            else None
        ),
        "rules": {
            "id": rules.id,
            "version": rules.version,
            "places": rules.places,
            "hash": rules.hash,
            "frozen": True,
            "note_zh": rules_line(rules, "zh"),
            "note_en": rules_line(rules, "en"),
        },
        "currency": "CNY",
        "total": sum(r["total"] for r in rows),
        "awards": rows,
    }
