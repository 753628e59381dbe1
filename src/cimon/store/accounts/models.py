"""A user's role in cimon, kept beside Django's ``auth.User`` (one :class:`Account` each).

Roles (seed 000 section 四: the science department runs the evaluation, five departments and every
county supply data, experts score the qualitative items, leaders and the public read results):

==========  =============  ===================================================================
role        中文           may
==========  =============  ===================================================================
admin       省级管理员     everything: users, the status board, every submission, the audit log
department  部门填报员     its department's variables for all counties
county      县级填报员     its own county, and only the self-assessed 创新管理 items
city        设区市科技局   its counties' status board (read-only) and the published results
expert      专家           score the qualitative items of the counties assigned to it
viewer      浏览者         published results only
commissioner 科技特派员    its own profile, dispatches, service records, ventures (issue #17)
unit        派出单位       its own people: recommends candidates, confirms service days, rates
==========  =============  ===================================================================

A commissioner account is linked from its ``Commissioner.user``; a unit account points at its
``DispatchUnit`` (:attr:`Account.unit`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

ADMIN = "admin"
DEPARTMENT = "department"
COUNTY = "county"
CITY = "city"
EXPERT = "expert"
VIEWER = "viewer"
COMMISSIONER = "commissioner"
UNIT = "unit"
ROLES = (ADMIN, DEPARTMENT, COUNTY, CITY, EXPERT, VIEWER, COMMISSIONER, UNIT)
ROLE_NAMES = {
    ADMIN: ("省级管理员", "Provincial administrator"),
    DEPARTMENT: ("部门填报员", "Department clerk"),
    COUNTY: ("县级填报员", "County clerk"),
    CITY: ("设区市科技局", "City science bureau"),
    EXPERT: ("专家", "Expert"),
    VIEWER: ("浏览者", "Viewer"),
    COMMISSIONER: ("科技特派员", "Science and technology commissioner"),
    UNIT: ("派出单位", "Dispatching unit"),
}


class Account(models.Model):
    """What a user is to cimon. A user without an account (or inactive) may do nothing."""

    ROLE_CHOICES = [(r, f"{zh} / {en}") for r, (zh, en) in ROLE_NAMES.items()]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    role = models.CharField(max_length=12, choices=ROLE_CHOICES)
    department = models.CharField(max_length=32, blank=True, default="")  # department clerks
    region_code = models.CharField(max_length=12, blank=True, default="")  # county clerks
    city = models.CharField(max_length=32, blank=True, default="")  # city bureaus: the 设区市 name
    display_name = models.CharField(max_length=100, blank=True, default="")
    unit = models.ForeignKey(  # dispatching-unit accounts: their 派出单位 (issue #17)
        "commissioners.DispatchUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )

    class Meta:
        ordering = ["role", "user__username"]

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role})"

    @property
    def role_name(self) -> tuple[str, str]:
        return ROLE_NAMES.get(self.role, (self.role, self.role))


class ExpertAssignment(models.Model):
    """An expert scores the qualitative items of this county (for every year until removed)."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    region_code = models.CharField(max_length=12)

    class Meta:
        ordering = ["expert_id", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "region_code"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} → {self.region_code}"
