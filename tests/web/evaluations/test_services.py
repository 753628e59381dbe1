"""The evaluation workflow: run with progress, review, public notice, objections, publication,
corrections as new versions; every step for administrators only and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cimon.store.evaluations.models import FAILED, NOTICE, PUBLISHED, REVIEW, Publication
from cimon.store.submissions.models import AuditEvent
from cimon.web.accounts import policy
from cimon.web.evaluations import services as wf

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(users: dict[str, Any]) -> dict[str, Any]:
    """The demo panel in the database (data years 2018–2024)."""
    from cimon.web.serving import load_demo

    load_demo(modules=False)
    return users


def _reviewed(user: Any, year: int = 2025) -> Any:
    return wf.execute(wf.start(user, year, queue=False).pk)


def test_run_gives_results_in_review(stored: dict[str, Any]) -> None:
    ev = _reviewed(stored["admin"])
    assert ev.status == REVIEW and ev.progress == 100 and ev.finished_at
    assert len(ev.results) == 22
    assert [r["rank"] for r in ev.results] == sorted(r["rank"] for r in ev.results)
    assert sum(ev.class_counts.values()) == 22
    assert ev.data_year == 2024 and ev.data_hash and ev.log
    # the same as the engine evaluating the demo panel directly
    from cimon.data.demo import demo_panel
    from cimon.engine.pipeline import evaluate
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry

    run = evaluate(load_framework("nx-2021"), demo_panel(), 2025, default_registry())
    assert ev.class_counts == run.class_counts()
    by_code = {r["region_code"]: r for r in ev.results}
    assert all(by_code[c]["score"] == s for c, s in run.results["score"].items())


def test_failure_is_kept_with_both_languages(stored: dict[str, Any]) -> None:
    import re

    ev = _reviewed(stored["admin"], 2031)  # no data for 2030
    assert ev.status == FAILED
    assert "2030" in ev.error and any("\u4e00" <= ch <= "\u9fff" for ch in ev.error)
    # the data's moment is local time to the second with its zone: no UTC offset, no microseconds
    assert re.search(r"@ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai", ev.error), ev.error
    assert "+00:00" not in ev.error and not re.search(r":\d\d\.\d{6}", ev.error)
    assert AuditEvent.objects.filter(action="evaluation.failed", object_id=str(ev.pk)).exists()


def test_notice_objections_and_publication(stored: dict[str, Any]) -> None:
    admin = stored["admin"]
    ev = _reviewed(admin)
    with pytest.raises(wf.WorkflowError):
        wf.record_objection(admin, ev, raised_by="西吉县科技局", content="R&D 数据有误")
    today = timezone.localdate()
    wf.put_on_notice(admin, ev, today, today + timedelta(days=7))
    assert ev.status == NOTICE
    obj = wf.record_objection(
        admin, ev, raised_by="西吉县科技局", content="R&D 数据有误", region_code="640422"
    )
    with pytest.raises(wf.WorkflowError) as err:  # the notice period is not over
        wf.publish(admin, ev)
    assert "公示期" in err.value.render("zh") and "notice" in err.value.render("en")
    after = today + timedelta(days=8)
    with pytest.raises(wf.WorkflowError) as err:  # an open objection
        wf.publish(admin, ev, today=after)
    assert "异议" in err.value.render("zh")
    with pytest.raises(wf.WorkflowError):
        wf.handle_objection(admin, obj, "dismissed", "")
    wf.handle_objection(admin, obj, "dismissed", "经核实，数据与统计年鉴一致。")
    pub = wf.publish(admin, ev, today=after)
    assert pub.version == 1 and pub.results == ev.results and ev.status == PUBLISHED
    with pytest.raises(wf.WorkflowError):  # the record is closed after publication
        wf.handle_objection(admin, obj, "upheld", "改判")
    actions = list(
        AuditEvent.objects.filter(object_type__in=["evaluation", "objection"]).values_list(
            "action", flat=True
        )
    )
    for a in (
        "evaluation.queued",
        "evaluation.finished",
        "evaluation.notice",
        "objection.recorded",
        "objection.handled",
        "evaluation.published",
    ):
        assert a in actions


def test_correction_is_a_new_version_and_the_old_stays_for_admins(stored: dict[str, Any]) -> None:
    admin = stored["admin"]
    first = _reviewed(admin)
    today = timezone.localdate()
    wf.put_on_notice(
        admin,
        first,
        today - timedelta(days=10),
        today - timedelta(days=3),
        override_reason="公示已在线下进行",
    )
    v1 = wf.publish(admin, first)
    second = _reviewed(admin)
    with pytest.raises(wf.WorkflowError) as err:
        wf.publish(admin, second)
    assert "更正" in err.value.render("zh")
    v2 = wf.publish(admin, second, reason="西吉县 R&D 经费更正")
    v1.refresh_from_db()
    assert v2.version == 2 and v1.superseded_at is not None
    assert wf.current_publication(2025) == v2
    assert policy.can_view_publication(stored["viewer"], v2)
    assert not policy.can_view_publication(stored["viewer"], v1)
    assert policy.can_view_publication(admin, v1)
    assert not policy.can_view_publication(stored["norole"], v2)
    # frozen: a later run changes nothing published
    assert Publication.objects.get(pk=v1.pk).results == first.results


def test_only_admins_run_the_workflow(stored: dict[str, Any]) -> None:
    ev = _reviewed(stored["admin"])
    for role in ("department", "county", "expert", "viewer", "norole"):
        user = stored[role]
        with pytest.raises(PermissionDenied):
            wf.start(user, 2025)
        with pytest.raises(PermissionDenied):
            wf.put_on_notice(user, ev)
        assert not policy.can_view_evaluation(user, ev)


def test_steps_out_of_order_are_refused(stored: dict[str, Any]) -> None:
    admin = stored["admin"]
    ev = wf.start(admin, 2025)
    with pytest.raises(wf.WorkflowError) as err:
        wf.put_on_notice(admin, ev)
    assert "排队中" in err.value.render("zh") and "queued" in err.value.render("en")
    ev = wf.execute(ev.pk)
    with pytest.raises(wf.WorkflowError):
        wf.execute(ev.pk)  # runs once
    today = timezone.localdate()
    with pytest.raises(wf.WorkflowError):
        wf.put_on_notice(admin, ev, today, today - timedelta(days=1))


def test_the_run_form_offers_the_latest_year_the_data_support(users: dict[str, Any]) -> None:
    """Without data: this calendar year. With the demo (data 2018–2024): 2025. When a county has
    no current 2024 data, 2025 cannot be evaluated and 2024 is offered."""
    from cimon.store.submissions.models import Observation
    from cimon.web.serving import load_demo

    assert wf.default_year() == timezone.localdate().year
    load_demo(modules=False)
    assert wf.default_year() == 2025
    Observation.objects.filter(year=2024, region_code="640422").update(superseded_at=timezone.now())
    assert wf.default_year() == 2024
    assert _reviewed(users["admin"], 2024).status == REVIEW  # and it can be evaluated
