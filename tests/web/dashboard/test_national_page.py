"""The national page and its Excel export (#20): what administrators and viewers see."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_page_compares_the_demo_provinces(users: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    from cimon.store.national.demo import load_demo
    from cimon.store.national.services import import_published

    c = Client()
    c.force_login(users["viewer"])
    empty = c.get("/dashboard/national/").content.decode()
    assert "尚未导入任何省份的发布结果" in empty
    assert c.get("/dashboard/national/export/").status_code == 404
    load_demo()
    import_published(b"{}", "bad.json", "宁夏", users["admin"])
    page = c.get("/dashboard/national/").content.decode()
    assert "模拟数据" in page and "贵州省" in page and "甘肃省" in page
    assert "各省使用不同的指标体系" in page and "已核实 93 个" in page
    assert "导入记录" not in page  # the attempts are the administrators'
    older = c.get("/dashboard/national/?year=2024").content.decode()
    assert "<b>2024</b>" in older
    c.force_login(users["admin"])
    page = c.get("/dashboard/national/").content.decode()
    assert "导入记录" in page and "bad.json" in page and "未导入" in page
    r = c.get("/dashboard/national/export/?year=2025")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None and ws["A2"].value == "省份" and ws.max_row == 2 + 3 + 2
    assert 'filename="national-2025.xlsx"' in r["Content-Disposition"]
