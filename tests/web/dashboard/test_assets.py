"""The dashboard's vendored assets: ECharts with its licence, the web font with its licence,
covering every character the platform shows (templates, messages, the framework's indicator
names, region and city names), named by the stylesheet and by every chart."""

from __future__ import annotations

import re
from pathlib import Path

from cimon.model.framework import load_framework
from cimon.model.regions import default_registry

WEB = Path(__file__).resolve().parents[3] / "src" / "cimon" / "web"
STATIC = WEB / "static" / "cimon"
FONT = STATIC / "vendor" / "noto-sans-sc" / "NotoSansSC-cimon.woff2"


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
    assert FONT.stat().st_size < 1_500_000


def test_stylesheet_and_charts_name_the_font() -> None:
    from cimon.web.dashboard.content import FONT as CHART_FONT

    css = (STATIC / "cimon.css").read_text(encoding="utf-8")
    assert '@font-face { font-family: "cimon sans"' in css
    assert "vendor/noto-sans-sc/NotoSansSC-cimon.woff2" in css
    assert re.search(r'body \{[^}]*font-family: "cimon sans"', css)
    assert CHART_FONT.startswith('"cimon sans"')
