"""Segmentation: the domain dictionary keeps county-industry terms whole; stop words go."""

from __future__ import annotations

import pytest

from cimon.matching import segment
from cimon.matching.segment import stopwords, tokenize, tokenize_uncached, user_terms


def test_domain_terms_stay_whole() -> None:
    toks = tokenize("盐池滩羊舍饲育肥与马铃薯脱毒种薯繁育")
    for term in ("滩羊", "脱毒种薯", "舍饲", "繁育"):
        assert term in toks, (term, toks)


def test_search_mode_adds_the_known_pieces_of_a_long_term() -> None:
    toks = tokenize("冷凉蔬菜真空预冷")
    assert {"冷凉蔬菜", "蔬菜", "真空预冷", "预冷"} <= set(toks)


def test_stop_words_punctuation_and_width_are_normalised() -> None:
    toks = tokenize("需要解决枸杞ＴＭＲ问题，提高效率！")
    assert "需要" not in toks and "解决" not in toks and "问题" not in toks
    assert "，" not in toks and "！" not in toks
    assert "tmr" in toks  # full-width letters become half-width, lower case
    assert tokenize("") == [] and tokenize(None) == []


def test_the_shipped_lists_are_read() -> None:
    assert "枸杞" in user_terms() and "光伏" in user_terms()
    assert "的" in stopwords()


def test_the_block_cache_gives_the_tokens_of_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """jieba segments block by block, so caching each block's tokens changes nothing; also when
    the cache is emptied while texts are segmented."""
    texts = [
        "盐池滩羊舍饲育肥与马铃薯脱毒种薯繁育",
        "采用物联网监测，实现枸杞病虫害绿色防控，成本降低20%，适合县域推广。",
        "需要解决枸杞ＴＭＲ问题，提高效率！ LED补光 3d打印 a-b_c.d#e",
        "冷凉蔬菜真空预冷\n供港菜心  采后2小时内预冷；ひらがな와한글 𠀀字",
        "光伏组件智能清洗机器人、荒漠光伏组件无水清洗、光伏组件智能清洗机器人",
        "",
    ]
    for text in texts * 2:
        assert tokenize(text) == tokenize_uncached(text), text
    monkeypatch.setattr(segment, "BLOCK_CACHE", 3)
    segment._blocks.clear()
    for text in texts * 2:
        assert tokenize(text) == tokenize_uncached(text), text
    assert len(segment._blocks) <= 3
