"""Number wording in the report: a probability is never rounded to certainty."""

from __future__ import annotations

import pytest

from cimon.reports.annual.words import percent


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (1.0, "100%"),
        (0.0, "0%"),
        (0.9984, "99.8%"),
        (0.99962, ">99.9%"),
        (0.00004, "<0.1%"),
        (0.776, "77.6%"),
    ],
)
def test_percent(p: float, text: str) -> None:
    assert percent(p) == text


def test_fmt_score_keeps_the_framework_decimals() -> None:
    from cimon.reports.annual.words import fmt_score

    assert fmt_score(84, 2) == "84.00" and fmt_score(84.0, 1) == "84.0"
    assert fmt_score("84.5", 2) == "84.50" and fmt_score(-1.2, 2) == "-1.20"
    assert fmt_score(None) == fmt_score(float("nan")) == fmt_score("") == "—"
    assert fmt_score("n/a") == "n/a"


def test_wan_is_exact() -> None:
    from cimon.reports.annual.words import wan

    assert wan(1_250_000) == "125" and wan(-250_000) == "-25" and wan(0) == "0"
    assert wan(12_345) == "1.2345" and wan(12_500_000) == "1,250" and wan(5_000) == "0.5"


def test_method_text_in_chinese() -> None:
    from cimon.reports.annual.words import method_text

    spec = {"method": "target", "floor": 0.0, "target": 2.5}
    assert method_text("normalise", spec, "zh") == (
        "目标值达成度（固定基准，跨年可比）",
        "下限 0，目标值 2.5",
    )
    assert method_text("normalise", spec, "en") == ("target", "floor=0, target=2.5")
    assert method_text("normalise", {"method": "gone", "x": None}, "zh") == ("gone", "x —")
