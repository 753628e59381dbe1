"""Who may see and do what in the resource libraries (issue #18): needs, achievements, matches,
contracts, list imports, talent, feedback, transfer projects and the libraries dashboard; the
rules of 揭榜挂帅 calls and 成果征集 collections are in :mod:`cimon.web.accounts.policy_calls`.

- **Posting.** County clerks (for their county) and administrators post needs and register
  contracts; every user with a role posts achievements and talent profiles.
- **Reviewing.** A submitted need is published or rejected by administrators and the county
  clerk of its county; they and the need's owner work its matches and judge recommendations.
- **Seeing.** A published need or achievement is seen by every user with a role; a draft only
  by its owner and its reviewers (administrators for achievements).
- **Importing** lists: administrators (every county) and county clerks (their county).
- **The dashboard**: the province sees every county, a county clerk its county, a city bureau
  its counties; experts and users without a role may not.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cimon.store.accounts.models import ADMIN, CITY, COUNTY, DEPARTMENT, EXPERT, VIEWER
from cimon.store.national.hosting import covers, same_member, scoped, scoped_by_code, visible_codes
from cimon.web.accounts.policy import account, city_regions, is_admin, role

#: an owned record's province on an instance hosting several: its owner's
OWNER_PROVINCE = "owner__province_member__province"

# --- resource libraries: needs, achievements, matches, contracts (#18) ------------------------


def can_post_need(user: Any, region_code: str | None = None) -> bool:
    """Post a need: county clerks (for their county) and administrators (``region_code``
    given: for a county of their province on an instance hosting several)."""
    if region_code is not None and not covers(user, region_code):
        return False
    return role(user) in (ADMIN, COUNTY)


def can_post_achievement(user: Any) -> bool:
    """Post an achievement: every user with a role."""
    return role(user) is not None


def can_review_needs(user: Any) -> bool:
    """Open the review queue: administrators and county clerks (their county's needs)."""
    return role(user) in (ADMIN, COUNTY)


def can_review_need(user: Any, need: Any) -> bool:
    """Publish or reject a need: administrators, and the county clerk of the need's county."""
    acct = account(user)
    if acct is None or not covers(user, need.region_code):
        return False
    return acct.role == ADMIN or (acct.role == COUNTY and acct.region_code == need.region_code)


def is_need_owner(user: Any, need: Any) -> bool:
    return getattr(user, "is_authenticated", False) and need.owner_id == user.pk


def needs_to_review(user: Any) -> QuerySet[Any]:
    """The submitted needs the user reviews: all for administrators, the county's for its
    clerk, none otherwise."""
    from cimon.store.libraries.models import SUBMITTED, Need

    qs = Need.objects.filter(status=SUBMITTED)
    acct = account(user)
    if acct is not None and acct.role == ADMIN:
        return scoped_by_code(user, qs)
    if acct is not None and acct.role == COUNTY and acct.region_code:
        return qs.filter(region_code=acct.region_code)
    return qs.none()


def can_view_need(user: Any, need: Any) -> bool:
    """A published need: every user with a role; otherwise only its owner and its reviewers."""
    from cimon.store.libraries.models import PUBLISHED

    if not covers(user, need.region_code):  # another province's (#20)
        return False
    if need.status == PUBLISHED and role(user) is not None:
        return True
    return is_need_owner(user, need) or can_review_need(user, need)


def visible_needs(user: Any) -> QuerySet[Any]:
    """The published needs the lists show ``user``: an account with a role on an instance
    hosting several provinces its province's; everyone else every one (the public page, no
    login: published needs carry no contact)."""
    from cimon.store.libraries.models import Need

    qs = Need.objects.published()
    return qs if role(user) is None else scoped_by_code(user, qs)


def can_work_match(user: Any, need: Any) -> bool:
    """Recommend for a need and move its matches' stages: its owner and its reviewers."""
    return is_need_owner(user, need) or can_review_need(user, need)


def can_view_achievement(user: Any, item: Any) -> bool:
    """A published achievement: every user with a role; a draft: its owner and administrators."""
    from cimon.store.libraries.models import PUBLISHED

    if getattr(user, "is_authenticated", False) and item.owner_id == user.pk:
        return True
    if not same_member(user, item.owner_id):  # another province's owner (#20)
        return False
    return is_admin(user) or (item.status == PUBLISHED and role(user) is not None)


def visible_achievements(user: Any) -> QuerySet[Any]:
    """The published achievements the lists show ``user``: on an instance hosting several
    provinces, to an account with a role those whose owner belongs to its province; everyone
    else (the public page) every one."""
    from cimon.store.libraries.models import Achievement

    qs = Achievement.objects.published()
    return qs if role(user) is None else scoped(user, qs, OWNER_PROVINCE)


def can_register_contract(user: Any, region_code: str | None = None) -> bool:
    """Register a technology contract: administrators, and county clerks for their county
    (``region_code`` None: for some county)."""
    acct = account(user)
    if acct is None or (region_code is not None and not covers(user, region_code)):
        return False
    if acct.role == ADMIN:
        return True
    return acct.role == COUNTY and region_code in (None, acct.region_code)


def visible_contracts(user: Any) -> QuerySet[Any]:
    """The contracts ``user`` sees: administrators every county's (their province's on an
    instance hosting several), a county clerk its county's, nobody else any."""
    from cimon.store.libraries.models import Contract

    acct = account(user)
    qs = Contract.objects.all()
    if acct is not None and acct.role == ADMIN:
        return scoped_by_code(user, qs)
    if acct is not None and acct.role == COUNTY and acct.region_code:
        return qs.filter(region_code=acct.region_code)
    return qs.none()


# --- libraries: list imports, talent, feedback, transfer projects (#18) -----------------------


def library_import_regions(user: Any) -> list[str] | None:
    """The counties whose lists the user may import into the libraries: all (None) for
    administrators, the clerk's county for a county clerk. Others may not import
    (:func:`can_import_library`)."""
    acct = account(user)
    if acct is not None and acct.role == COUNTY:
        return [acct.region_code] if acct.region_code else []
    return _province_codes(user)


def _province_codes(user: Any) -> list[str] | None:
    """None (every county) on a single-province instance; the counties of the user's province
    (of the platform's registry) on a multi-province one."""
    from cimon.store.national.hosting import hosted

    if not hosted():
        return None
    from cimon.store.platform import platform_registry

    return visible_codes(user, platform_registry().codes)


def visible_import_attempts(user: Any) -> QuerySet[Any]:
    """The list imports the user sees: an administrator every one (on an instance hosting
    several provinces, those made by its province's accounts), a county clerk its county's and
    its own."""
    from cimon.store.libraries.models_talent import ImportAttempt

    qs = ImportAttempt.objects.defer("content")
    acct = account(user)
    if acct is None or acct.role not in (ADMIN, COUNTY):
        return qs.none()
    if acct.role == COUNTY:
        codes = [acct.region_code] if acct.region_code else []
        return qs.filter(region_code__in=codes) | qs.filter(user=user)
    return scoped(user, qs, "user__province_member__province")


def can_import_library(user: Any) -> bool:
    """Import lists of needs, achievements and contracts: administrators and county clerks."""
    return role(user) in (ADMIN, COUNTY)


def can_post_talent(user: Any) -> bool:
    """Post a talent profile: every user with a role."""
    return role(user) is not None


def can_publish_talent(user: Any, profile: Any) -> bool:
    """Publish a talent profile: its owner and administrators (of its owner's province)."""
    if getattr(user, "is_authenticated", False) and profile.owner_id == user.pk:
        return True
    return is_admin(user) and same_member(user, profile.owner_id)


def visible_talent(user: Any) -> QuerySet[Any]:
    """The published talent profiles the list shows ``user`` (as :func:`visible_achievements`:
    an account with a role its province's on an instance hosting several; the public page all)."""
    from cimon.store.libraries.models_talent import TALENT_PUBLISHED, TalentProfile

    qs = TalentProfile.objects.filter(status=TALENT_PUBLISHED)
    return qs if role(user) is None else scoped(user, qs, OWNER_PROVINCE)


def can_judge_match(user: Any, need: Any) -> bool:
    """Accept or reject a recommendation, mark a match a completed transfer project: the need's
    owner and its county (the clerk of its county, administrators)."""
    return can_work_match(user, need)


# --- the libraries dashboard: supply and demand, match funnel, contracts (#18) ---------------


def can_view_library_stats(user: Any) -> bool:
    """The libraries dashboard: the province (administrators, department clerks, viewers) for
    every county, a county clerk for its county, a city bureau for its counties (read-only, as
    everyone); experts and users without a role may not."""
    return role(user) in (ADMIN, DEPARTMENT, VIEWER, COUNTY, CITY)


def library_stats_regions(user: Any, registry: Any) -> list[str] | None:
    """The counties whose library figures ``user`` sees: None (all) for the province, the
    clerk's county, a city bureau's counties; [] for everyone else."""
    acct = account(user)
    if acct is None or acct.role == EXPERT:
        return []
    if acct.role == COUNTY:
        return [acct.region_code] if acct.region_code else []
    if acct.role == CITY:
        return city_regions(user, registry)
    return None if not _hosts_several() else visible_codes(user, registry.codes)


def _hosts_several() -> bool:
    from cimon.store.national.hosting import hosted

    return bool(hosted())
