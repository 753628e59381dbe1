"""What the resource libraries store (issue #18).

A need's and an achievement's content is versioned: an edit writes a new
:class:`NeedVersion` / :class:`AchievementVersion` (the latest ``number`` is current) and never
changes an earlier one. Only workflow columns change in place (a need's or achievement's
``status``, a match's ``stage``), and every such change is kept in the audit log; a match's
stage changes are also kept as :class:`MatchStage` rows. Nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cimon.store.libraries.versioned import VersionFields

#: a need's workflow: draft → submitted → published | rejected (a rejected need may be edited
#: and submitted again)
DRAFT, SUBMITTED, PUBLISHED, REJECTED = "draft", "submitted", "published", "rejected"
NEED_STATUSES = {
    DRAFT: ("草稿", "Draft"),
    SUBMITTED: ("待审核", "Submitted"),
    PUBLISHED: ("已发布", "Published"),
    REJECTED: ("已退回", "Rejected"),
}
#: an achievement's workflow: draft → published
ACHIEVEMENT_STATUSES = {k: NEED_STATUSES[k] for k in (DRAFT, PUBLISHED)}
#: a match's stages, in order: 推荐 → 对接 → 洽谈 → 签约 → 技术合同登记
RECOMMENDED, CONTACTED, NEGOTIATING, SIGNED, REGISTERED = (
    "recommended",
    "contacted",
    "negotiating",
    "signed",
    "registered",
)
STAGES = {
    RECOMMENDED: ("推荐", "Recommended"),
    CONTACTED: ("对接", "Contacted"),
    NEGOTIATING: ("洽谈", "Negotiating"),
    SIGNED: ("签约", "Signed"),
    REGISTERED: ("技术合同登记", "Contract registered"),
}
STAGE_ORDER = tuple(STAGES)


def _choices(names: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, f"{zh} / {en}") for k, (zh, en) in names.items()]


class NeedQuerySet(models.QuerySet["Need"]):
    def published(self) -> NeedQuerySet:
        return self.filter(status=PUBLISHED)

    def in_county(self, region_code: str) -> NeedQuerySet:
        return self.filter(region_code=region_code)


class Need(models.Model):
    """A technology need (需求) of one county, posted by its owner; its content is in
    :class:`NeedVersion`."""

    objects = NeedQuerySet.as_manager()

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, db_index=True)  # GB/T 2260 county code
    status = models.CharField(max_length=12, choices=_choices(NEED_STATUSES), default=DRAFT)
    label = models.CharField(max_length=32, blank=True, default="")  # 模拟数据 for demo data
    created_at = models.DateTimeField()
    reviewed_by = models.CharField(max_length=150, blank=True, default="")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"需求 #{self.pk} ({self.status})"

    @property
    def current(self) -> NeedVersion:
        """The latest version of the content."""
        version = self.versions.order_by("-number").first()
        assert version is not None, "a need always has a version"
        return version


class NeedVersion(VersionFields):
    """One version of a need's content: problem, industry chain, field code, budget, deadline."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="versions")
    problem = models.TextField()
    chain = models.CharField(max_length=64, blank=True, default="")  # 产业链
    industry = models.CharField(max_length=8, blank=True, default="")  # GB/T 4754-2017 code
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)  # 万元
    deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["need", "number"]
        constraints = [
            models.UniqueConstraint(fields=["need", "number"], name="need_version_unique")
        ]


class AchievementQuerySet(models.QuerySet["Achievement"]):
    def published(self) -> AchievementQuerySet:
        return self.filter(status=PUBLISHED)


class Achievement(models.Model):
    """A scientific or technological achievement (成果) offered for transfer; its content is in
    :class:`AchievementVersion`."""

    objects = AchievementQuerySet.as_manager()

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=_choices(ACHIEVEMENT_STATUSES), default=DRAFT)
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"成果 #{self.pk} ({self.status})"

    @property
    def current(self) -> AchievementVersion:
        version = self.versions.order_by("-number").first()
        assert version is not None, "an achievement always has a version"
        return version


class AchievementVersion(VersionFields):
    """One version of an achievement's content."""

    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="versions")
    title = models.CharField(max_length=255)
    abstract = models.TextField(blank=True, default="")
    discipline = models.CharField(max_length=8, blank=True, default="")  # GB/T 13745-2009 code
    trl = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–9
    mode = models.CharField(max_length=8, blank=True, default="")  # 转让/许可/作价入股/合作开发
    price_low = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    price_high = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    holder = models.CharField(max_length=255, blank=True, default="")  # 成果持有单位
    region_code = models.CharField(max_length=12, blank=True, default="")

    class Meta:
        ordering = ["achievement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["achievement", "number"], name="achievement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | (Q(trl__gte=1) & Q(trl__lte=9)),
                name="achievement_trl_1_9",
            ),
        ]


class Match(models.Model):
    """An achievement the engine recommended for a need, with the score and the explanation of
    that moment (the version it scored is kept), and the stage the pair has reached."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="matches")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="matches")
    need_version = models.ForeignKey(NeedVersion, on_delete=models.PROTECT, related_name="+")
    achievement_version = models.ForeignKey(
        AchievementVersion, on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    features = models.JSONField(default=dict)
    explanation_zh = models.TextField(blank=True, default="")
    explanation_en = models.TextField(blank=True, default="")
    shared_terms = models.JSONField(default=list)
    stage = models.CharField(max_length=12, choices=_choices(STAGES), default=RECOMMENDED)
    label = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["need", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "achievement"], name="match_one_per_pair")
        ]


class MatchStage(models.Model):
    """A stage a match reached: who moved it and when."""

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="stages")
    stage = models.CharField(max_length=12, choices=_choices(STAGES))
    at = models.DateTimeField()
    by = models.CharField(max_length=150, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["match", "at", "id"]


class ContractQuerySet(models.QuerySet["Contract"]):
    def in_county(self, region_code: str) -> ContractQuerySet:
        return self.filter(region_code=region_code)

    def in_year(self, year: int) -> ContractQuerySet:
        return self.filter(signed_on__year=year)


class Contract(models.Model):
    """A registered technology contract (技术合同登记): amount in whole 元."""

    objects = ContractQuerySet.as_manager()

    number = models.CharField(max_length=64, unique=True)  # 登记编号
    amount = models.PositiveBigIntegerField()  # 元
    signed_on = models.DateField()
    region_code = models.CharField(max_length=12, db_index=True)
    name = models.CharField(max_length=255, blank=True, default="")  # 合同名称
    seller = models.CharField(max_length=255, blank=True, default="")  # 卖方
    buyer = models.CharField(max_length=255, blank=True, default="")  # 买方
    match = models.OneToOneField(
        Match, null=True, blank=True, on_delete=models.PROTECT, related_name="contract"
    )
    label = models.CharField(max_length=32, blank=True, default="")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} ({self.amount} 元)"


# import attempts, talent, feedback and transfer projects: a module of their own
# 揭榜挂帅 calls and 成果征集 collections live in their own module; imported here so that Django
# finds them.
from cimon.store.libraries.call_models import (  # noqa: E402
    Call,
    CallApplication,
    CallApplicationVersion,
    CallFile,
    CallReviewer,
    CallScore,
    CallVersion,
    Collection,
    CollectionEntry,
    CollectionObjection,
    CollectionReviewer,
    EntryScore,
    Milestone,
    MilestoneReport,
)
from cimon.store.libraries.models_talent import (  # noqa: E402
    ImportAttempt,
    MatchFeedback,
    TalentProfile,
    TalentVersion,
    TransferProject,
)
from cimon.store.libraries.project_models import Project, ProjectVersion  # noqa: E402

__all__ = [
    "Achievement",
    "AchievementVersion",
    "Call",
    "CallApplication",
    "CallApplicationVersion",
    "CallFile",
    "CallReviewer",
    "CallScore",
    "CallVersion",
    "Collection",
    "CollectionEntry",
    "CollectionObjection",
    "CollectionReviewer",
    "Contract",
    "EntryScore",
    "ImportAttempt",
    "Match",
    "MatchFeedback",
    "MatchStage",
    "Milestone",
    "MilestoneReport",
    "Need",
    "NeedVersion",
    "Project",
    "ProjectVersion",
    "TalentProfile",
    "TalentVersion",
    "TransferProject",
]
