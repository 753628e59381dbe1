"""End to end in a real browser (Debian's headless Chromium driven by Playwright): a county clerk
logs in, downloads its template, uploads it with one bad cell, sees that cell flagged, fixes it
and submits; the administrator sees the county on the status board, runs the evaluation (in the
background; the progress box is polled by htmx), puts it on notice and publishes it; a viewer opens the
published results; the language switch works.

Screenshots are kept in ``test-artifacts/screenshots/`` (git-ignored; CI keeps them as
artifacts). Skipped only when ``/usr/bin/chromium`` is absent (Debian: ``apt-get install
chromium``); ``playwright install`` is not needed and does not work offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def _fill(path: Path, scores: tuple[float, ...]) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["创新管理自评"]
    for i, score in enumerate(scores):
        ws.cell(row=4 + i, column=4, value=score)
        ws.cell(row=4 + i, column=5, value=f"已成立科技创新领导小组，情况说明 {i + 1}")
    out = path.with_name(f"{path.stem}-{'-'.join(f'{s:g}' for s in scores)}.xlsx")
    wb.save(out)
    return out


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_county_upload_flow(live_server: Any, browser: Any, tmp_path: Path, shots: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.submissions.models import ACCEPTED, Deadline, Submission

    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-1"
    create_user("xiji", "county", framework=fw, registry=reg, region="西吉县", password=pw)
    create_user("admin", "admin", framework=fw, registry=reg, password=pw)
    Deadline.objects.create(
        evaluation_year=2026, department="县", due=timezone.localdate() + timedelta(days=3)
    )
    base = live_server.url

    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = ctx.new_page()
    _login(page, base, "xiji", pw)
    page.wait_for_url("**/submit/")
    assert "提醒" in page.content()  # the deadline is three days away
    page.screenshot(path=str(shots / "01-county-portal.png"), full_page=True)

    with page.expect_download() as dl:
        page.click("a.button")
    template = tmp_path / dl.value.suggested_filename
    dl.value.save_as(template)
    assert template.name == "2026-西吉县-自评.xlsx"

    # one bad cell: 9 points claimed for an item worth 5
    page.set_input_files("#id_file", str(_fill(template, (4, 9, 4.5))))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("td.flag-error")
    flagged = page.locator("td.flag-error")
    assert flagged.count() == 1
    assert flagged.first.get_attribute("id", timeout=1000).endswith("-D5")  # type: ignore[union-attr]
    assert "9" in flagged.first.inner_text()
    page.click("table.issues a")  # the report links to the cell
    assert page.evaluate("location.hash").endswith("-D5")
    page.screenshot(path=str(shots / "02-county-bad-cell-flagged.png"), full_page=True)
    assert Submission.objects.get().status == "rejected"
    # the page's words: the problems are listed below the message; no command line
    said = page.inner_text(".messages")
    assert "请按下方列出的问题修改文件" in said and "上面" not in said and "--" not in said

    # fixed and resubmitted from the same page
    page.set_input_files("#id_file", str(_fill(template, (4, 3, 4.5))))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector(".messages li.success")
    accepted = Submission.objects.get(status=ACCEPTED)
    # what the county sent: three self-assessment items, not "0 条数据"
    assert f"已接受：提交 #{accepted.pk}，3 项自评。" in page.inner_text(".messages")
    assert page.locator("td.flag-error").count() == 0
    page.screenshot(path=str(shots / "03-county-accepted.png"), full_page=True)
    # the portal lists the accepted file; the refused attempt is kept apart, collapsed
    page.goto(f"{base}/submit/")
    refused = page.locator("details#refused")
    assert (
        refused.get_attribute("open") is None and "：1" in refused.locator("summary").inner_text()
    )
    assert not page.locator("details#refused table").is_visible()
    refused.locator("summary").click()
    assert page.locator("details#refused table").is_visible()
    assert "已拒绝" in page.inner_text("details#refused table")
    page.screenshot(path=str(shots / "03b-county-refused-attempts.png"), full_page=True)
    ctx.close()

    # the administrator sees 西吉县 as submitted; on a phone too; then in English
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    _login(page, base, "admin", pw)
    page.wait_for_url("**/status/")
    row = page.locator("table.board tr", has_text="西吉县")
    assert "已提交" in row.inner_text()
    assert row.locator("details.attempts summary").inner_text() == "1"  # collapsed
    page.screenshot(path=str(shots / "04-admin-board-phone.png"), full_page=True)
    page.click("header button[name=language]")
    page.wait_for_selector("text=Status board")
    assert "submitted" in page.locator("table.board tr", has_text="640422").inner_text()
    page.screenshot(path=str(shots / "05-admin-board-english.png"), full_page=True)
    ctx.close()


def test_admin_runs_notices_and_publishes_viewer_reads(
    live_server: Any, browser: Any, settings: Any, shots: Path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.models import Publication
    from cimon.web.serving import load_demo

    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-2"
    create_user("admin", "admin", framework=fw, registry=reg, password=pw)
    create_user("leader", "viewer", framework=fw, registry=reg, password=pw)
    load_demo()
    base = live_server.url
    today = timezone.localdate()

    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    _login(page, base, "admin", pw)
    page.wait_for_url("**/status/")
    page.click("header nav a[href='/evaluations/']")
    page.fill("input[name=year]", "2025")
    page.click("form[action$='/evaluations/run/'] button")  # queued for the task worker
    page.wait_for_selector("#progress >> text=排队中")
    assert "0%" in page.inner_text("#progress")
    # the worker takes the run (here, in the test's thread: an in-memory test database cannot
    # take a second process); htmx polls the progress box until it is done, no reload
    run_tasks()
    page.wait_for_selector("#progress >> text=100%", timeout=10_000)
    page.click("#progress a")
    # a notice held offline last week: an exception to the notice rules, with its reason
    page.fill("input[name=start]", str(today - timedelta(days=8)))
    page.fill("input[name=end]", str(today - timedelta(days=1)))
    page.click("#notice-form summary")
    page.check("#id_override")
    page.fill("#id_override_reason", "公示已在政府网站线下进行")
    page.click("form[action$='/notice/'] button")
    page.wait_for_selector(".notice-period")
    page.screenshot(path=str(shots / "06-admin-on-notice.png"), full_page=True)
    page.click("form[action$='/publish/'] button")
    page.click("#confirm-publish")  # publishing asks for confirmation first
    page.wait_for_selector("#progress >> text=已发布")
    assert Publication.objects.filter(evaluation_year=2025, version=1).exists()
    ctx.close()

    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    _login(page, base, "leader", pw)
    page.click("a.button")  # the latest published results
    page.wait_for_url("**/results/2025/")
    assert "西吉县" in page.inner_text("table")
    page.screenshot(path=str(shots / "07-viewer-results-phone.png"), full_page=True)
    ctx.close()
