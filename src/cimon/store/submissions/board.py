"""The status board's figures, read in a fixed number of aggregate queries whatever the number of
units (the national registry's 2,844, ``CIMON_REGIONS=national``; issue #20 item 5).

Two kinds of figures:

- per county-level unit, the state of its self-assessment (:func:`county_states`): one of
  :data:`STATES`, from the current claims of the data year and the newest refused attempt;
- per supplying department, what it has sent for a set of units (:func:`department_summaries`):
  its current submissions, the values still missing, the variables missing everywhere and, for
  at most ``detail`` units, which values each lacks.

Both read with partial indexes on the current rows of a data year (``obs_current_year``,
``claim_current_year``). Who may see which units is the caller's decision (the web's policy):
these functions take the units' codes.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from cimon.store.submissions.models import DRAFT, REJECTED, Claim, Observation, Submission

#: The states of a unit's self-assessment, in the board's order: nothing sent; a draft whose
#: warnings are not acknowledged; the newest attempt rejected (returned: fix and upload again);
#: accepted (current claims exist).
NOT_STARTED, DRAFTED, RETURNED, SUBMITTED = "not_started", "draft", "rejected", "submitted"
STATES = (NOT_STARTED, DRAFTED, RETURNED, SUBMITTED)
#: A filter value, not a state: every unit whose self-assessment is not accepted.
PENDING = "pending"

#: Units whose missing values a department's line names one by one (the rest are counted).
DETAIL_MAX = 20


def county_states(data_year: int, codes: Sequence[str], *, rubric: bool = True) -> dict[str, str]:
    """The state of each unit's self-assessment for ``data_year``, by code (in ``codes``'
    order). Two queries: the units with current claims (distinct codes), and the newest refused
    county attempt per unit. Without rubric items in the framework there is nothing to assess:
    every unit counts as submitted (as :func:`~cimon.store.submissions.queries.status` says)."""
    if not rubric:
        return dict.fromkeys(codes, SUBMITTED)
    claimed = set(
        Claim.objects.filter(superseded_at__isnull=True, year=data_year)
        .order_by()
        .values_list("region_code", flat=True)
        .distinct()
    )
    newest: dict[str, str] = {}
    rows = (
        Submission.objects.filter(kind="county", data_year=data_year, status__in=(DRAFT, REJECTED))
        .exclude(region_code="")
        .order_by("region_code", "-created_at", "-id")
        .values_list("region_code", "status")
    )
    for code, state in rows:
        newest.setdefault(code, state)
    out = {}
    for code in codes:
        if code in claimed:
            out[code] = SUBMITTED
        else:
            state = newest.get(code)
            out[code] = (
                DRAFTED if state == DRAFT else RETURNED if state == REJECTED else NOT_STARTED
            )
    return out


def totals(states: Mapping[str, str]) -> dict[str, int]:
    """Units per state (every state, zeros included), and ``pending``: those not submitted."""
    out = dict.fromkeys(STATES, 0)
    for s in states.values():
        out[s] += 1
    out[PENDING] = len(states) - out[SUBMITTED]
    return out


def keep(states: Mapping[str, str], status: str) -> list[str]:
    """The codes whose state ``status`` asks for (``pending``: not submitted; ``""``: all)."""
    if not status:
        return list(states)
    if status == PENDING:
        return [c for c, s in states.items() if s != SUBMITTED]
    return [c for c, s in states.items() if s == status]


@dataclass
class DepartmentSummary:
    """What one department has sent for a set of ``units`` units."""

    department: str
    variables: list[str]
    units: int
    submissions: list[tuple[int, str, datetime, str]] = field(default_factory=list)
    reported: int = 0  # unit × variable values reported
    everywhere: list[str] = field(default_factory=list)  # variables no unit has
    gap_units: int = 0  # units lacking some value other than those of ``everywhere``
    detail: list[tuple[str, list[str]]] = field(default_factory=list)  # at most DETAIL_MAX

    @property
    def submitted(self) -> bool:
        return bool(self.submissions)

    @property
    def missing(self) -> int:
        return self.units * len(self.variables) - self.reported


def _current(data_year: int, codes: Sequence[str] | None) -> QuerySet[Observation]:
    qs = Observation.objects.filter(superseded_at__isnull=True, year=data_year).order_by()
    return qs if codes is None else qs.filter(region_code__in=list(codes))


#: Summaries recently computed, per process, keyed by what they were asked for and by the
#: stored submissions (their count and highest id): the current values change only when a
#: submission is stored (a new one supersedes older values; nothing is updated otherwise or
#: deleted), so a summary stays right until the next one (:func:`stored_marker`). Counting a data year's current values
#: of 2,844 units took about 0.3 s of a board's 0.4 s on PostgreSQL (#20).
_SUMMARIES: OrderedDict[tuple[Any, ...], list[DepartmentSummary]] = OrderedDict()
_SUMMARIES_KEEP = 32
_SUMMARIES_LOCK = threading.Lock()


def stored_marker() -> tuple[int, int, str, str]:
    """What changes whenever a submission is stored or superseded: their number, the highest
    id, the latest time (an id alone could come again after a restore or a rolled-back test)
    and the latest supersession (a draft confirmed after its warnings is superseded just after
    the new submission is stored)."""
    agg = Submission.objects.aggregate(
        n=Count("id"), last=Max("id"), at=Max("created_at"), gone=Max("superseded_at")
    )
    return int(agg["n"] or 0), int(agg["last"] or 0), str(agg["at"] or ""), str(agg["gone"] or "")


def department_summaries(
    data_year: int,
    departments: Mapping[str, Sequence[str]],
    codes: Sequence[str],
    *,
    every_unit: bool = False,
    detail: int = DETAIL_MAX,
) -> list[DepartmentSummary]:
    """For each department (name → its variables), over the units ``codes`` (``every_unit``:
    they are all the units stored, so the query needs no list of codes): its current
    submissions, the values reported and missing, the variables missing in every unit, and for
    the first ``detail`` units (in ``codes``' order) lacking other values, which they lack.

    One grouped query for all departments (values by variable and submission); per department
    with scattered gaps two more (values by unit, then the named units' variables). The answer
    is kept per process until a submission is stored (:data:`_SUMMARIES`; one query to check):
    shared, do not modify it."""
    digest = hashlib.sha1("\n".join(codes).encode()).hexdigest()
    key = (
        data_year,
        tuple((d, tuple(vs)) for d, vs in departments.items()),
        digest,
        every_unit,
        detail,
        stored_marker(),
    )
    with _SUMMARIES_LOCK:
        hit = _SUMMARIES.get(key)
        if hit is not None:
            _SUMMARIES.move_to_end(key)
            return hit
    out = _summaries(data_year, departments, codes, every_unit, detail)
    with _SUMMARIES_LOCK:
        _SUMMARIES[key] = out
        while len(_SUMMARIES) > _SUMMARIES_KEEP:
            _SUMMARIES.popitem(last=False)
    return out


def _summaries(
    data_year: int,
    departments: Mapping[str, Sequence[str]],
    codes: Sequence[str],
    every_unit: bool,
    detail: int,
) -> list[DepartmentSummary]:
    variables = [v for vs in departments.values() for v in vs]
    scope = None if every_unit else codes
    per_var: dict[str, int] = {}
    subs_by_var: dict[str, set[int]] = {}
    grouped = (
        _current(data_year, scope)
        .filter(variable__in=variables)
        .values("variable", "submission_id")
        .annotate(n=Count("id", filter=Q(status="reported")))
    )
    for row in grouped:
        per_var[row["variable"]] = per_var.get(row["variable"], 0) + row["n"]
        subs_by_var.setdefault(row["variable"], set()).add(row["submission_id"])
    ids = {s for ids in subs_by_var.values() for s in ids}
    info = {
        sid: (sid, name, at, by)
        for sid, name, at, by in Submission.objects.filter(pk__in=ids).values_list(
            "id", "file_name", "created_at", "submitted_by"
        )
    }
    out = []
    for dept, dvars in departments.items():
        s = DepartmentSummary(dept, list(dvars), len(codes))
        s.submissions = [
            info[i] for i in sorted({i for v in dvars for i in subs_by_var.get(v, ())})
        ]
        s.reported = min(sum(per_var.get(v, 0) for v in dvars), s.units * len(dvars))
        if codes:
            s.everywhere = [v for v in dvars if not per_var.get(v)]
        rest = [v for v in dvars if v not in s.everywhere]
        if rest and s.reported < s.units * len(rest):
            _gaps(s, data_year, rest, codes, scope, detail)
        out.append(s)
    return out


def _gaps(
    s: DepartmentSummary,
    data_year: int,
    rest: list[str],
    codes: Sequence[str],
    scope: Sequence[str] | None,
    detail: int,
) -> None:
    """Fill ``gap_units`` and ``detail`` of ``s``: the units lacking some of ``rest``."""
    have = dict(
        _current(data_year, scope)
        .filter(variable__in=rest, status="reported")
        .values("region_code")
        .annotate(n=Count("id"))
        .values_list("region_code", "n")
    )
    short = [c for c in codes if have.get(c, 0) < len(rest)]
    s.gap_units = len(short)
    named = short[:detail]
    got: dict[str, set[str]] = {}
    for code, var in (
        _current(data_year, named)
        .filter(variable__in=rest, status="reported")
        .values_list("region_code", "variable")
    ):
        got.setdefault(code, set()).add(var)
    s.detail = [(c, [v for v in rest if v not in got.get(c, set())]) for c in named]


def page_attempts(data_year: int, codes: Sequence[str]) -> dict[str, list[Any]]:
    """Refused self-assessments of ``data_year`` of the units ``codes`` (one page), by code,
    newest first."""
    from cimon.store.submissions.queries import REFUSED, Attempt

    out: dict[str, list[Any]] = {}
    rows = (
        Submission.objects.filter(
            status__in=REFUSED, data_year=data_year, kind="county", region_code__in=list(codes)
        )
        .order_by("-created_at", "-id")
        .values_list("id", "file_name", "created_at", "submitted_by", "status", "region_code")
    )
    for sid, name, at, by, state, code in rows:
        out.setdefault(code, []).append(Attempt(sid, name, at, by, state))
    return out


__all__ = [
    "DETAIL_MAX",
    "PENDING",
    "STATES",
    "DepartmentSummary",
    "county_states",
    "department_summaries",
    "keep",
    "page_attempts",
    "totals",
]
