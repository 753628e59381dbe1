"""Plans uploaded at any level (YAML or Excel), their responsible units' reports and the statuses
computed from them (issue #19 item 2)."""

from __future__ import annotations

import hashlib
import textwrap
from typing import Any

import pytest
from django.utils import timezone
from tests.analysis.test_plans import GOOD, _xlsx

from cimon.analysis.plans import read_plan_upload, read_plan_yaml
from cimon.store.programmes import target_plans as TP
from cimon.store.programmes.models import TargetPlan, TargetReport
from cimon.store.submissions.models import AuditEvent

CITY_PLAN = textwrap.dedent(
    """\
    id: lishui-2024
    kind: plan
    level: city
    area: 丽水市
    plan_zh: 丽水市科技创新目标方案
    base_year: 2023
    units: [莲都区, 景宁畲族自治县]
    items:
      - {code: C1, name_zh: 高新技术企业数, target: 40, deadline: 2027, applies_to: 莲都区,
         responsible: [区科技局]}
      - {code: C2, name_zh: 实体化产业研究院, kind: zero_break, deadline: 2026,
         applies_to: 景宁畲族自治县, responsible: [县经济商务科技局, 县委人才办]}
      - {code: C3, name_zh: 科技特派员全覆盖, kind: coverage, units: [甲镇, 乙镇],
         added: {丙镇: 2025-10-01}, deadline: 2026, applies_to: 景宁畲族自治县,
         responsible: [县经济商务科技局]}
      - {code: C4, name_zh: A类县数量, target: 10, deadline: 2027, indicator: "class_count:A",
         responsible: [省科技厅]}
    """
)


def test_yaml_upload_reads_every_bad_item_and_nothing_else() -> None:
    bad = CITY_PLAN.replace("kind: zero_break", "kind: zero-break").replace(
        "target: 40, deadline: 2027", "target: 四十, deadline: 2027"
    )
    read = read_plan_yaml(bad.encode(), "city.yaml")
    assert read.plan is None
    cells = sorted(i.cell for i in read.report.errors)
    assert cells[0].startswith("items[0]") and cells[1].startswith("items[1]"), cells
    assert all(i.zh and i.en and i.fix_zh for i in read.report.errors)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"kind: plan\nitems: [", "p.yaml", "mapping.invalid"),  # YAML syntax
        (b"\xff\xfe\x00", "p.yaml", "file.unreadable"),
        (b"id: x\nkind: framework\n", "p.yml", "mapping.invalid"),
        (b"code,deadline\n", "p.csv", "file.type"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(data: bytes, name: str, code: str) -> None:
    read = read_plan_upload(data, name)
    assert read.plan is None and read.report.errors[0].code == code


def test_upload_stores_versions_and_refuses_a_bad_file_whole(users: dict[str, Any]) -> None:
    admin = users["admin"]
    tp = TP.upload_plan(admin, CITY_PLAN.encode(), "city.yaml")
    assert (tp.ref, tp.level, tp.version, tp.units) == (
        "lishui-2024",
        "city",
        1,
        ["莲都区", "景宁畲族自治县"],
    )
    assert tp.sha256 == hashlib.sha256(CITY_PLAN.encode()).hexdigest()
    assert [t["code"] for t in tp.targets] == ["C1", "C2", "C3", "C4"]
    assert tp.targets[3]["source_kind"] == "computed"
    # a bad Excel upload: every bad cell named, nothing stored
    bad = [*GOOD, ["P6", "x", "level", "四十", 2027, "县科技局", None, None, ""]]
    with pytest.raises(TP.PlanRefused) as info:
        TP.upload_plan(admin, _xlsx(bad), "plan.xlsx")
    assert {i.cell for i in info.value.read.report.errors} == {"D6"}
    assert "未导入" in info.value.args[0] and "no target" in info.value.args[1]
    assert TargetPlan.objects.count() == 1
    # the same id again: version 2 supersedes version 1, which is kept
    tp2 = TP.upload_plan(admin, CITY_PLAN.replace("target: 40", "target: 45").encode(), "c.yaml")
    tp.refresh_from_db()
    assert tp2.version == 2 and tp.superseded_at is not None
    assert AuditEvent.objects.filter(action="programme.target_plan").count() == 2
    # an Excel plan at province level
    xl = TP.upload_plan(admin, _xlsx(GOOD, {"id": "nx-plan", "level": "province"}), "p.xlsx")
    assert xl.level == "province" and len(xl.targets) == 4


def test_reports_history_and_statuses(users: dict[str, Any]) -> None:
    county = users["county"]
    tp = TP.upload_plan(users["admin"], CITY_PLAN.encode(), "city.yaml")
    # 破零 exactly at 1 is met; the earlier 0 is superseded by a correction and kept
    TP.report_target(county, tp, "C2", 2024, 0, narrative="尚未组建")
    TP.report_target(county, tp, "C2", 2024, 1, narrative="已组建", file_name="批复.pdf",
                     content=b"%PDF-1.4 x")  # fmt: skip
    assert TargetReport.objects.filter(target_code="C2").count() == 2
    assert len(TP.history(tp, "C2")) == 2
    # 全覆盖: per unit; 丙镇 added in October counts from the next year
    for unit, v in (("甲镇", 1), ("乙镇", 1)):
        TP.report_target(county, tp, "C3", 2025, v, unit=unit)
    by = {s["code"]: s for s in TP.statuses(tp)}
    assert by["C2"]["status"] == "met" and "破零" in by["C2"]["rule_zh"]
    assert by["C3"]["status"] == "met" and "丙镇" in by["C3"]["rule_zh"]
    assert by["C1"]["status"] == "no_data" and by["C4"]["computed"]
    assert all(s["rule_zh"] and s["rule_en"] for s in by.values())
    rep = TargetReport.objects.get(target_code="C2", superseded_at__isnull=True)
    assert rep.sha256 == hashlib.sha256(b"%PDF-1.4 x").hexdigest()
    assert AuditEvent.objects.filter(action="programme.target_report").count() == 4


def test_computed_class_count_reads_the_published_results(users: dict[str, Any]) -> None:
    from cimon.store.evaluations.models import Evaluation, Publication

    now = timezone.now()
    ev = Evaluation.objects.create(
        evaluation_year=2025, framework_id="nx-2021", data_as_of=now, created_at=now
    )
    rows = [{"region_code": str(k), "name": f"县{k}", "class": "A" if k < 10 else "B"}
            for k in range(12)]  # fmt: skip
    Publication.objects.create(
        evaluation_year=2025, version=1, evaluation=ev, results=rows, published_at=now
    )
    tp = TP.upload_plan(users["admin"], CITY_PLAN.encode(), "city.yaml")
    c4 = next(s for s in TP.statuses(tp) if s["code"] == "C4")
    assert (c4["latest_year"], c4["latest"], c4["status"]) == (2025, 10.0, "met")


@pytest.mark.parametrize(
    ("code", "kw", "word"),
    [
        ("C4", {}, "计算"),  # computed targets are not reported
        ("C3", {}, "全覆盖"),  # coverage needs the unit
        ("C2", {"unit": "甲镇"}, "全覆盖"),  # other targets take none
        ("C9", {}, "没有目标"),
        ("C2", {"year": 2031}, "方案期"),
        ("C2", {"value": None}, "数值或进展说明"),
    ],
)
def test_reports_that_are_refused(
    users: dict[str, Any], code: str, kw: dict[str, Any], word: str
) -> None:
    tp = TP.upload_plan(users["admin"], CITY_PLAN.encode(), "city.yaml")
    args = {"year": 2024, "value": 1.0, **kw}
    year, value = args.pop("year"), args.pop("value")
    with pytest.raises(TP.ProgrammeError) as info:
        TP.report_target(users["county"], tp, code, year, value, **args)
    assert word in info.value.args[0] and info.value.args[1]


def test_a_superseded_version_takes_no_report(users: dict[str, Any]) -> None:
    tp = TP.upload_plan(users["admin"], CITY_PLAN.encode(), "city.yaml")
    TP.report_target(users["admin"], tp, "C1", 2024, 20)
    tp2 = TP.upload_plan(users["admin"], CITY_PLAN.encode(), "city.yaml")
    tp.refresh_from_db()
    with pytest.raises(TP.ProgrammeError):
        TP.report_target(users["admin"], tp, "C1", 2025, 25)
    # reports belong to the plan's id: the new version sees them
    assert next(s for s in TP.statuses(tp2) if s["code"] == "C1")["latest"] == 20


def test_demo_plans_are_labelled_and_load_once(db: Any) -> None:
    from datetime import date

    from cimon.store.programmes.demo_plans import load_demo_target_plans

    counties = ["640402", "640422", "640423"]
    assert load_demo_target_plans(counties, date(2026, 5, 1)) == 11
    assert load_demo_target_plans(counties, date(2026, 5, 1)) == 0
    assert TargetPlan.objects.filter(ref="nx-2025", label="模拟数据").exists()
    tp = TargetPlan.objects.get(ref="demo-province-plan")
    assert tp.label == "模拟数据" and tp.level == "province"
    by = {s["code"]: s for s in TP.statuses(tp)}
    assert by["P2"]["status"] == "met" and by["P3"]["status"] == "met"
    assert by["P4"]["latest"] == 7  # the correction
    # P5 names a stored-data source: counted in the (here empty) registry, not reported
    assert by["P5"]["computed"] and by["P5"]["source_zh"].startswith("计算：名录库计数")
    assert by["P5"]["latest"] == 0


def test_computed_score_and_peer_rank_with_ties(users: dict[str, Any]) -> None:
    """西吉县's place among the published 山区县 (ties share the best place) and its score; a
    county outside the group has no computed place."""
    from cimon.store.evaluations.models import Evaluation, Publication

    now = timezone.now()
    ev = Evaluation.objects.create(
        evaluation_year=2025, framework_id="nx-2021", data_as_of=now, created_at=now
    )
    scores = {"640402": 80.0, "640422": 70.0, "640423": 70.0, "640424": 60.0, "640104": 99.0}
    rows = [{"region_code": k, "name": k, "score_published": v} for k, v in scores.items()]
    Publication.objects.create(
        evaluation_year=2025, version=1, evaluation=ev, results=rows, published_at=now
    )
    text = textwrap.dedent(
        """\
        id: guyuan
        kind: plan
        level: city
        base_year: 2024
        items:
          - {code: R1, kind: rank, peer_group: 山区县, target_rank: 2, deadline: 2027,
             indicator: rank, applies_to: "640423", responsible: [县科技局]}
          - {code: R2, kind: rank, peer_group: 山区县, deadline: 2027, indicator: rank,
             applies_to: "640104", responsible: [区科技局]}
          - {code: S1, kind: class_score, min_score: 75, deadline: 2027, indicator: score,
             applies_to: "640423", responsible: [县科技局]}
        """
    )
    tp = TP.upload_plan(users["admin"], text.encode(), "guyuan.yaml")
    by = {s["code"]: s for s in TP.statuses(tp)}
    assert (by["R1"]["latest"], by["R1"]["status"]) == (2.0, "met")  # tied with 西吉县 at 2nd
    assert by["R2"]["status"] == "no_data"  # 兴庆区 is not a 山区县
    assert by["S1"]["latest"] == 70.0 and by["S1"]["computed"]


def test_the_province_plan_of_seed_000_uploads_and_counts_classes(users: dict[str, Any]) -> None:
    """nx-2025.yaml (seed 000 二、预期目标, its wording kept) uploaded as it is bundled: three
    class-count targets computed from the published results."""
    from importlib import resources

    from cimon.store.evaluations.models import Evaluation, Publication

    data = (resources.files("cimon.data") / "targets" / "nx-2025.yaml").read_bytes()
    tp = TP.upload_plan(users["admin"], data, "nx-2025.yaml")
    assert (tp.ref, tp.level, [t["code"] for t in tp.targets]) == (
        "nx-2025",
        "province",
        ["A", "B", "C"],
    )
    now = timezone.now()
    ev = Evaluation.objects.create(
        evaluation_year=2024, framework_id="nx-2021", data_as_of=now, created_at=now
    )
    rows = [{"region_code": str(k), "class": "ABBBBBBBBBCC"[k % 12]} for k in range(22)]
    Publication.objects.create(
        evaluation_year=2024, version=1, evaluation=ev, results=rows, published_at=now
    )
    by = {s["code"]: s for s in TP.statuses(tp)}
    assert by["A"]["latest"] == 2 and by["A"]["computed"]
    assert "10个、8个、4个左右" in by["A"]["quote_zh"]
    assert all(s["rule_zh"] for s in by.values())
    bad = data.replace(b"counts: {A: 10, B: 8, C: 4}", b"counts: {A: 10}")
    with pytest.raises(TP.PlanRefused) as info:
        TP.upload_plan(users["admin"], bad, "nx-2025.yaml")
    assert "nx-2025.yaml" in info.value.read.report.errors[0].cell


def test_uploaders_keep_to_their_level_and_their_own_plans(users: dict[str, Any]) -> None:
    county, city = users["county"], users["city"]
    with pytest.raises(TP.ProgrammeError) as info:  # a city plan from a county clerk
        TP.upload_plan(county, CITY_PLAN.encode(), "c.yaml", levels=("county",), own_only=True)
    assert "city" in info.value.args[0]
    TP.upload_plan(city, CITY_PLAN.encode(), "c.yaml", levels=("county", "city"), own_only=True)
    with pytest.raises(TP.ProgrammeError) as info:  # another account's plan id
        TP.upload_plan(county, CITY_PLAN.replace("level: city", "level: county").encode(),
                       "c.yaml", levels=("county",), own_only=True)  # fmt: skip
    assert "其他账号" in info.value.args[0]
    assert TP.upload_plan(users["admin"], CITY_PLAN.encode(), "c.yaml").version == 2
