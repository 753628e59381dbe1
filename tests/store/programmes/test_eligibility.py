"""Eligibility rules (遴选条件) of programmes, on hand-made published rows."""

from __future__ import annotations

import pytest

from cimon.store.programmes.eligibility import RuleError, check_rules, read_programme_file

RULES = [
    {"rule": "published"},
    {"rule": "min_class", "class": "B", "order": ["A", "B", "C"]},
    {"rule": "min_score", "score": 60},
]


def test_every_rule_holds() -> None:
    d = check_rules(RULES, {"class": "B", "score_published": 60.0}, 2025)
    assert d.eligible and d.rule == "all"


def test_no_published_result_is_ineligible() -> None:
    d = check_rules(RULES, None, 2025)
    assert not d.eligible and d.rule == "published"
    assert "没有" in d.reason_zh


def test_class_below_the_minimum_names_the_rule() -> None:
    d = check_rules(RULES, {"class": "C", "score_published": 70.0}, 2025)
    assert (d.eligible, d.rule) == (False, "min_class")
    assert "C" in d.reason_zh and "B" in d.reason_zh


def test_score_just_below_the_minimum() -> None:
    d = check_rules(RULES, {"class": "A", "score_published": 59.99}, 2025)
    assert (d.eligible, d.rule) == (False, "min_score")


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(RuleError):
        check_rules([{"rule": "nope"}], {"class": "A"}, 2025)


def test_bundled_definitions_read() -> None:
    data, sha = read_programme_file("innovative-county")
    assert data["name_zh"] == "创新型县(市)" and len(sha) == 64
    assert read_programme_file("tech-village")[0]["level"] == "village"
    with pytest.raises(RuleError):
        read_programme_file("no-such-programme")


@pytest.mark.parametrize(
    ("code", "level"),
    [("innovative-county", "county"), ("innovative-town", "town"), ("tech-village", "village"),
     ("pilot-county", "county")],
)  # fmt: skip
def test_every_bundled_kind_of_programme(code: str, level: str) -> None:
    """创新型县(市)、创新型乡镇、科技示范村、试点县: each reads, with known rules and its level."""
    data, _ = read_programme_file(code)
    assert data["code"] == code and data["level"] == level and data["themes"]
