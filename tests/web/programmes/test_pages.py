"""Programme pages: a county applies through the form, the province steps it through review,
公示 and designation, the county reports progress and the page shows the computed status;
the review list downloads as Word."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cimon.store.programmes import services
from cimon.store.programmes.models import Application

TARGETS = """
- {code: T1, name: 高新技术企业数, kind: zero_break, params: {}, baseline: 0, deadline: 2028,
   units: [科技局]}
"""


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_apply_review_designate_and_report(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    prog = services.define_programme("innovative-county")
    batch = services.open_batch(None, prog, today.year, today, today + timedelta(days=30))
    county, admin = _client(users["county"]), _client(users["admin"])

    bad = county.post(reverse("programmes:apply"), {"batch": batch.pk, "unit_level": "county",
                      "theme": "旅游", "base_year": 2025, "budget_yuan": 1,
                      "targets": TARGETS})  # fmt: skip
    assert bad.status_code == 200 and Application.objects.count() == 0
    r = county.post(
        reverse("programmes:apply"),
        {"batch": batch.pk, "unit_level": "county", "theme": "产业发展", "base_year": 2025,
         "budget_yuan": 800000, "targets": TARGETS, "tasks": "建设众创空间：科技局、财政局"},
    )  # fmt: skip
    app = Application.objects.get()
    assert r.status_code == 302 and app.county == users["county"].account.region_code
    assert app.plan().tasks == [{"task": "建设众创空间", "units": ["科技局", "财政局"]}]
    step = reverse("programmes:step", args=[app.pk])
    county.post(step, {"action": "submit"})
    # no published evaluation: ineligible, with the rule shown on the page
    admin.post(step, {"action": "eligibility"})
    app.refresh_from_db()
    assert app.status == "ineligible" and app.eligibility["rule"] == "published"
    page = admin.get(reverse("programmes:application", args=[app.pk])).content.decode()
    assert "published" in page and "没有该县已发布的评价结果" in page

    # the rest of the way through the service (eligibility passed on a published result)
    Application.objects.filter(pk=app.pk).update(status="eligible")
    _client(users["expert"]).post(step, {"action": "score", "points": "88"})
    admin.post(step, {"action": "review"})
    admin.post(step, {"action": "notice"})
    app.refresh_from_db()
    assert app.status == "notice" and app.notice_start == today
    admin.post(step, {"action": "designate"})  # refused: the notice has not ended
    app.refresh_from_db()
    assert app.status == "notice"
    services.decide(users["admin"], app, True, today=app.notice_end + timedelta(days=1))

    url = reverse("programmes:application", args=[app.pk])
    assert (
        "数据不足" in county.get(url).content.decode()
        or "按期可达" in county.get(url).content.decode()
    )
    county.post(step, {"action": "progress", "year": today.year, "target": "T1", "value": "1",
                       "narrative": "首家高企"})  # fmt: skip
    page = county.get(url).content.decode()
    assert 'class="met"' in page and "已达目标" in page

    pipeline = admin.get(reverse("programmes:index")).content.decode()
    assert "已申报 0 · 已命名 1 · 已中期评估 0 · 已验收 0" in pipeline
    assert reverse("programmes:application", args=[app.pk]) in pipeline
    assert "app-" not in _client(users["county2"]).get(reverse("programmes:index")).content.decode()
    doc = admin.get(reverse("programmes:review_docx", args=[batch.pk]))
    assert doc.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    assert "创新型县(市)评审结果名单" in text
    cells = [c.text for row in Document(io.BytesIO(doc.content)).tables[0].rows for c in row.cells]
    assert "88.0" in cells and "已命名" in cells


@pytest.mark.django_db
def test_a_step_out_of_turn_is_neither_shown_nor_taken(users: dict[str, Any]) -> None:
    """The page's forms and the steps accepted follow the application's stage (one policy):
    a county reports progress only once designated."""
    import yaml

    today = timezone.localdate()
    prog = services.define_programme("innovative-county")
    batch = services.open_batch(None, prog, today.year, today, today + timedelta(days=30))
    app = services.apply(users["county"], batch, "640422", theme="产业发展",
                         base_year=today.year - 1, targets=yaml.safe_load(TARGETS))  # fmt: skip
    county = _client(users["county"])
    page, step = (reverse(f"programmes:{n}", args=[app.pk]) for n in ("application", "step"))
    html = county.get(page).content.decode()
    assert 'value="submit"' in html and 'value="progress"' not in html
    report = {"action": "progress", "year": today.year, "target": "T1", "value": "1"}
    assert county.post(step, report).status_code == 400
    assert not app.progress.exists()
    Application.objects.filter(pk=app.pk).update(status="designated")
    assert 'value="progress"' in county.get(page).content.decode()
    assert county.post(step, report).status_code == 302 and app.progress.exists()
