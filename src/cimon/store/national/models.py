"""Every attempt to import a province's published results (accepted or rejected, never
overwritten): the file's hash and size, who imported it and when, and for an accepted import the
validated rows with the province's framework and publication date."""

from __future__ import annotations

from django.conf import settings
from django.db import models

ACCEPTED = "accepted"
REJECTED = "rejected"
STATUS_CHOICES = [(ACCEPTED, "已导入 / accepted"), (REJECTED, "未导入 / rejected")]


class ProvinceImport(models.Model):
    province = models.CharField(
        max_length=40
    )  # the registry's province name (as given if rejected)
    evaluation_year = models.IntegerField(null=True, db_index=True)
    version = models.PositiveIntegerField(null=True)
    published_at = models.DateTimeField(null=True)
    framework_id = models.CharField(max_length=100, blank=True, default="")
    framework_version = models.CharField(max_length=50, blank=True, default="")
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    file_size = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=STATUS_CHOICES)
    error = models.TextField(blank=True, default="")
    results = models.JSONField(default=list)  # [{code, name, score, class, rank}] as validated
    class_counts = models.JSONField(default=dict)
    synthetic = models.BooleanField(default=False)  # 模拟数据 (demo)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.province} {self.evaluation_year} ({self.status})"


# --- hosting several provinces in one instance (docs/national.md, "Multi-province hosting") -----


class ProvinceMember(models.Model):
    """The province an account belongs to on an instance hosting several (its GB/T 2260
    two-digit code); an account without one sees no province's data there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="province_member"
    )
    province = models.CharField(max_length=2)

    def __str__(self) -> str:
        return f"{self.user} → {self.province}"


class ProvinceEvaluation(models.Model):
    """The province an evaluation (and so its publications) belongs to on such an instance."""

    evaluation = models.OneToOneField(
        "evaluations.Evaluation", on_delete=models.PROTECT, related_name="province_tag"
    )
    province = models.CharField(max_length=2, db_index=True)

    def __str__(self) -> str:
        return f"{self.evaluation_id} → {self.province}"
