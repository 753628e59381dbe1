"""Publishing in a real browser (Debian's headless Chromium driven by Playwright).

1. A published version is frozen with what it was compared with (issue 13 item 3): 2024 is
   published before 2023, then 2023, then a correction of 2024 and a correction of 2023 with
   new data. After each step the 2024 version's incentive money is read from its dashboard
   page, from the API and from the downloaded workbook, county by county: the three agree, and
   what a version showed never changes afterwards.
2. The public notice (公示, item 5): a period that started in the past or is too short is
   refused; an exception needs a reason, which the audit log shows; publishing asks for
   confirmation; the status line follows the workflow. Objections (item 6) pick their county
   from the registry and cannot be dated in the future.
3. A version keeps the incentive rules it was published with when the platform's rules change.

Screenshots at 1366×768 and 390×844 go to ``test-artifacts/screenshots/``. Skipped only when
``/usr/bin/chromium`` is absent."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import XIJI, rec, run_tasks, xlsx_incentives

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "browser-test-password-1"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def platform(settings: Any) -> Any:
    """The demo panel stored, an administrator; the snapshot makes the Excel file only."""
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.published import clear_caches
    from cimon.web.serving import load_demo

    settings.CIMON_DASHBOARD_REPLICATES = 0
    settings.CIMON_PUBLICATION_FILES = ["xlsx:zh"]
    clear_caches()
    load_demo()
    admin, _ = create_user(
        "admin",
        "admin",
        framework=load_framework("nx-2021"),
        registry=default_registry(),
        password=PASSWORD,
    )
    yield admin
    clear_caches()


def _login(browser: Any, base: str, viewport: dict[str, int] = DESKTOP) -> Any:
    ctx = browser.new_context(viewport=viewport, accept_downloads=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


def _evaluate(admin: Any, year: int) -> int:
    """A run of ``year`` over the data stored now (the worker's part, done here)."""
    from cimon.web.evaluations import services as wf

    return int(wf.execute(wf.start(admin, year, queue=False).pk).pk)


def _publish(
    page: Any, base: str, pk: int, reason: str = "", expect: str = "", keeps: str = ""
) -> None:
    """Publish evaluation ``pk`` through its page: a first publication after a notice held
    offline earlier (the exception, with its reason); a correction with ``reason``. The
    confirmation page must say ``expect`` (what the version is compared with) and ``keeps``
    (a later year's version that keeps its comparison with the version corrected)."""
    from django.utils import timezone

    page.goto(f"{base}/evaluations/{pk}/")
    if page.locator("#notice-form").count():
        today = timezone.localdate()
        page.fill("#id_start", str(today - timedelta(days=12)))
        page.fill("#id_end", str(today - timedelta(days=5)))
        page.click("#notice-form summary")
        page.check("#id_override")
        page.fill("#id_override_reason", "公示已在政府网站线下进行")
        page.click("#notice-form button.primary")
        page.wait_for_selector(".notice-period")
    if reason:
        page.fill("input[name=reason]", reason)
    page.click("form[action$='/publish/'] button.primary")
    page.wait_for_selector("#confirm-publish")
    assert expect in page.inner_text(".basis"), page.inner_text(".basis")
    if keeps:
        assert keeps in page.inner_text(".keep-basis")
    page.click("#confirm-publish")
    page.wait_for_url(f"**/evaluations/{pk}/")
    assert "已发布" in page.inner_text("#progress")
    run_tasks()  # the worker makes the version's downloads right after publication


def _amount(text: str) -> int:
    m = re.match(r"\s*([\d,]+)", text)
    assert m, text
    return int(m.group(1).replace(",", ""))


def _surfaces(page: Any, base: str, year: int, version: int) -> dict[str, Any]:
    """The incentive money of a version, read from its dashboard page, the API and the
    workbook downloaded from its downloads page: county code → 元, and the totals."""
    q = f"?version={version}"
    page.goto(f"{base}/dashboard/{year}/incentives/{q}")
    cells = page.evaluate(
        """() => {
        const heads = [...document.querySelectorAll('table.incentives thead th')]
            .map(th => th.innerText.trim());
        const total = heads.findIndex(h => h.startsWith('合计'));
        return [...document.querySelectorAll('table.incentives tbody tr')].map(tr => [
            tr.querySelector('a').getAttribute('href').split('/county/')[1].split('/')[0],
            tr.children[total].innerText]);
    }"""
    )
    kpi = page.locator(".kpis .kpi b").first.inner_text()
    basis = page.inner_text("p.basis")
    api = page.request.get(f"{base}/api/v1/years/{year}/incentives{q}").json()
    page.goto(f"{base}/dashboard/{year}/downloads/{q}")
    with page.expect_download() as info:
        page.click("a[href*='/downloads/xlsx/']")
    xlsx = xlsx_incentives(Path(info.value.path()).read_bytes())
    return {
        "dashboard": {code: _amount(t) for code, t in cells},
        "dashboard_total": _amount(kpi),
        "api": {a["code"]: a["total"] for a in api["awards"]},
        "api_total": api["total"],
        "api_version": api["version"],
        "api_previous": api["previous"],
        "xlsx": xlsx,
        "basis": basis,
    }


def _money(s: dict[str, Any]) -> dict[str, Any]:
    return {k: s[k] for k in ("dashboard", "dashboard_total", "api", "api_total", "xlsx")}


def _agree(s: dict[str, Any]) -> int:
    assert s["dashboard"] == s["api"] == s["xlsx"], s
    assert s["dashboard_total"] == s["api_total"] == sum(s["xlsx"].values()), s
    assert len(s["dashboard"]) == 22
    return int(s["api_total"])


def test_a_version_agrees_everywhere_and_stays_as_published(
    live_server: Any, browser: Any, shots: Path, platform: Any
) -> None:
    from cimon.store.submissions.models import Observation
    from cimon.store.submissions.services import store_submission

    base, admin = live_server.url, platform
    page = _login(browser, base)

    # 2024 before 2023: the confirmation says there is nothing to compare with
    _publish(page, base, _evaluate(admin, 2024), expect="2023 年度尚无已发布结果")
    v1 = _surfaces(page, base, 2024, 1)
    assert _agree(v1) == 0 and v1["api_previous"] is None
    assert "尚无已发布结果" in v1["basis"]

    # publishing 2023 afterwards leaves 2024 version 1 as it was, on every surface
    _publish(page, base, _evaluate(admin, 2023), expect="2022 年度尚无已发布结果")
    again = _surfaces(page, base, 2024, 1)
    assert _money(again) == _money(v1) and again["api_previous"] is None
    assert "该年度现已发布" in again["basis"]

    # a correction of 2024 is compared with 2023 version 1
    _publish(
        page,
        base,
        _evaluate(admin, 2024),
        reason="与已发布的 2023 年度结果比较",
        expect="2023 年度第 1 版",
    )
    v2 = _surfaces(page, base, 2024, 2)
    assert _agree(v2) > 0 and v2["api_version"] == 2
    assert v2["api_previous"] == {"year": 2023, "version": 1, "current": True}
    page.goto(f"{base}/dashboard/2024/incentives/")
    page.screenshot(path=str(shots / "publication-incentives-desktop.png"), full_page=True)

    # 2023 corrected with new data: 2024 version 2 shows what it showed, and says 2023 changed
    old = Observation.objects.get(
        region_code=XIJI, year=2022, variable="rd_exp", superseded_at__isnull=True
    )
    _store_correction(store_submission, rec(XIJI, "rd_exp", float(old.value) * 20, year=2022))
    _publish(
        page,
        base,
        _evaluate(admin, 2023),
        reason="西吉县 R&D 经费更正",
        expect="2022 年度尚无",
        keeps="2024 年度第 2 版",  # the confirmation says 2024 keeps its comparison
    )
    after = _surfaces(page, base, 2024, 2)
    assert _money(after) == _money(v2)
    assert after["api_previous"] == {"year": 2023, "version": 1, "current": False}
    assert "该年度已更正为第 2 版" in after["basis"]
    page.goto(f"{base}/dashboard/2024/incentives/")
    page.screenshot(path=str(shots / "publication-basis-note-desktop.png"), full_page=True)
    assert not page.errors, page.errors
    page.context.close()


def test_a_version_keeps_the_incentive_rules_it_was_published_with(
    live_server: Any, browser: Any, shots: Path, platform: Any, settings: Any, tmp_path: Path
) -> None:
    """Issue 13 follow-up: the province changes its incentive rules (other amounts, the literal
    reading); the published 2025 version's page, API and downloaded workbook keep their amounts
    and name the rules they were published under; a correction published afterwards uses the new
    rules, and its confirmation page says so."""
    from tests.web.evaluations.test_rules import _other_rules

    base, admin = live_server.url, platform
    page = _login(browser, base)
    _publish(page, base, _evaluate(admin, 2024), expect="2023 年度尚无已发布结果")
    _publish(page, base, _evaluate(admin, 2025), expect="2024 年度第 1 版")
    v1 = _surfaces(page, base, 2025, 1)
    assert _agree(v1) == 4_500_000  # 450万元 under the default (overtaking) reading
    page.goto(f"{base}/dashboard/2025/incentives/")
    line = page.inner_text("p[data-key=rules]")
    assert "nx-2021" in line and "实际超越" in line and "冻结" in line

    settings.CIMON_INCENTIVE_RULES = str(_other_rules(tmp_path))  # the province changes them
    after = _surfaces(page, base, 2025, 1)
    assert _money(after) == _money(v1)
    page.goto(f"{base}/dashboard/2025/incentives/")
    assert page.inner_text("p[data-key=rules]") == line
    api = page.request.get(f"{base}/api/v1/years/2025/incentives").json()
    assert (api["rules"]["id"], api["rules"]["places"]) == ("nx-2021", "overtaken")

    # a correction is published under the new rules: the confirmation names them
    pk = _evaluate(admin, 2025)
    page.goto(f"{base}/evaluations/{pk}/")
    page.fill("input[name=reason]", "按调整后的激励规则重新发布")
    page.click("form[action$='/publish/'] button.primary")
    page.wait_for_selector("#confirm-publish")
    assert "nx-doubled 2026.1" in page.inner_text("p.rules")
    assert "字面位次" in page.inner_text("p.rules")
    page.click("#confirm-publish")
    page.wait_for_url(f"**/evaluations/{pk}/")
    run_tasks()
    v2 = _surfaces(page, base, 2025, 2)
    assert _agree(v2) > _agree(v1)
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        p = page if viewport is DESKTOP else _login(browser, base, viewport)
        p.goto(f"{base}/dashboard/2025/incentives/")
        rules = p.locator("p[data-key=rules]")
        assert rules.is_visible() and "nx-doubled" in rules.inner_text()
        rules.scroll_into_view_if_needed()
        p.screenshot(path=str(shots / f"publication-rules-{name}.png"))
        assert not p.errors, p.errors
        p.context.close()


def _store_correction(store: Any, record: Any) -> None:
    from tests.web.conftest import FW

    from cimon.intake.report import ValidationReport
    from cimon.intake.submission import ParsedSubmission

    parsed = ParsedSubmission(
        file_name="统计局更正.xlsx",
        sha256="c" * 64,
        kind="department",
        year=record.year,
        framework_id=FW.id,
        framework_version=FW.version,
        framework_hash=FW.hash,
        department="统计局",
        region_code="",
        expert="",
        template_version="1",
        records=[record],
        claims=[],
        report=ValidationReport("统计局更正.xlsx"),
    )
    assert store(parsed, b"correction", user="统计局").status == "accepted"


def test_notice_rules_confirmation_and_objections(
    live_server: Any, browser: Any, shots: Path, platform: Any
) -> None:
    from django.utils import timezone

    from cimon.store.evaluations.models import NOTICE, PUBLISHED, REVIEW, Evaluation, Objection

    base, today = live_server.url, timezone.localdate()
    pk = _evaluate(platform, 2025)
    # at phone size up to the confirmation, then at desktop size through to publication
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        Evaluation.objects.filter(pk=pk).update(status=REVIEW, notice_start=None, notice_end=None)
        Objection.objects.all().delete()
        page = _login(browser, base, viewport)
        page.goto(f"{base}/evaluations/{pk}/")
        assert "至少 7 天" in page.inner_text("main")
        # the example: 2026-11-20 … 11-27 seen on 12-07 — started in the past: refused
        page.fill("#id_start", str(today - timedelta(days=17)))
        page.fill("#id_end", str(today - timedelta(days=10)))
        page.click("#notice-form button.primary")
        page.wait_for_selector("ul.messages")
        assert "早于今天" in page.inner_text("main")
        assert Evaluation.objects.get(pk=pk).status == REVIEW
        # too short: 3 days
        page.fill("#id_start", str(today))
        page.fill("#id_end", str(today + timedelta(days=2)))
        page.click("#notice-form button.primary")
        page.wait_for_load_state()
        assert "少于规定的 7 天" in page.inner_text("main")
        # an exception without its reason: refused; with it: on notice, the reason shown
        page.fill("#id_start", str(today - timedelta(days=17)))
        page.fill("#id_end", str(today - timedelta(days=10)))
        page.click("#notice-form summary")
        page.check("#id_override")
        page.click("#notice-form button.primary")
        page.wait_for_load_state()
        assert "填写理由" in page.inner_text("ul.messages")
        assert Evaluation.objects.get(pk=pk).status == REVIEW
        page.fill("#id_start", str(today - timedelta(days=17)))
        page.fill("#id_end", str(today - timedelta(days=10)))
        page.click("#notice-form summary")
        page.check("#id_override")
        reason = f"已于上月在政府网站公示（{name}）"
        page.fill("#id_override_reason", reason)
        page.click("#notice-form button.primary")
        page.wait_for_selector(".notice-period")
        assert reason in page.inner_text(".notice-period")
        assert Evaluation.objects.get(pk=pk).status == NOTICE
        assert "公示中" in page.inner_text("#progress")

        # an objection: the county from the registry; the date cannot be in the future
        options = page.locator("#id_region_code option").all_inner_texts()
        assert "西吉县（固原市）" in options and len(options) == 23  # 22 counties and "—"
        page.fill("#id_raised_by", "西吉县科技局")
        page.select_option("#id_region_code", XIJI)
        page.fill("#id_received_on", str(today + timedelta(days=2)))
        assert page.eval_on_selector("#id_received_on", "e => e.validity.rangeOverflow")
        page.fill("#id_received_on", str(today))
        page.fill("#id_content", "专利数漏报")
        page.click("form[action$='/objections/'] button.primary")
        page.wait_for_selector("table.grid td:has-text('专利数漏报')")
        assert Objection.objects.get().region_code == XIJI
        assert "西吉县" in page.inner_text("table.grid")
        page.fill("input[name=response]", "经核实，数据无误")
        page.click("form[action*='/handle/'] button")
        page.wait_for_selector("text=经核实，数据无误")
        page.screenshot(path=str(shots / f"notice-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1

        # publishing asks first; going back publishes nothing
        page.click("form[action$='/publish/'] button.primary")
        page.wait_for_selector("#confirm-publish")
        page.screenshot(path=str(shots / f"publish-confirm-{name}.png"), full_page=True)
        page.click("text=返回，不发布")
        page.wait_for_url(f"**/evaluations/{pk}/")
        assert Evaluation.objects.get(pk=pk).status == NOTICE
        if name == "desktop":
            page.click("form[action$='/publish/'] button.primary")
            page.click("#confirm-publish")
            page.wait_for_url(f"**/evaluations/{pk}/")
            assert Evaluation.objects.get(pk=pk).status == PUBLISHED
            status = page.inner_text("#progress")
            assert "已发布" in status and "完成，待审核" not in status

            # the exception and its reason are in the audit log
            page.click("header.top nav >> text=审计日志")
            page.fill("input[name=action]", "evaluation.notice")
            page.click("form.filters button")
            page.wait_for_load_state()
            log = page.inner_text("table.grid")
            assert "已于上月在政府网站公示（desktop）" in log
        assert not page.errors, page.errors
        page.context.close()
