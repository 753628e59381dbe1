"""Who may see and do what: the object-level decisions of the web platform, and the base helpers
(:func:`account`, :func:`role`, :func:`is_admin`, :func:`assigned_regions`, :func:`city_regions`,
:func:`own_city`) every area's rules build on.

This module holds the rules of submissions, evaluations and published results, the structured
evidence, the registries and the entry points to the 科技特派员 rules (which live in
:mod:`cimon.store.commissioners.policy`). The other areas have a module each, which imports the
base helpers from here (this module never imports them, so there is no import circle):

- :mod:`cimon.web.accounts.policy_libraries`: the resource libraries (needs, achievements,
  matches, contracts, list imports, talent, feedback, transfer projects) and their dashboard;
- :mod:`cimon.web.accounts.policy_calls`: 揭榜挂帅 calls and 成果征集 collections;
- :mod:`cimon.web.accounts.policy_programmes`: the programmes (application to acceptance) and
  the case library of 典型经验;
- :mod:`cimon.web.accounts.policy_plans`: uploaded plans and their targets.

Views never test roles themselves: they call one of these functions with the object at hand
(a submission, a county, a year) and answer 404 when the user may not see it (so that probing
ids tells nothing) or 403 when the user may see it but not do this to it. The querysets
(:func:`visible_submissions`) and the predicates (:func:`can_view_submission`) say the same
thing; a test checks they agree on every submission.

A user who is anonymous, inactive or has no :class:`~cimon.store.accounts.models.Account` has no
role and may do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cimon.intake.submission import ParsedSubmission
from cimon.model.framework import Framework
from cimon.model.regions import COUNTY_DEPARTMENT
from cimon.store.accounts.models import (
    ADMIN,
    CITY,
    COUNTY,
    DEPARTMENT,
    EXPERT,
    VIEWER,
    Account,
    ExpertAssignment,
)
from cimon.store.submissions.models import DRAFT, Submission


def account(user: Any) -> Account | None:
    """The user's account, or None for anonymous, inactive or role-less users."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        acct: Account = user.account
    except Account.DoesNotExist:
        return None
    return acct


def role(user: Any) -> str | None:
    acct = account(user)
    return acct.role if acct is not None else None


def is_admin(user: Any) -> bool:
    return role(user) == ADMIN


def assigned_regions(user: Any) -> list[str]:
    """The counties an expert scores (empty for everyone else)."""
    if role(user) != EXPERT:
        return []
    return list(ExpertAssignment.objects.filter(expert=user).values_list("region_code", flat=True))


def city_regions(user: Any, registry: Any) -> list[str]:
    """The counties a city bureau guides: those of its 设区市 in ``registry`` (empty for
    everyone else, and for a city bureau whose city the registry does not know)."""
    acct = account(user)
    if acct is None or acct.role != CITY or not acct.city:
        return []
    return [r.code for r in registry if r.city == acct.city]


def own_city(user: Any) -> str:
    """The 设区市 of a city bureau ("" for everyone else)."""
    acct = account(user)
    return acct.city if acct is not None and acct.role == CITY else ""


# --- submissions ------------------------------------------------------------------------------


def visible_submissions(user: Any) -> QuerySet[Submission]:
    """The submissions ``user`` may see: an admin all; a department clerk its department's
    workbooks and whatever it uploaded itself; a county clerk its county's self-assessments and
    its own uploads; an expert its own scoring sheets; a viewer none."""
    return Submission.objects.defer("content").visible_to(account(user))


def can_view_submission(user: Any, sub: Submission) -> bool:
    """May ``user`` see this submission (its report, its cells, its file)?"""
    acct = account(user)
    if acct is None or acct.role == VIEWER:
        return False
    if acct.role == ADMIN or (sub.user_id is not None and sub.user_id == user.pk):
        return True
    if acct.role == DEPARTMENT:
        return sub.kind == "department" and sub.department == acct.department != ""
    if acct.role == COUNTY:
        return sub.kind == "county" and sub.region_code == acct.region_code != ""
    return False


def can_acknowledge(user: Any, sub: Submission) -> bool:
    """May ``user`` acknowledge the warnings of this draft (and so store its values)? Whoever
    may submit such a file: the uploader or a clerk of the same department or county; an admin."""
    return sub.status == DRAFT and can_view_submission(user, sub) and can_submit(user)


def can_submit(user: Any) -> bool:
    """Does the user submit files at all (clerks and experts; the admin on anyone's behalf)?"""
    return role(user) in (ADMIN, DEPARTMENT, COUNTY, EXPERT)


@dataclass(frozen=True)
class Scope:
    """What one user may submit: a template kind and the department, county or expert name."""

    kind: str  # department | county | expert | any (admin) | city (board only)
    department: str = ""
    region_code: str = ""
    expert: str = ""
    regions: tuple[str, ...] = ()  # an expert's assigned counties


def submission_scope(user: Any) -> Scope | None:
    acct = account(user)
    if acct is None or acct.role in (VIEWER, CITY):  # city bureaus guide, they do not submit
        return None
    if acct.role == ADMIN:
        return Scope("any")
    if acct.role == DEPARTMENT:
        return Scope("department", department=acct.department)
    if acct.role == COUNTY:
        return Scope("county", department=COUNTY_DEPARTMENT, region_code=acct.region_code)
    if acct.role != EXPERT:  # 科技特派员 and 派出单位 (#17) submit no template
        return None
    return Scope(
        "expert",
        expert=acct.display_name or user.get_username(),
        regions=tuple(sorted(assigned_regions(user))),
    )


def check_upload(user: Any, parsed: ParsedSubmission, framework: Framework) -> None:
    """Add an error to ``parsed.report`` for everything in the file outside the user's scope.

    Whatever the template says, a department clerk may only bring its own department's
    variables, a county clerk only its own county's self-assessment, an expert only scores for
    its assigned counties under its own name. The file is then stored as rejected (nothing of
    it is used) and the report says what to do.
    """
    scope = submission_scope(user)
    report = parsed.report
    if scope is None:
        report.add(
            "template.department",
            "您的账户不能报送数据。",
            "Your account may not submit data.",
            "如需报送，请联系省级管理员分配角色。",
            "Ask the provincial administrator for a role that submits data.",
        )
        return
    if scope.kind == "any":
        return
    owners = {v.code: v.department for v in framework.variables}
    kind_ok = {
        "department": ("department", "freeform"),
        "county": ("county",),
        "expert": ("expert",),
    }[scope.kind]
    if parsed.kind not in kind_ok:
        zh, en = _kind_names(scope)
        report.add(
            "template.department",
            f"这不是{zh}，您只能提交{zh}。",
            f"This is not {en}; you may only submit {en}.",
            "请在“数据报送”页面下载您的模板，填写后上传。",
            "Download your template from the Submissions page, fill it in and upload it.",
        )
        return
    if scope.kind == "department":
        foreign = sorted(
            {r.variable for r in parsed.records if owners.get(r.variable) != scope.department}
        )
        if foreign:
            report.add(
                "template.department",
                f"文件中有不属于{scope.department}报送的变量：{'、'.join(foreign)}。",
                f"The file holds variables {scope.department} does not supply: {', '.join(foreign)}.",
                f"只填写{scope.department}的模板中的变量。",
                f"Only fill in the variables of the {scope.department} template.",
                variable=foreign[0],
            )
    elif scope.kind == "county":
        regions = {c.region_code for c in parsed.claims} | {parsed.region_code}
        if regions - {scope.region_code} or parsed.records:
            report.add(
                "region.wrong",
                "这不是本县（市、区）的自评表。",
                "This is not your county's self-assessment.",
                "请在“数据报送”页面下载本县的自评模板，填写后上传。",
                "Download your county's self-assessment template, fill it in and upload it.",
                region=scope.region_code,
            )
    else:
        outside = sorted({r.region_code for r in parsed.records} - set(scope.regions))
        names = {r.expert for r in parsed.records}
        if outside:
            report.add(
                "region.wrong",
                f"评分表中有未分配给您的县（市、区）：{'、'.join(outside)}。",
                f"The sheet scores counties not assigned to you: {', '.join(outside)}.",
                "请只为分配给您的县评分（下载的模板只列出这些县）。",
                "Score only the counties assigned to you (the downloaded template lists them).",
                region=outside[0],
            )
        if names - {scope.expert}:
            report.add(
                "expert.unknown",
                f"评分表中的专家姓名与您的账户（{scope.expert}）不符。",
                f"The expert named in the sheet is not you ({scope.expert}).",
                "请在 B2 单元格填写您自己的姓名。",
                "Enter your own name in cell B2.",
                severity="error",
                sheet="专家评分",
                cell="B2",
            )


def _kind_names(scope: Scope) -> tuple[str, str]:
    if scope.kind == "department":
        return f"{scope.department}的报送表", f"a {scope.department} workbook"
    if scope.kind == "county":
        return "本县的自评表", "your county's self-assessment"
    return "专家评分表", "an expert scoring sheet"


# --- everything else --------------------------------------------------------------------------


def can_view_status(user: Any) -> bool:
    """The status board (who has and has not submitted): admins and clerks (each its part), and
    city bureaus (their counties, read-only)."""
    return role(user) in (ADMIN, DEPARTMENT, COUNTY, CITY)


def can_manage(user: Any) -> bool:
    """Deadlines, users, the audit log: provincial administrators only."""
    return is_admin(user)


# --- evaluations and published results --------------------------------------------------------


def can_run_evaluations(user: Any) -> bool:
    """Run, review, put on notice, record objections, publish: provincial administrators."""
    return is_admin(user)


PUBLICATION_PROVINCE = "evaluation__province_tag__province"


def visible_evaluations(user: Any) -> QuerySet[Any]:
    """The evaluation runs ``user`` may see (as :func:`can_view_evaluation` says of one)."""
    from cimon.store.evaluations.models import Evaluation
    from cimon.store.national.hosting import scoped

    return scoped(user, Evaluation.objects.all()) if is_admin(user) else Evaluation.objects.none()


def can_view_evaluation(user: Any, evaluation: Any) -> bool:
    """An unpublished evaluation (any status) is seen by administrators only (of its province,
    on an instance hosting several: :mod:`cimon.store.national.hosting`)."""
    from cimon.store.national.hosting import same_province

    return is_admin(user) and same_province(user, evaluation)


def can_view_publication(user: Any, publication: Any) -> bool:
    """The current published version is seen by every user with a role; a superseded version
    by administrators only."""
    if role(user) is None:
        return False
    from cimon.store.national.hosting import hosted, same_province  # several provinces (#20)

    if hosted() and not same_province(user, publication.evaluation):
        return False
    return publication.superseded_at is None or is_admin(user)


def visible_publications(user: Any) -> QuerySet[Any]:
    """The published versions ``user`` may see (as :func:`can_view_publication` says of one)."""
    from cimon.store.evaluations.models import Publication
    from cimon.store.national.hosting import scoped

    return scoped(user, Publication.objects.visible_to(account(user)), PUBLICATION_PROVINCE)


def can_view_dashboard(user: Any) -> bool:
    """The dashboard (charts of published results, incentives, downloads): every user with a
    role; which versions it shows is :func:`can_view_publication`'s (unpublished years: none)."""
    return role(user) is not None


# --- structured 创新管理 evidence (issue #16 item 4) ---------------------------------------


def can_use_evidence(user: Any) -> bool:
    """The evidence pages at all: counties (their items), experts (their queue), admins."""
    return role(user) in (ADMIN, COUNTY, EXPERT)


def can_view_item(user: Any, item: Any) -> bool:
    """An item is seen by an admin, its county's clerks, and the experts who may score it
    (assigned, with no declared tie to the county)."""
    from cimon.store.evidence.services import may_score

    acct = account(user)
    if acct is None:
        return False
    if acct.role == ADMIN:
        return True
    if acct.role == COUNTY:
        return item.region_code == acct.region_code != ""
    if acct.role == EXPERT:
        return may_score(user, item.region_code)
    return False


def visible_items(user: Any) -> QuerySet[Any]:
    """The items ``user`` may see (as :func:`can_view_item` says of one)."""
    from cimon.store.evidence.models import Conflict, Item

    acct = account(user)
    qs = Item.objects.all()
    if acct is None or acct.role not in (ADMIN, COUNTY, EXPERT):
        return qs.none()
    if acct.role == ADMIN:
        return qs
    if acct.role == COUNTY:
        return qs.filter(region_code=acct.region_code) if acct.region_code else qs.none()
    tied = Conflict.objects.filter(expert=user).values_list("region_code", flat=True)
    return qs.filter(region_code__in=assigned_regions(user)).exclude(region_code__in=tied)


def can_edit_item(user: Any, item: Any) -> bool:
    """Submit a new version or answer a question: the clerks of the item's county."""
    acct = account(user)
    return acct is not None and acct.role == COUNTY and item.region_code == acct.region_code != ""


def can_submit_items(user: Any) -> bool:
    """Enter new items: county clerks (for their own county)."""
    acct = account(user)
    return acct is not None and acct.role == COUNTY and acct.region_code != ""


def can_score_item(user: Any, item: Any) -> bool:
    """Return for clarification and score: an expert assigned the county, with no tie to it."""
    return role(user) == EXPERT and can_view_item(user, item)


def can_view_item_scores(user: Any, region_code: str, published: bool) -> bool:
    """Item scores and the guide's reasons: an admin always; a county's clerks once the
    evaluation that uses the year is published."""
    acct = account(user)
    if acct is None:
        return False
    if acct.role == ADMIN:
        return True
    return acct.role == COUNTY and region_code == acct.region_code != "" and published


# --- registries of enterprises and carriers (#16) ----------------------------------------------


def can_view_registry(user: Any) -> bool:
    """The registries (official lists, public by nature) and the records behind a count:
    every user with a role."""
    return role(user) is not None


def can_import_registry(user: Any) -> bool:
    """Upload a list, see the imports and settle their review items: administrators and
    department clerks (the 科技厅 keeps the lists)."""
    return role(user) in (ADMIN, DEPARTMENT)


def visible_list_imports(user: Any) -> QuerySet[Any]:
    """The uploaded lists ``user`` may review: all for those who import (on an instance hosting
    several provinces, those imported by accounts of the user's province)."""
    from cimon.store.national.hosting import scoped
    from cimon.store.registry.models import ListImport

    qs = ListImport.objects.defer("content")
    if not can_import_registry(user):
        return qs.none()
    return scoped(user, qs, "user_account__province_member__province")


def can_view_list_import(user: Any, list_import: Any) -> bool:
    """As :func:`visible_list_imports` says of one list."""
    from cimon.store.national.hosting import same_member

    return can_import_registry(user) and same_member(user, list_import.user_account_id)


def registry_counties(user: Any, codes: Any) -> list[str]:
    """The counties of ``codes`` whose registry records ``user`` sees (all of them on a
    single-province instance, the user's province's on a multi-province one)."""
    from cimon.store.national.hosting import visible_codes

    return visible_codes(user, codes) if can_view_registry(user) else []


def can_view_derived(user: Any, evaluation_id: int) -> bool:
    """The records behind a derived value of an evaluation run: administrators always; every
    other role when a version it may see was published from that run."""
    if is_admin(user):
        from cimon.store.evaluations.models import Evaluation

        ev = Evaluation.objects.filter(pk=evaluation_id).only("pk").first()
        return ev is not None and can_view_evaluation(user, ev)
    return visible_publications(user).filter(evaluation_id=evaluation_id).exists()


# --- 科技特派员 (#17): the rules live in cimon.store.commissioners.policy ---------------------


def commissioner_records(user: Any, kind: str) -> QuerySet[Any]:
    """The commissioners' records of ``kind`` the user sees (see the store's policy)."""
    from cimon.store.commissioners import policy as commissioners

    return commissioners.visible(user, kind)


def can_view_commissioner_record(user: Any, obj: Any) -> bool:
    from cimon.store.commissioners import policy as commissioners

    return commissioners.can_view(user, obj)


def commissioner_actions(user: Any, obj: Any) -> frozenset[str]:
    from cimon.store.commissioners import policy as commissioners

    return commissioners.actions(user, obj)
