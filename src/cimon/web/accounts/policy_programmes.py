"""Who may see and do what with the programmes (issue #19): applications to 创新型县(市) … from
application to acceptance, and the case library of 典型经验; the rules of uploaded plans and
their targets are in :mod:`cimon.web.accounts.policy_plans`.

- **Applications.** Administrators, department clerks and viewers see every application; a
  county clerk its county's; an expert those of the counties assigned to it; a city bureau its
  counties'. County clerks apply and report; experts score; administrators run the workflow.
- **Cases.** Published cases are seen by every account; drafts by administrators and the
  county clerk of the case's county, who write and edit them; administrators publish.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cimon.store.accounts.models import ADMIN, CITY, COUNTY, DEPARTMENT, EXPERT
from cimon.store.national.hosting import covers, scoped_by_code
from cimon.web.accounts.policy import account, assigned_regions, city_regions, role

# --- programmes: 创新型县(市) … from application to acceptance (#19) ---------------------------


def can_view_programmes(user: Any) -> bool:
    return account(user) is not None


def visible_applications(user: Any) -> QuerySet[Any]:
    """Administrators, department clerks and viewers see every application; a county clerk its
    county's; an expert those of the counties assigned to it; a city bureau its counties'."""
    from cimon.store.programmes.models import Application

    acct = account(user)
    qs = scoped_by_code(user, Application.objects.select_related("batch__programme"), "county")
    if acct is None:
        return qs.none()
    if acct.role == COUNTY:
        return qs.filter(county=acct.region_code) if acct.region_code else qs.none()
    if acct.role == EXPERT:
        return qs.filter(county__in=assigned_regions(user))
    if acct.role == CITY:  # a city bureau follows its own counties' applications
        from cimon.store.platform import platform_registry

        return qs.filter(county__in=city_regions(user, platform_registry()))
    return qs


def can_apply(user: Any) -> bool:
    acct = account(user)
    return acct is not None and acct.role == COUNTY and bool(acct.region_code)


#: steps of a designated unit (progress, mid-term, acceptance) and of its acceptance
AFTER_DESIGNATION = frozenset({"progress", "accept", "midterm"})
OF_ACCEPTANCE = frozenset({"acceptance_review", "site_review", "acceptance_decide",
                           "acceptance_notice", "objection", "handle_objection",
                           "acceptance_publish"})  # fmt: skip


def programme_actions(user: Any, app: Any) -> set[str]:
    """The workflow steps ``user`` may take on a visible application at its present stage: the
    county clerk submits its draft and reports progress once designated; an expert scores; an
    administrator checks eligibility, closes the review, puts on notice, designates or rejects,
    accepts. A designated unit's steps come once it is designated, an acceptance's once it has
    one (the services also refuse a step out of turn, as to its finer states)."""
    actions = _role_actions(user, app)
    if app.status != "designated":
        return actions - AFTER_DESIGNATION - OF_ACCEPTANCE
    if actions & OF_ACCEPTANCE and not app.acceptances.exists():
        return actions - OF_ACCEPTANCE
    return actions


def _role_actions(user: Any, app: Any) -> set[str]:
    """The steps of ``user``'s role on ``app``, whatever its stage."""
    acct = account(user)
    if acct is None or not covers(user, app.county):  # another province's (#20)
        return set()
    if acct.role == ADMIN:
        return {"eligibility", "review", "notice", "designate", "reject", "accept", "midterm",
                "site_review", "acceptance_decide", "acceptance_notice", "objection",
                "handle_objection", "acceptance_publish"}  # fmt: skip
    if acct.role == COUNTY and app.county == acct.region_code:
        return {"submit", "progress", "accept"}
    if acct.role == EXPERT and app.county in assigned_regions(user):
        from cimon.store.programmes.acceptance import has_conflict

        # an expert from the unit's own county has a conflict: it does not score the acceptance
        return {"score"} if has_conflict(user, app) else {"score", "acceptance_review"}
    return set()


def can_export_programmes(user: Any) -> bool:
    return role(user) in (ADMIN, DEPARTMENT)


# --- the case library of 典型经验 (#19) ------------------------------------------------------


def visible_cases(user: Any) -> QuerySet[Any]:
    """Published cases for every account; drafts for administrators and for the county clerk
    of the case's county."""
    from django.db.models import Q

    from cimon.store.programmes.models import Case

    acct = account(user)
    if acct is None:
        return Case.objects.none()
    cases = scoped_by_code(user, Case.objects.all(), "county")
    if acct.role == ADMIN:
        return cases
    if acct.role == COUNTY and acct.region_code:
        return cases.filter(Q(status="published") | Q(county=acct.region_code))
    return cases.filter(status="published")


def can_write_cases(user: Any) -> bool:
    """County clerks (for their county) and administrators write cases."""
    acct = account(user)
    return acct is not None and (
        acct.role == ADMIN or (acct.role == COUNTY and bool(acct.region_code))
    )


def can_edit_case(user: Any, case: Any) -> bool:
    """Administrators edit any case; a county clerk its county's drafts."""
    acct = account(user)
    if acct is None or not covers(user, case.county):
        return False
    if acct.role == ADMIN:
        return True
    return acct.role == COUNTY and case.county == acct.region_code and case.status == "draft"


def can_publish_case(user: Any) -> bool:
    return role(user) == ADMIN
