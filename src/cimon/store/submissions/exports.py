"""Export stored values back to template shape (``cimon data export``): export → import loses
nothing, so a department can correct last year's workbook instead of starting from a blank one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from cimon.model.framework import Framework
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry
from cimon.safe import distinct, inside, safe_filename, safe_relpath
from cimon.store.submissions.queries import panel_as_of


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

    One workbook per supplying department (``<department>-<year>.xlsx``), one expert scoring
    sheet per expert with stored scores (``专家-<name>-<year>.xlsx``) and, per county with a
    stored self-assessment, a folder ``自评-<county>-<year>/`` holding its self-assessment
    workbook (scores, statements, evidence file names) and its evidence files; with
    ``department`` only that department's workbook (``县``: the expert sheets and the
    self-assessments). Values reported as missing are written as blank cells; estimated and
    imputed values keep their status in the workbook's 数据状态 sheet
    (:mod:`cimon.intake.statuses`). Importing what was exported stores the same values,
    statuses, claims and evidence (``tests/web/test_roundtrip.py``).
    """
    from cimon.intake.template import write_template
    from cimon.store.submissions.errors import StorageError

    depts = [d for d in framework.departments if d != COUNTY_DEPARTMENT]
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
        if dept == COUNTY_DEPARTMENT or not any(owners[v] == dept for v in owners):
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
    if department in (None, COUNTY_DEPARTMENT):
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
        paths += _export_self_assessments(year, framework, registry, folder, moment, taken)
    return paths


def _export_self_assessments(
    year: int,
    framework: Framework,
    registry: RegionRegistry,
    folder: Path,
    moment: datetime | None,
    taken: set[str],
) -> list[Path]:
    """Each county's current self-assessment of the data year, with its evidence files beside it
    (where ``cimon import`` looks for them). Folder and file names come from data and are made
    safe (:mod:`cimon.safe`); evidence is written under :func:`~cimon.safe.safe_relpath` of its
    listed name, which ``check_evidence`` finds again; a name that would leave the county's
    folder is not written (its import then reports it)."""
    from cimon.intake.submission import Claim as ParsedClaim
    from cimon.intake.template import write_template
    from cimon.store.submissions.models import Claim, EvidenceFile
    from cimon.store.submissions.queries import as_of_filter, aware

    data_year = year - framework.data_lag
    claims = list(
        Claim.objects.filter(as_of_filter(aware(moment)), year=data_year).order_by(
            "region_code", "variable", "id"
        )
    )
    paths: list[Path] = []
    for region in registry:
        mine = [c for c in claims if c.region_code == region.code]
        if not mine:
            continue
        box = folder / distinct(safe_filename(f"自评-{region.name}-{year}"), taken)
        box.mkdir(parents=True, exist_ok=True)
        parsed = [
            ParsedClaim(
                c.region_code,
                c.year,
                c.variable,
                float("nan") if c.score is None else c.score,
                c.statement,
                tuple(c.evidence),
            )
            for c in mine
        ]
        paths.append(
            write_template(
                framework,
                registry,
                year,
                box / safe_filename(f"{region.name}-自评-{year}.xlsx"),
                kind="county",
                region=region.code,
                values=parsed,
            )
        )
        for ev in EvidenceFile.objects.filter(claim__in=mine).order_by("id"):
            rel = safe_relpath(ev.name)
            target = inside(box, rel) if rel is not None else None
            if target is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(bytes(ev.content))
    return paths
