"""The framework's 科技特派员 variables (I13) derived from the service records (issue #17): the
``commissioners`` source of :mod:`cimon.store.registry.derived`::

    - {code: I13, name_zh: 科技特派员数, unit: 人, ...,
       source: {registry: commissioners, measure: active}}

``measure: active``: the commissioners with at least one current service record in the county in
the data year (each a record behind the number, ``commissioner:<id>``); ``measure:
village_coverage``: the share of the county's 行政村 (村委会 of the village registry) with a
service record in the year, in per cent (the records are the villages served,
``village:<code>``; ``count`` their number). Rows have the shape of
:func:`cimon.store.libraries.feed.contract_rows` so the evaluation, the drill-down and the
submission cross-check (``registry.disagree``) treat them like the other derived sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from cimon.store.commissioners.models import CommissionerVersion
from cimon.store.commissioners.monitor import registry_villages
from cimon.store.commissioners.records import ServiceRecord

#: what a ``commissioners`` source measures
MEASURES = ("active", "village_coverage")


def commissioner_rows(
    specs: Sequence[Any],
    years: Iterable[int],
    counties: Sequence[str],
    moment: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """One row per ``commissioners`` variable, county and data year (recorded by ``moment``):
    ``count``, ``value`` and the ``records`` behind them. Two queries per measure."""
    years = sorted({int(y) for y in years})
    if not specs or not years:
        return []
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    qs = ServiceRecord.objects.filter(
        date__gte=first, date__lte=last, county_code__in=list(counties)
    )
    if moment is not None:  # the records current at that moment
        qs = qs.filter(recorded_at__lte=moment).exclude(superseded_at__lte=moment)
    else:
        qs = qs.filter(superseded_at__isnull=True)
    measures = {s.measure for s in specs}
    people: dict[tuple[str, int], set[int]] = {}
    villages: dict[tuple[str, int], set[str]] = {}
    if "active" in measures:
        for county, day, cid in qs.order_by().values_list("county_code", "date__year",
                                                           "commissioner_id").distinct():  # fmt: skip
            people.setdefault((county, day), set()).add(cid)
    if "village_coverage" in measures:
        for county, day, code in qs.order_by().values_list("county_code", "date__year",
                                                            "village_code").distinct():  # fmt: skip
            villages.setdefault((county, day), set()).add(code)
    names = dict(
        CommissionerVersion.objects.filter(
            superseded_at__isnull=True,
            commissioner_id__in={c for s in people.values() for c in s},
        ).values_list("commissioner_id", "name")
    )
    listed = (
        {c: set(registry_villages([c])) for c in counties} if "village_coverage" in measures else {}
    )
    out = []
    for year in years:
        for spec in specs:
            for county in counties:
                if spec.measure == "active":
                    ids = sorted(people.get((county, year), set()))
                    records = [
                        {"record": f"commissioner:{c}", "item": str(c), "name": names.get(c, ""),
                         "start": "", "end": "", "amount": 0}
                        for c in ids
                    ]  # fmt: skip
                    value = float(len(records))
                else:
                    served = sorted(villages.get((county, year), set()) & listed[county])
                    records = [
                        {"record": f"village:{v}", "item": v, "name": v, "start": "", "end": "",
                         "amount": 0}
                        for v in served
                    ]  # fmt: skip
                    total = len(listed[county])
                    value = round(100.0 * len(served) / total, 2) if total else 0.0
                out.append(
                    {"variable": spec.variable, "region_code": county, "year": year,
                     "on": dt.date(year, 12, 31), "count": len(records), "value": value,
                     "records": records}
                )  # fmt: skip
    return out
