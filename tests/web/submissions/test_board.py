"""The status board: who has and has not submitted, what is missing, deadlines and reminders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cimon.store.submissions.models import AuditEvent, Deadline
from cimon.web.submissions.portal import Upload, board, set_deadline, upload

from ..conftest import county_workbook

pytestmark = pytest.mark.django_db


def test_admin_board_lists_every_department_and_county(users: dict[str, Any]) -> None:
    b = board(users["admin"], 2026)
    assert [r.who for r in b.departments] == [
        "科技厅",
        "发展改革委",
        "财政厅",
        "市场监管厅",
        "统计局",
    ]
    assert len(b.counties) == 22 and not any(r.submitted for r in b.counties)
    upload(users["county"], Upload("x.xlsx", county_workbook(users["county"])), 2026)
    b = board(users["admin"], 2026)
    assert [r.who for r in b.counties if r.submitted] == ["西吉县"]


def test_deadlines_and_reminders(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    set_deadline(users["admin"], 2026, "统计局", today - timedelta(days=2))
    set_deadline(users["admin"], 2026, "县", today + timedelta(days=3))
    set_deadline(users["admin"], 2026, "科技厅", today + timedelta(days=30))
    b = board(users["admin"], 2026)
    stats = next(r for r in b.departments if r.who == "统计局")
    assert stats.overdue and stats.days_left == -2
    keji = next(r for r in b.departments if r.who == "科技厅")
    assert not keji.remind
    assert [r.who for r in b.reminders] == ["统计局"]
    assert len(b.counties_due) == 22  # summed up in one line on the admin's board
    c = Client()
    c.force_login(users["admin"])
    html = c.get("/status/?year=2026").content.decode()
    assert "尚未提交创新管理自评的县（市、区） 22 个" in html
    # the county clerk sees its reminder on its portal page
    c = Client()
    c.force_login(users["county"])
    html = c.get("/submit/?year=2026").content.decode()
    assert "提醒" in html and "西吉县" in html
    assert [r.who for r in board(users["county"], 2026).reminders] == ["西吉县"]
    # moving a deadline is audited old → new
    set_deadline(users["admin"], 2026, "统计局", today + timedelta(days=5))
    ev = (
        AuditEvent.objects.filter(action="deadline.set", object_id="2026/统计局")
        .order_by("-id")
        .first()
    )
    assert ev is not None and ev.detail["old"] == (today - timedelta(days=2)).isoformat()
    assert Deadline.objects.filter(evaluation_year=2026, department="统计局").count() == 1


def test_deadline_form(users: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users["admin"])
    r = c.post(
        "/status/deadline/",
        {"year": 2026, "department": "财政厅", "due": "2026-06-30"},
        follow=True,
    )
    assert "已设置 财政厅 的截止日期：2026-06-30" in r.content.decode()
    r = c.post("/status/deadline/", {"year": 2026, "department": "外交部", "due": "2026-06-30"})
    assert r.status_code == 400 and "外交部" in r.content.decode()
    r = c.post(
        "/status/deadline/", {"year": 2026, "department": "财政厅", "due": "明天"}, follow=True
    )
    assert "截止日期未保存" in r.content.decode()


def test_language_switch(users: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users["admin"])
    # Chinese first: the browser's Accept-Language does not switch the page to English
    assert "报送情况" in c.get("/status/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    c.post("/i18n/setlang/", {"language": "en", "next": "/status/"})
    html = c.get("/status/").content.decode()
    assert "Status board" in html and "报送情况" not in html


def test_city_bureau_sees_its_counties_only(users: dict[str, Any]) -> None:
    """A 设区市科技局 (#20 item 3) follows the self-assessments of its own counties, with the
    reminder before the deadline; no department rows, no other city's county, nothing to
    upload or set."""
    guyuan = ["原州区", "西吉县", "隆德县", "泾源县", "彭阳县"]
    set_deadline(users["admin"], 2026, "县", timezone.localdate() + timedelta(days=3))
    upload(users["county"], Upload("x.xlsx", county_workbook(users["county"])), 2026)
    b = board(users["city"], 2026)
    assert b.departments == []
    assert [r.who for r in b.counties] == guyuan
    assert [r.who for r in b.counties if r.submitted] == ["西吉县"]
    assert [r.who for r in b.counties_due] == [n for n in guyuan if n != "西吉县"]
    c = Client()
    c.force_login(users["city"])
    assert c.get("/").url == "/status/"
    html = c.get("/status/?year=2026").content.decode()
    assert "尚未提交创新管理自评的县（市、区） 4 个" in html
    assert "隆德县" in html and "兴庆区" not in html
    assert "/status/deadline" not in html and c.get("/submit/").status_code == 403
    assert "固原市所辖县（市、区），只读" in html and "/city/" not in html  # nothing published


def test_city_bureau_board_links_its_city_page(users: dict[str, Any]) -> None:
    from cimon.store.evaluations.models import PUBLISHED, Evaluation, Publication

    now = timezone.now()
    ev = Evaluation.objects.create(evaluation_year=2025, framework_id="nx-2021", data_as_of=now,
                                   created_at=now, status=PUBLISHED, progress=100)  # fmt: skip
    Publication.objects.create(evaluation_year=2025, version=1, evaluation=ev, published_at=now)
    c = Client()
    c.force_login(users["city"])
    html = c.get("/status/?year=2026").content.decode()
    assert 'href="/dashboard/2025/city/%E5%9B%BA%E5%8E%9F%E5%B8%82/"' in html
    c.force_login(users["admin"])
    assert "/dashboard/2025/city/" not in c.get("/status/?year=2026").content.decode()
