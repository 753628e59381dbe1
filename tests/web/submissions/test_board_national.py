"""The status board at national size (#20 item 5): the 2,844 units of the national registry
(``CIMON_REGIONS=national``) searched, filtered by province, 设区市 and state, and paged, with
the totals per state of every unit the filters keep; the reminders over every page; a fixed
number of queries; one province only on an instance hosting several (``CIMON_PROVINCES``)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cimon.store.submissions.models import ACCEPTED, DRAFT, REJECTED, Claim, Observation, Submission
from cimon.web.submissions.portal import board, set_deadline

pytestmark = pytest.mark.django_db
YEAR, DATA_YEAR = 2026, 2025
GD = "广东省"


def _sub(kind: str, status: str, code: str = "", dept: str = "", **kw: Any) -> Submission:
    kw.setdefault("file_name", f"{code or dept}-{status}.xlsx")
    return Submission(content=b"",
                      sha256=f"{code}{dept}{status}", kind=kind, department=dept,
                      region_code=code, evaluation_year=YEAR, data_year=DATA_YEAR,
                      created_at=timezone.now(), status=status, **kw)  # fmt: skip


@pytest.fixture
def national(users: dict[str, Any], settings: Any) -> dict[str, Any]:
    """Every national unit; self-assessments stored by code (bulk): 广东省's first 100 units
    and every 20th unit elsewhere submitted, the next 15 of 广东省 a draft, the 10 after a
    rejected file; 市场监管厅's one value reported for every unit but 30 of 广东省."""
    from cimon.model.national import national_registry

    settings.CIMON_REGIONS = "national"
    reg = national_registry()
    gd = [r.code for r in reg if r.province == GD]
    rest = [r.code for r in reg if r.province != GD]
    # every 20th elsewhere, and one unit each of 宁夏 (兴庆区) and 甘肃 (城关区 of 兰州)
    others = [c for i, c in enumerate(rest) if i % 20 == 0 or c in ("640104", "620102")]
    submitted = gd[:100] + others
    subs = Submission.objects.bulk_create(
        [_sub("county", ACCEPTED, c) for c in submitted]
        + [_sub("county", DRAFT, c) for c in gd[100:115]]
        + [_sub("county", REJECTED, c) for c in gd[115:]]
    )
    now = timezone.now()
    Claim.objects.bulk_create(
        [Claim(submission=s, region_code=s.region_code, year=DATA_YEAR, variable="mgmt_org",
               score=4, recorded_at=now) for s in subs[: len(submitted)]]
    )  # fmt: skip
    from cimon.store.platform import platform_framework

    fw = platform_framework()
    var = next(v.code for v in fw.variables if v.department == "市场监管厅")
    book = _sub("department", ACCEPTED, dept="市场监管厅")
    book.save()
    gaps = set(gd[:30])
    Observation.objects.bulk_create(
        [Observation(submission=book, region_code=r.code, year=DATA_YEAR, variable=var, value=1.0,
                     recorded_at=now) for r in reg if r.code not in gaps]
    )  # fmt: skip
    return {"reg": reg, "gd": gd, "submitted": submitted, "var": var, "book": book}


def test_page_count_and_totals_at_national_size(users: dict[str, Any], national: Any) -> None:
    n = len(national["reg"])
    assert n == 2844
    with CaptureQueriesContext(connection) as ctx:
        b = board(users["admin"], YEAR)
    assert len(ctx.captured_queries) <= 12  # whatever the number of units
    assert b.units == b.kept == b.filtered == n and b.paged
    assert b.pages == 57 and len(b.counties) == 50  # ⌈2,844 / 50⌉, one page rendered
    done = len(national["submitted"])
    assert b.totals == {"not_started": n - done - 22, "draft": 15, "rejected": 7,
                        "submitted": done, "pending": n - done}  # fmt: skip
    # every department line counts every unit, and names at most 20 of 市场监管厅's 30 gaps
    market = next(r for r in b.departments if r.who == "市场监管厅")
    assert market.submitted and market.missing == 30 and len(market.missing_detail) == 20
    assert market.more == 10 and market.submissions[0][0] == national["book"].pk
    assert next(r for r in b.departments if r.who == "统计局").submitted is False
    # the departments' figures are kept per process until a submission is stored: then new
    fill = _sub("department", ACCEPTED, dept="市场监管厅", file_name="补报.xlsx")
    fill.save()
    now = timezone.now()
    Observation.objects.bulk_create(
        [Observation(submission=fill, region_code=c, year=DATA_YEAR, variable=national["var"],
                     value=2.0, recorded_at=now) for c in national["gd"][:30]]
    )  # fmt: skip
    market = next(r for r in board(users["admin"], YEAR).departments if r.who == "市场监管厅")
    assert market.complete and len(market.submissions) == 2
    # the last page holds the rest; a page past the end is the last one
    last = board(users["admin"], YEAR, {"page": "999"})
    assert last.page == 57 and len(last.counties) == n - 56 * 50
    assert last.counties[-1].code == national["reg"].codes[-1]


def test_search_filter_and_state(users: dict[str, Any], national: Any) -> None:
    gd = national["gd"]
    b = board(users["admin"], YEAR, {"province": GD})
    assert b.kept == len(gd) == 122 and b.pages == 3
    assert b.totals == {"not_started": 0, "draft": 15, "rejected": 7, "submitted": 100,
                        "pending": 22}  # fmt: skip
    market = next(r for r in b.departments if r.who == "市场监管厅")
    assert market.missing == 30  # the department's gaps within the filter
    page2 = board(users["admin"], YEAR, {"province": GD, "page": "2"})
    assert [r.code for r in page2.counties] == gd[50:100]
    drafts = board(users["admin"], YEAR, {"province": GD, "status": "draft"})
    assert [r.code for r in drafts.counties] == gd[100:115] and drafts.pages == 1
    assert drafts.totals["submitted"] == 100  # the totals ignore the state chosen
    pending = board(users["admin"], YEAR, {"status": "pending", "province": GD})
    assert {r.state for r in pending.counties} == {"draft", "rejected"}
    guangzhou = board(users["admin"], YEAR, {"city": "广州市"})
    assert guangzhou.kept == 11 and {r.city for r in guangzhou.counties} == {"广州市"}
    by_code = board(users["admin"], YEAR, {"q": "4401"})
    assert by_code.kept == 11 and all(r.code.startswith("4401") for r in by_code.counties)
    xiji = board(users["admin"], YEAR, {"q": "西吉"})
    assert [r.who for r in xiji.counties] == ["西吉县"] and not xiji.counties[0].submitted
    assert board(users["admin"], YEAR, {"q": "Xiji"}).kept == 1  # the English name
    assert board(users["admin"], YEAR, {"status": "nonsense"}).filters.status == ""


def test_page_html(users: dict[str, Any], national: Any) -> None:
    c = Client()
    c.force_login(users["admin"])
    html = c.get(f"/status/?year={YEAR}&province={GD}&status=pending").content.decode()
    assert 'class="filters board-filters"' in html and "筛选范围内 122 个" in html
    assert re.search(r"被拒绝待重报 <b>7</b>", html) and "未提交合计 <b>22</b>" in html
    assert "第 1 / 1 页" not in html  # one page: no pager
    html = c.get(f"/status/?year={YEAR}").content.decode()
    assert "第 1 / 57 页" in html and 'rel="next"' in html and html.count("<tr class=") <= 50 + 5
    assert "另有 10 个县（市、区）有缺项" in html


def test_reminders_cover_every_page(users: dict[str, Any], national: Any) -> None:
    """The reminder counts every unit the filters keep without a self-assessment, on every
    page; it names the first 50 and links to the list of all of them."""
    set_deadline(users["admin"], YEAR, "县", timezone.localdate() + timedelta(days=3))
    b = board(users["admin"], YEAR, {"province": GD})
    assert len(b.counties_due) == 22 and len(b.due_named) == 22
    b = board(users["admin"], YEAR)
    assert len(b.counties_due) == b.totals["pending"] > 2000 and len(b.due_named) == 50
    c = Client()
    c.force_login(users["admin"])
    html = c.get(f"/status/?year={YEAR}").content.decode()
    assert f"尚未提交创新管理自评的县（市、区） {b.totals['pending']} 个" in html
    assert f'href="?year={YEAR}&amp;status=pending">列出全部' in html


def test_small_province_board_is_unpaged(users: dict[str, Any]) -> None:
    c = Client()
    c.force_login(users["admin"])
    html = c.get(f"/status/?year={YEAR}").content.decode()
    assert "board-filters" not in html and 'class="pager"' not in html and "筛选范围内" not in html
    b = board(users["admin"], YEAR)
    assert b.units == 22 and len(b.counties) == 22 and not b.paged and b.pages == 1


def test_multi_province_board_and_lists(
    users: dict[str, Any], national: Any, settings: Any, django_user_model: Any
) -> None:
    """On an instance hosting 宁夏 and 甘肃 the 宁夏 administrator's board lists 宁夏's 22
    units only, and the submissions lists and pages hide 甘肃's files."""
    from cimon.store.national.models import ProvinceMember

    settings.CIMON_PROVINCES = "64:nx-2021:nx-2021,62:nx-2021:nx-2021"
    admin = users["admin"]
    assert board(admin, YEAR).units == 0  # an account without a province sees none
    ProvinceMember.objects.create(user=admin, province="64")
    b = board(admin, YEAR)
    assert b.units == 22 and {r.code[:2] for r in b.counties} == {"64"} and not b.paged
    assert next(r for r in b.departments if r.who == "市场监管厅").missing == 0
    lanzhou = Submission.objects.get(region_code="620102")
    ningxia = Submission.objects.get(region_code="640104")
    gs_admin = django_user_model.objects.create_user("gs", password="x")
    ProvinceMember.objects.create(user=gs_admin, province="62")
    gs_book = _sub("department", REJECTED, dept="统计局", user=gs_admin)
    gs_book.save()
    b = board(admin, YEAR)
    assert all(a.id != gs_book.pk for r in b.departments for a in r.refused)
    c = Client()
    c.force_login(admin)
    assert c.get(f"/submit/{lanzhou.pk}/").status_code == 404
    assert c.get(f"/submit/{gs_book.pk}/").status_code == 404
    html = c.get("/submit/").content.decode()
    assert f"/submit/{ningxia.pk}/" in html and f"/submit/{lanzhou.pk}/" not in html
    assert f"/submit/{gs_book.pk}/" not in html
