"""Units that are not counties: countries, towns, enterprises, with free identifiers.

A framework with ``units: {kind: free}`` scores whatever units its panel names; the region registry
(GB/T 2260 codes) is used only when the units are counties. The units are still
:class:`~cimon.model.regions.Region` records (the pipeline reads one type), with the code and
names given, no city or province, and the kind of unit as ``type``. A grouping of the units (the
Europe/Asia group of COINr's ASEM example, an enterprise's sector) is a tag ``key=value``: the
pipeline offers it as the group ``key`` to group imputation and ranks within each value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cimon.model.panel import Panel
from cimon.model.regions import Region, RegionRegistry

__all__ = ["free_units", "units_of_panel"]


def free_units(
    rows: Iterable[Mapping[str, Any]],
    kind: str = "unit",
    groups: Iterable[str] = (),
    source: str = "<units>",
) -> RegionRegistry:
    """A registry of free units from rows with ``code``, optional ``name``/``name_en``, optional
    ``tags`` (a list) and the grouping columns named in ``groups`` (each becomes a tag
    ``column=value``). Codes are kept as given (as text); a repeated code is an error."""
    keys = list(groups)
    out = []
    for row in rows:
        code = str(row["code"])
        tags = [str(t) for t in row.get("tags", ()) or ()]
        tags += [f"{k}={row[k]}" for k in keys if row.get(k) not in (None, "")]
        out.append(
            Region(
                code=code,
                name=str(row.get("name") or code),
                city_code="",
                city="",
                province="",
                type=kind,
                tags=tuple(tags),
                name_en=str(row.get("name_en") or ""),
            )
        )
    return RegionRegistry(out, source)


def units_of_panel(panel: Panel, kind: str = "unit") -> RegionRegistry:
    """Every unit the panel names, in code order, named by its code."""
    codes = sorted(str(c) for c in panel.codes().regions)
    return free_units(({"code": c} for c in codes), kind, source=panel.source or "<panel>")
