"""Export stored values back to template shape (``cimon data export``): export → import loses
nothing, so a department can correct last year's workbook instead of starting from a blank one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cimon.model.framework import Framework
from cimon.model.regions import RegionRegistry
from cimon.safe import distinct, safe_filename
from cimon.web.submissions.queries import panel_as_of


def export(
    year: int,
    framework: Framework,
    registry: RegionRegistry,
    out: str | Path,
    *,
    department: str | None = None,
    moment: datetime | None = None,
) -> list[Path]:
    """Write templates for evaluation year ``year`` prefilled with the values valid at
    ``moment`` (default: now) into the folder ``out``; return the paths written.

    One workbook per supplying department (``<department>-<year>.xlsx``) and one expert scoring
    sheet per expert with stored scores (``专家-<name>-<year>.xlsx``); with ``department`` only
    that department's workbook (``县``: the expert sheets). Values reported as missing are
    written as blank cells. Self-assessments (claims) are not exported: they are statements
    with evidence files, not values to correct.
    """
    from cimon.intake.template import write_template
    from cimon.web.submissions.services import StorageError

    depts = [d for d in framework.departments if d != "县"]
    if department is not None and department not in framework.departments:
        raise StorageError(
            f"指标体系 {framework.id} 中没有报送单位“{department}”。可选：{'、'.join(framework.departments)}。",
            f"Framework {framework.id} has no supplying department '{department}'. "
            f"Choose one of: {', '.join(framework.departments)}.",
        )
    data_year = year - framework.data_lag
    frame = panel_as_of(moment, framework).frame
    frame = frame[frame["year"] == data_year].reset_index(drop=True)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    # file names come from data (department names, experts' names): made safe and distinct
    taken: set[str] = set()

    def target(text: str) -> Path:
        return folder / distinct(safe_filename(text), taken)

    owners = {v.code: v.department for v in framework.variables}
    for dept in depts if department is None else [department]:
        if dept == "县" or not any(owners[v] == dept for v in owners):
            continue
        rows = frame[frame["variable"].map(owners) == dept].reset_index(drop=True)
        paths.append(
            write_template(
                framework,
                registry,
                year,
                target(f"{dept}-{year}.xlsx"),
                department=dept,
                kind="department",
                values=rows,
            )
        )
    if department in (None, "县"):
        rubric = {v.code for v in framework.variables if v.kind == "rubric"}
        scores = frame[frame["variable"].isin(rubric) & frame["source"].str.contains("#")]
        experts = scores["source"].str.rsplit("#", n=1).str[-1]
        for name in sorted(set(experts)):
            rows = scores[experts == name].reset_index(drop=True)
            paths.append(
                write_template(
                    framework,
                    registry,
                    year,
                    target(f"专家-{name}-{year}.xlsx"),
                    kind="expert",
                    expert=name,
                    values=rows.assign(expert=name),
                )
            )
    return paths
