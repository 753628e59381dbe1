"""Derive the 通用规范汉字表 (Table of General Standard Chinese Characters, State Council of the
PRC, 2013; 8,105 characters) from the Unicode Character Database and write it as package data.

Source: the ``kTGH`` field of Unihan (``Unihan_OtherMappings.txt``), which gives, for each of the
8,105 characters, its number in the 2013 table (``2013:1234``; 1–3500 level 1, 3501–6500 level 2,
6501–8105 level 3). See Unicode Standard Annex #38, "Unicode Han Database (Unihan)", field
kTGH. The Unihan files come from Debian's ``unicode-data`` package (Unicode 15.0.0)::

    apt-get install unicode-data
    .venv/bin/python scripts/build_charset.py

Writes ``src/cimon/data/charsets/tongyong_guifan_hanzi.tsv`` (number, level, code point, character).
"""

from __future__ import annotations

import bz2
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
OUT = ROOT / "src" / "cimon" / "data" / "charsets" / "tongyong_guifan_hanzi.tsv"
LINE = re.compile(r"^U\+([0-9A-F]{4,6})\tkTGH\t2013:(\d+)$")


def level(number: int) -> int:
    return 1 if number <= 3500 else 2 if number <= 6500 else 3


def main() -> int:
    text = bz2.decompress(SOURCE.read_bytes()).decode("utf-8")
    version = next(line for line in text.splitlines() if line.startswith("# Unicode version"))
    rows: list[tuple[int, int]] = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            rows.append((int(m.group(2)), int(m.group(1), 16)))
    rows.sort()
    if [n for n, _ in rows] != list(range(1, 8106)):
        print("kTGH does not number 1..8105 exactly once", file=sys.stderr)
        return 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# 通用规范汉字表 (国务院, 2013): 8,105 characters; level 1 = 1-3500, 2 = 3501-6500, "
        "3 = 6501-8105.",
        f"# Derived from Unihan field kTGH (UAX #38), Unihan_OtherMappings.txt, {version[2:]}, "
        "by scripts/build_charset.py.",
        "# Unicode data: Copyright Unicode, Inc.; Unicode License (https://www.unicode.org/license.txt).",
        "number\tlevel\tcodepoint\tcharacter",
    ]
    lines += [f"{n}\t{level(n)}\tU+{cp:04X}\t{chr(cp)}" for n, cp in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
