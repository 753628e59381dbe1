"""Hand-computed cases of the commissioners' assessment at its edges (issue #17 item 3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest

from cimon.analysis.commissioners import (
    KINDS,
    AssessmentInputError,
    AssessmentRuleError,
    Cap,
    RuleKind,
    assess,
    load_assessment_rules,
    parse_assessment_rules,
    quota_places,
    register,
)

FULL = dict(service_days=60, records=24, tasks_required=4, tasks_done=4, ratings=5,
            satisfaction=5.0, unit_rating="优秀", county_grade="优秀")  # fmt: skip


def row(i: int, county: str = "640104", **kw: Any) -> dict[str, Any]:
    return {"commissioner_id": i, "name": f"人{i}", "county_code": county, **FULL, **kw}


def simple(quota: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """Score = service days only (weight 100, full at 100 days): score = days, to the point."""
    rules: dict[str, Any] = {
        "id": "t", "version": "1", "thresholds": {"优秀": 90, "良好": 75, "合格": 60},
        "rules": [{"kind": "service_days", "weight": 100, "target": 100}],
    }  # fmt: skip
    if quota is not None:
        rules["quota"] = quota
    rules.update(extra)
    return rules


def test_default_rules_load_and_full_marks() -> None:
    rules = load_assessment_rules()
    assert sum(rules.weights.values()) == 100
    out = assess(pd.DataFrame([row(1)]), rules)
    assert out["score"].iloc[0] == 100.0
    # one commissioner: 15% of 1 rounds down to 0 places, so even 100 points is cut to 良好
    assert out["grade"].iloc[0] == "良好" and out["quota_cut"].iloc[0]
    assert "优秀名额" in out["reasons_zh"].iloc[0] and "quota" in out["reasons_en"].iloc[0]


def test_exactly_at_a_threshold_gets_that_grade() -> None:
    days = [90, 89.99, 75, 74, 60, 59]
    frame = pd.DataFrame([row(i, service_days=d) for i, d in enumerate(days)])
    out = assess(frame, parse_assessment_rules(simple()))
    assert out["score"].tolist() == days
    assert out["grade"].tolist() == ["优秀", "良好", "良好", "合格", "合格", "不合格"]
    assert "达到优秀线 90 分" in out["reasons_zh"].iloc[0]
    assert "达到良好线 75 分、未达优秀线 90 分" in out["reasons_zh"].iloc[1]
    assert "低于合格线 60 分" in out["reasons_zh"].iloc[5]


def test_default_weights_hand_computed() -> None:
    # 45 days → 30×45/60 = 22.5; 12 records → 10×12/24 = 5; tasks 3/4 → 18.75;
    # satisfaction 4.0/5 with 3 ratings → 12; unit 良好 → 8.5; county 合格 → 7 → 73.75 (合格)
    r = row(1, service_days=45, records=12, tasks_done=3, ratings=3, satisfaction=4.0,
            unit_rating="良好", county_grade="合格")  # fmt: skip
    out = assess(pd.DataFrame([r]), load_assessment_rules())
    assert out["score"].iloc[0] == 73.75
    assert out["grade"].iloc[0] == "合格"
    assert out["points_tasks"].iloc[0] == 18.75


def test_zero_ratings_and_missing_unit_rating_reweight() -> None:
    # satisfaction (15) and unit rating (10) not counted: 75 weights left;
    # 60 days 30 + 24 records 10 + tasks 25 + county 优秀 10 = 75 of 75 → 100
    r = row(1, ratings=0, satisfaction=np.nan, unit_rating=None)
    out = assess(pd.DataFrame([r]), load_assessment_rules())
    assert out["score"].iloc[0] == 100.0
    assert np.isnan(out["points_satisfaction"].iloc[0]) and np.isnan(
        out["points_unit_rating"].iloc[0]
    )
    assert "满意度评价 0 条，少于 3 条，不计分" in out["reasons_zh"].iloc[0]
    assert "派出单位评价未给出，不计分" in out["reasons_zh"].iloc[0]
    # two ratings are fewer than the three the default needs: still not counted
    r2 = row(2, ratings=2, satisfaction=1.0, unit_rating=None)
    assert assess(pd.DataFrame([r2]), load_assessment_rules())["score"].iloc[0] == 100.0


def test_missing_zero_counts_as_zero_points() -> None:
    raw = simple()
    raw["rules"] = [{"kind": "service_days", "weight": 50, "target": 100},
                    {"kind": "unit_rating", "weight": 50, "missing": "zero"}]  # fmt: skip
    out = assess(
        pd.DataFrame([row(1, service_days=100, unit_rating=None)]), parse_assessment_rules(raw)
    )
    assert out["score"].iloc[0] == 50.0


def test_zero_records_fail_whatever_else() -> None:
    out = assess(pd.DataFrame([row(1, records=0)]), load_assessment_rules())
    # score 90 (records 0 of 10) would be 优秀 by score
    assert out["score"].iloc[0] == 90.0 and out["grade_by_score"].iloc[0] == "优秀"
    assert out["grade"].iloc[0] == "不合格" and out["capped"].iloc[0]
    assert (
        "全年无服务记录" in out["reasons_zh"].iloc[0] and "no_records" in out["reasons_en"].iloc[0]
    )


def test_minimum_days_and_county_fail_caps() -> None:
    frame = pd.DataFrame(
        [row(1, service_days=29), row(2, service_days=30), row(3, county_grade="不合格")]
    )
    out = assess(frame, load_assessment_rules())
    assert out["grade"].iloc[0] == "不合格" and "低于最低要求 30 天" in out["reasons_zh"].iloc[0]
    assert out["grade"].iloc[1] != "不合格"  # exactly at the minimum passes
    assert out["grade"].iloc[2] == "不合格" and "县级初评为不合格" in out["reasons_zh"].iloc[2]


def test_blank_counts_are_zero_and_bad_values_raise() -> None:
    out = assess(pd.DataFrame([row(1, records=None)]), load_assessment_rules())
    assert out["grade"].iloc[0] == "不合格"
    with pytest.raises(AssessmentInputError, match="tasks_done"):
        assess(pd.DataFrame([row(1, tasks_done=5)]), load_assessment_rules())
    with pytest.raises(AssessmentInputError, match="unit_rating"):
        assess(pd.DataFrame([row(1, unit_rating="很好")]), load_assessment_rules())
    with pytest.raises(AssessmentInputError, match="satisfaction"):
        assess(pd.DataFrame([row(1, satisfaction=6)]), load_assessment_rules())
    with pytest.raises(AssessmentInputError, match="records"):
        assess(
            pd.DataFrame([{"commissioner_id": 1, "name": "a", "county_code": "x"}]),
            load_assessment_rules(),
        )


def test_quota_counts_rounding_and_tolerance() -> None:
    assert quota_places(0.15, 20, "floor").tolist() == 3
    assert quota_places(0.15, 19, "floor").tolist() == 2  # 2.85
    assert quota_places(0.15, 19, "round").tolist() == 3
    assert quota_places(0.15, 10, "round").tolist() == 2  # 1.5 rounds half up
    assert quota_places(0.15, 14, "ceil").tolist() == 3  # 2.1


def test_quota_ties_exclude_and_include() -> None:
    # 20 commissioners, 15% → 3 places; scores 99, 98, 97, 97 are the 优秀 candidates
    days = [99, 98, 97, 97] + [50] * 16
    frame = pd.DataFrame([row(i, service_days=d) for i, d in enumerate(days)])
    out = assess(frame, parse_assessment_rules(simple({"share": 0.15})))
    assert out["grade"].head(4).tolist() == ["优秀", "优秀", "良好", "良好"]
    assert out["quota_rank"].head(4).tolist() == [1, 2, 3, 3]
    assert "排第 3 名" in out["reasons_zh"].iloc[2] and "调整为良好" in out["reasons_zh"].iloc[2]
    out = assess(frame, parse_assessment_rules(simple({"share": 0.15, "ties": "include"})))
    assert out["grade"].head(4).tolist() == ["优秀"] * 4
    # a tie-break column splits the tie: the higher satisfaction keeps the place
    frame.loc[3, "satisfaction"] = 4.0
    out = assess(
        frame, parse_assessment_rules(simple({"share": 0.15, "tie_break": ["satisfaction"]}))
    )
    assert out["grade"].head(4).tolist() == ["优秀", "优秀", "优秀", "良好"]


def test_quota_per_county() -> None:
    a = [row(i, "640104", service_days=95) for i in range(10)]  # 10 × 15% = 1.5 → 1 place
    b = [row(10 + i, "640105", service_days=91 + i) for i in range(7)]  # 7 × 15% = 1.05 → 1
    frame = pd.DataFrame(a + b)
    out = assess(frame, parse_assessment_rules(simple({"share": 0.15, "scope": "county"})))
    # county a: ten tied at 95 for one place → all cut (ties: exclude)
    assert (out["grade"].head(10) == "良好").all()
    assert out["grade"].tail(7).tolist() == ["良好"] * 6 + ["优秀"]
    assert "本县" in out["reasons_zh"].iloc[0]


def test_rule_errors_name_the_key() -> None:
    bad = simple()
    bad["rules"] = [{"kind": "service_days", "weight": 90, "target": 100}]
    with pytest.raises(AssessmentRuleError, match="100"):
        parse_assessment_rules(bad)
    bad = simple(thresholds={"优秀": 70, "良好": 75, "合格": 60})
    with pytest.raises(AssessmentRuleError, match="thresholds"):
        parse_assessment_rules(bad)
    bad = simple()
    bad["rules"] = [{"kind": "nope", "weight": 100}]
    with pytest.raises(AssessmentRuleError, match=r"rules\[0\]\.kind"):
        parse_assessment_rules(bad)
    with pytest.raises(AssessmentRuleError, match=r"quota\.share"):
        parse_assessment_rules(simple({"share": 1.5}))


def test_a_province_registers_its_own_kind() -> None:
    @register
    @dataclass(frozen=True)
    class Trainings(RuleKind):
        name: ClassVar[str] = "test_trainings"
        columns: ClassVar[tuple[str, ...]] = ("trainings",)
        label: str
        weight: float = 0.0

        @classmethod
        def parse(cls, node: Any, path: str, c: Any) -> RuleKind:
            return cls(str(node.get("label", cls.name)))

        def cap(self, f: pd.DataFrame) -> Cap | None:
            hit = f["trainings"].to_numpy(float) < 1
            return Cap(
                hit,
                2,
                np.full(len(f), "未参加培训", dtype=object),
                np.full(len(f), "no training", dtype=object),
            )

    try:
        raw = simple()
        raw["rules"].append({"kind": "test_trainings"})
        frame = pd.DataFrame(
            [row(1, service_days=95, trainings=0), row(2, service_days=95, trainings=2)]
        )
        out = assess(frame, parse_assessment_rules(raw))
        assert out["grade"].tolist() == ["合格", "优秀"]
        assert "未参加培训" in out["reasons_zh"].iloc[0]
    finally:
        KINDS.pop("test_trainings")


def test_empty_table_and_numeric_unit_points() -> None:
    rules = load_assessment_rules()
    assert assess(pd.DataFrame(columns=list(row(0))), rules).empty
    # unit rating as points (85 → 8.5), county grade with spaces, no task, no rating:
    # (30 + 10 + 8.5 + 8.5) / 60 × 100 = 95
    r = row(1, tasks_required=0, tasks_done=0, ratings=0, satisfaction=None, unit_rating=85,
            county_grade=" 良好 ")  # fmt: skip
    assert assess(pd.DataFrame([r]), rules)["score"].iloc[0] == 95.0


def test_inputs_from_records_and_ratings() -> None:
    from cimon.analysis.commissioners import assessment_inputs

    people = pd.DataFrame([row(1), row(2)]).drop(
        columns=["service_days", "records", "ratings", "satisfaction"]
    )
    services = pd.DataFrame(
        {
            "commissioner_id": [1, 1, 1, 1],
            "date": ["2026-03-05", "2026-03-05", "2026-03-06", "2025-12-31"],
        }
    )
    ratings = pd.DataFrame({"commissioner_id": [1, 1, 1], "score": [5, 4, 3]})
    got = assessment_inputs(people, services, ratings, year=2026)
    # two services on 5 March are one day; the 2025 service is not this year's
    assert got["service_days"].tolist() == [2, 0] and got["records"].tolist() == [3, 0]
    assert got["ratings"].tolist() == [3, 0]
    assert got["satisfaction"].iloc[0] == 4.0 and np.isnan(got["satisfaction"].iloc[1])
    out = assess(got, load_assessment_rules())
    assert out["grade"].iloc[1] == "不合格" and "全年无服务记录" in out["reasons_zh"].iloc[1]
    with pytest.raises(AssessmentInputError, match="date"):
        assessment_inputs(people, services.drop(columns=["date"]))


def test_without_reasons_same_grades() -> None:
    frame = pd.DataFrame([row(1, records=0), row(2), row(3, service_days=20)])
    full = assess(frame, load_assessment_rules())
    bare = assess(frame, load_assessment_rules(), reasons=False)
    assert "reasons_zh" not in bare and bare["grade"].equals(full["grade"])


def test_the_input_index_is_kept() -> None:
    frame = pd.DataFrame([row(1), row(2, service_days=20)], index=[70, 3])
    out = assess(frame, load_assessment_rules())
    assert out.index.tolist() == [70, 3]
    assert out["commissioner_id"].tolist() == [1, 2] and out.loc[3, "grade"] == "不合格"
