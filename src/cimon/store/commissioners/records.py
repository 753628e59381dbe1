"""What commissioners do, stored (issue #17): service records with evidence files and rating
tokens, ventures, trainings, selection (选认) and the annual assessment.

Nothing is overwritten or deleted. A correction of a service record, venture or training is a
new row that names the row it ``supersedes``; the old row gets ``superseded_at`` and stays (a
partial unique index allows one successor). Workflow columns change in place with an audit
event: a rating token's use, a candidate's decision, an assessment's status. An assessment's
computed score, grade and reasons are written once: a new computation supersedes the row.

Imported by :mod:`.models` (which Django loads), so the foreign keys name models by label.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from cimon.store.commissioners.names import (
    A_DRAFT,
    ASSESSMENT_STATUSES,
    CALL_OPEN,
    CALL_STATUSES,
    CANDIDATE_DECISIONS,
    CURRENT,
    GRADES,
    RECOMMENDED,
    SERVICE_KINDS,
    VENTURE_KINDS,
    VENTURE_ROLES,
    choices,
)

__all__ = [
    "Assessment",
    "Candidate",
    "RatingToken",
    "SelectionCall",
    "ServiceEvidence",
    "ServiceRecord",
    "Training",
    "Venture",
]

_USER = settings.AUTH_USER_MODEL


class ServiceQuerySet(models.QuerySet["ServiceRecord"]):
    def current(self) -> ServiceQuerySet:
        """Records not superseded by a correction."""
        return self.filter(superseded_at__isnull=True)

    def in_year(self, year: int) -> ServiceQuerySet:
        return self.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))

    def in_county(self, county_code: str) -> ServiceQuerySet:
        return self.filter(county_code=county_code)


class ServiceRecord(models.Model):
    """One service a commissioner gave: date, village, kind, people reached, notes.
    ``county_code`` and ``town_code`` are the village code's first 6 and 9 digits."""

    objects = ServiceQuerySet.as_manager()

    commissioner = models.ForeignKey(
        "commissioners.Commissioner", on_delete=models.PROTECT, related_name="services"
    )
    dispatch = models.ForeignKey(
        "commissioners.Dispatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
    date = models.DateField()
    village_code = models.CharField(max_length=12)
    town_code = models.CharField(max_length=12)
    county_code = models.CharField(max_length=12)
    kind = models.CharField(max_length=12, choices=choices(SERVICE_KINDS))
    people_reached = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True, default="")
    label = models.CharField(max_length=32, blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # a county's coverage: the distinct villages served in a year
            models.Index(
                fields=["county_code", "date", "village_code"],
                condition=CURRENT,
                name="comm_service_coverage",
            ),
            # a county's page: does this village have a record in the year (EXISTS per village)
            models.Index(
                fields=["village_code", "date"], condition=CURRENT, name="comm_service_village"
            ),
            # the province's coverage: every county's villages in a year
            models.Index(
                fields=["date", "village_code"], condition=CURRENT, name="comm_service_year"
            ),
            # a commissioner's list, newest first, and the inactivity alert
            models.Index(
                fields=["commissioner", "date"], condition=CURRENT, name="comm_service_person"
            ),
            models.Index(fields=["dispatch"], condition=CURRENT, name="comm_service_dispatch"),
        ]

    def __str__(self) -> str:
        return f"服务记录 #{self.pk} {self.date} {self.village_code}"


class ServiceEvidence(models.Model):
    """A file (a photo, a PDF) attached to a service record, kept under the storage root with a
    generated name (``path`` is relative to ``CIMON_STORAGE_DIR``); the sent name is kept only
    as text. A correction of the record copies these rows (the file stays where it is)."""

    record = models.ForeignKey(ServiceRecord, on_delete=models.PROTECT, related_name="evidence")
    path = models.CharField(max_length=120)
    sent_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["record", "id"]


class RatingToken(models.Model):
    """A one-use code by which a service object rates one service record (满意度 1–5). Only the
    SHA-256 of the code is stored; the code itself is shown once, to the commissioner."""

    record = models.ForeignKey(ServiceRecord, on_delete=models.PROTECT, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.CharField(max_length=150, blank=True, default="")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)  # a new code for the same record
    used_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["record", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(used_at__isnull=False), name="comm_rated_once"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="comm_satisfaction_1_5",
            ),
        ]


class Venture(models.Model):
    """A cooperative or enterprise a commissioner leads, founded or helps (领办/创办/协办), with
    the 利益共同体 arrangement. A correction supersedes."""

    commissioner = models.ForeignKey(
        "commissioners.Commissioner", on_delete=models.PROTECT, related_name="ventures"
    )
    role = models.CharField(max_length=8, choices=choices(VENTURE_ROLES))
    kind = models.CharField(max_length=12, choices=choices(VENTURE_KINDS))
    name = models.CharField(max_length=200)
    registration_code = models.CharField(max_length=18, blank=True, default="")  # 统一社会信用代码
    arrangement = models.TextField(blank=True, default="")  # 利益共同体 (入股、分红、保底收购 …)
    year = models.IntegerField()
    county_code = models.CharField(max_length=12)
    label = models.CharField(max_length=32, blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["commissioner", "year"], name="comm_venture_person"),
            models.Index(fields=["county_code", "year"], name="comm_venture_county"),
        ]


class Training(models.Model):
    """A 三区人才 training: date, county, topic, number of trainees, given by a commissioner or a
    team. A correction supersedes."""

    date = models.DateField()
    county_code = models.CharField(max_length=12)
    topic = models.CharField(max_length=200)
    trainees = models.PositiveIntegerField()
    commissioner = models.ForeignKey(
        "commissioners.Commissioner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    team = models.ForeignKey(
        "commissioners.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    label = models.CharField(max_length=32, blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["county_code", "date"], name="comm_training_county")]
        constraints = [
            models.CheckConstraint(
                condition=Q(commissioner__isnull=False) | Q(team__isnull=False),
                name="comm_training_by",
            )
        ]


class SelectionCall(models.Model):
    """A 选认 call of a year: units recommend candidates, the province approves them, puts the
    list on 公示 and then confirms (the approved candidates become active commissioners)."""

    year = models.IntegerField()
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=choices(CALL_STATUSES), default=CALL_OPEN)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    label = models.CharField(max_length=32, blank=True, default="")
    # the opener's province on an instance hosting several ("" otherwise, #20)
    province = models.CharField(max_length=2, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-year", "-id"]


class Candidate(models.Model):
    """A commissioner (status candidate until confirmed) a unit recommended in a call."""

    call = models.ForeignKey(SelectionCall, on_delete=models.PROTECT, related_name="candidates")
    commissioner = models.ForeignKey(
        "commissioners.Commissioner", on_delete=models.PROTECT, related_name="candidacies"
    )
    unit = models.ForeignKey(
        "commissioners.DispatchUnit", on_delete=models.PROTECT, related_name="candidates"
    )
    decision = models.CharField(
        max_length=12, choices=choices(CANDIDATE_DECISIONS), default=RECOMMENDED
    )
    reason = models.TextField(blank=True, default="")
    recommended_at = models.DateTimeField()
    recommended_by = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["call", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "commissioner"], name="comm_candidate_once")
        ]


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def current(self) -> AssessmentQuerySet:
        return self.filter(superseded_at__isnull=True)


class Assessment(models.Model):
    """One commissioner's annual assessment: the computed score, grade and reasons (frozen with
    the rule set's id and hash), the county's first review, the province's confirmation, the
    公示 and the publication. draft → county_reviewed → confirmed → notice → published."""

    objects = AssessmentQuerySet.as_manager()

    year = models.IntegerField()
    commissioner = models.ForeignKey(
        "commissioners.Commissioner", on_delete=models.PROTECT, related_name="assessments"
    )
    county_code = models.CharField(max_length=12, blank=True, default="")
    score = models.FloatField()
    grade = models.CharField(max_length=12, choices=choices(GRADES))
    reasons = models.JSONField(default=list)  # [{"zh": …, "en": …}, …]
    rules_id = models.CharField(max_length=64, blank=True, default="")
    rules_sha256 = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=16, choices=choices(ASSESSMENT_STATUSES), default=A_DRAFT)
    computed_at = models.DateTimeField()
    computed_by = models.CharField(max_length=150, blank=True, default="")
    county_grade = models.CharField(max_length=12, blank=True, default="", choices=choices(GRADES))
    county_reason = models.TextField(blank=True, default="")
    county_by = models.CharField(max_length=150, blank=True, default="")
    county_at = models.DateTimeField(null=True, blank=True)
    final_grade = models.CharField(max_length=12, blank=True, default="", choices=choices(GRADES))
    final_reason = models.TextField(blank=True, default="")
    confirmed_by = models.CharField(max_length=150, blank=True, default="")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=150, blank=True, default="")
    label = models.CharField(max_length=32, blank=True, default="")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "commissioner_id", "id"]
        indexes = [
            models.Index(fields=["year", "county_code", "status"], name="comm_assess_county"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "commissioner"], condition=CURRENT, name="comm_assess_current"
            )
        ]
