"""What the PDF's source HTML does for print (issue #13 item 9): Chinese lines that cannot be
pulled apart, column heads that never break inside a word, short tables kept on one page, the
tile map drawn at the size it prints, the cover's issue date and document number, 附表2 in
Chinese and the money in 万元."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from lxml import html as lxml_html
from matplotlib.text import Text

from cimon.errors import CimonError
from cimon.reports.annual import charts
from cimon.reports.annual.compose import compose
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Para, Table, check_doc_number, stamp
from cimon.reports.annual.fonts import css_family, stand_in
from cimon.reports.annual.html import render_html


def small_doc() -> Document:
    doc = Document("zh", "报告", "（2025年度）", "办公室", "2025年度评价", "", "目录")
    doc.add(
        Para("在 10000 次模拟中保持 B 类，规则 nx-2021 2021.1。"),
        Table("t", "表1", ("县（市、区）", "跃升激励（万元）"), (("永宁县", "100"),)),
    )
    return doc


def test_pdf_source_keeps_chinese_spaces_fixed() -> None:
    doc = small_doc()
    pdf = lxml_html.fromstring(render_html(doc, for_pdf=True))
    text = pdf.xpath("string(//main/p)")
    # no stretchable space left in a Chinese paragraph: the engine cannot pull it apart
    assert " " not in text and "\u00a0" not in text
    assert text == "在\u200510000\u2005次模拟中保持\u2005B\u2005类，规则\u2005nx-2021\u20052021.1。"
    # the browser's HTML keeps the text as written (a browser justifies Chinese itself)
    screen = lxml_html.fromstring(render_html(doc))
    assert screen.xpath("string(//main/p)") == doc.blocks[0].text  # type: ignore[union-attr]


def test_column_heads_break_only_between_name_and_unit() -> None:
    page = render_html(small_doc(), for_pdf=True)
    assert '<th><span class="nw">县（市、区）</span></th>' in page
    assert '<span class="nw">跃升激励</span><wbr><span class="nw">（万元）</span>' in page
    assert re.search(r'<table data-key="t" class="keep">', page)  # one row: kept on one page
    assert ".nw { white-space: nowrap; }" in page
    assert "table.keep { break-inside: avoid; }" in page


def test_fonts_by_role_follow_the_word_version() -> None:
    assert stand_in("heading1") == "Noto Sans SC"  # 黑体
    for role in ("title", "heading2", "heading3", "body", "table"):  # 小标宋 楷体 仿宋 宋体
        assert stand_in(role) == "Noto Serif SC"
    css = render_html(small_doc(), for_pdf=True)
    assert f".cover .title {{ font-family: {css_family('title')}; font-weight: bold; }}" in css
    assert f"h1, caption, figcaption {{ font-family: {css_family('heading1')}; }}" in css
    assert css_family("body").startswith('"cimon serif", "Noto Serif SC", "仿宋_GB2312"')


def test_issue_date_and_number_on_the_cover() -> None:
    doc = stamp(small_doc(), date(2026, 12, 7), " 宁科发〔2026〕12号 ")
    assert (doc.doc_number, doc.issue_date) == ("宁科发〔2026〕12号", "2026年12月7日")
    page = lxml_html.fromstring(render_html(doc, for_pdf=True))
    cover = [d.text_content() for d in page.xpath("//section[@class='cover']/div")]
    assert cover.index("宁科发〔2026〕12号") < cover.index("报告") < cover.index("2026年12月7日")
    en = stamp(Document("en", "R", "", "", "", "", ""), date(2026, 12, 7), "")
    assert (en.doc_number, en.issue_date) == ("", "7 December 2026")
    for bad in ("宁科发\n12号", "x" * 41):
        with pytest.raises(CimonError, match="文号"):
            check_doc_number(bad)


def test_tile_map_text_prints_at_seven_points_or_more(content: AnnualContent) -> None:
    for lang in ("zh", "en"):
        fig = charts.map_figure(content, lang)
        width = charts.natural_width_cm(fig)
        assert width <= 15.0
        scale = width / (fig.get_figwidth() * 2.54)
        sizes = [t.get_fontsize() * scale for t in fig.findobj(Text) if t.get_text()]
        assert len(sizes) > 22 and min(sizes) >= 7.0, min(sizes)


def test_appendix_methods_in_chinese_and_money_in_wan(
    content: AnnualContent, fast_charts: None
) -> None:
    doc = compose(content, "zh")
    tables = {t.key: t for t in doc.tables()}
    method = tables["method"]
    assert all(not re.search(r"[A-Za-z]{4,}", r[2] + r[3]) for r in method.rows), method.rows[:3]
    assert method.rows[0][2] == "目标值达成度（固定基准，跨年可比）"
    assert method.rows[0][3].startswith("下限 0，目标值 ")
    money = tables["incentives"]
    assert "万元" in money.caption and not any("（元）" in h for h in money.heads)
    total = sum(a.total for a in content.paid)
    assert Decimal(money.rows[-1][-1].replace(",", "")) * 10_000 == total
    en = {t.key: t for t in compose(content, "en").tables()}["method"]
    assert en.rows[0][2] == "target" and "floor=0" in en.rows[0][3]
