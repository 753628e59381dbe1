"""Charts: every glyph drawn is covered by the font that draws it (no empty boxes on a machine
without CJK fonts), the class colours, and the pictures themselves."""

from __future__ import annotations

import warnings

import pytest
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from cimon.engine.run import Run
from cimon.reports.annual import charts
from cimon.reports.annual.content import AnnualContent, build_content
from cimon.reports.annual.fonts import chart_rc, cmap, font_files

from .conftest import png_size


def uncovered(fig: Figure) -> dict[str, set[str]]:
    """Draw the figure; for every visible text, the characters that no font of its fallback chain
    covers, and the CJK characters not drawn with the bundled font. Also fails on matplotlib's own
    "Glyph … missing from font" warnings."""
    bundled = {str(p) for p in font_files().values()}
    out: dict[str, set[str]] = {}
    with rc_context(chart_rc()), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FigureCanvasAgg(fig).draw()
    missing_warnings = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing_warnings, missing_warnings
    with rc_context(chart_rc()):
        for t in fig.findobj(Text):
            text = t.get_text()
            if not t.get_visible() or not text.strip():
                continue
            chain = font_manager.fontManager._find_fonts_by_props(t.get_fontproperties())
            maps = [frozenset(font_manager.get_font(str(p)).get_charmap()) for p in chain]
            bad = {ch for ch in text if not ch.isspace() and not any(ord(ch) in m for m in maps)}
            cjk = {ch for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"}
            first_cover = {
                ch: next((str(p) for p, m in zip(chain, maps, strict=True) if ord(ch) in m), "")
                for ch in cjk
            }
            bad |= {ch for ch, path in first_cover.items() if path not in bundled}
            if bad:
                out[text] = bad
    return out


def all_figures(c: AnnualContent, lang: str) -> list[Figure]:
    firsts = {p.result.city: p for p in reversed(c.profiles)}  # one county per city
    figs = [
        charts.ranking_figure(c, lang),
        charts.history_figure(c, lang),
        charts.map_figure(c, lang),
    ]
    # every county figure has the same texts but the county's name: one per city in Chinese,
    # one in English
    chosen = list(firsts.values()) if lang == "zh" else list(firsts.values())[:1]
    figs += [charts.county_figure(c, p, lang) for p in chosen]
    return figs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_glyph_is_covered(content: AnnualContent, lang: str) -> None:
    for fig in all_figures(content, lang):
        assert uncovered(fig) == {}


def test_first_year_radar_glyphs(runs: dict[int, Run]) -> None:
    c = build_content({2020: runs[2020]}, 2020)
    p = c.profiles[0]
    assert charts.waterfall_figure(c, p) is None
    assert uncovered(charts.county_figure(c, p)) == {}


def test_the_checker_catches_a_missing_glyph() -> None:
    """The check can fail: a character that no bundled font has is reported."""
    rare = "\U0001f9ec"  # 🧬, in no font cimon ships
    assert ord(rare) not in cmap("sans")
    with rc_context(chart_rc()):
        fig = Figure()
        fig.text(0.5, 0.5, f"兴庆区 {rare}")
    with pytest.raises(AssertionError, match="missing from font"):
        uncovered(fig)


def test_class_colours_and_pictures(content: AnnualContent) -> None:
    assert charts.class_colour("A", ("A", "B", "C")) != charts.class_colour("C", ("A", "B", "C"))
    labels = ("一类", "二类", "三类")
    assert len({charts.class_colour(k, labels) for k in labels}) == 3
    fig = charts.ranking_figure(content)
    bars = fig.axes[0].patches
    by_class = {charts.CLASS_COLOURS[k.klass] for k in content.counties}
    from matplotlib.colors import to_hex

    assert {to_hex(b.get_facecolor()) for b in bars} == by_class
    assert len(bars) == len(content.counties)
    w, h = png_size(charts.png(fig))
    assert h > w > 500
    grid = charts.map_figure(content)
    squares = [p for p in grid.axes[0].patches if p.get_width() < 1]
    assert len(squares) == len(content.counties)
