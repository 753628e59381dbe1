"""In a real browser on a phone-sized screen (390×844): a 科技特派员 logs a service with a
photo, issues a rating code, and the 服务对象 rates it through the link without an account
(#17). The forms fit the screen (no sideways scrolling). Skipped only when Chromium is absent
(see conftest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_log_a_service_and_rate_it_on_a_phone(
    live_server: Any, browser: Any, tmp_path: Path, shots: Path, settings: Any
) -> None:
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.commissioners import services as comm
    from cimon.store.commissioners.records import RatingToken, ServiceRecord

    settings.CIMON_STORAGE_DIR = str(tmp_path / "files")
    fw, reg = load_framework("nx-2021"), default_registry()
    xiji = reg.match("西吉县").code
    pw = "browser-test-password-1"
    unit = comm.create_unit(None, "宁夏农林科学院", "institute")
    user, _ = create_user("tepai", "commissioner", framework=fw, registry=reg, password=pw)
    person = comm.create_commissioner(None, unit=unit, status="active", account=user, name="马特派")
    today = dt.date.today()
    d = comm.propose_dispatch(
        None, person, object_name="西吉县某合作社", object_kind="coop", county_code=xiji,
        start_on=today - dt.timedelta(days=10), end_on=today + dt.timedelta(days=300),
    )  # fmt: skip
    comm.decide_dispatch(d, None, True)
    comm.log_service(person, None, date=today, village_code=xiji + "100200", kind="demo")
    photo = tmp_path / "field.png"
    photo.write_bytes(PNG)

    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "tepai")
    page.fill("#id_password", pw)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/commissioners/")
    assert "马特派" in page.content() and _fits(page)
    page.screenshot(path=str(shots / "commissioners-home-390.png"), full_page=True)
    page.goto(f"{live_server.url}/commissioners/services/new/")
    assert _fits(page)
    page.screenshot(path=str(shots / "commissioners-log-390.png"), full_page=True)
    page.select_option("select[name=village]", xiji + "100200")
    page.select_option("select[name=kind]", "guidance")
    page.fill("input[name=people_reached]", "25")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("#service-form button[type=submit]")
    page.wait_for_selector("#evidence")
    record = ServiceRecord.objects.filter(people_reached=25).get()
    assert record.evidence.count() == 1
    page.click("#issue-code")
    code = page.inner_text("#code")
    assert _fits(page)  # the long link wraps
    page.screenshot(path=str(shots / "commissioners-code-390.png"), full_page=True)
    link = page.get_attribute("#link", "href")
    ctx.close()

    anon = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = anon.new_page()
    page.goto(link)
    assert "马特派" in page.content() and _fits(page)
    page.check("input[name=satisfaction][value='5']")
    page.fill("textarea[name=comment]", "指导很及时")
    page.screenshot(path=str(shots / "commissioners-rate-390.png"), full_page=True)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#thanks")
    token = RatingToken.objects.get(record=record)
    assert token.satisfaction == 5 and token.comment == "指导很及时"
    page.goto(f"{live_server.url}/commissioners/rate/")
    page.fill("input[name=code]", code)
    page.click("form.stack button[type=submit]")
    assert "已使用过" in page.inner_text("#refused")
    anon.close()
