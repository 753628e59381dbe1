"""The audit log: old → new recorded, filters, CSV (with BOM, formula-safe) and Excel export."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from cimon.store import audit
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_old_new_when(users: dict[str, Any]) -> None:
    e = audit.record(
        users["admin"],
        "deadline.set",
        "deadline",
        "2026/统计局",
        old="2026-05-01",
        new="2026-05-15",
    )
    assert e.user == "admin" and e.user_account == users["admin"]
    assert e.detail == {"old": "2026-05-01", "new": "2026-05-15"}
    assert abs(e.at - timezone.now()) < timedelta(seconds=5)
    row = next(iter(audit.rows([e])))
    assert row[1:6] == ["admin", "deadline.set", "deadline#2026/统计局", "2026-05-01", "2026-05-15"]


def test_user_creation_is_audited(users: dict[str, Any]) -> None:
    ev = AuditEvent.objects.filter(action="user.created", object_id=str(users["county"].pk)).get()
    assert ev.detail["new"]["role"] == "county"
    assert ev.detail["new"]["region_code"] == "640422"


def test_filters(users: dict[str, Any]) -> None:
    audit.record(users["admin"], "deadline.set", "deadline", "x", new="2026-01-01")
    assert set(audit.events(action="deadline").values_list("action", flat=True)) == {"deadline.set"}
    assert audit.events(user="admin", action="deadline").count() == 1
    assert audit.events(user="nobody").count() == 0
    today = timezone.localdate()
    assert audit.events(since=today, until=today).count() == AuditEvent.objects.count()
    assert audit.events(since=today + timedelta(days=1)).count() == 0


def test_csv_has_a_bom_chinese_header_and_defused_formulas(users: dict[str, Any]) -> None:
    audit.record('=HYPERLINK("x")', "login", "user", 1)
    data = audit.to_csv(audit.events())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "时间,用户,操作,对象,原值,新值,详情"
    assert "'=HYPERLINK" in text
    assert audit.to_csv(audit.events(), "en").decode("utf-8-sig").startswith("When,User")


def test_xlsx_export(users: dict[str, Any]) -> None:
    wb = load_workbook(io.BytesIO(audit.to_xlsx(audit.events())))
    ws = wb["审计日志"]
    assert ws["A1"].value == "时间" and ws.max_row == AuditEvent.objects.count() + 1


def test_admin_browses_filters_and_exports(users: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users["admin"])
    html = c.get("/accounts/audit/?action=user.created").content.decode()
    assert "user.created" in html and "xiji" in html
    r = c.get("/accounts/audit/export.xlsx?action=user")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEvent.objects.filter(action="audit.exported").exists()
    assert c.get("/accounts/audit/export.pdf").status_code == 404
