"""The stored registries as the library's count inputs (:mod:`cimon.registry.counts`).

:func:`registry_tables` reads the qualifications, county histories and carriers in force at a
moment (default now) into the three frames :meth:`cimon.registry.counts.Registry.build` reads;
:func:`counts_on` counts on a date and adds each record's name to the drill-down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from cimon.registry.counts import Counts, Registry, count_on, year_end
from cimon.store.registry.models import Carrier, EnterpriseCounty, EnterpriseName, Qualification


def registry_tables(
    moment: dt.datetime | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(qualifications, history, carriers)`` as stored at ``moment`` (default now).

    Enterprises are identified by their primary key as text (``"17"``), carriers by their
    ``key``; a qualification's ``id`` is its certificate number, else ``Q<pk>``."""
    q = pd.DataFrame(
        list(
            Qualification.objects.current(moment).values_list(
                "pk", "enterprise_id", "kind", "certificate", "start", "end", "revoked"
            )
        ),
        columns=["pk", "enterprise", "kind", "certificate", "start", "end", "revoked"],
    )
    q["enterprise"] = q["enterprise"].astype(str)
    q["id"] = [c or f"Q{pk}" for pk, c in zip(q["pk"], q["certificate"], strict=True)]
    for c in ("start", "end", "revoked"):
        q[c] = pd.to_datetime(q[c])
    h = pd.DataFrame(
        list(
            EnterpriseCounty.objects.current(moment).values_list(
                "enterprise_id", "region_code", "since"
            )
        ),
        columns=["enterprise", "county", "since"],
    )
    h["enterprise"] = h["enterprise"].astype(str)
    h["since"] = pd.to_datetime(h["since"])
    car = pd.DataFrame(
        list(
            Carrier.objects.current(moment).values_list(
                "key",
                "kind",
                "level",
                "body",
                "start",
                "end",
                "region_code",
                "status",
                "status_date",
            )
        ),
        columns=["id", "kind", "level", "body", "start", "end", "county", "status", "status_date"],
    )
    for col in ("start", "end", "status_date"):
        car[col] = pd.to_datetime(car[col])
    return q.drop(columns=["pk", "certificate"]), h, car


def stored_registry(moment: dt.datetime | None = None) -> Registry:
    """:class:`~cimon.registry.counts.Registry` of the stored tables at ``moment``."""
    return Registry.build(*registry_tables(moment))


def names_of(records: pd.DataFrame) -> list[str]:
    """The current name of each drill-down row's enterprise or carrier."""
    ent = records.loc[records["source"] == "qualification", "record"].astype(int).unique()
    names: dict[str, str] = {}
    for e, n in (
        EnterpriseName.objects.filter(enterprise_id__in=list(ent))
        .order_by("enterprise_id", "id")
        .values_list("enterprise_id", "name")
    ):
        names[str(e)] = n  # the latest wins
    car = records.loc[records["source"] == "carrier", "record"].astype(str).unique()
    carriers = dict(Carrier.objects.current().filter(key__in=list(car)).values_list("key", "name"))
    return [
        names.get(str(r), "") if s == "qualification" else carriers.get(str(r), "")
        for r, s in zip(records["record"], records["source"], strict=True)
    ]


def counts_on(
    day: dt.date | str, moment: dt.datetime | None = None, registry: Registry | None = None
) -> Counts:
    """Every county's counts on ``day`` from the registries as stored at ``moment``; the
    drill-down rows carry ``name``."""
    reg = registry if registry is not None else stored_registry(moment)
    counts = count_on(reg, day)
    records = counts.records.copy()
    records["name"] = names_of(records) if len(records) else []
    return Counts(counts.on, counts.table, records)


def counts_years(years: Iterable[int], moment: dt.datetime | None = None) -> dict[int, Counts]:
    """:func:`counts_on` on 31 December of each data year, one read of the tables."""
    reg = stored_registry(moment)
    return {int(y): counts_on(year_end(int(y)).date(), registry=reg) for y in years}
