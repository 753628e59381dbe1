"""The demo's 2022 report in Word and HTML: it re-opens with python-docx, its outline matches the
snapshot (headings and table shapes), every county appears, and every number in it equals the
Run's (or the analysis function's); the HTML is self-contained; fonts are named the Chinese way.

Update the snapshot after an intended change of the outline with
``CIMON_UPDATE_SNAPSHOTS=1 pytest tests/reports/annual/test_report.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from cimon.analysis.compare import compare_runs
from cimon.analysis.incentives import incentives_for_runs, total_owed
from cimon.analysis.peers import peer_summary
from cimon.analysis.rules import load_rules
from cimon.analysis.targets import load_province_targets, province_progress
from cimon.engine.run import Run
from cimon.reports.annual.compose import compose
from cimon.reports.annual.content import AnnualContent, build_content
from cimon.reports.annual.docx import write_docx
from cimon.reports.annual.html import render_html

from .conftest import YEAR

SNAPSHOT = Path(__file__).parent / "snapshots" / f"outline-{YEAR}-zh.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")
Rows = list[list[str]]


def read_docx(path: Path) -> tuple[list[tuple[str, str]], dict[str, Rows], list[str]]:
    """(headings as (style id, text), tables by key as rows of cell text, body paragraphs)."""
    d = docx.Document(str(path))
    heads: list[tuple[str, str]] = []
    tables: dict[str, Rows] = {}
    paras: list[str] = []
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            style = el.pPr.pStyle.val if el.pPr is not None and el.pPr.pStyle is not None else ""
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            if style.startswith("Heading"):
                heads.append((style, text))
            elif text:
                paras.append(text)
        elif el.tag == qn("w:tbl"):
            key = el.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
            rows = [
                ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))]
                for tr in el.iter(qn("w:tr"))
            ]
            tables[key] = rows
    return heads, tables, paras


@pytest.fixture(scope="module")
def read(files: dict[str, Path]) -> tuple[list[tuple[str, str]], dict[str, Rows], list[str]]:
    return read_docx(files["docx"])


def outline(heads: list[tuple[str, str]], tables: dict[str, Rows]) -> str:
    lines = [f"{style[-1]} {text}" for style, text in heads]
    lines += [
        f"table {key}: {len(rows) - 1}×{len(rows[0])} | {' | '.join(rows[0])}"
        for key, rows in tables.items()
    ]
    return "\n".join(lines) + "\n"


def test_outline_snapshot(read: tuple[list[tuple[str, str]], dict[str, Rows], list[str]]) -> None:
    heads, tables, _ = read
    got = outline(heads, tables)
    if os.environ.get("CIMON_UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(got, encoding="utf-8")
        if not os.environ.get("CIMON_UPDATE_SNAPSHOTS"):
            pytest.fail(f"snapshot {SNAPSHOT.name} was missing and has been written; rerun")
    assert got == SNAPSHOT.read_text(encoding="utf-8")


def test_the_cost_of_each_reading_is_in_the_report(
    read: tuple[list[tuple[str, str]], dict[str, Rows], list[str]], runs: dict[int, Run]
) -> None:
    """Must show (#13): 附录4 has the side-by-side cost of the readings of places gained, equal
    to the awards under each reading, and 3.2 says both totals."""
    from cimon.analysis.incentives import incentives_for_runs, total_owed
    from cimon.analysis.rules import load_rules, with_places

    heads, tables, paras = read
    assert ("Heading2", "附录4 进位计数口径与激励资金测算") in heads
    rows = tables["readings"][1:]
    window = {y: runs[y] for y in (YEAR - 1, YEAR)}
    want = []
    for reading, name in (("overtaken", "实际超越（现行规则）"), ("literal", "字面位次")):
        owed = incentives_for_runs(window, with_places(load_rules("nx-2021"), reading))[YEAR]
        paid = sum(1 for a in owed if a.total)
        want.append([str(YEAR), name, str(paid), total_owed(owed)])
    assert [[r[0], r[1], r[2], int(r[5].replace(",", "")) * 10_000] for r in rows] == want
    assert any("同类别内排名每提高1个位次的给予25万元额度激励资金支持" in p for p in paras)
    assert any("按“实际超越”口径 5 个县（市、区）、合计 250 万元" in p for p in paras)


def test_every_county_has_a_profile(
    read: tuple[list[tuple[str, str]], dict[str, Rows], list[str]], runs: dict[int, Run]
) -> None:
    heads, _, _ = read
    names = {text.split(". ", 1)[-1] for style, text in heads if style == "Heading3"}
    assert names == set(runs[YEAR].results["name"])
    chapters = [text for style, text in heads if style == "Heading1"]
    assert chapters == [
        "前言",
        "一、总体情况",
        "二、各设区市情况",
        "三、跃升与进位",
        "四、各县（市、区）情况",
        "附录",
    ]


def test_every_number_equals_the_runs(
    read: tuple[list[tuple[str, str]], dict[str, Rows], list[str]], runs: dict[int, Run]
) -> None:
    heads, tables, paras = read
    run, prev = runs[YEAR], runs[YEAR - 1]
    res, table = run.results, compare_runs(prev, run).table
    ranking = tables["ranking"][1:]
    assert len(ranking) == len(res)
    for (
        rank,
        code,
        name,
        city,
        score,
        klass,
        score_prev,
        change,
        class_prev,
        rank_change,
    ) in ranking:
        assert (name, city, klass) == (
            res.at[code, "name"],
            res.at[code, "city"],
            res.at[code, "class"],
        )
        assert float(score) == res.at[code, "score_published"] and int(rank) == res.at[code, "rank"]
        assert float(score_prev) == prev.results.at[code, "score_published"]
        assert class_prev == prev.results.at[code, "class"]
        assert (
            float(change) == table.at[code, "change"]
            and int(rank_change) == table.at[code, "rank_change"]
        )
    classes = {r[0]: (int(r[1]), int(r[2])) for r in tables["classes"][1:]}
    assert classes == {k: (prev.class_counts()[k], run.class_counts()[k]) for k in "ABC"}
    summary = peer_summary(run, "city").set_index("group")
    for row in tables["cities"][1:]:
        assert (
            int(row[1]) == summary.at[row[0], "n"] and float(row[2]) == summary.at[row[0], "mean"]
        )
        assert [int(x) for x in row[4:7]] == [summary.at[row[0], k] for k in "ABC"]
    owed = incentives_for_runs({y: runs[y] for y in (YEAR - 1, YEAR)}, load_rules())[YEAR]
    paid = {a.name: a for a in owed if a.total}
    body = tables["incentives"][1:]
    assert {r[0] for r in body[:-1]} == set(paid)

    def yuan_of(wan: str) -> int:
        """The table shows 万元, exactly: back to whole yuan."""
        from decimal import Decimal

        value = Decimal(wan.replace(",", "")) * 10_000
        assert value == int(value), wan
        return int(value)

    for r in body[:-1]:
        a = paid[r[0]]
        assert [yuan_of(x) for x in r[4:9]] == [
            a.jump,
            a.rank,
            a.bonus,
            a.reduction,
            a.total,
        ]
    assert yuan_of(body[-1][8]) == total_owed(owed)
    goal = load_province_targets("nx-2025")
    progress = province_progress(goal, {y: runs[y].class_counts() for y in (2020, 2021, 2022)})
    assert [(int(r[0]), r[1], int(r[2])) for r in tables["targets"][1:]] == [
        (p.year, p.label, p.actual) for p in progress
    ]
    pillars = run.data["pillars"]
    for code in res.index:
        rows = tables[f"pillars-{code}"][1:]
        assert [r[2] for r in rows] == [
            f"{pillars.at[code, p.code]:.2f}" for p in run.framework.pillars
        ]
    matrix = compare_runs(prev, run).matrix
    assert [[int(x) for x in r[1:]] for r in tables["matrix"][1:]] == matrix.to_numpy().tolist()
    assert tables["framework"][-1][4] == "100"
    summary_re = re.compile(
        r"^2022年度得分 ([\d.]+) 分，([ABC])类，全区排名第 (\d+) 位，(\S+?)内排名第 (\d+) 位。"
    )
    summaries = [m for m in map(summary_re.match, paras) if m]
    names = [text.split(". ", 1)[1] for style, text in heads if style == "Heading3"]
    assert len(summaries) == len(names) == len(res)
    by_name = res.reset_index().set_index("name")
    for name, m in zip(names, summaries, strict=True):
        row = by_name.loc[name]
        assert float(m[1]) == row["score_published"] and int(m[3]) == row["rank"]
        assert (m[2], m[4], int(m[5])) == (row["class"], row["city"], row["rank_city"])


def test_robustness_and_data_notes_in_the_profiles(
    read: tuple[list[tuple[str, str]], dict[str, Rows], list[str]],
) -> None:
    _, tables, paras = read
    robust = [p for p in paras if p.startswith("类别稳健性：")]
    assert len(robust) == 22 and all("200 次模拟" in p for p in robust)
    assert any("类别对方法假设较敏感" in p for p in robust) and any(
        "（类别稳定" in p for p in robust
    )
    notes = [p for p in paras if p.startswith("数据说明：")]
    assert len(notes) == 22
    assert any("缺失记0分" in p or "估算数据" in p or "报送时标为缺失" in p for p in notes)
    assert "incentives-robustness" in tables


def test_word_fonts_toc_and_page_numbers(files: dict[str, Path]) -> None:
    d = docx.Document(str(files["docx"]))
    styles = d.styles.element
    assert not [
        e
        for e in styles.iter(qn("w:rFonts"))
        if e.get(qn("w:asciiTheme")) or e.get(qn("w:eastAsiaTheme"))
    ]
    east = {
        s.name: s.element.rPr.rFonts.get(qn("w:eastAsia"))
        for s in d.styles
        if s.name in ("Normal", "Heading 1", "Heading 2", "CimonTitle")
    }
    assert east == {
        "Normal": "仿宋_GB2312",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
        "CimonTitle": "方正小标宋简体",
    }
    part = next(p for p in d.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    assert b'w:name="\xe4\xbb\xbf\xe5\xae\x8b_GB2312"' in part.blob and "仿宋".encode() in part.blob
    instr = " ".join(e.text for e in d.element.body.iter(qn("w:instrText")))
    assert "TOC" in instr
    footer = d.sections[0].footer._element
    assert "PAGE" in " ".join(e.text for e in footer.iter(qn("w:instrText")))
    assert d.sections[0].different_first_page_header_footer
    assert d.settings.element.find(qn("w:updateFields")) is not None
    assert len(d.inline_shapes) == 3 + 22


def test_html_is_self_contained_and_says_the_same(
    files: dict[str, Path], read: tuple[list[tuple[str, str]], dict[str, Rows], list[str]]
) -> None:
    text = files["html"].read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
    page = lxml_html.fromstring(text)
    assert all(src.startswith("data:image/png;base64,") for src in page.xpath("//img/@src"))
    assert len(page.xpath("//img")) == 3 + 22
    assert text.count("@font-face") == 2 and "data:font/woff;base64," in text
    assert len(text) < 3_000_000
    _, tables, _ = read
    for key, rows in tables.items():
        html_rows = [
            [c.text_content() for c in tr.xpath("./th|./td")]
            for tr in page.xpath(f'//table[@data-key="{key}"]//tr')
        ]
        assert html_rows == rows, key
    toc = page.xpath("//nav[@class='toc']//a/@href")
    assert all(page.xpath(f"//*[@id='{h[1:]}']") for h in toc) and len(toc) > 10


def test_english_version_and_no_robustness(
    content: AnnualContent, runs: dict[int, Run], tmp_path: Path, fast_charts: None
) -> None:
    zh = compose(content, "zh")
    en = compose(content, "en")
    assert [type(b).__name__ for b in en.blocks] == [type(b).__name__ for b in zh.blocks]
    assert [(t.key, len(t.rows), len(t.heads)) for t in en.tables()] == [
        (t.key, len(t.rows), len(t.heads)) for t in zh.tables()
    ]
    names = set(runs[YEAR].results["name"]) | set(runs[YEAR].results["city"])
    for h in en.headings():
        stripped = h.text
        for n in names:
            stripped = stripped.replace(n, "")
        assert not CJK.search(stripped), h.text
    assert en.headings()[1].text == "1 Overview"
    _heads, tables, paras = read_docx(write_docx(en, tmp_path / "en.docx"))
    assert tables["ranking"][0][:3] == ["Rank", "Code", "County"]
    assert any(p.startswith("Robustness of the class: in 200 simulations") for p in paras)
    assert '<html lang="en">' in render_html(en)
    bare = compose(build_content(runs, YEAR), "zh")
    texts = [b.text for b in bare.blocks if hasattr(b, "text") and isinstance(b.text, str)]
    assert sum(t == "类别稳健性：未开展稳健性分析。" for t in texts) == 22


def test_first_year_report_says_there_is_no_previous_result(
    runs: dict[int, Run], fast_charts: None
) -> None:
    doc = compose(build_content({2020: runs[2020]}, 2020), "zh")
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert "没有 2019 年度的评价结果，无法与上年比较。" in texts
    assert "没有 2019 年度的评价结果，本年度不计算跃升与进位。" in texts
    incentives = next(t for t in doc.tables() if t.key == "incentives")
    assert incentives.rows == (("合计", "", "", "", "0", "0", "0", "0", "0"),)
    assert sum(t.endswith("没有上年可比结果。") for t in texts) == 22


def test_html_fonts_cover_every_character(files: dict[str, Path]) -> None:
    """The fonts embedded in the HTML have a glyph for every character of the page."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    text = files["html"].read_text(encoding="utf-8")
    fonts = re.findall(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", text)
    assert len(fonts) == 2
    for data in fonts:
        have = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
        words = lxml_html.fromstring(text).xpath("//body")[0].text_content()
        missing = {ch for ch in words if not ch.isspace() and ord(ch) not in have}
        assert not missing, sorted(missing)[:20]
        assert ord("京") not in have or "京" in words  # a subset, not the whole font
