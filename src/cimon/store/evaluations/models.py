"""An evaluation run and its way to publication; objections; published versions.

``Evaluation.status`` moves forward only::

    queued → running → review → notice (公示) → published
                    ↘ failed

``Publication`` rows (with the comparison basis and the incentive rules frozen at publication)
are never changed except ``superseded_at`` (set when a correction
publishes the next version) and their snapshot (``robustness``, ``prepared_at``,
``prepare_error``), which the background task :func:`cimon.store.evaluations.tasks.prepare_publication`
fills once after publication; they are never deleted and their ``results`` are a frozen copy.
``PublicationFile`` rows (the downloads of a version) are written once and never changed.

An evaluation runs, and a publication is prepared, by Django's task framework (django-tasks with
the database backend of django-tasks-db): ``task_id`` is the id of the run's task result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cimon.store.accounts.models import ADMIN, Account

QUEUED = "queued"
RUNNING = "running"
FAILED = "failed"
REVIEW = "review"
NOTICE = "notice"
PUBLISHED = "published"

OPEN = "open"
UPHELD = "upheld"
DISMISSED = "dismissed"


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def visible_to(self, account: Account | None) -> EvaluationQuerySet:
        """Unpublished evaluations (any status) are seen by administrators only."""
        return self if account is not None and account.role == ADMIN else self.none()


class Evaluation(models.Model):
    """One run of the evaluation of a year from the data stored at ``data_as_of``."""

    objects = EvaluationQuerySet.as_manager()

    STATUS_CHOICES = [
        (QUEUED, "排队中 / queued"),
        (RUNNING, "计算中 / running"),
        (FAILED, "失败 / failed"),
        (REVIEW, "待审核 / in review"),
        (NOTICE, "公示中 / on public notice"),
        (PUBLISHED, "已发布 / published"),
    ]

    evaluation_year = models.IntegerField(db_index=True)
    data_year = models.IntegerField(null=True)
    framework_id = models.CharField(max_length=100)
    framework_version = models.CharField(max_length=50, blank=True, default="")
    framework_hash = models.CharField(max_length=64, blank=True, default="")
    data_as_of = models.DateTimeField()
    data_hash = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    progress_note = models.CharField(max_length=200, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(default=list)  # one dict per county (see services.result_rows)
    class_counts = models.JSONField(default=dict)
    log = models.JSONField(default=dict)  # the run's log: every stage's method and parameters
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    # why the notice period breaks the rules (started before the day it was recorded, or shorter
    # than CIMON_NOTICE_DAYS): e.g. a notice held offline earlier; empty when it keeps them
    notice_override = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")  # the run's task result

    class Meta:
        ordering = ["-evaluation_year", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.evaluation_year} ({self.status})"

    @property
    def status_line(self) -> str:
        """The progress box's line, bilingual ("zh / en"): the run's own note while it is queued,
        running or failed, then the workflow step it has reached (the run's "done, in review"
        note would be stale once the evaluation is on notice or published)."""
        if self.status == NOTICE:
            return "公示中 / on public notice"
        if self.status == PUBLISHED:
            return "已发布 / published"
        return self.progress_note

    @property
    def waiting_long(self) -> bool:
        """Queued for more than 30 seconds: no task worker may be running."""
        from django.utils import timezone

        return self.status == QUEUED and (timezone.now() - self.created_at).total_seconds() > 30


class Objection(models.Model):
    """An objection (异议) raised during public notice, and how it was handled."""

    STATUS_CHOICES = [
        (OPEN, "待处理 / open"),
        (UPHELD, "成立 / upheld"),
        (DISMISSED, "不成立 / dismissed"),
    ]

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="objections")
    region_code = models.CharField(max_length=12, blank=True, default="")
    raised_by = models.CharField(max_length=200)  # who objected, as they signed it
    received_on = models.DateField()
    content = models.TextField()
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=OPEN)
    response = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_on", "id"]


#: The columns of an evaluation and of a publication that grow with the number of units.
EVALUATION_BULK = ("results", "log")
PUBLICATION_BULK = ("results", "basis", "rules", "robustness")


class PublicationQuerySet(models.QuerySet["Publication"]):
    def current(self) -> PublicationQuerySet:
        """The current version of each published year (not superseded)."""
        return self.filter(superseded_at__isnull=True)

    def of_year(
        self, year: int, version: int | None = None, *, rows: bool = True, province: str = ""
    ) -> Publication | None:
        """The current version of ``year``, or its ``version``, in ``province`` ("" on a
        single-province instance; on a multi-province one the hosted province's code:
        :func:`cimon.store.national.hosting.viewer_province`); None when there is none. The
        evaluation comes with it without its rows and log (read when used): a page or the API
        reads the publication's frozen rows, and at national size each of those JSON columns
        is megabytes (#20). ``rows=False``: the publication's own rows deferred too."""
        qs = self.filter(evaluation_year=year, province=province).select_related("evaluation")
        qs = qs.defer(*(f"evaluation__{f}" for f in EVALUATION_BULK))
        if not rows:  # the caller reads them from listing.frozen_rows (cached per process)
            qs = qs.defer("results")
        return (qs.current() if version is None else qs.filter(version=version)).first()

    def light(self) -> PublicationQuerySet:
        """Without the frozen rows and the other large JSON columns (read when used): for
        lists of versions, which need the year, the version and whether it is current."""
        return self.defer(*PUBLICATION_BULK)

    def visible_to(self, account: Account | None) -> PublicationQuerySet:
        """The versions the holder of ``account`` sees: every current version for any role,
        superseded ones for administrators only; none without an account."""
        if account is None:
            return self.none()
        return self if account.role == ADMIN else self.current()


class Publication(models.Model):
    """A published version of a year's results, frozen. Versions are numbered per province and
    year: ``province`` is "" on a single-province instance, and on an instance hosting several
    provinces (``CIMON_PROVINCES``) the code of its evaluation's province (#20), so each hosted
    province publishes its own version 1, 2 … of the same year."""

    objects = PublicationQuerySet.as_manager()

    province = models.CharField(max_length=2, blank=True, default="")
    evaluation_year = models.IntegerField()
    version = models.PositiveIntegerField()
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="publications"
    )
    results = models.JSONField(default=list)
    class_counts = models.JSONField(default=dict)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, default="")  # required for a correction (version > 1)
    # the published versions of earlier years this version is compared with, frozen when it is
    # published: {"<year>": <Publication id>} (the current version of each earlier year at that
    # moment). Its pages, API and downloads read last year's results (jumps, places, incentive
    # money), the history and the target path from these versions only, so nothing published
    # later (a first publication of an earlier year, a correction) changes what it shows. Those
    # rows are themselves frozen and never deleted. Null only on a row made before the field
    # existed and not yet migrated (see basis_at).
    basis = models.JSONField(null=True, blank=True)
    # the incentive rule set it was published with, frozen then (cimon.store.evaluations.rules):
    # {"id", "version", "places", "source", "hash", "content": the full rule set}. Its pages, API,
    # downloads and snapshot compute incentive money from these rules only, whatever the
    # platform's configured rule set (CIMON_INCENTIVE_RULES) or the bundled files say later.
    # Null only on a row made before the field existed and not yet migrated (see rules_of).
    rules = models.JSONField(null=True, blank=True)
    # printed on the cover of the version's annual report (Word and PDF); optional
    issue_date = models.DateField(null=True, blank=True)  # 印发日期
    document_number = models.CharField(max_length=40, blank=True, default="")  # 文号
    superseded_at = models.DateTimeField(null=True, blank=True)
    # the snapshot made in the background after publication (tasks.prepare_publication): the
    # robustness analysis shown with the version, as the JSON text of
    # cimon.analysis.uncertainty.UncertaintyResult.to_json (text, not JSONField: it may hold NaN)
    robustness = models.TextField(blank=True, default="")
    prepared_at = models.DateTimeField(null=True, blank=True)
    prepare_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["evaluation_year", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "evaluation_year", "version"], name="one_version_number"
            ),
            models.UniqueConstraint(
                fields=["province", "evaluation_year"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_publication",
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.province} " if self.province else ""
        return f"{where}{self.evaluation_year} v{self.version}"


class PublicationFile(models.Model):
    """A download of a published version (the results workbook, the annual report in Word or
    PDF) in one language, made once (at publication, or on the first request before that) and
    kept with the version: every server process and every later release serves the same bytes."""

    KIND_CHOICES = [("xlsx", "Excel"), ("docx", "Word"), ("pdf", "PDF")]

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=8, choices=KIND_CHOICES)
    lang = models.CharField(max_length=8)
    name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    made_at = models.DateTimeField()
    cimon_version = models.CharField(max_length=50, blank=True, default="")
    #: the layout of the download when it was made (:data:`cimon.store.evaluations.downloads.LAYOUT`);
    #: files stored before layouts were numbered are layout 1
    layout = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["publication", "kind", "lang"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "kind", "lang"], name="one_file_per_kind_and_language"
            )
        ]

    def __str__(self) -> str:
        return self.name
