"""What the assessment rules read, set-based: one row per commissioner for a year, and the
特派团 five-coverage status per county.

:func:`yearly_facts` is a handful of GROUP BY queries (one per source table) merged in pandas,
whatever the number of commissioners: the rule engine (``cimon.analysis.commissioners``) scores
the table it returns, and :func:`~cimon.store.commissioners.yearly.store_computed_assessments`
stores the result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.db import connection, transaction
from django.db.models import Avg, Count, Q, Sum

from cimon.store.commissioners.models import (
    Commissioner,
    Dispatch,
    RatingToken,
    ServiceDays,
    ServiceRecord,
    Team,
    TeamCoverage,
    Training,
    UnitRating,
    Venture,
)
from cimon.store.commissioners.names import ACCEPTED, ACTIVE, COVERAGE_AREAS, ENDED

#: the columns of :func:`yearly_facts`, in order
COLUMNS = (
    "commissioner_id",
    "unit_id",
    "county_code",
    "records",
    "service_dates",
    "villages",
    "people_reached",
    "ratings",
    "satisfaction",
    "confirmed_days",
    "unit_rating",
    "ventures",
    "trainings",
    "trainees",
    "tasks",
)


def _frame(rows: Any, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


def _whole_table(qs: Any) -> list[Any]:
    """The rows of an aggregate over a whole year's records. On PostgreSQL the planner walks
    the commissioner index for the GROUP BY, one random heap read per record (about 40 s for
    5,000,000 records, bench/commissioners.py); a sequential scan and one sort with more
    working memory takes a fraction of it. The settings are local to the transaction."""
    if connection.vendor != "postgresql":
        return list(qs)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT set_config('enable_indexscan', 'off', true), "
            "set_config('enable_bitmapscan', 'off', true), set_config('work_mem', '256MB', true)"
        )
        return list(qs)


def yearly_facts(year: int, *, status: str = ACTIVE) -> pd.DataFrame:
    """One row per commissioner of ``status`` (``""``: every status): its unit, the county of
    its latest accepted dispatch of the year, the year's current service records (count,
    distinct dates, distinct villages, people reached), the ratings by rating code (count, mean
    satisfaction), the service days its unit confirmed, its unit's rating, ventures, trainings
    (count, trainees) and the tasks of its dispatches of the year (a list). Missing counts are
    0, a missing mean or rating is empty."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    people = Commissioner.objects.filter(status=status) if status else Commissioner.objects.all()
    out = _frame(people.order_by("pk").values_list("pk", "unit_id"), ["commissioner_id", "unit_id"])
    records = ServiceRecord.objects.current().filter(date__gte=first, date__lte=last)
    per_person = (
        records.order_by()
        .values("commissioner_id")
        .annotate(
            records=Count("pk"),
            service_dates=Count("date", distinct=True),
            villages=Count("village_code", distinct=True),
            people_reached=Sum("people_reached"),
        )
        .values_list("commissioner_id", "records", "service_dates", "villages", "people_reached")
    )
    parts = [
        _frame(
            _whole_table(per_person),
            ["commissioner_id", "records", "service_dates", "villages", "people_reached"],
        ),
        _frame(
            RatingToken.objects.filter(
                used_at__isnull=False,
                record__superseded_at__isnull=True,
                record__date__gte=first,
                record__date__lte=last,
            )
            .order_by()
            .values("record__commissioner_id")
            .annotate(ratings=Count("pk"), satisfaction=Avg("satisfaction"))
            .values_list("record__commissioner_id", "ratings", "satisfaction"),
            ["commissioner_id", "ratings", "satisfaction"],
        ),
        _frame(
            ServiceDays.objects.filter(year=year, superseded_at__isnull=True)
            .order_by()
            .values("dispatch__commissioner_id")
            .annotate(confirmed_days=Sum("days"))
            .values_list("dispatch__commissioner_id", "confirmed_days"),
            ["commissioner_id", "confirmed_days"],
        ),
        _frame(
            UnitRating.objects.filter(year=year, superseded_at__isnull=True).values_list(
                "commissioner_id", "rating"
            ),
            ["commissioner_id", "unit_rating"],
        ),
        _frame(
            Venture.objects.filter(year=year, superseded_at__isnull=True)
            .order_by()
            .values("commissioner_id")
            .annotate(ventures=Count("pk"))
            .values_list("commissioner_id", "ventures"),
            ["commissioner_id", "ventures"],
        ),
        _frame(
            Training.objects.filter(
                date__gte=first,
                date__lte=last,
                superseded_at__isnull=True,
                commissioner_id__isnull=False,
            )
            .order_by()
            .values("commissioner_id")
            .annotate(trainings=Count("pk"), trainees=Sum("trainees"))
            .values_list("commissioner_id", "trainings", "trainees"),
            ["commissioner_id", "trainings", "trainees"],
        ),
    ]
    dispatches = _frame(
        Dispatch.objects.filter(
            Q(status__in=(ACCEPTED, ENDED)), start_on__lte=last, end_on__gte=first
        )
        .order_by("commissioner_id", "start_on", "pk")
        .values_list("commissioner_id", "county_code", "tasks"),
        ["commissioner_id", "county_code", "tasks"],
    )
    county = dispatches.groupby("commissioner_id", sort=False)["county_code"].last()
    tasks = dispatches.groupby("commissioner_id", sort=False)["tasks"].agg(
        lambda lists: [t for one in lists for t in one]
    )
    for part in parts:
        out = out.merge(part, on="commissioner_id", how="left")
    counties, task_lists = county.to_dict(), tasks.to_dict()
    out["county_code"] = [counties.get(c, "") for c in out["commissioner_id"]]
    out["tasks"] = [task_lists.get(c, []) for c in out["commissioner_id"]]
    for col in ("records", "service_dates", "villages", "people_reached", "ratings",
                "confirmed_days", "ventures", "trainings", "trainees"):  # fmt: skip
        out[col] = out[col].fillna(0).astype("int64")
    out["satisfaction"] = out["satisfaction"].astype("float64")
    out["unit_rating"] = out["unit_rating"].fillna("")
    out["unit_id"] = out["unit_id"].astype("Int64")
    return out[list(COLUMNS)]


def team_coverage(year: int) -> dict[str, dict[str, Any]]:
    """Per county with a 特派团 in ``year``: the team's name and id, and the current status of
    each of the five coverages (``none`` where nothing was recorded). One query."""
    out: dict[str, dict[str, Any]] = {}
    rows = (
        TeamCoverage.objects.filter(year=year, superseded_at__isnull=True, team__year=year)
        .values_list("team__county_code", "team_id", "team__name", "area", "status")
        .order_by("team__county_code", "team_id")
    )
    for code, team_id, name in Team.objects.filter(year=year).values_list(
        "county_code", "pk", "name"
    ):
        out.setdefault(
            code, {"team": team_id, "name": name, **dict.fromkeys(COVERAGE_AREAS, "none")}
        )
    for code, team_id, _name, area, status in rows:
        if out[code]["team"] == team_id:
            out[code][area] = status
    return out
