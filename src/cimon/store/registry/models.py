"""What the registries store (issue #16).

Nothing is updated in place except the version columns (``superseded_at``, ``superseded_by``),
a list import's ``outcome`` once its review is settled and a review item's decision; nothing is
deleted. A qualification, a carrier and a county row is *current* while ``superseded_at`` is
NULL; as of a moment ``t`` the rows in force are those with ``recorded_at <= t`` and
(``superseded_at`` NULL or ``> t``). An enterprise's name is its latest :class:`EnterpriseName`;
its county on a date is the :class:`EnterpriseCounty` row with the latest ``since`` on or before
that date (a blank ``since``: from the beginning).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

#: what a list brings: enterprises holding a qualification, or carriers
ENTERPRISE, CARRIER = "enterprise", "carrier"
#: qualification kinds (资质类型) the forms offer; a list may name others
QUALIFICATION_KINDS = (
    "高新技术企业",
    "科技型中小企业",
    "专精特新",
    "专精特新“小巨人”",
    "农业高新技术企业",
)
#: carrier kinds (载体类型) the forms offer; a list may name others
CARRIER_KINDS = (
    "重点实验室",
    "工程技术研究中心",
    "新型研发机构",
    "科技企业孵化器",
    "众创空间",
    "星创天地",
    "园区",
    "院士(专家)工作站",
    "科技小院",
)
LEVELS = ("国家", "省", "市")
VALID, REVOKED, EXPIRED = "有效", "撤销", "到期"
CARRIER_STATUSES = (VALID, REVOKED, EXPIRED)
#: a list import's outcome
ACCEPTED, REJECTED, IN_REVIEW = "accepted", "rejected", "review"
#: a review item's decision
PENDING, CONFIRMED, DECLARED_NEW, DISMISSED = "", "confirmed", "new", "rejected"


def _in_force(moment: dt.datetime | None) -> Q:
    t = moment or timezone.now()
    return Q(recorded_at__lte=t) & (Q(superseded_at__isnull=True) | Q(superseded_at__gt=t))


def _valid_on(day: dt.date) -> Q:
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


class ListImport(models.Model):
    """One uploaded list, kept byte for byte with its report, whatever the outcome."""

    OUTCOMES = [
        (ACCEPTED, "已导入 / accepted"),
        (REJECTED, "已拒绝 / rejected"),
        (IN_REVIEW, "待人工确认 / in review"),
    ]

    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    list_kind = models.CharField(max_length=12)  # enterprise | carrier
    kind = models.CharField(max_length=64, blank=True, default="")  # 高新技术企业 … or ""
    label = models.CharField(max_length=32, blank=True, default="")  # 模拟数据 for demo data
    user = models.CharField(max_length=150, blank=True, default="")
    user_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=12, choices=OUTCOMES)
    report = models.JSONField(default=dict)  # ValidationReport.to_json(), parsed
    counts = models.JSONField(default=dict)  # rows by match status, records written

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} ({self.outcome})"


class EnterpriseQuerySet(models.QuerySet["Enterprise"]):
    def with_name(self) -> EnterpriseQuerySet:
        """Annotate ``current_name``: the latest name."""
        latest = EnterpriseName.objects.filter(enterprise=OuterRef("pk")).order_by("-id")
        return self.annotate(current_name=Subquery(latest.values("name")[:1]))

    def with_county(self, day: dt.date | None = None) -> EnterpriseQuerySet:
        """Annotate ``county``: the county on ``day`` (default today)."""
        day = day or timezone.localdate()
        rows = (
            EnterpriseCounty.objects.current()
            .filter(enterprise=OuterRef("pk"))
            .filter(Q(since__isnull=True) | Q(since__lte=day))
            .order_by(models.F("since").desc(nulls_last=True), "-id")
        )
        return self.annotate(county=Subquery(rows.values("region_code")[:1]))

    def in_county(self, region_code: str, day: dt.date | None = None) -> EnterpriseQuerySet:
        """Enterprises in the county on ``day`` (default today)."""
        return self.with_county(day).filter(county=region_code)

    def search(self, text: str) -> EnterpriseQuerySet:
        """By code or any name, past or present."""
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(code__icontains=text) | Q(names__name__icontains=text)).distinct()


class Enterprise(models.Model):
    """An enterprise, keyed by its 统一社会信用代码 (unique when valid)."""

    objects = EnterpriseQuerySet.as_manager()

    code = models.CharField(max_length=18, blank=True, default="")
    code_valid = models.BooleanField(default=False)
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")
    source = models.ForeignKey(ListImport, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(code_valid=True), name="enterprise_valid_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.code}"

    @property
    def name(self) -> str:
        latest = self.names.order_by("-id").first()
        return latest.name if latest else ""


class EnterpriseName(models.Model):
    """A name an enterprise has had (the latest is its name); old names still match."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="names")
    name = models.CharField(max_length=255, db_index=True)
    recorded_at = models.DateTimeField()
    source = models.ForeignKey(ListImport, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["enterprise", "id"]


class VersionedQuerySet(models.QuerySet):
    def current(self, moment: dt.datetime | None = None) -> VersionedQuerySet:
        """The rows in force at ``moment`` (default now)."""
        return self.filter(_in_force(moment))


class EnterpriseCounty(models.Model):
    """From ``since`` (blank: from the beginning) the enterprise is in the county."""

    objects = VersionedQuerySet.as_manager()

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="counties")
    region_code = models.CharField(max_length=12, db_index=True)
    since = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    source = models.ForeignKey(ListImport, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["enterprise", "since", "id"]


class QualificationQuerySet(VersionedQuerySet):
    def valid_on(self, day: dt.date) -> QualificationQuerySet:
        """Valid on ``day``: ``start <= day < end`` and not revoked by then."""
        return self.filter(_valid_on(day)).filter(Q(revoked__isnull=True) | Q(revoked__gt=day))

    def in_county(self, region_code: str, day: dt.date) -> QualificationQuerySet:
        """Held by an enterprise that is in the county on ``day``."""
        ids = Enterprise.objects.in_county(region_code, day).values("pk")
        return self.filter(enterprise__in=ids)


class Qualification(models.Model):
    """A qualification (资质) an enterprise holds, from ``start`` up to ``end`` (exclusive)."""

    objects = QualificationQuerySet.as_manager()

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="qualifications"
    )
    kind = models.CharField(max_length=64, db_index=True)
    certificate = models.CharField(max_length=64, blank=True, default="")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)  # first day no longer valid
    revoked = models.DateField(null=True, blank=True)
    source = models.ForeignKey(ListImport, null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["enterprise", "start", "id"]
        indexes = [models.Index(fields=["recorded_at", "superseded_at"])]


class CarrierQuerySet(VersionedQuerySet):
    def valid_on(self, day: dt.date) -> CarrierQuerySet:
        """Valid on ``day``: ``start <= day < end`` and, if 撤销/到期, before its status date."""
        ended = Q(status__in=(REVOKED, EXPIRED))
        return self.filter(_valid_on(day)).exclude(
            ended & (Q(status_date__isnull=True) | Q(status_date__lte=day))
        )

    def in_county(self, region_code: str) -> CarrierQuerySet:
        return self.filter(region_code=region_code)

    def search(self, text: str) -> CarrierQuerySet:
        text = text.strip()
        return self.filter(Q(name__icontains=text) | Q(code__icontains=text)) if text else self


class Carrier(models.Model):
    """One version of a carrier (平台、载体、园区 …): a re-listed carrier whose facts changed is
    a new row with the same ``key`` superseding the old one."""

    objects = CarrierQuerySet.as_manager()

    STATUS_CHOICES = [(s, s) for s in CARRIER_STATUSES]

    key = models.CharField(max_length=64, db_index=True)  # the same carrier across versions
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=18, blank=True, default="")
    kind = models.CharField(max_length=64, db_index=True)
    level = models.CharField(max_length=8, blank=True, default="")
    body = models.CharField(max_length=255, blank=True, default="")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    region_code = models.CharField(max_length=12, db_index=True)
    status = models.CharField(max_length=4, choices=STATUS_CHOICES, default=VALID)
    status_date = models.DateField(null=True, blank=True)
    label = models.CharField(max_length=32, blank=True, default="")
    source = models.ForeignKey(ListImport, null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["region_code", "kind", "name", "id"]
        indexes = [models.Index(fields=["recorded_at", "superseded_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(superseded_at__isnull=True), name="carrier_one_current"
            )
        ]


class ReviewItem(models.Model):
    """A row a person must settle (``ambiguous`` or ``conflict``): confirm one candidate,
    declare it new, or reject it. Nothing of the row is written until then."""

    DECISIONS = [
        (PENDING, "待确认 / pending"),
        (CONFIRMED, "已确认 / confirmed"),
        (DECLARED_NEW, "新记录 / new record"),
        (DISMISSED, "已驳回 / rejected"),
    ]

    list_import = models.ForeignKey(ListImport, on_delete=models.PROTECT, related_name="reviews")
    row = models.PositiveIntegerField()  # the row's number in the file
    status = models.CharField(max_length=12)  # ambiguous | conflict
    data = models.JSONField(default=dict)  # the row as read (dates as ISO text)
    candidates = models.JSONField(default=list)  # [{record, name, score, via}], best first
    decision = models.CharField(max_length=12, choices=DECISIONS, blank=True, default=PENDING)
    record = models.CharField(max_length=64, blank=True, default="")  # what the row became
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["list_import", "row", "id"]


class DerivedCount(models.Model):
    """A framework variable's value taken from the registries for one evaluation run: the count
    of one county and data year, and the records that made it."""

    evaluation = models.ForeignKey(
        "evaluations.Evaluation", on_delete=models.PROTECT, related_name="derived_counts"
    )
    variable = models.CharField(max_length=64)
    region_code = models.CharField(max_length=12)
    year = models.IntegerField()  # data year
    on = models.DateField()
    count = models.IntegerField()
    # the value the panel took when it is not the count (registered contracts' sum in 万元, #18)
    value = models.FloatField(null=True, blank=True)
    records = models.JSONField(default=list)  # [{record, item, name, start, end}]

    class Meta:
        ordering = ["evaluation", "variable", "region_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "variable", "region_code", "year"],
                name="derived_one_per_run",
            )
        ]
