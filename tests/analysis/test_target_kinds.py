"""Target kinds (issue #19): one contract over every registered kind, and hand-made cases at the
edges of each (破零 exactly at 1, 翻一番 from a zero base, 全覆盖 with a unit added mid-year, rank
ties). Expected values are worked out by hand in the docstrings."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from cimon.analysis.errors import TargetError
from cimon.analysis.target_base import Context, interpolate
from cimon.analysis.target_kinds import (
    REGISTRY,
    STATUSES,
    TargetKind,
    doubling_target,
    kind_class,
    make_kind,
    peer_rank,
)

DOCS = Path(__file__).parents[2] / "docs" / "analysis" / "targets.md"


def judge(kind: str, params: dict, series: dict, base_year: int = 2022, deadline: int = 2027):  # type: ignore[no-untyped-def,type-arg]
    return make_kind(kind, params).evaluate(Context("T", series, base_year, deadline, 0.9))


# --- the contract ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_contract(name: str) -> None:
    """Every kind: a title, parameters declared once (the dataclass fields, in order), built
    with its defaults where no parameter is required, params round-trip, ``replace`` leaves the
    original alone, and at least one example that gives its status with a rule in both
    languages."""
    cls = REGISTRY[name]
    assert cls.title_zh and cls.title_en and cls.__doc__
    assert [p.name for p in cls.PARAMS] == [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    assert cls.EXAMPLES, f"{name} has no example"
    for ex in cls.EXAMPLES:
        kind = cls.build(ex.params, "ex")
        again = cls.build({k: v for k, v in kind.get_params().items() if v is not None})
        assert again == kind
        first = cls.PARAMS[0]
        if first.type == "number":
            other = kind.replace(**{first.name: 123.0})
            assert getattr(other, first.name) == 123.0
            assert kind == cls.build(ex.params)
        v = kind.evaluate(Context("T", ex.series, ex.base_year, ex.deadline, 0.9))
        assert v.status == ex.status, (name, ex, v)
        assert v.status in STATUSES and v.rule_zh and v.rule_en


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_kind_has_a_docs_section(name: str) -> None:
    assert re.search(rf"^### `{name}`", DOCS.read_text(encoding="utf-8"), re.M), name


def test_unknown_kind_and_parameter_are_refused() -> None:
    with pytest.raises(TargetError, match="zero_break"):
        kind_class("zero-break", "items[3]")
    with pytest.raises(TargetError) as info:
        make_kind("rank", {"peer_group": "山区26县", "improve": 2}, "items[3]")
    assert "improve" in info.value.zh and info.value.where == "items[3]"
    with pytest.raises(TargetError) as info:
        make_kind("rank", {}, "items[3]")
    assert info.value.where == "items[3].peer_group"
    with pytest.raises(TargetError):
        make_kind("level", {"target": "四十"})


def test_old_names_still_read() -> None:
    assert kind_class("reach") is REGISTRY["level"] and kind_class("growth") is REGISTRY["cagr"]


def test_base_is_not_a_registered_kind() -> None:
    assert all(issubclass(c, TargetKind) and c is not TargetKind for c in REGISTRY.values())


# --- level -----------------------------------------------------------------------------------------


def test_level_at_most_and_about() -> None:
    """C-class counties ≤ 4 by 2025: 10 (2020) → 7 (2023) is −1/yr, 7 − 2 = 5 in 2025 > 4, and
    5 · 0.9 = 4.5 > 4: off track. B “8 个左右”: 10 → 9 narrows the gap: on track; 7 in 2025 is
    within ±1: met; 6 is not: missed."""
    at_most = {"target": 4, "direction": "at_most"}
    assert judge("level", at_most, {"T": {2020: 10, 2023: 7}}, 2020, 2025).status == "off_track"
    about = {"target": 8, "direction": "about", "tolerance": 1}
    assert judge("level", about, {"T": {2020: 10, 2023: 10.5, 2024: 9.5}}, 2020, 2025).status == (
        "on_track"
    )
    assert judge("level", about, {"T": {2025: 7}}, 2020, 2025).status == "met"
    assert judge("level", about, {"T": {2025: 6}}, 2020, 2025).status == "missed"
    with pytest.raises(TargetError):
        make_kind("level", {"target": 4, "target_ref": "city"})


# --- 破零 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obs", "status"),
    [
        ({2024: 1}, "met"),  # exactly at 1: broken
        ({2024: 0.99}, "on_track"),  # not a whole one: not broken, 3 years left
        ({2023: 0, 2025: 0}, "on_track"),  # 2 years left
        ({2026: 0}, "at_risk"),  # the last year
        ({2027: 0}, "missed"),
        ({2028: 3}, "met"),
        ({}, "no_data"),
    ],
)
def test_zero_break(obs: dict[int, float], status: str) -> None:
    v = judge("zero_break", {}, {"T": obs} if obs else {})
    assert v.status == status
    if status == "met":
        assert "破零" in v.rule_zh and "broken" in v.rule_en.lower()


# --- 翻一番 ----------------------------------------------------------------------------------------


def test_double_from_a_zero_base_is_refused() -> None:
    """Observed base 0 → invalid, with a message saying why in both languages; a base given as
    0 in the plan is refused when the plan is read."""
    v = judge("double", {}, {"T": {2022: 0.0, 2024: 0.4}})
    assert v.status == "invalid" and "基数为零" in v.rule_zh and "zero" in v.rule_en
    with pytest.raises(TargetError) as info:
        make_kind("double", {"base": 0}, "items[19]")
    assert "翻一番" in info.value.zh and "cannot be doubled" in info.value.en
    with pytest.raises(TargetError):
        doubling_target(-1.0)


def test_double_hand_computed() -> None:
    """R&D/GDP 1.6 % (2022) doubled = 3.2 %; 1.6 → 1.9 (2024) is +8.97 %/yr, 2027 projection
    1.9 · 1.0897³ ≈ 2.46 < 2.88 (90 %): off track. Given base 1.0 and 2.1 in 2025: met."""
    v = judge("double", {}, {"T": {2022: 1.6, 2024: 1.9}})
    assert v.target_value == pytest.approx(3.2) and v.status == "off_track"
    assert v.projected == pytest.approx(1.9 * (1.9 / 1.6) ** 1.5)
    assert judge("double", {"base": 1.0}, {"T": {2025: 2.1}}).status == "met"


# --- 全覆盖 ----------------------------------------------------------------------------------------

TOWNS = ["鹤溪街道", "红星街道", "沙湾镇"]


def test_coverage_unit_added_mid_year() -> None:
    """Every town has a 科技特派员. 东坑镇 created 2025-09-01 (4 months left < 6): not in the
    2025 set, so 3/3 is full coverage in 2025; in 2026 it counts, uncovered: 3/4, not met.
    Created 2025-03-01 (10 months left): counted in 2025 already: 3/4."""
    late = {"units": TOWNS, "added": {"东坑镇": "2025-09-01"}}
    y2025 = {f"T@{u}": {2025: 1.0} for u in TOWNS}
    v = judge("coverage", late, y2025)
    assert v.status == "met" and v.latest == 1.0 and "东坑镇" in v.rule_zh
    y2026 = {f"T@{u}": {2025: 1.0, 2026: 1.0} for u in TOWNS} | {"T@东坑镇": {2026: 0.0}}
    v = judge("coverage", late, y2026)
    assert v.latest == pytest.approx(0.75) and v.status != "met" and "未覆盖：东坑镇" in v.rule_zh
    early = {"units": TOWNS, "added": {"东坑镇": "2025-03-01"}}
    v = judge("coverage", early, y2025)
    assert v.latest == pytest.approx(0.75) and v.status == "on_track"  # first year is the path


def test_coverage_path_and_missing_units() -> None:
    """2/4 in 2023, 2/4 in 2025: the path from 50 % (2023) to 100 % (2027) is 75 % in 2025;
    50 % < 0.9 · 75 %: off track. A unit declared but never reported counts as uncovered."""
    units = {"units": ["甲", "乙", "丙", "丁"]}
    series = {"T@甲": {2023: 1, 2025: 1}, "T@乙": {2023: 1, 2025: 1}, "T@丙": {2023: 0, 2025: 0}}
    v = judge("coverage", units, series)
    assert v.latest == 0.5 and v.status == "off_track" and "丁" in v.rule_zh
    with pytest.raises(TargetError):
        make_kind("coverage", {"added": {"东坑镇": "九月"}}, "x")


# --- growth ----------------------------------------------------------------------------------------


def test_cagr_and_yoy() -> None:
    """CAGR 15 % from 5000 (2022): 2027 level 5000 · 1.15⁵ = 10 056.79. YoY 10 %: 100 → 109
    (2024) is 9 % ≥ 0.9 · 10 %: at risk; → 108 is 8 %: off track; in the deadline year met or
    missed."""
    v = judge("cagr", {"target": 15}, {"T": {2022: 5000, 2024: 7000}})
    assert v.target_value == pytest.approx(5000 * 1.15**5)
    assert judge("yoy", {"target": 10}, {"T": {2023: 100, 2024: 109}}).status == "at_risk"
    assert judge("yoy", {"target": 10}, {"T": {2023: 100, 2024: 108}}).status == "off_track"
    assert judge("yoy", {"target": 10}, {"T": {2026: 100, 2027: 110}}).status == "met"
    assert judge("yoy", {"target": 10}, {"T": {2024: 100, 2026: 130}}).status == "no_data"


# --- rank ------------------------------------------------------------------------------------------


def test_peer_rank_ties_share_the_best_place() -> None:
    scores = {"a": 90.0, "b": 80.0, "c": 80.0, "d": 70.0}
    assert [peer_rank(scores, u) for u in "abcd"] == [1, 2, 2, 4]
    assert [peer_rank(scores, u, higher_is_better=False) for u in "abcd"] == [4, 2, 2, 1]


def test_rank_with_ties() -> None:
    """Base place 5; tied for 4th in 2024 (shared best place 4) is one place up: met. Tied for
    5th is level: at risk; 6th: off track; goal 3 (improve_by 2), 4th: on track."""
    group = {"peer_group": "山区26县"}
    scores_2024 = {"景宁": 70.0, "x": 70.0, "y": 80.0, "z": 85.0, "w": 90.0}
    place = peer_rank(scores_2024, "景宁")
    assert place == 4
    assert judge("rank", group, {"T": {2022: 5, 2024: place}}).status == "met"
    assert judge("rank", group, {"T": {2022: 5, 2024: 5}}).status == "at_risk"
    assert judge("rank", group, {"T": {2022: 5, 2024: 6}}).status == "off_track"
    two = group | {"improve_by": 2}
    assert judge("rank", two, {"T": {2022: 5, 2024: 4}}).status == "on_track"
    assert judge("rank", two, {"T": {2022: 5, 2027: 4}}).status == "missed"
    assert judge("rank", group | {"target_rank": 1}, {"T": {2022: 1}}).status == "met"


# --- class or score --------------------------------------------------------------------------------


def test_class_score() -> None:
    """Class B (≥ 60): 55 → 58 projects 58·(58/55)^1.5 ≈ 62.8 in 2027: on track; score 90: no
    way from 60 → 61 (≈ 62.5 < 81): off track; rise: level with the base is not a rise."""
    assert judge("class_score", {"min_class": "B"}, {"T": {2022: 55, 2024: 58}}).status == (
        "on_track"
    )
    assert judge("class_score", {"min_score": 90}, {"T": {2022: 60, 2024: 61}}).status == (
        "off_track"
    )
    assert judge("class_score", {"rise": True}, {"T": {2022: 70, 2024: 70}}).status == "at_risk"
    assert judge("class_score", {"rise": True}, {"T": {2022: 70, 2027: 69}}).status == "missed"
    with pytest.raises(TargetError):
        make_kind("class_score", {"min_class": "A", "rise": True})
    with pytest.raises(TargetError):
        make_kind("class_score", {"min_class": "S"})


# --- milestones ------------------------------------------------------------------------------------


def test_milestones_interpolated_and_given() -> None:
    """0 (2022) → 40 (2027) interpolated: 16 in 2024; 15 ≥ 14.4 (90 %): at risk; 12: off track.
    Given 2024: 20, 2025: 24: 2024 with 20 on track; 2025 with 21.5 < 21.6: off track."""
    assert interpolate({2022: 0.0, 2027: 40.0}, 2024) == pytest.approx(16)
    base = {"target": 40, "base": 0}
    assert judge("milestones", base, {"T": {2024: 15}}).status == "at_risk"
    assert judge("milestones", base, {"T": {2024: 12}}).status == "off_track"
    given = {"target": 40, "milestones": {2024: 20, 2025: 24}}
    assert judge("milestones", given, {"T": {2024: 20}}).status == "on_track"
    assert judge("milestones", given, {"T": {2025: 21.5}}).status == "off_track"
    assert judge("milestones", given, {"T": {2027: 41}}).status == "met"
    with pytest.raises(TargetError):
        make_kind("milestones", {"target": 40, "milestones": {"明年": 3}})
