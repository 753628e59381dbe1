"""The permission matrix: every URL of the platform × every role × every kind of object.

The URLs are read from the URL configuration, so a view added without a declared expectation
here fails :func:`test_every_url_has_an_expectation`. Expectations are written out by hand from
the rules in docs/platform.md (not computed from :mod:`cimon.web.accounts.policy`): the test is
an independent oracle for the policy module.

Ownership cases for URLs that take a submission id: the county clerk's own county, another
county, the department clerk's own department, another department, the expert's own sheet,
and an id that does not exist. (Unpublished/published evaluation results join this matrix with
the evaluation workflow.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cimon.store.submissions.models import ACCEPTED, DRAFT, Submission

ROLES = ("anon", "admin", "department", "county", "city", "expert", "viewer", "norole", "commissioner",
         "unit")  # fmt: skip
OWNERSHIP = (
    "own_county",
    "other_county",
    "own_department",
    "other_department",
    "own_expert",
    "missing",
)
SUBMITTERS = {"admin", "department", "county", "expert"}
LOGIN = 302  # anonymous users are sent to the login page


def walk(patterns: list[Any], ns: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from walk(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}"
        else:  # pragma: no cover - an unnamed URL cannot be reversed: name every URL
            raise AssertionError(f"unnamed URL pattern {p!r}: give it a name")


# visible[role] = the ownership cases whose submission that role may see
VISIBLE = {
    "admin": {"own_county", "other_county", "own_department", "other_department", "own_expert"},
    "department": {"own_department"},
    "county": {"own_county"},
    "expert": {"own_expert"},
    "city": set(),  # a city bureau reads its counties' board, never their files
    "viewer": set(),
    "norole": set(),
    "commissioner": set(),  # 科技特派员 and 派出单位 (#17) see no submission
    "unit": set(),
}
EVALUATION = ("unpublished", "published")  # an evaluation in review / one that was published
RESULTS = ("current", "superseded", "unpublished")  # a year's current / older version / no version

#: an application of 西吉县 (the county clerk's, the expert's assigned county), one of 原州区
PROG = ("own_county", "other_county", "missing")
#: who sees which application (the workflow steps: admins, the county clerk, the expert)
PROG_SEES = {"admin": {"own_county", "other_county"}, "department": {"own_county", "other_county"},
             "viewer": {"own_county", "other_county"}, "county": {"own_county"},
             "expert": {"own_county"},
             "city": {"own_county", "other_county"},
             # 科技特派员, 派出单位 (#17): as viewers, every role follows the pipeline
             "commissioner": {"own_county", "other_county"},
             "unit": {"own_county", "other_county"}}  # fmt: skip
PROG_STEPS = {"admin", "county", "expert"}
#: a draft case of 西吉县 (the county clerk's), a published case of 原州区, an id that is missing
CASE = ("own_draft", "other_published", "missing")


def _case(ok: int, edit: bool = False) -> Callable[[str, str], int]:
    """A case's page (``ok``): 404 for a draft the role may not see (drafts: administrators and
    the county clerk of its county) and a missing id; with ``edit`` 403 for a published case a
    county clerk sees but may not edit and for roles that never edit."""

    def expect(role: str, own: str) -> int:
        if role == "anon":
            return LOGIN
        if role == "norole":
            return 403
        if own == "missing" or (own == "own_draft" and role not in ("admin", "county")):
            return 404
        if edit and role != "admin" and not (role == "county" and own == "own_draft"):
            return 403
        return ok

    return expect


def _opinion(role: str, own: str) -> int:
    """The acceptance opinion: who sees the application; only 西吉县's has an acceptance."""
    if role == "anon":
        return LOGIN
    if role == "norole":
        return 403
    return 200 if own == "own_county" and own in PROG_SEES[role] else 404


def _programme(role: str, own: str, ok: int) -> int:
    """An application's page (``ok`` 200) or a workflow step without an action (``ok`` 400):
    404 for what the role may not see, 403 for a step the role may not take."""
    if role == "anon":
        return LOGIN
    if role == "norole":
        return 403
    if own not in PROG_SEES[role]:
        return 404
    return ok if ok == 200 or role in PROG_STEPS else 403


#: the libraries dashboard (#18): the province, counties and cities; not experts, 科技特派员, 派出单位
_NO_STATS = {"expert": 403, "norole": 403, "commissioner": 403, "unit": 403}


def _target_plan(role: str, own: str, ok: int) -> int:
    """An uploaded plan of 西吉县 (own_county) or of 原州区 (``ok`` 200: its page, seen by every
    role; ``ok`` 400: a report without a target — 403 for who reports none of its targets)."""
    if role == "anon":
        return LOGIN
    if role == "norole":
        return 403
    if own == "missing":
        return 404
    if ok == 200 or role == "admin" or (role == "county" and own == "own_county"):
        return ok
    return 403


def by_role(table: dict[str, int], default: int) -> Callable[[str, str], int]:
    return lambda role, own: LOGIN if role == "anon" else table.get(role, default)


def submission_view(ok: Callable[[str, str], int]) -> Callable[[str, str], int]:
    """404 for what the role may not see (ids tell nothing), else ``ok``."""

    def expect(role: str, own: str) -> int:
        if role == "anon":
            return LOGIN
        if own not in VISIBLE[role]:
            return 404
        return ok(role, own)

    return expect


def admin_only(ok: int) -> Callable[[str, str], int]:
    """Evaluations before and after publication: administrators only, 404 for the rest."""
    return lambda role, own: LOGIN if role == "anon" else ok if role == "admin" else 404


def _ack(role: str, own: str) -> int:
    # only the county's own submission is a draft; acknowledging without a reason redirects
    # back to it with a message; anything else visible is not a draft: 403
    return 302 if own == "own_county" else 403


def _results(role: str, own: str) -> int:
    if role == "anon":
        return LOGIN
    if role == "norole" or own == "unpublished":
        return 404
    return 200 if own == "current" or role == "admin" else 404


def _api(role: str, own: str) -> int:
    # the JSON API answers 401 (not a redirect) without a login; otherwise as the results page
    return 401 if role == "anon" else _results(role, own)


def _admin_page(ok: int) -> Callable[[str, str], int]:
    """User management: administrators only, 403 for every other role (as the audit log)."""
    return by_role({"admin": ok}, 403)


def _dashboard(ok: int) -> Callable[[str, str], int]:
    """Dashboard pages of a year: as the results page, ``ok`` where that answers 200 (the
    fixture's publication has no stored data to rebuild: pages show the frozen table, 200;
    files cannot be made, 409)."""
    return lambda role, own: ok if _results(role, own) == 200 else _results(role, own)


def _derived(role: str, own: str) -> int:
    if role == "anon":
        return LOGIN
    if role == "norole":
        return 404
    return 200 if own == "published" or role == "admin" else 404


NONE = ("none",)
#: 科技特派员 (#17): where a role's start page sends it, who reads the lists
_COMM_START = {"unit": 302, "county": 302, "city": 302, "admin": 302}
_COMM_READERS = {"admin": 200, "county": 200, "city": 200, "unit": 200, "commissioner": 200}
#: who monitors the commissioners' work (the province, a city bureau, a county)
_COMM_MONITOR = {"admin": 200, "county": 200, "city": 200}


@dataclass(frozen=True)
class Spec:
    method: str
    expect: Callable[[str, str], int]
    cases: tuple[str, ...] = NONE  # ownership cases
    key: str = ""  # which kind of object the URL takes: submission | evaluation | objection | year
    data: dict[str, str] = field(default_factory=dict)


EXPECT: dict[str, Spec] = {
    "home": Spec("get", by_role({"viewer": 200, "norole": 200}, 302)),
    "set_language": Spec("post", lambda r, o: 302, data={"language": "en", "next": "/"}),
    "accounts:login": Spec("get", lambda r, o: 200 if r == "anon" else 302),
    "accounts:logout": Spec("post", lambda r, o: 302),
    "accounts:password_change": Spec("get", by_role({}, 200)),
    "accounts:password_changed": Spec("get", by_role({}, 200)),
    "accounts:audit": Spec("get", by_role({"admin": 200}, 403)),
    "accounts:audit_export": Spec("get", by_role({"admin": 200}, 403)),
    "submissions:portal": Spec("get", by_role({r: 200 for r in SUBMITTERS}, 403)),
    "submissions:template": Spec(
        "get", by_role({"department": 200, "county": 200, "expert": 200}, 403)
    ),
    "submissions:upload": Spec(
        "post", by_role({r: 400 for r in SUBMITTERS}, 403), data={"year": "2026"}
    ),
    "submissions:detail": Spec("get", submission_view(lambda r, o: 200), OWNERSHIP, "submission"),
    "submissions:file": Spec("get", submission_view(lambda r, o: 200), OWNERSHIP, "submission"),
    "submissions:acknowledge": Spec(
        "post", submission_view(_ack), OWNERSHIP, "submission", {"reason": ""}
    ),
    "submissions:board": Spec(
        "get", by_role({"admin": 200, "department": 200, "county": 200, "city": 200}, 403)
    ),
    "submissions:deadline": Spec("post", by_role({"admin": 302}, 403)),
    "evaluations:index": Spec("get", by_role({"admin": 200}, 403)),
    "evaluations:run": Spec("post", by_role({"admin": 302}, 403)),
    "evaluations:detail": Spec("get", admin_only(200), EVALUATION, "evaluation"),
    "evaluations:progress": Spec("get", admin_only(200), EVALUATION, "evaluation"),
    "evaluations:notice": Spec("post", admin_only(302), EVALUATION, "evaluation"),
    "evaluations:objection": Spec("post", admin_only(302), EVALUATION, "evaluation"),
    "evaluations:handle": Spec("post", admin_only(302), EVALUATION, "objection"),
    "evaluations:publish": Spec("post", admin_only(302), EVALUATION, "evaluation"),
    "evaluations:results": Spec("get", _results, RESULTS, "year"),
    # the dashboard: every role sees published versions (admins also superseded ones)
    "dashboard:index": Spec("get", by_role({"norole": 403}, 302)),
    "dashboard:province": Spec("get", _dashboard(200), RESULTS, "year"),
    "dashboard:list": Spec("get", _dashboard(200), RESULTS, "year"),
    "dashboard:city": Spec("get", _dashboard(200), RESULTS, "dash_city"),
    "dashboard:county": Spec("get", _dashboard(200), RESULTS, "dash_county"),
    "dashboard:incentives": Spec("get", _dashboard(200), RESULTS, "year"),
    "dashboard:downloads": Spec("get", _dashboard(200), RESULTS, "year"),
    "dashboard:download": Spec("get", _dashboard(409), RESULTS, "dash_file"),
    # the national comparison (#20): administrators and viewers read it
    "dashboard:national": Spec("get", by_role({"admin": 200, "viewer": 200}, 403), key="national"),
    "dashboard:national_export": Spec(
        "get", by_role({"admin": 200, "viewer": 200}, 403), key="national"
    ),
    # the JSON API: its documentation and schema are public; data as the results page
    "api:docs": Spec("get", lambda r, o: 200),
    "api:openapi": Spec("get", lambda r, o: 200),
    "api:years": Spec("get", lambda r, o: {"anon": 401, "norole": 403}.get(r, 200)),
    "api:results": Spec("get", _api, RESULTS, "year"),
    "api:county": Spec("get", _api, RESULTS, "api_county"),
    "api:incentives": Spec("get", _api, RESULTS, "year"),
    "api:cities": Spec("get", _api, RESULTS, "year"),
    # user management (administrators); a POST without valid data shows the form again (200)
    "accounts:users": Spec("get", _admin_page(200)),
    "accounts:user_create": Spec("post", _admin_page(200), data={"username": ""}),
    "accounts:user_edit": Spec("post", _admin_page(200), key="user", data={"role": "nonsense"}),
    "accounts:user_active": Spec("post", _admin_page(302), key="user", data={"active": "0"}),
    "accounts:user_password": Spec("post", _admin_page(200), key="user"),
    # structured 创新管理 evidence (#16 item 4); ownership cases: tests/web/evidence/
    "evidence:index": Spec("get", by_role({"admin": 200, "county": 200, "expert": 200}, 403)),
    "evidence:new": Spec("get", by_role({"county": 200}, 403)),
    "evidence:item": Spec("get", by_role({}, 404), key="evidence"),
    "evidence:edit": Spec("post", by_role({}, 404), key="evidence"),
    "evidence:file": Spec("get", by_role({}, 404), key="evidence"),
    "evidence:ask": Spec("post", by_role({}, 404), key="evidence"),
    "evidence:answer": Spec("post", by_role({}, 404), key="evidence"),
    "evidence:score": Spec("post", by_role({}, 404), key="evidence"),
    "evidence:assign": Spec("get", _admin_page(200)),
    "evidence:results": Spec("get", by_role({"county": 200, "norole": 403}, 404), key="ev_year"),
    # registries (#16): every role reads them; admins and department clerks import and review
    "registry:index": Spec("get", by_role({"norole": 403}, 200)),
    "registry:carriers": Spec("get", by_role({"norole": 403}, 200)),
    "registry:count": Spec("get", by_role({"norole": 403}, 200), key="registry_count"),
    "registry:upload": Spec("post", by_role({"admin": 400, "department": 400}, 403)),
    "registry:import_detail": Spec(
        "get", by_role({"admin": 200, "department": 200}, 403), key="list_import"
    ),
    "registry:decide": Spec(
        "post",
        by_role({"admin": 302, "department": 302}, 403),
        key="review_item",
        data={"decision": "rejected"},
    ),
    # the records behind a derived value: as the run's published version, 404 otherwise
    "registry:derived": Spec("get", _derived, EVALUATION, "derived"),
    # resource libraries (#18): the public page for everyone; ownership cases of needs,
    # matches and achievements: tests/web/libraries/
    "libraries:public": Spec("get", lambda r, o: 200),
    "libraries:mine": Spec("get", by_role({"norole": 403}, 200)),
    "libraries:need_new": Spec("post", by_role({"admin": 400, "county": 400}, 403)),
    "libraries:achievement_new": Spec("post", by_role({"norole": 403}, 400)),
    "libraries:review": Spec("get", by_role({"admin": 200, "county": 200}, 403)),
    "libraries:contracts": Spec("get", by_role({"admin": 200, "county": 200}, 403)),
    "libraries:need": Spec("get", by_role({}, 404), key="library"),
    "libraries:need_submit": Spec("post", by_role({}, 404), key="library"),
    "libraries:need_review": Spec("post", by_role({}, 404), key="library"),
    "libraries:recommend": Spec("post", by_role({}, 404), key="library"),
    "libraries:match_advance": Spec("post", by_role({}, 404), key="library"),
    "libraries:achievement_publish": Spec("post", by_role({}, 404), key="library"),
    # list imports, talent, feedback and transfer projects (#18): tests/web/libraries/test_more.py
    "libraries:import": Spec("get", by_role({"admin": 200, "county": 200}, 403)),
    "libraries:talent": Spec("get", lambda r, o: 200),
    "libraries:talent_new": Spec("post", by_role({"norole": 403}, 400)),
    "libraries:talent_publish": Spec("post", by_role({}, 404), key="library"),
    "libraries:match_feedback": Spec("post", by_role({}, 404), key="library"),
    "libraries:match_transfer": Spec("post", by_role({}, 404), key="library"),
    # 揭榜挂帅 calls and 成果征集 collections (#18): ownership cases in tests/web/libraries/
    "libraries:calls": Spec("get", by_role({"norole": 403}, 200)),
    "libraries:call_new": Spec("post", by_role({"admin": 400, "county": 400}, 403)),
    "libraries:collection_new": Spec("post", by_role({"admin": 400, "department": 400}, 403)),
    "libraries:catalogue": Spec("get", lambda r, o: 200),
    "libraries:catalogue_export": Spec("get", lambda r, o: 200, key="catalogue"),
    **{
        f"libraries:{name}": Spec(method, by_role({}, 404), key="library")
        for name, method in (
            ("call", "get"),
            ("call_step", "post"),
            ("call_apply", "post"),
            ("application", "get"),
            ("application_step", "post"),
            ("call_file", "get"),
            ("collection", "get"),
            ("collection_step", "post"),
            ("entry_step", "post"),
        )
    },
    # the 项目库 (#18, 需求项目化): county clerks and admins; the public list for everyone;
    # ownership cases (another county's project: 404) in tests/web/libraries/test_projects.py
    "libraries:projects": Spec("get", by_role({"admin": 200, "county": 200}, 403)),
    "libraries:projects_public": Spec("get", lambda r, o: 200),
    "libraries:project_new": Spec("post", by_role({"admin": 400, "county": 400}, 403)),
    "libraries:project": Spec("get", by_role({}, 404), key="library"),
    "libraries:project_step": Spec("post", by_role({}, 404), key="library"),
    # the libraries dashboard (#18): the province, a county (its own), a city bureau (its
    # counties); object-level scope: tests/web/libraries/test_dashboard.py
    "libraries:dashboard": Spec("get", by_role(_NO_STATS, 200)),
    "libraries:dashboard_download": Spec("get", by_role(_NO_STATS, 200)),
    # programmes (#19): every role follows the pipeline; a county sees its own applications
    "programmes:index": Spec("get", by_role({"norole": 403}, 200)),
    "programmes:apply": Spec("get", by_role({"county": 200}, 403)),
    "programmes:application": Spec("get", lambda r, o: _programme(r, o, 200), PROG, "programme"),
    "programmes:step": Spec("post", lambda r, o: _programme(r, o, 400), PROG, "programme"),
    "programmes:review_docx": Spec(
        "get", by_role({"admin": 200, "department": 200}, 403), key="programme_batch"
    ),
    "programmes:opinion_docx": Spec("get", _opinion, PROG, "programme"),
    "programmes:plans": Spec("get", by_role({"norole": 403}, 200)),
    # the case library (#19): published cases for every account and the public page
    # uploaded plans (#19): every role sees them; admins, cities and counties upload; a
    # target is reported by an admin, the uploader or the clerk of the county it is for
    "programmes:target_plans": Spec("get", by_role({"norole": 403}, 200)),
    "programmes:target_plan_upload": Spec(
        "get", by_role({"admin": 200, "city": 200, "county": 200}, 403)
    ),
    "programmes:target_plan": Spec(
        "get", lambda r, o: _target_plan(r, o, 200), PROG, "target_plan"
    ),
    "programmes:target_report": Spec(
        "post", lambda r, o: _target_plan(r, o, 400), PROG, "target_plan"
    ),
    "programmes:cases": Spec("get", by_role({"norole": 403}, 200)),
    "programmes:case_new": Spec("get", by_role({"admin": 200, "county": 200}, 403)),
    "programmes:case": Spec("get", _case(200), CASE, "case"),
    "programmes:case_file": Spec("get", _case(200), CASE, "case_file"),
    "programmes:case_edit": Spec("get", _case(200, edit=True), CASE, "case"),
    "programmes:case_publish": Spec(
        "post",
        lambda r, o: 302 if r == "admin" and o != "missing" else _case(403)(r, o),
        CASE,
        "case",
    ),
    "programmes:public_cases": Spec("get", lambda r, o: 200),
    # 科技特派员 (#17): pages by role; object pages answer 404 for an id nobody may see (the
    # object-level cases: tests/web/commissioners/)
    "commissioners:index": Spec("get", by_role({"commissioner": 200, **_COMM_START}, 403)),
    "commissioners:service_new": Spec("get", by_role({"commissioner": 200}, 403)),
    "commissioners:profile": Spec("get", by_role({"commissioner": 200}, 403)),
    "commissioners:ventures": Spec("get", by_role({"commissioner": 200}, 403)),
    "commissioners:rate_enter": Spec("get", lambda r, o: 200),
    "commissioners:rate": Spec("get", lambda r, o: 404, key="rate_code"),
    "commissioners:unit": Spec("get", by_role({"unit": 200}, 403)),
    "commissioners:recommend": Spec("post", by_role({"unit": 302}, 403), key="comm"),
    "commissioners:dispatches": Spec("get", by_role(_COMM_READERS, 403)),
    "commissioners:services": Spec("get", by_role(_COMM_READERS, 403)),
    "commissioners:trainings": Spec("get", by_role(_COMM_READERS, 403)),
    "commissioners:teams": Spec("get", by_role(_COMM_READERS, 403)),
    "commissioners:people": Spec(
        "get", by_role({"admin": 200, "unit": 200, "county": 200, "city": 200}, 403)
    ),
    "commissioners:units": Spec("get", _admin_page(200)),
    "commissioners:calls": Spec("get", _admin_page(200)),
    "commissioners:call": Spec("get", _admin_page(404), key="comm"),
    "commissioners:call_notice": Spec("post", _admin_page(400), key="comm"),
    "commissioners:call_confirm": Spec("post", _admin_page(404), key="comm"),
    "commissioners:candidate_decide": Spec("post", _admin_page(404), key="comm"),
    # monitoring and the assessment (#17): object-level cases in
    # tests/web/commissioners/test_monitor_assess.py
    "commissioners:monitor": Spec("get", by_role({**_COMM_MONITOR, "commissioner": 302}, 403)),
    "commissioners:monitor_county": Spec("get", by_role(_COMM_MONITOR, 403), key="comm_county"),
    "commissioners:monitor_alerts": Spec("get", by_role(_COMM_MONITOR, 403)),
    "commissioners:monitor_teams": Spec("get", by_role(_COMM_MONITOR, 403)),
    "commissioners:monitor_me": Spec("get", by_role({"commissioner": 200}, 403)),
    "commissioners:assess": Spec(
        "get", by_role({**_COMM_MONITOR, "unit": 200, "commissioner": 302}, 403)
    ),
    "commissioners:assess_compute": Spec("post", _admin_page(302)),
    "commissioners:assess_review": Spec("post", by_role({}, 404), key="comm"),
    "commissioners:assess_review_all": Spec("post", by_role({"county": 302}, 403)),
    "commissioners:assess_confirm": Spec("post", by_role({}, 404), key="comm"),
    "commissioners:assess_confirm_all": Spec("post", _admin_page(302)),
    "commissioners:assess_notice": Spec("post", _admin_page(400)),
    "commissioners:assess_publish": Spec("post", _admin_page(302)),
    "commissioners:assess_excellent": Spec("get", _admin_page(404), key="comm_year"),
    "commissioners:assess_workbook": Spec("get", _admin_page(404), key="comm_year"),
    "commissioners:assess_mine": Spec("get", by_role({"commissioner": 200}, 403)),
    **{
        f"commissioners:{name}": Spec(method, by_role({}, 404), key="comm")
        for name, method in (
            ("service", "get"),
            ("service_correct", "post"),
            ("service_evidence", "post"),
            ("service_code", "post"),
            ("evidence_file", "get"),
            ("person", "get"),
            ("dispatch_new", "get"),
            ("rate_person", "post"),
            ("days", "post"),
            ("dispatch", "get"),
            ("dispatch_decide", "post"),
            ("dispatch_end", "post"),
            ("dispatch_task", "post"),
            ("team_coverage", "post"),
        )
    },
}


# What a city bureau (设区市科技局, #20 item 3) gets at every URL, written out on its own: it
# reads the published results and its counties' status board; it never sees a submission's
# file, an unpublished evaluation or the evidence, never uploads, imports, runs or manages.
# An int is its answer for every ownership case of the URL; a dict names each case.
_PUB = {"current": 200, "superseded": 404, "unpublished": 404}
_ADMIN_ONLY = {"unpublished": 404, "published": 404}
CITY_EXPECT: dict[str, int | dict[str, int]] = {
    "home": 302,  # to its counties' status board
    "set_language": 302,
    "accounts:login": 302,
    "accounts:logout": 302,
    "accounts:password_change": 200,
    "accounts:password_changed": 200,
    "accounts:audit": 403,
    "accounts:audit_export": 403,
    "accounts:users": 403,
    "accounts:user_create": 403,
    "accounts:user_edit": 403,
    "accounts:user_active": 403,
    "accounts:user_password": 403,
    "submissions:portal": 403,
    "submissions:template": 403,
    "submissions:upload": 403,
    "submissions:detail": 404,
    "submissions:file": 404,
    "submissions:acknowledge": 404,
    "submissions:board": 200,
    "submissions:deadline": 403,
    "evaluations:index": 403,
    "evaluations:run": 403,
    "evaluations:detail": _ADMIN_ONLY,
    "evaluations:progress": _ADMIN_ONLY,
    "evaluations:notice": _ADMIN_ONLY,
    "evaluations:objection": _ADMIN_ONLY,
    "evaluations:handle": _ADMIN_ONLY,
    "evaluations:publish": _ADMIN_ONLY,
    "evaluations:results": _PUB,
    "dashboard:index": 302,
    "dashboard:province": _PUB,
    "dashboard:list": _PUB,
    "dashboard:city": _PUB,
    "dashboard:county": _PUB,
    "dashboard:incentives": _PUB,
    "dashboard:downloads": _PUB,
    "dashboard:download": {"current": 409, "superseded": 404, "unpublished": 404},
    "dashboard:national": 403,  # the national comparison: administrators and viewers only
    "dashboard:national_export": 403,
    "api:docs": 200,
    "api:openapi": 200,
    "api:years": 200,
    "api:results": _PUB,
    "api:county": _PUB,
    "api:incentives": _PUB,
    "api:cities": _PUB,
    "evidence:index": 403,
    "evidence:new": 403,
    "evidence:item": 404,
    "evidence:edit": 404,
    "evidence:file": 404,
    "evidence:ask": 404,
    "evidence:answer": 404,
    "evidence:score": 404,
    "evidence:assign": 403,
    "evidence:results": 404,
    "registry:index": 200,
    "registry:carriers": 200,
    "registry:count": 200,
    "registry:upload": 403,
    "registry:import_detail": 403,
    "registry:decide": 403,
    "registry:derived": {"unpublished": 404, "published": 200},
    # the libraries (#18): the public page, its own list, achievements like any account; no review
    "libraries:public": 200,
    "libraries:mine": 200,
    "libraries:need_new": 403,
    "libraries:achievement_new": 400,
    "libraries:review": 403,
    "libraries:contracts": 403,
    "libraries:need": 404,
    "libraries:need_submit": 404,
    "libraries:need_review": 404,
    "libraries:recommend": 404,
    "libraries:match_advance": 404,
    "libraries:achievement_publish": 404,
    "libraries:import": 403,
    "libraries:talent": 200,
    "libraries:talent_new": 400,
    "libraries:talent_publish": 404,
    "libraries:match_feedback": 404,
    "libraries:match_transfer": 404,
    # calls and collections (#18): the lists and the public catalogue; makes no call, runs no
    # collection; another county's or an unknown call, application or entry: 404
    "libraries:calls": 200,
    "libraries:call_new": 403,
    "libraries:collection_new": 403,
    "libraries:catalogue": 200,
    "libraries:catalogue_export": 200,
    "libraries:call": 404,
    "libraries:call_step": 404,
    "libraries:call_apply": 404,
    "libraries:application": 404,
    "libraries:application_step": 404,
    "libraries:call_file": 404,
    "libraries:collection": 404,
    "libraries:collection_step": 404,
    "libraries:entry_step": 404,
    # the 项目库 (#18): the public list only; makes and manages no project
    "libraries:projects": 403,
    "libraries:projects_public": 200,
    "libraries:project_new": 403,
    "libraries:project": 404,
    "libraries:project_step": 404,
    "libraries:dashboard": 200,  # its counties' figures, read-only
    "libraries:dashboard_download": 200,
    # programmes (#19): the pipeline; its own counties' applications, read-only
    "programmes:index": 200,
    "programmes:apply": 403,
    # (both test counties, 西吉县 and 原州区, are in the city bureau's 固原市)
    "programmes:application": {"own_county": 200, "other_county": 200, "missing": 404},
    "programmes:step": {"own_county": 403, "other_county": 403, "missing": 404},
    "programmes:review_docx": 403,
    "programmes:opinion_docx": {"own_county": 200, "other_county": 404, "missing": 404},
    "programmes:plans": 200,
    "programmes:target_plans": 200,
    "programmes:target_plan_upload": 200,
    "programmes:target_plan": {"own_county": 200, "other_county": 200, "missing": 404},
    "programmes:target_report": {"own_county": 403, "other_county": 403, "missing": 404},
    "programmes:cases": 200,
    "programmes:case_new": 403,
    "programmes:case": {"own_draft": 404, "other_published": 200, "missing": 404},
    "programmes:case_file": {"own_draft": 404, "other_published": 200, "missing": 404},
    "programmes:case_edit": {"own_draft": 404, "other_published": 403, "missing": 404},
    "programmes:case_publish": {"own_draft": 404, "other_published": 403, "missing": 404},
    "programmes:public_cases": 200,
    # 科技特派员 (#17): read-only lists of its counties' dispatches, services, trainings, teams
    # and the commissioners dispatched there; no step, no commissioner's or unit's page
    "commissioners:index": 302,
    "commissioners:service_new": 403,
    "commissioners:profile": 403,
    "commissioners:ventures": 403,
    "commissioners:rate_enter": 200,
    "commissioners:rate": 404,
    "commissioners:unit": 403,
    "commissioners:recommend": 403,
    "commissioners:dispatches": 200,
    "commissioners:services": 200,
    "commissioners:trainings": 200,
    "commissioners:teams": 200,
    "commissioners:people": 200,
    "commissioners:units": 403,
    "commissioners:calls": 403,
    "commissioners:call": 403,
    "commissioners:call_notice": 403,
    "commissioners:call_confirm": 403,
    "commissioners:candidate_decide": 403,
    "commissioners:service": 404,
    "commissioners:service_correct": 404,
    "commissioners:service_evidence": 404,
    "commissioners:service_code": 404,
    "commissioners:evidence_file": 404,
    "commissioners:person": 404,
    "commissioners:dispatch_new": 404,
    "commissioners:rate_person": 404,
    "commissioners:days": 404,
    "commissioners:dispatch": 404,
    "commissioners:dispatch_decide": 404,
    "commissioners:dispatch_end": 404,
    "commissioners:dispatch_task": 404,
    "commissioners:team_coverage": 404,
    # monitoring its counties, reading their assessments; no step
    "commissioners:monitor": 200,
    "commissioners:monitor_county": 200,
    "commissioners:monitor_alerts": 200,
    "commissioners:monitor_teams": 200,
    "commissioners:monitor_me": 403,
    "commissioners:assess": 200,
    "commissioners:assess_compute": 403,
    "commissioners:assess_review": 404,
    "commissioners:assess_review_all": 403,
    "commissioners:assess_confirm": 404,
    "commissioners:assess_confirm_all": 403,
    "commissioners:assess_notice": 403,
    "commissioners:assess_publish": 403,
    "commissioners:assess_excellent": 403,
    "commissioners:assess_workbook": 403,
    "commissioners:assess_mine": 403,
}


def test_every_url_states_what_a_city_bureau_gets() -> None:
    """Every URL has a city bureau's answer in :data:`CITY_EXPECT`, and the matrix's rule for
    the role gives that answer in every ownership case."""
    assert sorted(CITY_EXPECT) == sorted(EXPECT)
    for name, spec in EXPECT.items():
        stated = CITY_EXPECT[name]
        for own in spec.cases:
            want = stated if isinstance(stated, int) else stated[own]
            assert spec.expect("city", own) == want, f"{name} ({own})"


def test_every_url_has_an_expectation() -> None:
    names = set(walk(get_resolver().url_patterns))
    missing = sorted(names - set(EXPECT))
    stale = sorted(set(EXPECT) - names)
    assert not missing, f"URLs without a permission expectation: {missing}"
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


def _sub(kind: str, user: Any, status: str = ACCEPTED, **kw: Any) -> Submission:
    from django.utils import timezone

    return Submission.objects.create(
        file_name=f"{kind}.csv",
        content=b"a,b\n1,2\n",
        sha256=f"{kind}{kw}",
        kind=kind,
        user=user,
        created_at=timezone.now(),
        status=status,
        evaluation_year=2026,
        data_year=2025,
        **kw,
    )


@pytest.fixture
def objects(users: dict[str, Any]) -> dict[str, int]:
    from cimon.model.regions import default_registry

    reg = default_registry()
    xiji, yuanzhou = reg.match("西吉县").code, reg.match("原州区").code
    return {
        "own_county": _sub("county", users["county"], DRAFT, region_code=xiji).pk,
        "other_county": _sub("county", users["county2"], region_code=yuanzhou).pk,
        "own_department": _sub("department", users["admin"], department="统计局").pk,
        "other_department": _sub("department", users["department2"], department="科技厅").pk,
        "own_expert": _sub("expert", users["expert"], expert="张专家").pk,
        "missing": 999_999,
    }


@pytest.fixture
def evaluations(users: dict[str, Any]) -> dict[str, Any]:
    """An evaluation in review, a published one whose 2025 results are at version 2 (version 1
    superseded by a correction), and an objection on each."""
    from django.utils import timezone

    from cimon.store.evaluations.models import PUBLISHED, REVIEW, Evaluation, Objection, Publication

    now = timezone.now()

    def ev(status: str) -> Evaluation:
        return Evaluation.objects.create(
            evaluation_year=2025,
            framework_id="nx-2021",
            data_as_of=now,
            created_at=now,
            status=status,
            progress=100,
        )

    unpublished, published = ev(REVIEW), ev(PUBLISHED)
    for version, superseded in ((1, now), (2, None)):
        Publication.objects.create(
            evaluation_year=2025,
            version=version,
            evaluation=published,
            published_at=now,
            superseded_at=superseded,
            results=[{"region_code": "640422", "name": "西吉县"}],
        )
    objection = {
        k: Objection.objects.create(
            evaluation=e,
            raised_by="西吉县",
            content="异议",
            received_on=now.date(),
            recorded_at=now,
        ).pk
        for k, e in (("unpublished", unpublished), ("published", published))
    }
    return {
        "evaluation": {"unpublished": unpublished.pk, "published": published.pk},
        "objection": objection,
        "year": {
            "current": (2025, ""),
            "superseded": (2025, "?version=1"),
            "unpublished": (2024, ""),
        },
    }


#: the roles whose requests the matrix makes on PostgreSQL (``make unit``'s second run): the
#: unscoped administrator and the roles whose pages are scoped by a query (a county, a city's
#: counties, an expert's assignments, a unit's commissioners). Who gets which answer is decided
#: in Python (:mod:`cimon.web.accounts.policy`), the same on every database: the full matrix
#: runs on SQLite; on PostgreSQL every view's queries still run, for those roles.
SERVER_ROLES = ("admin", "county", "city", "expert", "unit")


def url_for(name: str, own: str, objects: dict[str, int], evaluations: dict[str, Any]) -> str:
    spec = EXPECT[name]
    if name == "accounts:audit_export":
        return reverse(name, kwargs={"fmt": "csv"})
    if spec.key == "submission":
        return reverse(name, kwargs={"pk": objects[own]})
    if spec.key in ("evaluation", "objection"):
        return reverse(name, kwargs={"pk": evaluations[spec.key][own]})
    if spec.key == "api_county":
        year, query = evaluations["year"][own]
        return reverse(name, kwargs={"year": year, "code": "640422"}) + query
    if spec.key == "user":  # the viewer's account (another user for everyone but the viewer)
        from django.contrib.auth import get_user_model

        return reverse(name, kwargs={"pk": get_user_model().objects.get(username="viewer").pk})
    if spec.key.startswith("dash_"):  # a dashboard page of a year and a city, county or file
        year, query = evaluations["year"][own]
        arg = {"dash_city": {"city": "固原市"}, "dash_county": {"code": "640422"}}
        kwargs = {"year": year, **arg.get(spec.key, {"kind": "xlsx"})}
        return reverse(name, kwargs=kwargs) + query
    if spec.key == "comm_county":  # 西吉县: the county clerk's, in the city bureau's city
        return reverse(name, kwargs={"code": "640422"})
    if spec.key == "comm_year":  # a year with no assessment on notice
        return reverse(name, kwargs={"year": 2024})
    if spec.key == "rate_code":  # a well-formed code that was never issued
        return reverse(name, kwargs={"code": "ABCDE-FGHJK"})
    if spec.key in (
        "evidence",
        "library",
        "comm",
    ):  # an id that does not exist (own items: tests/web/evidence/)
        return reverse(name, kwargs={"pk": 999_999})
    if spec.key == "national":  # one province's published results imported (#20)
        from cimon.store.national.demo import PROVINCES, published_json
        from cimon.store.national.services import import_published

        import_published(published_json(*PROVINCES[0], 2025), "nx.json", "宁夏")
        return reverse(name) + "?year=2025"
    if spec.key == "catalogue":  # the published catalogue as Excel (empty: a header only)
        return reverse(name, kwargs={"fmt": "xlsx"})
    if spec.key == "ev_year":  # the data year of the published evaluation year 2025
        return reverse(name, kwargs={"year": 2024})
    if spec.key == "registry_count":
        return reverse(name, kwargs={"year": 2021, "code": "640422"}) + "?kind=高新技术企业"
    if spec.key in ("list_import", "review_item", "derived"):
        return _registry_url(name, spec.key, own, evaluations)
    if spec.key in ("programme", "programme_batch"):
        return _programme_url(name, spec.key, own)
    if spec.key in ("case", "case_file"):
        return _case_url(name, spec.key, own)
    if spec.key == "target_plan":
        return _target_plan_url(name, own)
    if spec.key == "year":
        year, query = evaluations["year"][own]
        return reverse(name, kwargs={"year": year}) + query
    return reverse(name)


def _registry_url(name: str, key: str, own: str, evaluations: dict[str, Any]) -> str:
    """A list import with one review item, and a derived count of each evaluation (#16)."""
    from django.utils import timezone

    from cimon.store.registry.models import DerivedCount, ListImport, ReviewItem

    now = timezone.now()
    if key == "derived":
        pk = evaluations["evaluation"][own]
        DerivedCount.objects.create(evaluation_id=pk, variable="hte", region_code="640422",
                                    year=2024, on=now.date(), count=0, records=[])  # fmt: skip
        return reverse(name, kwargs={"pk": pk, "variable": "hte", "code": "640422", "year": 2024})
    li = ListImport.objects.create(file_name="l.csv", content=b"x", sha256="x", list_kind="enterprise",
                                   created_at=now, outcome="review")  # fmt: skip
    if key == "list_import":
        return reverse(name, kwargs={"pk": li.pk})
    item = ReviewItem.objects.create(list_import=li, row=2, status="ambiguous",
                                     data={"name": "某公司"}, candidates=[])  # fmt: skip
    return reverse(name, kwargs={"pk": item.pk})


def _programme_url(name: str, key: str, own: str) -> str:
    """A batch with a designated application of 西吉县 and one of 原州区 (#19)."""
    from datetime import date

    from django.utils import timezone

    from cimon.model.regions import default_registry
    from cimon.store.programmes.models import Acceptance, Application, Batch, Programme

    now, reg = timezone.now(), default_registry()
    prog = Programme.objects.create(code="p", name_zh="创新型县(市)", kind="own", created_at=now)
    batch = Batch.objects.create(programme=prog, year=2026, opens_on=date(2026, 1, 1),
                                 closes_on=date(2026, 12, 31), created_at=now)  # fmt: skip
    apps = {
        case: Application.objects.create(
            batch=batch, county=reg.match(county).code, status="designated", created_at=now
        ).pk
        for case, county in (("own_county", "西吉县"), ("other_county", "原州区"))
    }
    if key == "programme_batch":
        return reverse(name, kwargs={"pk": batch.pk})
    Acceptance.objects.create(application_id=apps["own_county"], summary="自评", created_at=now)
    return reverse(name, kwargs={"pk": apps.get(own, 999_999)})


def _target_plan_url(name: str, own: str) -> str:
    """An uploaded county plan of 西吉县 and one of 原州区, each with one reported target (#19)."""
    from cimon.store.programmes.target_plans import upload_plan

    ids = {}
    for case, county in (("own_county", "西吉县"), ("other_county", "原州区")):
        text = (
            f"id: plan-{case}\nkind: plan\nlevel: county\narea: {county}\nitems:\n"
            "  - {code: T1, kind: zero_break, deadline: 2027, responsible: [县科技局]}\n"
        )
        ids[case] = upload_plan(None, text.encode(), f"{case}.yaml").pk
    return reverse(name, kwargs={"pk": ids.get(own, 999_999)})


def _case_url(name: str, key: str, own: str) -> str:
    """A draft case of 西吉县 and a published case of 原州区, each with a file (#19)."""
    from django.utils import timezone

    from cimon.model.regions import default_registry
    from cimon.store.programmes.models import Case, CaseFile

    now, reg = timezone.now(), default_registry()
    ids = {}
    for case, county, status in (("own_draft", "西吉县", "draft"),
                                 ("other_published", "原州区", "published")):  # fmt: skip
        c = Case.objects.create(title="案例", county=reg.match(county).code, field="产业发展",
                                text="正文", status=status, created_at=now)  # fmt: skip
        f = CaseFile.objects.create(case=c, file_name="a.txt", content=b"x", sha256="x",
                                    created_at=now)  # fmt: skip
        ids[case] = f.pk if key == "case_file" else c.pk
    return reverse(name, kwargs={"pk": ids.get(own, 999_999)})


def _answer(name: str, role: str, own: str, url: str, users: dict[str, Any]) -> str:
    """Request ``url`` as ``role``; '' when the answer is the expected one, else what is wrong."""
    spec = EXPECT[name]
    client = Client()
    if role != "anon":
        client.force_login(users[role])
    try:
        response = getattr(client, spec.method)(url, spec.data)
    except Exception as exc:  # a view that fails is a wrong answer too (others still run)
        return f"{spec.method.upper()} {url} as {role} ({own}): raised {exc!r}"
    want = spec.expect(role, own)
    if response.status_code != want:
        return f"{spec.method.upper()} {url} as {role} ({own}): {response.status_code}, expected {want}"
    if (
        want == LOGIN
        and role == "anon"
        and name not in ("accounts:logout", "set_language", "accounts:login")
        and not response["Location"].startswith(reverse("accounts:login"))
    ):
        return f"{spec.method.upper()} {url} as anon: sent to {response['Location']}, not the login"
    return ""


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECT))
def test_permission_matrix(
    name: str,
    users: dict[str, Any],
    objects: dict[str, int],
    evaluations: dict[str, Any],
    settings: Any,
) -> None:
    """One URL as every role, in every ownership case. The users and objects are made once per
    URL; each request runs in a savepoint rolled back after it (what one request writes, the
    next does not see), as if each were a test of its own. Every wrong answer is listed."""
    from django.db import connection, transaction

    spec = EXPECT[name]
    roles = ROLES if connection.vendor == "sqlite" else SERVER_ROLES
    wrong = []
    for role in roles:
        for own in spec.cases:
            with transaction.atomic():
                url = url_for(name, own, objects, evaluations)
                wrong.append(_answer(name, role, own, url, users))
                transaction.set_rollback(True)
    wrong = [w for w in wrong if w]
    assert not wrong, "\n".join(wrong)
