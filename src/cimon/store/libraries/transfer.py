"""Completed technology-transfer projects (技术转移/成果转化项目, indicator I18, issue #18).

A county's transfer projects of a data year are

* every registered technology contract signed in that year (a registered contract is a
  completed transfer), and
* every match marked completed as a transfer project (:func:`mark_transfer_project`) in that
  year — a transfer done without a registered contract (a 技术服务 or a 合作开发 agreed outside the
  contract registry). A match that has a contract cannot be marked, so nothing counts twice.

A framework variable declared ``source: {registry: transfer, measure: count}`` takes their number
per county and data year through the registries' derived mechanism
(:mod:`cimon.store.registry.derived`), with the projects as its drill-down list, exactly as
``registry: contract`` does for I15.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.store import audit
from cimon.store.libraries.models import RECOMMENDED, REGISTERED, STAGES, Contract, Match
from cimon.store.libraries.models_talent import TransferProject
from cimon.store.libraries.services import LibraryError, _name

__all__ = ["mark_transfer_project", "transfer_rows"]


@transaction.atomic
def mark_transfer_project(
    match: Match, user: Any, completed_on: dt.date, note: str = "", *, label: str = ""
) -> TransferProject:
    """Mark a match (contacted at least, without a registered contract) as a completed transfer
    project of its need's county, completed on ``completed_on``."""
    match = Match.objects.select_for_update().select_related("need").get(pk=match.pk)
    if match.stage == REGISTERED or Contract.objects.filter(match=match).exists():
        raise LibraryError(
            "该对接已登记技术合同，合同本身即计为转化项目，无需再标记。",
            "This match has a registered contract, which counts as a transfer project already.",
        )
    if match.stage == RECOMMENDED:
        raise LibraryError(
            f"对接 #{match.pk} 仍处于“{STAGES[RECOMMENDED][0]}”阶段：须先对接，才能标记为完成的转化项目。",
            f"Match #{match.pk} is only recommended: contact first, then mark it completed.",
        )
    if TransferProject.objects.filter(match=match).exists():
        raise LibraryError(
            f"对接 #{match.pk} 已标记为转化项目。", f"Match #{match.pk} is already marked."
        )
    project = TransferProject.objects.create(
        match=match, region_code=match.need.region_code, completed_on=completed_on, note=note,
        label=label, recorded_at=timezone.now(), recorded_by=_name(user),
    )  # fmt: skip
    audit.record(user, "match.transfer", "match", match.pk, new=completed_on.isoformat(),
                 note=note, label=label)  # fmt: skip
    return project


def transfer_rows(
    specs: Sequence[Any],
    years: Iterable[int],
    counties: Sequence[str],
    moment: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """One row per transfer variable, county and data year, in the shape of
    :func:`cimon.store.libraries.feed.contract_rows`: ``count`` = ``value`` = the number of
    contracts signed and transfer projects completed in the year (recorded by ``moment``),
    ``records`` them (``record``: ``contract:<登记编号>`` or ``match:<id>``)."""
    years = sorted(set(int(y) for y in years))
    if not specs or not years:
        return []
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    contracts = Contract.objects.filter(
        signed_on__gte=first, signed_on__lte=last, region_code__in=list(counties)
    )
    projects = TransferProject.objects.filter(
        completed_on__gte=first, completed_on__lte=last, region_code__in=list(counties)
    )
    if moment is not None:
        contracts = contracts.filter(recorded_at__lte=moment)
        projects = projects.filter(recorded_at__lte=moment)
    found: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for c in contracts.order_by("signed_on", "number"):
        found.setdefault((c.region_code, c.signed_on.year), []).append(
            {"record": f"contract:{c.number}", "item": str(c.pk), "name": c.name or c.number,
             "start": c.signed_on.isoformat(), "end": "", "amount": int(c.amount)}
        )  # fmt: skip
    for p in projects.order_by("completed_on", "id"):
        found.setdefault((p.region_code, p.completed_on.year), []).append(
            {"record": f"match:{p.match_id}", "item": str(p.pk), "name": p.note or f"对接 #{p.match_id}",
             "start": p.completed_on.isoformat(), "end": "", "amount": 0}
        )  # fmt: skip
    out = []
    for year in years:
        for spec in specs:
            for county in counties:
                records = found.get((county, year), [])
                out.append(
                    {"variable": spec.variable, "region_code": county, "year": year,
                     "on": dt.date(year, 12, 31), "count": len(records),
                     "value": float(len(records)), "records": records}
                )  # fmt: skip
    return out
