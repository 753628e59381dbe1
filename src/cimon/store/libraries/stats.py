"""Aggregates of the resource libraries for the libraries dashboard (#18).

Every figure is computed with set-based queries (``values().annotate()``), a fixed number of
queries whatever the number of records:

* :func:`by_field` — supply and demand by field: needs by the GB/T 4754 division (and section) of
  their current version, beside the published achievements whose GB/T 13745 discipline the
  mapping shipped with :mod:`cimon.matching.taxonomy` maps onto that division (directly, strength
  1.0, or as related, 0.5). An achievement serving several divisions counts in each.
* :func:`by_county` — needs, published achievements held in the county, matches, contracts
  (number and amount in 元) and transfer projects per county.
* :func:`funnel` — the match funnel 推荐 → 对接 → 洽谈 → 签约 → 技术合同登记 per county and year
  (the year the match was recommended): how many matches reached each stage, and the share of
  the previous stage's.
* :func:`contracts_over_time` — registered contracts per county and month (number, amount in 元).
* :func:`feed_figures` — what I15 (技术合同成交额, 万元) and I18 (转化项目, 项) take for each county
  and data year, computed by the feeds themselves
  (:func:`~cimon.store.libraries.feed.contract_rows`,
  :func:`~cimon.store.libraries.transfer.transfer_rows`).

``counties`` restricts every figure to those counties (None: all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from cimon.matching.taxonomy import (
    discipline_code,
    field_map,
    industry_division,
    industry_section,
)
from cimon.registry.synthetic import SYNTHETIC_LABEL
from cimon.store.libraries.feed import WAN, contract_rows
from cimon.store.libraries.models import (
    PUBLISHED,
    STAGE_ORDER,
    Achievement,
    AchievementVersion,
    Contract,
    Match,
    Need,
    NeedVersion,
)
from cimon.store.libraries.models_talent import TransferProject
from cimon.store.libraries.transfer import transfer_rows

__all__ = [
    "LibraryStats",
    "by_county",
    "by_field",
    "contracts_over_time",
    "feed_figures",
    "funnel",
    "library_stats",
]

UNMAPPED = "—"


def _in(qs: QuerySet[Any], field: str, counties: Sequence[str] | None) -> QuerySet[Any]:
    return qs if counties is None else qs.filter(**{f"{field}__in": list(counties)})


def _current(model: Any, fk: str, column: str) -> Subquery:
    """The ``column`` of the latest version (a correlated subquery, evaluated in one query)."""
    latest = model.objects.filter(**{fk: OuterRef("pk")}).order_by("-number")
    return Subquery(latest.values(column)[:1])


def by_field(counties: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """One row per GB/T 4754 division that has a need in scope or a mapped achievement:
    ``needs`` (all statuses but drafts), ``published`` needs, ``direct`` and ``related``
    published achievements (province-wide: achievements are not bound to a county), sorted by
    section and division; needs without a known division come last (division ``—``)."""
    fm = field_map()
    needs = _in(Need.objects.exclude(status="draft"), "region_code", counties)
    demand: dict[str, list[int]] = {}
    for row in (
        needs.annotate(code=_current(NeedVersion, "need", "industry"))
        .values("code", "status")
        .annotate(n=Count("id"))
    ):
        div = industry_division(row["code"]) or industry_section(row["code"]) or UNMAPPED
        d = demand.setdefault(div, [0, 0])
        d[0] += row["n"]
        if row["status"] == PUBLISHED:
            d[1] += row["n"]
    supply: dict[str, list[int]] = {}
    serving: dict[str, list[tuple[str, float]]] = {}
    for (division, discipline), strength in fm.strength.items():
        serving.setdefault(discipline, []).append((division, strength))
    achievements = (
        Achievement.objects.published()
        .annotate(code=_current(AchievementVersion, "achievement", "discipline"))
        .values("code")
        .annotate(n=Count("id"))
    )
    for row in achievements:
        disc = discipline_code(row["code"])
        targets = serving.get(disc or "", [])
        if not targets:
            supply.setdefault(UNMAPPED, [0, 0])[1] += row["n"]
        for div, strength in targets:
            s = supply.setdefault(div, [0, 0])
            s[0 if strength >= 1.0 else 1] += row["n"]
    out = []
    for div in sorted(set(demand) | set(supply), key=lambda d: (d == UNMAPPED, d)):
        need_n, published_n = demand.get(div, [0, 0])
        direct, related = supply.get(div, [0, 0])
        out.append(
            {"division": div, "section": fm.section_of.get(div, div if div.isalpha() else ""),
             "name": fm.industries.get(div, "") if div != UNMAPPED else "",
             "needs": need_n, "published": published_n, "direct": direct, "related": related}
        )  # fmt: skip
    return out


def by_section(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of :func:`by_field` summed by GB/T 4754 section (门类); an achievement mapped
    onto two divisions of one section counts twice there, as in the division rows."""
    fm = field_map()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        sec = r["section"] or UNMAPPED
        s = out.setdefault(
            sec, {"section": sec, "name": fm.industries.get(sec, ""), "needs": 0,
                  "published": 0, "direct": 0, "related": 0}
        )  # fmt: skip
        for k in ("needs", "published", "direct", "related"):
            s[k] += r[k]
    return [out[k] for k in sorted(out, key=lambda s: (s == UNMAPPED, s))]


def by_county(counties: Sequence[str] | None = None) -> dict[str, dict[str, int]]:
    """Per county code: ``needs`` (all but drafts), ``published`` needs, ``achievements``
    (published, held in the county by their current version), ``matches``, ``contracts``,
    ``amount`` (元) and ``transfers`` (matches marked completed transfer projects)."""
    out: dict[str, dict[str, int]] = {}

    def put(code: str, key: str, n: int | None) -> None:
        row = out.setdefault(code, dict.fromkeys(_COUNTY_KEYS, 0))
        row[key] += int(n or 0)

    needs = _in(Need.objects.exclude(status="draft"), "region_code", counties)
    for r in needs.values("region_code").annotate(
        n=Count("id"), p=Count("id", filter=Q(status=PUBLISHED))
    ):
        put(r["region_code"], "needs", r["n"])
        put(r["region_code"], "published", r["p"])
    held = Achievement.objects.published().annotate(
        code=_current(AchievementVersion, "achievement", "region_code")
    )
    if counties is not None:
        held = held.filter(code__in=list(counties))
    for r in held.exclude(code="").values("code").annotate(n=Count("id")):
        put(r["code"], "achievements", r["n"])
    matches = _in(Match.objects.all(), "need__region_code", counties)
    for r in matches.values("need__region_code").annotate(n=Count("id")):
        put(r["need__region_code"], "matches", r["n"])
    contracts = _in(Contract.objects.all(), "region_code", counties)
    for r in contracts.values("region_code").annotate(n=Count("id"), s=Sum("amount")):
        put(r["region_code"], "contracts", r["n"])
        put(r["region_code"], "amount", r["s"])
    projects = _in(TransferProject.objects.all(), "region_code", counties)
    for r in projects.values("region_code").annotate(n=Count("id")):
        put(r["region_code"], "transfers", r["n"])
    return out


_COUNTY_KEYS = ("needs", "published", "achievements", "matches", "contracts", "amount", "transfers")


def funnel(counties: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """One row per county and year (the year the matches were recommended), and one row per
    year for all counties in scope (``region_code`` ""): ``reached`` the number of matches that
    reached each stage of :data:`STAGE_ORDER` (a match at 洽谈 has reached 推荐, 对接 and 洽谈),
    ``rates`` each stage's share of the previous stage (None when the previous is 0)."""
    order = {s: i for i, s in enumerate(STAGE_ORDER)}
    counts: dict[tuple[str, int], list[int]] = {}
    qs = _in(Match.objects.all(), "need__region_code", counties)
    for r in (
        qs.annotate(year=ExtractYear("created_at"))
        .values("need__region_code", "year", "stage")
        .annotate(n=Count("id"))
    ):
        for key in ((r["need__region_code"], r["year"]), ("", r["year"])):
            reached = counts.setdefault(key, [0] * len(STAGE_ORDER))
            for i in range(order[r["stage"]] + 1):
                reached[i] += r["n"]
    out = []
    for (code, year), reached in sorted(
        counts.items(), key=lambda kv: (-kv[0][1], kv[0][0] == "", kv[0][0])
    ):
        rates = [None] + [
            (reached[i] / reached[i - 1] if reached[i - 1] else None)
            for i in range(1, len(reached))
        ]
        out.append({"region_code": code, "year": year, "reached": reached, "rates": rates})
    return out


def contracts_over_time(counties: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Registered contracts per county, year and month of signing: ``count``, ``amount`` (元),
    newest first."""
    qs = _in(Contract.objects.all(), "region_code", counties)
    rows = (
        qs.annotate(year=ExtractYear("signed_on"), month=ExtractMonth("signed_on"))
        .values("region_code", "year", "month")
        .annotate(count=Count("id"), amount=Sum("amount"))
    )
    out = [
        {"region_code": r["region_code"], "year": r["year"], "month": r["month"],
         "count": r["count"], "amount": int(r["amount"] or 0)}
        for r in rows
    ]  # fmt: skip
    out.sort(key=lambda r: (-r["year"], -r["month"], r["region_code"]))
    return out


def by_year(monthly: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """:func:`contracts_over_time` summed per year over the counties in it, newest first."""
    out: dict[int, dict[str, Any]] = {}
    for r in monthly:
        y = out.setdefault(r["year"], {"year": r["year"], "count": 0, "amount": 0})
        y["count"] += r["count"]
        y["amount"] += r["amount"]
    return [out[y] for y in sorted(out, reverse=True)]


def feed_figures(counties: Sequence[str], years: Sequence[int]) -> list[dict[str, Any]]:
    """Per county and data year, what a framework declaring the library sources takes:
    ``i15`` the 技术合同成交额 in 万元 (``i15_count`` contracts) and ``i18`` the number of
    transfer projects — the feeds' own rows (no data moment: everything recorded so far)."""
    if not counties or not years:
        return []
    i15 = contract_rows([SimpleNamespace(variable="tech_contracts", measure="amount")], years,
                        counties)  # fmt: skip
    i18 = transfer_rows([SimpleNamespace(variable="transfer_projects", measure="count")], years,
                        counties)  # fmt: skip
    projects = {(r["region_code"], r["year"]): r["count"] for r in i18}
    out = []
    for r in i15:
        key = (r["region_code"], r["year"])
        if r["count"] or projects.get(key):
            out.append(
                {"region_code": key[0], "year": key[1], "i15": r["value"],
                 "i15_count": r["count"], "i18": projects.get(key, 0)}
            )  # fmt: skip
    out.sort(key=lambda r: (-r["year"], r["region_code"]))
    return out


@dataclass(frozen=True)
class LibraryStats:
    """Everything the libraries dashboard shows, for one scope of counties."""

    counties: list[str] | None
    fields: list[dict[str, Any]]
    sections: list[dict[str, Any]]
    county_rows: dict[str, dict[str, int]]
    funnel: list[dict[str, Any]]
    monthly: list[dict[str, Any]]
    yearly: list[dict[str, Any]]
    feeds: list[dict[str, Any]]
    synthetic: bool


def library_stats(counties: Sequence[str] | None, all_counties: Sequence[str]) -> LibraryStats:
    """The dashboard's figures for ``counties`` (None: every county; ``all_counties`` names the
    counties the feeds are computed for then)."""
    scope = None if counties is None else list(counties)
    fields = by_field(scope)
    monthly = contracts_over_time(scope)
    years = sorted({r["year"] for r in monthly} | _project_years(scope))
    synthetic = (
        _in(Need.objects.filter(label=SYNTHETIC_LABEL), "region_code", scope).exists()
        or _in(Contract.objects.filter(label=SYNTHETIC_LABEL), "region_code", scope).exists()
    )
    return LibraryStats(
        counties=scope, fields=fields, sections=by_section(fields), county_rows=by_county(scope),
        funnel=funnel(scope), monthly=monthly, yearly=by_year(monthly),
        feeds=feed_figures(list(all_counties) if scope is None else scope, years),
        synthetic=synthetic,
    )  # fmt: skip


def _project_years(counties: Sequence[str] | None) -> set[int]:
    qs = _in(TransferProject.objects.all(), "region_code", counties)
    return set(qs.annotate(y=ExtractYear("completed_on")).values_list("y", flat=True).distinct())


def amount_wan(yuan: int) -> float:
    """元 → 万元 for display."""
    return yuan / WAN
