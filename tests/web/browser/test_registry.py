"""The registries end to end in a real browser (issue #16): a department clerk imports a 高企
list with one bad code and one ambiguous name; the list is refused with the cell named; the
corrected list is imported and the ambiguous row waits on the review screen; the clerk confirms
the right enterprise; the administrator evaluates with 高新技术企业数 counted from the registry
and publishes; on 西吉县's dashboard page the count opens to its list of enterprises.
Screenshots in ``test-artifacts/screenshots/``. Skipped only when Chromium is absent."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from openpyxl import Workbook

pytestmark = pytest.mark.django_db(transaction=True)

HEAD = ["序号", "企业名称", "统一社会信用代码", "证书编号", "发证日期", "所在县（市、区）"]


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_import_a_list_fix_it_review_and_open_the_count(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path, shots: Path
) -> None:
    from importlib import resources

    from django.utils import timezone

    from cimon.data.demo import shipped_path
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.registry.synthetic import synthetic_codes
    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.models import PUBLISHED, Publication
    from cimon.store.evaluations.published import clear_caches
    from cimon.store.platform import platform_framework
    from cimon.store.registry.models import Enterprise, ListImport, Qualification
    from cimon.store.registry.services import import_list
    from cimon.store.submissions.services import import_file
    from cimon.web.evaluations import services as wf

    # the platform's framework counts 高新技术企业数 (hte) from the registry
    raw = yaml.safe_load(
        (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    )
    for v in raw["variables"]:
        if v["code"] == "hte":
            v["source"] = {"registry": "qualification", "kind": "高新技术企业", "on": "year_end"}
    fw_path = tmp_path / "nx-2021-registry.yaml"
    fw_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    settings.CIMON_FRAMEWORK = str(fw_path)
    clear_caches()
    fw, reg = load_framework("nx-2021"), default_registry()
    pw = "browser-test-password-16"
    create_user("keji", "department", framework=fw, registry=reg, department="科技厅", password=pw)
    admin, _ = create_user("admin", "admin", framework=fw, registry=reg, password=pw)
    a, b, c, d = synthetic_codes(4, ["640422"], np.random.default_rng(16))
    # already stored: two enterprises whose names differ only in their legal form
    import_list(
        _xlsx(tmp_path / "old.xlsx", [[1, "宁夏星河科技有限公司", a, "GR2019001", "2019-11-28", "西吉县"],
                                      [2, "宁夏星河科技股份有限公司", b, "GR2019002", "2019-11-28", "原州区"]]).read_bytes(),
        "old.xlsx", kind="高新技术企业", user="seed",
    )  # fmt: skip
    bad_d = d[:-1] + ("0" if d[-1] != "0" else "1")
    rows = [
        [1, "宁夏星河科技有限责任公司", c, "GR2023001", "2023-10-20", "西吉县"],  # ambiguous
        [2, "宁夏云杉农业科技有限公司", bad_d, "GR2023002", "2023-10-20", "西吉县"],  # bad code
    ]
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    _login(page, base, "keji", pw)
    page.goto(f"{base}/registry/")
    page.set_input_files(
        "#registry-upload input[name=file]", str(_xlsx(tmp_path / "2023高企.xlsx", rows))
    )
    page.click("#registry-upload button")
    page.wait_for_selector("#outcome.rejected")
    assert "第 18 位校验码" in page.inner_text("ul.issues") and "C3" in page.inner_text("ul.issues")
    assert Qualification.objects.count() == 2  # nothing of the refused list
    page.screenshot(path=str(shots / "30-registry-bad-code.png"), full_page=True)

    rows[1][2] = d  # the code corrected
    page.goto(f"{base}/registry/")
    page.set_input_files(
        "#registry-upload input[name=file]", str(_xlsx(tmp_path / "2023高企-改.xlsx", rows))
    )
    page.click("#registry-upload button")
    page.wait_for_selector("#outcome.review")
    review = page.locator("#reviews tbody tr")
    assert review.count() == 1 and "宁夏星河科技有限责任公司" in review.inner_text()
    assert "宁夏星河科技股份有限公司" in review.inner_text() and "100" in review.inner_text()
    page.screenshot(path=str(shots / "31-registry-review.png"), full_page=True)
    xiji_star = Enterprise.objects.get(code=a)
    review.locator("li", has_text="宁夏星河科技有限公司").locator("button.confirm").click()
    page.wait_for_selector(".messages li.success")
    assert (
        "已确认" in page.inner_text("#reviews") and ListImport.objects.last().outcome == "accepted"
    )
    ctx.close()

    # the administrator evaluates 2024 (2023 data) and publishes; 西吉县's page opens the list
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
    page.goto(f"{base}/dashboard/2024/county/640422/")
    link = page.locator("#derived a.drill")
    assert link.inner_text() == "2"  # 星河 (confirmed, re-recognised) and 云杉
    link.click()
    page.wait_for_selector("#records")
    listed = page.inner_text("#records")
    assert page.inner_text("#count") == "2" and page.locator("#records tbody tr").count() == 2
    assert "宁夏星河科技有限公司" in listed and "宁夏云杉农业科技有限公司" in listed
    assert str(xiji_star.pk) in listed and "GR2023001" in listed
    page.screenshot(path=str(shots / "32-registry-drill-down.png"), full_page=True)
    ctx.close()
