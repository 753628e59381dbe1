"""The words of the 科技特派员 records: every choice with its Chinese and English name."""

from __future__ import annotations

from django.db.models import Q

#: (Chinese, English) names of every choice below
Names = dict[str, tuple[str, str]]

UNIT_KINDS: Names = {
    "university": ("高等院校", "University"),
    "institute": ("科研院所", "Research institute"),
    "enterprise": ("企业", "Enterprise"),
    "agency": ("事业单位", "Public agency"),
    "other": ("其他", "Other"),
}
INDIVIDUAL, LEGAL = "individual", "legal"
COMMISSIONER_KINDS: Names = {INDIVIDUAL: ("个人", "Individual"), LEGAL: ("法人", "Legal entity")}
CANDIDATE, ACTIVE, INACTIVE = "candidate", "active", "inactive"
COMMISSIONER_STATUSES: Names = {
    CANDIDATE: ("候选", "Candidate"),
    ACTIVE: ("在岗", "Active"),
    INACTIVE: ("停派", "Inactive"),
}
GENDERS: Names = {"": ("未填", "Not given"), "m": ("男", "Male"), "f": ("女", "Female")}
#: the five coverages of a 特派团 (seed 002 §三)
COVERAGE_AREAS: Names = {
    "project": ("科技项目", "Science projects"),
    "transfer": ("成果转化", "Technology transfer"),
    "talent": ("科技人才", "Science talent"),
    "platform": ("平台园区", "Platforms and parks"),
    "outreach": ("科普宣传", "Science outreach"),
}
COVERAGE_STATUSES: Names = {
    "none": ("未开展", "Not started"),
    "progress": ("推进中", "In progress"),
    "covered": ("已覆盖", "Covered"),
}
OBJECT_KINDS: Names = {
    "farmer": ("农户", "Farmer"),
    "coop": ("合作社", "Cooperative"),
    "enterprise": ("企业", "Enterprise"),
    "village": ("村集体", "Village collective"),
    "town": ("乡镇", "Town"),
}
PROPOSED, ACCEPTED, ENDED, DECLINED = "proposed", "accepted", "ended", "declined"
DISPATCH_STATUSES: Names = {
    PROPOSED: ("待县确认", "Proposed"),
    ACCEPTED: ("服务中", "Accepted"),
    ENDED: ("已结束", "Ended"),
    DECLINED: ("未接受", "Declined"),
}
RATINGS: Names = {
    "excellent": ("优秀", "Excellent"),
    "good": ("良好", "Good"),
    "pass": ("合格", "Pass"),
    "fail": ("不合格", "Fail"),
}


def choices(names: Names) -> list[tuple[str, str]]:
    return [(k, f"{zh} / {en}") for k, (zh, en) in names.items()]


CURRENT = Q(superseded_at__isnull=True)

SERVICE_KINDS: Names = {
    "guidance": ("技术指导", "Technical guidance"),
    "training": ("培训", "Training"),
    "demo": ("示范推广", "Demonstration"),
    "venture": ("创业带动", "Enterprise start-up"),
    "outreach": ("科普", "Science outreach"),
}
VENTURE_ROLES: Names = {
    "lead": ("领办", "Leads"),
    "found": ("创办", "Founded"),
    "assist": ("协办", "Assists"),
}
VENTURE_KINDS: Names = {"coop": ("合作社", "Cooperative"), "enterprise": ("企业", "Enterprise")}
#: a selection call: open for recommendations → 公示 → confirmed
CALL_OPEN, CALL_NOTICE, CALL_CONFIRMED = "open", "notice", "confirmed"
CALL_STATUSES: Names = {
    CALL_OPEN: ("推荐中", "Open"),
    CALL_NOTICE: ("公示中", "On notice"),
    CALL_CONFIRMED: ("已认定", "Confirmed"),
}
RECOMMENDED, APPROVED, REJECTED = "recommended", "approved", "rejected"
CANDIDATE_DECISIONS: Names = {
    RECOMMENDED: ("已推荐", "Recommended"),
    APPROVED: ("拟认定", "Approved"),
    REJECTED: ("未通过", "Rejected"),
}
#: an assessment: draft → county_reviewed → confirmed → notice → published
A_DRAFT, A_COUNTY, A_CONFIRMED, A_NOTICE, A_PUBLISHED = (
    "draft",
    "county_reviewed",
    "confirmed",
    "notice",
    "published",
)
ASSESSMENT_STATUSES: Names = {
    A_DRAFT: ("待初审", "Draft"),
    A_COUNTY: ("县已初审", "County reviewed"),
    A_CONFIRMED: ("省已确认", "Confirmed"),
    A_NOTICE: ("公示中", "On notice"),
    A_PUBLISHED: ("已发布", "Published"),
}
GRADES = RATINGS  # 优秀/良好/合格/不合格
