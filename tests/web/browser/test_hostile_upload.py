"""In a real browser: a department clerk uploads a workbook with values strewn far below its
table and a damaged one. The report lists one line per kind of problem with its count, then the
problems 100 to a page with a pager; the damaged file says so and how to re-save it, with no
internal places. At 1366×768 and on a 390×844 phone (no sideways scrolling of the page itself).
Screenshots in ``test-artifacts/screenshots/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ...intake import hostile

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_many_problems_are_grouped_and_paged_and_damage_is_explained(
    live_server: Any, browser: Any, tmp_path: Path, shots: Path
) -> None:
    from cimon.intake.limits import Limits
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.submissions.models import Submission

    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-3"
    create_user(
        "tongji", "department", framework=fw, registry=reg, department="统计局", password=pw
    )
    rows = Limits.for_intake(len(reg), len(fw.variables)).rows + 300
    strewn = tmp_path / "统计局-多余内容.xlsx"
    strewn.write_bytes(hostile.row_bomb(rows, 1, refs=True))
    damaged = tmp_path / "统计局-损坏.xlsx"
    damaged.write_bytes(hostile.malformed_xml())

    for width, height, tag in ((1366, 768, "desktop"), (390, 844, "phone")):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        _login(page, live_server.url, "tongji", pw)
        page.wait_for_url("**/submit/")
        page.set_input_files("#id_file", str(strewn))
        page.click("form.upload button[type=submit]")
        page.wait_for_selector("table.issue-kinds")
        kinds = page.locator("table.issue-kinds tbody tr")
        text = kinds.first.inner_text()
        assert (
            "填报区域之外有内容" in text and "21" in text
        )  # 20 named + one line counting the rest
        assert page.locator("table.issues tbody tr").count() <= 100
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, f"the page scrolls sideways at {width}px"
        page.screenshot(path=str(shots / f"20-report-kinds-{tag}.png"), full_page=True)
        sub = Submission.objects.order_by("-id").first()
        assert sub is not None and sub.status == "rejected"

        page.set_input_files("#id_file", str(damaged))
        page.click("form.upload button[type=submit]")
        page.wait_for_selector("table.issues")
        body = page.inner_text("table.issues")
        assert "文件已损坏" in body and "另存为" in body
        assert ".py" not in page.content() and "ExpatError" not in page.content()
        page.screenshot(path=str(shots / f"21-report-damaged-{tag}.png"), full_page=True)
        ctx.close()


def test_pager_walks_the_issues(live_server: Any, browser: Any, shots: Path) -> None:
    from cimon.intake.report import ValidationReport
    from cimon.intake.submission import ParsedSubmission
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.submissions.models import Submission
    from cimon.store.submissions.services import store_submission

    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-4"
    user, _ = create_user(
        "tongji", "department", framework=fw, registry=reg, department="统计局", password=pw
    )
    report = ValidationReport("统计局.xlsx")
    for k in range(230):  # 200 kept one by one, 30 counted
        report.add(
            "value.not_number", f"第 {k} 个", f"number {k}", sheet="统计局", cell=f"D{k + 6}"
        )
    for k in range(70):
        report.add("value.missing", f"缺 {k}", f"missing {k}", sheet="统计局", cell=f"E{k + 6}")
    parsed = ParsedSubmission(
        "统计局.xlsx", "", "department", 2025, fw.id, department="统计局", report=report
    )
    store_submission(parsed, b"not drawn", framework=fw, user="tongji", user_account=user)
    sub = Submission.objects.get()

    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    _login(page, live_server.url, "tongji", pw)
    page.wait_for_url("**/submit/")
    page.goto(f"{live_server.url}/submit/{sub.pk}/")
    kinds = page.inner_text("table.issue-kinds")
    assert "230" in kinds and "另有 30 条同类问题未逐条保存" in kinds and "70" in kinds
    assert page.locator("table.issues tbody tr").count() == 100
    page.click("nav.pager a[rel=next]")
    page.wait_for_url("**page=2**")
    assert page.locator("table.issues tbody tr").count() == 100
    assert "第 100 个" in page.inner_text("table.issues")
    page.click("nav.pager a[rel=next]")
    page.wait_for_url("**page=3**")
    assert page.locator("table.issues tbody tr").count() == 70
    assert "缺 69" in page.inner_text("table.issues")
    assert page.locator("nav.pager a[rel=next]").count() == 0
    page.screenshot(path=str(shots / "22-report-page-3.png"), full_page=True)
    ctx.close()
