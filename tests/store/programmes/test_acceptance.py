"""Mid-term review, the acceptance workflow (conflicts, decision, 公示, objections,
publication), targets computed from stored data, and the case library (#19)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pytest
from tests.store.programmes.test_workflow import PLAN, TODAY, publish

from cimon.store.programmes import acceptance as A
from cimon.store.programmes import cases as C
from cimon.store.programmes import services as S
from cimon.store.programmes import sources
from cimon.store.programmes.models import Application, CaseVersion, MidTermReview
from cimon.store.submissions.models import AuditEvent


@pytest.fixture
def designated(users: dict[str, Any], db: Any) -> Application:
    prog = S.define_programme("innovative-county")
    batch = S.open_batch(None, prog, 2026, date(2026, 3, 1), date(2026, 4, 30))
    app = S.apply(users["county"], batch, "640422", today=TODAY, **PLAN)
    Application.objects.filter(pk=app.pk).update(status="designated")
    app.refresh_from_db()
    return app


def test_midterm_is_versioned_and_freezes_the_completion(
    users: dict[str, Any], designated: Application
) -> None:
    admin = users["admin"]
    S.report_progress(users["county"], designated, 2026, "T2", 1)
    with pytest.raises(S.ProgrammeError):
        A.midterm_review(admin, designated, 2026, "excellent", "好")
    with pytest.raises(S.ProgrammeError):
        A.midterm_review(admin, designated, 2026, "good", " ")
    first = A.midterm_review(admin, designated, 2026, "rectify", "研发投入滞后")
    assert first.reports == [{"year": 2026, "target": "T2", "value": 1.0, "sha256": ""}]
    assert {c["code"]: c["status"] for c in first.completion}["T2"] == "met"
    second = A.midterm_review(admin, designated, 2026, "qualified", "整改后合格")
    first.refresh_from_db()
    assert first.superseded_at is not None and second.version == 2
    assert MidTermReview.objects.filter(application=designated).count() == 2
    assert S.stage(designated) == "midterm"
    assert AuditEvent.objects.filter(action="programme.midterm").count() == 2


def test_acceptance_from_summary_to_publication(
    users: dict[str, Any], designated: Application
) -> None:
    county, admin, expert = users["county"], users["admin"], users["expert"]
    acc = A.accept(county, designated, "自评", [("报告.pdf", b"%PDF-x")])
    (f,) = acc.files.all()
    assert f.sha256 == hashlib.sha256(b"%PDF-x").hexdigest() and bytes(f.content) == b"%PDF-x"
    with pytest.raises(S.ProgrammeError):  # one acceptance under way at a time
        A.accept(county, designated, "再次自评")
    with pytest.raises(S.ProgrammeError):  # no decision before scores and the site review
        A.decide(admin, acc, "pass", "理由")
    A.review(expert, acc, 70)
    A.review(expert, acc, 80, "同意")  # supersedes
    assert A.mean_points(acc) == 80
    with pytest.raises(S.ProgrammeError):
        A.site_review(admin, acc, "maybe")
    A.site_review(admin, acc, "partly", "部分台账不全")
    with pytest.raises(S.ProgrammeError):  # reasons are required
        A.decide(admin, acc, "postpone", "")
    A.decide(admin, acc, "postpone", "台账不全，补充后再验收")
    with pytest.raises(S.ProgrammeError):  # never backdated
        A.put_on_notice(admin, acc, TODAY - timedelta(days=1), today=TODAY)
    with pytest.raises(S.ProgrammeError):  # never shorter than the notice period
        A.put_on_notice(admin, acc, TODAY, TODAY + timedelta(days=2), today=TODAY)
    A.put_on_notice(admin, acc, today=TODAY)
    assert acc.notice_end is not None
    with pytest.raises(S.ProgrammeError):  # objections only during the notice
        A.object_to(admin, acc, "晚了", today=acc.notice_end + timedelta(days=1))
    obj = A.object_to(admin, acc, "数据有误", today=TODAY)
    with pytest.raises(S.ProgrammeError):  # not before the notice ends
        A.publish(admin, acc, today=acc.notice_end)
    with pytest.raises(S.ProgrammeError):  # not with an open objection
        A.publish(admin, acc, today=acc.notice_end + timedelta(days=1))
    A.handle_objection(admin, obj, False, "经核实数据无误")
    with pytest.raises(S.ProgrammeError):
        A.handle_objection(admin, obj, True, "再次处理")
    A.publish(admin, acc, today=acc.notice_end + timedelta(days=1))
    assert acc.status == "published" and S.stage(designated) == "designated"  # postponed
    again = A.accept(county, designated, "补充后再次自评")  # a new acceptance after publication
    assert again.status == "submitted"


def test_upheld_objection_sends_the_acceptance_back(
    users: dict[str, Any], designated: Application
) -> None:
    admin = users["admin"]
    acc = A.accept(users["county"], designated, "自评")
    A.review(users["expert"], acc, 90)
    A.site_review(admin, acc, "confirmed")
    A.decide(admin, acc, "pass", "完成")
    A.put_on_notice(admin, acc, today=TODAY)
    A.handle_objection(admin, A.object_to(admin, acc, "有误", today=TODAY), True, "属实")
    acc.refresh_from_db()
    assert acc.status == "submitted" and acc.notice_start is None
    reopen = AuditEvent.objects.get(action="programme.acceptance_reopen")
    assert reopen.detail["old_result"] == "pass" and reopen.detail["old_reasons"] == "完成"


def test_an_expert_from_the_same_county_is_excluded(
    users: dict[str, Any], designated: Application
) -> None:
    from cimon.store.accounts.models import Account
    from cimon.web.accounts import policy_programmes

    acc = A.accept(users["county"], designated, "自评")
    assert "acceptance_review" in policy_programmes.programme_actions(users["expert"], designated)
    Account.objects.filter(user=users["expert"]).update(region_code="640422")
    with pytest.raises(S.ProgrammeError, match="回避"):
        A.review(users["expert"], acc, 90)
    assert "acceptance_review" not in policy_programmes.programme_actions(
        users["expert"], designated
    )
    assert not acc.reviews.exists()


def test_only_designated_units_and_bounded_files(
    users: dict[str, Any], designated: Application
) -> None:
    Application.objects.filter(pk=designated.pk).update(status="notice")
    designated.refresh_from_db()
    with pytest.raises(S.ProgrammeError):
        A.accept(users["county"], designated, "自评")
    with pytest.raises(S.ProgrammeError):
        A.midterm_review(users["admin"], designated, 2026, "good", "好")
    Application.objects.filter(pk=designated.pk).update(status="designated")
    designated.refresh_from_db()
    with pytest.raises(S.ProgrammeError, match="MB"):
        A.accept(users["county"], designated, "自评", [("大.pdf", b"x" * (A.MAX_FILE_BYTES + 1))])


def _target(**kw: Any) -> dict[str, Any]:
    return {"code": "T9", "name": "计算目标", "kind": "level", "params": {"target": 3},
            "baseline": 0, "deadline": 2099, "units": ["科技局"], **kw}  # fmt: skip


def test_source_checks_refuse_with_a_clear_message(users: dict[str, Any], db: Any) -> None:
    prog = S.define_programme("innovative-county")
    batch = S.open_batch(None, prog, 2026, date(2026, 3, 1), date(2026, 4, 30))
    for bad, words in (
        ({"source": "猜的"}, "未知"),
        ({"source": "variable"}, "source_params"),
        ({"source": "registry_count", "source_params": {"level": "国家级"}}, "kind"),
        ({"source": "variable", "source_params": [1]}, "映射"),
    ):
        with pytest.raises(S.ProgrammeError, match=words):
            S.apply(users["county"], batch, "640422", today=TODAY,
                    **{**PLAN, "targets": [_target(**bad)]})  # fmt: skip


def test_computed_targets_read_stored_data(
    users: dict[str, Any], designated: Application, monkeypatch: Any
) -> None:
    from cimon.store.programmes.models import PlanVersion

    publish([{"region_code": "640422", "name": "西吉县", "rank": 9, "score": 60.0}], 2025)
    publish([{"region_code": "640422", "name": "西吉县", "rank": 4, "score": 70.0}], 2026)
    targets = [
        _target(code="R", kind="level", params={"target": 5, "direction": "at_most"}, baseline=9,
                source="evaluation_rank"),
        _target(code="V", source="variable", source_params={"variable": "x1"}),
        _target(code="K", source="commissioner_coverage"),
    ]  # fmt: skip
    PlanVersion.objects.filter(application=designated).update(targets=targets)
    _observe(designated, "x1", {2026: 2.0, 2027: 4.0})
    got = {t["code"]: t for t in S.target_statuses(designated)}
    assert (
        got["R"]["computed"]
        and got["R"]["latest"] == 4
        and got["R"]["source_zh"] == "已公布评价排名"
    )
    assert got["V"]["latest"] == 4.0 and got["V"]["latest_year"] == 2027
    assert "variable=x1" in got["V"]["source_zh"] and got["V"]["status"] == "met"
    assert got["K"]["wired"]  # registered by the commissioners' app (#17)
    monkeypatch.setitem(sources.PROVIDERS, "commissioner_coverage", lambda c, p, y: {2026: 3.0})
    got = {t["code"]: t for t in S.target_statuses(designated)}
    assert got["K"]["wired"] and got["K"]["status"] == "met"


def _observe(app: Application, variable: str, values: dict[int, float]) -> None:
    from django.utils import timezone

    from cimon.store.submissions.models import Observation, Submission

    now = timezone.now()
    sub = Submission.objects.create(
        file_name="x.xlsx", content=b"x", sha256="x", kind="county", region_code="640422",
        data_year=2026, created_at=now, status="accepted",
    )  # fmt: skip
    for year, v in values.items():
        Observation.objects.create(submission=sub, region_code="640422", year=year,
                                   variable=variable, value=v, recorded_at=now)  # fmt: skip


def test_registry_count_source(users: dict[str, Any], designated: Application) -> None:
    from cimon.store.programmes.models import PlanVersion

    PlanVersion.objects.filter(application=designated).update(
        targets=[
            _target(
                code="H",
                kind="zero_break",
                params={},
                source="registry_count",
                source_params={"kind": "高新技术企业"},
            )
        ]
    )
    (row,) = S.target_statuses(designated)
    assert row["computed"] and row["source_zh"].startswith("名录库计数")
    assert row["latest"] == 0  # nothing in the registry: counted 0 each year


def test_cases_are_versioned_and_published(users: dict[str, Any], db: Any) -> None:
    county, admin = users["county"], users["admin"]
    with pytest.raises(S.ProgrammeError, match="标题"):
        C.add_case(county, " ", "640422", "产业发展", "正文")
    case = C.add_case(county, "做法", "640422", "产业发展", "正文", year=2026,
                      files=[("a.txt", b"abc")])  # fmt: skip
    assert case.status == "draft" and case.files.get().sha256 == hashlib.sha256(b"abc").hexdigest()
    C.edit_case(county, case, title="做法（修订）", field="产业发展", text="新正文")
    old = CaseVersion.objects.get(case=case)
    assert (old.version, old.title, old.text) == (1, "做法", "正文") and case.version == 2
    assert not C.published_cases(2026).exists()
    C.publish_case(admin, case)
    with pytest.raises(S.ProgrammeError):
        C.publish_case(admin, case)
    assert list(C.published_cases(2026)) == [case] and not C.published_cases(2025).exists()
    with pytest.raises(S.ProgrammeError, match="MB"):
        C.add_case(county, "大", "640422", "产业发展", "正文",
                   files=[("a", b"x" * (C.MAX_FILE_BYTES + 1))])  # fmt: skip


def test_cases_workbook_has_no_formulas(users: dict[str, Any], db: Any) -> None:
    import io

    from openpyxl import load_workbook

    case = C.add_case(users["county"], '=HYPERLINK("x")', "640422", "产业", "+1")
    ws = load_workbook(io.BytesIO(C.cases_xlsx([case]))).active
    assert ws.cell(2, 2).data_type == "s" and ws.cell(2, 7).data_type == "s"


def test_cited_cases_are_those_published_by_the_publication(users: dict[str, Any], db: Any) -> None:
    from django.utils import timezone

    admin = users["admin"]
    case = C.add_case(admin, "做法", "640422", "产业发展", "旧正文", year=2026)
    C.publish_case(admin, case)
    C.add_case(admin, "草稿", "640422", "产业发展", "未发布", year=2026)
    moment = timezone.now()
    C.edit_case(admin, case, title="做法（新）", field="产业发展", text="新正文")
    late = C.add_case(admin, "后发布", "640422", "产业发展", "正文", year=2026)
    C.publish_case(admin, late)
    rows = [{"region_code": "640422", "name": "西吉县"}]
    (cited,) = C.cited_cases(2026, moment, rows)
    assert (cited.title, cited.text, cited.county) == ("做法", "旧正文", "西吉县")
    assert C.cited_cases(2025, moment, rows) == []
    assert {c.title for c in C.cited_cases(2026, timezone.now(), rows)} == {"后发布", "做法（新）"}


def test_registry_count_equals_the_stored_qualifications(db: Any) -> None:
    from collections import Counter

    from cimon.store.registry.demo import load_demo_registry
    from cimon.store.registry.models import Qualification

    load_demo_registry(["640422", "640402"], [2024, 2025], n_enterprises=80, n_carriers=4)
    kinds = Counter(Qualification.objects.values_list("kind", flat=True))
    kind = kinds.most_common(1)[0][0]
    want = {
        y: float(
            Qualification.objects.current()
            .in_county("640422", date(y, 12, 31))
            .valid_on(date(y, 12, 31))
            .filter(kind=kind)
            .count()
        )
        for y in (2024, 2025)
    }
    got, wired = sources.stored_values("640422", "registry_count", {"kind": kind}, [2024, 2025])
    assert wired and got == want and sum(want.values()) > 0
