"""Registered contracts as a framework variable's value (#18): a variable declared
``source: {registry: contract, measure: amount}`` takes, for each county and data year, the sum
of the contracts signed in that year (万元, the framework's unit for 技术合同成交额), or their
number with ``measure: count``; the contracts are its drill-down list.

The rows have the shape of :func:`cimon.store.registry.derived.derived_rows` (``count`` is the
number of contracts, ``value`` what the panel takes), so that the registry's mechanism stores
and rebuilds them unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from cimon.store.libraries.models import Contract

#: 元 per 万元
WAN = 10_000


def contract_rows(
    specs: Sequence[Any],
    years: Iterable[int],
    counties: Sequence[str],
    moment: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """One row per contract variable, county and data year: ``count`` contracts signed in the
    year and registered by ``moment`` (default: all), ``value`` their amount in 万元 (or their
    number), ``records`` the contracts (``record`` = registration number, ``amount`` in 元)."""
    years = sorted(set(int(y) for y in years))
    if not specs or not years:
        return []
    qs = Contract.objects.filter(
        signed_on__gte=dt.date(years[0], 1, 1),
        signed_on__lte=dt.date(years[-1], 12, 31),
        region_code__in=list(counties),
    )
    if moment is not None:
        qs = qs.filter(recorded_at__lte=moment)
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for c in qs.order_by("signed_on", "number"):
        found.setdefault((c.region_code, c.signed_on.year), []).append(
            {
                "record": c.number,
                "item": str(c.pk),
                "name": c.number,
                "start": c.signed_on.isoformat(),
                "end": "",
                "amount": int(c.amount),
            }
        )
    out = []
    for year in years:
        for spec in specs:
            for county in counties:
                records = found.get((county, year), [])
                total = sum(r["amount"] for r in records)
                value = total / WAN if spec.measure == "amount" else float(len(records))
                out.append(
                    {"variable": spec.variable, "region_code": county, "year": year,
                     "on": dt.date(year, 12, 31), "count": len(records), "value": value,
                     "records": records}
                )  # fmt: skip
    return out
