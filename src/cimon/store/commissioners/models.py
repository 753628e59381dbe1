"""What is stored of the 科技特派员 (issue #17): people, teams and dispatches.

Nothing is overwritten or deleted. Content is versioned: a commissioner's profile is a chain of
:class:`CommissionerVersion` rows (the latest ``number`` is current, and the current one has no
``superseded_at``); a team's coverage, a unit's rating, the confirmed service days and the
tasks done are append-only rows of which the one without ``superseded_at`` is current. Only
workflow columns change in place (a commissioner's ``status``, a dispatch's ``status``), each
change in the audit log. Service records, evidence, rating tokens, ventures, trainings, selection and the assessment
are in :mod:`.records`.

Codes are plain strings: a county is its 6-digit GB/T 2260 code, a town (乡镇) and a village
(行政村) their 9- and 12-digit statistical codes (the village registry gives the names).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cimon.store.commissioners.names import (
    ACCEPTED,
    ACTIVE,
    CANDIDATE,
    COMMISSIONER_KINDS,
    COMMISSIONER_STATUSES,
    COVERAGE_AREAS,
    COVERAGE_STATUSES,
    CURRENT,
    DISPATCH_STATUSES,
    GENDERS,
    INDIVIDUAL,
    OBJECT_KINDS,
    PROPOSED,
    RATINGS,
    UNIT_KINDS,
    choices,
)


class DispatchUnit(models.Model):
    """A 派出单位: the university, institute, enterprise or agency a commissioner comes from."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=12, choices=choices(UNIT_KINDS), default="other")
    region_code = models.CharField(max_length=12, blank=True, default="")
    label = models.CharField(max_length=32, blank=True, default="")  # 模拟数据 for demo data
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommissionerQuerySet(models.QuerySet["Commissioner"]):
    def active(self) -> CommissionerQuerySet:
        return self.filter(status=ACTIVE)

    def of_unit(self, unit_id: int) -> CommissionerQuerySet:
        return self.filter(unit_id=unit_id)

    def with_profile(self) -> CommissionerQuerySet:
        """Each with its current profile's name, institution and expertise (one join)."""
        return self.filter(versions__superseded_at__isnull=True).annotate(
            name=models.F("versions__name"),
            institution=models.F("versions__institution"),
            expertise=models.F("versions__expertise"),
        )


class Commissioner(models.Model):
    """A 科技特派员 (a person, or a legal entity); the profile is in :class:`CommissionerVersion`."""

    objects = CommissionerQuerySet.as_manager()

    kind = models.CharField(max_length=12, choices=choices(COMMISSIONER_KINDS), default=INDIVIDUAL)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissioner",
    )
    unit = models.ForeignKey(
        DispatchUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    status = models.CharField(
        max_length=12, choices=choices(COMMISSIONER_STATUSES), default=CANDIDATE
    )
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "id"], name="comm_status"),
            models.Index(fields=["unit", "status"], name="comm_unit"),
        ]

    def __str__(self) -> str:
        return f"特派员 #{self.pk} ({self.status})"

    @property
    def current(self) -> CommissionerVersion:
        """The latest version of the profile."""
        version = self.versions.order_by("-number").first()
        assert version is not None, "a commissioner always has a profile"
        return version


class CommissionerVersion(models.Model):
    """One version of a commissioner's profile. No national ID number is ever stored."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    gender = models.CharField(max_length=1, blank=True, default="", choices=choices(GENDERS))
    institution = models.CharField(max_length=200, blank=True, default="")
    title = models.CharField(max_length=100, blank=True, default="")  # 职称
    expertise = models.CharField(max_length=8, blank=True, default="")  # GB/T 13745 code
    expertise_text = models.CharField(max_length=200, blank=True, default="")  # 服务领域
    phone = models.CharField(max_length=32, blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commissioner", "number"]
        constraints = [
            models.UniqueConstraint(fields=["commissioner", "number"], name="comm_version_unique"),
            models.UniqueConstraint(
                fields=["commissioner"], condition=CURRENT, name="comm_version_one_current"
            ),
        ]


class Team(models.Model):
    """A 特派团 of one county and year (一县一团), with a leader and members."""

    name = models.CharField(max_length=100)
    leader = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="led_teams")
    county_code = models.CharField(max_length=12)
    year = models.IntegerField()
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["year", "county_code", "name"]
        indexes = [models.Index(fields=["county_code", "year"], name="comm_team_county")]
        constraints = [
            models.UniqueConstraint(fields=["county_code", "year", "name"], name="comm_team_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.county_code} {self.year})"


class TeamMember(models.Model):
    """A commissioner in a team from ``joined_at``; ``left_at`` ends it (the row stays)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="memberships"
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["team", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "commissioner"],
                condition=Q(left_at__isnull=True),
                name="comm_member_once",
            )
        ]


class TeamCoverage(models.Model):
    """One of the five coverages of a team in a year: its status and the evidence note. A new
    row supersedes the previous one of the same team, year and area."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="coverages")
    year = models.IntegerField()
    area = models.CharField(max_length=12, choices=choices(COVERAGE_AREAS))
    status = models.CharField(max_length=12, choices=choices(COVERAGE_STATUSES))
    note = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["team", "year", "area", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "area"], condition=CURRENT, name="comm_coverage_current"
            )
        ]


class DispatchQuerySet(models.QuerySet["Dispatch"]):
    def in_county(self, county_code: str) -> DispatchQuerySet:
        return self.filter(county_code=county_code)

    def running(self) -> DispatchQuerySet:
        return self.filter(status=ACCEPTED)


class Dispatch(models.Model):
    """A 三方协议: the commissioner, its unit and the service object, with term and tasks.
    proposed → accepted by the county (or declined) → ended."""

    objects = DispatchQuerySet.as_manager()

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="dispatches"
    )
    unit = models.ForeignKey(
        DispatchUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="dispatches"
    )
    object_name = models.CharField(max_length=200)
    object_kind = models.CharField(max_length=12, choices=choices(OBJECT_KINDS))
    county_code = models.CharField(max_length=12)
    town_code = models.CharField(max_length=12, blank=True, default="")
    village_code = models.CharField(max_length=12, blank=True, default="")
    start_on = models.DateField()
    end_on = models.DateField()
    tasks = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=choices(DISPATCH_STATUSES), default=PROPOSED)
    label = models.CharField(max_length=32, blank=True, default="")
    proposed_at = models.DateTimeField()
    proposed_by = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=150, blank=True, default="")
    end_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["county_code", "status"], name="comm_dispatch_county"),
            models.Index(fields=["commissioner", "start_on"], name="comm_dispatch_person"),
            models.Index(fields=["status", "end_on"], name="comm_dispatch_ending"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=models.F("start_on")), name="comm_dispatch_term"
            )
        ]

    def __str__(self) -> str:
        return f"派遣 #{self.pk} ({self.status})"


class ServiceDays(models.Model):
    """The service days of a dispatch in a year, as its unit confirms them (a new confirmation
    supersedes the previous one)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="days")
    year = models.IntegerField()
    days = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dispatch", "year", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "year"], condition=CURRENT, name="comm_days_current"
            )
        ]


class TaskStatus(models.Model):
    """Whether task ``task_index`` (0-based, of :attr:`Dispatch.tasks`) of a dispatch is done in
    a year, as its county records it, with a note. A new row supersedes the previous one of the
    same dispatch, year and task; the old rows are kept."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="task_rows")
    year = models.IntegerField()
    task_index = models.PositiveSmallIntegerField()
    done = models.BooleanField()
    note = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dispatch", "year", "task_index", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "year", "task_index"],
                condition=CURRENT,
                name="comm_task_current",
            )
        ]


class UnitRating(models.Model):
    """A unit's rating of one of its commissioners for a year (优秀/良好/合格/不合格)."""

    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="unit_ratings"
    )
    unit = models.ForeignKey(DispatchUnit, on_delete=models.PROTECT, related_name="ratings")
    year = models.IntegerField()
    rating = models.CharField(max_length=12, choices=choices(RATINGS))
    note = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commissioner", "year", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commissioner", "year"], condition=CURRENT, name="comm_rating_current"
            )
        ]


# the other tables, defined in .records so that this module stays short
from cimon.store.commissioners.records import (  # noqa: E402
    Assessment,
    Candidate,
    RatingToken,
    SelectionCall,
    ServiceEvidence,
    ServiceRecord,
    Training,
    Venture,
)

__all__ = [
    "Assessment",
    "Candidate",
    "Commissioner",
    "CommissionerVersion",
    "Dispatch",
    "DispatchUnit",
    "RatingToken",
    "SelectionCall",
    "ServiceDays",
    "ServiceEvidence",
    "ServiceRecord",
    "TaskStatus",
    "Team",
    "TeamCoverage",
    "TeamMember",
    "Training",
    "UnitRating",
    "Venture",
]
