"""特派团 (teams, 一县一团) and their five coverages (科技项目、成果转化、科技人才、平台园区、
科普宣传) per year; each write audited (``team.*``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.store import audit
from cimon.store.commissioners.common import (
    CommissionerError,
    check_choice,
    check_code,
    check_text,
    check_year,
    name_of,
)
from cimon.store.commissioners.models import Commissioner, Team, TeamCoverage, TeamMember
from cimon.store.commissioners.names import COVERAGE_AREAS, COVERAGE_STATUSES


@transaction.atomic
def create_team(
    user: Any,
    name: str,
    leader: Commissioner,
    county_code: str,
    year: int,
    members: Iterable[Commissioner] = (),
    *,
    label: str = "",
) -> Team:
    """A 特派团 of a county and year with its leader (a member too) and members."""
    name = check_text(name, "特派团名称", "The team's name", 100)
    county_code = check_code(county_code, 6, "县代码", "The county code")
    check_year(year)
    if Team.objects.filter(county_code=county_code, year=year, name=name).exists():
        raise CommissionerError(
            f"{year} 年该县已有特派团“{name}”。", f"The county has a team '{name}' in {year}."
        )
    now = timezone.now()
    team = Team.objects.create(
        name=name,
        leader=leader,
        county_code=county_code,
        year=year,
        label=label,
        created_at=now,
        created_by=name_of(user),
    )
    people = {leader.pk: leader} | {m.pk: m for m in members}
    TeamMember.objects.bulk_create(
        TeamMember(team=team, commissioner=p, joined_at=now) for p in people.values()
    )
    audit.record(
        user,
        "team.create",
        "team",
        team.pk,
        new={"name": name, "county": county_code, "year": year, "leader": leader.pk},
        members=sorted(people),
    )
    return team


@transaction.atomic
def record_coverage(
    team: Team, user: Any, year: int, area: str, status: str, note: str = ""
) -> TeamCoverage:
    """The status of one of the five coverages of a team in a year; supersedes the previous."""
    check_year(year)
    area = check_choice(area, COVERAGE_AREAS, "覆盖领域", "The coverage area")
    status = check_choice(status, COVERAGE_STATUSES, "覆盖状态", "The coverage status")
    now = timezone.now()
    old = (
        TeamCoverage.objects.select_for_update()
        .filter(team=team, year=year, area=area, superseded_at__isnull=True)
        .first()
    )
    if old is not None:
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
    row = TeamCoverage.objects.create(
        team=team,
        year=year,
        area=area,
        status=status,
        note=note,
        recorded_at=now,
        recorded_by=name_of(user),
    )
    audit.record(
        user,
        "team.coverage",
        "team",
        team.pk,
        old=old.status if old else None,
        new=status,
        area=area,
        year=year,
        note=note,
    )
    return row
