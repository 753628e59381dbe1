"""Monitoring as set-based queries (issue #17 item 4): village coverage, a commissioner's list,
the alerts (no record for N days; dispatches ending without a service record) and the number of
serving commissioners per county.

Every function is one or two SQL statements whatever the number of commissioners or records;
the partial indexes of :class:`~cimon.store.commissioners.records.ServiceRecord` serve them
(``comm_service_coverage``: a county's villages in a year; ``comm_service_year``: the whole
province; ``comm_service_person``: a commissioner's list and the inactivity alert;
``comm_service_dispatch``: dispatches without a record).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery

from cimon.store.commissioners.models import (
    Commissioner,
    Dispatch,
    ServiceRecord,
)
from cimon.store.commissioners.names import (
    ACCEPTED,
    ACTIVE,
)


@dataclass(frozen=True)
class TownCoverage:
    town_code: str
    villages: int
    served: int


@dataclass(frozen=True)
class CountyCoverage:
    """Villages of a county with at least one (current) service record in the year."""

    county_code: str
    villages: int
    served: int
    towns: list[TownCoverage] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.served / self.villages if self.villages else None


@dataclass(frozen=True)
class Coverage:
    year: int
    counties: list[CountyCoverage]
    #: village codes served in the year that the list of villages does not hold (a typo, or a
    #: registry older than the record) — shown, never counted
    unknown: list[str]

    @property
    def villages(self) -> int:
        return sum(c.villages for c in self.counties)

    @property
    def served(self) -> int:
        return sum(c.served for c in self.counties)


def _codes(villages: Any) -> list[str]:
    """12-digit codes from an iterable of codes or a DataFrame with a ``code`` column (the
    village registry's :func:`cimon.registry.villages.villages`)."""
    if hasattr(villages, "columns"):
        villages = villages["code"].tolist()
    return sorted({str(v).strip() for v in villages if str(v).strip()})


def served_villages(year: int, county_codes: Iterable[str] | None = None) -> set[str]:
    """The distinct village codes with a current service record in ``year`` (one query)."""
    qs = ServiceRecord.objects.current().in_year(year)
    if county_codes is not None:
        codes = list(county_codes)
        qs = (
            qs.filter(county_code=codes[0]) if len(codes) == 1 else qs.filter(county_code__in=codes)
        )
    return set(qs.order_by().values_list("village_code", flat=True).distinct())


def served_among(year: int, village_codes: Iterable[str]) -> set[str]:
    """Those of ``village_codes`` with a current service record in ``year``: one statement asking
    EXISTS per village (the ``comm_service_village`` index, a few index probes per village
    whatever the number of records). PostgreSQL unnests the codes as one array parameter;
    other databases get them as a VALUES list, in chunks below SQLite's parameter limit."""
    from django.db import connection

    codes = sorted({str(c) for c in village_codes})
    if not codes:
        return set()
    table = ServiceRecord._meta.db_table
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    exists = (
        f"EXISTS (SELECT 1 FROM {table} s WHERE s.village_code = v.code "
        "AND s.superseded_at IS NULL AND s.date >= %s AND s.date <= %s)"
    )
    out: set[str] = set()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"SELECT v.code FROM unnest(%s::text[]) AS v(code) WHERE {exists}",
                [codes, first, last],
            )
            return {r[0] for r in cur.fetchall()}
        for i in range(0, len(codes), 10_000):
            part = codes[i : i + 10_000]
            values = ", ".join(["(%s)"] * len(part))
            cur.execute(
                f"SELECT v.code FROM (SELECT column1 AS code FROM (VALUES {values})) v "
                f"WHERE {exists}",
                [*part, first, last],
            )
            out |= {r[0] for r in cur.fetchall()}
    return out


def coverage(
    year: int,
    villages: Any,
    county_codes: Iterable[str] | None = None,
    *,
    unknown: bool = True,
) -> Coverage:
    """Village coverage in ``year``, per county and per town: villages with at least one service
    record / all villages. ``villages`` is the list of all villages (codes, or the village
    registry's table); ``county_codes`` limits it to those counties (a county's page).
    ``unknown=False`` asks only whether each listed village was served (:func:`served_among`,
    fast for one county at any scale) and leaves :attr:`Coverage.unknown` empty."""
    wanted = set(county_codes) if county_codes is not None else None
    codes = [c for c in _codes(villages) if wanted is None or c[:6] in wanted]
    if unknown:
        served = served_villages(year, wanted if wanted is not None else None)
    else:
        served = served_among(year, codes)
    by_town: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for code in codes:
        counts = by_town[code[:6]].setdefault(code[:9], [0, 0])
        counts[0] += 1
        counts[1] += code in served
    counties = [
        CountyCoverage(
            county,
            sum(v for v, _ in towns.values()),
            sum(s for _, s in towns.values()),
            [TownCoverage(t, v, s) for t, (v, s) in sorted(towns.items())],
        )
        for county, towns in sorted(by_town.items())
    ]
    return Coverage(year, counties, sorted(served - set(codes)) if unknown else [])


def services_of(person: Commissioner | int, year: int | None = None) -> QuerySet[ServiceRecord]:
    """A commissioner's current service records, newest first (``comm_service_person``)."""
    pk = person if isinstance(person, int) else person.pk
    qs = ServiceRecord.objects.current().filter(commissioner_id=pk)
    if year is not None:
        qs = qs.in_year(year)
    return qs.order_by("-date", "-id")


def inactive(days: int, as_of: dt.date) -> QuerySet[Commissioner]:
    """Active commissioners with no current service record in the ``days`` days up to
    ``as_of`` (inclusive), each with ``last_service`` (its latest date up to ``as_of``, or None)."""
    since = as_of - dt.timedelta(days=days - 1)
    recent = ServiceRecord.objects.filter(
        superseded_at__isnull=True,
        commissioner_id=OuterRef("pk"),
        date__gte=since,
        date__lte=as_of,
    )
    # the latest date by the (commissioner, date) index, for the rows returned only
    last = (
        ServiceRecord.objects.filter(
            superseded_at__isnull=True, commissioner_id=OuterRef("pk"), date__lte=as_of
        )
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        Commissioner.objects.filter(status=ACTIVE)
        .exclude(Exists(recent))
        .annotate(last_service=Subquery(last))
        .order_by(F("last_service").asc(nulls_first=True), "id")
    )


def ending_without_report(as_of: dt.date, within_days: int = 30) -> QuerySet[Dispatch]:
    """Accepted dispatches whose term ends by ``as_of + within_days`` (or has ended and the
    dispatch was not closed) with no current service record under them."""
    records = ServiceRecord.objects.filter(superseded_at__isnull=True, dispatch_id=OuterRef("pk"))
    return (
        Dispatch.objects.filter(status=ACCEPTED, end_on__lte=as_of + dt.timedelta(days=within_days))
        .exclude(Exists(records))
        .order_by("end_on", "id")
    )


def serving_by_county(as_of: dt.date) -> dict[str, int]:
    """Commissioners with an accepted dispatch whose term covers ``as_of``, per county."""
    rows = (
        Dispatch.objects.filter(status=ACCEPTED, start_on__lte=as_of, end_on__gte=as_of)
        .values("county_code")
        .annotate(n=Count("commissioner", distinct=True))
        .order_by("county_code")
    )
    return {r["county_code"]: r["n"] for r in rows}


def registry_villages(county_codes: Iterable[str], *, all_kinds: bool = False) -> list[str]:
    """The village codes of ``county_codes`` in the village registry
    (:mod:`cimon.registry.villages`): the 行政村 (村委会) by default, every 村委会 and 居委会 with
    ``all_kinds``. A county the registry does not know adds none."""
    from cimon.registry.villages import VillageError, villages

    out: list[str] = []
    for county in county_codes:
        try:
            rows = villages(county=county)
        except VillageError:
            continue
        if not all_kinds:
            rows = rows[rows["kind"] == "村委会"]
        out += [str(c) for c in rows["code"]]
    return out


def registry_coverage(
    year: int,
    county_codes: Iterable[str] | None = None,
    *,
    all_kinds: bool = False,
    unknown: bool = True,
) -> Coverage:
    """Village coverage in ``year`` against the village registry: per county (default: the
    platform's counties) and town, the villages with a service record / all 行政村 (every
    village with ``all_kinds``). ``unknown=False``: see :func:`coverage`."""
    if county_codes is None:
        from cimon.store.platform import platform_registry

        county_codes = platform_registry().codes
    codes = list(county_codes)
    return coverage(year, registry_villages(codes, all_kinds=all_kinds), codes, unknown=unknown)
