"""The dashboard's vendored assets: ECharts with its licence, the web font with its licence —
a core face covering every character the platform shows (templates, messages, the framework's
indicator names, region and city names) and unicode-range slices that, with the core, cover the
whole 通用规范汉字表 — named by the stylesheet and by every chart."""

from __future__ import annotations

import re
from pathlib import Path

from cimon.model.framework import load_framework
from cimon.model.regions import default_registry

WEB = Path(__file__).resolve().parents[3] / "src" / "cimon" / "web"
STATIC = WEB / "static" / "cimon"
FONT = STATIC / "vendor" / "noto-sans-sc" / "NotoSansSC-cimon.woff2"
FACES = FONT.parent / "noto-sans-sc.css"


def test_echarts_is_vendored_with_its_licence() -> None:
    js = (STATIC / "vendor" / "echarts" / "echarts.min.js").read_text(encoding="utf-8")
    assert len(js) > 500_000 and "echarts" in js[:2000].lower()
    assert "Apache License" in (STATIC / "vendor" / "echarts" / "LICENSE").read_text()
    # the library makes no request of its own: no absolute URL it would load from
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", js)


def test_font_covers_what_the_platform_shows() -> None:
    from fontTools.ttLib import TTFont

    assert "SIL OPEN FONT LICENSE" in (FONT.parent / "OFL.txt").read_text()
    cmap = set(TTFont(str(FONT)).getBestCmap())
    text: list[str] = []
    for path in WEB.rglob("*"):
        if path.suffix in (".html", ".py") and "static" not in path.parts:
            text.append(path.read_text(encoding="utf-8"))
    fw = load_framework("nx-2021")
    text += [i.name_zh for i in fw.indicators] + [p.name_zh for p in fw.pillars]
    reg = default_registry()
    text += [reg[c].name + reg[c].city + reg[c].province for c in reg.codes]
    missing = {ch for ch in "".join(text) if ord(ch) > 0x7F and not ch.isspace()} - {
        chr(c) for c in cmap
    }
    assert not missing, f"not in the web font (run scripts/build_webfont.py): {sorted(missing)}"
    assert FONT.stat().st_size < 1_000_000


def _faces() -> list[tuple[str, set[int] | None]]:
    """(file, unicode-range code points or None for the core) of every @font-face."""
    out: list[tuple[str, set[int] | None]] = []
    for rule in re.findall(r"@font-face \{(.*?)\}", FACES.read_text(encoding="utf-8"), re.S):
        assert 'font-family: "cimon sans"' in rule
        src = re.search(r'src: url\("([^"]+)"\) format\("woff2"\)', rule)
        assert src, rule
        rng = re.search(r"unicode-range: ([^;]+);", rule)
        codes: set[int] | None = None
        if rng:
            codes = set()
            for part in rng.group(1).split(","):
                lo, _, hi = part.strip().removeprefix("U+").partition("-")
                codes |= set(range(int(lo, 16), int(hi or lo, 16) + 1))
        out.append((src.group(1), codes))
    return out


def test_slices_cover_the_whole_tongyong_guifan_table() -> None:
    """Every one of the 8,105 characters is in the cmap of the face whose unicode-range claims
    it (or of the core when no slice claims it), so the browser downloads the right file and
    finds the glyph there; each slice has every character its range claims."""
    from fontTools.ttLib import TTFont

    from cimon.model.charsets import tongyong_guifan

    faces = _faces()
    assert faces[0] == ("NotoSansSC-cimon.woff2", None)  # the core first, with no range
    assert len(faces) > 10
    core = set(TTFont(str(FONT)).getBestCmap())
    claimed: dict[int, set[int]] = {}
    total = FONT.stat().st_size
    for name, codes in faces[1:]:
        path = FACES.parent / name
        total += path.stat().st_size
        cmap = set(TTFont(str(path)).getBestCmap())
        assert codes and codes <= cmap, name  # the slice has every character it claims
        for c in codes:
            claimed[c] = codes
    missing = [ch for ch in tongyong_guifan() if ord(ch) not in claimed and ord(ch) not in core]
    assert not missing, f"not in the web font (run scripts/build_webfont.py): {missing[:50]}"
    assert all(ord(ch) in core for ch in tongyong_guifan(1))  # level 1: no download beyond the core
    # the whole font, every slice included, stays a sensible size for the repository
    assert total < 7_000_000


def test_stylesheet_and_charts_name_the_font() -> None:
    from cimon.web.dashboard.content import FONT as CHART_FONT

    css = (STATIC / "cimon.css").read_text(encoding="utf-8")
    base = (WEB / "templates" / "base.html").read_text(encoding="utf-8")
    # the faces' stylesheet is linked before the one that names the family
    assert base.index("cimon/vendor/noto-sans-sc/noto-sans-sc.css") < base.index("cimon/cimon.css")
    assert re.search(r'body \{[^}]*font-family: "cimon sans"', css)
    assert CHART_FONT.startswith('"cimon sans"')
