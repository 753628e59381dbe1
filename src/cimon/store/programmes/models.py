"""What is stored of programmes. Nothing is overwritten or deleted.

A :class:`Programme` (创新型县(市) …) has :class:`Batch` es; a county (or a town or village through
its county) files an :class:`Application` whose construction plan is kept as :class:`PlanVersion`
rows (an edit writes a new version and supersedes the old; one current version per application).
Experts' :class:`ReviewScore` s are kept (a new score by the same expert supersedes the old).
A :class:`ProgressReport` is one yearly value of one target, with its evidence file and SHA-256
(a correction supersedes). An :class:`Acceptance` holds the self-summary, the completion computed
from stored data and the review result. A :class:`Case` is one 典型经验 of the case library.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

#: application statuses, in workflow order: code → (中文, English)
STATUSES: dict[str, tuple[str, str]] = {
    "draft": ("草稿", "draft"),
    "submitted": ("已提交", "submitted"),
    "eligible": ("符合条件", "eligible"),
    "ineligible": ("不符合条件", "ineligible"),
    "reviewed": ("已评审", "reviewed"),
    "notice": ("公示中", "on notice"),
    "designated": ("已命名", "designated"),
    "rejected": ("未通过", "rejected"),
}
#: acceptance results
RESULTS: dict[str, tuple[str, str]] = {
    "pass": ("通过验收", "pass"),
    "fail": ("未通过验收", "fail"),
    "postpone": ("暂缓验收", "postpone"),
}
#: the unit levels an application may cover (a town or village applies through its county)
LEVELS = ("county", "town", "village")


class Programme(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=200, blank=True, default="")
    kind = models.CharField(max_length=32)  # innovative_county | innovative_town | ... | own
    level = models.CharField(max_length=12, default="county")
    themes = models.JSONField(default=list)
    rules = models.JSONField(default=dict)  # the eligibility rules as loaded (frozen)
    rules_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_zh


class Batch(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches")
    year = models.IntegerField()
    name = models.CharField(max_length=100, blank=True, default="")
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["programme", "year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "name"], name="programme_batch")
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year} {self.name}".strip()


class Application(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="applications")
    county = models.CharField(max_length=100)  # the county that files (and answers for) it
    unit = models.CharField(max_length=100, blank=True, default="")  # town or village, if any
    unit_level = models.CharField(max_length=12, default="county")
    status = models.CharField(max_length=12, default="draft")
    eligibility = models.JSONField(default=dict)  # {eligible, rule, reason_zh, reason_en, ...}
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    label = models.CharField(max_length=20, blank=True, default="")  # 模拟数据 for demo rows

    class Meta:
        ordering = ["batch", "county", "unit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "county", "unit"], name="one_application")
        ]

    def __str__(self) -> str:
        return f"{self.county}{self.unit} ({self.batch})"

    @property
    def applicant(self) -> str:
        return self.unit or self.county

    def plan(self) -> PlanVersion | None:
        """The current version of the construction plan."""
        return self.plans.filter(superseded_at__isnull=True).first()


class PlanVersion(models.Model):
    """One version of an application's construction plan: theme, targets (each with a target
    kind of :mod:`cimon.analysis.target_kinds`, its parameters, baseline and deadline), tasks
    with responsible units, and the budget in whole 元."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(default=1)
    theme = models.CharField(max_length=50)
    base_year = models.IntegerField()
    targets = models.JSONField(default=list)
    tasks = models.JSONField(default=list)  # [{"task": ..., "units": [...]}]
    budget_yuan = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(superseded_at__isnull=True),
                name="programmes_one_current_plan",
            ),
            models.UniqueConstraint(fields=["application", "version"], name="programmes_plan_v"),
        ]


class ReviewScore(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="scores")
    expert = models.ForeignKey(  # blank only for demo scores (模拟数据)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expert_name = models.CharField(max_length=100)
    points = models.FloatField()
    comment = models.TextField(blank=True, default="")
    scored_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scored_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"],
                condition=Q(superseded_at__isnull=True),
                name="programmes_one_current_score",
            )
        ]


class ProgressReport(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="progress")
    year = models.IntegerField()
    target_code = models.CharField(max_length=32)
    value = models.FloatField(null=True, blank=True)
    narrative = models.TextField(blank=True, default="")
    file_name = models.CharField(max_length=255, blank=True, default="")
    content = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "target_code", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "year", "target_code"],
                condition=Q(superseded_at__isnull=True),
                name="programmes_one_current_report",
            )
        ]


class Acceptance(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="acceptances"
    )
    summary = models.TextField(blank=True, default="")  # the unit's self-summary
    completion = models.JSONField(default=list)  # per target: status and rule, computed
    result = models.CharField(max_length=12, blank=True, default="")  # pass | fail | postpone
    opinion = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # the acceptance workflow (#19): submitted → decided → notice → published
    status = models.CharField(max_length=12, default="submitted")
    reasons = models.TextField(blank=True, default="")  # why pass / fail / postpone
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["created_at", "id"]


class Case(models.Model):
    title = models.CharField(max_length=200)
    county = models.CharField(max_length=100)
    field = models.CharField(max_length=50)
    text = models.TextField()
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    created_at = models.DateTimeField()
    label = models.CharField(max_length=20, blank=True, default="")
    # the case library (#19): the year it belongs to, draft → published, its versions
    year = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, default="draft")
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]


# --- mid-term review, acceptance and the case library (#19) --------------------------------

#: mid-term review results: code → (中文, English)
MIDTERM_RESULTS: dict[str, tuple[str, str]] = {
    "good": ("良好", "good"),
    "qualified": ("合格", "qualified"),
    "rectify": ("需整改", "needs rectification"),
}
#: acceptance statuses, in workflow order
ACCEPTANCE_STATUSES: dict[str, tuple[str, str]] = {
    "submitted": ("自评已提交", "self-summary submitted"),
    "decided": ("已作出结论", "decided"),
    "notice": ("公示中", "on notice"),
    "published": ("已公布", "published"),
}
#: site-review (现场考察) results
SITE_RESULTS: dict[str, tuple[str, str]] = {
    "confirmed": ("现场核实一致", "confirmed on site"),
    "partly": ("基本一致", "partly confirmed"),
    "not_confirmed": ("与材料不符", "not confirmed"),
}
#: case statuses
CASE_STATUSES: dict[str, tuple[str, str]] = {
    "draft": ("草稿", "draft"),
    "published": ("已发布", "published"),
}


class MidTermReview(models.Model):
    """One version of the mid-term review (中期评估) of a designated unit: the progress reports so
    far and the completion computed at that moment (frozen), the experts' opinion and the
    result. A new version supersedes the old; one current version per application."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="midterms")
    version = models.PositiveIntegerField(default=1)
    year = models.IntegerField()
    reports = models.JSONField(default=list)  # [{year, target, value, sha256}] at review time
    completion = models.JSONField(default=list)  # target_statuses() at review time
    opinion = models.TextField()
    result = models.CharField(max_length=12)  # good | qualified | rectify
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(superseded_at__isnull=True),
                name="programmes_one_current_midterm",
            )
        ]


class AcceptanceFile(models.Model):
    """A file of an acceptance's self-summary, kept byte for byte with its SHA-256."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="files")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["acceptance", "id"]


class AcceptanceReview(models.Model):
    """An expert's score of an acceptance (``kind`` expert) or the site-review result
    (``kind`` site, 现场考察). A new one by the same reviewer and kind supersedes the old."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=8)  # expert | site
    reviewer = models.ForeignKey(  # blank only for demo rows (模拟数据)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_name = models.CharField(max_length=100)
    points = models.FloatField(null=True, blank=True)  # expert scores 0–100
    result = models.CharField(max_length=16, blank=True, default="")  # site: SITE_RESULTS
    opinion = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["acceptance", "kind", "created_at", "id"]


class AcceptanceObjection(models.Model):
    """An objection raised while an acceptance is on 公示, and how it was handled."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.PROTECT, related_name="objections")
    text = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, default="open")  # open | upheld | dismissed
    reply = models.TextField(blank=True, default="")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["acceptance", "created_at", "id"]


class CaseFile(models.Model):
    """A file of a case, kept byte for byte with its SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="files")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "id"]


class CaseVersion(models.Model):
    """The content a case had before an edit (title, field, text): nothing is overwritten."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    field = models.CharField(max_length=50)
    text = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "version"]


# --- plans with targets uploaded at any level, and their progress reports (#19 item 2) -----


class TargetPlan(models.Model):
    """One version of an uploaded plan (规划/行动方案, YAML or Excel) of a county, a city or the
    province, for its own area or for several units: the file byte for byte with its SHA-256,
    and a summary of its targets as read. A new upload of the same ``ref`` supersedes the old
    version (kept); the progress reports belong to the ``ref`` and carry over."""

    ref = models.CharField(max_length=100)  # the plan's id (its file's ``id`` or name)
    version = models.PositiveIntegerField(default=1)
    level = models.CharField(max_length=12)  # county | city | province
    area = models.CharField(max_length=100, blank=True, default="")
    units = models.JSONField(default=list)  # the units it covers, when several
    title = models.CharField(max_length=300, blank=True, default="")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    targets = models.JSONField(default=list)  # [{code, name_zh, kind, deadline, responsible, …}]
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    label = models.CharField(max_length=20, blank=True, default="")  # 模拟数据 for demo rows

    class Meta:
        ordering = ["ref", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["ref"],
                condition=Q(superseded_at__isnull=True),
                name="programmes_one_current_target_plan",
            ),
            models.UniqueConstraint(fields=["ref", "version"], name="programmes_target_plan_v"),
        ]

    def __str__(self) -> str:
        return self.title or self.ref


class TargetReport(models.Model):
    """A responsible unit's report of one target of an uploaded plan for one year: the value,
    a narrative and optionally an evidence file (SHA-256). ``unit`` is the unit a per-unit
    value is for (全覆盖: one row per unit of the set), blank otherwise. A correction supersedes
    the earlier report; both are kept."""

    plan_ref = models.CharField(max_length=100)
    target_code = models.CharField(max_length=32)
    unit = models.CharField(max_length=100, blank=True, default="")
    year = models.IntegerField()
    value = models.FloatField(null=True, blank=True)
    narrative = models.TextField(blank=True, default="")
    reporter = models.CharField(max_length=100, blank=True, default="")  # the responsible unit
    file_name = models.CharField(max_length=255, blank=True, default="")
    content = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    label = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["plan_ref", "target_code", "unit", "year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_ref", "target_code", "unit", "year"],
                condition=Q(superseded_at__isnull=True),
                name="programmes_one_current_target_report",
            )
        ]
