"""An uploaded plan in a real browser (issue #19 item 2): a city bureau uploads an Excel plan
with a bad cell and sees it named (nothing stored), uploads it right; the county clerk of a
county the plan covers reports its 破零 target with an evidence file; the plan's page shows the
status with its rule, the province's list shows the plan. Screenshots in
``test-artifacts/screenshots/``. Skipped only when Chromium is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.analysis.test_plans import _xlsx
from tests.web.browser.test_programmes import _login

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [
    ["G1", "高新技术企业数", "level", 40, 2027, "区科技局", None, "", "达到40家"],
    [
        "G2",
        "实体化产业研究院",
        "zero_break",
        None,
        2027,
        "县科技局",
        None,
        "applies_to=西吉县",
        "破零",
    ],
]
PLAN = {"id": "guyuan-2024", "level": "city", "area": "固原市", "units": "原州区、西吉县"}


def test_upload_report_and_follow(
    live_server: Any, browser: Any, shots: Path, tmp_path: Path
) -> None:
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.programmes.models import TargetPlan, TargetReport

    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-19b"
    create_user("guyuan", "city", framework=fw, registry=reg, city="固原市", password=pw)
    create_user("xiji", "county", framework=fw, registry=reg, region="西吉县", password=pw)
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    _login(page, base, "guyuan", pw)

    bad = tmp_path / "bad.xlsx"
    rows = [*ROWS, ["G3", "x", "level", "四十", 2027, "县科技局", None, "", ""]]
    bad.write_bytes(_xlsx(rows, PLAN))
    page.goto(f"{base}/programmes/target-plans/upload/")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('上传')")
    page.wait_for_selector("#issues")
    assert "目标!D4" in page.inner_text("#issues") and not TargetPlan.objects.exists()
    page.screenshot(path=str(shots / "target-plan-upload-errors.png"), full_page=True)

    good = tmp_path / "guyuan-2024.xlsx"
    good.write_bytes(_xlsx(ROWS, PLAN))
    page.set_input_files("#id_file", str(good))
    page.click("button:has-text('上传')")
    page.wait_for_selector("#targets")
    tp = TargetPlan.objects.get()
    assert tp.level == "city" and tp.units == ["原州区", "西吉县"]

    # the county clerk of 西吉县 reports the 破零 target that applies to it
    county = ctx.new_page()
    county.context.clear_cookies()
    _login(county, base, "xiji", pw)
    county.goto(f"{base}/programmes/target-plans/{tp.pk}/")
    county.select_option("select[name=target]", "G2")
    county.fill("input[name=year]", "2025")
    county.fill("input[name=value]", "1")
    county.fill("input[name=narrative]", "研究院已注册运行")
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("批复文件", "utf-8")
    county.set_input_files("input[name=evidence]", str(evidence))
    county.click("button:has-text('报送进展')")
    county.wait_for_selector(".messages li")
    row = county.inner_text("#target-G2")
    assert "已达目标" in row and "破零" in row
    assert TargetReport.objects.get().sha256
    county.screenshot(path=str(shots / "target-plan-reported.png"), full_page=True)
    county.goto(f"{base}/programmes/target-plans/")
    assert "guyuan-2024" in county.inner_text("#target-plans")
    ctx.close()
