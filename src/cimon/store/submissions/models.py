"""What is stored: every submitted file verbatim, the values it brought, their versions, the audit log.

Nothing is ever updated in place except the two version columns (``superseded_at`` and
``superseded_by``) and a submission's ``status``, and nothing is deleted. A value is *current* while
``superseded_at`` is NULL; the panel as of a moment ``t`` is every observation with
``recorded_at <= t`` and (``superseded_at`` NULL or ``> t``). At most one current observation exists
per (region, data year, variable, expert): a partial unique index says so, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from cimon.store.accounts.models import ADMIN, COUNTY, DEPARTMENT, VIEWER

if TYPE_CHECKING:
    from cimon.intake.report import ValidationReport
    from cimon.store.accounts.models import Account

#: the status of a submission
DRAFT = "draft"  # read without errors, but its warnings were not acknowledged: not used
ACCEPTED = "accepted"  # its values are in use (some may since have been superseded)
SUPERSEDED = "superseded"  # every one of its values has been replaced by a newer submission
REJECTED = "rejected"  # had errors: kept with its report, no values stored
STATUSES = (DRAFT, ACCEPTED, SUPERSEDED, REJECTED)


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def current(self, data_year: int | None = None) -> SubmissionQuerySet:
        """Submissions whose values are (at least partly) in use, of ``data_year`` if given."""
        qs = self.filter(status=ACCEPTED)
        return qs if data_year is None else qs.filter(data_year=data_year)

    def visible_to(self, account: Account | None) -> SubmissionQuerySet:
        """The submissions the holder of ``account`` sees: an admin all; a department clerk its
        department's workbooks and its own uploads; a county clerk its county's
        self-assessments and its own uploads; an expert its own; a viewer or no account none.
        (Whether a user's account counts at all is the web policy's decision.)"""
        if account is None or account.role == VIEWER:
            return self.none()
        if account.role == ADMIN:
            return self
        own = Q(user_id=account.user_id)
        if account.role == DEPARTMENT:
            return self.filter(own | Q(kind="department", department=account.department))
        if account.role == COUNTY:
            return self.filter(own | Q(kind="county", region_code=account.region_code))
        return self.filter(own)  # experts


class ObservationQuerySet(models.QuerySet["Observation"]):
    def current(self) -> ObservationQuerySet:
        """The values in use now (not superseded)."""
        return self.filter(superseded_at__isnull=True)


class Submission(models.Model):
    """One submitted file, kept byte for byte with its validation report."""

    objects = SubmissionQuerySet.as_manager()

    STATUS_CHOICES = [
        (DRAFT, "草稿（警告未确认） / draft"),
        (ACCEPTED, "已接受 / accepted"),
        (SUPERSEDED, "已被替代 / superseded"),
        (REJECTED, "已拒绝 / rejected"),
    ]

    file_name = models.CharField(max_length=255)
    content = models.BinaryField()  # the file verbatim: works the same on SQLite and PostgreSQL
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    kind = models.CharField(max_length=16)  # department | county | expert | combined | freeform
    department = models.CharField(max_length=32, blank=True, default="")
    region_code = models.CharField(max_length=12, blank=True, default="")
    expert = models.CharField(max_length=100, blank=True, default="")
    evaluation_year = models.IntegerField(null=True)
    data_year = models.IntegerField(null=True)
    framework_id = models.CharField(max_length=100, blank=True, default="")
    framework_version = models.CharField(max_length=50, blank=True, default="")
    framework_hash = models.CharField(max_length=64, blank=True, default="")
    template_version = models.CharField(max_length=50, blank=True, default="")
    submitted_by = models.CharField(max_length=150, blank=True, default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, db_index=True)
    report = models.JSONField(default=dict)  # ValidationReport.to_json(), parsed
    warnings_accepted = models.BooleanField(default=False)
    superseded_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["data_year", "department"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} ({self.status})"

    def validation_report(self) -> ValidationReport:
        """The stored :class:`~cimon.intake.report.ValidationReport`."""
        import json

        from cimon.intake.report import ValidationReport

        return ValidationReport.from_json(json.dumps(self.report, ensure_ascii=False))


class Observation(models.Model):
    """One value of one county's variable in one data year, as a submission reported it.

    ``value`` is the float as parsed (stored as IEEE double: REAL on SQLite, double precision on
    PostgreSQL, bit for bit; −0.0 is stored as 0.0, since SQLite cannot keep the sign of zero) and
    NULL when the submission said the value is missing.
    """

    objects = ObservationQuerySet.as_manager()

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="observations"
    )
    region_code = models.CharField(max_length=12)
    year = models.IntegerField()  # data year
    variable = models.CharField(max_length=64)
    expert = models.CharField(max_length=100, blank=True, default="")  # rubric scores only
    value = models.FloatField(null=True)
    status = models.CharField(max_length=12, default="reported")  # reported | missing
    sheet = models.CharField(max_length=100, blank=True, default="")
    cell = models.CharField(max_length=20, blank=True, default="")
    raw = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_observations",
    )

    class Meta:
        ordering = ["year", "variable", "region_code", "expert", "recorded_at"]
        indexes = [
            models.Index(fields=["region_code", "variable", "year"], name="obs_history"),
            models.Index(fields=["recorded_at", "superseded_at"], name="obs_as_of"),
            # the status board's counts: the current values of a data year (#20)
            models.Index(
                fields=["year", "variable", "region_code"],
                condition=Q(superseded_at__isnull=True),
                name="obs_current_year",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "year", "variable", "expert"],
                condition=Q(superseded_at__isnull=True),
                name="obs_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year} {self.variable}={self.value}"


class Claim(models.Model):
    """A county's self-assessment of a qualitative 创新管理 item (score, statement, evidence)."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="claims")
    region_code = models.CharField(max_length=12)
    year = models.IntegerField()
    variable = models.CharField(max_length=64)
    score = models.FloatField(null=True)
    statement = models.TextField(blank=True, default="")
    evidence = models.JSONField(default=list)  # file names as listed in the sheet
    cell = models.CharField(max_length=20, blank=True, default="")
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        Submission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_claims",
    )

    class Meta:
        ordering = ["year", "variable", "region_code", "recorded_at"]
        indexes = [
            models.Index(fields=["region_code", "variable", "year"], name="claim_history"),
            # the status board: which units have a current self-assessment of a data year (#20)
            models.Index(
                fields=["year", "region_code"],
                condition=Q(superseded_at__isnull=True),
                name="claim_current_year",
            ),
        ]


class EvidenceFile(models.Model):
    """An evidence file (佐证材料) a self-assessment lists, kept verbatim."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="evidence")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)


class AuditEvent(models.Model):
    """Who did what, when, to which object. Written in the same transaction as the change."""

    at = models.DateTimeField(db_index=True)
    user = models.CharField(max_length=150, blank=True, default="")
    user_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(max_length=50)  # import.accepted | import.rejected | import.draft
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.user} {self.action} {self.object_type}#{self.object_id}"


class Deadline(models.Model):
    """When a supplying department (or, as ``县``, every county) must have submitted the data of
    an evaluation year. The status board counts down to it and flags who is late."""

    evaluation_year = models.IntegerField()
    department = models.CharField(max_length=32)  # a framework department, or 县 for counties
    due = models.DateField()
    note = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["evaluation_year", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation_year", "department"], name="one_deadline_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_year} {self.department} {self.due}"
