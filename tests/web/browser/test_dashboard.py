"""The dashboard in a real browser (Debian's headless Chromium driven by Playwright): a viewer
logs in, opens the province overview and a county page; every chart draws a canvas, the
bundled web font is loaded, nothing is requested from outside and the console stays free of
errors (CSP violations included). Screenshots at 1366×768 and at phone size (390×844) are kept
in ``test-artifacts/screenshots/``. Skipped only when ``/usr/bin/chromium`` is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _published_years() -> None:
    """The demo panel; 2024 and 2025 evaluated and published."""
    from django.utils import timezone

    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.models import PUBLISHED, Publication
    from cimon.store.evaluations.published import clear_caches
    from cimon.web.evaluations import services as wf
    from cimon.web.serving import load_demo

    clear_caches()
    load_demo()
    fw, reg = load_framework("nx-2021"), default_registry()
    admin, _ = create_user("admin", "admin", framework=fw, registry=reg, password="x" * 12 + "1")
    for year in (2024, 2025):
        ev = wf.execute(wf.start(admin, year).pk)
        ev.status = PUBLISHED
        ev.save()
        Publication.objects.create(
            evaluation_year=year,
            version=1,
            evaluation=ev,
            results=ev.results,
            class_counts=ev.class_counts,
            published_at=timezone.now(),
        )


def _watch(page: Any, host: str, errors: list[str], outside: list[str]) -> None:
    """Collect console errors (CSP violations are reported there) and requests to other hosts."""

    def console(m: Any) -> None:
        if m.type == "error":
            errors.append(m.text)

    def request(r: Any) -> None:
        url = urlparse(r.url)
        if url.scheme in ("http", "https") and url.netloc != host:
            outside.append(r.url)

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", request)


def _charts_drawn(page: Any) -> int:
    page.wait_for_selector(".chart[data-drawn='1'] canvas")
    page.wait_for_function(
        "[...document.querySelectorAll('.chart[data-chart]')]"
        ".every(e => e.getAttribute('data-drawn') === '1' && e.querySelector('canvas'))"
    )
    return int(page.locator(".chart[data-chart] canvas").count())


def test_viewer_opens_province_and_county(live_server: Any, browser: Any, shots: Path) -> None:
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.published import clear_caches

    _published_years()
    pw = "browser-test-password-1"
    create_user(
        "leader",
        "viewer",
        framework=load_framework("nx-2021"),
        registry=default_registry(),
        password=pw,
    )
    xiji = default_registry().match("西吉县").code
    base = live_server.url
    host = urlparse(base).netloc
    try:
        for name, size in (("desktop", (1366, 768)), ("phone", (390, 844))):
            ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
            page = ctx.new_page()
            errors: list[str] = []
            outside: list[str] = []
            _watch(page, host, errors, outside)
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "leader")
            page.fill("#id_password", pw)
            page.click("button[type=submit]")
            page.wait_for_url("**/")
            page.click("header.top nav >> text=数据看板")
            page.wait_for_url("**/dashboard/2025/")
            assert _charts_drawn(page) == 3
            assert page.evaluate("document.fonts.check('14px \"cimon sans\"', '县域')")
            assert "A 类县" in page.inner_text(".kpis")
            # no horizontal scrolling of the page itself: the layout fits the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
            page.screenshot(path=str(shots / f"dashboard-province-{name}.png"), full_page=True)

            page.click(f"table.grid a[href$='/county/{xiji}/']")
            page.wait_for_url(f"**/dashboard/2025/county/{xiji}/")
            assert _charts_drawn(page) == 3
            text = page.inner_text("main")
            assert "西吉县" in text and "优势指标" in text and "升入上一类的路径" in text
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
            page.screenshot(path=str(shots / f"dashboard-county-{name}.png"), full_page=True)

            # the incentives page: the awards and the cost of each reading of places (#13)
            page.goto(f"{base}/dashboard/2025/incentives/")
            readings = page.locator("table[data-key=readings]")
            readings.scroll_into_view_if_needed()
            assert readings.is_visible()
            rows = readings.locator("tbody tr")
            assert rows.count() == 2 and "实际超越（现行规则）" in rows.nth(0).inner_text()
            assert "1,250" in rows.nth(1).inner_text()  # 万元 under the literal reading
            assert page.locator("table[data-key=awards] tbody tr").count() == 22
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
            page.screenshot(path=str(shots / f"dashboard-incentives-{name}.png"), full_page=True)
            page.goto(f"{base}/dashboard/2025/county/{xiji}/")
            assert _charts_drawn(page) == 3

            # English via the switch in the header: the charts draw again, in English
            page.click("header.top button[name=language]")
            page.wait_for_selector("text=Scores by pillar")
            assert _charts_drawn(page) == 3
            if name == "desktop":
                page.screenshot(path=str(shots / "dashboard-county-en.png"), full_page=True)
            assert not errors, errors
            assert not outside, outside
            ctx.close()
    finally:
        clear_caches()
