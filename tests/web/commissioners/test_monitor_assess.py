"""Monitoring and assessment pages (#17): who sees which counties, the unserved villages, the
alerts, the 重点帮扶县 teams, a commissioner's own counts; the assessment from the province's
computing step through the county's review, the confirmation with the 优秀 cap, 公示 (no
backdating) and publication to the downloads and the commissioner's own page. Query counts do not
grow with the rows."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.commissioners.test_pages import TODAY, _accepted, _client, _queries
from tests.web.commissioners.test_pages import world as world
from tests.web.conftest import XIJI, YUANZHOU

from cimon.store.commissioners import services as comm
from cimon.store.commissioners.models import Commissioner
from cimon.store.commissioners.records import Assessment

pytestmark = pytest.mark.django_db

#: a village of 西吉县 in the registry (吉强镇 中街社区)
SERVED = XIJI + "100002"


def _serve(world: Any) -> None:
    comm.log_service(world["me"], None, date=TODAY, village_code=SERVED, kind="demo",
                     dispatch=world["mine_d"])  # fmt: skip


def test_monitor_scope_by_role(users: Any, world: Any) -> None:
    _serve(world)
    admin = _client(users["admin"]).get(reverse("commissioners:monitor")).content.decode()
    assert "西吉县" in admin and "兴庆区" in admin and 'data-chart="chart-coverage"' in admin
    assert "chart-months" in admin
    county = _client(users["county"]).get(reverse("commissioners:monitor")).content.decode()
    assert "西吉县" in county and "兴庆区" not in county
    city = _client(users["city"]).get(reverse("commissioners:monitor")).content.decode()
    assert "原州区" in city and "西吉县" in city and "兴庆区" not in city
    r = _client(users["commissioner"]).get(reverse("commissioners:monitor"))
    assert r.status_code == 302 and r["Location"].endswith(reverse("commissioners:monitor_me"))
    assert _client(users["unit"]).get(reverse("commissioners:monitor")).status_code == 403


def test_county_page_lists_the_unserved_villages_and_hides_other_counties(
    users: Any, world: Any
) -> None:
    _serve(world)
    c = _client(users["county"])
    page = c.get(reverse("commissioners:monitor_county", args=[XIJI])).content.decode()
    assert "吉强镇" in page and "中街社区居民委员会" not in page  # served: not in the list
    assert "民生家园社区居民委员会" in page
    assert c.get(reverse("commissioners:monitor_county", args=[YUANZHOU])).status_code == 404
    town = c.get(reverse("commissioners:monitor_county", args=[XIJI]), {"town": XIJI + "100"})
    assert "锦绣社区居民委员会" in town.content.decode()


def test_alerts_inactive_and_dispatches_without_report(users: Any, world: Any) -> None:
    idle = comm.create_commissioner(None, unit=None, status="active", name="闲特派")
    _accepted(idle, XIJI, "西吉县某企业")
    c = _client(users["county"])
    page = c.get(reverse("commissioners:monitor_alerts"), {"days": "10"}).content.decode()
    assert "闲特派" in page and "马特派" not in page  # 马特派 logged a service today
    assert "李特派" not in page  # of 原州区: not this county's
    other = _client(users["admin"]).get(reverse("commissioners:monitor_alerts")).content.decode()
    assert "闲特派" in other


def test_key_county_teams(users: Any, world: Any) -> None:
    comm.create_team(users["admin"], "西吉县科技特派团", world["me"], XIJI, TODAY.year)
    page = _client(users["admin"]).get(reverse("commissioners:monitor_teams")).content.decode()
    assert "西吉县科技特派团" in page and "隆德县" in page and "兴庆区" not in page


def test_commissioners_own_counts(users: Any, world: Any) -> None:
    page = _client(users["commissioner"]).get(reverse("commissioners:monitor_me")).content.decode()
    assert "马特派" in page and 'id="my-counts"' in page
    assert _client(users["county"]).get(reverse("commissioners:monitor_me")).status_code == 403


def _more(n: int) -> None:
    start = Commissioner.objects.count()
    for i in range(start, start + n):
        p = comm.create_commissioner(None, unit=None, status="active", name=f"特派员{i}")
        d = _accepted(p, XIJI, f"合作社{i}")
        comm.log_service(p, None, date=TODAY - dt.timedelta(days=40), village_code=SERVED,
                         kind="demo", dispatch=d)  # fmt: skip


@pytest.mark.parametrize("name", ["monitor", "monitor_alerts", "monitor_teams", "assess"])
def test_monitor_query_counts_do_not_grow(users: Any, world: Any, name: str) -> None:
    c = _client(users["admin"])
    url = reverse(f"commissioners:{name}")
    _more(1)
    comm.store_computed_assessments(TODAY.year, _rows(), None)
    before = _queries(c, url)
    _more(30)
    comm.store_computed_assessments(TODAY.year, _rows(), None)
    assert _queries(c, url) == before
    assert before <= 16, before


def _rows() -> list[dict[str, Any]]:
    return [
        {"commissioner_id": p.pk, "county_code": XIJI if p.pk % 2 else YUANZHOU, "score": 80.0,
         "grade": "good", "reasons": [{"zh": "得分80", "en": "score 80"}]}
        for p in Commissioner.objects.all()
    ]  # fmt: skip


def _post(c: Client, name: str, data: dict[str, Any], *args: Any) -> Any:
    return c.post(reverse(f"commissioners:{name}", args=args), data)


def test_assessment_from_computing_to_publication(users: Any, world: Any) -> None:
    year = TODAY.year
    admin, county = _client(users["admin"]), _client(users["county"])
    assert _post(admin, "assess_compute", {"year": year}).status_code == 302
    rows = Assessment.objects.current().filter(year=year)
    assert rows.count() == Commissioner.objects.filter(status="active").count() == 2
    mine = rows.get(commissioner=world["me"])
    theirs = rows.get(commissioner=world["other"])
    assert mine.county_code == XIJI and mine.status == "draft"
    # the county sees and reviews its row only
    listing = county.get(reverse("commissioners:assess"), {"year": year}).content.decode()
    assert "马特派" in listing and "李特派" not in listing
    assert _post(county, "assess_review", {"grade": "good"}, theirs.pk).status_code == 404
    other = "excellent" if mine.grade != "excellent" else "good"
    _post(county, "assess_review", {"grade": other, "reason": ""}, mine.pk)
    mine.refresh_from_db()
    assert mine.status == "draft"  # a changed grade needs a reason
    _post(county, "assess_review", {"grade": "excellent", "reason": "示范带动突出"}, mine.pk)
    mine.refresh_from_db()
    assert mine.status == "county_reviewed" and mine.county_grade == "excellent"
    # the province does not take the county's step; the city bureau reads its counties' rows
    assert _post(admin, "assess_review", {"grade": "good"}, theirs.pk).status_code == 403
    city = _client(users["city"])
    read = city.get(reverse("commissioners:assess"), {"year": year}).content.decode()
    assert "马特派" in read and "李特派" in read and "row-step" not in read
    assert _post(city, "assess_review", {"grade": "good"}, theirs.pk).status_code == 403
    unit = _client(users["unit"]).get(reverse("commissioners:assess"), {"year": year})
    assert "马特派" not in unit.content.decode()  # a draft: not shown to the unit
    comm.county_review(theirs, users["admin"])
    # confirming all: one 优秀 of two exceeds the 15% cap
    _post(admin, "assess_confirm_all", {"year": year})
    assert rows.filter(status="confirmed").count() == 0
    _post(admin, "assess_confirm", {"grade": "good", "reason": "超过优秀比例"}, mine.pk)
    _post(admin, "assess_confirm_all", {"year": year})
    assert rows.filter(status="confirmed").count() == 2
    # nothing to see for the commissioner before 公示; no backdated notice
    me = _client(users["commissioner"])
    assert "还没有公示的考核" in me.get(reverse("commissioners:assess_mine")).content.decode()
    back = (TODAY - dt.timedelta(days=1)).isoformat()
    _post(admin, "assess_notice", {"year": year, "start": back})
    assert rows.filter(status="notice").count() == 0
    assert admin.get(reverse("commissioners:assess_excellent", args=[year])).status_code == 404
    _post(admin, "assess_notice", {"year": year, "start": TODAY.isoformat()})
    assert rows.filter(status="notice").count() == 2
    page = me.get(reverse("commissioners:assess_mine")).content.decode()
    assert "良好" in page and "公示中" in page
    _post(admin, "assess_publish", {"year": year})
    assert rows.filter(status="published").count() == 0  # the notice is still running
    # downloads from the frozen rows
    docx = admin.get(reverse("commissioners:assess_excellent", args=[year]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    xlsx = admin.get(reverse("commissioners:assess_workbook", args=[year]))
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.content))
    names = {str(r[2].value) for r in wb["考核结果"].iter_rows(min_row=2)}
    assert names == {"马特派", "李特派"}
    assert county.get(reverse("commissioners:assess_workbook", args=[year])).status_code == 403
    # after the notice
    rows.update(notice_start=TODAY - dt.timedelta(days=10), notice_end=TODAY - dt.timedelta(days=1))
    _post(admin, "assess_publish", {"year": year})
    assert rows.filter(status="published").count() == 2
