"""Compose the annual report: :class:`~.content.AnnualContent` → :class:`~.document.Document`
(in Chinese, or English with ``lang="en"``).

Outline (seed 000 四(一)): title page; table of contents; 前言; 一、总体情况 (results, against last
year, against the target path); 二、各设区市情况; 三、跃升与进位 (transitions and the incentive
table); 四、各县（市、区）情况 (one profile per county, :mod:`.profile`); 五、典型经验 (only when
the case library has published cases of the year, #19); 附录 (indicator system
with points, method, data sources, and — with last year's results — the cost of each reading of
“places gained”, :mod:`.readings`). Charts are drawn here (:mod:`.charts`) so every format shows
the same pictures.

This module puts the chapters in order; chapters one and two are in :mod:`.compose_overview`,
chapter three in :mod:`.compose_jumps`, the appendix in :mod:`.compose_appendix`.
"""

from __future__ import annotations

from cimon.reports.annual.compose_appendix import appendix as _appendix
from cimon.reports.annual.compose_jumps import jumps as _jumps
from cimon.reports.annual.compose_overview import Tick
from cimon.reports.annual.compose_overview import cities as _cities
from cimon.reports.annual.compose_overview import foreword as _foreword
from cimon.reports.annual.compose_overview import overall as _overall
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Heading, PageBreak, Para
from cimon.reports.annual.geo import Boundaries
from cimon.reports.annual.profile import county_blocks
from cimon.reports.annual.readings import readings_appendix
from cimon.reports.annual.words import chapter, section, t
from cimon.reports.excel import SYNTHETIC_NOTE

__all__ = ["Tick", "chart_count", "compose", "title"]


def title(c: AnnualContent, lang: str) -> str:
    return t(
        f"{c.province}县域科技创新年度评估报告",
        "Annual Evaluation Report on County Science and Technology Innovation, "
        f"{c.province_en or c.province}",
        lang,
    )


def compose(
    c: AnnualContent,
    lang: str = "zh",
    boundaries: Boundaries | None = None,
    tick: Tick | None = None,
) -> Document:
    """The whole report as blocks. ``tick(label)`` is called after each chart (for a progress bar);
    :func:`chart_count` says how many there are."""
    step = tick or (lambda _label: None)
    doc = Document(
        lang=lang,
        title=title(c, lang),
        subtitle=t(f"（{c.year}年度）", f"Evaluation year {c.year}", lang),
        issuer=t(c.issuer, f"Issued by: {c.issuer_en or c.issuer}", lang),
        dateline=t(
            f"{c.year}年度评价 · 数据年度 {c.data_year} · 指标体系 {c.framework.id}（{c.framework.version}）",
            f"{c.year} evaluation · data year {c.data_year} · framework {c.framework.id} ({c.framework.version})",
            lang,
        ),
        notice=t(
            f"{SYNTHETIC_NOTE}：本报告使用模拟数据生成，其中数字不是统计数据。",
            "Synthetic data (模拟数据): this report was made from invented numbers, not statistics.",
            lang,
        )
        if c.synthetic
        else "",
        toc_title=t("目  录", "Contents", lang),
        labels=c.labels,
    )
    doc.add(Heading(1, t("前言", "Foreword", lang), "foreword"))
    doc.add(Para(_foreword(c, lang)))
    _overall(doc, c, lang, step)
    _cities(doc, c, lang, boundaries, step)
    _jumps(doc, c, lang)
    doc.add(
        PageBreak(),
        Heading(1, chapter(4, t("各县（市、区）情况", "County profiles", lang), lang), "counties"),
    )
    for k, city in enumerate(c.cities, start=1):
        doc.add(Heading(2, section(4, k, c.place(city.city, lang), lang), f"counties-{k}"))
        members = [p for p in c.profiles if p.result.city == city.city]
        for m, p in enumerate(members, start=1):
            doc.add(*county_blocks(c, p, lang, f"{k}.{m}"))
            step(p.result.name)
    if c.cases:  # only with published cases of the year: reports without them keep their bytes
        doc.add(
            PageBreak(), Heading(1, chapter(5, t("典型经验", "Good practice", lang), lang), "cases")
        )
        for k, case in enumerate(c.cases, start=1):
            where = c.place(case.county, lang)
            doc.add(
                Heading(2, section(5, k, case.title, lang), f"cases-{k}"),
                Para(t(f"{where} · {case.field}", f"{where} · {case.field}", lang), "note"),
                *(Para(line) for line in case.text.splitlines() if line.strip()),
            )
    _appendix(doc, c, lang)
    readings_appendix(doc, c, lang)
    return doc


def chart_count(c: AnnualContent) -> int:
    """How many times :func:`compose` calls ``tick``."""
    return 3 + len(c.profiles)
