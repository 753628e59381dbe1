"""A dispatch's tasks done or not done per year (#17): the county's record (versioned, audited),
who may record it, and the assessment's ``tasks_required`` / ``tasks_done`` from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cimon.store.commissioners import policy
from cimon.store.commissioners import services as cs
from cimon.store.commissioners.assessing import assessment_frame
from cimon.store.commissioners.models import TaskStatus
from cimon.store.commissioners.tasks import current_task_status, task_counts
from cimon.store.submissions.models import AuditEvent

from .conftest import XIJI

pytestmark = pytest.mark.django_db


def test_a_new_status_supersedes_the_old_which_is_kept(world: dict[str, Any]) -> None:
    d1, county = world["d1"], world["users"]["county"]
    first = cs.record_task_status(d1, county, 2025, 0, True, "已指导 3 户")
    second = cs.record_task_status(d1, county, 2025, 0, False, "复查未达标")
    rows = list(TaskStatus.objects.filter(dispatch=d1).order_by("id"))
    assert [(r.done, r.superseded_at is None) for r in rows] == [(True, False), (False, True)]
    assert rows[0].pk == first.pk and rows[0].note == "已指导 3 户"
    assert current_task_status(d1, 2025) == {0: second}
    assert second.recorded_by == county.username
    events = AuditEvent.objects.filter(action="dispatch.task", object_id=str(d1.pk))
    details = [e.detail for e in events.order_by("id")]
    assert [(x["old"], x["new"], x["task"], x["year"]) for x in details] == [
        (None, True, 0, 2025), (True, False, 0, 2025)
    ]  # fmt: skip


def test_refusals_name_the_field(world: dict[str, Any]) -> None:
    d1, county, admin = world["d1"], world["users"]["county"], world["users"]["admin"]
    with pytest.raises(cs.CommissionerError, match="has 1 tasks, not a task 2"):
        cs.record_task_status(d1, county, 2025, 1, True)
    with pytest.raises(cs.CommissionerError, match="not in 2026"):
        cs.record_task_status(d1, county, 2026, 0, True)
    with pytest.raises(cs.CommissionerError, match="note has at most"):
        cs.record_task_status(d1, county, 2025, 0, True, "x" * 2001)
    proposed = cs.propose_dispatch(
        admin, world["c3"], object_name="某村", object_kind="village", county_code=XIJI,
        start_on=dt.date(2025, 1, 1), end_on=dt.date(2025, 12, 31), tasks=["a"],
    )  # fmt: skip
    with pytest.raises(cs.CommissionerError, match="not accepted"):
        cs.record_task_status(proposed, admin, 2025, 0, True)
    assert not TaskStatus.objects.exists()


def test_only_the_dispatch_county_and_the_province_mark_tasks(world: dict[str, Any]) -> None:
    u, d1, d2 = world["users"], world["d1"], world["d2"]  # d1 in 西吉县, d2 in 兴庆区
    assert policy.can(u["county"], "tasks", d1)
    assert not policy.can(u["county"], "tasks", d2)
    assert not policy.can(u["county2"], "tasks", d1)
    assert policy.can(u["admin"], "tasks", d1) and policy.can(u["admin"], "tasks", d2)
    for role in ("city", "unit", "commissioner", "expert", "department", "viewer", "norole"):
        assert not policy.can(u[role], "tasks", d1), role
    assert not policy.can(world["u_unit"], "tasks", d1)
    assert not policy.can(world["u_comm"], "tasks", d1)  # its own dispatch: the county marks


def test_assessment_counts_required_and_done_tasks(world: dict[str, Any]) -> None:
    """Hand case: 王特派 (c1) has d1 (1 task, 2025) and d3 (2 tasks, 2025-07 to 2026-06) accepted,
    and a proposed d4 (1 task) that does not count: 3 required in 2025. Done in 2025: d1's
    task (marked done), d3's second task (done, then not done: the latest row counts → not
    done), d3's first task marked done for 2026 only → 1 done in 2025, 1 of 2 in 2026."""
    admin, county = world["users"]["admin"], world["users"]["county"]
    c1, d1 = world["c1"], world["d1"]
    d3 = cs.propose_dispatch(
        admin, c1, object_name="某村集体", object_kind="village", county_code=XIJI,
        start_on=dt.date(2025, 7, 1), end_on=dt.date(2026, 6, 30), tasks=["马铃薯", "冷凉蔬菜"],
    )  # fmt: skip
    cs.decide_dispatch(d3, county, accept=True)
    cs.propose_dispatch(
        admin, c1, object_name="某企业", object_kind="enterprise", county_code=XIJI,
        start_on=dt.date(2025, 1, 1), end_on=dt.date(2025, 12, 31), tasks=["x"],
    )  # fmt: skip
    cs.record_task_status(d1, county, 2025, 0, True)
    cs.record_task_status(d3, county, 2025, 1, True)
    cs.record_task_status(d3, admin, 2025, 1, False, "未验收")
    cs.record_task_status(d3, county, 2026, 0, True)
    counts = task_counts(2025).set_index("commissioner_id")
    assert (counts.loc[c1.pk].tasks_required, counts.loc[c1.pk].tasks_done) == (3, 1)
    assert (counts.loc[world["c2"].pk].tasks_required, counts.loc[world["c2"].pk].tasks_done) == (
        0, 0
    )  # fmt: skip
    frame = assessment_frame(2025).set_index("commissioner_id")
    assert (frame.loc[c1.pk].tasks_required, frame.loc[c1.pk].tasks_done) == (3, 1)
    assert (frame.loc[world["c3"].pk].tasks_required, frame.loc[world["c3"].pk].tasks_done) == (
        0, 0
    )  # fmt: skip
    later = assessment_frame(2026).set_index("commissioner_id")
    assert (later.loc[c1.pk].tasks_required, later.loc[c1.pk].tasks_done) == (2, 1)
