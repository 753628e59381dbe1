"""What is stored of the structured 创新管理 evidence. Nothing is overwritten or deleted.

An :class:`Item` is one version of a piece of evidence; a county's edit writes a new version of
the same ``series`` and marks the old one superseded (a partial unique index keeps one current
version per series). Files (:class:`Document`) are kept byte for byte with their SHA-256 and
belong to the series (a new version keeps the files of the old). A :class:`Conflict` is an
expert's declared tie to a county: such an expert is never assigned that county nor scores it.
A :class:`Clarification` is an expert's question on an item and the county's answer. A
:class:`Score` is one expert's points on one criterion of one item version, with the guide's
id, version and hash frozen; a new score of the same item series and criterion by the same
expert supersedes the old.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Item(models.Model):
    series = models.CharField(max_length=32, db_index=True)  # the same for every version
    version = models.PositiveIntegerField(default=1)
    region_code = models.CharField(max_length=12)
    year = models.IntegerField()  # data year
    kind = models.CharField(max_length=16)
    variable = models.CharField(max_length=64)
    values = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, default="")  # why this version (e.g. an answer)

    class Meta:
        ordering = ["year", "region_code", "variable", "kind", "series", "version"]
        indexes = [models.Index(fields=["region_code", "year"], name="evidence_item_county")]
        constraints = [
            models.UniqueConstraint(
                fields=["series"],
                condition=Q(superseded_at__isnull=True),
                name="evidence_one_current",
            ),
            models.UniqueConstraint(fields=["series", "version"], name="evidence_version"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year} {self.kind} v{self.version}"


class Document(models.Model):
    series = models.CharField(max_length=32, db_index=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(max_length=255)  # cimon.safe.safe_filename of the sent name
    sent_name = models.CharField(max_length=255, blank=True, default="")
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]


class Conflict(models.Model):
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_conflicts"
    )
    region_code = models.CharField(max_length=12)
    reason = models.CharField(max_length=300)
    declared_by = models.CharField(max_length=150, blank=True, default="")
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["declared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "region_code"], name="one_conflict")
        ]


class Clarification(models.Model):
    series = models.CharField(max_length=32, db_index=True)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="clarifications")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    asked_at = models.DateTimeField()
    due = models.DateField(null=True, blank=True)  # the counties' deadline, when one is set
    answer = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]

    @property
    def open(self) -> bool:
        return self.answered_at is None


class Score(models.Model):
    series = models.CharField(max_length=32)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expert_name = models.CharField(max_length=100)
    criterion = models.CharField(max_length=64)
    points = models.FloatField()
    comment = models.TextField(blank=True, default="")
    guide_id = models.CharField(max_length=64)
    guide_version = models.CharField(max_length=32)
    guide_sha256 = models.CharField(max_length=64)
    scored_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scored_at", "id"]
        indexes = [models.Index(fields=["series", "expert"], name="evidence_score_series")]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "expert", "criterion"],
                condition=Q(superseded_at__isnull=True),
                name="evidence_one_current_score",
            )
        ]
