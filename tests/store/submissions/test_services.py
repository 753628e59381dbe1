"""Storage: all-or-nothing imports, supersede without deletion, history, "as of" panels, status.

Runs on SQLite and PostgreSQL (``make unit``); ParsedSubmissions are built directly, so these tests
do not depend on the readers."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.web.conftest import FW, REG, XIJI, YUANZHOU, MakeSub, rec

from cimon.intake.submission import Claim as SelfAssessment
from cimon.store.submissions import writing
from cimon.store.submissions.models import (
    AuditEvent,
    Claim,
    EvidenceFile,
    Observation,
    Submission,
)
from cimon.store.submissions.queries import history, panel_as_of, status
from cimon.store.submissions.services import store_submission

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Submission, Observation, Claim, EvidenceFile, AuditEvent)
    }


def test_backend_is_the_one_asked_for() -> None:
    """`make unit` must really exercise PostgreSQL, not fall back to SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")


def test_accepted_submission_stores_file_values_and_audit(make_sub: MakeSub) -> None:
    sub = make_sub([rec(XIJI, "rd_exp", 100.5, cell="D7"), rec(YUANZHOU, "rd_exp", float("nan"))])
    result = store_submission(sub, b"xlsx bytes", framework=FW, user="王会计")
    assert result.status == "accepted" and not result.blocked
    s = Submission.objects.get()
    assert bytes(s.content) == b"xlsx bytes" and s.size == 10
    assert (s.data_year, s.evaluation_year, s.department) == (2021, 2022, "统计局")
    assert s.submitted_by == "王会计" and s.status == "accepted"
    obs = {o.region_code: o for o in Observation.objects.all()}
    assert obs[XIJI].value == 100.5 and obs[XIJI].cell == "D7"
    assert obs[YUANZHOU].value is None and obs[YUANZHOU].status == "missing"
    event = AuditEvent.objects.get()
    assert (event.action, event.user, event.object_id) == ("import.accepted", "王会计", str(s.pk))
    assert event.detail["observations"] == 2
    # a value reported as missing stays out of the panel, as a blank cell does in read_panel
    assert list(panel_as_of().frame["region_code"]) == [XIJI]


def test_rejected_submission_keeps_file_and_report_but_no_values(make_sub: MakeSub) -> None:
    sub = make_sub([rec(XIJI, "rd_exp", 1.0)], errors=["value.not_number"])
    result = store_submission(sub, b"bad", framework=FW, user="u")
    assert result.status == "rejected" and result.blocked
    s = Submission.objects.get()
    assert s.status == "rejected" and bytes(s.content) == b"bad"
    assert s.validation_report().codes == ["value.not_number"]
    assert s.validation_report().errors[0].cell == "D7"
    assert Observation.objects.count() == 0 and Claim.objects.count() == 0
    assert AuditEvent.objects.get().action == "import.rejected"


def test_warnings_must_be_acknowledged(make_sub: MakeSub) -> None:
    draft = store_submission(make_sub([rec(XIJI, "rd_exp", 1.0)], warnings=["value.jump"]), b"a")
    assert draft.status == "draft" and Observation.objects.count() == 0
    ok = store_submission(
        make_sub([rec(XIJI, "rd_exp", 1.0)], warnings=["value.jump"]), b"a", accept_warnings=True
    )
    assert ok.status == "accepted" and Observation.objects.count() == 1
    assert Submission.objects.get(pk=ok.submission_id).warnings_accepted


def test_value_reported_twice_in_one_file_is_an_error(make_sub: MakeSub) -> None:
    sub = make_sub([rec(XIJI, "rd_exp", 1.0, cell="D7"), rec(XIJI, "rd_exp", 2.0, cell="D8")])
    result = store_submission(sub, b"x")
    assert result.status == "rejected"
    assert [i.cell for i in result.report.find("region.duplicate")] == ["D8"]
    assert Observation.objects.count() == 0


def test_supersede_without_deletion_and_history(make_sub: MakeSub) -> None:
    """What did 统计局 report for 西吉县's rd_exp in 2021, and when did it change?"""
    first = store_submission(
        make_sub([rec(XIJI, "rd_exp", 100.0), rec(YUANZHOU, "rd_exp", 50.0)]), b"v1", user="张三"
    )
    second = store_submission(make_sub([rec(XIJI, "rd_exp", 120.0)]), b"v2", user="李四")
    assert second.superseded == 1 and second.replaced_from == [first.submission_id]
    assert second.superseded_submissions == []  # 原州区's value of v1 is still current
    rows = history("西吉縣", "rd_exp", 2021, registry=REG)
    assert [(r.value, r.submitted_by, r.current) for r in rows] == [
        (100.0, "张三", False),
        (120.0, "李四", True),
    ]
    s2 = Submission.objects.get(pk=second.submission_id)
    assert rows[0].superseded_at == s2.created_at and rows[0].superseded_by == s2.pk
    assert Observation.objects.count() == 3  # nothing deleted
    assert Submission.objects.get(pk=first.submission_id).status == "accepted"

    third = store_submission(
        make_sub([rec(XIJI, "rd_exp", 130.0), rec(YUANZHOU, "rd_exp", 55.0)]), b"v3"
    )
    assert sorted(third.superseded_submissions) == [first.submission_id, second.submission_id]
    statuses = dict(Submission.objects.values_list("pk", "status"))
    assert statuses == {
        first.submission_id: "superseded",
        second.submission_id: "superseded",
        third.submission_id: "accepted",
    }
    assert [r.value for r in history(XIJI, "rd_exp")] == [100.0, 120.0, 130.0]


def test_expert_scores_supersede_per_expert(make_sub: MakeSub) -> None:
    a = [rec(XIJI, "mgmt_org", 4.0, expert="甲"), rec(XIJI, "mgmt_org", 3.0, expert="乙")]
    store_submission(make_sub(a, kind="expert", department="县", file_name="专家.xlsx"), b"e1")
    store_submission(
        make_sub([rec(XIJI, "mgmt_org", 5.0, expert="甲")], kind="expert", file_name="甲.xlsx"),
        b"e2",
    )
    frame = panel_as_of(framework=FW).frame.sort_values("source")
    assert list(frame["source"]) == ["专家.xlsx#乙", "甲.xlsx#甲"]
    assert list(frame["value"]) == [3.0, 5.0]


def test_panel_as_of_a_moment_between_two_imports(make_sub: MakeSub) -> None:
    one = store_submission(make_sub([rec(XIJI, "rd_exp", 100.0)]), b"1")
    two = store_submission(make_sub([rec(XIJI, "rd_exp", 120.0)]), b"2")
    t1 = Submission.objects.get(pk=one.submission_id).created_at
    t2 = Submission.objects.get(pk=two.submission_id).created_at
    assert t1 < t2
    between = t1 + (t2 - t1) / 2

    def value_at(moment):  # type: ignore[no-untyped-def]
        return list(panel_as_of(moment).frame["value"])

    assert value_at(t1 - timedelta(seconds=1)) == []
    assert value_at(t1) == [100.0]
    assert value_at(between) == [100.0]
    assert value_at(t2) == [120.0]
    assert value_at(None) == [120.0]


def test_only_one_current_value_per_cell_is_enforced_by_the_database(make_sub: MakeSub) -> None:
    store_submission(make_sub([rec(XIJI, "rd_exp", 1.0)]), b"1")
    o = Observation.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            submission=o.submission,
            region_code=XIJI,
            year=2021,
            variable="rd_exp",
            value=2.0,
            recorded_at=o.recorded_at,
        )


@pytest.mark.django_db(transaction=True)
def test_failure_mid_import_leaves_the_database_unchanged(
    make_sub: MakeSub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real transaction (not a test savepoint): supersede and observations are already written
    when the claims fail; the whole import rolls back."""
    claims = [SelfAssessment(XIJI, 2021, "mgmt_org", 4.0, "说明", ("a.pdf",))]
    first = store_submission(make_sub([rec(XIJI, "rd_exp", 1.0)], claims=claims), b"1")
    before = counts()
    current = set(Observation.objects.filter(superseded_at__isnull=True).values_list("pk"))

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert Observation.objects.count() > before["Observation"]  # rows were written …
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "write_claims", boom)
    sub = make_sub([rec(XIJI, "rd_exp", 2.0), rec(YUANZHOU, "rd_exp", 3.0)], claims=claims)
    with pytest.raises(RuntimeError, match="disk full"):
        store_submission(sub, b"2")
    assert counts() == before  # … and are gone, with the submission and its audit event
    assert set(Observation.objects.filter(superseded_at__isnull=True).values_list("pk")) == current
    assert Submission.objects.get().status == "accepted"
    assert first.status == "accepted"


def test_claims_and_evidence_are_kept(make_sub: MakeSub, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "会议纪要.pdf").write_bytes(b"%PDF-1.4 minutes")
    claim = SelfAssessment(
        XIJI, 2021, "mgmt_org", 4.5, "成立领导小组", ("会议纪要.pdf", "缺失.pdf")
    )
    sub = make_sub(kind="county", department="县", region_code=XIJI, claims=[claim])
    # store_submission keeps only files check_evidence found inside the folder (issue #14)
    from cimon.intake.qualitative import check_evidence

    found = check_evidence(sub, tmp_path, require=False)
    store_submission(sub, b"c", evidence=found)
    c = Claim.objects.get()
    assert (c.score, c.statement, c.evidence) == (4.5, "成立领导小组", ["会议纪要.pdf", "缺失.pdf"])
    f = EvidenceFile.objects.get()
    assert (f.name, bytes(f.content), f.claim_id) == ("会议纪要.pdf", b"%PDF-1.4 minutes", c.pk)


def test_status_lists_what_is_missing(make_sub: MakeSub) -> None:
    stat_vars = [v.code for v in FW.variables if v.department == "统计局"]
    full = [rec(r.code, v, 1.0) for r in REG for v in stat_vars]
    full = [r for r in full if not (r.region_code == XIJI and r.variable == "gdp")]
    store_submission(make_sub(full), b"s")
    report = status(2022, FW, REG)
    by = {d.department: d for d in report.departments}
    assert by["统计局"].submitted and by["统计局"].missing == {XIJI: ["gdp"]}
    assert not by["科技厅"].submitted and len(by["科技厅"].missing) == len(REG)
    assert len(report.no_self_assessment) == len(REG) and not report.complete
    text = report.render("zh")
    assert "统计局: 已报送，缺 1 项数据" in text and "西吉县: gdp" in text
    assert "科技厅: 未报送" in text
    assert "not submitted" in report.render("en")
    assert status(2023, FW, REG).departments[0].missing  # nothing for data year 2022


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=22)
)
@example([-0.0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -1234567.891, 2.0**62])
def test_floats_round_trip_bit_for_bit(make_sub: MakeSub, values: list[float]) -> None:
    with transaction.atomic():
        codes = REG.codes[: len(values)]
        store_submission(
            make_sub([rec(c, "rd_exp", v) for c, v in zip(codes, values, strict=True)]), b"f"
        )
        frame = panel_as_of().frame.set_index("region_code")
        got = [float(frame.loc[c, "value"]) for c in codes]
        # bit for bit, except that −0.0 is stored as 0.0 (SQLite cannot keep the sign of zero)
        assert [v.hex() for v in got] == [(v + 0.0).hex() for v in values]
        transaction.set_rollback(True)
