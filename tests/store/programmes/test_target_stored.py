"""Targets of uploaded plans computed from the stored submissions (issue #19 item 3): a framework
indicator, a formula, and a unit with no stored data falling back to its report."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from django.utils import timezone

from cimon.store.programmes import target_plans as TP
from cimon.store.programmes.services import ProgrammeError

PLAN = textwrap.dedent(
    """\
    id: guyuan-rd
    kind: plan
    level: city
    area: 固原市
    plan_zh: 固原市研发投入目标
    base_year: 2023
    units: ["640422", "640423"]
    items:
      - {code: R1, name_zh: 西吉县研发投入强度, target: 2.0, deadline: 2026, indicator: I01,
         applies_to: "640422", responsible: [县科技局]}
      - {code: R2, name_zh: 西吉县研发经费（亿元）, target: 5, deadline: 2026,
         formula: "rd_exp / 10000", applies_to: "640422", responsible: [县科技局]}
      - {code: R3, name_zh: 隆德县研发投入强度, target: 2.0, deadline: 2026, indicator: I01,
         applies_to: "640423", responsible: [县科技局]}
      - {code: R4, name_zh: 综合得分, target: 80, deadline: 2026, indicator: score,
         applies_to: "640422", responsible: [县科技局]}
    """
)


def _observe(region: str, values: dict[tuple[str, int], float]) -> None:
    from cimon.store.submissions.models import Observation, Submission

    now = timezone.now()
    sub = Submission.objects.create(
        file_name="x.xlsx", content=b"x", sha256="x", kind="county", region_code=region,
        data_year=2025, created_at=now, status="accepted",
    )  # fmt: skip
    for (variable, year), v in values.items():
        Observation.objects.create(submission=sub, region_code=region, year=year,
                                   variable=variable, value=v, recorded_at=now)  # fmt: skip


def test_indicator_and_formula_targets_from_stored_data(users: dict[str, Any]) -> None:
    # 西吉县: R&D 30,000 万元 of GDP 1,200,000 → 2.5 % (met); 2024: 0.5 % superseded below
    _observe("640422", {("rd_exp", 2025): 30000, ("gdp", 2025): 1200000,
                        ("rd_exp", 2024): 6000, ("gdp", 2024): 1200000})  # fmt: skip
    tp = TP.upload_plan(users["admin"], PLAN.encode(), "plan.yaml")
    # a report of a stored-data target is kept but the stored value wins for the same year
    TP.report_target(users["admin"], tp, "R1", 2025, 1.0, narrative="自报")
    # a unit with no stored data: its report is used
    TP.report_target(users["admin"], tp, "R3", 2025, 2.1, narrative="自报")
    by = {s["code"]: s for s in TP.statuses(tp)}
    r1, r2, r3 = by["R1"], by["R2"], by["R3"]
    assert (r1["latest_year"], r1["latest"], r1["status"]) == (2025, 2.5, "met")
    assert r1["won"] == "stored" and "指标 I01" in r1["source_zh"]
    assert "采用已存数据" in r1["source_zh"] and "stored data used" in r1["source_en"]
    # formula rd_exp / 10000: 3.0 亿元 in 2025, short of 5 by 2026
    assert (r2["latest_year"], r2["latest"]) == (2025, 3.0) and r2["status"] != "met"
    assert r2["won"] == "stored" and "公式 rd_exp / 10000" in r2["source_zh"]
    assert (r3["latest"], r3["status"], r3["won"]) == (2.1, "met", "reported")
    assert "无已存数据，采用填报值" in r3["source_zh"] and "640423" in r3["source_zh"]
    # the exported workbook names the source of every target
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(TP.statuses_xlsx(tp))).active
    col = [c.value for c in ws[2]].index("来源 values") + 1
    assert "采用已存数据" in str(ws.cell(3, col).value)


def test_reports_fill_only_years_without_stored_data(users: dict[str, Any]) -> None:
    _observe("640422", {("rd_exp", 2025): 30000, ("gdp", 2025): 1200000})
    tp = TP.upload_plan(users["admin"], PLAN.encode(), "plan.yaml")
    TP.report_target(users["admin"], tp, "R1", 2024, 1.5, narrative="自报")
    r1 = next(s for s in TP.statuses(tp) if s["code"] == "R1")
    assert r1["won"] == "both" and r1["latest"] == 2.5


def test_no_stored_data_and_no_report_is_no_data(users: dict[str, Any]) -> None:
    tp = TP.upload_plan(users["admin"], PLAN.encode(), "plan.yaml")
    by = {s["code"]: s for s in TP.statuses(tp)}
    assert by["R1"]["status"] == "no_data" and by["R1"]["won"] == "none"
    assert "无已存数据，也无填报值" in by["R1"]["source_zh"]
    assert by["R4"]["source_zh"].startswith("计算：已公布评价结果")


def test_published_result_targets_are_not_reported(users: dict[str, Any]) -> None:
    tp = TP.upload_plan(users["admin"], PLAN.encode(), "plan.yaml")
    with pytest.raises(ProgrammeError, match="已公布的评价结果"):
        TP.report_target(users["admin"], tp, "R4", 2025, 81.0)
    assert TP.reportable(TP.target_of(tp, "R1"))
    assert not TP.reportable(TP.target_of(tp, "R4"))
