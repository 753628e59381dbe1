"""The status board (报送情况) as a user may see it: the supplying departments' lines and one line
per county-level unit for its self-assessment, searched, filtered and paged, with the totals per
state of every unit the filters keep (issue #20 item 5: the national registry's 2,844 units).

Who sees what: an admin every department and unit, a department clerk its department, a county
clerk its county, a city bureau its counties (read-only); on an instance hosting several
provinces (``CIMON_PROVINCES``) only the units of the viewer's province
(:func:`cimon.store.national.hosting.visible_codes`). The figures come from
:mod:`cimon.store.submissions.board` in a fixed number of queries; with one page holding every
unit (a province of 22) the page looks as before: no filter form, no pager.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from cimon.model.regions import COUNTY_DEPARTMENT, Region, normalise_name
from cimon.store.national.hosting import hosted, scoped_by_code, user_province, visible_codes
from cimon.store.platform import platform_framework, platform_registry
from cimon.store.submissions import board as figures
from cimon.store.submissions.models import Deadline, Submission
from cimon.web.accounts import policy
from cimon.web.params import int_param

REMIND_DAYS = 7  # a deadline this close (or past) shows a reminder to whoever still owes data
#: Units per page; the most a page may hold (``per_page``); names a reminder lists one by one.
PER_PAGE, MAX_PER_PAGE, NAMED_MAX = 50, 500, 50
#: The self-assessment states as the board names them (filter choices and totals), in order.
STATE_LABELS = [
    (figures.NOT_STARTED, "未开始", "not started"),
    (figures.DRAFTED, "草稿待确认", "draft, warnings to acknowledge"),
    (figures.RETURNED, "被拒绝待重报", "rejected, to resubmit"),
    (figures.SUBMITTED, "已提交", "submitted"),
]


@dataclass
class BoardRow:
    """One line of the status board: a department, or one county's self-assessment."""

    who: str  # department name or county name
    code: str  # department name or region code
    submitted: bool
    missing: int  # county × variable values still missing (departments)
    missing_detail: list[tuple[str, list[str]]] = field(default_factory=list)
    submissions: list[tuple[int, str, Any, str]] = field(default_factory=list)
    due: date | None = None
    days_left: int | None = None
    refused: list[Any] = field(default_factory=list)  # queries.Attempt, newest first
    state: str = ""  # a county's: one of cimon.store.submissions.board.STATES
    city: str = ""
    province: str = ""
    more: int = 0  # a department's units with gaps not named in missing_detail

    @property
    def complete(self) -> bool:
        return self.submitted and self.missing == 0

    @property
    def overdue(self) -> bool:
        return not self.complete and self.days_left is not None and self.days_left < 0

    @property
    def remind(self) -> bool:
        return not self.complete and self.days_left is not None and self.days_left <= REMIND_DAYS


@dataclass(frozen=True)
class Filters:
    """The units a board keeps: a province, a 设区市, a search text (a code prefix, or part of
    the Chinese or English name), a state (or ``pending``: not submitted). Empty: all."""

    province: str = ""
    city: str = ""
    q: str = ""
    status: str = ""

    def query(self) -> dict[str, str]:
        out = {"province": self.province, "city": self.city, "q": self.q, "status": self.status}
        return {k: v for k, v in out.items() if v}


def filters_from(params: Mapping[str, str]) -> Filters:
    def get(key: str) -> str:
        return " ".join(str(params.get(key) or "").split())[:50]

    status = get("status")
    return Filters(
        province=normalise_name(get("province")) if get("province") else "",
        city=normalise_name(get("city")) if get("city") else "",
        q=get("q"),
        status=status if status in (*figures.STATES, figures.PENDING) else "",
    )


def _matches(r: Region, f: Filters) -> bool:
    if f.province and r.province != f.province:
        return False
    if f.city and r.city != f.city:
        return False
    if f.q:
        q = f.q.lower()
        return r.code.startswith(q) or q in r.name.lower() or q in r.name_en.lower()
    return True


@dataclass
class Board:
    evaluation_year: int
    data_year: int
    departments: list[BoardRow]
    counties: list[BoardRow]  # the units of this page
    deadlines: dict[str, date]
    filters: Filters = Filters()
    totals: dict[str, int] = field(default_factory=dict)  # per state, of every unit kept
    due: list[BoardRow] = field(default_factory=list)  # every kept unit near its deadline
    units: int = 0  # units the viewer sees before the filters
    kept: int = 0  # units the filters keep (all pages)
    page: int = 1
    pages: int = 1
    per_page: int = PER_PAGE
    provinces: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)

    @property
    def paged(self) -> bool:
        """Whether the board is too large for one page: then it shows the filters and a pager."""
        return self.units > self.per_page

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.counties else 0

    @property
    def last(self) -> int:
        return self.first + len(self.counties) - 1 if self.counties else 0

    def link(self, **changes: Any) -> str:
        """The query string of this board with ``changes`` (a page, a state …)."""
        q = {"year": str(self.evaluation_year), **self.filters.query()}
        if self.per_page != PER_PAGE:
            q["per_page"] = str(self.per_page)
        q.update({k: str(v) for k, v in changes.items()})
        return urlencode({k: v for k, v in q.items() if v})

    @property
    def state_links(self) -> list[tuple[str, str, str, int, str]]:
        """The totals line: per state its key, names, count (every unit the province, city and
        search keep, on every page) and the query string listing them; ``pending`` last."""
        rows = [*STATE_LABELS, (figures.PENDING, "未提交合计", "not submitted in all")]
        return [
            (key, zh, en, self.totals.get(key, 0), self.link(status=key, page=""))
            for key, zh, en in rows
        ]

    @property
    def filtered(self) -> int:
        """Units the province, city and search keep (before the state)."""
        return self.totals.get(figures.PENDING, 0) + self.totals.get(figures.SUBMITTED, 0)

    @property
    def pending_query(self) -> str:
        return self.link(status=figures.PENDING, page="")

    @property
    def prev_query(self) -> str:
        return self.link(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_query(self) -> str:
        return self.link(page=self.page + 1) if self.page < self.pages else ""

    @property
    def reminders(self) -> list[BoardRow]:
        """Rows near or past their deadline and not complete: every department's, and a
        county's own when the board shows one county (a county clerk's); on a board of several
        counties they are summed up in :attr:`counties_due`."""
        rows = [r for r in self.departments if r.remind]
        if self.units == 1:
            rows += [r for r in self.counties if r.remind]
        return rows

    @property
    def counties_due(self) -> list[BoardRow]:
        """On a board of several counties: every unit the filters keep (on every page) that is
        near or past the deadline without a self-assessment."""
        return self.due if self.units > 1 else []

    @property
    def due_named(self) -> list[BoardRow]:
        """The units of :attr:`counties_due` a reminder names (the rest are counted)."""
        return self.counties_due[:NAMED_MAX]


def _units(user: Any, scope: policy.Scope) -> list[Region]:
    """The units the viewer's board covers, in registry order."""
    registry = platform_registry()
    if scope.kind == "county":
        regions = [r for r in registry if r.code == scope.region_code]
    elif scope.kind == "city":
        wanted = set(scope.regions)
        regions = [r for r in registry if r.code in wanted]
    elif scope.kind in ("any", "department"):  # a department's figures cover every unit
        regions = list(registry)
    else:
        return []
    codes = set(visible_codes(user, [r.code for r in regions]))
    return [r for r in regions if r.code in codes]


def board(user: Any, year: int, params: Mapping[str, str] | None = None) -> Board:
    """The status board of evaluation ``year`` as ``user`` may see it, narrowed and paged by
    ``params`` (the query string: ``province``, ``city``, ``q``, ``status``, ``page``,
    ``per_page``)."""
    if not policy.can_view_status(user):
        raise PermissionDenied
    params = params or {}
    fw, registry = platform_framework(), platform_registry()
    city = policy.city_regions(user, registry)
    # a city bureau submits nothing: it sees its counties' self-assessments, read-only
    scope = policy.Scope("city", regions=tuple(city)) if city else policy.submission_scope(user)
    if scope is None:
        raise PermissionDenied  # a city bureau whose city the registry does not know
    data_year = year - fw.data_lag
    deadlines = {d.department: d.due for d in Deadline.objects.filter(evaluation_year=year)}
    today = timezone.localdate()

    def days(dept: str) -> tuple[date | None, int | None]:
        due = deadlines.get(dept)
        return due, (due - today).days if due else None

    units = _units(user, scope)
    f = filters_from(params)
    kept = [r for r in units if _matches(r, f)]
    codes = [r.code for r in kept]
    depts = _departments(user, scope, fw, data_year, codes, len(units), days)
    per_page = max(1, min(int_param(params.get("per_page"), PER_PAGE), MAX_PER_PAGE))
    b = Board(year, data_year, depts, [], deadlines, f, units=len(units), per_page=per_page)
    b.provinces = list(dict.fromkeys(r.province for r in units))
    # the 设区市 of the province chosen (of the only one); none to choose from before a
    # province is (the country has about 340: a list too long to pick from, and to render)
    one = f.province or (b.provinces[0] if len(b.provinces) == 1 else "")
    b.cities = list(dict.fromkeys(r.city for r in units if one and r.province == one))
    if f.city and f.city not in b.cities:
        b.cities.append(f.city)
    if scope.kind not in ("any", "county", "city"):
        return b
    rubric = any(v.kind == "rubric" for v in fw.variables)
    states = figures.county_states(data_year, codes, rubric=rubric)
    b.totals = figures.totals(states)
    due, left = days(COUNTY_DEPARTMENT)
    by_code = {r.code: r for r in kept}
    if left is not None and left <= REMIND_DAYS:
        b.due = [
            BoardRow(by_code[c].name, c, False, 0, due=due, days_left=left, state=states[c])
            for c in figures.keep(states, figures.PENDING)
        ]
    shown = figures.keep(states, f.status)
    b.kept = len(shown)
    b.pages = max(1, -(-len(shown) // per_page))
    b.page = max(1, min(int_param(params.get("page"), 1), b.pages))
    page = shown[(b.page - 1) * per_page : b.page * per_page]
    attempts = figures.page_attempts(data_year, page)
    for c in page:
        r = by_code[c]
        b.counties.append(
            BoardRow(r.name, c, states[c] == figures.SUBMITTED, 0, due=due, days_left=left,
                     refused=attempts.get(c, []), state=states[c], city=r.city,
                     province=r.province)
        )  # fmt: skip
    return b


def _departments(
    user: Any, scope: policy.Scope, fw: Any, data_year: int, codes: list[str], units: int, days: Any
) -> list[BoardRow]:
    """The departments' lines over the units ``codes`` (those the filters keep)."""
    from cimon.store.submissions.queries import refused_attempts
    from cimon.web.i18n import tr

    if scope.kind not in ("any", "department"):
        return []
    wanted = {
        d: [v.code for v in fw.variables if v.department == d]
        for d in fw.departments
        if d != COUNTY_DEPARTMENT and (scope.kind == "any" or d == scope.department)
    }
    wanted = {d: vs for d, vs in wanted.items() if vs}
    registry = platform_registry()
    every = len(codes) == len(registry)  # no list of codes needed in the queries
    refused = refused_attempts(data_year, base=province_submissions(user, Submission.objects))
    names = {c: registry[c].name for c in codes}
    rows = []
    for s in figures.department_summaries(data_year, wanted, codes, every_unit=every):
        due, left = days(s.department)
        n = len(codes)
        detail = (
            [(tr(f"全部 {n} 个县（市、区）", f"all {n} counties"), s.everywhere)]
            if s.everywhere
            else []
        )
        detail += [(names.get(c, c), v) for c, v in s.detail]
        rows.append(
            BoardRow(s.department, s.department, s.submitted, s.missing, detail, s.submissions,
                     due, left, refused.get(s.department, []),
                     more=s.gap_units - len(s.detail))
        )  # fmt: skip
    return rows


def province_submissions(user: Any, qs: QuerySet[Submission]) -> QuerySet[Submission]:
    """``qs`` narrowed to the viewer's province on an instance hosting several: the files of a
    county (or an expert's, by the county's code) of that province, and the files keyed by no
    county (departments' workbooks) uploaded by an account of that province; unchanged on a
    single-province instance."""
    if not hosted():
        return qs
    mine = user_province(user)
    if mine is None:
        return qs.none()
    coded = scoped_by_code(user, qs.exclude(region_code=""))
    return coded | qs.filter(Q(region_code=""), user__province_member__province=mine)


__all__ = ["STATE_LABELS", "Board", "BoardRow", "Filters", "board", "province_submissions"]
