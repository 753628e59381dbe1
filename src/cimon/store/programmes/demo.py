"""Demo programme data (模拟数据): the bundled 创新型县(市) programme, a batch open today, and two
applications at different stages (one submitted, one on 公示 after review); a batch of two years
ago whose designated unit has progress reports, a mid-term review and an acceptance on 公示;
three cases (two published); and a province plan uploaded as YAML with its targets' reports
(:mod:`cimon.store.programmes.demo_plans`).

Loaded by ``cimon demo``'s database step and by ``cimon serve --demo`` (the first start). Every
application and case carries the label 模拟数据; loading twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from cimon.store.programmes import acceptance, cases, services
from cimon.store.programmes.demo_plans import load_demo_target_plans
from cimon.store.programmes.models import Application

LABEL = "模拟数据"
USER = "demo"


def _plan(base_year: int) -> dict[str, Any]:
    return {
        "theme": "产业发展",
        "base_year": base_year,
        "targets": [
            {"code": "T1", "name": "全社会研发经费投入强度（%）", "kind": "level",
             "params": {"target": 2.0}, "baseline": 1.2, "deadline": base_year + 3,
             "units": ["科技局", "统计局"]},
            {"code": "T2", "name": "国家高新技术企业数（家）", "kind": "zero_break", "params": {},
             "baseline": 0, "deadline": base_year + 2, "units": ["科技局"]},
        ],
        "tasks": [{"task": "建设县域科技创新服务中心", "units": ["科技局", "财政局"]}],
        "budget_yuan": 3_000_000,
    }  # fmt: skip


def load_demo_programmes(counties: Sequence[str], today: date) -> int:
    """Write the demo programme data for the first two ``counties`` (region codes); the number
    of applications written (0 when they exist already)."""
    if len(counties) < 2 or Application.objects.filter(label=LABEL).exists():
        return 0
    with transaction.atomic():
        prog = services.define_programme("innovative-county")
        batch = services.open_batch(
            USER, prog, today.year, today - timedelta(days=10), today + timedelta(days=20)
        )
        first = services.apply(
            USER, batch, counties[0], today=today, label=LABEL, **_plan(today.year - 1)
        )
        services.submit(USER, first)
        second = services.apply(
            USER, batch, counties[1], today=today, label=LABEL, **_plan(today.year - 1)
        )
        services.submit(USER, second)
        # the demo skips the eligibility check (it needs a published evaluation): recorded as such
        second.status = "eligible"
        second.eligibility = {"eligible": True, "rule": "demo", "reason_zh": "模拟数据：未检查",
                              "reason_en": "demo data: not checked", "evaluation_year": None}  # fmt: skip
        second.save(update_fields=["status", "eligibility"])
        second.scores.create(
            expert=None, expert_name="模拟专家", points=86.0, scored_at=second.created_at
        )
        services.finish_review(USER, second)
        services.put_on_notice(USER, [second], today=today)
        designated = _designated(counties[0], today)
        cases.add_case(
            USER, "以科技特派员服务站带动特色产业", counties[1], "产业发展",
            "模拟数据：示例典型经验，供年度报告引用。", application=second, label=LABEL,
            year=today.year,
        )  # fmt: skip
        for title, field, text, publish in (
            (
                "“科技副县长”统筹县域创新资源",
                "体制机制",
                "模拟数据：示例典型经验（已发布）。",
                True,
            ),
            ("高新技术企业破零的三条做法", "企业创新", "模拟数据：示例典型经验（已发布）。", True),
        ):
            case = cases.add_case(
                USER, title, counties[0], field, text, application=designated, label=LABEL,
                year=today.year, files=[("做法说明.txt", text.encode())],
            )  # fmt: skip
            if publish:
                cases.publish_case(USER, case)
        load_demo_target_plans(counties, today)  # uploaded plans and their reports
    return 3


def _designated(county: str, today: date) -> Application:
    """An application of a batch two years ago, designated, with progress, a mid-term review
    and an acceptance decided and on 公示 today."""
    year = today.year - 2
    prog = services.define_programme("innovative-county")
    opens = date(year, 3, 1)
    batch = services.open_batch(USER, prog, year, opens, date(year, 4, 30))
    app = services.apply(USER, batch, county, today=opens, label=LABEL, **_plan(year - 1))
    services.submit(USER, app)
    app.status = "eligible"
    app.eligibility = {"eligible": True, "rule": "demo", "reason_zh": "模拟数据：未检查",
                       "reason_en": "demo data: not checked", "evaluation_year": None}  # fmt: skip
    app.save(update_fields=["status", "eligibility"])
    app.scores.create(expert=None, expert_name="模拟专家", points=88.0, scored_at=app.created_at)
    services.finish_review(USER, app)
    services.put_on_notice(USER, [app], today=opens)
    services.decide(USER, app, True, today=opens + timedelta(days=30))
    for y, t1 in ((year, 1.5), (year + 1, 1.8)):
        services.report_progress(USER, app, y, "T1", t1, "模拟数据：研发投入强度")
    services.report_progress(USER, app, year, "T2", 1, "模拟数据：首家高新技术企业")
    acceptance.midterm_review(USER, app, year + 1, "good", "模拟数据：进展良好，建议加快研发投入。")
    acc = acceptance.accept(
        USER,
        app,
        "模拟数据：三年建设任务基本完成。",
        [("自评报告.txt", "模拟数据".encode())],
        label=LABEL,
    )
    acceptance.review("模拟专家", acc, 85.0, "模拟数据：目标基本完成。")
    acceptance.site_review(USER, acc, "confirmed", "模拟数据：现场核实一致。")
    acceptance.decide(USER, acc, "pass", "模拟数据：目标按期完成，专家评分 85 分。")
    acceptance.put_on_notice(USER, acc, today=today)
    return app
