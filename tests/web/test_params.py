"""Query-string numbers (cimon.web.params)."""

from __future__ import annotations

import pytest

from cimon.web.params import int_param


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), (" 12 ", 12), ("999999", 999999), ("1000000", 7), ("", 7), (None, 7),
     ("-1", 7), ("2.5", 7), ("٣", 7), ("1e3", 7)],
)  # fmt: skip
def test_int_param_reads_a_bounded_decimal_else_the_default(
    text: str | None, expected: int
) -> None:
    assert int_param(text, 7) == expected
