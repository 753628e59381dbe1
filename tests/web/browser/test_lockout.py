"""The lockout page in a real browser (Debian's headless Chromium): one address that tried many
user names is stopped with a page in Chinese that fits a laptop (1366×768) and a phone (390×844)
without scrolling sideways (issue #14). Skipped only when ``/usr/bin/chromium`` is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_address_lockout_page(
    live_server: Any, browser: Any, shots: Path, settings: Any, width: int, height: int
) -> None:
    from axes.models import AccessAttempt

    from cimon.store.submissions.models import AuditEvent

    settings.CIMON_LOGIN_ADDRESS_LIMIT = 3
    AccessAttempt.objects.all().delete()
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    for i in range(4):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", f"guess{i}")
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
    text = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    assert "本机登录失败已达" in text and "3" in text and "15" in text
    assert "Failed logins" not in text and "cimon " not in text  # no command line for clerks
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than the {width}px window"
    page.screenshot(path=str(shots / f"lockout-address-{width}.png"), full_page=True)
    assert AuditEvent.objects.filter(action="login.address_locked_out").count() == 1
    ctx.close()
