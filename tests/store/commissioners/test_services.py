"""The commissioners' workflows (issue #17): profile versions, dispatches proposed → accepted →
ended, service records corrected (never overwritten) with evidence files, ventures, trainings,
team coverages, unit ratings and service days; an audit event for every write."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from cimon.store.commissioners import services as cs
from cimon.store.commissioners.files import storage_root
from cimon.store.commissioners.models import (
    Commissioner,
    CommissionerVersion,
    Dispatch,
    ServiceEvidence,
    ServiceRecord,
    TeamCoverage,
    Training,
    Venture,
)
from cimon.store.submissions.models import AuditEvent

from .conftest import DAY, XIJI, village

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
TODAY = dt.date(2025, 12, 31)


def test_profile_edits_are_new_versions(world: dict[str, Any]) -> None:
    c1, user = world["c1"], world["u_comm"]
    v2 = cs.edit_profile(c1, user, title="研究员", phone="13800000000")
    assert v2.number == 2 and v2.name == "王特派" and v2.title == "研究员"
    versions = list(CommissionerVersion.objects.filter(commissioner=c1).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].title == "" and versions[0].superseded_at is not None
    assert versions[1].superseded_at is None and c1.current.pk == v2.pk
    event = AuditEvent.objects.filter(action="commissioner.edit").get()
    assert event.detail["old"] == {"title": "", "phone": ""}
    assert cs.edit_profile(c1, user, title="研究员").pk == v2.pk  # no change, no version
    names = dict(Commissioner.objects.with_profile().values_list("pk", "name"))
    assert names[c1.pk] == "王特派" and len(names) == Commissioner.objects.count()


def test_profile_refuses_wrong_codes_and_keeps_no_id_number(world: dict[str, Any]) -> None:
    with pytest.raises(cs.CommissionerError, match="GB/T 13745"):
        cs.edit_profile(world["c1"], world["u_comm"], expertise="999")
    with pytest.raises(cs.CommissionerError, match="Unknown fields"):
        cs.edit_profile(world["c1"], world["u_comm"], id_number="640000199001010000")
    fields = {f.name for f in CommissionerVersion._meta.get_fields()}
    assert not {"id_number", "national_id", "身份证号"} & fields


def test_dispatch_workflow(world: dict[str, Any]) -> None:
    users, c3 = world["users"], world["c3"]
    d = cs.propose_dispatch(
        world["u_unit"], c3, object_name="某村集体", object_kind="村集体", county_code=XIJI,
        start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 9, 30), tasks=["马铃薯种薯"],
        village_code=village(XIJI, 2, 3),
    )  # fmt: skip
    assert d.status == "proposed" and d.unit_id == world["unit_a"].pk
    with pytest.raises(cs.CommissionerError, match="not allowed"):
        cs.end_dispatch(d, users["county"])
    with pytest.raises(cs.CommissionerError, match="Say why"):
        cs.decide_dispatch(d, users["county"], accept=False)
    cs.decide_dispatch(d, users["county"], accept=True)
    cs.confirm_days(d, world["u_unit"], 2025, 40)
    cs.confirm_days(d, world["u_unit"], 2025, 45)
    assert [r.days for r in d.days.order_by("id")] == [40, 45]
    assert d.days.filter(superseded_at__isnull=True).get().days == 45
    cs.end_dispatch(d, users["county"], "期满")
    assert Dispatch.objects.get(pk=d.pk).status == "ended"
    actions = list(
        AuditEvent.objects.filter(object_type="dispatch", object_id=str(d.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "dispatch.propose", "dispatch.accept", "dispatch.days", "dispatch.days", "dispatch.end"
    ]  # fmt: skip
    with pytest.raises(cs.CommissionerError, match="before it starts"):
        cs.propose_dispatch(
            world["u_unit"], c3, object_name="x", object_kind="农户", county_code=XIJI,
            start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 2, 1),
        )  # fmt: skip
    with pytest.raises(cs.CommissionerError, match="not in county"):
        cs.propose_dispatch(
            world["u_unit"], c3, object_name="x", object_kind="农户", county_code=XIJI,
            start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 4, 1),
            village_code="640104001001",
        )  # fmt: skip


def test_accepting_a_candidates_dispatch_activates_it(world: dict[str, Any]) -> None:
    person = cs.create_commissioner(world["users"]["admin"], unit=world["unit_a"], name="新人")
    assert person.status == "candidate"
    d = cs.propose_dispatch(
        world["u_unit"], person, object_name="x", object_kind="农户", county_code=XIJI,
        start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 4, 1),
    )  # fmt: skip
    cs.decide_dispatch(d, world["users"]["county"], accept=True)
    assert Commissioner.objects.get(pk=person.pk).status == "active"


def test_a_correction_supersedes_and_keeps_the_old_record(world: dict[str, Any]) -> None:
    s1, user = world["s1"], world["u_comm"]
    cs.add_evidence(s1, user, JPEG, "../../etc/现场.jpg")
    new = cs.correct_service(s1, user, today=TODAY, people_reached=15, notes="补记人数")
    old = ServiceRecord.objects.get(pk=s1.pk)
    assert old.people_reached == 12 and old.superseded_at is not None
    assert (
        new.supersedes_id == s1.pk
        and new.people_reached == 15
        and new.dispatch_id == s1.dispatch_id
    )
    assert new.evidence.get().sha256 == old.evidence.get().sha256  # the files come along
    assert set(ServiceRecord.objects.current().values_list("pk", flat=True)) == {
        new.pk, world["s2"].pk
    }  # fmt: skip
    with pytest.raises(cs.CommissionerError, match="corrected already"):
        cs.correct_service(s1, user, today=TODAY, notes="x")
    event = AuditEvent.objects.get(action="service.correct")
    assert event.detail["old"]["people_reached"] == 12 and event.detail["supersedes"] == s1.pk


def test_service_checks(world: dict[str, Any]) -> None:
    c1, user = world["c1"], world["u_comm"]
    with pytest.raises(cs.CommissionerError, match="12-digit"):
        cs.log_service(c1, user, date=DAY, village_code="6404", kind="培训", today=TODAY)
    with pytest.raises(cs.CommissionerError, match="not in the NBS division codes") as exc:
        cs.log_service(c1, user, date=DAY, village_code=XIJI + "100999", kind="培训", today=TODAY)
    assert "吉强镇" in exc.value.zh and "村级代码" in exc.value.zh  # zh names the town
    with pytest.raises(cs.CommissionerError, match="after today"):
        cs.log_service(c1, user, date=TODAY + dt.timedelta(days=1), village_code=village(XIJI),
                       kind="培训", today=TODAY)  # fmt: skip
    with pytest.raises(cs.CommissionerError, match="not valid"):
        cs.log_service(c1, user, date=DAY, village_code=village(XIJI), kind="聊天", today=TODAY)
    with pytest.raises(cs.CommissionerError, match="not this commissioner"):
        cs.log_service(c1, user, date=DAY, village_code=village(XIJI), kind="培训",
                       dispatch=world["d2"], today=TODAY)  # fmt: skip
    row = cs.log_service(c1, user, date=DAY, village_code=village(XIJI, 3, 4), kind="科普",
                         today=TODAY)  # fmt: skip
    code = village(XIJI, 3, 4)
    assert (row.county_code, row.town_code, row.village_code) == (XIJI, code[:9], code)


def test_evidence_files_are_stored_under_generated_names(world: dict[str, Any]) -> None:
    s1, user = world["s1"], world["u_comm"]
    ev = cs.add_evidence(s1, user, JPEG, "../../../etc/passwd.jpg")
    assert ev.sent_name == "../../../etc/passwd.jpg"  # kept as text only
    assert "passwd" not in ev.path and ".." not in ev.path and ev.path.endswith(".jpg")
    path = storage_root() / ev.path
    assert path.read_bytes() == JPEG
    assert ev.sha256 == hashlib.sha256(JPEG).hexdigest() and ev.content_type == "image/jpeg"
    assert Path(storage_root()).resolve() in path.resolve().parents
    with pytest.raises(cs.CommissionerError, match="not a JPEG"):
        cs.add_evidence(s1, user, b"MZ\x90\x00 not a photo", "photo.jpg")
    with pytest.raises(cs.CommissionerError, match="empty"):
        cs.add_evidence(s1, user, b"", "photo.jpg")


def test_evidence_size_is_bounded(world: dict[str, Any], settings: Any) -> None:
    settings.CIMON_MAX_UPLOAD_MB = 1
    with pytest.raises(cs.CommissionerError, match="larger than 1 MB"):
        cs.add_evidence(world["s1"], world["u_comm"], JPEG + b"\x00" * (1 << 20), "big.jpg")
    assert not ServiceEvidence.objects.exists()


def test_ventures_and_trainings_are_corrected_not_overwritten(world: dict[str, Any]) -> None:
    v1, user = world["v1"], world["u_comm"]
    v = cs.correct_venture(v1, user, arrangement="保底收购+按股分红")
    assert Venture.objects.get(pk=v1.pk).arrangement == "" and v.supersedes_id == v1.pk
    with pytest.raises(cs.CommissionerError, match="18"):
        cs.correct_venture(v, user, registration_code="123")
    t1 = world["t1"]
    t = cs.record_training(
        user, date=DAY, county_code=XIJI, topic="滩羊饲喂", trainees=35,
        commissioner=world["c1"], supersedes=t1,
    )  # fmt: skip
    assert Training.objects.get(pk=t1.pk).trainees == 30 and t.trainees == 35
    with pytest.raises(cs.CommissionerError, match="commissioner or team"):
        cs.record_training(user, date=DAY, county_code=XIJI, topic="x", trainees=3)


def test_team_coverage_and_unit_rating_are_append_only(world: dict[str, Any]) -> None:
    team, county = world["team"], world["users"]["county"]
    cs.record_coverage(team, county, 2025, "科技项目", "推进中", "两个项目立项")
    cs.record_coverage(team, county, 2025, "科技项目", "已覆盖", "三个项目")
    rows = TeamCoverage.objects.filter(team=team).order_by("id")
    assert [r.status for r in rows] == ["progress", "covered"]
    assert rows[0].superseded_at is not None and rows[1].superseded_at is None
    assert team.members.count() == 2  # the leader and one member
    cs.rate_by_unit(world["c1"], world["u_unit"], 2025, "良好")
    r = cs.rate_by_unit(world["c1"], world["u_unit"], 2025, "优秀", "表现突出")
    assert r.rating == "excellent" and world["c1"].unit_ratings.count() == 2
    assert AuditEvent.objects.filter(action="commissioner.unit_rating").count() == 2


def test_every_write_of_the_world_is_audited(world: dict[str, Any]) -> None:
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "unit.create", "commissioner.create", "dispatch.propose", "dispatch.accept",
        "service.log", "venture.record", "training.record", "team.create",
        "assessment.compute", "selection.open", "selection.recommend",
    } <= actions  # fmt: skip
    # one event per created record, in its own name
    assert AuditEvent.objects.filter(action="service.log").count() == 2
    assert AuditEvent.objects.filter(action="service.log", user="wang").count() == 1
    created = AuditEvent.objects.get(action="commissioner.create", object_id=str(world["c1"].pk))
    assert created.detail["new"]["account"] == "wang" and created.detail["new"]["name"] == "王特派"


def test_the_storage_root(settings: Any, tmp_path: Path) -> None:
    from cimon.store.commissioners.files import default_root

    settings.CIMON_STORAGE_DIR = str(tmp_path / "x")
    assert storage_root() == (tmp_path / "x").resolve()
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "c.sqlite3")}
    assert default_root(sqlite) == tmp_path.resolve() / "cimon-files"  # beside the SQLite file
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "cimon"}
    assert default_root(pg) == Path("cimon-files").resolve()
