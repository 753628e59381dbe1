"""What the monitoring pages show beyond :mod:`.monitor` (issue #17): coverage against the village
registry, services per month by kind, a commissioner's own counts, the 特派团 five-coverage
status of the 重点帮扶县, and the assessment's computing step and downloads.

Set-based: each function is a fixed number of SQL statements (GROUP BY in the database) whatever
the number of commissioners or records; the village list comes from the shipped registry
(:mod:`cimon.registry.villages`), never from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from cimon.store.commissioners.facts import team_coverage
from cimon.store.commissioners.models import Commissioner, Dispatch, ServiceRecord
from cimon.store.commissioners.monitor import Coverage, coverage, served_among
from cimon.store.commissioners.names import ACCEPTED, COVERAGE_AREAS, GRADES
from cimon.store.commissioners.records import Assessment, RatingToken, Venture

#: the registry tag of the counties that get one 特派团 each (一县一团)
KEY_TAG = "重点帮扶县"


def registry_villages(county_codes: Iterable[str]) -> list[str]:
    """The 12-digit codes of the villages (村委会、居委会 …) of ``county_codes`` in the
    registry; a county the registry does not list has none."""
    from cimon.registry.villages import VillageError, villages

    codes = sorted(set(county_codes))
    if not codes:
        return []
    if len(codes) == 1:  # a county's page: its rows alone (the province's cost ~5 times more)
        try:
            return villages(county=codes[0])["code"].tolist()
        except VillageError:
            return []
    frame = villages(province=codes[0][:2]) if len({c[:2] for c in codes}) == 1 else villages()
    return frame.loc[frame["county_code"].isin(codes), "code"].tolist()


def county_coverage(year: int, county_codes: Iterable[str], *, unknown: bool = True) -> Coverage:
    """Village coverage of ``county_codes`` in ``year`` (one query for the served villages;
    ``unknown=False``: EXISTS per listed village, see :func:`~.monitor.served_among`)."""
    codes = sorted(set(county_codes))
    return coverage(year, registry_villages(codes), codes, unknown=unknown)


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    town_code: str
    town_name: str


def unserved(year: int, county_code: str, town_code: str = "") -> list[Village]:
    """The registry's villages of a county (or one of its towns) without a current service record
    in ``year``, by code (one query)."""
    from cimon.registry.villages import villages

    try:
        frame = villages(county=county_code)
    except Exception:  # a county the registry does not know: no list to compare with
        return []
    if town_code:
        frame = frame[frame["town_code"] == town_code]
    served = served_among(year, frame["code"].tolist())
    frame = frame[~frame["code"].isin(served)]
    return [
        Village(str(r.code), str(r.name), str(r.town_code), str(r.town_name))
        for r in frame.itertuples(index=False)
    ]


def town_names(county_code: str) -> dict[str, str]:
    from cimon.registry.villages import towns

    try:
        frame = towns(county=county_code)
    except Exception:
        return {}
    return dict(zip(frame["code"], frame["name"], strict=True))


def monthly_services(
    year: int, county_codes: Iterable[str] | None = None, commissioner_id: int | None = None
) -> dict[str, dict[str, int]]:
    """Current service records of ``year`` per month (``YYYY-MM``) and kind, one GROUP BY."""
    qs = ServiceRecord.objects.current().in_year(year)
    if county_codes is not None:
        qs = qs.filter(county_code__in=list(county_codes))
    if commissioner_id is not None:
        qs = qs.filter(commissioner_id=commissioner_id)
    rows = (
        qs.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .values_list("month", "kind", "n")
    )
    out: dict[str, dict[str, int]] = {f"{year}-{m:02d}": {} for m in range(1, 13)}
    for month, kind, n in rows:
        key = month.strftime("%Y-%m") if hasattr(month, "strftime") else str(month)[:7]
        out.setdefault(key, {})[kind] = n
    return out


def person_counts(commissioner_id: int, year: int) -> dict[str, Any]:
    """A commissioner's counts of ``year``: service records, distinct dates and villages, people
    reached, ratings and their mean, running dispatches, ventures (four queries)."""
    agg = (
        ServiceRecord.objects.current()
        .in_year(year)
        .filter(commissioner_id=commissioner_id)
        .aggregate(
            records=Count("pk"),
            dates=Count("date", distinct=True),
            villages=Count("village_code", distinct=True),
            people=Sum("people_reached"),
        )
    )
    rated = RatingToken.objects.filter(
        used_at__isnull=False,
        record__commissioner_id=commissioner_id,
        record__superseded_at__isnull=True,
        record__date__year=year,
    ).aggregate(n=Count("pk"), mean=Sum("satisfaction"))
    mean = rated["mean"] / rated["n"] if rated["n"] else None
    return {
        "records": agg["records"],
        "dates": agg["dates"],
        "villages": agg["villages"],
        "people": agg["people"] or 0,
        "ratings": rated["n"],
        "satisfaction": mean,
        "dispatches": Dispatch.objects.filter(
            commissioner_id=commissioner_id, status=ACCEPTED
        ).count(),
        "ventures": Venture.objects.filter(
            commissioner_id=commissioner_id, year=year, superseded_at__isnull=True
        ).count(),
    }


def key_county_teams(year: int, regions: Iterable[Any]) -> list[dict[str, Any]]:
    """Per 重点帮扶县 of ``regions`` (registry rows with ``tags``): its team of ``year`` (一县一团;
    None when it has none) and the status of each of the five coverages (one query)."""
    teams = team_coverage(year)
    out = []
    for r in regions:
        if KEY_TAG not in r.tags:
            continue
        row = teams.get(r.code)
        covered = sum(1 for a in COVERAGE_AREAS if row and row.get(a) == "covered")
        out.append(
            {
                "code": r.code,
                "name": r.name,
                "team": row,
                "covered": covered,
                "cells": [row.get(a, "none") if row else None for a in COVERAGE_AREAS],
            }
        )
    return out


# ---- the assessment ---------------------------------------------------------------------------


def compute(year: int, user: Any, *, label: str = "") -> tuple[int, list[int]]:
    """Compute the year's assessment from the records with the bundled rule set and store it
    (drafts; a reviewed row is frozen and kept): :func:`.assessing.compute_assessments`.
    Returns (stored, frozen ids)."""
    from cimon.store.commissioners.assessing import compute_assessments

    _, stored, frozen = compute_assessments(year, user, label=label)
    return stored, frozen


def excellent_cap() -> float:
    """The 优秀 share of the default rule set (e.g. 0.15), the province's cap when confirming."""
    from cimon.analysis.commissioners.rules import load_assessment_rules

    quota = load_assessment_rules().quota
    return float(quota.share) if quota is not None else 1.0


def frozen_frame(year: int, within: Any = None) -> pd.DataFrame:
    """The year's current assessments once published or on notice, as the table the exports
    read (the final grade in Chinese, the name of the current profile, the unit), by county and
    score; ``within``: of those assessments only (a queryset, e.g. a province's)."""
    rows = list(
        (Assessment.objects.all() if within is None else within)
        .current()
        .filter(year=year, status__in=("notice", "published"))
        .order_by("county_code", "-score", "commissioner_id")
        .values_list("commissioner_id", "county_code", "score", "final_grade", "grade", "reasons")
    )
    ids = [r[0] for r in rows]
    people = {
        pk: (name, unit or "")
        for pk, name, unit in Commissioner.objects.with_profile()
        .filter(pk__in=ids)
        .values_list("pk", "name", "unit__name")
    }
    return pd.DataFrame(
        {
            "commissioner_id": ids,
            "name": [people.get(i, ("", ""))[0] for i in ids],
            "unit": [people.get(i, ("", ""))[1] for i in ids],
            "county_code": [r[1] for r in rows],
            "score": [r[2] for r in rows],
            "grade": [GRADES[r[3] or r[4]][0] for r in rows],
            "grade_by_score": [GRADES[r[4]][0] for r in rows],
            "reasons_zh": ["；".join(x.get("zh", "") for x in r[5]) for r in rows],
            "reasons_en": ["; ".join(x.get("en", "") for x in r[5]) for r in rows],
        }
    )


def notice_days(start: dt.date, end: dt.date) -> int:
    return (end - start).days + 1
