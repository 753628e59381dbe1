"""The evidence workflow in the store: typed items, versions, files, conflicts, the return/answer
thread, scores with the guide frozen, the trimmed mean and the rubric variables they feed."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from typing import Any

import numpy as np
import pytest

from cimon.model.panel import combine_scores
from cimon.store.evidence import services as ev
from cimon.store.evidence.guide import GuideError, load_guide, parse_guide
from cimon.store.evidence.kinds import KINDS, clean
from cimon.store.evidence.models import Document, Item, Score
from cimon.store.submissions.models import AuditEvent, Deadline, Observation

from .conftest import FW, XIJI, YUANZHOU

MEETING = {
    "date": "2025-03-18",
    "chair": "王某",
    "chair_title": "县委书记",
    "minutes": "研究科技工作",
}


def meeting(user: Any, region: str = XIJI, **kw: Any) -> Item:
    return ev.submit_item(user, region, 2025, "meeting", {**MEETING, **kw}, [("纪要.pdf", b"%PDF")])


def test_kinds_check_types_ranges_and_dates() -> None:
    vals, problems = clean(KINDS["bureau"], {"name": "科技局", "staff": "500", "budget": "x"}, 2025)
    assert len(problems) == 2 and "0–200" in problems[0][0] and "数字" in problems[1][0]
    vals, problems = clean(KINDS["meeting"], {**MEETING, "date": "2024-12-31"}, 2025)
    assert problems == [("“会议日期”应在 2025 年内。", "Date must fall in 2025.")]
    vals, problems = clean(KINDS["meeting"], {**MEETING, "extra": "dropped"}, 2025)
    assert not problems and "extra" not in vals and vals["date"] == "2025-03-18"
    _, problems = clean(KINDS["leader"], {"unit_type": "city"}, 2025)
    assert any("选项" in zh for zh, _ in problems)


def test_guide_points_add_up_to_max_points_and_is_checked() -> None:
    guide = load_guide()
    for v in FW.variables:
        if getattr(v, "kind", "") == "rubric":
            assert sum(c.points for c in guide.for_variable(v.code)) == v.max_points
    with pytest.raises(GuideError):
        parse_guide(
            "id: g\nversion: '1'\nvariables:\n  mgmt_org:\n"
            "    - {id: a, kind: fund, points: 1, zh: x, en: x}\n"
        )


@pytest.mark.django_db
def test_items_are_versioned_with_their_files(users: dict[str, Any]) -> None:
    first = meeting(users["county"])
    doc = Document.objects.get(item=first)
    assert doc.sha256 == hashlib.sha256(b"%PDF").hexdigest() and bytes(doc.content) == b"%PDF"
    second = ev.submit_item(
        users["county"], XIJI, 2025, "meeting", {**MEETING, "chair": "李某"}, series=first.series
    )
    first.refresh_from_db()
    assert first.superseded_at is not None and first.values["chair"] == "王某"
    assert second.version == 2 and list(ev.current_items(XIJI, 2025)) == [second]
    assert [d.pk for d in ev.documents(second)] == [doc.pk]  # the file stays with the series
    actions = list(
        AuditEvent.objects.filter(action__startswith="evidence.").values_list("action", flat=True)
    )
    assert actions == ["evidence.submitted", "evidence.version"]
    with pytest.raises(ev.EvidenceError, match=r"人数|0–200"):
        ev.submit_item(
            users["county"], XIJI, 2025, "bureau", {"name": "科技局", "staff": -1, "budget": 5}
        )


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(users: dict[str, Any], settings: Any) -> None:
    settings.CIMON_MAX_UPLOAD_MB = 1
    with pytest.raises(ev.EvidenceError, match="1 MB"):
        ev.submit_item(
            users["county"], XIJI, 2025, "meeting", MEETING, [("x.pdf", b"0" * (2 << 20))]
        )
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_a_tied_expert_is_never_assigned_nor_scores(users: dict[str, Any]) -> None:
    expert, admin = users["expert"], users["admin"]
    item = meeting(users["county"])
    ev.assign(admin, expert, YUANZHOU)
    ev.declare_conflict(admin, expert, XIJI, "曾在西吉县科技局任职")
    assert not ev.may_score(expert, XIJI)  # the existing assignment was removed
    with pytest.raises(ev.EvidenceError, match="回避"):
        ev.assign(admin, expert, XIJI)
    with pytest.raises(ev.EvidenceError, match=r"未分配|关联"):
        ev.score(expert, item, {"org_meetings": 2})
    with pytest.raises(ev.EvidenceError, match="只能为专家"):
        ev.assign(admin, users["county"], XIJI)


@pytest.mark.django_db
def test_return_answer_then_score(users: dict[str, Any]) -> None:
    expert, county = users["expert"], users["county"]
    item = meeting(county)
    q = ev.ask(expert, item, "请补充会议签到表")
    with pytest.raises(ev.EvidenceError, match="尚未答复"):
        ev.score(expert, item, {"org_meetings": 2})
    ev.answer(county, q, "已补充", files=[("签到表.pdf", b"sign")])
    new = Item.objects.get(series=item.series, superseded_at=None)
    assert new.version == 2 and new.note == "已补充" and ev.documents(new).count() == 2
    with pytest.raises(ev.EvidenceError, match="新版本"):
        ev.score(expert, item, {"org_meetings": 2})
    with pytest.raises(ev.EvidenceError, match=r"0.5"):
        ev.score(expert, new, {"org_meetings": 1.3})
    with pytest.raises(ev.EvidenceError, match="0–2"):
        ev.score(expert, new, {"org_meetings": 2.5})
    (s,) = ev.score(expert, new, {"org_meetings": 1.5}, {"org_meetings": "签到表齐全"})
    guide = load_guide()
    assert (s.guide_id, s.guide_version, s.guide_sha256) == (guide.id, guide.version, guide.sha256)


@pytest.mark.django_db
def test_no_answer_after_the_deadline(users: dict[str, Any]) -> None:
    item = meeting(users["county"])
    q = ev.ask(users["expert"], item, "请说明")
    Deadline.objects.create(
        evaluation_year=2025 + FW.data_lag, department="县", due=dt.date(2020, 1, 1)
    )
    with pytest.raises(ev.EvidenceError, match="截止"):
        ev.answer(users["county"], q, "晚了")
    with pytest.raises(ev.EvidenceError, match="截止"):
        meeting(users["county"])


@pytest.mark.django_db
def test_every_score_is_kept_and_the_trimmed_mean_feeds_the_rubric_variable(
    users: dict[str, Any], experts: list[Any]
) -> None:
    from cimon.store.submissions.queries import panel_as_of

    county = users["county"]
    item = meeting(county)
    leader = ev.submit_item(
        county,
        XIJI,
        2025,
        "leader",
        {
            "unit_type": "town",
            "unit_name": "吉强镇",
            "leader": "马某",
            "title": "副镇长",
            "appointed_on": "2023-05-01",
        },
    )
    given = [(2.0, 1.5), (1.0, 1.0), (1.5, 0.5)]  # meeting, leader points of each expert
    for e, (m, lpts) in zip(experts, given, strict=True):
        ev.score(e, item, {"org_meetings": 0.5})
        ev.score(e, item, {"org_meetings": m})  # a new score replaces the expert's earlier one
        ev.score(e, leader, {"org_leaders": lpts})
    assert Score.objects.filter(superseded_at=None).count() == 6
    assert Score.objects.count() == 9  # nothing overwritten
    res = ev.item_result(item)
    assert res.totals == {"张专家": 2.0, "李专家": 1.0, "王专家": 1.5}
    assert res.score == 1.5  # the trimmed mean: drop 2.0 and 1.0
    current = Observation.objects.current().filter(region_code=XIJI, variable="mgmt_org")
    per_expert = {o.expert: o.value for o in current}
    assert per_expert == {"张专家": 3.5, "李专家": 2.0, "王专家": 2.0}
    wide = panel_as_of(framework=FW).wide(2025, ["mgmt_org"], [XIJI], FW)
    want = combine_scores(np.array(list(per_expert.values())), "trimmed_mean")
    assert math.isclose(float(np.asarray(wide).ravel()[0]), want)


@pytest.mark.django_db
def test_demo_items_are_labelled_synthetic() -> None:
    from cimon.model.regions import default_registry
    from cimon.store.evidence.demo import load_demo_evidence

    assert load_demo_evidence(2025, default_registry()) == 12
    for item in Item.objects.all():
        assert "模拟数据" in item.note
        assert any("模拟数据" in str(v) for v in item.values.values()) or item.kind == "bureau"
    assert all("模拟数据" in d.name for d in Document.objects.all())


@pytest.mark.django_db
def test_a_new_version_needs_new_scores(users: dict[str, Any], experts: list[Any]) -> None:
    county = users["county"]
    item = meeting(county)
    for e, m in zip(experts, (2.0, 1.0, 1.5), strict=True):
        ev.score(e, item, {"org_meetings": m})
    ev.submit_item(county, XIJI, 2025, "meeting", {**MEETING, "chair": "李某"}, series=item.series)
    current = Observation.objects.current().filter(region_code=XIJI, variable="mgmt_org")
    assert {o.expert: o.value for o in current} == {"张专家": None, "李专家": None, "王专家": None}
    assert Observation.objects.filter(variable="mgmt_org", value=2.0).exists()  # kept
    new = Item.objects.get(series=item.series, superseded_at=None)
    ev.score(experts[0], new, {"org_meetings": 1.0})
    assert ev.expert_variable_score(experts[0], XIJI, 2025, "mgmt_org", load_guide()) == 1.0
    assert Observation.objects.current().get(expert="张专家", variable="mgmt_org").value == 1.0


@pytest.mark.django_db
def test_the_user_form_cannot_assign_a_tied_county(users: dict[str, Any]) -> None:
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import AccountError, update_user

    ev.declare_conflict(users["admin"], users["expert"], YUANZHOU, "配偶在该县工作")
    with pytest.raises(AccountError, match="回避"):
        update_user("zhang", framework=FW, registry=default_registry(), assign=["西吉县", "原州区"])
    update_user("zhang", framework=FW, registry=default_registry(), assign=["西吉县"])
