"""揭榜挂帅 calls and the province's 成果征集 collections (issue #18): what is stored.

Content is versioned (a call's terms in :class:`CallVersion`, an application's proposal in
:class:`CallApplicationVersion`); scores, milestone reports and objections are new rows, never
edits; only workflow columns (``status``) change in place, each change in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: a 揭榜挂帅 call's workflow: draft → published (teams apply) → reviewing → awarded
CALL_DRAFT, CALL_OPEN, CALL_REVIEW, CALL_AWARDED = "draft", "published", "reviewing", "awarded"
CALL_STATUSES = {
    CALL_DRAFT: ("草稿", "Draft"),
    CALL_OPEN: ("揭榜中", "Open"),
    CALL_REVIEW: ("评审中", "In review"),
    CALL_AWARDED: ("已确定揭榜方", "Awarded"),
}
#: an application's workflow: draft → submitted → awarded | not awarded
APP_DRAFT, APP_SUBMITTED, APP_AWARDED, APP_LOST = "draft", "submitted", "awarded", "not_awarded"
APP_STATUSES = {
    APP_DRAFT: ("草稿", "Draft"),
    APP_SUBMITTED: ("已提交", "Submitted"),
    APP_AWARDED: ("揭榜成功", "Awarded"),
    APP_LOST: ("未入选", "Not awarded"),
}
#: a milestone report's outcome: pending → accepted | returned (the winner reports again)
REPORT_PENDING, REPORT_ACCEPTED, REPORT_RETURNED = "pending", "accepted", "returned"
REPORT_STATUSES = {
    REPORT_PENDING: ("待验收", "Pending"),
    REPORT_ACCEPTED: ("已通过", "Accepted"),
    REPORT_RETURNED: ("已退回", "Returned"),
}
#: a 成果征集 collection's workflow: open → reviewing → on notice (公示) → published
COL_OPEN, COL_REVIEW, COL_NOTICE, COL_PUBLISHED = "open", "reviewing", "notice", "published"
COLLECTION_STATUSES = {
    COL_OPEN: ("征集中", "Open"),
    COL_REVIEW: ("评审中", "In review"),
    COL_NOTICE: ("公示中", "On notice"),
    COL_PUBLISHED: ("已发布", "Published"),
}
#: an objection raised during a collection's notice
OBJ_OPEN, OBJ_UPHELD, OBJ_DISMISSED = "open", "upheld", "dismissed"
OBJECTION_STATUSES = {
    OBJ_OPEN: ("待处理", "Open"),
    OBJ_UPHELD: ("成立", "Upheld"),
    OBJ_DISMISSED: ("不成立", "Dismissed"),
}
#: the largest file an applicant may attach, and how many per application
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 10


def _choices(names: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, f"{zh} / {en}") for k, (zh, en) in names.items()]


USER = settings.AUTH_USER_MODEL


class Call(models.Model):
    """A 揭榜挂帅 call (榜单) made from a published need of its county."""

    need = models.ForeignKey("libraries.Need", on_delete=models.PROTECT, related_name="calls")
    region_code = models.CharField(max_length=12, db_index=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=_choices(CALL_STATUSES), default=CALL_DRAFT)
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    winner = models.OneToOneField(
        "CallApplication", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    award_reason = models.TextField(blank=True, default="")
    awarded_by = models.CharField(max_length=150, blank=True, default="")
    awarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"榜单 #{self.pk} ({self.status})"

    @property
    def current(self) -> CallVersion:
        version = self.versions.order_by("-number").first()
        assert version is not None, "a call always has a version"
        return version


class CallVersion(models.Model):
    """One version of a call's terms: title, budget (whole 元), deadline, conditions."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    budget = models.PositiveBigIntegerField()  # 元
    deadline = models.DateField()
    conditions = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="call_version_unique")
        ]


class CallReviewer(models.Model):
    """An expert who reviews a call's applications; ``institution`` decides conflicts."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="reviewers")
    expert = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(max_length=255)
    assigned_at = models.DateTimeField()
    assigned_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "expert"], name="call_reviewer_once")
        ]


class CallApplication(models.Model):
    """A team's application (揭榜申请) to a call; its proposal is versioned."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    team = models.CharField(max_length=255)
    institution = models.CharField(max_length=255)
    status = models.CharField(max_length=12, choices=_choices(APP_STATUSES), default=APP_DRAFT)
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="call_apply_once")
        ]

    @property
    def current(self) -> CallApplicationVersion:
        version = self.versions.order_by("-number").first()
        assert version is not None, "an application always has a version"
        return version


class CallApplicationVersion(models.Model):
    application = models.ForeignKey(
        CallApplication, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    proposal = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="call_app_version")
        ]


class CallFile(models.Model):
    """A file attached to an application, kept verbatim (never replaced)."""

    application = models.ForeignKey(CallApplication, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.CharField(max_length=150, blank=True, default="")


class CallScore(models.Model):
    """One expert's score (0–100) of an application; scoring again adds a row, the latest
    counts."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.PROTECT, related_name="scores"
    )
    reviewer = models.ForeignKey(CallReviewer, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "recorded_at", "id"]


class Milestone(models.Model):
    """A milestone the awarded team reports on (defined by the county at award)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="milestones")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="milestone_number_once")
        ]

    @property
    def latest(self) -> MilestoneReport | None:
        return self.reports.order_by("-number").first()


class MilestoneReport(models.Model):
    """A report of a milestone by the winner, and the county's decision on it."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="reports")
    number = models.PositiveIntegerField()
    text = models.TextField()
    reported_at = models.DateTimeField()
    reported_by = models.CharField(max_length=150, blank=True, default="")
    status = models.CharField(
        max_length=12, choices=_choices(REPORT_STATUSES), default=REPORT_PENDING
    )
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["milestone", "number"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "number"], name="milestone_report_once")
        ]


# ---- 成果征集 --------------------------------------------------------------------------------


class Collection(models.Model):
    """A periodic 成果征集 call of the province (先进适用技术成果)."""

    title = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=_choices(COLLECTION_STATUSES), default=COL_OPEN
    )
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    notice_override = models.TextField(blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-year", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class CollectionReviewer(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="reviewers")
    expert = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    institution = models.CharField(max_length=255)
    assigned_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "expert"], name="col_reviewer_once")
        ]


class CollectionEntry(models.Model):
    """An achievement a unit submitted to a collection, with the version it submitted."""

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="entries")
    achievement = models.ForeignKey(
        "libraries.Achievement", on_delete=models.PROTECT, related_name="entries"
    )
    achievement_version = models.ForeignKey(
        "libraries.AchievementVersion", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.CharField(max_length=255)  # 推荐/申报单位
    region_code = models.CharField(max_length=12, blank=True, default="")
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    selected = models.BooleanField(null=True, blank=True)  # the province's decision after review
    selected_note = models.TextField(blank=True, default="")
    label = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["collection", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "achievement"], name="col_entry_once")
        ]


class EntryScore(models.Model):
    entry = models.ForeignKey(CollectionEntry, on_delete=models.PROTECT, related_name="scores")
    reviewer = models.ForeignKey(
        CollectionReviewer, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["entry", "recorded_at", "id"]


class CollectionObjection(models.Model):
    """An objection received while a collection's list is on notice; an upheld objection
    keeps its entry out of the catalogue."""

    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(
        CollectionEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    raised_by = models.CharField(max_length=255)
    content = models.TextField()
    received_on = models.DateField()
    status = models.CharField(max_length=12, choices=_choices(OBJECTION_STATUSES), default=OBJ_OPEN)
    response = models.TextField(blank=True, default="")
    recorded_by = models.CharField(max_length=150, blank=True, default="")
    recorded_at = models.DateTimeField()
    handled_by = models.CharField(max_length=150, blank=True, default="")
    handled_at = models.DateTimeField(null=True, blank=True)
