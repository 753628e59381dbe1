"""Running an evaluation: the year the stored data support, and the run itself
(:func:`execute`, called by the task worker of :mod:`.tasks`). On an instance hosting several
provinces an evaluation runs on its province's framework and registry and on that province's
data only (:func:`inputs_of`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from cimon.errors import CimonError
from cimon.store import audit
from cimon.store.evaluations.models import FAILED, QUEUED, REVIEW, RUNNING, Evaluation
from cimon.store.evaluations.results import result_rows
from cimon.store.evaluations.steps import WorkflowError, check_status

if TYPE_CHECKING:
    from cimon.model.framework import Framework
    from cimon.model.regions import RegionRegistry


def inputs_of(ev: Evaluation) -> tuple[str, Framework, RegionRegistry]:
    """What ``ev`` is evaluated on: its province ("" on a single-province instance, and for an
    evaluation without a province tag), the framework and the registry — the platform's
    (``CIMON_FRAMEWORK``, ``CIMON_REGIONS``), or on an instance hosting several provinces those
    of the evaluation's province (``CIMON_PROVINCES``, :mod:`cimon.store.national.hosting`).
    The panel is then read for the regions of that province only (``region_prefix``)."""
    from cimon.store.national.hosting import publication_province
    from cimon.store.platform import platform_framework, platform_registry

    province = publication_province(ev)
    return province, platform_framework(province or None), platform_registry(province or None)


def default_year(province: str | None = None) -> int:
    """The evaluation year the run form offers: the latest one the data stored now support —
    its data year (``year − data_lag``) has a current value of every variable the framework's
    indicators use and some value for every county of the registry (what the engine checks
    before it scores). Without such a year: the latest year with any stored data, else this
    calendar year. ``province``: a hosted province's framework, registry and data (#20)."""
    from cimon.store.platform import platform_framework, platform_registry
    from cimon.store.submissions.models import Observation

    fw = platform_framework(province)
    needed = {v for ind in fw.indicators for v in ind.variables}
    current = Observation.objects.current().filter(value__isnull=False)
    if province:
        current = current.filter(region_code__startswith=province)
    by_year: dict[int, set[str]] = {}
    for y, v in current.order_by().values_list("year", "variable").distinct():
        by_year.setdefault(int(y), set()).add(v)
    counties = set(platform_registry(province).codes)
    for y in sorted(by_year, reverse=True):
        if needed <= by_year[y]:
            have = set(current.filter(year=y).order_by().values_list("region_code", flat=True))
            if counties <= have:
                return y + fw.data_lag
    return max(by_year) + fw.data_lag if by_year else timezone.localdate().year


def _progress(ev: Evaluation, percent: int, zh: str, en: str) -> None:
    ev.progress, ev.progress_note = percent, f"{zh} / {en}"
    ev.save(update_fields=["progress", "progress_note", "status", "started_at"])


def execute(evaluation_id: int) -> Evaluation:
    """Run a queued evaluation: read the panel as of its moment, evaluate, store the results;
    progress is saved at each step so a page can show it. Never raises for a domain error: the
    evaluation is marked failed with the message."""
    import json

    from cimon.engine.pipeline import evaluate
    from cimon.store.registry.derived import fill_panel, record_derived
    from cimon.store.submissions.queries import panel_as_of

    ev = Evaluation.objects.get(pk=evaluation_id)
    check_status(ev, QUEUED)
    # claim the run: of two workers given the same id, one goes on
    if not Evaluation.objects.filter(pk=ev.pk, status=QUEUED).update(status=RUNNING):
        ev.refresh_from_db()
        check_status(ev, QUEUED)
    ev.status, ev.started_at = RUNNING, timezone.now()
    _progress(ev, 10, "读取数据", "reading the data")
    try:
        province, fw, regions = inputs_of(ev)
        if fw.hash != ev.framework_hash:
            raise WorkflowError(
                f"指标体系 {fw.id} 已变更，请重新发起评价。",
                f"The framework {fw.id} changed since this run was queued; start a new run.",
            )
        panel = panel_as_of(ev.data_as_of, fw, region_prefix=province)
        panel, derived = fill_panel(fw, panel, regions.codes, ev.data_as_of)
        _progress(ev, 40, "计算得分", "scoring")
        run = evaluate(fw, panel, ev.evaluation_year, regions)
        _progress(ev, 80, "保存结果", "saving the results")
        ev.results = result_rows(run.results, run.data.get("pillars"))
        ev.class_counts = run.class_counts()
        ev.log = json.loads(json.dumps(run.log, default=str))
        ev.data_hash = run.data_hash
        record_derived(ev, derived)  # the records behind every registry-derived value
    except CimonError as exc:
        ev.status, ev.error = FAILED, exc.render("both")
        ev.finished_at = timezone.now()
        ev.progress_note = "失败 / failed"
        ev.save()
        audit.record(None, "evaluation.failed", "evaluation", ev.pk, old=RUNNING, new=FAILED)
        return ev
    ev.status, ev.progress, ev.finished_at = REVIEW, 100, timezone.now()
    ev.progress_note = "完成，待审核 / done, in review"
    ev.save()
    audit.record(
        None,
        "evaluation.finished",
        "evaluation",
        ev.pk,
        old=RUNNING,
        new=REVIEW,
        class_counts=ev.class_counts,
    )
    return ev
