"""Character sets the platform promises to render: the 通用规范汉字表.

The 通用规范汉字表 (Table of General Standard Chinese Characters, promulgated by the State Council
of the PRC in 2013) lists the 8,105 characters of standard modern Chinese: level 1 (numbers
1–3500) the common characters, level 2 (3501–6500) the next most used, level 3 (6501–8105)
characters of personal and place names, science and technology, and classical texts. Names of
people and places in the platform — 刘鑫婷, 彧, 堃, 喆 — come from all three levels.

The list ships as ``cimon/data/charsets/tongyong_guifan_hanzi.tsv``, derived by
``scripts/build_charset.py`` from the ``kTGH`` field of the Unicode Han Database (Unihan,
Unicode 15.0.0; Unicode Standard Annex #38), which gives every character's number in the 2013
table. Fonts and pages are tested against it (tests/model/test_charsets.py,
tests/web/test_fonts.py).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

#: how many characters each level of the table holds
LEVELS = {1: 3500, 2: 3000, 3: 1605}


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[int, int, str], ...]:
    text = (
        resources.files("cimon.data")
        .joinpath("charsets/tongyong_guifan_hanzi.tsv")
        .read_text(encoding="utf-8")
    )
    rows = []
    for line in text.splitlines():
        if line and line[0].isdigit():
            number, level, _code, char = line.split("\t")
            rows.append((int(number), int(level), char))
    return tuple(rows)


def tongyong_guifan(level: int | None = None) -> str:
    """The characters of the 通用规范汉字表 in the table's order (``level``: 1, 2 or 3; ``None``:
    all 8,105)."""
    return "".join(ch for _n, lv, ch in _table() if level is None or lv == level)
