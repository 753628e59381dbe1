"""The workflow through its pages: run, progress, notice, objection, handling, publication, the
published results for a viewer, a correction and the old version for admins only."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone
from tests.web.conftest import run_tasks

from cimon.store.evaluations.models import (
    NOTICE,
    PUBLISHED,
    QUEUED,
    REVIEW,
    Evaluation,
    Objection,
    Publication,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(users: dict[str, Any], settings: Any) -> Client:
    from cimon.web.serving import load_demo

    load_demo(modules=False)
    c = Client()
    c.force_login(users["admin"])
    return c


def test_run_notice_objection_publish_and_correct(admin: Client, users: dict[str, Any]) -> None:
    # the form offers the latest year the stored data support (demo data 2018–2024 → 2025)
    index = admin.get("/evaluations/").content.decode()
    assert 'name="year" value="2025"' in index
    r = admin.post("/evaluations/run/", {"year": 2025}, follow=True)
    ev = Evaluation.objects.get()
    assert ev.status == QUEUED and "排队中" in r.content.decode()  # the worker runs it
    run_tasks()
    ev.refresh_from_db()
    assert ev.status == REVIEW
    html = admin.get(f"/evaluations/{ev.pk}/").content.decode()
    assert "100%" in html and "金凤区" in html and "开始公示" in html
    assert 'hx-get="' not in html  # finished: no more polling
    today = timezone.localdate()
    past = {"start": str(today - timedelta(days=8)), "end": str(today - timedelta(days=1))}
    r = admin.post(f"/evaluations/{ev.pk}/notice/", past, follow=True)
    ev.refresh_from_db()  # a notice that started in the past is refused, saying why
    assert ev.status == REVIEW and "早于今天" in r.content.decode()
    r = admin.post(f"/evaluations/{ev.pk}/notice/", {**past, "override": "1"}, follow=True)
    ev.refresh_from_db()  # an exception needs its reason
    assert ev.status == REVIEW and "填写理由" in r.content.decode()
    admin.post(
        f"/evaluations/{ev.pk}/notice/",
        {**past, "override": "1", "override_reason": "已在政府网站线下公示"},
    )
    ev.refresh_from_db()
    assert ev.status == NOTICE and ev.notice_override == "已在政府网站线下公示"
    admin.post(
        f"/evaluations/{ev.pk}/objections/",
        {"raised_by": "西吉县科技局", "region_code": "640422", "content": "专利数漏报"},
    )
    obj = Objection.objects.get()
    r = admin.post(f"/evaluations/{ev.pk}/publish/", follow=True)
    assert "异议未处理" in r.content.decode()  # refused with the reason shown
    admin.post(
        f"/evaluations/objections/{obj.pk}/handle/", {"decision": "dismissed", "response": "已核实"}
    )
    # a document number that is not one line is refused with the reason; nothing is published
    r = admin.post(
        f"/evaluations/{ev.pk}/publish/", {"document_number": "宁科发\n12号"}, follow=True
    )
    assert "文号" in r.content.decode()
    ev.refresh_from_db()
    assert ev.status != PUBLISHED
    cover = {"issue_date": "2026-12-07", "document_number": "宁科发〔2026〕12号"}
    r = admin.post(f"/evaluations/{ev.pk}/publish/", cover)
    ev.refresh_from_db()  # the first post asks for confirmation, naming the comparison
    assert ev.status == NOTICE and "确认发布" in r.content.decode()
    assert "2024 年度尚无已发布结果" in r.content.decode()
    # … and the incentive rules it will be frozen with
    text = lxml.html.fromstring(r.content.decode()).text_content()
    assert "激励规则：nx-2021 2021.1，进位按“实际超越”口径计数" in text
    assert "宁科发〔2026〕12号" in r.content.decode()
    admin.post(f"/evaluations/{ev.pk}/publish/", {**cover, "confirmed": "1"})
    ev.refresh_from_db()
    assert ev.status == PUBLISHED
    html = admin.get(f"/evaluations/{ev.pk}/").content.decode()
    assert "完成，待审核" not in html and "已发布" in html
    v1 = Publication.objects.get(evaluation_year=2025, version=1)
    assert (v1.issue_date, v1.document_number) == (date(2026, 12, 7), "宁科发〔2026〕12号")

    viewer = Client()
    viewer.force_login(users["viewer"])
    home = viewer.get("/").content.decode()
    assert "/results/2025/" in home
    page = viewer.get("/results/2025/").content.decode()
    assert "金凤区" in page and "第 1 版" in page
    # every score with the framework's 2 decimals, right-aligned; classes coloured
    cells = re.findall(r'<td class="num score">([^<]*)</td>', page)
    assert len(cells) == 22 and all(re.fullmatch(r"\d+\.\d{2}", c) for c in cells), cells
    assert len(re.findall(r'<td class="cls cls-[ABC]">', page)) == 22

    # a correction: a new run published with a reason; v1 stays for admins only
    admin.post("/evaluations/run/", {"year": 2025})
    run_tasks()
    second = Evaluation.objects.exclude(pk=ev.pk).get()
    r = admin.post(f"/evaluations/{second.pk}/publish/", {"reason": ""}, follow=True)
    assert "更正发布必须填写理由" in r.content.decode()
    r = admin.post(f"/evaluations/{second.pk}/publish/", {"reason": "西吉县专利数更正"})
    assert "第 2 版" in r.content.decode() and "替代第 1 版" in r.content.decode()
    admin.post(
        f"/evaluations/{second.pk}/publish/", {"reason": "西吉县专利数更正", "confirmed": "1"}
    )
    assert viewer.get("/results/2025/?version=1").status_code == 404
    assert "西吉县专利数更正" in viewer.get("/results/2025/").content.decode()
    old = admin.get("/results/2025/?version=1").content.decode()
    assert "已被更正版本替代" in old


def test_progress_fragment_polls_while_running(admin: Client, users: dict[str, Any]) -> None:
    from cimon.web.evaluations import services as wf

    ev = wf.start(users["admin"], 2025)
    frag = admin.get(f"/evaluations/{ev.pk}/progress/").content.decode()
    assert f'hx-get="/evaluations/{ev.pk}/progress/"' in frag and 'hx-trigger="every 1s"' in frag
    wf.execute(ev.pk)
    frag = admin.get(f"/evaluations/{ev.pk}/progress/").content.decode()
    assert "hx-get" not in frag and "100%" in frag


@pytest.mark.parametrize(("decimals", "shown"), [(2, "84.00"), (1, "84.0"), (0, "84")])
def test_results_table_keeps_trailing_zeros(decimals: int, shown: str) -> None:
    """84.0 is published as 84.00 under a 2-decimal framework, never as 84 or 84.0."""
    from django.template.loader import render_to_string

    row = {"rank": 1, "name": "金凤区", "city": "银川市", "score_published": 84.0, "class": "A"}
    html = render_to_string(
        "evaluations/_results_table.html",
        {"rows": [row, {**row, "score_published": None}], "counts": {"A": 1}, "decimals": decimals},
    )
    assert f'<td class="num score">{shown}</td>' in html
    assert '<td class="num score">—</td>' in html
    assert '<td class="cls cls-A">A</td>' in html
