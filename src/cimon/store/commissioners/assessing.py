"""The annual assessment computed from the stored records (issue #17): the input table of a year
in set-based queries (:func:`assessment_frame`), scored by the rule engine
(:func:`cimon.analysis.commissioners.assess`) with a rule set (the bundled default or a YAML
file) and stored frozen per row (:func:`compute_assessments` →
:func:`~cimon.store.commissioners.yearly.store_computed_assessments`); the exports (the 优秀 list
and the full assessment, Excel or Word) read the stored rows (:func:`stored_assessment`), never a
recomputation, so what is exported is what was reviewed.

The input table, one row per active commissioner (:func:`~.facts.yearly_facts` plus names):

* ``service_days``: distinct dates with a current service record in the year;
* ``records``: current service records in the year;
* ``ratings``, ``satisfaction``: redeemed rating codes of the year's records and their mean;
* ``unit_rating``: the dispatching unit's rating of the year (blank if none);
* ``confirmed_days``: the service days the unit confirmed;
* ``tasks_required``: the tasks written into the commissioner's accepted (or since ended)
  dispatches running in the year; ``tasks_done``: those the county marked done for the year (the
  current row, :func:`~.tasks.task_counts`) — a commissioner without tasks has 0 required and
  the ``tasks`` rule does not count for it;
* ``county_grade``: the county's first-review grade of the year's current assessment, if any.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from django.db.models import F

from cimon.analysis.commissioners import assess, load_assessment_rules
from cimon.analysis.commissioners.rules import AssessmentRules
from cimon.store.commissioners.facts import yearly_facts
from cimon.store.commissioners.models import CommissionerVersion
from cimon.store.commissioners.names import ACTIVE, GRADES
from cimon.store.commissioners.records import Assessment
from cimon.store.commissioners.tasks import task_counts
from cimon.store.commissioners.yearly import acting_province, store_computed_assessments

__all__ = [
    "LIST_HEADERS",
    "assessment_frame",
    "commissioner_rows",
    "compute_assessments",
    "export_assessment",
    "profiles",
    "stored_assessment",
]


def profiles(ids: Any = None) -> pd.DataFrame:
    """``commissioner_id, name, unit, field`` of the current profiles (one query)."""
    qs = CommissionerVersion.objects.filter(superseded_at__isnull=True)
    if ids is not None:
        qs = qs.filter(commissioner_id__in=list(ids))
    rows = qs.order_by("commissioner_id").values_list(
        "commissioner_id", "name", "institution", "expertise_text"
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["commissioner_id", "name", "unit", "field"]
    )


def assessment_frame(year: int, *, status: str = ACTIVE) -> pd.DataFrame:
    """The rule engine's input table of ``year`` from the stored records (see the module)."""
    facts = yearly_facts(year, status=status)
    out = facts.merge(profiles(), on="commissioner_id", how="left")
    out["name"] = out["name"].fillna("")
    out["service_days"] = out["service_dates"]
    counts = task_counts(year)
    out = out.merge(counts, on="commissioner_id", how="left")
    for col in ("tasks_required", "tasks_done"):
        out[col] = out[col].fillna(0).astype("int64")
    grades = dict(
        Assessment.objects.current()
        .filter(year=year)
        .exclude(county_grade="")
        .values_list("commissioner_id", "county_grade")
    )
    zh = {key: names[0] for key, names in GRADES.items()}
    out["county_grade"] = [zh.get(grades.get(c, "")) for c in out["commissioner_id"]]
    out["unit_rating"] = [zh.get(g) for g in out["unit_rating"]]
    return out


def compute_assessments(
    year: int,
    user: Any,
    rules: str | Path | AssessmentRules | None = None,
    *,
    label: str = "",
) -> tuple[pd.DataFrame, int, list[int]]:
    """Assess every active commissioner of ``year`` with ``rules`` (a rule set, a bundled id or
    a YAML path; None: the bundled default) and store the result. Returns the scored table, the
    number of rows stored and the ids left frozen (reviewed already)."""
    ruleset = (
        rules
        if isinstance(rules, AssessmentRules)
        else load_assessment_rules(*(() if rules is None else (rules,)))
    )
    frame = assessment_frame(year)
    province = acting_province(user)  # several hosted provinces: the user's counties (#20)
    if province is not None:
        frame = frame[frame["county_code"].fillna("").astype(str).str.startswith(province)]
    scored = assess(frame, ruleset) if len(frame) else frame.iloc[0:0]
    rows = (
        {
            "commissioner_id": r["commissioner_id"],
            "county_code": r["county_code"],
            "score": 0.0 if r["score"] != r["score"] else r["score"],
            "grade": r["grade"],
            "reasons": [{"zh": r["reasons_zh"], "en": r["reasons_en"]}],
        }
        for r in scored.to_dict("records")
    )
    stored, frozen = store_computed_assessments(
        year, rows, user, rules_id=ruleset.id, rules_sha256=ruleset.hash, label=label
    )
    return scored, stored, frozen


def stored_assessment(year: int, county_codes: Any = None) -> pd.DataFrame:
    """The year's current stored assessment rows, one per commissioner: the columns the exports
    read (``commissioner_id, name, unit, field, county_code, score, grade, grade_by_score,
    reasons_zh, reasons_en, status``). ``grade`` is the final grade where the province confirmed
    one, else the county's, else the computed one; ``grade_by_score`` is the computed grade."""
    qs = Assessment.objects.current().filter(year=year)
    if county_codes is not None:
        qs = qs.filter(county_code__in=list(county_codes))
    cols = ["commissioner_id", "county_code", "score", "computed", "county_grade",
            "final_grade", "reasons", "status", "label"]  # fmt: skip
    rows = qs.order_by("commissioner_id").values_list(
        "commissioner_id", "county_code", "score", F("grade"), "county_grade", "final_grade",
        "reasons", "status", "label",
    )  # fmt: skip
    frame = pd.DataFrame.from_records(list(rows), columns=cols)
    zh = {key: names[0] for key, names in GRADES.items()}
    frame["grade"] = [
        zh.get(f or c or g, f or c or g)
        for f, c, g in zip(
            frame["final_grade"], frame["county_grade"], frame["computed"], strict=True
        )
    ]
    frame["grade_by_score"] = [zh.get(g, g) for g in frame["computed"]]
    frame["reasons_zh"] = ["；".join(x.get("zh", "") for x in r or []) for r in frame["reasons"]]
    frame["reasons_en"] = ["; ".join(x.get("en", "") for x in r or []) for r in frame["reasons"]]
    frame = frame.merge(profiles(), on="commissioner_id", how="left")
    frame["name"] = frame["name"].fillna("")
    return frame


def export_assessment(
    year: int,
    fmt: str = "xlsx",
    *,
    county_codes: Any = None,
    county_names: dict[str, str] | None = None,
) -> bytes:
    """The stored assessment of ``year`` as an Excel workbook (everyone and the 优秀 list) or a
    Word 公示 of the 优秀 list (``fmt`` ``xlsx`` or ``docx``)."""
    from cimon.reports.commissioners import assessment_xlsx, excellent_docx

    frame = stored_assessment(year, county_codes)
    labels = sorted({x for x in frame.get("label", pd.Series(dtype=object)) if x})
    label = "、".join(labels)
    if fmt == "docx":
        return excellent_docx(frame, year, county_names, label=label)
    return assessment_xlsx(frame, year, county_names, label=label)


#: the columns of :func:`commissioner_rows`
LIST_HEADERS = ("编号", "姓名", "派出单位", "服务领域", "状态", "服务县", "服务记录", "服务天数")


def commissioner_rows(
    year: int, county_codes: Any = None
) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The commissioners as a table (:data:`LIST_HEADERS`): id, name, unit, field, status, the
    county of the year's dispatch, the year's service records and service days — the same
    set-based facts as the assessment (:func:`~.facts.yearly_facts`, every status).
    ``county_codes`` keeps those dispatched there."""
    from cimon.store.commissioners.models import Commissioner
    from cimon.store.commissioners.names import COMMISSIONER_STATUSES

    facts = yearly_facts(year, status="").merge(profiles(), on="commissioner_id", how="left")
    status = dict(Commissioner.objects.values_list("pk", "status"))
    wanted = None if county_codes is None else set(county_codes)
    rows = []
    for r in facts.to_dict("records"):
        if wanted is not None and r["county_code"] not in wanted:
            continue
        zh = COMMISSIONER_STATUSES.get(status.get(r["commissioner_id"], ""), ("", ""))[0]
        rows.append([r["commissioner_id"], r["name"] or "", r["unit"] or "", r["field"] or "",
                     zh, r["county_code"], r["records"], r["service_dates"]])  # fmt: skip
    return LIST_HEADERS, rows
