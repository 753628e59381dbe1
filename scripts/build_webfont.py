"""Build the dashboard's web font: Noto Sans SC (SIL OFL 1.1, from the pip package
pylopdf-fonts-zh-cn) cut down to the characters the platform shows, as WOFF2.

The characters are every non-ASCII character of the sources under ``src/cimon`` (templates,
messages, framework and indicator names, region and city names, targets), the 3,755 level-1
characters of GB 2312 (most names and notes users type), and common CJK punctuation. Run it
again when new text or regions are added::

    .venv/bin/python scripts/build_webfont.py

Writes ``src/cimon/web/static/cimon/vendor/noto-sans-sc/NotoSansSC-cimon.woff2`` and copies
the font's OFL licence beside it. A test (tests/web/dashboard) checks the font covers every
character of the templates, the framework and the region registry.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "cimon"
OUT = SRC / "web" / "static" / "cimon" / "vendor" / "noto-sans-sc"
TEXT_SUFFIXES = {".py", ".html", ".yaml", ".yml", ".csv", ".json", ".txt", ".tsv"}
PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】「」—…·％＋－／～①②③④⑤≥≤×÷±℃"


def source_chars() -> set[str]:
    chars: set[str] = set()
    for path in SRC.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "static" not in path.parts:
            chars |= {c for c in path.read_text(encoding="utf-8", errors="ignore") if ord(c) > 0x7F}
    return chars


def gb2312_level1() -> set[str]:
    out = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # the few unassigned codes
                out.add(bytes((hi, lo)).decode("gb2312"))
    return out


def main() -> int:
    import pylopdf_fonts_zh_cn as pkg
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = Path(pkg.sans_path())
    chars = source_chars() | gb2312_level1() | set(PUNCTUATION)
    chars |= {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["kern", "liga", "vert", "vrt2", "halt", "palt"]
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the licence
    # no new timestamp: the same characters give the same file
    font = TTFont(str(source), lazy=True, recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "NotoSansSC-cimon.woff2"
    font.flavor = "woff2"
    font.save(str(target))
    licence = next(Path(pkg.__file__).parent.parent.glob("pylopdf_fonts_zh_cn-*.dist-info"))
    shutil.copy(licence / "licenses" / "LICENSE", OUT / "OFL.txt")
    print(f"{target.relative_to(ROOT)}: {len(chars)} characters, {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
