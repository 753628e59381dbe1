"""Acceptance and case-library pages (#19): the steps through the application page, the Word
opinion, the all-plans view, and object-level rules of the case library."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cimon.store.programmes import cases as C
from cimon.store.programmes import services
from cimon.store.programmes.models import Application, Case

TARGETS = [{"code": "T1", "name": "高新技术企业数", "kind": "zero_break", "params": {},
            "baseline": 0, "deadline": 2099, "units": ["科技局"]}]  # fmt: skip


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def app(users: dict[str, Any]) -> Application:
    today = timezone.localdate()
    prog = services.define_programme("innovative-county")
    batch = services.open_batch(None, prog, today.year, today, today + timedelta(days=30))
    a = services.apply(users["county"], batch, "640422", theme="产业发展",
                       base_year=today.year - 1, targets=TARGETS)  # fmt: skip
    Application.objects.filter(pk=a.pk).update(status="designated")
    a.refresh_from_db()
    return a


@pytest.mark.django_db
def test_acceptance_steps_through_the_page(users: dict[str, Any], app: Application) -> None:
    county, admin, expert = (_client(users[r]) for r in ("county", "admin", "expert"))
    step = reverse("programmes:step", args=[app.pk])
    page = reverse("programmes:application", args=[app.pk])
    admin.post(step, {"action": "midterm", "year": "2026", "result": "good", "opinion": "良好"})
    assert "中期评估" in admin.get(page).content.decode()
    # the county may not take the administrator's steps
    assert county.post(step, {"action": "midterm"}).status_code == 400
    from django.core.files.uploadedfile import SimpleUploadedFile

    county.post(step, {"action": "accept", "summary": "自评总结",
                       "files": [SimpleUploadedFile("自评.pdf", b"%PDF-1")]})  # fmt: skip
    acc = app.acceptances.get()
    assert acc.files.get().file_name.endswith(".pdf")
    expert.post(step, {"action": "acceptance_review", "points": "88", "opinion": "同意"})
    admin.post(step, {"action": "site_review", "result": "confirmed", "findings": "一致"})
    r = admin.post(step, {"action": "acceptance_decide", "result": "pass", "reasons": ""})
    acc.refresh_from_db()
    assert acc.status == "submitted"  # refused without reasons
    admin.post(step, {"action": "acceptance_decide", "result": "pass", "reasons": "目标完成"})
    admin.post(step, {"action": "acceptance_notice"})
    acc.refresh_from_db()
    assert acc.status == "notice" and acc.notice_start == timezone.localdate()
    admin.post(step, {"action": "acceptance_publish"})  # refused: the notice runs
    acc.refresh_from_db()
    assert acc.status == "notice"
    html = admin.get(page).content.decode()
    assert "公示中" in html and "通过验收" in html and "现场核实一致" in html
    r = county.get(reverse("programmes:opinion_docx", args=[app.pk]))
    assert r.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "验收意见" in text and "通过验收" in text and "专家 1 人评分" in text
    plans = admin.get(reverse("programmes:plans")).content.decode()
    assert f'id="plan-{app.pk}"' in plans and "良好" in plans and "公示中" in plans
    # another county's clerk does not see the application nor its opinion
    other = _client(users["county2"])
    assert other.get(reverse("programmes:opinion_docx", args=[app.pk])).status_code == 404


@pytest.mark.django_db
def test_case_library_pages(users: dict[str, Any]) -> None:
    county, admin, viewer = (_client(users[r]) for r in ("county", "admin", "viewer"))
    r = county.post(reverse("programmes:case_new"), {"title": "破零做法", "field": "企业创新",
                    "year": "2026", "text": "正文", "county": "640402"})  # fmt: skip
    case = Case.objects.get()
    assert r.status_code == 302 and case.county == "640422"  # the clerk's own county
    assert viewer.get(reverse("programmes:case", args=[case.pk])).status_code == 404  # a draft
    assert (
        _client(users["county2"]).get(reverse("programmes:case_edit", args=[case.pk])).status_code
        == 404
    )
    county.post(reverse("programmes:case_edit", args=[case.pk]),
                {"title": "破零做法（修订）", "field": "企业创新", "text": "新正文"})  # fmt: skip
    case.refresh_from_db()
    assert case.version == 2 and case.versions.get().title == "破零做法"
    assert county.post(reverse("programmes:case_publish", args=[case.pk])).status_code == 403
    admin.post(reverse("programmes:case_publish", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "published"
    # published: every account sees it; the county may no longer edit it
    assert viewer.get(reverse("programmes:case", args=[case.pk])).status_code == 200
    assert county.get(reverse("programmes:case_edit", args=[case.pk])).status_code == 403
    assert "破零做法（修订）" in Client().get(reverse("programmes:public_cases")).content.decode()
    C.add_case(users["admin"], "未发布", "640402", "产业", "草稿")
    public = Client().get(reverse("programmes:public_cases")).content.decode()
    assert "未发布" not in public
    listed = viewer.get(reverse("programmes:cases") + "?field=企业创新").content.decode()
    assert "破零做法" in listed and "未发布" not in listed


@pytest.mark.django_db
def test_demo_pages_open_in_both_languages(users: dict[str, Any]) -> None:
    from cimon.store.programmes.demo import load_demo_programmes

    load_demo_programmes(["640422", "640402"], timezone.localdate())
    admin = _client(users["admin"])
    designated = Application.objects.get(status="designated")
    case = Case.objects.filter(status="published").first()
    assert case is not None
    urls = [
        reverse("programmes:index"),
        reverse("programmes:plans"),
        reverse("programmes:application", args=[designated.pk]),
        reverse("programmes:cases"),
        reverse("programmes:case", args=[case.pk]),
        reverse("programmes:public_cases"),
    ]
    for lang, word in (("zh-hans", "中期评估"), ("en", "Mid-term")):
        admin.post(reverse("set_language"), {"language": lang, "next": "/"})
        pages = {u: admin.get(u) for u in urls}
        assert all(r.status_code == 200 for r in pages.values()), [
            (u, r.status_code) for u, r in pages.items()
        ]
        assert word in pages[urls[2]].content.decode()
    docx = admin.get(reverse("programmes:opinion_docx", args=[designated.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    f = case.files.get()
    got = admin.get(reverse("programmes:case_file", args=[f.pk]))
    assert got.status_code == 200 and got.content == bytes(f.content)
