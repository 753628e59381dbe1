"""Plans with targets uploaded on the platform (issue #19 item 2): a county's, a city's or the
province's plan (YAML or Excel, :func:`cimon.analysis.plans.read_plan_upload`), for its own area
or for several units; the responsible units report progress per target (value, narrative,
evidence file) and every target gets its status with the rule that decided it.

* :func:`upload_plan` — read all-or-nothing (every bad cell reported, nothing stored until all
  are right); the file is kept byte for byte with its SHA-256; a new upload of the same plan id
  writes a new version and supersedes the old (kept).
* :func:`report_target` — one year's value of one reported target (per unit for 全覆盖); a
  correction supersedes the earlier report (kept, :func:`history`).
* :func:`statuses` — each target's status (:func:`cimon.analysis.plans.plan_status`) from the
  current reports and, for a target that names an evaluation result (``indicator: score``,
  ``rank``, ``class_count:A``), the current published results; a target naming a framework
  indicator or variable, or with a ``formula``, from the stored submissions
  (:mod:`cimon.store.programmes.target_stored`; reports fill only the years without).

Every write is audited (``programme.target_plan``, ``programme.target_report``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.analysis.plans import PlanRead, plan_status, read_plan_upload
from cimon.analysis.target_base import STATUSES, UNIT_SEP
from cimon.analysis.targets import CountyPlan, Series
from cimon.store import audit
from cimon.store.programmes.models import TargetPlan, TargetReport
from cimon.store.programmes.services import ProgrammeError
from cimon.store.programmes.target_stored import is_published_result, merge, stored_values

#: the largest plan file accepted (the bounded Excel checks run within their own limits)
MAX_PLAN_BYTES = 16 * 1024 * 1024
#: the largest evidence file of a report
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


class PlanRefused(ProgrammeError):
    """An upload that was not stored: ``args`` = (Chinese, English); ``read.report`` holds every
    issue with its sheet and cell."""

    def __init__(self, zh: str, en: str, read: PlanRead) -> None:
        super().__init__(zh, en)
        self.read = read


def upload_plan(
    user: Any, data: bytes, filename: str, level: str | None = None, label: str = "",
    *, levels: Sequence[str] | None = None, own_only: bool = False,
) -> TargetPlan:  # fmt: skip
    """Store an uploaded plan after reading it whole; refused (:class:`PlanRefused`) with every
    issue when any target is wrong. ``levels``: the plan levels this uploader may store (None:
    any); ``own_only``: a new version of a stored plan only by the account that uploaded it."""
    from cimon.safe import safe_filename

    if len(data) > MAX_PLAN_BYTES:
        raise ProgrammeError(
            f"方案文件 {filename} 超过 {MAX_PLAN_BYTES // 2**20} MB，未读取。请拆分后上传。",
            f"The plan {filename} is larger than {MAX_PLAN_BYTES // 2**20} MB and was not read. "
            "Split it and upload again.",
        )
    name = safe_filename(filename) or "plan.xlsx"
    read = _check_sources(read_plan_upload(data, name, level))
    if read.plan is None:
        n = read.report.error_count
        raise PlanRefused(
            f"方案文件 {name} 有 {n} 处错误，未导入任何目标。请逐项改正后重新上传整个文件。",
            f"The plan {name} has {n} error(s); no target was imported. Correct each and upload "
            "the whole file again.",
            read,
        )
    plan = read.plan
    if levels is not None and plan.level not in levels:
        raise ProgrammeError(
            f"方案 {plan.id} 的层级为 {plan.level}，您只能上传 {'、'.join(levels)} 级方案。",
            f"Plan {plan.id} is at level {plan.level}; you may upload {', '.join(levels)} plans.",
        )
    now = timezone.now()
    with transaction.atomic():
        old = TargetPlan.objects.filter(ref=plan.id, superseded_at__isnull=True).first()
        if old is not None and own_only and old.uploaded_by_id != getattr(user, "pk", None):
            raise ProgrammeError(
                f"方案编号 {plan.id} 已由其他账号上传；请改用新的编号（方案表的 id）。",
                f"Plan id {plan.id} was uploaded by another account; use a new id (the plan's id).",
            )
        if old is not None and not _may_supersede(user, old):
            raise ProgrammeError(
                f"方案编号 {plan.id} 已由其他省份的账号上传，不能上传其新版本；请改用新的编号（方案表的 id）。",
                f"Plan id {plan.id} was uploaded by an account of another province: you may not "
                "upload a new version of it; use a new id (the plan's id).",
            )
        if old is not None:
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
        tp = TargetPlan.objects.create(
            ref=plan.id, version=(old.version + 1) if old else 1, level=plan.level,
            area=plan.county, units=list(plan.units), title=plan.plan_zh, file_name=name,
            content=data, sha256=hashlib.sha256(data).hexdigest(), targets=summary(plan),
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=now, label=label,
        )  # fmt: skip
        audit.record(
            user, "programme.target_plan", "target_plan", tp.pk, ref=tp.ref,
            version=tp.version, sha256=tp.sha256, targets=len(tp.targets),
        )  # fmt: skip
    return tp


def _may_supersede(user: Any, old: TargetPlan) -> bool:
    """May ``user`` store a new version of ``old`` as far as provinces go (#20): always on a
    single-province instance and for a superuser; else only an account of the province of the
    account that uploaded it (plan references are one namespace)."""
    from cimon.store.national.hosting import same_member

    return bool(getattr(user, "is_superuser", False)) or same_member(user, old.uploaded_by_id)


def _check_sources(read: PlanRead) -> PlanRead:
    """Refuse (no plan) a read whose targets name an unknown stored-data source or miss its
    parameters, with the target's code (:func:`cimon.store.programmes.sources.check_source`,
    the applications' registry)."""
    from cimon.store.programmes.sources import check_source

    for item in read.plan.items if read.plan is not None else ():
        if item.source is None:
            continue
        refused = check_source(item.code, item.source, dict(item.source_params))
        if refused is not None:
            col = read.columns.get("source")
            read.report.add(
                "mapping.invalid", *refused, "请改正该目标的数据来源后重新上传整个文件。",
                "Correct the target's source and upload the whole file again.",
                cell=f"{col}:{col}" if col else f"{item.code}.source",
            )  # fmt: skip
    if not read.report.ok:
        read.plan = None
    return read


def summary(plan: CountyPlan) -> list[dict[str, Any]]:
    """The targets of a plan as stored with it (for lists and permissions)."""
    return [
        {
            "code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "kind": i.kind,
            "unit": i.unit, "target": i.target, "deadline": i.deadline,
            "responsible": list(i.responsible), "applies_to": i.applies_to,
            "source_kind": i.source_kind, "indicator": i.indicator or "",
            "source": i.source or "",
            "units": list(i.params.get("units", ())) if i.kind == "coverage" else [],
        }
        for i in plan.items
    ]  # fmt: skip


def load(tp: TargetPlan) -> CountyPlan:
    """The plan as the analysis reads it, from the stored bytes."""
    read = read_plan_upload(bytes(tp.content), tp.file_name, tp.level)
    if read.plan is None:  # pragma: no cover - stored files were read before they were stored
        raise ProgrammeError("已存方案无法读取。", "The stored plan cannot be read.")
    return read.plan


def target_of(tp: TargetPlan, code: str) -> dict[str, Any]:
    for t in tp.targets:
        if t["code"] == code:
            return dict(t)
    raise ProgrammeError(
        f"方案 {tp.ref} 中没有目标 {code}。", f"Plan {tp.ref} has no target {code}."
    )


def report_target(
    user: Any, tp: TargetPlan, code: str, year: int, value: float | None, *,
    narrative: str = "", unit: str = "", reporter: str = "", file_name: str = "",
    content: bytes | None = None, label: str = "",
) -> TargetReport:  # fmt: skip
    """One year's value of one reported target of the current plan (``unit``: the unit of a
    全覆盖 target's set it is for); a correction of the same target, unit and year supersedes
    the earlier report."""
    from cimon.safe import safe_filename

    if tp.superseded_at is not None:
        raise ProgrammeError(
            "该方案已有新版本，请在当前版本上报送。",
            "This plan has a newer version; report on the current one.",
        )
    t = target_of(tp, code)
    if not reportable(t):
        raise ProgrammeError(
            f"目标 {code} 由已公布的评价结果计算，无需报送。",
            f"Target {code} is computed from the published evaluation results; it is not reported.",
        )
    if (t["kind"] == "coverage") != bool(unit.strip()):
        raise ProgrammeError(
            f"目标 {code}：全覆盖目标须填写所报单位（如某乡镇），其他目标不填单位。",
            f"Target {code}: a coverage target needs the unit reported (e.g. a town); other "
            "targets take no unit.",
        )
    if not 1990 <= int(year) <= int(t["deadline"]) + 1:
        raise ProgrammeError(
            f"目标 {code}：年度 {year} 不在方案期内（至 {t['deadline']} 年）。",
            f"Target {code}: year {year} is outside the plan (deadline {t['deadline']}).",
        )
    if content is not None and len(content) > MAX_EVIDENCE_BYTES:
        raise ProgrammeError(
            f"佐证文件 {file_name} 超过 20 MB。请压缩或拆分后上传。",
            f"The evidence file {file_name} is larger than 20 MB. Compress or split it.",
        )
    if value is None and not narrative.strip():
        raise ProgrammeError(
            f"目标 {code}：请填写数值或进展说明。", f"Target {code}: give a value or a narrative."
        )
    now = timezone.now()
    with transaction.atomic():
        TargetReport.objects.filter(
            plan_ref=tp.ref, target_code=code, unit=unit.strip(), year=year,
            superseded_at__isnull=True,
        ).update(superseded_at=now)  # fmt: skip
        rep = TargetReport.objects.create(
            plan_ref=tp.ref, target_code=code, unit=unit.strip(), year=int(year),
            value=None if value is None else float(value), narrative=narrative,
            reporter=reporter, file_name=safe_filename(file_name) if file_name else "",
            content=content, sha256=hashlib.sha256(content).hexdigest() if content else "",
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=now, label=label,
        )  # fmt: skip
        audit.record(
            user, "programme.target_report", "target_plan", tp.pk, ref=tp.ref, target=code,
            unit=rep.unit, year=rep.year, value=rep.value, sha256=rep.sha256,
        )  # fmt: skip
    return rep


def reportable(t: dict[str, Any]) -> bool:
    """May a target (as stored in ``TargetPlan.targets``) be reported? Every target but those
    computed from the published results; a report of a target computed from stored data is
    used only for a year the stored data leave empty."""
    return t.get("source_kind") == "reported" or not is_published_result(t.get("indicator"))


def history(tp: TargetPlan, code: str | None = None) -> list[TargetReport]:
    """Every report of the plan (or of one target), superseded ones included, oldest first."""
    qs = TargetReport.objects.filter(plan_ref=tp.ref)
    if code is not None:
        qs = qs.filter(target_code=code)
    return list(qs.order_by("target_code", "unit", "year", "created_at", "id"))


def reported_series(tp: TargetPlan) -> Series:
    """The current reports as the analysis's values: ``code`` (or ``code@unit``) → year → value."""
    out: Series = {}
    for r in TargetReport.objects.filter(plan_ref=tp.ref, superseded_at__isnull=True):
        if r.value is not None:
            key = f"{r.target_code}{UNIT_SEP}{r.unit}" if r.unit else r.target_code
            out.setdefault(key, {})[r.year] = r.value
    return out


def published_series(plan: CountyPlan) -> Series:
    """The values of targets naming an evaluation result from the current published results,
    by evaluation year: ``score`` (the published score of the target's ``applies_to`` unit or
    the plan's area), ``rank`` (its place among the counties tagged with the target's
    ``peer_group``; ties share the best place) and ``class_count:<class>``."""
    from cimon.store.programmes.sources import publications, publications_province

    wanted = [i for i in plan.items if i.indicator in ("score", "rank")
              or (i.indicator or "").startswith("class_count:")]  # fmt: skip
    if not wanted:
        return {}
    out: Series = {}
    for pub in publications(publications_province(plan.county)):
        rows: Sequence[dict[str, Any]] = pub.results
        for item in wanted:
            ind = str(item.indicator)
            if ind.startswith("class_count:"):
                label = ind.split(":", 1)[1]
                count = sum(1 for r in rows if r.get("class") == label)
                out.setdefault(item.code, {})[pub.evaluation_year] = float(count)
                continue
            who = item.applies_to or plan.county
            row = next((r for r in rows if who in (r.get("region_code"), r.get("name"))), None)
            v = None if row is None else _score(row)
            if v is not None and ind == "rank":
                v = _peer_place(rows, row, str(item.params.get("peer_group", "")))
            if v is not None:
                out.setdefault(item.code, {})[pub.evaluation_year] = float(v)
    return out


def _score(row: dict[str, Any]) -> float | None:
    v = row.get("score_published", row.get("score"))
    return None if v is None else float(v)


def _peer_place(rows: Sequence[dict[str, Any]], row: Any, group: str) -> float | None:
    """The county's place among the published counties tagged ``group`` in the platform's
    region registry (ties share the best place); None when it is not in the group."""
    from cimon.analysis.target_kinds import peer_rank
    from cimon.store.platform import platform_registry

    members = {r.code for r in platform_registry() if group in r.tags}
    scores = {
        str(r["region_code"]): s
        for r in rows
        if str(r.get("region_code")) in members and (s := _score(r)) is not None
    }
    code = str(row.get("region_code"))
    return float(peer_rank(scores, code)) if code in scores else None


def plan_province(tp: TargetPlan) -> str | None:
    """The province whose publications the plan's targets are checked against: "" on a
    single-province instance; on a multi-province one the province of its area's code, else
    of the account that uploaded it (#20)."""
    from cimon.store.national.hosting import code_province, hosted, user_province_of_id

    if not hosted():
        return ""
    found = code_province(tp.area)
    if found is None and tp.uploaded_by_id is not None:
        found = user_province_of_id(tp.uploaded_by_id)
    return found


def statuses(tp: TargetPlan) -> list[dict[str, Any]]:
    """Each target of the plan with its status, the rule that decided it (zh, en), the
    latest value and whether it is computed or reported."""
    from cimon.store.programmes.sources import in_province

    plan = load(tp)
    with in_province(plan_province(tp)):  # several hosted provinces: the plan's (#20)
        stored = stored_values(plan)
        computed = dict(stored.values)
        computed.update(published_series(plan))
    series, won = merge(reported_series(tp), computed)
    out = []
    for s in plan_status(plan, series):
        i = s.item
        zh, en = _source_names(i, stored.names.get(i.code), won.get(i.code, "none"))
        out.append(
            {
                "code": i.code, "name_zh": i.name_zh, "name_en": i.name_en, "kind": i.kind,
                "deadline": i.deadline, "responsible": list(i.responsible),
                "applies_to": i.applies_to, "computed": i.source_kind == "computed",
                "indicator": i.indicator or i.formula or "", "status": s.status,
                "label_zh": STATUSES[s.status][0], "label_en": STATUSES[s.status][1],
                "rule_zh": s.rule_zh, "rule_en": s.rule_en, "target": s.target_value,
                "latest": s.latest, "latest_year": s.latest_year, "quote_zh": i.quote_zh,
                "source_zh": zh, "source_en": en, "won": won.get(i.code, "none"),
            }
        )  # fmt: skip
    return out


#: which values decided a computed target: (Chinese, English)
WON = {
    "stored": ("采用已存数据", "stored data used"),
    "both": (
        "采用已存数据，无已存数据的年度采用填报值",
        "stored data used; reports fill the years without",
    ),
    "reported": ("无已存数据，采用填报值", "no stored data: the reports used"),
    "none": ("无已存数据，也无填报值", "no stored data and no report"),
}


def _source_names(item: Any, stored: tuple[str, str] | None, won: str) -> tuple[str, str]:
    """How the page names where a target's values came from."""
    if item.source_kind == "reported":
        return "填报", "reported"
    if stored is None:  # a published evaluation result
        return (
            f"计算：已公布评价结果 {item.indicator}",
            f"computed: published results {item.indicator}",
        )
    zh, en = WON[won]
    return f"{stored[0]}；{zh}", f"{stored[1]}; {en}"


#: the columns of :func:`statuses_xlsx`
XLSX_COLUMNS = (
    "代码 code", "目标 target", "类型 kind", "期限 deadline", "责任单位 responsible",
    "适用单位 applies to", "来源 values", "最新年度 latest year", "最新值 latest",
    "状态 status", "判定规则 rule", "Rule (en)", "原文 wording",
)  # fmt: skip


def statuses_xlsx(tp: TargetPlan) -> bytes:
    """One row per target of the plan with its deadline, responsible units, status and the rule
    that decided it (text cells never become formulas); 模拟数据 in the title row when the plan
    is demo data."""
    import io

    from openpyxl import Workbook

    from cimon.safe import append

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "目标"
    append(ws, (f"{tp.title or tp.ref} v{tp.version}" + (f" · {tp.label}" if tp.label else ""),))
    append(ws, XLSX_COLUMNS)
    for s in statuses(tp):
        append(
            ws,
            (
                s["code"], s["name_zh"], s["kind"], s["deadline"], "、".join(s["responsible"]),
                s["applies_to"], f"{s['source_zh']} {s['source_en']}",
                s["latest_year"], s["latest"], f"{s['label_zh']} {s['label_en']}", s["rule_zh"],
                s["rule_en"], s["quote_zh"],
            ),
        )  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
