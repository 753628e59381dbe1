"""The programme workflow: draft → submitted → eligible/ineligible → reviewed → notice →
designated/rejected; then yearly progress and acceptance. Every write is audited
(:mod:`cimon.store.audit`) in the same transaction; nothing stored is overwritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.analysis.target_base import STATUSES as TARGET_STATUSES
from cimon.analysis.target_base import Context
from cimon.analysis.target_kinds import make_kind
from cimon.store import audit
from cimon.store.evaluations.notice import strict_period
from cimon.store.programmes import sources
from cimon.store.programmes.eligibility import check_rules, read_programme_file
from cimon.store.programmes.models import (
    LEVELS,
    Application,
    Batch,
    PlanVersion,
    Programme,
    ProgressReport,
    ReviewScore,
)

#: status → the statuses it may move to
MOVES: dict[str, tuple[str, ...]] = {
    "draft": ("submitted",),
    "submitted": ("eligible", "ineligible"),
    "eligible": ("reviewed",),
    "reviewed": ("notice",),
    "notice": ("designated", "rejected"),
}


#: the pipeline's stages as the province follows them: stage → the statuses it holds
PIPELINE: dict[str, tuple[str, ...]] = {
    "applied": ("submitted", "eligible", "ineligible", "reviewed", "notice"),
    "designated": ("designated",),
    "rejected": ("rejected",),
}


def stage(app: Application) -> str:
    """Where a designated application stands: ``accepted`` (a published acceptance that passed),
    ``midterm`` (a current mid-term review), else its pipeline stage; '' for a draft."""
    if app.status == "designated":
        if any(x.result == "pass" and x.status == "published" for x in app.acceptances.all()):
            return "accepted"
        if any(m.superseded_at is None for m in app.midterms.all()):
            return "midterm"
    return next((k for k, v in PIPELINE.items() if app.status in v), "")


def pipeline(apps: Sequence[Application]) -> list[dict[str, Any]]:
    """The applications by batch, with the count per stage reached (:data:`PIPELINE`; a
    designated unit also counts under ``midterm`` once reviewed and ``accepted`` once its
    acceptance passed and was published); drafts are counted nowhere."""
    batches: dict[int, dict[str, Any]] = {}
    for a in apps:
        b = batches.setdefault(a.batch_id, {"batch": a.batch, "apps": [], "counts": {}})
        b["apps"].append(a)
        stages = [k for k, statuses in PIPELINE.items() if a.status in statuses]
        if a.status == "designated" and any(m.superseded_at is None for m in a.midterms.all()):
            stages.append("midterm")
        if stage(a) == "accepted":
            stages.append("accepted")
        for st in stages:
            b["counts"][st] = b["counts"].get(st, 0) + 1
    return list(batches.values())


class ProgrammeError(ValueError):
    """A step the workflow refuses; ``args`` = (Chinese, English)."""


def _move(app: Application, to: str) -> None:
    if to not in MOVES.get(app.status, ()):
        raise ProgrammeError(
            f"申报状态为“{app.status}”，不能转为“{to}”。",
            f"The application is {app.status}; it cannot move to {to}.",
        )
    app.status = to


def define_programme(ref: str = "innovative-county") -> Programme:
    """The programme of a definition file (bundled code or path); loading the same code again
    returns the stored one unchanged."""
    data, sha = read_programme_file(ref)
    found = Programme.objects.filter(code=data["code"]).first()
    if found is not None:
        return found
    level = str(data.get("level", "county"))
    if level not in LEVELS:
        raise ProgrammeError(f"未知的单位层级 {level}。", f"Unknown unit level {level}.")
    with transaction.atomic():
        prog = Programme.objects.create(
            code=data["code"],
            name_zh=data["name_zh"],
            name_en=data.get("name_en", ""),
            kind=data.get("kind", "own"),
            level=level,
            themes=list(data.get("themes", [])),
            rules={"eligibility": data.get("eligibility", [])},
            rules_sha256=sha,
            created_at=timezone.now(),
        )
        audit.record(None, "programme.define", "programme", prog.code, sha256=sha)
    return prog


def open_batch(user: Any, prog: Programme, year: int, opens_on: date, closes_on: date) -> Batch:
    if closes_on < opens_on:
        raise ProgrammeError("截止日期早于开始日期。", "The batch closes before it opens.")
    with transaction.atomic():
        batch = Batch.objects.create(
            programme=prog, year=year, opens_on=opens_on, closes_on=closes_on,
            created_at=timezone.now(),
        )  # fmt: skip
        audit.record(user, "programme.batch", "batch", batch.pk, programme=prog.code, year=year)
    return batch


def check_plan(targets: Sequence[Mapping[str, Any]], themes: Sequence[str], theme: str) -> None:
    """Refuse a plan whose theme is not the programme's or whose targets' kinds or parameters
    the target kinds (:mod:`cimon.analysis.target_kinds`) refuse."""
    if themes and theme not in themes:
        raise ProgrammeError(
            f"主题“{theme}”不在本项目的主题中：{'、'.join(themes)}。",
            f"Theme '{theme}' is not one of the programme's: {', '.join(themes)}.",
        )
    codes = [str(t.get("code", "")) for t in targets]
    if any(not c for c in codes) or len(set(codes)) != len(codes):
        raise ProgrammeError("每个目标须有唯一的编号。", "Every target needs a unique code.")
    for t in targets:
        params = t.get("params") or {}
        if not isinstance(params, Mapping):
            raise ProgrammeError(
                f"目标 {t['code']} 的参数应为映射。", f"Target {t['code']}: params is a mapping."
            )
        make_kind(str(t.get("kind", "level")), params, where=str(t["code"]))
        if t.get("source"):
            refused = sources.check_source(str(t["code"]), str(t["source"]), t.get("source_params"))
            if refused:
                raise ProgrammeError(*refused)
        try:
            int(t["deadline"])
            None if t.get("baseline") is None else float(t["baseline"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ProgrammeError(
                f"目标 {t['code']} 须有年份形式的期限（deadline）和数值形式的基期值（baseline）。",
                f"Target {t['code']} needs a deadline year and a numeric baseline.",
            ) from exc


def save_plan(
    user: Any,
    app: Application,
    *,
    theme: str,
    base_year: int,
    targets: Sequence[Mapping[str, Any]],
    tasks: Sequence[Mapping[str, Any]] = (),
    budget_yuan: int = 0,
) -> PlanVersion:
    """A new version of the plan (the old one is superseded); only while a draft."""
    if app.status != "draft":
        raise ProgrammeError("只有草稿可以修改建设方案。", "Only a draft's plan can be edited.")
    if int(budget_yuan) != budget_yuan or budget_yuan < 0:
        raise ProgrammeError("预算须为非负整数元。", "The budget is a whole, non-negative 元.")
    check_plan(targets, app.batch.programme.themes, theme)
    now = timezone.now()
    with transaction.atomic():
        old = app.plan()
        if old is not None:
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
        plan = PlanVersion.objects.create(
            application=app,
            version=(old.version + 1) if old else 1,
            theme=theme,
            base_year=base_year,
            targets=[dict(t) for t in targets],
            tasks=[dict(t) for t in tasks],
            budget_yuan=int(budget_yuan),
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=now,
        )
        audit.record(user, "programme.plan", "application", app.pk, version=plan.version)
    return plan


def apply(
    user: Any, batch: Batch, county: str, *, unit: str = "", unit_level: str = "county",
    today: date | None = None, label: str = "", **plan: Any,
) -> Application:  # fmt: skip
    """A draft application of ``county`` (or of its town or village ``unit``) with its plan."""
    today = today or timezone.localdate()
    if not batch.opens_on <= today <= batch.closes_on:
        raise ProgrammeError(
            f"申报期为 {batch.opens_on} 至 {batch.closes_on}，今天（{today}）不在其中。",
            f"The batch is open from {batch.opens_on} to {batch.closes_on}, not on {today}.",
        )
    if unit_level not in LEVELS or (unit_level == "county") == bool(unit):
        raise ProgrammeError(
            "县级申报不填乡镇或村；乡镇或村须由所在县申报并填写名称。",
            "A county applies without a unit; a town or village names itself and applies "
            "through its county.",
        )
    if Application.objects.filter(batch=batch, county=county, unit=unit).exists():
        raise ProgrammeError(
            f"{unit or county} 已在本批次申报。", f"{unit or county} has applied in this batch."
        )
    with transaction.atomic():
        app = Application.objects.create(
            batch=batch, county=county, unit=unit, unit_level=unit_level, label=label,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=timezone.now(),
        )  # fmt: skip
        audit.record(user, "programme.apply", "application", app.pk, county=county, unit=unit)
        save_plan(user, app, **plan)
    return app


def submit(user: Any, app: Application) -> Application:
    with transaction.atomic():
        _move(app, "submitted")
        app.save(update_fields=["status"])
        audit.record(user, "programme.submit", "application", app.pk, old="draft", new="submitted")
    return app


def latest_published_row(county: str) -> tuple[dict[str, Any] | None, int | None]:
    """The county's row (by region code or name) in the latest current published evaluation of
    its province (on an instance hosting several: the province of the county's code, #20)."""
    from cimon.store.evaluations.models import Publication
    from cimon.store.national.hosting import code_province

    province = code_province(county)
    if province is None:
        return None, None
    pub = Publication.objects.current().filter(province=province)
    pub = pub.order_by("-evaluation_year").first()
    if pub is None:
        return None, None
    for row in pub.results:
        if county in (row.get("region_code"), row.get("name")):
            return dict(row), pub.evaluation_year
    return None, pub.evaluation_year


def check_eligibility(user: Any, app: Application) -> Application:
    """Decide eligibility by the programme's rules on the county's latest published result;
    the rule and the reason are stored with the application."""
    row, year = latest_published_row(app.county)
    decision = check_rules(app.batch.programme.rules.get("eligibility", []), row, year)
    with transaction.atomic():
        old = app.status
        _move(app, "eligible" if decision.eligible else "ineligible")
        app.eligibility = decision.as_json()
        app.save(update_fields=["status", "eligibility"])
        audit.record(
            user, "programme.eligibility", "application", app.pk, old=old, new=app.status,
            rule=decision.rule, reason=decision.reason_zh,
        )  # fmt: skip
    return app


def score(user: Any, app: Application, points: float, comment: str = "") -> ReviewScore:
    """An expert's score of an eligible application; a new score by the same expert
    supersedes the old (both are kept)."""
    if app.status != "eligible":
        raise ProgrammeError("只能评审符合条件的申报。", "Only eligible applications are scored.")
    if not 0 <= float(points) <= 100:
        raise ProgrammeError("评分须在 0 至 100 之间。", "Points are between 0 and 100.")
    now = timezone.now()
    with transaction.atomic():
        ReviewScore.objects.filter(application=app, expert=user, superseded_at__isnull=True).update(
            superseded_at=now
        )
        s = ReviewScore.objects.create(
            application=app, expert=user, points=float(points), comment=comment, scored_at=now,
            expert_name=getattr(user, "get_full_name", lambda: "")() or user.get_username(),
        )  # fmt: skip
        audit.record(user, "programme.score", "application", app.pk, points=float(points))
    return s


def mean_score(app: Application) -> float | None:
    pts = [s.points for s in app.scores.filter(superseded_at__isnull=True)]
    return sum(pts) / len(pts) if pts else None


def finish_review(user: Any, app: Application) -> Application:
    if mean_score(app) is None:
        raise ProgrammeError("尚无专家评分。", "No expert has scored the application.")
    with transaction.atomic():
        _move(app, "reviewed")
        app.save(update_fields=["status"])
        audit.record(user, "programme.review", "application", app.pk, mean=mean_score(app))
    return app


def put_on_notice(
    user: Any, apps: Sequence[Application], start_on: date | None = None,
    end_on: date | None = None, *, today: date | None = None,
) -> None:  # fmt: skip
    """Put reviewed applications on 公示 from ``start_on`` (default today) to ``end_on``
    (default the shortest period); never backdated, never shorter than the notice period."""
    start_on, end_on = strict_period(
        start_on, end_on, today or timezone.localdate(), ProgrammeError
    )
    with transaction.atomic():
        for app in apps:
            _move(app, "notice")
            app.notice_start, app.notice_end = start_on, end_on
            app.save(update_fields=["status", "notice_start", "notice_end"])
            audit.record(
                user, "programme.notice", "application", app.pk,
                start=str(start_on), end=str(end_on),
            )  # fmt: skip


def decide(user: Any, app: Application, designate: bool, *, today: date | None = None) -> None:
    """Designate (命名) or reject after the notice period has ended."""
    today = today or timezone.localdate()
    if app.status == "notice" and app.notice_end is not None and today <= app.notice_end:
        raise ProgrammeError(
            f"公示期至 {app.notice_end} 结束，之后才能命名。",
            f"The notice runs until {app.notice_end}; designation comes after it.",
        )
    with transaction.atomic():
        _move(app, "designated" if designate else "rejected")
        app.decided_at = timezone.now()
        app.save(update_fields=["status", "decided_at"])
        audit.record(user, "programme.decide", "application", app.pk, new=app.status)


def report_progress(
    user: Any, app: Application, year: int, target_code: str, value: float | None,
    narrative: str = "", file_name: str = "", content: bytes | None = None,
) -> ProgressReport:  # fmt: skip
    """One yearly value of one target of a designated unit's plan; a correction supersedes."""
    from cimon.safe import safe_filename

    if app.status != "designated":
        raise ProgrammeError("只有已命名的单位报送进展。", "Only designated units report progress.")
    plan = app.plan()
    codes = {str(t["code"]) for t in (plan.targets if plan else []) if not t.get("source")}
    if target_code not in codes:
        raise ProgrammeError(
            f"建设方案中没有需报送的目标 {target_code}（由已存数据计算的目标无需报送）。",
            f"The plan has no reported target {target_code} (computed targets are not reported).",
        )
    now = timezone.now()
    with transaction.atomic():
        ProgressReport.objects.filter(
            application=app, year=year, target_code=target_code, superseded_at__isnull=True
        ).update(superseded_at=now)
        rep = ProgressReport.objects.create(
            application=app, year=year, target_code=target_code,
            value=None if value is None else float(value), narrative=narrative,
            file_name=safe_filename(file_name) if file_name else "", content=content,
            sha256=hashlib.sha256(content).hexdigest() if content else "",
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=now,
        )  # fmt: skip
        audit.record(
            user, "programme.progress", "application", app.pk, year=year, target=target_code,
            value=value, sha256=rep.sha256,
        )  # fmt: skip
    return rep


def _observations(app: Application, plan: PlanVersion, t: Mapping[str, Any]) -> dict[str, Any]:
    """A target's values by year: the baseline, then the stored data of its source (computed)
    or the current progress reports (reported), with how they were obtained."""
    code = str(t["code"])
    obs: dict[int, float] = {}
    if t.get("baseline") is not None:
        obs[int(plan.base_year)] = float(t["baseline"])
    source = str(t.get("source") or "")
    params = t.get("source_params") or {}
    wired = True
    if source:  # computed from stored data; reports are not used
        years = range(
            int(plan.base_year) + 1, min(int(t["deadline"]), timezone.localdate().year) + 1
        )
        values, wired = sources.stored_values(app.county, source, params, years)
        obs.update(values)
    else:
        for r in app.progress.filter(superseded_at__isnull=True, target_code=code):
            if r.value is not None:
                obs[r.year] = r.value
    return {"obs": obs, "source": source, "params": params, "wired": wired}


def target_statuses(app: Application) -> list[dict[str, Any]]:
    """Each target of the current plan with the status its kind computes from the baseline and
    the stored progress reports or, for a target with a ``source``, the stored data
    (``status``, ``label_zh``, ``rule_zh``, ``rule_en``, ``computed``, ``source_zh/en``)."""
    plan = app.plan()
    if plan is None:
        return []
    out = []
    for t in plan.targets:
        code = str(t["code"])
        got = _observations(app, plan, t)
        kind = make_kind(str(t.get("kind", "level")), t.get("params") or {}, where=code)
        v = kind.evaluate(
            Context(code=code, series={code: got["obs"]}, base_year=int(plan.base_year),
                    deadline=int(t["deadline"]))
        )  # fmt: skip
        src_zh, src_en = (
            sources.source_label(got["source"], got["params"])
            if got["source"]
            else ("填报", "reported")
        )
        rule_zh, rule_en = v.rule_zh, v.rule_en
        if not got["wired"]:
            rule_zh += "（该数据来源尚未接入，暂无计算值）"
            rule_en += " (this data source is not wired yet: no computed value)"
        out.append(
            {
                "code": code, "name": t.get("name", code), "deadline": int(t["deadline"]),
                "source": got["source"] or "reported", "computed": bool(got["source"]),
                "source_zh": src_zh, "source_en": src_en, "wired": got["wired"],
                "units": list(t.get("units", [])), "status": v.status,
                "label_zh": TARGET_STATUSES[v.status][0], "label_en": TARGET_STATUSES[v.status][1],
                "rule_zh": rule_zh, "rule_en": rule_en, "latest": v.latest,
                "latest_year": v.latest_year,
            }
        )  # fmt: skip
    return out


def status_counts(app: Application) -> dict[str, int]:
    """How many targets of the current plan have each status (:func:`target_statuses`)."""
    out: dict[str, int] = {}
    for t in target_statuses(app):
        out[t["label_zh"]] = out.get(t["label_zh"], 0) + 1
    return out
