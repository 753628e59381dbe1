"""The 项目库 (issue #18, 需求项目化) and the libraries' state as evidence for I21.

A county clerk (or an administrator) makes a project from a published need of that county:
title, budget (whole 元), term, lead unit and tasks. The project starts as 立项 and moves
立项 → 实施中 → 结题, or 终止 with a reason. Content edits write new versions; each step writes
an audit event (``project.create``, ``project.edit``, ``project.start``, ``project.finish``,
``project.stop``). Who may call what is the web layer's policy
(:mod:`cimon.web.accounts.policy_calls`: the managers of calls manage projects).

:func:`libraries_state` counts, for one county and one year, what its libraries hold; the
创新管理 evidence pages show it beside the I21 (``mgmt_projects``) items as computed evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cimon.store import audit
from cimon.store.libraries.models import (
    PUBLISHED,
    Achievement,
    Contract,
    Match,
    Need,
    TalentProfile,
)
from cimon.store.libraries.project_models import (
    PROJ_STOPPED,
    PROJECT_STATUSES,
    PROJECT_STEPS,
    Project,
    ProjectVersion,
)
from cimon.store.libraries.services import LibraryError, _name

#: the rubric variable of I21 (需求库与项目库建设) in the bundled frameworks
I21_VARIABLE = "mgmt_projects"

PROJECT_FIELDS = ("title", "budget", "starts_on", "ends_on", "lead_unit", "tasks")


def _check(data: dict[str, Any]) -> None:
    if not str(data.get("title") or "").strip():
        raise LibraryError("项目名称（title）不能为空：请填写。", "The project needs a title.")
    budget = data.get("budget")
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        raise LibraryError(
            f"项目经费（budget）须为正整数（元），而不是 {budget!r}：请改正。",
            f"The budget must be a positive whole number of 元, not {budget!r}: correct it.",
        )
    start, end = data.get("starts_on"), data.get("ends_on")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise LibraryError(
            "请填写项目起止日期（starts_on、ends_on，YYYY-MM-DD）。",
            "Give the project's term (starts_on, ends_on, YYYY-MM-DD).",
        )
    if end < start:
        raise LibraryError(
            f"项目结束日期 {end} 早于开始日期 {start}：请改正。",
            f"The project ends ({end}) before it starts ({start}): correct the dates.",
        )
    if not str(data.get("lead_unit") or "").strip():
        raise LibraryError(
            "请填写项目承担单位（lead_unit）。", "Give the project's lead unit (lead_unit)."
        )


def _content(version: ProjectVersion) -> dict[str, Any]:
    return {
        "title": version.title,
        "budget": version.budget,
        "starts_on": version.starts_on.isoformat(),
        "ends_on": version.ends_on.isoformat(),
        "lead_unit": version.lead_unit,
        "tasks": version.tasks,
    }


@transaction.atomic
def create_project(
    need: Need,
    user: Any,
    *,
    title: str,
    budget: int,
    starts_on: dt.date,
    ends_on: dt.date,
    lead_unit: str,
    tasks: str = "",
    label: str = "",
) -> Project:
    """A project (立项) made from a published need; its county is the need's."""
    if need.status != PUBLISHED:
        raise LibraryError(
            f"需求 #{need.pk} 尚未发布：只有已发布的需求才能立项。",
            f"Need #{need.pk} is not published: only a published need becomes a project.",
        )
    data = {"title": title.strip(), "budget": budget, "starts_on": starts_on,
            "ends_on": ends_on, "lead_unit": lead_unit.strip(), "tasks": tasks.strip()}  # fmt: skip
    _check(data)
    now = timezone.now()
    project = Project.objects.create(
        need=need, region_code=need.region_code, owner=user, label=label, created_at=now
    )
    version = ProjectVersion.objects.create(
        project=project, number=1, recorded_at=now, recorded_by=_name(user), **data
    )
    audit.record(user, "project.create", "project", project.pk, new=_content(version), need=need.pk)
    return project


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def edit_project(project: Project, user: Any, **changes: Any) -> ProjectVersion:
    """A new version of a project's content (not once finished or terminated)."""
    project = _locked(project)
    if project.status not in PROJECT_STEPS["stop"][0]:
        zh, en = PROJECT_STATUSES[project.status]
        raise LibraryError(
            f"项目 #{project.pk} 已{zh}，内容不能再修改。",
            f"Project #{project.pk} is {en.lower()}: its content can no longer change.",
        )
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise LibraryError(f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}")
    old = project.current
    data = {f: getattr(old, f) for f in PROJECT_FIELDS} | changes
    _check(data)
    new = ProjectVersion.objects.create(
        project=project, number=old.number + 1, recorded_at=timezone.now(),
        recorded_by=_name(user), **data,
    )  # fmt: skip
    audit.record(user, "project.edit", "project", project.pk, old=_content(old), new=_content(new))
    return new


@transaction.atomic
def step_project(project: Project, user: Any, action: str, reason: str = "") -> Project:
    """``start`` (立项 → 实施中), ``finish`` (实施中 → 结题) or ``stop`` (→ 终止, with a reason)."""
    if action not in PROJECT_STEPS:
        raise LibraryError(f"未知操作：{action!r}", f"Unknown step: {action!r}")
    project = _locked(project)
    allowed, to = PROJECT_STEPS[action]
    if project.status not in allowed:
        zh, en = PROJECT_STATUSES[project.status]
        raise LibraryError(
            f"项目 #{project.pk} 当前状态为“{zh}”，不能执行此操作。",
            f"Project #{project.pk} is {en.lower()}: this step is not allowed.",
        )
    reason = reason.strip()
    if to == PROJ_STOPPED and not reason:
        raise LibraryError(
            "终止项目须填写理由（reason）。", "Give the reason (reason) for terminating it."
        )
    old = project.status
    project.status, project.status_reason = to, reason
    project.save(update_fields=["status", "status_reason"])
    audit.record(user, f"project.{action}", "project", project.pk, old=old, new=to, reason=reason)
    return project


# ---- the libraries' state: computed evidence for I21 ---------------------------------------


@dataclass
class LibrariesState:
    """What one county's libraries hold for one year (computed, not typed)."""

    region_code: str
    year: int
    needs_posted: int = 0  # needs of the county created in the year
    needs_published: int = 0  # of those, published
    projects: dict[str, int] = field(default_factory=dict)  # made in the year, by status
    achievements: int = 0  # published in the year, held in the county
    talent: int = 0  # profiles published in the year, of the county
    matches: int = 0  # recommendations for the county's needs made in the year
    contracts: int = 0  # registered technology contracts signed in the year
    contract_amount: int = 0  # 元

    @property
    def projects_total(self) -> int:
        return sum(self.projects.values())

    @property
    def empty(self) -> bool:
        return not (self.needs_posted or self.projects_total or self.achievements
                    or self.talent or self.matches or self.contracts)  # fmt: skip


def libraries_state(region_code: str, year: int) -> LibrariesState:
    """Count county ``region_code``'s library records of calendar year ``year``."""
    needs = Need.objects.filter(region_code=region_code, created_at__year=year)
    state = LibrariesState(region_code, year)
    state.needs_posted = needs.count()
    state.needs_published = needs.filter(status=PUBLISHED).count()
    made = Project.objects.filter(region_code=region_code, created_at__year=year)
    state.projects = {s: made.filter(status=s).count() for s in PROJECT_STATUSES}
    state.achievements = sum(
        1
        for a in Achievement.objects.filter(status=PUBLISHED, published_at__year=year)
        if a.current.region_code == region_code
    )
    state.talent = sum(
        1
        for t in TalentProfile.objects.filter(status=PUBLISHED, published_at__year=year)
        if t.current.region_code == region_code
    )
    state.matches = Match.objects.filter(
        need__region_code=region_code, created_at__year=year
    ).count()
    contracts = Contract.objects.in_county(region_code).in_year(year)
    state.contracts = contracts.count()
    state.contract_amount = int(contracts.aggregate(s=Sum("amount"))["s"] or 0)
    return state
