"""The annual report cites the case library (#19): a 典型经验 chapter only when there are
published cases of the year; without them the blocks are exactly those of before."""

from __future__ import annotations

import dataclasses

from cimon.reports.annual.compose import compose
from cimon.reports.annual.content import AnnualContent, CitedCase


def test_cases_chapter_only_with_cases(content: AnnualContent, fast_charts: None) -> None:
    bare = compose(content, "zh")
    assert not any(getattr(b, "anchor", "") == "cases" for b in bare.blocks)
    cited = dataclasses.replace(
        content,
        cases=(CitedCase("以科技特派员带动产业", "西吉县", "产业发展", "第一段\n\n第二段"),),
    )
    doc = compose(cited, "zh")
    heads = [h.text for h in doc.headings()]
    assert "五、典型经验" in heads and "（一）以科技特派员带动产业" in heads
    texts = [getattr(b, "text", None) for b in doc.blocks]
    assert "西吉县 · 产业发展" in texts and "第一段" in texts and "第二段" in texts
    # the chapter sits between the county profiles and the appendix; nothing else moves
    extra = len(doc.blocks) - len(bare.blocks)
    assert extra == 6  # page break, chapter, section, the line naming the county, two paragraphs
    en = compose(cited, "en")
    assert "5 Good practice" in [h.text for h in en.headings()]
