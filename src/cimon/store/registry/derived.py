"""Framework variables derived from the registries (issue #16 item 3).

A variable may say where its value comes from instead of a department typing it::

    variables:
      - {code: hte, name_zh: 高新技术企业数, unit: 家, department: 科技厅,
         source: {registry: qualification, kind: 高新技术企业, on: year_end}}
      - {code: maker, name_zh: 众创空间数, unit: 个, department: 科技厅,
         source: {registry: carrier, kind: 众创空间, level: 省, on: year_end}}

``registry`` is ``qualification`` (enterprises holding a valid qualification of ``kind``),
``carrier`` (valid carriers of ``kind``, of ``level`` when given) or ``contract`` (registered
technology contracts signed in the data year, #18: ``measure: amount`` their sum in 万元,
``measure: count`` their number; :mod:`cimon.store.libraries.feed`) or ``commissioners`` (#17:
``measure: active`` commissioners with a service record in the county in the year, ``measure:
village_coverage`` the share of its 行政村 served, in per cent;
:mod:`cimon.store.commissioners.derived`); ``on`` is ``year_end``,
the only date so far: 31 December of the data year. The key is part of the framework's content (and
of its hash: a derived variable changes how a county scores); the bundled frameworks have none.

:func:`fill_panel` replaces such variables' values in a panel with the counts from the stored
registries (every county of the region registry, 0 when it has none) and returns the records
behind each count; :func:`record_derived` stores them with an evaluation run;
:func:`disagreements` compares submitted numbers with the registry counts (the submission
check's warning ``registry.disagree``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cimon.errors import FrameworkError
from cimon.model.framework import Framework
from cimon.model.panel import Panel
from cimon.registry.counts import Counts, year_end

#: the panel ``source`` of a derived value
SOURCE = "registry"
SOURCES = ("qualification", "carrier", "contract", "transfer", "commissioners")
#: sources read from the libraries (#18) and the commissioners' records (#17) rather than
#: counted in the registries
LIBRARY_SOURCES = ("contract", "transfer", "commissioners")
#: what a ``commissioners`` source measures (:mod:`cimon.store.commissioners.derived`)
COMMISSIONER_MEASURES = ("active", "village_coverage")
#: what a ``contract`` source measures
MEASURES = ("amount", "count")


@dataclass(frozen=True)
class DerivedSpec:
    """One variable declared as a registry count."""

    variable: str
    registry: str
    kind: str
    level: str | None = None
    on: str = "year_end"
    measure: str = ""  # contract sources: amount | count

    def day(self, year: int) -> dt.date:
        return year_end(year).date()

    def drill(self, counts: Counts, county: str) -> pd.DataFrame:
        r = counts.drill(county, self.kind, self.level)
        source = "qualification" if self.registry == "qualification" else "carrier"
        return r[r["source"] == source]


def derived_specs(framework: Framework) -> list[DerivedSpec]:
    """The variables of ``framework`` declared as registry counts (``source: {registry: …}``)."""
    out = []
    for i, v in enumerate(framework.raw.get("variables") or []):
        src = v.get("source") if isinstance(v, Mapping) else None
        if src is None:
            continue
        path = f"variables[{i}].source"
        contract = isinstance(src, Mapping) and src.get("registry") == "contract"
        transfer = isinstance(src, Mapping) and src.get("registry") == "transfer"
        people = isinstance(src, Mapping) and src.get("registry") == "commissioners"
        if (
            not isinstance(src, Mapping)
            or src.get("registry") not in SOURCES
            or (not (contract or transfer or people) and not src.get("kind"))
            or (contract and src.get("measure") not in MEASURES)
            or (transfer and src.get("measure") != "count")
            or (people and src.get("measure") not in COMMISSIONER_MEASURES)
        ):
            raise FrameworkError(
                f"{path}：应写成 {{registry: qualification 或 carrier, kind: 类型, on: year_end}}"
                "或 {registry: contract, measure: amount 或 count}"
                "或 {registry: transfer, measure: count}"
                "或 {registry: commissioners, measure: active 或 village_coverage}。",
                f"{path}: must be {{registry: qualification or carrier, kind: ..., on: year_end}} "
                "or {registry: contract, measure: amount or count} "
                "or {registry: transfer, measure: count} "
                "or {registry: commissioners, measure: active or village_coverage}.",
                framework.source,
            )
        if str(src.get("on", "year_end")) != "year_end":
            raise FrameworkError(
                f"{path}.on：目前只支持 year_end（数据年度 12 月 31 日）。",
                f"{path}.on: only year_end (31 December of the data year) is supported.",
                framework.source,
            )
        level = src.get("level")
        out.append(
            DerivedSpec(
                str(v["code"]), str(src["registry"]), str(src.get("kind") or ""),
                None if level in (None, "") else str(level),
                measure=str(src.get("measure") or ""),
            )
        )  # fmt: skip
    return out


def derived_rows(
    specs: Sequence[DerivedSpec],
    years: Iterable[int],
    counties: Sequence[str],
    moment: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """One row per variable, county and data year: ``variable``, ``region_code``, ``year``,
    ``on``, ``count`` and ``records`` (``record``, ``item``, ``name``, ``start``, ``end``);
    ``count == len(records)`` always; contract variables also give ``value`` (what the panel
    takes) and come after the registry counts."""
    from cimon.store.commissioners.derived import commissioner_rows
    from cimon.store.libraries.feed import contract_rows
    from cimon.store.libraries.transfer import transfer_rows
    from cimon.store.registry.tables import counts_years

    years = sorted(set(int(y) for y in years))
    contracts = [s for s in specs if s.registry in LIBRARY_SOURCES]
    counted = [s for s in specs if s.registry not in LIBRARY_SOURCES]
    out: list[dict[str, Any]] = []
    if counted:
        out = _count_rows(counted, counts_years(years, moment), counties)
    if not contracts:
        return out
    out += contract_rows(
        [s for s in contracts if s.registry == "contract"], years, counties, moment
    )
    out += transfer_rows(
        [s for s in contracts if s.registry == "transfer"], years, counties, moment
    )
    out += commissioner_rows(
        [s for s in contracts if s.registry == "commissioners"], years, counties, moment
    )
    # year, then variable as declared, then county as ``counties`` lists (as stored_panel sorts)
    order = {s.variable: i for i, s in enumerate(specs)}
    where = {c: i for i, c in enumerate(counties)}
    return sorted(out, key=lambda r: (r["year"], order[r["variable"]], where[r["region_code"]]))


def _count_rows(
    specs: Sequence[DerivedSpec], by_year: Mapping[int, Counts], counties: Sequence[str]
) -> list[dict[str, Any]]:
    out = []
    for year, counts in by_year.items():
        for spec in specs:
            for county in counties:
                rows = spec.drill(counts, county)
                records = [
                    {
                        "record": str(r.record),
                        "item": "" if r.item is None else str(r.item),
                        "name": str(r.name),
                        "start": _iso(r.start),
                        "end": _iso(r.end),
                    }
                    for r in rows.itertuples()
                ]
                out.append(
                    {"variable": spec.variable, "region_code": county, "year": year,
                     "on": spec.day(year), "count": len(records), "records": records}
                )  # fmt: skip
    return out


def _iso(value: Any) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def fill_panel(
    framework: Framework,
    panel: Panel,
    counties: Sequence[str],
    moment: dt.datetime | None = None,
) -> tuple[Panel, list[dict[str, Any]]]:
    """``panel`` with every derived variable's values replaced by the registry counts (for
    each of the panel's years and ``counties``), and the rows of :func:`derived_rows`. A panel
    of a framework without derived variables comes back unchanged."""
    specs = derived_specs(framework)
    if not specs:
        return panel, []
    rows = derived_rows(specs, panel.years, counties, moment)
    return _replaced(panel, specs, rows), rows


def stored_panel(
    framework: Framework, panel: Panel, evaluation_id: int, counties: Sequence[str] = ()
) -> Panel:
    """``panel`` with the derived variables' values the run ``evaluation_id`` stored
    (:class:`~.models.DerivedCount`), as :func:`fill_panel` gave them to it: how a published
    run is rebuilt exactly. Unchanged (and no query) without derived variables."""
    from cimon.store.registry.models import DerivedCount

    specs = derived_specs(framework)
    if not specs:
        return panel
    rows = list(
        DerivedCount.objects.filter(evaluation_id=evaluation_id)
        .order_by("year", "variable", "region_code")
        .values("variable", "region_code", "year", "count", "value")
    )
    order = {s.variable: i for i, s in enumerate(specs)}
    where = {c: i for i, c in enumerate(counties)}
    # fill_panel's order: year, then variable as declared, then county as ``counties`` lists
    rows.sort(
        key=lambda r: (
            r["year"],
            order.get(r["variable"], len(order)),
            where.get(r["region_code"], len(where)),
        )
    )
    return _replaced(panel, specs, rows)


def _replaced(
    panel: Panel, specs: Sequence[DerivedSpec], rows: Sequence[Mapping[str, Any]]
) -> Panel:
    names = {s.variable for s in specs}
    kept = panel.frame[~panel.frame["variable"].isin(names)]
    added = pd.DataFrame(
        {
            "region_code": [r["region_code"] for r in rows],
            "year": [r["year"] for r in rows],
            "variable": [r["variable"] for r in rows],
            "value": [float(r["count"] if r.get("value") is None else r["value"]) for r in rows],
            "status": "reported",
            "source": SOURCE,
        }
    )
    return Panel.from_frame(pd.concat([kept, added], ignore_index=True), panel.source)


def record_derived(evaluation: Any, rows: Iterable[Mapping[str, Any]]) -> int:
    """Store the derived counts and their records with an evaluation run."""
    from cimon.store.registry.models import DerivedCount

    objs = [
        DerivedCount(
            evaluation=evaluation, variable=r["variable"], region_code=r["region_code"],
            year=r["year"], on=r["on"], count=r["count"], value=r.get("value"),
            records=r["records"],
        )
        for r in rows
    ]  # fmt: skip
    DerivedCount.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def disagreements(
    framework: Framework, submitted: pd.DataFrame, moment: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Submitted values (a long frame: ``region_code``, ``year``, ``variable``, ``value``) of
    derived variables that differ from the registry count: ``variable``, ``region_code``,
    ``year``, ``submitted``, ``registry``."""
    specs = derived_specs(framework)
    names = {s.variable for s in specs}
    if not specs or submitted.empty:
        return []
    mine = submitted[submitted["variable"].isin(names) & submitted["value"].notna()]
    if mine.empty:
        return []
    counties = sorted(mine["region_code"].astype(str).unique())
    rows = derived_rows(specs, mine["year"].astype(int).unique(), counties, moment)
    count = {
        (r["variable"], r["region_code"], r["year"]): r["count"]
        if r.get("value") is None
        else r["value"]
        for r in rows
    }
    out = []
    for var, region, year, value in zip(
        mine["variable"], mine["region_code"], mine["year"], mine["value"], strict=True
    ):
        key = (str(var), str(region), int(year))
        if key in count and float(value) != float(count[key]):
            out.append(
                {"variable": key[0], "region_code": key[1], "year": key[2],
                 "submitted": float(value), "registry": count[key]}
            )  # fmt: skip
    return out


def flag_disagreements(parsed: Any, framework: Framework) -> int:
    """Add a ``registry.disagree`` warning to a parsed submission's report for every value of
    a derived variable that differs from the registry count (naming the variable, county,
    submitted value and count); returns how many. The registry count is what is evaluated."""
    if not derived_specs(framework) or not parsed.records:
        return 0
    found = disagreements(framework, parsed.frame())
    cells = {(r.variable, r.region_code, r.year): r for r in parsed.records}
    for d in found:
        rec = cells.get((d["variable"], d["region_code"], d["year"]))
        var = framework.variable(d["variable"])
        parsed.report.add(
            "registry.disagree",
            f"{d['region_code']} {d['year']} 年“{var.name_zh}”报送 {d['submitted']:g}，"
            f"名录统计（12 月 31 日有效）为 {d['registry']:g}；评价使用名录统计数。",
            f"{d['region_code']} {d['year']} '{var.name_en}': submitted {d['submitted']:g}, "
            f"the registry counts {d['registry']:g} (valid on 31 December); the evaluation uses "
            "the registry count.",
            "请核对名单：在名录页面查看计入的企业或载体，有遗漏请导入名单，无误请确认警告。",
            "Check the list: open the registry's records behind the count; import the list if "
            "some are missing, or acknowledge the warning.",
            cell=getattr(rec, "cell", ""),
            region=d["region_code"],
            variable=d["variable"],
        )
    return len(found)


def derived_of(evaluation: Any, region_code: str) -> list[Any]:
    """The derived values of a county in an evaluation run, of its data year (all years when
    the run has none), variable by variable. None (and no query) while the platform's
    framework declares no derived variable."""
    from cimon.store.platform import platform_framework
    from cimon.store.registry.models import DerivedCount

    if not derived_specs(platform_framework()):
        return []

    qs = DerivedCount.objects.filter(evaluation=evaluation, region_code=region_code)
    year = getattr(evaluation, "data_year", None)
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.defer("records").order_by("variable", "year"))
