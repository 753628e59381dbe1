"""The public notice (公示) and objections (异议): a notice starts today or later and lasts at
least CIMON_NOTICE_DAYS days, an exception needs a reason that lands in the audit log; an
objection names a county of the registry and was not received in the future; publishing asks
for confirmation (issue 13 items 5 and 6). Every endpoint: administrators only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.web.conftest import XIJI

from cimon.store.evaluations.models import NOTICE, PUBLISHED, REVIEW, Evaluation, Objection
from cimon.store.submissions.models import AuditEvent
from cimon.web.evaluations import services as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(users: dict[str, Any]) -> Evaluation:
    from cimon.web.serving import load_demo

    load_demo(modules=False)
    return wf.execute(wf.start(users["admin"], 2025, queue=False).pk)


def test_notice_starts_today_or_later_and_lasts_long_enough(
    users: dict[str, Any], reviewed: Evaluation
) -> None:
    admin, today = users["admin"], timezone.localdate()
    # the example: started in the past and over already
    with pytest.raises(wf.WorkflowError) as err:
        wf.put_on_notice(admin, reviewed, today - timedelta(days=17), today - timedelta(days=10))
    assert "早于今天" in err.value.render("zh") and "before today" in err.value.render("en")
    with pytest.raises(wf.WorkflowError) as err:  # 6 days, counting both ends
        wf.put_on_notice(admin, reviewed, today, today + timedelta(days=5))
    assert "共 6 天，少于规定的 7 天" in err.value.render("zh")
    assert "lasts 6 day(s)" in err.value.render("en")
    reviewed.refresh_from_db()
    assert (
        reviewed.status == REVIEW
        and not AuditEvent.objects.filter(action="evaluation.notice").exists()
    )
    # the defaults: from today, the shortest period (7 days, both ends included)
    wf.put_on_notice(admin, reviewed)
    assert (reviewed.notice_start, reviewed.notice_end) == (today, today + timedelta(days=6))
    assert reviewed.status == NOTICE and reviewed.notice_override == ""
    event = AuditEvent.objects.get(action="evaluation.notice")
    assert "override_reason" not in event.detail
    with pytest.raises(wf.WorkflowError) as err:  # it runs until its last day
        wf.publish(admin, reviewed, today=today + timedelta(days=6))
    assert "公示期至" in err.value.render("zh")
    assert wf.publish(admin, reviewed, today=today + timedelta(days=7)).version == 1


def test_the_shortest_period_is_a_setting(
    users: dict[str, Any], reviewed: Evaluation, settings: Any
) -> None:
    settings.CIMON_NOTICE_DAYS = 10
    today = timezone.localdate()
    with pytest.raises(wf.WorkflowError) as err:
        wf.put_on_notice(users["admin"], reviewed, today, today + timedelta(days=7))
    assert "少于规定的 10 天" in err.value.render("zh")
    wf.put_on_notice(users["admin"], reviewed)
    assert reviewed.notice_end == today + timedelta(days=9)


def test_an_exception_needs_a_reason_kept_in_the_audit_log(
    users: dict[str, Any], reviewed: Evaluation
) -> None:
    admin, today = users["admin"], timezone.localdate()
    start, end = today - timedelta(days=17), today - timedelta(days=10)
    with pytest.raises(wf.WorkflowError):
        wf.put_on_notice(admin, reviewed, start, end, override_reason="   ")
    with pytest.raises(wf.WorkflowError):  # never an end before the start
        wf.put_on_notice(admin, reviewed, end, start, override_reason="线下公示")
    wf.put_on_notice(admin, reviewed, start, end, override_reason="已于11月在政府网站公示")
    assert reviewed.notice_override == "已于11月在政府网站公示"
    event = AuditEvent.objects.get(action="evaluation.notice")
    assert event.user == "admin" and event.detail["override_reason"] == "已于11月在政府网站公示"
    assert any("before today" in r for r in event.detail["rules_broken"])
    assert wf.publish(admin, reviewed).version == 1  # the notice held earlier is over


def test_objections_name_a_registry_county_and_no_future_date(
    users: dict[str, Any], reviewed: Evaluation
) -> None:
    admin, today = users["admin"], timezone.localdate()
    wf.put_on_notice(admin, reviewed)
    kw = {"raised_by": "西吉县科技局", "content": "专利数漏报"}
    for typed in ("西吉县", "999999"):
        with pytest.raises(wf.WorkflowError) as err:
            wf.record_objection(admin, reviewed, region_code=typed, **kw)
        assert "名录" in err.value.render("zh") and typed in err.value.render("en")
    with pytest.raises(wf.WorkflowError) as err:
        wf.record_objection(
            admin, reviewed, region_code=XIJI, received_on=today + timedelta(days=1), **kw
        )
    assert "晚于今天" in err.value.render("zh") and "after today" in err.value.render("en")
    assert not Objection.objects.exists()
    obj = wf.record_objection(admin, reviewed, region_code=XIJI, **kw)
    assert (obj.region_code, obj.received_on) == (XIJI, today)
    assert wf.record_objection(admin, reviewed, **kw).region_code == ""  # a county is optional


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_offer_the_registry_and_refuse_bad_input(
    users: dict[str, Any], reviewed: Evaluation
) -> None:
    admin = _client(users["admin"])
    today = timezone.localdate()
    html = admin.get(f"/evaluations/{reviewed.pk}/").content.decode()
    assert 'name="override_reason"' in html and "至少" in html
    wf.put_on_notice(users["admin"], reviewed)
    html = admin.get(f"/evaluations/{reviewed.pk}/").content.decode()
    assert f'<option value="{XIJI}">西吉县（固原市）</option>' in html
    assert f'max="{today:%Y-%m-%d}"' in html and "公示中" in html
    base = {"raised_by": "西吉县科技局", "content": "专利数漏报"}
    r = admin.post(
        f"/evaluations/{reviewed.pk}/objections/", {**base, "region_code": "西吉县"}, follow=True
    )
    assert "名录" in r.content.decode() and not Objection.objects.exists()
    future = str(today + timedelta(days=3))
    r = admin.post(
        f"/evaluations/{reviewed.pk}/objections/",
        {**base, "region_code": XIJI, "received_on": future},
        follow=True,
    )
    assert "晚于今天" in r.content.decode() and not Objection.objects.exists()
    admin.post(f"/evaluations/{reviewed.pk}/objections/", {**base, "region_code": XIJI})
    assert Objection.objects.get().region_code == XIJI
    html = admin.get(f"/evaluations/{reviewed.pk}/").content.decode()
    assert "<td>西吉县</td>" in html  # shown by name


@pytest.mark.parametrize("role", ["department", "county", "expert", "viewer", "norole"])
def test_only_admins_reach_notice_objections_and_publication(
    users: dict[str, Any], reviewed: Evaluation, role: str
) -> None:
    today = timezone.localdate()
    c = _client(users[role])
    past = {"start": str(today - timedelta(days=9)), "end": str(today - timedelta(days=2))}
    r = c.post(
        f"/evaluations/{reviewed.pk}/notice/",
        {**past, "override": "1", "override_reason": "x"},
    )
    assert r.status_code in (403, 404)
    reviewed.refresh_from_db()
    assert reviewed.status == REVIEW
    wf.put_on_notice(users["admin"], reviewed, override_reason="线下公示", **_dates(past))
    r = c.post(
        f"/evaluations/{reviewed.pk}/objections/",
        {"raised_by": "x", "content": "y", "region_code": XIJI},
    )
    assert r.status_code in (403, 404) and not Objection.objects.exists()
    for data in ({}, {"confirmed": "1"}):  # neither the confirmation page nor publishing
        r = c.post(f"/evaluations/{reviewed.pk}/publish/", data)
        assert r.status_code in (403, 404)
    reviewed.refresh_from_db()
    assert reviewed.status == NOTICE
    with pytest.raises(Exception) as err:
        wf.publish_preview(users[role], reviewed)
    assert type(err.value).__name__ == "PermissionDenied"
    anonymous = Client().post(f"/evaluations/{reviewed.pk}/publish/", {"confirmed": "1"})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def _dates(d: dict[str, str]) -> dict[str, Any]:
    from datetime import date

    return {"start_on": date.fromisoformat(d["start"]), "end_on": date.fromisoformat(d["end"])}


def test_publishing_asks_for_confirmation_naming_the_comparison(
    users: dict[str, Any], reviewed: Evaluation
) -> None:
    admin = _client(users["admin"])
    today = timezone.localdate()
    wf.put_on_notice(
        users["admin"],
        reviewed,
        today - timedelta(days=9),
        today - timedelta(days=2),
        override_reason="线下公示",
    )
    r = admin.post(f"/evaluations/{reviewed.pk}/publish/")
    html = r.content.decode()
    assert r.status_code == 200 and "确认发布" in html and 'name="confirmed"' in html
    assert "2024 年度尚无已发布结果" in html  # nothing to compare with: said before publishing
    reviewed.refresh_from_db()
    assert reviewed.status == NOTICE
    admin.post(f"/evaluations/{reviewed.pk}/publish/", {"confirmed": "1"})
    reviewed.refresh_from_db()
    assert reviewed.status == PUBLISHED
    # the status line follows the workflow: no stale "done, in review"
    html = admin.get(f"/evaluations/{reviewed.pk}/").content.decode()
    assert "完成，待审核" not in html and "已发布" in html
    admin.post("/i18n/setlang/", {"language": "en"})
    frag = admin.get(f"/evaluations/{reviewed.pk}/progress/").content.decode()
    assert "published" in frag and "done, in review" not in frag
