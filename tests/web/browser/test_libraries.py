"""The libraries' full path in a real browser (issue #18, "Must show"): 西吉县's clerk posts a need
→ submits it → publishes it as the county's reviewer → the engine recommends an achievement →
对接 → 洽谈 → 签约 → a registered contract; the libraries dashboard shows it (1366×768 and
390×844); the administrator runs the next evaluation with a framework that takes 技术合同成交额
(I15) from the registered contracts, and on 西吉县's dashboard page the value opens to its
drill-down list naming the contract. The stored value of the run is read back from the database
after the browser steps. The achievement is posted through the library API before the browser
steps (posting one through the pages is covered by tests/web/libraries/). Screenshots in
``test-artifacts/screenshots/``. Skipped only when Chromium is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.django_db(transaction=True)

PROBLEM = "供港菜心采收后损耗大，需要采后预冷和冷链运输方案。"
NUMBER = "64042220230001"


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_a_need_becomes_a_contract_that_i15_counts(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path, shots: Path
) -> None:
    from importlib import resources

    from django.utils import timezone

    from cimon.data.demo import shipped_path
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.models import PUBLISHED, Publication
    from cimon.store.evaluations.published import clear_caches
    from cimon.store.libraries import services as lib
    from cimon.store.libraries.models import REGISTERED, Contract, Match, Need
    from cimon.store.platform import platform_framework
    from cimon.store.registry.models import DerivedCount
    from cimon.store.submissions.services import import_file
    from cimon.web.evaluations import services as wf

    # the platform's framework takes 技术合同成交额 (tech_contracts, I15) from the contracts
    raw = yaml.safe_load(
        (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    )
    for v in raw["variables"]:
        if v["code"] == "tech_contracts":
            v["source"] = {"registry": "contract", "measure": "amount"}
    fw_path = tmp_path / "nx-2021-contracts.yaml"
    fw_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    settings.CIMON_FRAMEWORK = str(fw_path)
    clear_caches()
    fw, reg = load_framework("nx-2021"), default_registry()
    xiji = reg.match("西吉县").code
    pw = "browser-test-password-18"
    create_user("xiji", "county", framework=fw, registry=reg, region="西吉县",
                password=pw)  # fmt: skip
    admin, _ = create_user("admin", "admin", framework=fw, registry=reg, password=pw)
    item = lib.create_achievement(
        admin, "冷凉蔬菜真空预冷与冷链运输技术", abstract="蔬菜采后真空预冷，冷链运输降低损耗。",
        discipline="550", trl=8, mode="转让", holder="某农业大学",
    )  # fmt: skip
    lib.publish_achievement(item, admin)

    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    _login(page, base, "xiji", pw)
    page.goto(f"{base}/libraries/")
    page.fill("textarea[name=problem]", PROBLEM)
    page.fill("input[name=chain]", "冷凉蔬菜")
    page.fill("input[name=industry]", "01")
    page.click("form[action$='/needs/new/'] button")
    page.wait_for_url("**/libraries/needs/*/")
    need = Need.objects.get()
    assert need.region_code == xiji and need.status == "draft"
    page.click("form[action$='/submit/'] button")
    page.wait_for_selector("button[name=decision][value=publish]")
    page.click("button[name=decision][value=publish]")
    page.wait_for_selector("form[action$='/recommend/']")
    need.refresh_from_db()
    assert need.status == "published"
    page.click("form[action$='/recommend/'] button")
    page.wait_for_selector("#matches li")
    first = page.locator("#matches > li").first
    assert "冷凉蔬菜真空预冷与冷链运输技术" in first.inner_text()
    assert "共同词" in first.inner_text()  # the explanation
    for stage in ("contacted", "negotiating", "signed"):
        page.locator(f"#matches > li button[name=stage][value={stage}]").first.click()
        page.wait_for_load_state()
        page.wait_for_selector("#matches li")
    page.screenshot(path=str(shots / "40-libraries-signed.png"), full_page=True)
    form = page.locator("#matches form[action$='/contracts/']")
    form.locator("input[name=number]").fill(NUMBER)
    form.locator("input[name=amount]").fill("600000")
    form.locator("input[name=signed_on]").fill("2023-06-30")
    form.locator("button").click()
    page.wait_for_selector("#contracts")
    assert NUMBER in page.inner_text("#contracts")
    match = Match.objects.get(contract__number=NUMBER)
    assert match.need_id == need.pk and match.stage == REGISTERED
    assert Contract.objects.get(number=NUMBER).amount == 600_000

    # the libraries dashboard shows the contract, on a laptop and on a phone
    page.goto(f"{base}/libraries/dashboard/")
    row = page.locator(f"#by-county tr[data-county='{xiji}']")
    assert row.locator("td.amount").inner_text() == "600000"
    assert page.locator("#by-county tbody tr").count() == 1  # the clerk's own county only
    feeds = page.inner_text("#feeds")
    assert "2023" in feeds and "60.0000" in feeds
    assert page.locator("#funnel thead th").last.inner_text() == "技术合同登记"
    last = page.locator("#funnel tbody tr").first.locator("td").last.inner_text()
    assert last.startswith("1 ")  # the one match reached 技术合同登记
    page.screenshot(path=str(shots / "41-libraries-dashboard.png"), full_page=True)
    ctx.close()
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    _login(page, base, "xiji", pw)
    page.goto(f"{base}/libraries/dashboard/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # wide tables scroll inside their box, the page does not
    page.screenshot(path=str(shots / "42-libraries-dashboard-phone.png"), full_page=True)
    phone.close()

    # the administrator's next evaluation (2024, 2023 data) takes I15 from the contract
    import_file(shipped_path(), framework=platform_framework(), registry=reg, user="demo",
                accept_warnings=True)  # fmt: skip
    ev = wf.execute(wf.start(admin, 2024, queue=False).pk)
    assert ev.status == "review", ev.error
    ev.status = PUBLISHED
    ev.save()
    Publication.objects.create(evaluation_year=2024, version=1, evaluation=ev, results=ev.results,
                               class_counts=ev.class_counts, published_at=timezone.now())  # fmt: skip
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    _login(page, base, "admin", pw)
    page.goto(f"{base}/dashboard/2024/county/{xiji}/")
    row = page.locator("#derived tbody tr", has_text="tech_contracts").filter(has_text="2023")
    link = row.locator("a.drill")
    assert link.inner_text() == "1"
    link.click()
    page.wait_for_selector("#records")
    assert page.inner_text("#count") == "1" and NUMBER in page.inner_text("#records")
    page.screenshot(path=str(shots / "43-libraries-i15-drill-down.png"), full_page=True)
    ctx.close()
    # the run's stored value (read from the database: the page shows the count and the list)
    stored = DerivedCount.objects.get(evaluation=ev, variable="tech_contracts",
                                      region_code=xiji, year=2023)  # fmt: skip
    assert (stored.count, stored.value) == (1, 60.0)
