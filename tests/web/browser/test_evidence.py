"""In a real browser on a phone-sized screen (390×844): a county clerk enters a 创新管理 item
with a file, the expert (assigned the county, the scoring guide beside the item) returns it with
a question, the county answers before the deadline, the expert scores; every step through the
pages, as issue #16 asks. Skipped only when Chromium is absent (see conftest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_county_item_return_answer_score(
    live_server: Any, browser: Any, tmp_path: Path, shots: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.evidence.models import Clarification, Item, Score
    from cimon.store.submissions.models import Deadline

    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-1"
    create_user("xiji", "county", framework=fw, registry=reg, region="西吉县", password=pw)
    create_user(
        "zhang",
        "expert",
        framework=fw,
        registry=reg,
        assign=["西吉县"],
        password=pw,
        display_name="张专家",
    )
    Deadline.objects.create(
        evaluation_year=2026, department="县", due=timezone.localdate() + timedelta(days=3)
    )
    base = live_server.url
    minutes = tmp_path / "会议纪要.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    phone = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}

    county = browser.new_context(**phone).new_page()
    _login(county, base, "xiji", pw)
    county.goto(f"{base}/evidence/?year=2025")
    county.click("text=科技创新领导小组会议")
    county.fill("input[name=date]", "2025-03-18")
    county.fill("input[name=chair]", "王某")
    county.fill("input[name=chair_title]", "县委书记")
    county.fill("textarea[name=minutes]", "研究年度科技工作要点")
    county.set_input_files("input[name=files]", str(minutes))
    county.screenshot(path=str(shots / "evidence-1-county-entry.png"), full_page=True)
    county.click("#item-form button.primary")
    county.wait_for_selector("text=材料已提交")
    item = Item.objects.get()
    # nothing is wider than the phone's screen
    assert county.evaluate("document.documentElement.scrollWidth") <= 390

    expert = browser.new_context(**phone).new_page()
    _login(expert, base, "zhang", pw)
    expert.goto(f"{base}/evidence/?year=2025")
    expert.click("text=科技创新领导小组会议")
    expert.wait_for_selector("text=评分细则")
    assert "至少召开 2 次" in expert.content()
    expert.fill("#return-form textarea[name=question]", "请补充会议签到表")
    expert.click("#return-form button")
    expert.wait_for_selector("text=已退回县里说明")
    expert.screenshot(path=str(shots / "evidence-2-expert-returned.png"), full_page=True)

    county.goto(f"{base}/evidence/{item.pk}/")
    county.fill(".answer-form textarea[name=answer]", "已补充签到表")
    county.set_input_files(".answer-form input[name=files]", str(minutes))
    county.click(".answer-form button.primary")
    county.wait_for_selector("text=答复已提交")
    assert Clarification.objects.get().answer == "已补充签到表"
    current = Item.objects.get(superseded_at=None)
    assert current.version == 2  # the answer brought a file: a new version

    expert.goto(f"{base}/evidence/{current.pk}/")
    expert.fill("input[name=points_org_meetings]", "1.5")
    expert.fill("input[name=comment_org_meetings]", "签到表齐全")
    expert.click("#score-form button.primary")
    expert.wait_for_selector("text=评分已保存")
    expert.screenshot(path=str(shots / "evidence-3-expert-scored.png"), full_page=True)
    score = Score.objects.get()
    assert (score.points, score.item_id, score.guide_version) == (1.5, current.pk, "2026.1")
