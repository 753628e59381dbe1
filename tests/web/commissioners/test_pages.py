"""科技特派员 pages (#17): one path through each role's pages, and the object-level rules — a
commissioner cannot open another's record, a county another county's dispatch, a unit another
unit's people; a rating code works once, never for a corrected record, and refusals are
rate-limited per client address."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.web.conftest import XIJI, YUANZHOU

from cimon.store.commissioners import services as comm
from cimon.store.commissioners.models import Commissioner, Dispatch, ServiceRecord

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TODAY = dt.date.today()


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _accepted(person: Commissioner, county: str, name: str) -> Dispatch:
    d = comm.propose_dispatch(
        None,
        person,
        object_name=name,
        object_kind="coop",
        county_code=county,
        start_on=TODAY - dt.timedelta(days=60),
        end_on=TODAY + dt.timedelta(days=300),
        tasks=["马铃薯脱毒种薯"],
    )
    return comm.decide_dispatch(d, None, True)


@pytest.fixture
def world(users: dict[str, Any], settings: Any, tmp_path: Any) -> dict[str, Any]:
    """马特派 (the commissioner account, unit 宁夏农林科学院) serving 西吉县; 李特派 of
    another unit with its own login serving 原州区; one service record each."""
    from tests.web.conftest import FW, PASSWORD, REG

    from cimon.store.accounts.services import create_user

    settings.CIMON_STORAGE_DIR = str(tmp_path)
    me = Commissioner.objects.get(user=users["commissioner"])
    me.versions.update(phone="13900000000")
    other_unit = comm.create_unit(None, "宁夏大学", "university")
    other_user, _ = create_user("li", "commissioner", framework=FW, registry=REG, password=PASSWORD)
    other = comm.create_commissioner(
        None, unit=other_unit, status="active", account=other_user, name="李特派"
    )
    mine_d = _accepted(me, XIJI, "西吉县某合作社")
    other_d = _accepted(other, YUANZHOU, "原州区某合作社")
    village, village2 = XIJI + "100200", YUANZHOU + "100200"
    mine_r = comm.log_service(me, None, date=TODAY, village_code=village, kind="guidance",
                              people_reached=12, dispatch=mine_d)  # fmt: skip
    other_r = comm.log_service(other, None, date=TODAY, village_code=village2, kind="training",
                               dispatch=other_d)  # fmt: skip
    return {"me": me, "other": other, "other_user": other_user, "mine_d": mine_d,
            "other_d": other_d, "mine_r": mine_r, "other_r": other_r, "village": village}  # fmt: skip


def test_commissioner_logs_a_service_with_photos_on_a_phone_page(users: Any, world: Any) -> None:
    c = _client(users["commissioner"])
    home = c.get(reverse("commissioners:index"))
    assert home.status_code == 200 and "马特派" in home.content.decode()
    page = c.get(reverse("commissioners:service_new")).content.decode()
    assert 'accept="image/*"' in page and "capture" in page and 'name="viewport"' in page
    assert f'value="{TODAY.isoformat()}"' in page  # the date defaults to today
    assert f'<option value="{world["village"]}"' in page  # the villages of its dispatch's county
    r = c.post(
        reverse("commissioners:service_new"),
        {"date": TODAY.isoformat(), "village": world["village"], "kind": "demo",
         "people_reached": "30", "dispatch": world["mine_d"].pk,
         "photos": [_upload("a.png"), _upload("b.png")]},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:500]
    record = ServiceRecord.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))
    assert record.commissioner_id == world["me"].pk and record.evidence.count() == 2
    shown = c.get(r["Location"]).content.decode()
    assert "a.png" in shown and "b.png" in shown
    photo = c.get(reverse("commissioners:evidence_file", args=[record.evidence.first().pk]))
    assert photo.status_code == 200 and photo.content == PNG
    evidence_url = reverse("commissioners:evidence_file", args=[record.evidence.first().pk])
    assert _client(world["other_user"]).get(evidence_url).status_code == 404
    assert _client(users["county2"]).get(evidence_url).status_code == 404
    assert _client(users["county"]).get(evidence_url).status_code == 200
    # a typed code wins over the select; a future date is refused with the store's words
    r = c.post(reverse("commissioners:service_new"),
               {"date": (TODAY + dt.timedelta(days=2)).isoformat(), "village_typed": world["village"],
                "kind": "demo"}, follow=True)  # fmt: skip
    assert "晚于今天" in r.content.decode()
    assert f'name="village_typed" value="{world["village"]}"' in r.content.decode()  # kept
    # in English
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = c.get(reverse("commissioners:service_new")).content.decode()
    assert "Log a service" in page and "Photos (several)" in page and "记录服务" not in page


def _upload(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_a_commissioner_cannot_open_anothers_record(users: Any, world: Any) -> None:
    c = _client(users["commissioner"])
    other = world["other_r"]
    assert c.get(reverse("commissioners:service", args=[other.pk])).status_code == 404
    for name in ("service_correct", "service_evidence", "service_code"):
        assert c.post(reverse(f"commissioners:{name}", args=[other.pk])).status_code == 404
    assert c.get(reverse("commissioners:dispatch", args=[world["other_d"].pk])).status_code == 404
    assert c.get(reverse("commissioners:service", args=[world["mine_r"].pk])).status_code == 200
    # it proposes dispatches for itself only, and sees no other commissioner's page
    assert c.get(reverse("commissioners:dispatch_new", args=[world["me"].pk])).status_code == 200
    assert c.get(reverse("commissioners:dispatch_new", args=[world["other"].pk])).status_code == 404
    assert c.get(reverse("commissioners:person", args=[world["other"].pk])).status_code == 404
    assert c.get(reverse("commissioners:evidence_file", args=[999_999])).status_code == 404
    listed = c.get(reverse("commissioners:services")).content.decode()
    assert f">{world['mine_r'].pk}<" in listed and f">{other.pk}<" not in listed


def test_a_correction_is_a_new_version_and_the_old_one_is_shown_superseded(
    users: Any, world: Any
) -> None:
    c = _client(users["commissioner"])
    old = world["mine_r"]
    form = c.get(reverse("commissioners:service", args=[old.pk])).content.decode()
    assert f'<option value="{world["village"]}" selected>' in form  # prefilled
    r = c.post(
        reverse("commissioners:service_correct", args=[old.pk]),
        {"date": TODAY.isoformat(), "village": world["village"], "kind": "guidance",
         "people_reached": "15", "dispatch": world["mine_d"].pk},
    )  # fmt: skip
    assert r.status_code == 302
    new = ServiceRecord.objects.get(supersedes=old)
    assert new.people_reached == 15 and ServiceRecord.objects.get(pk=old.pk).superseded_at
    assert 'id="older"' in c.get(r["Location"]).content.decode()
    page = c.get(reverse("commissioners:service", args=[old.pk])).content.decode()
    assert 'id="superseded"' in page and "issue-code" not in page
    # correcting the superseded one again is refused with the store's message
    r = c.post(
        reverse("commissioners:service_correct", args=[old.pk]),
        {"date": TODAY.isoformat(), "village": world["village"], "kind": "guidance"},
        follow=True,
    )
    assert "已被更正，请更正最新的记录" in r.content.decode()
    assert ServiceRecord.objects.filter(supersedes=old).count() == 1


def _code(c: Client, record: ServiceRecord) -> str:
    r = c.post(reverse("commissioners:service_code", args=[record.pk]))
    assert r.status_code == 200 and r["Cache-Control"].startswith("max-age=0")
    m = re.search(r'id="code">([A-Z0-9]{5}-[A-Z0-9]{5})<', r.content.decode())
    assert m, r.content.decode()[:800]
    assert f"/commissioners/rate/{m[1].replace('-', '')}/" in r.content.decode()
    return m[1]


def test_rating_code_shown_once_rates_once(users: Any, world: Any) -> None:
    c = _client(users["commissioner"])
    code = _code(c, world["mine_r"])
    anon = Client()
    page = anon.get(reverse("commissioners:rate", args=[code]))
    text = page.content.decode()
    assert page.status_code == 200 and "马特派" in text and world["village"] in text
    assert "13900000000" not in text  # never the phone
    r = anon.post(reverse("commissioners:rate", args=[code]), {"satisfaction": "9"})
    assert r.status_code == 400  # not 1–5: the form again
    r = anon.post(
        reverse("commissioners:rate", args=[code]), {"satisfaction": "5", "comment": "好"}
    )
    assert r.status_code == 200 and 'id="thanks"' in r.content.decode()
    again = anon.get(reverse("commissioners:rate", args=[code]))
    assert again.status_code == 404 and "已使用过" in again.content.decode()
    again = anon.post(reverse("commissioners:rate", args=[code]), {"satisfaction": "1"})
    assert again.status_code == 404
    shown = c.get(reverse("commissioners:service", args=[world["mine_r"].pk])).content.decode()
    assert "5 / 5" in shown and "issue-code" not in shown
    # the entry form sends the typed code to the rating page
    r = anon.post(reverse("commissioners:rate_enter"), {"code": code.lower()})
    assert r.status_code == 302 and r["Location"].endswith(f"/{code.replace('-', '')}/")


def test_a_code_for_a_corrected_record_is_refused(users: Any, world: Any) -> None:
    c = _client(users["commissioner"])
    code = _code(c, world["mine_r"])
    comm.correct_service(world["mine_r"], users["commissioner"], people_reached=20)
    r = Client().get(reverse("commissioners:rate", args=[code]))
    assert r.status_code == 404 and "已被特派员更正" in r.content.decode()


def test_rating_refusals_are_limited_per_address(settings: Any) -> None:
    settings.CIMON_RATING_ADDRESS_LIMIT = 3
    anon = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert anon.get(reverse("commissioners:rate", args=["ABCDE-FGHJK"])).status_code == 404
    assert anon.get(reverse("commissioners:rate", args=["ABCDE-FGHJK"])).status_code == 429
    # another address is not affected
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.get(reverse("commissioners:rate", args=["ABCDE-FGHJK"])).status_code == 404


def test_the_rating_form_is_csrf_protected(users: Any, world: Any) -> None:
    code = _code(_client(users["commissioner"]), world["mine_r"])
    anon = Client(enforce_csrf_checks=True)
    r = anon.post(reverse("commissioners:rate", args=[code]), {"satisfaction": "4"})
    assert r.status_code == 403


def test_a_county_sees_and_decides_only_its_dispatches(users: Any, world: Any) -> None:
    c = _client(users["county"])  # 西吉县
    assert c.get(reverse("commissioners:dispatch", args=[world["other_d"].pk])).status_code == 404
    r = c.post(reverse("commissioners:dispatch_end", args=[world["other_d"].pk]))
    assert r.status_code == 404
    proposed = comm.propose_dispatch(
        users["commissioner"], world["me"], object_name="西吉县某村集体", object_kind="village",
        county_code=XIJI, start_on=TODAY, end_on=TODAY + dt.timedelta(days=90),
    )  # fmt: skip
    url = reverse("commissioners:dispatch_decide", args=[proposed.pk])
    c.post(url, {"decision": "decline", "note": ""})
    assert Dispatch.objects.get(pk=proposed.pk).status == "proposed"  # a reason is needed
    c.post(url, {"decision": "accept"})
    assert Dispatch.objects.get(pk=proposed.pk).status == "accepted"
    listed = c.get(reverse("commissioners:dispatches")).content.decode()
    assert "西吉县某合作社" in listed and "原州区某合作社" not in listed
    # the city bureau (固原市: both counties) reads but does not decide
    city = _client(users["city"])
    assert (
        city.get(reverse("commissioners:dispatch", args=[world["other_d"].pk])).status_code == 200
    )
    assert (
        city.post(reverse("commissioners:dispatch_end", args=[world["other_d"].pk])).status_code
        == 403
    )


def test_county_service_list_filters_and_pages(users: Any, world: Any) -> None:
    c = _client(users["county"])
    url = reverse("commissioners:services")
    assert f">{world['mine_r'].pk}<" in c.get(url).content.decode()
    assert f">{world['other_r'].pk}<" not in c.get(url).content.decode()
    month = TODAY.strftime("%Y-%m")
    assert (
        f">{world['mine_r'].pk}<"
        in c.get(url, {"kind": "guidance", "month": month}).content.decode()
    )
    assert f">{world['mine_r'].pk}<" not in c.get(url, {"kind": "training"}).content.decode()
    assert (
        f">{world['mine_r'].pk}<" not in c.get(url, {"village": XIJI + "999999"}).content.decode()
    )


def test_a_unit_sees_only_its_people_and_rates_them(users: Any, world: Any) -> None:
    c = _client(users["unit"])
    page = c.get(reverse("commissioners:unit")).content.decode()
    assert "马特派" in page and "李特派" not in page
    assert c.get(reverse("commissioners:person", args=[world["other"].pk])).status_code == 404
    r = c.post(reverse("commissioners:rate_person", args=[world["other"].pk]), {"year": "2026"})
    assert r.status_code == 404
    r = c.post(reverse("commissioners:rate_person", args=[world["me"].pk]),
               {"year": str(TODAY.year), "rating": "excellent"})  # fmt: skip
    assert r.status_code == 302 and world["me"].unit_ratings.get().rating == "excellent"
    r = c.post(reverse("commissioners:days", args=[world["mine_d"].pk]),
               {"year": str(TODAY.year), "days": "40"})  # fmt: skip
    assert r.status_code == 302 and world["mine_d"].days.get().days == 40
    assert c.post(reverse("commissioners:days", args=[world["other_d"].pk]),
                  {"year": "2026", "days": "1"}).status_code == 404  # fmt: skip
    # it proposes a dispatch for its own people only
    form = {"object_name": "某企业", "object_kind": "enterprise", "county_code": XIJI,
            "start_on": TODAY.isoformat(), "end_on": (TODAY + dt.timedelta(days=30)).isoformat()}  # fmt: skip
    r = c.post(reverse("commissioners:dispatch_new", args=[world["me"].pk]), form)
    assert r.status_code == 302 and Dispatch.objects.filter(object_name="某企业").exists()
    assert c.get(reverse("commissioners:dispatch_new", args=[world["other"].pk])).status_code == 404


def test_selection_call_from_recommendation_to_notice(users: Any, world: Any) -> None:
    admin, unit = _client(users["admin"]), _client(users["unit"])
    r = admin.post(reverse("commissioners:calls"), {"year": str(TODAY.year), "title": "年度选认"})
    assert r.status_code == 302
    call = r["Location"].rstrip("/").split("/")[-1]
    assert "年度选认" in unit.get(reverse("commissioners:unit")).content.decode()
    r = unit.post(
        reverse("commissioners:recommend", args=[call]), {"name": "王候选", "institution": "某大学"}
    )
    assert r.status_code == 302
    page = admin.get(reverse("commissioners:call", args=[call])).content.decode()
    assert "王候选" in page
    from cimon.store.commissioners.records import Candidate

    cand = Candidate.objects.get(call_id=call)
    admin.post(reverse("commissioners:candidate_decide", args=[cand.pk]), {"decision": "approve"})
    assert Candidate.objects.get(pk=cand.pk).decision == "approved"
    # a notice shorter than the notice days is refused; a valid one starts
    short = admin.post(reverse("commissioners:call_notice", args=[call]),
                       {"start": TODAY.isoformat(), "end": TODAY.isoformat()}, follow=True)  # fmt: skip
    assert "公示中" not in short.content.decode().split("<main>")[1].split("</h1>")[0]
    admin.post(reverse("commissioners:call_notice", args=[call]), {"start": TODAY.isoformat()})
    r = admin.post(reverse("commissioners:call_confirm", args=[call]), follow=True)
    assert "公示期到" in r.content.decode()  # not before the notice ends


def test_province_people_search_and_pages(users: Any, world: Any) -> None:
    c = _client(users["admin"])
    r = c.get(reverse("commissioners:people"), {"q": "李特"})
    text = r.content.decode()
    assert "李特派" in text and "马特派" not in text
    # a renamed commissioner is found by its current name only
    comm.edit_profile(world["other"], None, name="李新名")
    assert "李新名" not in c.get(reverse("commissioners:people"), {"q": "李特"}).content.decode()
    assert "李新名" in c.get(reverse("commissioners:people"), {"q": "新名"}).content.decode()
    comm.edit_profile(world["me"], None, institution="农林研究所")
    found = c.get(reverse("commissioners:people"), {"q": "农林"}).content.decode()
    assert "马特派" in found and "李新名" not in found


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more(n: int, village: str) -> None:
    """``n`` more commissioners, each with an accepted dispatch, a service and a training."""
    start = Commissioner.objects.count()
    for i in range(start, start + n):
        p = comm.create_commissioner(None, unit=None, status="active", name=f"特派员{i}")
        d = _accepted(p, XIJI, f"合作社{i}")
        comm.log_service(p, None, date=TODAY, village_code=village, kind="demo", dispatch=d)
        comm.record_training(None, date=TODAY, county_code=XIJI, topic=f"培训{i}", trainees=5,
                             commissioner=p)  # fmt: skip


@pytest.mark.parametrize("name", ["services", "dispatches", "people", "trainings"])
def test_list_pages_query_count_does_not_grow_with_rows(users: Any, world: Any, name: str) -> None:
    """A list page runs the same few queries for 3 rows as for 43 (no per-row query)."""
    c = _client(users["admin"])
    url = reverse(f"commissioners:{name}")
    _more(1, world["village"])
    before = _queries(c, url)
    _more(40, world["village"])
    assert _queries(c, url) == before
    assert before <= 12, before


def test_teams_the_province_creates_and_the_county_reports_coverage(users: Any, world: Any) -> None:
    from cimon.store.commissioners.models import Team, TeamCoverage

    admin = _client(users["admin"])
    r = admin.post(reverse("commissioners:teams"),
                   {"name": "西吉县特派团", "county": XIJI, "year": str(TODAY.year),
                    "leader": str(world["me"].pk), "members": str(world["me"].pk)})  # fmt: skip
    assert r.status_code == 302
    team = Team.objects.get(name="西吉县特派团")
    county, other = _client(users["county"]), _client(users["county2"])
    url = reverse("commissioners:team_coverage", args=[team.pk])
    assert other.post(url, {"area": "project", "status": "covered"}).status_code == 404
    assert (
        county.post(url, {"area": "project", "status": "covered", "note": "项目2项"}).status_code
        == 302
    )
    assert TeamCoverage.objects.get(team=team).status == "covered"
    page = county.get(reverse("commissioners:teams")).content.decode()
    assert "西吉县特派团" in page and "已覆盖" in page
    assert "西吉县特派团" not in other.get(reverse("commissioners:teams")).content.decode()
    # the leader reports too; the county's clerk of 原州区 and the unit do not
    assert (
        _client(users["commissioner"])
        .post(url, {"area": "talent", "status": "progress"})
        .status_code
        == 302
    )
    assert _client(users["unit"]).post(url, {"area": "talent", "status": "none"}).status_code == 403


def test_trainings_recorded_by_a_county_in_its_county_only(users: Any, world: Any) -> None:
    c = _client(users["county"])
    form = {"date": TODAY.isoformat(), "topic": "马铃薯晚疫病防治", "trainees": "40",
            "person": str(world["me"].pk)}  # fmt: skip
    assert (
        c.post(reverse("commissioners:trainings"), form | {"county_code": XIJI}).status_code == 302
    )
    assert (
        c.post(reverse("commissioners:trainings"), form | {"county_code": YUANZHOU}).status_code
        == 403
    )
    assert "马铃薯晚疫病防治" in c.get(reverse("commissioners:trainings")).content.decode()
    # a commissioner it does not see (李特派 serves 原州区) cannot be named
    r = c.post(
        reverse("commissioners:trainings"),
        form | {"county_code": XIJI, "person": str(world["other"].pk)},
    )
    assert r.status_code == 404
    assert (
        "马铃薯晚疫病防治"
        not in _client(users["county2"]).get(reverse("commissioners:trainings")).content.decode()
    )
