"""Uploaded plans through the web (#19 item 2): a county clerk uploads an Excel plan with bad
cells (every cell listed, nothing stored), uploads it right, reports a target with an evidence
file, corrects it, and the plan's page shows the status with the rule and the history."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.analysis.test_plans import GOOD, _xlsx

from cimon.store.programmes.models import TargetPlan, TargetReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(user: Any, lang: str = "zh-hans") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_upload_report_and_status(users: dict[str, Any]) -> None:
    county = _client(users["county"])
    url = reverse("programmes:target_plan_upload")
    bad = [*GOOD, ["P6", "x", "level", "四十", 2027, "县科技局", None, None, ""],
           ["P7", "x", "level", 5, "二〇二七", "县科技局", None, None, ""]]  # fmt: skip
    r = county.post(url, {"file": SimpleUploadedFile("plan.xlsx", _xlsx(bad), XLSX)})
    html = r.content.decode()
    assert r.status_code == 200 and TargetPlan.objects.count() == 0
    assert "目标!D6" in html and "目标!E7" in html and "未导入任何目标" in html
    meta = {"id": "xiji-2024", "level": "county", "area": "西吉县"}
    r = county.post(url, {"file": SimpleUploadedFile("plan.xlsx", _xlsx(GOOD, meta), XLSX)})
    tp = TargetPlan.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("programmes:target_plan", args=[tp.pk])
    assert tp.uploaded_by == users["county"] and len(tp.targets) == 4

    report = reverse("programmes:target_report", args=[tp.pk])
    county.post(report, {"target": "P2", "year": 2024, "value": "0", "narrative": "筹建中"})
    evidence = SimpleUploadedFile("批复.pdf", b"%PDF-1.4 evidence")
    r = county.post(report, {"target": "P2", "year": 2024, "value": "1", "narrative": "已组建",
                             "reporter": "县委人才办", "evidence": evidence})  # fmt: skip
    assert r.status_code == 302
    cur = TargetReport.objects.get(target_code="P2", superseded_at__isnull=True)
    assert cur.sha256 == hashlib.sha256(b"%PDF-1.4 evidence").hexdigest()
    assert cur.reporter == "县委人才办" and TargetReport.objects.count() == 2

    page = county.get(reverse("programmes:target_plan", args=[tp.pk])).content.decode()
    assert 'id="target-P2"' in page and "已达目标" in page and "破零" in page
    assert "筹建中" in page and "已组建" in page  # the history is kept and shown
    english = _client(users["viewer"], "en").get(reverse("programmes:target_plan", args=[tp.pk]))
    assert english.status_code == 200
    listing = county.get(reverse("programmes:target_plans")).content.decode()
    assert "xiji-2024" in listing

    # a refused report says why; another county's clerk may not report
    r = county.post(report, {"target": "P2", "year": "二〇二四", "value": "1"}, follow=True)
    assert "年度须为整数" in r.content.decode()
    assert _client(users["county2"]).post(report, {"target": "P2"}).status_code == 403


@pytest.mark.django_db
def test_page_names_the_stored_data_a_target_is_computed_from(users: dict[str, Any]) -> None:
    """#19 item 3: the plan's page says 计算：… from which stored data, and which values won."""
    from tests.store.programmes.test_target_stored import PLAN, _observe

    from cimon.store.programmes import target_plans as TP

    _observe("640422", {("rd_exp", 2025): 30000, ("gdp", 2025): 1200000})
    tp = TP.upload_plan(users["admin"], PLAN.encode(), "plan.yaml")
    url = reverse("programmes:target_plan", args=[tp.pk])
    page = _client(users["admin"]).get(url).content.decode()
    assert "计算：指标 I01" in page and "采用已存数据" in page and "无已存数据，也无填报值" in page
    en = _client(users["admin"])
    en.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = en.get(url).content.decode()
    assert "computed: indicator I01" in english and "stored data used" in english


@pytest.mark.django_db
def test_page_names_a_stored_data_source_of_an_uploaded_plan(users: dict[str, Any]) -> None:
    """#19: a target naming ``source: {kind: registry_count, …}`` shows 计算：名录库计数（…）."""
    from cimon.store.programmes import target_plans as TP

    plan = (
        "id: xiji-hn\nkind: plan\narea: 西吉县\nbase_year: 2023\nitems:\n"
        "  - {code: H1, name_zh: 高新技术企业, target: 5, deadline: 2025, applies_to: '640422',\n"
        "     source: {kind: registry_count, params: {kind: 高新技术企业}}}\n"
    )
    tp = TP.upload_plan(users["admin"], plan.encode(), "plan.yaml")
    url = reverse("programmes:target_plan", args=[tp.pk])
    page = _client(users["admin"]).get(url).content.decode()
    assert "计算：名录库计数（kind=高新技术企业）（640422）" in page
    en = _client(users["admin"])
    en.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "computed: registry count (kind=高新技术企业)" in en.get(url).content.decode()
