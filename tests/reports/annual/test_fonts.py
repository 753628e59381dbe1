"""Fonts: the bundled OFL fonts cover every county name, subsets for the HTML keep what the page
uses, and matplotlib knows the family."""

from __future__ import annotations

import io
from pathlib import Path

from fontTools.ttLib import TTFont
from matplotlib import font_manager

from cimon.model.regions import default_registry
from cimon.reports.annual.fonts import (
    SANS,
    WORD_FONTS,
    font_face_css,
    missing_glyphs,
    register_matplotlib,
    subset_font,
    write_fontconfig,
)


def test_bundled_fonts_cover_names_and_report_words() -> None:
    names = "".join(r.name + r.city + r.province for r in default_registry())
    words = "县域科技创新年度评估报告总体情况各设区市跃升与进位激励资金附录硚口区（）：；、—…％"
    assert missing_glyphs(names + words) == set()
    assert missing_glyphs(names, "serif") == set()
    assert missing_glyphs("\U0001f9ec") == {"\U0001f9ec"}


def test_subset_keeps_the_page_characters() -> None:
    font = TTFont(io.BytesIO(subset_font("sans", "兴庆区硚")))
    have = font.getBestCmap()
    assert all(ord(ch) in have for ch in "兴庆区硚A1,")
    assert ord("京") not in have
    css = font_face_css("兴庆区")
    assert css.count("@font-face") == 2 and "data:font/woff;base64," in css


def test_matplotlib_registration_and_word_names() -> None:
    assert register_matplotlib() == SANS
    assert SANS in {f.name for f in font_manager.fontManager.ttflist}
    assert WORD_FONTS["body"][0] == "仿宋_GB2312" and "仿宋" in WORD_FONTS["body"][1]


def test_fontconfig_for_libreoffice(tmp_path: Path) -> None:
    conf = write_fontconfig(tmp_path).read_text(encoding="utf-8")
    assert "<dir>" in conf and "pylopdf_fonts_zh_cn" in conf
    assert "<family>仿宋_GB2312</family><prefer><family>Noto Serif SC</family>" in conf
    assert "<family>黑体</family><prefer><family>Noto Sans SC</family>" in conf


def test_pdf_fonts_cover_the_whole_tongyong_guifan_table() -> None:
    """Every character of the 通用规范汉字表 (8,105) is in the cmap of both fonts the PDF embeds."""
    from cimon.model.charsets import tongyong_guifan

    chars = tongyong_guifan()
    assert missing_glyphs(chars, "sans") == set()
    assert missing_glyphs(chars, "serif") == set()
