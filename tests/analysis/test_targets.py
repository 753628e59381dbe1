"""Targets: seed 000 section 二 (“A、B、C三类县的数量分别由0个、12个、10个跃升到10个、8个、4个左右”) and
seed 001's 景宁 action plan (“高新技术企业和科技型中小企业累计数分别达到40家和100家”, “确保财政科技投入
年均增长15%以上” …). Expected values are computed by hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from cimon.analysis.errors import TargetError
from cimon.analysis.targets import (
    PlanItem,
    bundled_values,
    county_status,
    item_status,
    load_county_plan,
    load_province_targets,
    load_values,
    province_progress,
)
from cimon.engine.run import Run


def item(
    code: str = "T", target: float | None = 40, kind: str = "level", ref: str | None = None
) -> PlanItem:
    return PlanItem(
        code, code, code, "家", kind, target, ref, 2027, ("县经济商务科技局",), "", "seed"
    )


def test_province_progress_hand_computed() -> None:
    """2023 evaluation with 5 A: the straight path 0 → 10 over 2020–2025 gives 6 in 2023, so A is
    behind; still needed (10 − 5) / 2 = 2.5 a year; so far (5 − 0) / 3 ≈ 1.67 a year. C at 7 is
    on the path (10 − 6·3/5 = 6.4, rounded up 7). 2025 with 10/8/4: every target met."""
    goal = load_province_targets("nx-2025")
    rows = province_progress(
        goal, {2023: {"A": 5, "B": 10, "C": 7}, 2025: {"A": 10, "B": 8, "C": 4}}
    )
    a2023 = rows[0]
    assert (a2023.label, a2023.planned, a2023.status, a2023.pace_needed) == (
        "A",
        6.0,
        "behind",
        2.5,
    )
    assert a2023.pace_so_far == pytest.approx(5 / 3)
    assert rows[2].label == "C" and rows[2].status == "on_track"
    assert {r.status for r in rows[3:]} == {"met"}


def test_province_b_is_about() -> None:
    """B “左右”: 9 in 2025 is within ±1 of 8, met; A at 9 is not."""
    rows = province_progress(load_province_targets(), {2025: {"A": 9, "B": 9, "C": 4}})
    assert [r.status for r in rows] == ["missed", "met", "met"]


@pytest.mark.parametrize(
    ("obs", "target", "status", "needed"),
    [
        # 22 → 33 over 2 years: +22.47 %/yr; 2027 projection 33·1.2247³ ≈ 60.6 ≥ 40; needed (40/33)^(1/3) − 1
        ({2022: 22, 2024: 33}, 40, "on_track", (40 / 33) ** (1 / 3) - 1),
        # 60 → 72: +9.54 %/yr; projection ≈ 94.6, ≥ 90 % of 100 but < 100
        ({2022: 60, 2024: 72}, 100, "at_risk", (100 / 72) ** (1 / 3) - 1),
        # 38 → 40: +2.6 %/yr; projection ≈ 43.2 < 45 (90 % of 50)
        ({2022: 38, 2024: 40}, 50, "off_track", (50 / 40) ** (1 / 3) - 1),
        ({2022: 38, 2024: 52}, 50, "met", None),
        ({2024: 30}, 40, "no_data", (40 / 30) ** (1 / 3) - 1),
        ({2026: 30, 2028: 35}, 40, "missed", None),  # deadline 2027 passed
    ],
)
def test_item_status(
    obs: dict[int, float], target: float, status: str, needed: float | None
) -> None:
    s = item_status(item(target=target), {"T": obs}, 2022)
    assert s.status == status
    if needed is None:
        assert s.needed is None or status == "met"
    else:
        assert s.needed == pytest.approx(needed)


def test_growth_target_becomes_a_level() -> None:
    """财政科技投入年均增长15%: base 2022 = 5000 → 2027 target 5000·1.15⁵ = 10 056.79; 5000 → 6300
    (2024) is +12.25 %/yr, projecting 6300·1.1225³ ≈ 8910 < 9051 (90 %): off track."""
    s = item_status(
        item(target=15, kind="growth"), {"T": {2022: 5000, 2023: 5600, 2024: 6300}}, 2022
    )
    assert s.target_value == pytest.approx(5000 * 1.15**5)
    assert s.trend == pytest.approx((6300 / 5000) ** 0.5 - 1)
    assert s.status == "off_track"


def test_target_ref_uses_the_reference_series() -> None:
    """R&D/GDP “达到全市平均水平”: the target is the latest city average (2.3)."""
    s = item_status(
        item(target=None, ref="city"),
        {"T": {2022: 1.6, 2024: 1.9}, "city": {2023: 2.2, 2024: 2.3}},
        2022,
    )
    assert s.target_value == 2.3 and s.status == "on_track"


def test_bundled_jingning_plan() -> None:
    plan = load_county_plan("jingning-2023")
    assert plan.county == "景宁畲族自治县" and len(plan.items) == 36
    by_code = {i.code: i for i in plan.items}
    assert by_code["T07"].target == 40 and "40家和100家" in by_code["T07"].quote_zh
    assert by_code["T09"].kind == "growth" and "年均增长15%以上" in by_code["T09"].quote_zh
    assert by_code["T10"].target == 9 and by_code["T10"].unit == "亿元"
    assert all(i.deadline == 2027 and i.responsible for i in plan.items if i.code != "T35")
    assert by_code["T35"].deadline == 2025  # “十四五”期间


def test_bundled_values_of_a_plan() -> None:
    """``cimon targets --plan jingning-2023`` without --values shows the bundled synthetic
    values; a plan without bundled values (or a plan file) has none."""
    series, synthetic = bundled_values("jingning-2023")
    assert (
        synthetic
        and series
        and {k.split("@")[0] for k in series}
        <= {i.code for i in load_county_plan().items}
        | {i.target_ref for i in load_county_plan().items if i.target_ref}
    )
    assert bundled_values("nx-2025") == ({}, False)
    assert bundled_values("some/plan.yaml") == ({}, False)


def test_values_file_and_statuses(tmp_path: Path) -> None:
    p = tmp_path / "v.csv"
    p.write_text(
        "item,year,value,source\nT07,2022,22,模拟数据\nT07,2024,33,模拟数据\n", encoding="utf-8"
    )
    series, synthetic = load_values(p)
    assert synthetic and series == {"T07": {2022: 22.0, 2024: 33.0}}
    statuses = {s.item.code: s.status for s in county_status(load_county_plan(), series)}
    assert statuses["T07"] == "on_track" and statuses["T08"] == "no_data"


def test_bad_plan_names_the_item(tmp_path: Path) -> None:
    p = tmp_path / "plan.yaml"
    p.write_text("kind: county\nitems:\n  - {code: T1, deadline: 2027}\n", encoding="utf-8")
    with pytest.raises(TargetError) as info:
        load_county_plan(p)
    assert info.value.where == f"{p}: items[0]"


def test_values_from_panel(demo_runs: dict[int, Run]) -> None:
    from cimon.analysis.targets import values_from_panel

    run = demo_runs[2023]
    series = values_from_panel(load_county_plan(), run.inputs, "640422", [2022])
    assert series["T07"][2022] == run.data["raw"].at["640422", "hte"]
