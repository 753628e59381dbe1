"""Building :func:`~cimon.analysis.commissioners.assess`'s input table from records, on whole
columns: service records (one row per service) give ``service_days`` (distinct days with a
service) and ``records``; ratings (one row per rating) give ``ratings`` and ``satisfaction``
(their mean). The store calls this with its querysets as DataFrames; an imported service log
(:func:`cimon.intake.commissioners.read_service_log`, with ids joined) works the same way."""

from __future__ import annotations

import pandas as pd

from cimon.analysis.commissioners.base import AssessmentInputError


def _need(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AssessmentInputError(
            f"{what}缺少列：{'、'.join(missing)}。",
            f"The {what} table lacks columns: {', '.join(missing)}.",
            ", ".join(missing),
        )


def assessment_inputs(
    people: pd.DataFrame,
    services: pd.DataFrame,
    ratings: pd.DataFrame | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """One row per person of ``people`` (``commissioner_id``, ``name``, ``county_code`` and any
    other columns, kept) with ``service_days``, ``records`` from ``services``
    (``commissioner_id``, ``date``; only ``year``'s when given) and ``ratings``, ``satisfaction``
    from ``ratings`` (``commissioner_id``, ``score``). A person without a service gets 0 days
    and 0 records; without a rating 0 ratings and a blank satisfaction (not 0)."""
    _need(people, ("commissioner_id", "name", "county_code"), "特派员名单 / people ")
    _need(services, ("commissioner_id", "date"), "服务记录 / services ")
    s = services[["commissioner_id", "date"]].copy()
    s["date"] = pd.to_datetime(s["date"]).dt.normalize()
    if year is not None:
        s = s[s["date"].dt.year == year]
    by = s.groupby("commissioner_id")["date"]
    counts = pd.DataFrame({"service_days": by.nunique(), "records": by.size()})
    out = people.drop(
        columns=["service_days", "records", "ratings", "satisfaction"], errors="ignore"
    )
    out = out.merge(counts, left_on="commissioner_id", right_index=True, how="left")
    out[["service_days", "records"]] = out[["service_days", "records"]].fillna(0).astype(int)
    if ratings is not None:
        _need(ratings, ("commissioner_id", "score"), "评价 / ratings ")
        g = ratings.groupby("commissioner_id")["score"]
        rated = pd.DataFrame({"ratings": g.size(), "satisfaction": g.mean()})
        out = out.merge(rated, left_on="commissioner_id", right_index=True, how="left")
        out["ratings"] = out["ratings"].fillna(0).astype(int)
    out.index = people.index
    return out
