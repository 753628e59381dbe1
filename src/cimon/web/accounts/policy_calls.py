"""Who may see and do what with 揭榜挂帅 calls and 成果征集 collections (issue #18); the rest of
the libraries' rules are in :mod:`cimon.web.accounts.policy_libraries`.

- **Calls.** The county clerk of the call's county and administrators manage a call (make it
  from a published need, publish, assign experts, close, award, accept milestones). A published
  call is seen by every user with a role; a draft only by its managers.
- **Applicants** are accounts like the achievement owners of the libraries: any user with a
  role other than the call's managers and its reviewers (they would judge their own
  application). An application is seen by its applicant, the call's managers once submitted,
  and the call's reviewers once submitted unless the reviewer works at the applicant's
  institution (a conflict: the expert is excluded from it).
- **Collections** belong to the province: administrators and department clerks (科技厅) manage
  them. Every user with a role sees a collection and submits its own published achievements to
  an open one; an entry is seen by its submitter, the managers and the collection's reviewers
  (not when the reviewer works at the submitting unit).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cimon.store.accounts.models import ADMIN, COUNTY, DEPARTMENT, EXPERT
from cimon.store.national.hosting import covers, hosted, user_province
from cimon.web.accounts.policy import account, role


def _uid(user: Any) -> int | None:
    return user.pk if getattr(user, "is_authenticated", False) else None


# --- 揭榜挂帅 --------------------------------------------------------------------------------


def can_make_calls(user: Any) -> bool:
    """Make calls at all: administrators and county clerks."""
    return role(user) in (ADMIN, COUNTY)


def can_manage_call(user: Any, region_code: str) -> bool:
    """Manage a call of county ``region_code``: its county clerk, administrators."""
    acct = account(user)
    if acct is None or not covers(user, region_code):
        return False
    return acct.role == ADMIN or (acct.role == COUNTY and acct.region_code == region_code != "")


def is_call_reviewer(user: Any, call: Any) -> bool:
    uid = _uid(user)
    return (
        uid is not None and role(user) == EXPERT and call.reviewers.filter(expert_id=uid).exists()
    )


def can_view_call(user: Any, call: Any) -> bool:
    from cimon.store.libraries.call_models import CALL_DRAFT

    if role(user) is None or not covers(user, call.region_code):  # another province's (#20)
        return False
    return call.status != CALL_DRAFT or can_manage_call(user, call.region_code)


def can_apply_call(user: Any, call: Any) -> bool:
    """Apply to a published call: any role but the call's managers and reviewers."""
    from cimon.store.libraries.call_models import CALL_OPEN

    return (
        call.status == CALL_OPEN
        and role(user) is not None
        and not can_manage_call(user, call.region_code)
        and not is_call_reviewer(user, call)
    )


def can_view_application(user: Any, app: Any) -> bool:
    from cimon.store.libraries.call_models import APP_DRAFT
    from cimon.store.libraries.calls import may_score, reviewer_of

    if role(user) is None:
        return False
    if app.applicant_id == _uid(user):
        return True
    if not covers(user, app.call.region_code):
        return False
    if app.status == APP_DRAFT:
        return False
    if can_manage_call(user, app.call.region_code):
        return True
    return role(user) == EXPERT and may_score(reviewer_of(app.call, user), app)


def visible_applications(user: Any, call: Any) -> list[Any]:
    """The applications of ``call`` the user may see."""
    return [a for a in call.applications.all() if can_view_application(user, a)]


# --- 成果征集 --------------------------------------------------------------------------------


def can_manage_collections(user: Any) -> bool:
    """Open collections, assign experts, select, put on notice, handle objections, publish:
    administrators and department clerks (the province)."""
    return role(user) in (ADMIN, DEPARTMENT)


def can_view_collection(user: Any, col: Any = None) -> bool:
    """Every account; on an instance hosting several provinces, a collection (``col``) only
    by the accounts of the province whose administrator opened it."""
    if account(user) is None:
        return False
    if col is None or not hosted():
        return True
    mine = user_province(user)
    return mine is not None and _collection_province(col) == mine


def _collection_province(col: Any) -> str | None:
    from django.contrib.auth import get_user_model

    from cimon.store.national.hosting import user_province_of_id

    opener = get_user_model().objects.filter(username=col.created_by).values_list("pk", flat=True)
    uid = opener.first()
    return user_province_of_id(uid) if uid is not None else None


def visible_collections(user: Any) -> QuerySet[Any]:
    """The collections ``user`` sees (as :func:`can_view_collection` says of one)."""
    from django.contrib.auth import get_user_model

    from cimon.store.libraries.call_models import Collection

    qs = Collection.objects.all()
    if account(user) is None:
        return qs.none()
    if not hosted():
        return qs
    mine = user_province(user)
    if mine is None:
        return qs.none()
    names = get_user_model().objects.filter(province_member__province=mine).values("username")
    return qs.filter(created_by__in=names)


def is_collection_reviewer(user: Any, col: Any) -> bool:
    uid = _uid(user)
    return uid is not None and role(user) == EXPERT and col.reviewers.filter(expert_id=uid).exists()


def can_view_entry(user: Any, entry: Any) -> bool:
    from cimon.store.libraries.collection import may_score, reviewer_of

    if role(user) is None:
        return False
    if entry.submitted_by_id == _uid(user):
        return True
    if not can_view_collection(user, entry.collection):
        return False
    if can_manage_collections(user):
        return True
    return role(user) == EXPERT and may_score(reviewer_of(entry.collection, user), entry)


def can_submit_entry(user: Any, achievement: Any) -> bool:
    """Submit an achievement: its owner (any role), or an administrator."""
    if role(user) is None:
        return False
    return role(user) == ADMIN or achievement.owner_id == _uid(user)


# --- 项目库 (需求项目化) -----------------------------------------------------------------------


def can_manage_project(user: Any, project: Any) -> bool:
    """Make, see, edit and step a county's projects: its county clerk, administrators. Others
    see the public list only (no detail page: 404)."""
    return can_manage_call(user, project.region_code)


def visible_projects(user: Any) -> QuerySet[Any]:
    """The projects the public list shows ``user``: an account with a role on an instance
    hosting several provinces its province's; everyone else every one (no owner, no contact)."""
    from cimon.store.libraries.project_models import Project
    from cimon.store.national.hosting import scoped_by_code

    qs = Project.objects.select_related("need")
    return qs if role(user) is None else scoped_by_code(user, qs)
