"""Build the platform's web font: Noto Sans SC (SIL OFL 1.1, from the pip package
pylopdf-fonts-zh-cn) as WOFF2 files cut into ``unicode-range`` slices, so that every character of
the 通用规范汉字表 (8,105 characters, ``cimon.data/charsets``) — and every other Chinese character
the font has — renders, while a page downloads only the slices of the characters it shows.

* ``NotoSansSC-cimon.woff2`` — the core, loaded by every page: ASCII and Latin-1, CJK punctuation,
  every non-ASCII character of the sources under ``src/cimon`` (templates, messages, framework,
  indicator, region and city names), and level 1 of the 通用规范汉字表 (3,500 characters), so a
  typical page needs nothing else.
* ``slices/NotoSansSC-cimon-NNN.woff2`` — every other character of the font's coverage (levels 2
  and 3 of the table, the rest of CJK Unified Ideographs and Extension A, compatibility
  ideographs, …) by blocks of :data:`SLICE` code points (U+4E00–U+51FF, U+5200–U+55FF, …), each
  declared with its own ``unicode-range`` in ``noto-sans-sc.css``; the browser downloads a slice
  only when a page shows one of its characters. Slices are fixed code-point blocks, so a character
  that joins the core changes one slice only (the repository does not take 5 MB of new files).

Run it again when new text or regions are added::

    .venv/bin/python scripts/build_webfont.py

Writes the fonts, ``noto-sans-sc.css`` (the ``@font-face`` rules) and the font's OFL licence into
``src/cimon/web/static/cimon/vendor/noto-sans-sc``. Tests (tests/web/dashboard/test_assets.py,
tests/web/test_fonts.py) check that the core covers the platform's own text and that the slices
together cover the whole 通用规范汉字表.
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
PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】「」〔〕—…·％＋－／～①②③④⑤≥≤×÷±℃"
#: code points a slice spans (about 100 KB of WOFF2 for a block of CJK ideographs)
SLICE = 512
FAMILY = "cimon sans"


def source_chars() -> set[str]:
    chars: set[str] = set()
    for path in SRC.rglob("*"):
        if (
            path.is_file()
            and path.suffix in TEXT_SUFFIXES
            and "static" not in path.parts
            and "charsets" not in path.parts
        ):
            chars |= {c for c in path.read_text(encoding="utf-8", errors="ignore") if ord(c) > 0x7F}
    return chars


def tongyong(level: int | None = None) -> set[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from cimon.model.charsets import tongyong_guifan

    return set(tongyong_guifan(level))


def ranges(codes: list[int]) -> str:
    """``U+4E00-4E05, U+4E08`` for sorted code points."""
    out: list[str] = []
    start = prev = codes[0]
    for c in [*codes[1:], -1]:
        if c == prev + 1:
            prev = c
            continue
        out.append(f"U+{start:X}" if start == prev else f"U+{start:X}-{prev:X}")
        start = prev = c
    return ", ".join(out)


def write_subset(source: Path, codes: list[int], target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["kern", "liga", "vert", "vrt2", "halt", "palt"]
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the licence
    # no new timestamp: the same characters give the same file
    font = TTFont(str(source), lazy=True, recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=codes)
    sub.subset(font)
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))


def main() -> int:
    import pylopdf_fonts_zh_cn as pkg
    from fontTools.ttLib import TTFont

    source = Path(pkg.sans_path())
    have = set(TTFont(str(source), lazy=True).getBestCmap())
    core_chars = source_chars() | tongyong(1) | set(PUNCTUATION)
    core_chars |= {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    core = sorted(ord(c) for c in core_chars if ord(c) in have)
    rest = sorted(have - set(core) - set(range(0x100)))
    shutil.rmtree(OUT / "slices", ignore_errors=True)
    write_subset(source, core, OUT / "NotoSansSC-cimon.woff2")
    css = [
        "/* Noto Sans SC (SIL OFL 1.1) for cimon, written by scripts/build_webfont.py: do not edit.",
        "   The core face has no unicode-range: it is the fallback of every slice declared after it,",
        "   and a browser downloads a slice only for a page that shows one of its characters. */",
        f'@font-face {{ font-family: "{FAMILY}"; src: url("NotoSansSC-cimon.woff2") format("woff2");',
        "  font-weight: normal; font-style: normal; font-display: swap; }",
    ]
    total = (OUT / "NotoSansSC-cimon.woff2").stat().st_size
    blocks: dict[int, list[int]] = {}
    for c in rest:
        blocks.setdefault(c // SLICE, []).append(c)
    for block, codes in sorted(blocks.items()):
        # named by the block's first code point: the name of a slice never changes
        name = f"slices/NotoSansSC-cimon-{block * SLICE:05X}.woff2"
        write_subset(source, codes, OUT / name)
        total += (OUT / name).stat().st_size
        css.append(
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{name}") format("woff2");'
            f" font-weight: normal; font-style: normal; font-display: swap;\n"
            f"  unicode-range: {ranges(codes)}; }}"
        )
    (OUT / "noto-sans-sc.css").write_text("\n".join(css) + "\n", encoding="utf-8")
    licence = next(Path(pkg.__file__).parent.parent.glob("pylopdf_fonts_zh_cn-*.dist-info"))
    shutil.copy(licence / "licenses" / "LICENSE", OUT / "OFL.txt")
    print(
        f"{OUT.relative_to(ROOT)}: core {len(core)} characters, "
        f"{len(rest)} more in {len(blocks)} slices; {total:,} bytes in all"
    )
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
