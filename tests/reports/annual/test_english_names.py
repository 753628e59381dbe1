"""English names of counties and cities in the English report: every county appears with its
registry's English name (Word, read back with python-docx), no Chinese county or city name is left
in its tables, headings or chart labels, the tile-grid squares show the short name and it fits the
square, the results workbook names counties in English; a registry without English names falls
back to the Chinese names. The Chinese report is unchanged (the snapshot and the number checks of
``test_report.py``)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle
from openpyxl import load_workbook

from cimon.engine.run import Run
from cimon.model.regions import default_registry
from cimon.reports.annual import charts
from cimon.reports.annual.compose import compose
from cimon.reports.annual.content import AnnualContent, build_content
from cimon.reports.annual.docx import write_docx
from cimon.reports.annual.fonts import chart_rc
from cimon.reports.annual.results_excel import write_results_workbook

from .conftest import YEAR
from .test_report import read_docx

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese_names(run: Run) -> set[str]:
    return {n for r in run.regions for n in (r.name, r.city)}


def test_english_docx_names_every_county_in_english(
    content: AnnualContent, runs: dict[int, Run], tmp_path: Path, fast_charts: None
) -> None:
    reg = default_registry()
    english = {c.code: reg[c.code].name_en for c in content.counties}
    heads, tables, paras = read_docx(write_docx(compose(content, "en"), tmp_path / "en.docx"))
    # table 1: every county once, with its English name and its city's
    ranking = {row[1]: row for row in tables["ranking"][1:]}
    assert set(ranking) == set(english)
    for code, row in ranking.items():
        assert row[2] == english[code] and row[3] == reg[code].city_en
    # chapter 4: one profile heading per county, in English; the city sections in English
    h3 = [text for style, text in heads if style.endswith("3")]
    assert sorted(t.split(" ", 1)[1] for t in h3) == sorted(english.values())
    city_en = {r.city: r.city_en for r in reg}
    h2 = [text for style, text in heads if style.endswith("2")]
    for k, s in enumerate(content.cities, start=1):
        assert f"2.{k} {city_en[s.city]}" in h2 and f"4.{k} {city_en[s.city]}" in h2
    # no Chinese county or city name left in any table, heading or paragraph
    names = chinese_names(runs[YEAR])
    for key, rows in tables.items():
        for row in rows:
            for cell in row:
                assert not any(n in cell for n in names), (key, cell)
    for _, text in heads:
        assert not CJK.search(text), text
    for text in paras:
        assert not any(n in text for n in names), text
    # the province too: title page and issuer
    everything = [text for _, text in heads] + list(paras)
    assert not any("宁夏" in text for text in everything)
    assert any("Innovation, Ningxia Hui Autonomous Region" in text for text in everything), (
        everything[:5]
    )
    assert (
        "Issued by: Leading Group Office for the Innovation-Driven Strategy, Ningxia Hui "
        "Autonomous Region" in everything
    )
    # the profile lead names the city in English
    xiji = content.county(reg.match("西吉县").code)
    lead = next(p for p in paras if p.startswith(f"{YEAR} score {xiji.score:.2f}"))
    assert f"rank {xiji.rank} in the province and {xiji.rank_city} in Guyuan." in lead


def test_english_charts_use_english_names(content: AnnualContent) -> None:
    ranking = charts.ranking_figure(content, "en")
    ticks = [t.get_text() for t in ranking.axes[0].get_yticklabels()]
    assert sorted(ticks) == sorted(c.name_en for c in content.counties)
    p = content.profiles[0]
    radar = charts.radar_figure(content, p, "en")
    legend = [t.get_text() for t in radar.axes[0].get_legend().get_texts()]
    assert p.result.name_en in legend
    # tile grid: short English names in the squares, English city names above the blocks
    fig = charts.map_figure(content, "en")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Qingtongxia" in texts and "Xiji" in texts and "Guyuan" in texts
    assert not any(CJK.search(t) for t in texts)
    assert not any(t.endswith((" County", " District", " City")) for t in texts)


def test_english_tile_labels_fit_their_squares(content: AnnualContent) -> None:
    """Every county's label is narrower than its square once drawn (long names such as
    Qingtongxia get a smaller font)."""
    fig = charts.map_figure(content, "en")
    ax = fig.axes[0]
    with rc_context(chart_rc()):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        squares = [p for p in ax.patches if isinstance(p, Rectangle)]
        side = squares[0].get_window_extent(renderer).width
        counties = {c.name_en.rsplit(" ", 1)[0] for c in content.counties}
        widths = {
            t.get_text(): t.get_window_extent(renderer).width
            for t in ax.texts
            if t.get_text() in counties
        }
    assert set(widths) == counties
    assert max(widths.values()) < side * 0.98, widths


def test_english_results_workbook(content: AnnualContent, tmp_path: Path) -> None:
    reg = default_registry()
    wb = load_workbook(write_results_workbook(content, tmp_path / "en.xlsx", "en"))
    ws = wb["Counties"]
    heads = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3, values_only=True):
        code = row[heads.index("Code")]
        assert row[heads.index("County")] == reg[code].name_en
        assert row[heads.index("City")] == reg[code].city_en
    city_en = {r.city: r.city_en for r in reg}
    cities = [r[0] for r in wb["Cities"].iter_rows(min_row=3, values_only=True)]
    assert cities == [city_en[s.city] for s in content.cities]
    names = {n for r in reg for n in (r.name, r.city)}
    for sheet in ("Cities", "Counties", "Pillars", "Incentives"):
        for row in wb[sheet].iter_rows(min_row=3, values_only=True):
            assert not any(isinstance(v, str) and v in names for v in row), (sheet, row)
    # the Chinese workbook keeps the Chinese names
    zh = load_workbook(write_results_workbook(content, tmp_path / "zh.xlsx", "zh"))
    first = next(zh["县（市、区）"].iter_rows(min_row=3, values_only=True))
    assert first[1] == reg[first[0]].name and first[2] == reg[first[0]].city


def test_registry_without_english_names_keeps_chinese(
    runs: dict[int, Run], fast_charts: None
) -> None:
    def bare(run: Run) -> Run:
        regions = tuple(dataclasses.replace(r, name_en="", city_en="") for r in run.regions)
        return dataclasses.replace(run, regions=regions)

    c = build_content({y: bare(runs[y]) for y in (YEAR - 1, YEAR)}, YEAR)
    doc = compose(c, "en")
    ranking = next(t for t in doc.tables() if t.key == "ranking")
    assert {row[2] for row in ranking.rows} == {r.name for r in runs[YEAR].regions}
    assert c.place("固原市", "en") == "固原市" and c.counties[0].label("en") == c.counties[0].name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_place_leaves_chinese_alone(content: AnnualContent, lang: str) -> None:
    expected = {"zh": ("西吉县", "固原市"), "en": ("Xiji County", "Guyuan")}[lang]
    assert (content.place("西吉县", lang), content.place("固原市", lang)) == expected
    assert content.place("全部", lang) == "全部"  # not a place: unchanged
