"""The commissioners' records offered to other parts of the platform (issue #17), registered
when the app starts (:meth:`~cimon.store.commissioners.apps.CommissionersConfig.ready`):

* the programme target source ``commissioner_coverage`` (:mod:`cimon.store.programmes.sources`):
  per year, the share in per cent of the county's towns (``params.level: town``, the default)
  or 行政村 (``params.level: village``) of the village registry with at least one current
  service record in the year;
* the person source ``commissioner`` for recommending people to a need
  (:func:`cimon.store.libraries.talent.register_person_source`): every active commissioner as a
  :class:`cimon.matching.records.Talent` with ``commissioner=True``, its 服务领域 and title as
  the expertise, its dispatch counties as the region and the dispatches' tasks as tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cimon.matching.records import Talent
from cimon.store.commissioners.models import CommissionerVersion, Dispatch
from cimon.store.commissioners.monitor import registry_villages
from cimon.store.commissioners.names import ACCEPTED, ACTIVE
from cimon.store.commissioners.records import ServiceRecord

__all__ = ["CommissionerSource", "coverage_values", "register"]


def coverage_values(
    county: str, params: Mapping[str, Any], years: Iterable[int]
) -> dict[int, float]:
    """``commissioner_coverage``: the share (per cent) of the county's towns (or villages with
    ``params['level'] == 'village'``) served in each year. One query."""
    from cimon.store.programmes.sources import region_code

    code = region_code(county)
    level = str((params or {}).get("level") or "town")
    digits = 12 if level == "village" else 9
    listed = {v[:digits] for v in registry_villages([code])}
    wanted = sorted({int(y) for y in years})
    if not listed or not wanted:
        return {}
    served: dict[int, set[str]] = {}
    for year, village in (
        ServiceRecord.objects.current()
        .filter(county_code=code, date__year__in=wanted)
        .order_by()
        .values_list("date__year", "village_code")
        .distinct()
    ):
        served.setdefault(int(year), set()).add(village[:digits])
    return {y: round(100.0 * len(served.get(y, set()) & listed) / len(listed), 2) for y in wanted}


class CommissionerSource:
    """The active commissioners as people to recommend (``commissioner``)."""

    name = "commissioner"

    def people(self) -> Iterable[Talent]:
        profiles = {
            cid: (name, institution, code, text, title)
            for cid, name, institution, code, text, title in CommissionerVersion.objects.filter(
                superseded_at__isnull=True, commissioner__status=ACTIVE
            )
            .order_by("commissioner_id")
            .values_list(
                "commissioner_id", "name", "institution", "expertise", "expertise_text", "title"
            )
        }
        counties: dict[int, list[str]] = {}
        tasks: dict[int, list[str]] = {}
        for cid, county, task_list in Dispatch.objects.filter(
            status=ACCEPTED, commissioner__status=ACTIVE
        ).values_list("commissioner_id", "county_code", "tasks"):
            counties.setdefault(cid, []).append(county)
            tasks.setdefault(cid, []).extend(task_list or [])
        return [
            Talent(
                id=str(cid),
                name=name,
                expertise=" ".join(x for x in (text, title) if x),
                institution=institution,
                region=(counties.get(cid) or [""])[0],
                discipline=code,
                commissioner=True,
                tags=tuple(tasks.get(cid, [])),
            )
            for cid, (name, institution, code, text, title) in profiles.items()
        ]


def register() -> None:
    """Register both providers (idempotent)."""
    from cimon.store.libraries.talent import register_person_source
    from cimon.store.programmes.sources import register_source

    register_source(
        "commissioner_coverage", coverage_values, "科技特派员覆盖率", "commissioner coverage"
    )
    register_person_source(CommissionerSource())
