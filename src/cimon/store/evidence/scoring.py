"""Experts' scores: who may score (assigned, no declared tie), scoring an item against the guide,
the expert's score of a rubric variable fed to the evaluation, and an item's combined score.

An expert's score of a rubric variable for a county is, per criterion of the guide, the best
points that expert gave on any current item of that county and year, summed over the criteria
(at most the variable's ``max_points``). It is stored as that expert's observation of the
variable (a submission of kind ``expert``), so the panel combines the experts by the variable's
rule (trimmed mean in nx-2021), as it does for scoring sheets. An item's own score, shown to the
county after publication, is the same rule applied to each expert's points on the item
(:func:`cimon.model.panel.combine_scores`: one implementation).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from cimon.model.panel import combine_scores
from cimon.safe import safe_filename
from cimon.store import audit
from cimon.store.accounts.models import ExpertAssignment
from cimon.store.evidence.guide import Criterion, Guide, load_guide
from cimon.store.evidence.items import EvidenceError, framework, user_name
from cimon.store.evidence.models import Clarification, Conflict, Item, Score


def has_conflict(expert: Any, region_code: str) -> bool:
    return Conflict.objects.filter(expert=expert, region_code=region_code).exists()


def may_score(expert: Any, region_code: str) -> bool:
    """Is the county assigned to the expert, with no declared tie?"""
    return ExpertAssignment.objects.filter(
        expert=expert, region_code=region_code
    ).exists() and not has_conflict(expert, region_code)


def require_scorer(expert: Any, item: Item) -> None:
    if not may_score(expert, item.region_code):
        raise EvidenceError(
            "该县未分配给您，或您已申报与该县存在关联，不能评分。",
            "This county is not assigned to you, or you declared a tie to it: you may not score it.",
        )
    if not Item.objects.filter(pk=item.pk, superseded_at=None).exists():
        raise EvidenceError("该材料已有新版本，请评阅最新版本。", "This item has a newer version.")


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
    require_scorer(expert, item)
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
                expert_name=user_name(expert),
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
    ``expert``, named after the expert), superseding its earlier one. When none of the expert's
    scores counts any more (the items have new versions), an earlier observation is superseded
    by a missing value: the panel then combines the other experts only."""
    from cimon.intake.report import ValidationReport
    from cimon.intake.submission import ParsedSubmission, Record
    from cimon.store.submissions.models import Observation
    from cimon.store.submissions.services import store_submission

    name = user_name(expert)
    value = expert_variable_score(expert, region_code, year, variable, guide)
    if value is None:
        earlier = Observation.objects.current().filter(
            region_code=region_code, year=year, variable=variable, expert=name
        )
        if not earlier.exclude(value=None).exists():
            return
    fw = framework()
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
        records=[
            Record(region_code, year, variable, math.nan, "missing", expert=name)
            if value is None
            else Record(region_code, year, variable, float(value), expert=name, raw=f"{value:g}")
        ],
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
    v = next((v for v in framework().variables if v.code == variable), None)
    return getattr(v, "combine", "mean") if v is not None else "mean"


def refeed(region_code: str, year: int, variable: str, guide: Guide | None = None) -> None:
    """Feed again every expert who scored ``variable`` of the county and year (after a new
    version of an item: its old scores no longer count)."""
    guide = guide or load_guide()
    experts = {
        s.expert
        for s in Score.objects.filter(
            superseded_at=None,
            item__region_code=region_code,
            item__year=year,
            item__variable=variable,
        ).select_related("expert")
    }
    for expert in experts:
        feed(expert, region_code, year, variable, guide)
