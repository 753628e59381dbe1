"""The 通用规范汉字表 ships with the package: 8,105 characters in three levels, as numbered by
Unihan's kTGH field (Unicode 15.0.0, UAX #38)."""

from __future__ import annotations

import unicodedata

from cimon.model.charsets import LEVELS, tongyong_guifan


def test_table_has_8105_distinct_han_characters_in_three_levels() -> None:
    chars = tongyong_guifan()
    assert len(chars) == 8105 == sum(LEVELS.values())
    assert len(set(chars)) == 8105
    assert all(unicodedata.name(ch).startswith("CJK ") for ch in chars)
    for level, n in LEVELS.items():
        assert len(tongyong_guifan(level)) == n
    # the table's first characters (一 乙 二 十 丁 …) and names the issue cites
    assert chars.startswith("一乙二十丁")
    assert set("刘鑫婷") <= set(chars)
    assert "堃" in tongyong_guifan(3) and "喆" in tongyong_guifan(3)  # level 3: names
    assert "丢" not in tongyong_guifan(3)
