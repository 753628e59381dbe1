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
