"""The 项目库 (issue #18, 需求项目化): a county turns a published need into a project.

A project's content (title, budget in whole 元, term, lead unit, tasks) is versioned in
:class:`ProjectVersion` (the latest ``number`` is current; an edit writes a new version). Only the
workflow columns (``status``, ``status_reason``) change in place, each change in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: a project's workflow: 立项 → 实施中 → 结题, or 终止 (with a reason) before 结题
PROJ_APPROVED, PROJ_RUNNING, PROJ_DONE, PROJ_STOPPED = "approved", "running", "finished", "stopped"
PROJECT_STATUSES = {
    PROJ_APPROVED: ("立项", "Approved"),
    PROJ_RUNNING: ("实施中", "Running"),
    PROJ_DONE: ("结题", "Finished"),
    PROJ_STOPPED: ("终止", "Terminated"),
}
#: the allowed steps: action → (from statuses, to status)
PROJECT_STEPS = {
    "start": ((PROJ_APPROVED,), PROJ_RUNNING),
    "finish": ((PROJ_RUNNING,), PROJ_DONE),
    "stop": ((PROJ_APPROVED, PROJ_RUNNING), PROJ_STOPPED),
}


def _choices(names: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, f"{zh} / {en}") for k, (zh, en) in names.items()]


class Project(models.Model):
    """A project of the county 项目库 made from one published need of that county."""

    need = models.ForeignKey("libraries.Need", on_delete=models.PROTECT, related_name="projects")
    region_code = models.CharField(max_length=12, db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=_choices(PROJECT_STATUSES), default=PROJ_APPROVED
    )
    status_reason = models.TextField(blank=True, default="")  # why it was terminated
    label = models.CharField(max_length=32, blank=True, default="")  # 模拟数据 for demo data
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"项目 #{self.pk} ({self.status})"

    @property
    def current(self) -> ProjectVersion:
        version = self.versions.order_by("-number").first()
        assert version is not None, "a project always has a version"
        return version


class ProjectVersion(models.Model):
    """One version of a project's content; budget in whole 元."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    budget = models.PositiveBigIntegerField()  # 元
    starts_on = models.DateField()
    ends_on = models.DateField()
    lead_unit = models.CharField(max_length=255)  # 承担单位
    tasks = models.TextField(blank=True, default="")  # 主要任务
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="project_version_unique")
        ]
