"""Who may see and do what with uploaded plans and their targets (issue #19 item 2); the rest of
the programmes' rules are in :mod:`cimon.web.accounts.policy_programmes`.

- **Seeing.** A plan is a government document: every user with a role sees every plan, its
  targets, their statuses and the reports (the province's view of all plans).
- **Uploading.** Administrators (any level), city bureaus (county or city level) and county
  clerks (county level) upload plans; a new version of a stored plan comes only from the account
  that uploaded it (administrators may replace any).
- **Reporting.** A target is reported by its responsible unit on the platform: the account
  that uploaded the plan, an administrator, or the county clerk of the county the target is
  for (its ``applies_to`` unit, else the plan's area, matched by region code or name).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cimon.store.accounts.models import ADMIN, CITY, COUNTY
from cimon.web.accounts.policy import account, role


def can_view_target_plans(user: Any) -> bool:
    return account(user) is not None


def can_view_target_plan(user: Any, tp: Any) -> bool:
    """One plan: every account; on an instance hosting several provinces, the accounts of the
    province of the account that uploaded it."""
    from cimon.store.national.hosting import same_member

    return can_view_target_plans(user) and same_member(user, tp.uploaded_by_id)


def visible_target_plans(user: Any) -> QuerySet[Any]:
    """The plans ``user`` sees (as :func:`can_view_target_plan` says of one)."""
    from cimon.store.national.hosting import scoped
    from cimon.store.programmes.models import TargetPlan

    if not can_view_target_plans(user):
        return TargetPlan.objects.none()
    return scoped(user, TargetPlan.objects.all(), "uploaded_by__province_member__province")


def can_upload_target_plan(user: Any) -> bool:
    return role(user) in (ADMIN, CITY, COUNTY)


def upload_levels(user: Any) -> tuple[str, ...] | None:
    """The plan levels ``user`` may upload: any for administrators (None), county and city for
    a city bureau, county for a county clerk."""
    r = role(user)
    return None if r == ADMIN else ("county", "city") if r == CITY else ("county",)


def _is_county(name: str, region_code: str) -> bool:
    from cimon.store.platform import platform_registry

    if not name or not region_code:
        return False
    if name == region_code:
        return True
    found = platform_registry().find(name)
    return found is not None and getattr(found, "code", None) == region_code


def can_report_target(user: Any, tp: Any, target: dict[str, Any]) -> bool:
    """Report ``target`` (a summary row of :attr:`TargetPlan.targets`) of plan ``tp``."""
    acct = account(user)
    if acct is None or not can_view_target_plan(user, tp):
        return False
    if acct.role == ADMIN:
        return True
    if tp.uploaded_by_id is not None and tp.uploaded_by_id == user.pk:
        return True
    if acct.role == COUNTY:
        return _is_county(str(target.get("applies_to") or tp.area), acct.region_code)
    return False


def reportable(user: Any, tp: Any) -> list[dict[str, Any]]:
    """The targets of ``tp`` that ``user`` may report (all but those computed from the published
    results, :func:`cimon.store.programmes.target_plans.reportable`)."""
    from cimon.store.programmes.target_plans import reportable as may_be_reported

    return [t for t in tp.targets if may_be_reported(t) and can_report_target(user, tp, t)]
