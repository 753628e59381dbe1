"""What the libraries store besides needs, achievements, matches and contracts (issue #18):
import attempts, talent profiles (人才库), feedback on matches and completed transfer projects
(技术转移/成果转化项目, I18). Imported by :mod:`cimon.store.libraries.models`.

Like the other records, nothing is overwritten: a talent profile's content is versioned, every
feedback is a new row (the latest on a match counts), an import attempt is kept whatever its
outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cimon.store.libraries.versioned import VersionFields

ACCEPTED, REJECTED = "accepted", "rejected"
#: an import attempt's outcome
IMPORT_STATUSES = {ACCEPTED: ("已导入", "Imported"), REJECTED: ("已拒绝", "Rejected")}
#: a feedback's verdict on a match
VERDICTS = {ACCEPTED: ("采纳", "Accepted"), REJECTED: ("不采纳", "Rejected")}
TALENT_DRAFT, TALENT_PUBLISHED = "draft", "published"
TALENT_STATUSES = {TALENT_DRAFT: ("草稿", "Draft"), TALENT_PUBLISHED: ("已发布", "Published")}


def _choices(names: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, f"{zh} / {en}") for k, (zh, en) in names.items()]


class ImportAttempt(models.Model):
    """One uploaded list (needs, achievements or contracts), kept byte for byte with its
    validation report whether it was imported or refused."""

    kind = models.CharField(max_length=16)  # need | achievement | contract
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=_choices(IMPORT_STATUSES))
    report = models.JSONField(default=dict)  # ValidationReport.to_json(), parsed
    created = models.JSONField(default=list)  # ids of the records it created
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.CharField(max_length=150, blank=True, default="")
    region_code = models.CharField(max_length=12, blank=True, default="")  # the importer's county
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"导入 #{self.pk} {self.kind} ({self.status})"


class TalentProfile(models.Model):
    """A talent profile (人才库): an expert offering help; its content is in
    :class:`TalentVersion`. The contact is never shown on public pages."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=_choices(TALENT_STATUSES), default=TALENT_DRAFT
    )
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"人才 #{self.pk} ({self.status})"

    @property
    def current(self) -> TalentVersion:
        version = self.versions.order_by("-number").first()
        assert version is not None, "a talent profile always has a version"
        return version


class TalentVersion(VersionFields):
    """One version of a talent profile's content."""

    profile = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="versions")
    name = models.CharField(max_length=100)
    expertise = models.TextField()
    discipline = models.CharField(max_length=8, blank=True, default="")  # GB/T 13745-2009
    institution = models.CharField(max_length=255, blank=True, default="")
    title = models.CharField(max_length=64, blank=True, default="")  # 职称
    availability = models.CharField(max_length=255, blank=True, default="")
    region_code = models.CharField(max_length=12, blank=True, default="")
    contact = models.CharField(max_length=255, blank=True, default="")  # never public

    class Meta:
        ordering = ["profile", "number"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="talent_version_unique")
        ]


class MatchFeedback(models.Model):
    """A verdict on a recommended match by the need's owner or its county: accepted, or
    rejected with the reason. Every verdict is kept; the latest on a match counts."""

    match = models.ForeignKey("libraries.Match", on_delete=models.PROTECT, related_name="feedback")
    verdict = models.CharField(max_length=12, choices=_choices(VERDICTS))
    reason = models.TextField(blank=True, default="")
    rank = models.PositiveIntegerField()  # the match's rank when judged
    label = models.CharField(max_length=32, blank=True, default="")
    at = models.DateTimeField()
    by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["match", "at", "id"]


class TransferProject(models.Model):
    """A completed technology-transfer project (技术转移/成果转化项目, I18) that has no registered
    contract of its own: a match marked completed. (A registered contract counts by itself.)"""

    match = models.OneToOneField(
        "libraries.Match", on_delete=models.PROTECT, related_name="transfer_project"
    )
    region_code = models.CharField(max_length=12, db_index=True)
    completed_on = models.DateField()
    note = models.TextField(blank=True, default="")
    label = models.CharField(max_length=32, blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-completed_on", "-id"]
