"""The registry-derived values of an evaluation run as the annual report shows them (issue #16):
the results workbook lists each value with the records behind it, the county profiles name its
source. Nothing (and no query) for a framework without derived variables."""

from __future__ import annotations

from typing import Any

from cimon.model.framework import Framework
from cimon.reports.annual.content_types import DerivedValue
from cimon.store.registry.derived import derived_specs


def derived_values(
    evaluation_id: int | None, framework: Framework, data_year: int
) -> tuple[DerivedValue, ...]:
    """The values of ``framework``'s derived variables that the run ``evaluation_id`` stored
    for ``data_year`` (:class:`~.models.DerivedCount`), with their records; an enterprise's
    record is shown by its 统一社会信用代码 (a carrier's by its key)."""
    specs = {s.variable: s for s in derived_specs(framework)}
    if not specs or evaluation_id is None:
        return ()
    from cimon.store.registry.models import DerivedCount, Enterprise

    rows = list(
        DerivedCount.objects.filter(
            evaluation_id=evaluation_id, year=data_year, variable__in=list(specs)
        ).order_by("variable", "region_code")
    )
    ents = {
        str(r["record"])
        for d in rows
        if specs[d.variable].registry == "qualification"
        for r in d.records
    }
    codes = {
        str(pk): code
        for pk, code in Enterprise.objects.filter(
            pk__in=[int(e) for e in ents if e.isdigit()]
        ).values_list("pk", "code")
    }
    out = []
    for d in rows:
        spec = specs[d.variable]
        var = framework.variable(d.variable)
        out.append(
            DerivedValue(
                variable=d.variable,
                name_zh=var.name_zh,
                name_en=var.name_en or "",
                region_code=d.region_code,
                year=d.year,
                on=d.on.isoformat(),
                count=d.count,
                registry=spec.registry,
                kind=spec.kind,
                level=spec.level or "",
                records=tuple(_record(r, spec.registry, codes) for r in d.records),
            )
        )
    return tuple(out)


def _record(r: dict[str, Any], registry: str, codes: dict[str, str]) -> dict[str, str]:
    rec = str(r.get("record", ""))
    shown = codes.get(rec, rec) if registry == "qualification" else rec
    return {
        "record": shown,
        "name": str(r.get("name", "")),
        "item": str(r.get("item", "")),
        "start": str(r.get("start", "")),
        "end": str(r.get("end", "")),
    }
