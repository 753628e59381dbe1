"""The workflow of structured 创新管理 evidence; each change in one transaction with its audit
event. None of these checks *who* the caller is beyond the rules of the workflow itself (a
county edits its own items, an expert scores only counties assigned and not tied to it): the
web policy decides which page a role reaches.

Scores feed the evaluation as expert sheets do: an expert's score of a rubric variable for a
county is, per criterion of the guide, the best points that expert gave on any current item of
that county and year, summed over the criteria (at most the variable's ``max_points``). It is
stored as that expert's observation of the variable (a submission of kind ``expert``), so the
panel combines the experts by the variable's rule (trimmed mean in nx-2021), as it does for
sheets. An item's own score, shown to the county after publication, is the same rule applied
to each expert's points on the item (:func:`cimon.model.panel.combine_scores`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cimon.errors import CimonError
from cimon.model.panel import combine_scores
from cimon.safe import display_name, safe_filename
from cimon.store import audit
from cimon.store.accounts.models import EXPERT, ExpertAssignment
from cimon.store.evidence.guide import Criterion, Guide, load_guide
from cimon.store.evidence.kinds import KINDS, clean
from cimon.store.evidence.models import Clarification, Conflict, Document, Item, Score


class EvidenceError(CimonError):
    """A step the workflow refuses, with the reason in Chinese and English."""


def max_file_bytes() -> int:
    """The size limit of one evidence file: the portal's ``CIMON_MAX_UPLOAD_MB`` (20 MB)."""
    return int(getattr(settings, "CIMON_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def _framework() -> Any:
    from cimon.store.platform import platform_framework

    return platform_framework()


# --- deadlines and publication ----------------------------------------------------------------


def evaluation_year(year: int) -> int:
    """The evaluation year that uses the data of ``year``."""
    return year + int(_framework().data_lag)


def deadline(year: int) -> dt.date | None:
    """The counties' deadline (the ``县`` row of the submissions' Deadline) for data ``year``."""
    from cimon.model.regions import COUNTY_DEPARTMENT
    from cimon.store.submissions.models import Deadline

    row = Deadline.objects.filter(
        evaluation_year=evaluation_year(year), department=COUNTY_DEPARTMENT
    ).first()
    return row.due if row is not None else None


def is_open(year: int, today: dt.date | None = None) -> bool:
    """May counties still submit and answer for data ``year`` (no deadline, or not yet past)?"""
    due = deadline(year)
    return due is None or (today or timezone.localdate()) <= due


def _require_open(year: int) -> None:
    if not is_open(year):
        raise EvidenceError(
            f"{year} 年度材料的报送截止日期（{deadline(year)}）已过，不能再提交或答复。",
            f"The deadline for {year} ({deadline(year)}) has passed: nothing more can be submitted.",
        )


def is_published(year: int) -> bool:
    """Is there a current published version of the evaluation that uses data ``year``?"""
    from cimon.store.evaluations.models import Publication

    return Publication.objects.current().filter(evaluation_year=evaluation_year(year)).exists()


# --- a county's items ---------------------------------------------------------------------------


def submit_item(
    user: Any,
    region_code: str,
    year: int,
    kind: str,
    values: dict[str, Any],
    files: Iterable[tuple[str, bytes]] = (),
    *,
    series: str | None = None,
    note: str = "",
    check_deadline: bool = True,
) -> Item:
    """Store a new item (or, with ``series``, a new version of one) with its files.

    The values are checked by :func:`cimon.store.evidence.kinds.clean`; each file must be at
    most :func:`max_file_bytes` and is stored under a safe name with its SHA-256. An earlier
    version is kept, marked superseded; its files stay with the series.
    """
    if kind not in KINDS:
        raise EvidenceError(f"未知的材料类别：{kind}", f"Unknown kind of item: {kind}")
    if check_deadline:
        _require_open(year)
    cleaned, problems = clean(KINDS[kind], values, year)
    if problems:
        raise EvidenceError("；".join(p[0] for p in problems), "; ".join(p[1] for p in problems))
    files = list(files)
    limit = max_file_bytes()
    for name, content in files:
        if len(content) > limit:
            raise EvidenceError(
                f"文件“{display_name(name)}”超过 {limit // (1024 * 1024)} MB。",
                f"File '{display_name(name)}' is larger than {limit // (1024 * 1024)} MB.",
            )
    now = timezone.now()
    with transaction.atomic():
        version, old = 1, None
        if series is not None:
            old = Item.objects.select_for_update().filter(series=series, superseded_at=None).first()
            if old is None or old.region_code != region_code or old.kind != kind:
                raise EvidenceError("该材料不存在或已被替代。", "No such current item.")
            version = old.version + 1
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
        item = Item.objects.create(
            series=series or uuid.uuid4().hex,
            version=version,
            region_code=region_code,
            year=year,
            kind=kind,
            variable=KINDS[kind].variable,
            values=cleaned,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=now,
            note=note,
        )
        for name, content in files:
            Document.objects.create(
                series=item.series,
                item=item,
                name=safe_filename(name, "evidence"),
                sent_name=display_name(name),
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                uploaded_at=now,
            )
        audit.record(
            user,
            "evidence.version" if old else "evidence.submitted",
            "evidence_item",
            item.pk,
            series=item.series,
            region_code=region_code,
            year=year,
            kind=kind,
            version=version,
            files=[hashlib.sha256(c).hexdigest() for _, c in files],
            old=old.values if old else None,
            new=cleaned,
        )
    return item


def current_items(region_code: str | None = None, year: int | None = None) -> Any:
    qs = Item.objects.filter(superseded_at=None)
    if region_code is not None:
        qs = qs.filter(region_code=region_code)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def documents(item: Item) -> Any:
    """The files of the item's series (those of earlier versions included), without content."""
    return Document.objects.filter(series=item.series).defer("content")


# --- conflicts and assignments --------------------------------------------------------------


def has_conflict(expert: Any, region_code: str) -> bool:
    return Conflict.objects.filter(expert=expert, region_code=region_code).exists()


def declare_conflict(by: Any, expert: Any, region_code: str, reason: str) -> Conflict:
    """Record that ``expert`` is tied to the county (work, family, a past role …). An existing
    assignment to that county is removed in the same transaction."""
    reason = display_name(reason, "", 300)
    if not reason:
        raise EvidenceError("请说明关联关系。", "Say what ties the expert to the county.")
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(
            expert=expert,
            region_code=region_code,
            defaults={
                "reason": reason,
                "declared_by": _name(by),
                "declared_at": timezone.now(),
            },
        )
        removed, _ = ExpertAssignment.objects.filter(
            expert=expert, region_code=region_code
        ).delete()
        if created:
            audit.record(
                by,
                "evidence.conflict",
                "user",
                expert.pk,
                region_code=region_code,
                reason=reason,
                assignment_removed=bool(removed),
            )
    return conflict


def assign(by: Any, expert: Any, region_code: str) -> ExpertAssignment:
    """Assign the county to the expert; refused when the expert has declared a tie to it."""
    acct = getattr(expert, "account", None)
    if acct is None or acct.role != EXPERT:
        raise EvidenceError("只能为专家分配县（市、区）。", "Only experts are assigned counties.")
    conflict = Conflict.objects.filter(expert=expert, region_code=region_code).first()
    if conflict is not None:
        raise EvidenceError(
            f"不能分配：专家“{_name(expert)}”已申报与该县存在关联（{conflict.reason}），应回避。",
            f"Refused: expert '{_name(expert)}' declared a tie to this county "
            f"({conflict.reason}) and must not score it.",
        )
    with transaction.atomic():
        row, created = ExpertAssignment.objects.get_or_create(
            expert=expert, region_code=region_code
        )
        if created:
            audit.record(by, "evidence.assigned", "user", expert.pk, region_code=region_code)
    return row


def may_score(expert: Any, region_code: str) -> bool:
    """Is the county assigned to the expert, with no declared tie?"""
    return ExpertAssignment.objects.filter(
        expert=expert, region_code=region_code
    ).exists() and not has_conflict(expert, region_code)


def _require_scorer(expert: Any, item: Item) -> None:
    if not may_score(expert, item.region_code):
        raise EvidenceError(
            "该县未分配给您，或您已申报与该县存在关联，不能评分。",
            "This county is not assigned to you, or you declared a tie to it: you may not score it.",
        )
    if not Item.objects.filter(pk=item.pk, superseded_at=None).exists():
        raise EvidenceError("该材料已有新版本，请评阅最新版本。", "This item has a newer version.")


# --- clarifications -------------------------------------------------------------------------


def ask(expert: Any, item: Item, question: str) -> Clarification:
    """Return the item to the county with a question (答复期限: the counties' deadline)."""
    _require_scorer(expert, item)
    question = question.strip()
    if not question:
        raise EvidenceError("请填写需要县里说明的问题。", "Write the question for the county.")
    with transaction.atomic():
        c = Clarification.objects.create(
            series=item.series,
            item=item,
            expert=expert,
            question=question[:2000],
            asked_at=timezone.now(),
            due=deadline(item.year),
        )
        audit.record(expert, "evidence.returned", "evidence_item", item.pk, question=c.question)
    return c


def open_questions(item: Item) -> Any:
    return Clarification.objects.filter(series=item.series, answered_at=None)


def answer(
    user: Any,
    clarification: Clarification,
    text: str,
    *,
    values: dict[str, Any] | None = None,
    files: Iterable[tuple[str, bytes]] = (),
) -> Clarification:
    """The county's answer, before the deadline; with ``values`` or ``files`` the item gets a
    new version as well (the answer is its note)."""
    if clarification.answered_at is not None:
        raise EvidenceError("该问题已答复。", "This question has already been answered.")
    item = Item.objects.get(series=clarification.series, superseded_at=None)
    _require_open(item.year)
    text = text.strip()
    if not text:
        raise EvidenceError("请填写答复。", "Write an answer.")
    files = list(files)
    with transaction.atomic():
        if values is not None or files:
            submit_item(
                user,
                item.region_code,
                item.year,
                item.kind,
                values if values is not None else item.values,
                files,
                series=item.series,
                note=text,
            )
        clarification.answer = text[:4000]
        clarification.answered_by = user if getattr(user, "is_authenticated", False) else None
        clarification.answered_at = timezone.now()
        clarification.save(update_fields=["answer", "answered_by", "answered_at"])
        audit.record(
            user, "evidence.answered", "evidence_item", item.pk, clarification=clarification.pk
        )
    return clarification


# --- scores -----------------------------------------------------------------------------------


def score(
    expert: Any,
    item: Item,
    points: dict[str, float | str],
    comments: dict[str, str] | None = None,
    guide: Guide | None = None,
) -> list[Score]:
    """Score ``item`` on each criterion of its kind (0 to the criterion's points, steps of 0.5).

    Refused while the expert's own question on it is unanswered. Every criterion of the kind
    must be given. Replaces the expert's earlier scores of the item's series, then updates the
    expert's observation of the rubric variable (module docstring).
    """
    guide = guide or load_guide()
    _require_scorer(expert, item)
    if Clarification.objects.filter(series=item.series, expert=expert, answered_at=None).exists():
        raise EvidenceError(
            "您退回的问题县里尚未答复，答复后再评分。",
            "The county has not yet answered your question: score after it does.",
        )
    criteria = guide.for_kind(item.kind)
    parsed: dict[str, float] = {}
    for c in criteria:
        raw = points.get(c.id)
        try:
            p = float(str(raw).strip())
        except (TypeError, ValueError):
            raise EvidenceError(
                f"请为“{c.zh[:20]}…”给出 0–{c.points:g} 分。",
                f"Give 0–{c.points:g} points for '{c.en[:30]}…'.",
            ) from None
        if not (0 <= p <= c.points) or not math.isclose(p * 2, round(p * 2)):
            raise EvidenceError(
                f"得分应在 0–{c.points:g} 之间，以 0.5 分为单位（{p:g}）。",
                f"Points must be 0–{c.points:g} in steps of 0.5 (got {p:g}).",
            )
        parsed[c.id] = p
    now = timezone.now()
    comments = comments or {}
    with transaction.atomic():
        Score.objects.filter(
            series=item.series, expert=expert, criterion__in=list(parsed), superseded_at=None
        ).update(superseded_at=now)
        rows = [
            Score.objects.create(
                series=item.series,
                item=item,
                expert=expert,
                expert_name=_name(expert),
                criterion=cid,
                points=p,
                comment=str(comments.get(cid, "")).strip()[:2000],
                guide_id=guide.id,
                guide_version=guide.version,
                guide_sha256=guide.sha256,
                scored_at=now,
            )
            for cid, p in parsed.items()
        ]
        audit.record(
            expert,
            "evidence.scored",
            "evidence_item",
            item.pk,
            points=parsed,
            guide=f"{guide.id}@{guide.version}",
        )
        feed(expert, item.region_code, item.year, item.variable, guide)
    return rows


def expert_variable_score(
    expert: Any, region_code: str, year: int, variable: str, guide: Guide
) -> float | None:
    """The expert's score of a rubric variable for a county (module docstring), None when the
    expert has scored none of its current items."""
    rows = Score.objects.filter(
        expert=expert,
        superseded_at=None,
        item__superseded_at=None,
        item__region_code=region_code,
        item__year=year,
        item__variable=variable,
    ).values_list("criterion", "points")
    best: dict[str, float] = {}
    for cid, p in rows:
        best[cid] = max(best.get(cid, 0.0), p)
    if not best:
        return None
    total = sum(best.values())
    cap = sum(c.points for c in guide.for_variable(variable))
    return min(total, cap)


def feed(expert: Any, region_code: str, year: int, variable: str, guide: Guide) -> None:
    """Store the expert's score of ``variable`` as its observation (a submission of kind
    ``expert``, named after the expert), superseding its earlier one."""
    from cimon.intake.report import ValidationReport
    from cimon.intake.submission import ParsedSubmission, Record
    from cimon.store.submissions.services import store_submission

    value = expert_variable_score(expert, region_code, year, variable, guide)
    if value is None:
        return
    fw = _framework()
    name = _name(expert)
    body = {
        "source": "cimon.store.evidence",
        "guide": f"{guide.id}@{guide.version}",
        "region_code": region_code,
        "year": year,
        "variable": variable,
        "expert": name,
        "value": value,
    }
    content = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
    file_name = safe_filename(f"创新管理评分-{name}-{region_code}-{year}-{variable}.json")
    parsed = ParsedSubmission(
        file_name=file_name,
        sha256=hashlib.sha256(content).hexdigest(),
        kind="expert",
        year=year,
        framework_id=fw.id,
        framework_version=fw.version,
        framework_hash=fw.hash,
        department="",
        region_code="",
        expert=name,
        template_version="evidence",
        records=[Record(region_code, year, variable, float(value), expert=name, raw=f"{value:g}")],
        claims=[],
        report=ValidationReport(file_name),
    )
    store_submission(
        parsed,
        content,
        framework=fw,
        user=expert.get_username(),
        user_account=expert,
        note="创新管理材料评分 / evidence scores",
    )


@dataclass
class ItemResult:
    """One item's scores: per expert the points per criterion, and the combined score."""

    item: Item
    criteria: list[Criterion]
    by_expert: dict[str, dict[str, float]] = field(default_factory=dict)
    comments: dict[str, dict[str, str]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    score: float = math.nan
    per_criterion: dict[str, float] = field(default_factory=dict)
    guide_versions: set[str] = field(default_factory=set)


def item_result(item: Item, guide: Guide | None = None) -> ItemResult:
    """Every expert's current points on the item and the item's score: the experts' totals
    combined by the rubric variable's rule (trimmed mean in nx-2021: drop the highest and the
    lowest when there are three or more)."""
    guide = guide or load_guide()
    res = ItemResult(item, guide.for_kind(item.kind))
    for s in Score.objects.filter(series=item.series, item=item, superseded_at=None):
        res.by_expert.setdefault(s.expert_name, {})[s.criterion] = s.points
        res.comments.setdefault(s.expert_name, {})[s.criterion] = s.comment
        res.guide_versions.add(f"{s.guide_id}@{s.guide_version}")
    res.totals = {e: sum(p.values()) for e, p in res.by_expert.items()}
    how = _combine(item.variable)
    if res.totals:
        res.score = combine_scores(np.array(list(res.totals.values()), float), how)
        for c in res.criteria:
            xs = [p[c.id] for p in res.by_expert.values() if c.id in p]
            res.per_criterion[c.id] = combine_scores(np.array(xs, float), how) if xs else math.nan
    return res


def _combine(variable: str) -> str:
    v = next((v for v in _framework().variables if v.code == variable), None)
    return getattr(v, "combine", "mean") if v is not None else "mean"


def _name(user: Any) -> str:
    if user is None:
        return ""
    if isinstance(user, str):
        return user
    acct = getattr(user, "account", None)
    return (getattr(acct, "display_name", "") or "") or user.get_username()
