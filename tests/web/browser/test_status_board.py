"""The status board at national size in a real browser (#20 item 5): the administrator filters
by province and state and pages through the units, at 1366×768 and at phone size (390×844),
without the page scrolling sideways; screenshots in ``test-artifacts/screenshots/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import PASSWORD
from tests.web.submissions.test_board_national import national  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_board_filters_and_pages(
    live_server: Any,
    browser: Any,
    shots: Path,
    users: dict[str, Any],
    national: Any,  # noqa: F811
) -> None:
    base = live_server.url
    for name, size in (("desktop", (1366, 768)), ("phone", (390, 844))):
        ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "admin")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        page.goto(f"{base}/status/?year=2026")
        assert "第 1 / 57 页" in page.inner_text("nav.pager")
        assert page.locator("table.board tbody tr").count() == 5 + 50  # departments, one page
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
        page.screenshot(path=str(shots / f"status-board-national-{name}.png"), full_page=True)
        page.select_option("select[name=province]", "广东省")
        page.select_option("select[name=status]", "pending")
        page.click("form.board-filters button[type=submit]")
        page.wait_for_url("**province=*")
        totals = page.inner_text("p.board-totals")
        assert "筛选范围内 122 个" in totals and "未提交合计 22" in totals
        assert page.locator("nav.pager").count() == 0  # 22 units: one page, no pager
        page.click("p.board-totals >> text=已提交")
        page.wait_for_url("**status=submitted*")
        assert "第 1 / 2 页" in page.inner_text("nav.pager")
        page.click("nav.pager >> text=下一页")
        page.wait_for_url("**page=2*")
        assert page.locator("table.board tbody tr.ok").count() >= 50
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
        page.screenshot(path=str(shots / f"status-board-filtered-{name}.png"), full_page=True)
        assert errors == []
        ctx.close()
