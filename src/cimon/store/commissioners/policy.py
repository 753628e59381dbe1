"""Who sees and does what with the 科技特派员 records: every object-level rule, in one place.

=============  ==============================================================================
role           sees (and does)
=============  ==============================================================================
admin          (省科技厅) everything; all workflow steps
commissioner   its own profile, dispatches, service records, ventures, trainings, teams, and
               its published assessments; edits its profile, logs and corrects its services,
               attaches evidence, issues rating codes, records ventures and trainings,
               proposes its own dispatches
unit           its people (commissioners of the unit) and their records, their published
               assessments and its candidates; proposes dispatches for its people, confirms
               service days, rates its people, recommends candidates
county         dispatches, service records, ventures, trainings, teams and assessments in its
               county, and the commissioners dispatched there; accepts, declines and ends its
               dispatches and marks their tasks done, records trainings and team coverages
               there, reviews assessments first
city           what its counties' clerks see, read-only
others         nothing
=============  ==============================================================================

:func:`visible` (a QuerySet per record kind) and :func:`can_view` (one object) say the same
thing; the tests check them against each other for every kind and role. The web pages and the
command line ask these functions; they never test roles themselves. The account is resolved
here so that the store needs nothing of the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from cimon.store.accounts.models import ADMIN, CITY, COMMISSIONER, COUNTY, UNIT, Account
from cimon.store.commissioners.models import (
    Assessment,
    Candidate,
    Commissioner,
    Dispatch,
    DispatchUnit,
    ServiceRecord,
    Team,
    TeamMember,
    Training,
    Venture,
)
from cimon.store.commissioners.names import (
    A_NOTICE,
    A_PUBLISHED,
)

#: the record kinds the policy knows, and their models
KINDS: dict[str, type[Model]] = {
    "commissioner": Commissioner,
    "dispatch": Dispatch,
    "service": ServiceRecord,
    "venture": Venture,
    "training": Training,
    "team": Team,
    "assessment": Assessment,
    "candidate": Candidate,
}
#: assessments the commissioner and its unit see: those on notice or published
SHOWN = (A_NOTICE, A_PUBLISHED)


@dataclass(frozen=True)
class Who:
    """What the policy needs of a user: its role, and its commissioner, unit or counties."""

    role: str | None
    commissioner_id: int | None = None
    unit_id: int | None = None
    counties: tuple[str, ...] = ()


def who(user: Any) -> Who:
    """The user as the policy sees it (no role: anonymous, inactive or without an account)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Who(None)
    try:
        acct = user.account
    except Account.DoesNotExist:
        return Who(None)
    if acct.role == COMMISSIONER:
        cid = Commissioner.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        return Who(COMMISSIONER, commissioner_id=cid)
    if acct.role == UNIT:
        return Who(UNIT, unit_id=acct.unit_id)
    if acct.role == COUNTY:
        return Who(COUNTY, counties=(acct.region_code,) if acct.region_code else ())
    if acct.role == CITY:
        from cimon.store.platform import platform_registry

        codes = tuple(r.code for r in platform_registry() if acct.city and r.city == acct.city)
        return Who(CITY, counties=codes)
    return Who(acct.role)


# ---- seeing -------------------------------------------------------------------------------------


def _own(kind: str, cid: int) -> Q:
    if kind == "commissioner":
        return Q(pk=cid)
    if kind == "team":
        return Q(pk__in=TeamMember.objects.filter(commissioner_id=cid).values("team_id"))
    if kind == "training":
        teams = TeamMember.objects.filter(commissioner_id=cid).values("team_id")
        return Q(commissioner_id=cid) | Q(team_id__in=teams)
    if kind == "assessment":
        return Q(commissioner_id=cid, status__in=SHOWN)
    return Q(commissioner_id=cid)


def _unit(kind: str, uid: int) -> Q:
    if kind == "commissioner":
        return Q(unit_id=uid)
    if kind == "candidate":
        return Q(unit_id=uid)
    if kind == "team":
        return Q(pk__in=TeamMember.objects.filter(commissioner__unit_id=uid).values("team_id"))
    if kind == "assessment":
        return Q(commissioner__unit_id=uid, status__in=SHOWN)
    return Q(commissioner__unit_id=uid)


def _counties(kind: str, codes: tuple[str, ...]) -> Q | None:
    if kind == "candidate":
        return None
    if kind == "commissioner":
        return Q(pk__in=Dispatch.objects.filter(county_code__in=codes).values("commissioner_id"))
    return Q(county_code__in=codes)


def _province(kind: str, code: str) -> Q:
    """The records of ``kind`` of the province ``code`` (an instance hosting several, #20): by
    county, a commissioner by its dispatches' counties or its unit's, a candidate by its unit's."""
    if kind == "candidate":
        return Q(unit__region_code__startswith=code)
    if kind == "commissioner":
        there = Dispatch.objects.filter(county_code__startswith=code).values("commissioner_id")
        return Q(pk__in=there) | Q(unit__region_code__startswith=code)
    return Q(county_code__startswith=code)


def _in_province(kind: str, obj: Any, code: str) -> bool:
    if kind in ("candidate", "commissioner"):
        unit = obj.unit if obj.unit_id is not None else None
        if unit is not None and unit.region_code.startswith(code):
            return True
        return kind == "commissioner" and any(c.startswith(code) for c in _county_of(kind, obj))
    return str(obj.county_code).startswith(code)


def _hosting(user: Any) -> tuple[bool, str | None]:
    """(does the instance host several provinces, the user's province)."""
    from cimon.store.national.hosting import hosted, user_province

    return (True, user_province(user)) if hosted() else (False, None)


def visible(user: Any, kind: str) -> QuerySet[Any]:
    """The records of ``kind`` (a key of :data:`KINDS`) that ``user`` may see (on an instance
    hosting several provinces, only its province's)."""
    qs = KINDS[kind]._default_manager.all()
    several, mine = _hosting(user)
    if several:
        qs = qs.filter(_province(kind, mine)) if mine else qs.none()
    w = who(user)
    if w.role == ADMIN:
        return qs
    if w.role == COMMISSIONER and w.commissioner_id is not None:
        return qs.filter(_own(kind, w.commissioner_id))
    if w.role == UNIT and w.unit_id is not None:
        return qs.filter(_unit(kind, w.unit_id))
    if w.role in (COUNTY, CITY) and w.counties:
        q = _counties(kind, w.counties)
        return qs.filter(q) if q is not None else qs.none()
    return qs.none()


def _commissioner_of(kind: str, obj: Any) -> int | None:
    return obj.pk if kind == "commissioner" else getattr(obj, "commissioner_id", None)


def _team_ids(cid: int) -> set[int]:
    return set(TeamMember.objects.filter(commissioner_id=cid).values_list("team_id", flat=True))


def _county_of(kind: str, obj: Any) -> set[str]:
    if kind == "commissioner":
        return set(Dispatch.objects.filter(commissioner=obj).values_list("county_code", flat=True))
    if kind == "candidate":
        return set()
    return {obj.county_code}


def can_view(user: Any, obj: Any) -> bool:
    """May ``user`` see this record (one of :data:`KINDS`)?"""
    kind = kind_of(obj)
    several, mine = _hosting(user)
    if several and (mine is None or not _in_province(kind, obj, mine)):
        return False
    w = who(user)
    if w.role == ADMIN:
        return True
    if w.role == COMMISSIONER and w.commissioner_id is not None:
        cid = w.commissioner_id
        if kind == "team":
            return obj.pk in _team_ids(cid)
        if kind == "training":
            return obj.commissioner_id == cid or obj.team_id in _team_ids(cid)
        if kind == "assessment" and obj.status not in SHOWN:
            return False
        return _commissioner_of(kind, obj) == cid
    if w.role == UNIT and w.unit_id is not None:
        if kind in ("commissioner", "candidate"):
            return obj.unit_id == w.unit_id
        if kind == "team":
            return TeamMember.objects.filter(team=obj, commissioner__unit_id=w.unit_id).exists()
        if kind == "assessment" and obj.status not in SHOWN:
            return False
        person = getattr(obj, "commissioner", None)
        return person is not None and person.unit_id == w.unit_id
    if w.role in (COUNTY, CITY) and w.counties:
        return bool(_county_of(kind, obj) & set(w.counties))
    return False


def visible_units(user: Any) -> QuerySet[DispatchUnit]:
    """The 派出单位 the province's administrators list: every one (on an instance hosting
    several provinces, those whose region code lies in the user's)."""
    qs = DispatchUnit.objects.all()
    if who(user).role != ADMIN:
        return qs.none()
    several, mine = _hosting(user)
    if not several:
        return qs
    return qs.filter(region_code__startswith=mine) if mine else qs.none()


def can_create_unit(user: Any, region_code: str) -> bool:
    """Add a 派出单位: administrators; on an instance hosting several provinces, with a region
    code in their own province."""
    if who(user).role != ADMIN:
        return False
    several, mine = _hosting(user)
    return not several or (mine is not None and region_code.startswith(mine))


def kind_of(obj: Any) -> str:
    for kind, model in KINDS.items():
        if isinstance(obj, model):
            return kind
    raise TypeError(f"not a commissioners record: {type(obj).__name__}")


# ---- doing --------------------------------------------------------------------------------------

#: what each role may do to a record it sees (a county only in its counties, a commissioner to
#: its own, a unit to its people's); city bureaus and the other roles only look
_ACTIONS: dict[tuple[str, str], frozenset[str]] = {
    ("commissioner", COMMISSIONER): frozenset({"edit"}),
    ("commissioner", UNIT): frozenset({"rate", "propose_dispatch"}),
    ("commissioner", ADMIN): frozenset({"edit", "status", "link", "rate", "propose_dispatch"}),
    ("dispatch", COUNTY): frozenset({"decide", "end", "tasks"}),
    ("dispatch", UNIT): frozenset({"days"}),
    ("dispatch", ADMIN): frozenset({"decide", "end", "days", "tasks"}),
    ("service", COMMISSIONER): frozenset({"correct", "evidence", "rating_code"}),
    ("service", ADMIN): frozenset({"correct", "evidence"}),
    ("venture", COMMISSIONER): frozenset({"correct"}),
    ("venture", ADMIN): frozenset({"correct"}),
    ("training", COUNTY): frozenset({"correct"}),
    ("training", ADMIN): frozenset({"correct"}),
    ("team", COUNTY): frozenset({"coverage"}),
    ("team", ADMIN): frozenset({"coverage"}),
    ("assessment", COUNTY): frozenset({"county_review"}),
    ("assessment", ADMIN): frozenset({"confirm"}),
    ("candidate", ADMIN): frozenset({"decide"}),
}


def actions(user: Any, obj: Any) -> frozenset[str]:
    """The steps ``user`` may take on ``obj``: none on a record it may not see."""
    if not can_view(user, obj):
        return frozenset()
    kind = kind_of(obj)
    w = who(user)
    allowed = _ACTIONS.get((kind, w.role or ""), frozenset())
    if kind == "training" and w.role == COMMISSIONER:  # its own, not its team's
        return frozenset({"correct"}) if obj.commissioner_id == w.commissioner_id else frozenset()
    if kind == "team" and w.role == COMMISSIONER:  # the leader reports the five coverages
        return frozenset({"coverage"}) if obj.leader_id == w.commissioner_id else frozenset()
    return allowed


def can(user: Any, action: str, obj: Any) -> bool:
    return action in actions(user, obj)


def can_create(
    user: Any, kind: str, *, commissioner: Commissioner | None = None, county_code: str = ""
) -> bool:
    """May ``user`` create a record of ``kind``: ``service``, ``venture`` (for
    ``commissioner``), ``dispatch`` (for ``commissioner``), ``training`` (by ``commissioner``,
    or in ``county_code``), ``team``, ``unit``, ``call`` (province), ``candidate``,
    ``commissioner`` (a unit, for itself)?"""
    w = who(user)
    several, mine = _hosting(user)
    if several and county_code and (mine is None or not county_code.startswith(mine)):
        return False
    if several and commissioner is not None and not can_view(user, commissioner):
        return False
    if w.role == ADMIN:
        return True
    person = commissioner
    if kind in ("service", "venture"):
        return w.role == COMMISSIONER and person is not None and person.pk == w.commissioner_id
    if kind == "dispatch":
        if person is None:
            return False
        if w.role == COMMISSIONER:
            return person.pk == w.commissioner_id
        return w.role == UNIT and person.unit_id == w.unit_id is not None
    if kind == "training":
        if w.role == COMMISSIONER:
            return person is not None and person.pk == w.commissioner_id
        return w.role == COUNTY and county_code in w.counties
    if kind in ("candidate", "commissioner"):
        return w.role == UNIT and w.unit_id is not None
    return False
