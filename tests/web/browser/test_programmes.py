"""A programme end to end in a real browser (issue #19): a county clerk applies through the
form; the administrator checks eligibility on the published result, the expert scores, the
administrator closes the review, puts the list on 公示 and — once the notice period is over —
designates; the next year the county reports progress on its reported target, the evaluation of
that year is published, and the application's page shows each target's status: the reported one
as reported, the score target computed from the stored (published) data with its source named.
Screenshots in ``test-artifacts/screenshots/``. Skipped only when Chromium is absent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

TARGETS = """\
- {code: T1, name: 高新技术企业数, kind: zero_break, params: {}, baseline: 0, deadline: 2099,
   units: [科技局]}
- {code: T2, name: 科技创新指数得分, kind: class_score, params: {min_score: 70}, baseline: 62,
   deadline: 2099, source: evaluation_score, units: [科技局]}
"""


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def _publish(year: int, score: float) -> None:
    from django.utils import timezone

    from cimon.store.evaluations.models import Evaluation, Publication

    now = timezone.now()
    ev = Evaluation.objects.create(
        evaluation_year=year, framework_id="nx-2021", data_as_of=now, created_at=now
    )
    row = {"region_code": "640422", "name": "西吉县", "class": "B", "score_published": score}
    Publication.objects.create(
        evaluation_year=year, version=1, evaluation=ev, results=[row], published_at=now
    )


def _step(page: Any, base: str, pk: int, action: str) -> None:
    page.goto(f"{base}/programmes/applications/{pk}/")
    page.click(f"form:has(input[name=action][value={action}]) button")
    page.wait_for_selector(".messages li")


def test_apply_designate_and_follow_the_plan(live_server: Any, browser: Any, shots: Path) -> None:
    from django.utils import timezone

    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.programmes import services
    from cimon.store.programmes.models import Application

    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-19"
    create_user("xiji", "county", framework=fw, registry=reg, region="西吉县", password=pw)
    create_user("admin", "admin", framework=fw, registry=reg, password=pw)
    create_user("zhang", "expert", framework=fw, registry=reg, assign=["西吉县"], password=pw)
    today = timezone.localdate()
    _publish(today.year - 1, 66.0)  # last year's result: class B, 66 points — eligible
    prog = services.define_programme("innovative-county")
    batch = services.open_batch(None, prog, today.year, today, today + timedelta(days=30))
    base = live_server.url

    # the county applies
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    _login(page, base, "xiji", pw)
    page.goto(f"{base}/programmes/apply/")
    page.select_option("#id_batch", str(batch.pk))
    page.fill("#id_theme", "产业发展")
    page.fill("#id_base_year", str(today.year - 1))
    page.fill("#id_budget_yuan", "1200000")
    page.fill("#id_targets", TARGETS)
    page.fill("#id_tasks", "建设科技特派员工作站：科技局、农业农村局")
    page.click("form:has(#id_targets) button")
    page.wait_for_selector("#status")
    app = Application.objects.get()
    _step(page, base, app.pk, "submit")
    ctx.close()

    # the province: eligibility, the expert's score, the review, 公示
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    admin = ctx.new_page()
    _login(admin, base, "admin", pw)
    _step(admin, base, app.pk, "eligibility")
    assert "符合条件" in admin.inner_text("#status")
    expert_ctx = browser.new_context()
    expert = expert_ctx.new_page()
    _login(expert, base, "zhang", pw)
    expert.goto(f"{base}/programmes/applications/{app.pk}/")
    expert.fill("input[name=points]", "86")
    expert.click("form:has(input[name=action][value=score]) button")
    expert.wait_for_selector(".messages li.success")
    expert_ctx.close()
    _step(admin, base, app.pk, "review")
    _step(admin, base, app.pk, "notice")
    assert "公示中" in admin.inner_text("#status")
    admin.screenshot(path=str(shots / "40-programme-notice.png"), full_page=True)
    _step(admin, base, app.pk, "designate")  # refused while the notice runs
    assert "公示期至" in admin.inner_text(".messages")
    # the notice period is over (it ran last month)
    Application.objects.filter(pk=app.pk).update(
        notice_start=today - timedelta(days=40), notice_end=today - timedelta(days=30)
    )
    _step(admin, base, app.pk, "designate")
    assert "已命名" in admin.inner_text("#status")
    ctx.close()

    # the next year: the county reports progress; this year's evaluation is published
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    _login(page, base, "xiji", pw)
    page.goto(f"{base}/programmes/applications/{app.pk}/")
    assert page.locator("#target-T2 .source").inner_text().startswith("计算")
    assert "已达目标" not in page.inner_text("#target-T2")  # 66 < 70
    form = page.locator("form:has(input[name=action][value=progress])")
    form.locator("input[name=year]").fill(str(today.year))
    form.locator("input[name=target]").fill("T1")
    form.locator("input[name=value]").fill("1")
    form.locator("input[name=narrative]").fill("首家高新技术企业认定")
    form.locator("button").click()
    page.wait_for_selector(".messages li.success")
    _publish(today.year, 71.5)
    page.goto(f"{base}/programmes/applications/{app.pk}/")
    t1, t2 = page.inner_text("#target-T1"), page.inner_text("#target-T2")
    assert "填报" in t1 and "已达目标" in t1
    assert "已公布评价得分" in t2 and "已达目标" in t2 and "71.5" in t2
    page.screenshot(path=str(shots / "41-programme-progress.png"), full_page=True)
    ctx.close()
