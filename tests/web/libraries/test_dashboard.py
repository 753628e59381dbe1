"""The libraries dashboard (#18): the figures by field, county, funnel stage and month against
records counted by hand; a county sees only its own figures, a city bureau its counties', the
province all; the Excel download holds the same tables; the page's query count does not grow
with the records."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from tests.web.conftest import XIJI, YUANZHOU

from cimon.store.libraries import services as lib
from cimon.store.libraries import stats
from cimon.store.libraries.models import CONTACTED, NEGOTIATING, SIGNED
from cimon.store.libraries.transfer import mark_transfer_project

pytestmark = pytest.mark.django_db

YEAR = 2025


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _seed(users: dict[str, Any], tag: str = "") -> None:
    """西吉县: two needs (01 published, 03 submitted), a match taken to 技术合同登记 with a
    contract of 600,000 元 in June; 原州区: one published need (01), a contract of 12,345 元 in
    March without a match. Achievements: 210 (农学, direct for 01), 230 (畜牧, direct for 03)."""
    admin = users["admin"]
    for title, disc in (("冷凉蔬菜真空预冷与冷链运输技术" + tag, "210"),
                        ("滩羊全混合日粮精准饲喂技术" + tag, "230")):  # fmt: skip
        a = lib.create_achievement(admin, title, abstract="蔬菜采后真空预冷，冷链运输降低损耗。",
                                   discipline=disc, trl=7, region_code=XIJI)  # fmt: skip
        lib.publish_achievement(a, admin)
    n1 = lib.create_need(users["county"], XIJI, "供港菜心采收后损耗大，需要采后预冷和冷链运输方案。" + tag,
                         chain="冷凉蔬菜", industry="01")  # fmt: skip
    lib.submit_need(n1, users["county"])
    lib.publish_need(n1, admin)
    n2 = lib.create_need(users["county"], XIJI, "滩羊舍饲育肥成本高。" + tag, industry="0311")
    lib.submit_need(n2, users["county"])
    n3 = lib.create_need(users["county2"], YUANZHOU, "马铃薯种薯退化。" + tag, industry="01")
    lib.submit_need(n3, users["county2"])
    lib.publish_need(n3, admin)
    m = lib.recommend(n1, admin)[0]
    for s in (CONTACTED, NEGOTIATING, SIGNED):
        m = lib.advance_match(m, admin, s)
    lib.register_contract(admin, f"X{tag}-1", 600_000, dt.date(YEAR, 6, 30), XIJI, match=m)
    lib.register_contract(admin, f"Y{tag}-1", 12_345, dt.date(YEAR, 3, 1), YUANZHOU)


def test_the_figures_equal_the_records_counted_by_hand(users: dict[str, Any]) -> None:
    _seed(users)
    fields = {r["division"]: r for r in stats.by_field()}
    assert (fields["01"]["needs"], fields["01"]["published"], fields["01"]["direct"]) == (2, 2, 1)
    assert (fields["03"]["needs"], fields["03"]["published"], fields["03"]["direct"]) == (1, 0, 1)
    counties = stats.by_county()
    assert counties[XIJI] | {} == {"needs": 2, "published": 1, "achievements": 2, "matches": 2,
                                   "contracts": 1, "amount": 600_000, "transfers": 0}  # fmt: skip
    assert counties[YUANZHOU]["amount"] == 12_345 and counties[YUANZHOU]["matches"] == 0
    rows = {r["region_code"]: r for r in stats.funnel([XIJI])}
    year = dt.date.today().year  # matches count by the year they were recommended
    assert rows[XIJI]["year"] == year
    assert rows[XIJI]["reached"] == [2, 1, 1, 1, 1]  # two recommended, one taken to the end
    assert rows[XIJI]["rates"] == [None, 0.5, 1.0, 1.0, 1.0]
    monthly = stats.contracts_over_time()
    assert [(r["region_code"], r["month"], r["amount"]) for r in monthly] == [
        (XIJI, 6, 600_000), (YUANZHOU, 3, 12_345)]  # fmt: skip
    assert stats.by_year(monthly) == [{"year": YEAR, "count": 2, "amount": 612_345}]
    feeds = {r["region_code"]: r for r in stats.feed_figures([XIJI, YUANZHOU], [YEAR])}
    assert (feeds[XIJI]["i15"], feeds[XIJI]["i15_count"], feeds[XIJI]["i18"]) == (60.0, 1, 1)
    assert feeds[YUANZHOU]["i15"] == 1.2345


def test_a_transfer_project_counts_in_i18_only(users: dict[str, Any]) -> None:
    _seed(users)
    admin = users["admin"]
    n = lib.create_need(admin, YUANZHOU, "冷链运输损耗大，需要预冷。", industry="01")
    lib.submit_need(n, admin)
    lib.publish_need(n, admin)
    m = lib.advance_match(lib.recommend(n, admin)[0], admin, CONTACTED)
    mark_transfer_project(m, admin, dt.date(YEAR, 9, 1))
    feeds = {r["region_code"]: r for r in stats.feed_figures([YUANZHOU], [YEAR])}
    assert (feeds[YUANZHOU]["i15_count"], feeds[YUANZHOU]["i18"]) == (1, 2)
    assert stats.by_county([YUANZHOU])[YUANZHOU]["transfers"] == 1


def test_a_county_sees_only_its_own_figures(users: dict[str, Any]) -> None:
    _seed(users)
    url = reverse("libraries:dashboard")
    own = _client(users["county"]).get(url).content.decode()
    assert f'data-county="{XIJI}"' in own and f'data-county="{YUANZHOU}"' not in own
    assert "600000" in own and "12345" not in own
    other = _client(users["county2"]).get(url).content.decode()
    assert "12345" in other and "600000" not in other
    for role in ("admin", "department", "viewer", "city"):  # 固原市 holds both test counties
        page = _client(users[role]).get(url).content.decode()
        assert "600000" in page and "12345" in page and "612345" in page, role
    assert _client(users["expert"]).get(url).status_code == 403
    from tests.web.conftest import FW, REG

    from cimon.store.accounts.services import create_user

    yinchuan, _ = create_user("yinchuan", "city", framework=FW, registry=REG, city="银川市",
                              password="city-password-18")  # fmt: skip
    page = _client(yinchuan).get(url).content.decode()  # another city: none of these counties
    assert "600000" not in page and "12345" not in page
    assert f'data-county="{XIJI}"' not in page and f'data-county="{YUANZHOU}"' not in page
    assert 'data-county="640104"' in page  # its own counties, with nothing recorded


def test_the_download_holds_the_same_tables_in_the_users_scope(users: dict[str, Any]) -> None:
    _seed(users)
    resp = _client(users["county"]).get(reverse("libraries:dashboard_download"))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["领域供需", "县域", "对接漏斗", "技术合同（月）", "I15与I18"]
    county = [r for r in wb["县域"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[7]) for r in county] == [(XIJI, 600_000)]
    feeds = list(wb["I15与I18"].iter_rows(min_row=2, values_only=True))
    assert feeds == [(XIJI, "西吉县", YEAR, 60, 1, 1)]


def test_formula_like_text_is_written_as_text(users: dict[str, Any]) -> None:
    lib.register_contract(users["admin"], "=HYPERLINK(1)", 5, dt.date(YEAR, 1, 1), XIJI)
    data = stats.library_stats(None, [XIJI])
    from cimon.web.libraries.dashboard_views import workbook

    wb = load_workbook(io.BytesIO(workbook(data, {XIJI: "=cmd|x"})))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    name = [c for c in cells if c.value == "=cmd|x"]
    assert name and all(c.data_type == "s" for c in name)  # text, not a formula
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_the_aggregates_make_a_fixed_number_of_queries(
    users: dict[str, Any], django_assert_num_queries: Any
) -> None:
    _seed(users)
    _seed(users, tag="二")
    # by_field 2, by_county 5, funnel 1, contracts 1, transfer years 1, the 模拟数据 label 2,
    # the I15 feed 1, the I18 feed 2
    with django_assert_num_queries(15):
        data = stats.library_stats(None, [XIJI, YUANZHOU])
    assert data.county_rows[XIJI]["contracts"] == 2


def test_the_page_makes_a_fixed_number_of_queries(users: dict[str, Any]) -> None:
    client = _client(users["admin"])
    url = reverse("libraries:dashboard")
    _seed(users)
    client.get(url)  # warm caches (platform registry, field map)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _seed(users, tag="二")
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    assert len(two) == len(one) and len(one) <= 25, [q["sql"] for q in one.captured_queries]


def test_the_demo_libraries_show_on_the_dashboard_labelled(users: dict[str, Any]) -> None:
    from cimon.store.libraries.demo import load_demo_libraries

    assert load_demo_libraries([XIJI, YUANZHOU], YEAR) == 3
    page = _client(users["admin"]).get(reverse("libraries:dashboard")).content.decode()
    assert 'id="synthetic"' in page and "模拟数据" in page
    data = stats.library_stats(None, [XIJI, YUANZHOU])
    assert data.synthetic and data.county_rows[XIJI]["contracts"] >= 1
    # the demo contract (600,000 元) and the imported register (35.5 + 80 万元 in 原州区,
    # 12.8 万元 in 西吉县) by county
    assert data.county_rows[XIJI]["amount"] == 600_000 + 128_000
    assert data.county_rows[YUANZHOU]["amount"] == 355_000 + 800_000
