"""An application from draft to designation, progress against its plan, and acceptance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cimon.analysis.errors import TargetError
from cimon.store.programmes import acceptance as A
from cimon.store.programmes import services as S
from cimon.store.programmes.models import Application, PlanVersion, ProgressReport
from cimon.store.submissions.models import AuditEvent

TODAY = date(2026, 3, 10)
TARGETS = [
    {"code": "T1", "name": "R&D 经费投入强度", "kind": "level", "params": {"target": 2.0},
     "baseline": 1.0, "deadline": 2028, "units": ["科技局"]},
    {"code": "T2", "name": "高新技术企业数", "kind": "zero_break", "params": {},
     "baseline": 0, "deadline": 2027, "units": ["科技局", "工信局"]},
]  # fmt: skip
PLAN: dict[str, Any] = {
    "theme": "产业发展", "base_year": 2025, "targets": TARGETS,
    "tasks": [{"task": "建设科技特派员工作站", "units": ["科技局"]}], "budget_yuan": 1_200_000,
}  # fmt: skip


def publish(rows: list[dict[str, Any]], year: int = 2025) -> None:
    from cimon.store.evaluations.models import Evaluation, Publication

    now = timezone.now()
    ev = Evaluation.objects.create(
        evaluation_year=year, framework_id="nx-2021", data_as_of=now, created_at=now
    )
    Publication.objects.create(
        evaluation_year=year, version=1, evaluation=ev, results=rows, published_at=now
    )


@pytest.fixture
def batch(db: Any) -> Any:
    prog = S.define_programme("innovative-county")
    return S.open_batch(None, prog, 2026, date(2026, 3, 1), date(2026, 4, 30))


def test_from_application_to_acceptance(users: dict[str, Any], batch: Any) -> None:
    publish([{"region_code": "640522", "name": "西吉县", "class": "B", "score_published": 66.0}])
    county, admin, expert = users["county"], users["admin"], users["expert"]
    app = S.apply(county, batch, "西吉县", today=TODAY, **PLAN)
    assert app.status == "draft" and app.plan().version == 1
    S.save_plan(county, app, **{**PLAN, "budget_yuan": 1_500_000})
    assert PlanVersion.objects.filter(application=app).count() == 2
    assert app.plan().version == 2 and app.plan().budget_yuan == 1_500_000
    S.submit(county, app)
    S.check_eligibility(admin, app)
    assert app.status == "eligible" and app.eligibility["rule"] == "all"
    S.score(expert, app, 80)
    S.score(expert, app, 84)  # a second score supersedes the first; both kept
    assert app.scores.count() == 2 and S.mean_score(app) == 84
    S.finish_review(admin, app)
    with pytest.raises(S.ProgrammeError):  # never backdated
        S.put_on_notice(admin, [app], TODAY - timedelta(days=1), today=TODAY)
    S.put_on_notice(admin, [app], today=TODAY)
    assert app.status == "notice" and app.notice_start == TODAY
    with pytest.raises(S.ProgrammeError):  # not before the notice ends
        S.decide(admin, app, True, today=app.notice_end)
    S.decide(admin, app, True, today=app.notice_end + timedelta(days=1))
    assert Application.objects.get(pk=app.pk).status == "designated"

    before = {s["code"]: s["status"] for s in S.target_statuses(app)}
    assert before["T2"] != "met"
    S.report_progress(county, app, 2026, "T2", 1, "首家高企认定", "证书.pdf", b"%PDF-1")
    S.report_progress(county, app, 2026, "T1", 2.1)
    after = {s["code"]: s["status"] for s in S.target_statuses(app)}
    assert after == {"T1": "met", "T2": "met"}
    rep = ProgressReport.objects.get(target_code="T2")
    assert len(rep.sha256) == 64 and rep.file_name.endswith(".pdf")
    with pytest.raises(S.ProgrammeError):
        S.report_progress(county, app, 2026, "T9", 1)

    acc = A.accept(county, app, "三年建设任务全部完成", [("自评报告.pdf", b"%PDF-2")])
    assert [c["status"] for c in acc.completion] == ["met", "met"]
    A.review(expert, acc, 90, "同意")
    A.site_review(admin, acc, "confirmed", "现场核实一致")
    A.decide(admin, acc, "pass", "目标全部完成", "同意通过验收")
    A.put_on_notice(admin, acc, today=TODAY)
    A.publish(admin, acc, today=acc.notice_end + timedelta(days=1))
    (row,) = S.pipeline([app])
    assert row["counts"] == {"designated": 1, "accepted": 1}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"programme.apply", "programme.eligibility", "programme.notice",
            "programme.decide", "programme.progress", "programme.accept"} <= actions  # fmt: skip


def test_ineligible_stores_rule_and_reason(users: dict[str, Any], batch: Any) -> None:
    publish([{"region_code": "640522", "name": "西吉县", "class": "C", "score_published": 50.0}])
    app = S.apply(users["county"], batch, "西吉县", today=TODAY, **PLAN)
    S.submit(users["county"], app)
    S.check_eligibility(users["admin"], app)
    assert app.status == "ineligible" and app.eligibility["rule"] == "min_class"
    with pytest.raises(S.ProgrammeError):
        S.score(users["expert"], app, 90)


def test_plan_and_application_checks(users: dict[str, Any], batch: Any) -> None:
    county = users["county"]
    with pytest.raises(S.ProgrammeError):  # outside the batch's dates
        S.apply(county, batch, "西吉县", today=date(2026, 5, 1), **PLAN)
    with pytest.raises(S.ProgrammeError):  # a theme the programme lacks
        S.apply(county, batch, "西吉县", today=TODAY, **{**PLAN, "theme": "旅游"})
    with pytest.raises(S.ProgrammeError):  # a village without its name
        S.apply(county, batch, "西吉县", unit_level="village", today=TODAY, **PLAN)
    with pytest.raises(TargetError):
        S.apply(county, batch, "原州区", today=TODAY,
                **{**PLAN, "targets": [{**TARGETS[0], "kind": "nope"}]})  # fmt: skip
    for bad in ({"deadline": None}, {"deadline": "明年"}, {"baseline": "一"}, {"params": [1]}):
        with pytest.raises(S.ProgrammeError):
            S.apply(county, batch, "原州区", today=TODAY,
                    **{**PLAN, "targets": [{**TARGETS[0], **bad}]})  # fmt: skip
    app = S.apply(county, batch, "西吉县", unit="将台堡村", unit_level="village", today=TODAY,
                  **PLAN)  # fmt: skip
    assert app.applicant == "将台堡村"
    with pytest.raises(S.ProgrammeError):  # one application per unit and batch
        S.apply(county, batch, "西吉县", unit="将台堡村", unit_level="village", today=TODAY, **PLAN)
    S.submit(county, app)
    with pytest.raises(S.ProgrammeError):  # the plan is frozen once submitted
        S.save_plan(county, app, **PLAN)
    with pytest.raises(S.ProgrammeError):  # no skipping steps
        S.decide(users["admin"], app, True)


def test_demo_data_is_labelled_and_loads_once(db: Any) -> None:
    from cimon.store.programmes.demo import LABEL, load_demo_programmes
    from cimon.store.programmes.models import Case

    assert load_demo_programmes(["640422", "640402"], TODAY) == 3
    assert load_demo_programmes(["640422", "640402"], TODAY) == 0
    apps = list(Application.objects.order_by("county"))
    assert {a.label for a in apps} == {LABEL} and len(apps) == 3
    assert {a.status for a in apps} == {"submitted", "notice", "designated"}
    assert {c.label for c in Case.objects.all()} == {LABEL}
    assert Case.objects.filter(status="published").count() == 2
    (des,) = [a for a in apps if a.status == "designated"]
    assert S.stage(des) == "midterm" and des.acceptances.get().status == "notice"


def test_a_computed_target_reads_the_published_scores(users: dict[str, Any], batch: Any) -> None:
    """A target with ``source: evaluation_score`` takes the county's published scores; it is
    not reported, and an unknown source is refused."""
    target = {"code": "T3", "name": "科技创新指数得分", "kind": "class_score",
              "params": {"min_score": 70}, "baseline": 62, "deadline": 2028,
              "source": "evaluation_score", "units": ["科技局"]}  # fmt: skip
    with pytest.raises(S.ProgrammeError):
        S.apply(users["county"], batch, "西吉县", today=TODAY,
                **{**PLAN, "targets": [{**target, "source": "猜的"}]})  # fmt: skip
    app = S.apply(users["county"], batch, "西吉县", today=TODAY, **{**PLAN, "targets": [target]})
    Application.objects.filter(pk=app.pk).update(status="designated")
    app.refresh_from_db()
    publish([{"region_code": "640522", "name": "西吉县", "score_published": 68.0}], 2025)
    (first,) = S.target_statuses(app)
    assert first["source"] == "evaluation_score" and first["status"] != "met"
    publish([{"region_code": "640522", "name": "西吉县", "score_published": 71.5}], 2026)
    (second,) = S.target_statuses(app)
    assert (second["status"], second["latest"], second["latest_year"]) == ("met", 71.5, 2026)
    with pytest.raises(S.ProgrammeError):
        S.report_progress(users["county"], app, 2026, "T3", 90)
