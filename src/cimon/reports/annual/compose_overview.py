"""Chapters one and two of the annual report (:mod:`.compose` puts them in order): the
foreword, 一、总体情况 (results, against last year, against the target path, with the ranking and
history charts) and 二、各设区市情况 (the city table, the class map and one section per city)."""

from __future__ import annotations

from collections.abc import Callable

from cimon.analysis.targets import STATUS
from cimon.reports.annual.charts import (
    history_figure,
    map_figure,
    natural_width_cm,
    png,
    ranking_figure,
)
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Figure, Heading, Para, Table
from cimon.reports.annual.geo import Boundaries
from cimon.reports.annual.spec_table import to_report
from cimon.reports.annual.words import (
    chapter,
    listing,
    score,
    section,
    signed,
    signed_int,
    t,
)
from cimon.tables.specs import RANKING
from cimon.vocab import CITY, CLASS

Tick = Callable[[str], None]


def foreword(c: AnnualContent, lang: str) -> str:
    fw = c.framework
    return t(
        f"根据《2021-2025年提升县域科技创新能力推进乡村振兴行动方案》，按照《{fw.name_zh}》（{fw.id}，"
        f"{fw.version}版），对全区 {len(c.counties)} 个县（市、区）{c.data_year} 年度科技创新能力进行了监测评价"
        f"（{c.year} 年度评价）。评价采用百分制，得分 80 分（含）以上为A类，60 分（含）至 80 分为B类，"
        "60 分以下为C类。现将评价结果、跃升情况、各设区市和各县（市、区）情况报告如下。",
        f"Under the county innovation action plan 2021–2025 and the framework {fw.name_en} ({fw.id}, "
        f"version {fw.version}), the science and technology innovation capacity of the "
        f"{len(c.counties)} counties was evaluated on their {c.data_year} data (the {c.year} "
        "evaluation). Scores are out of 100: 80 or more is class A, 60 to under 80 class B, under 60 "
        "class C. This report gives the results, the class jumps, and the situation of every city "
        "and county.",
        lang,
    )


def overall(doc: Document, c: AnnualContent, lang: str, step: Tick) -> None:
    # chapters 1–3 follow on the same page (a forced break left pages three-quarters blank);
    # the county profiles and the appendix start on a new page
    doc.add(Heading(1, chapter(1, t("总体情况", "Overview", lang), lang), "overview"))
    doc.add(Heading(2, section(1, 1, t("评价结果", "Results", lang), lang), "overview-1"))
    best, worst = c.counties[0], c.counties[-1]
    counts = c.class_counts
    dist = listing(
        [t(f"{k}类 {counts[k]} 个", f"{counts[k]} in class {k}", lang) for k in c.labels], lang
    )
    prev = (
        t(f"（上年 {score(c.mean_prev)} 分）", f" ({score(c.mean_prev)} last year)", lang)
        if c.mean_prev is not None
        else ""
    )
    doc.add(
        Para(
            t(
                f"全区 {len(c.counties)} 个县（市、区）平均得分 {score(c.mean)} 分{prev}。得分最高的是"
                f"{best.name}（{score(best.score)} 分），最低的是{worst.name}（{score(worst.score)} 分）。{dist}。",
                f"The {len(c.counties)} counties scored {score(c.mean)} on average{prev}. The highest "
                f"was {best.label(lang)} ({score(best.score)}), the lowest {worst.label(lang)} "
                f"({score(worst.score)}). {dist}.",
                lang,
            )
        )
    )
    doc.add(
        Figure(
            "ranking",
            t("图1 各县（市、区）得分与类别", "Figure 1 Scores and classes", lang),
            png(ranking_figure(c, lang)),
            14.0,
        )
    )
    step("ranking")
    doc.add(
        to_report(
            RANKING.without("rank_city"),
            c.counties,
            lang,
            c.place,
            caption=t("表1 各县（市、区）评价结果", "Table 1 Results of every county", lang),
            small=True,
        )
    )

    doc.add(
        Heading(2, section(1, 2, t("与上年比较", "Against last year", lang), lang), "overview-2")
    )
    before = c.class_counts_prev
    if before is None or c.comparison is None:
        doc.add(
            Para(
                t(
                    f"没有 {c.year - 1} 年度的评价结果，无法与上年比较。",
                    f"There is no {c.year - 1} evaluation to compare with.",
                    lang,
                )
            )
        )
    else:
        tr = c.transitions
        doc.add(
            Para(
                t(
                    f"与 {c.year - 1} 年度相比，{tr['up']} 个县（市、区）类别跃升，{tr['down']} 个下降，"
                    f"{tr['same']} 个保持不变；全区平均得分变化 {signed(c.mean - (c.mean_prev or 0))} 分。",
                    f"Against {c.year - 1}, {tr['up']} counties moved up a class, {tr['down']} moved down "
                    f"and {tr['same']} stayed; the mean score changed by {signed(c.mean - (c.mean_prev or 0))}.",
                    lang,
                )
            )
        )
        heads: tuple[str, ...] = (
            CLASS(lang),
            t(f"{c.year - 1}年度", f"{c.year - 1}", lang),
            t(f"{c.year}年度", f"{c.year}", lang),
            t("变化", "Change", lang),
        )
        rows: tuple[tuple[str, ...], ...] = tuple(
            (k, str(before.get(k, 0)), str(counts[k]), signed_int(counts[k] - before.get(k, 0)))
            for k in c.labels
        )
        doc.add(
            Table(
                "classes",
                t("表2 各类别县（市、区）数量", "Table 2 Counties per class", lang),
                heads,
                rows,
                class_col=0,
                numeric=(1, 2, 3),
            )
        )

    doc.add(
        Heading(
            2, section(1, 3, t("与预期目标比较", "Against the target", lang), lang), "overview-3"
        )
    )
    g = c.targets
    now = [p for p in c.progress if p.year == c.year]
    if g is None or not now:
        doc.add(
            Para(
                t(
                    "未设定省级类别数量目标，或本年度不在目标期内。",
                    "No province class-count target covers this year.",
                    lang,
                )
            )
        )
    else:
        bits = []
        for p in now:
            need = (
                ""
                if p.pace_needed is None
                else t(
                    f"，尚需每年 {p.pace_needed:+.2f} 个",
                    f", {p.pace_needed:+.2f} a year still needed",
                    lang,
                )
            )
            bits.append(
                t(
                    f"{p.label}类 {p.actual} 个，目标路径 {p.planned:.1f} 个，{g.target_year} 年目标 {p.target} 个（{STATUS[p.status][0]}{need}）",
                    f"class {p.label}: {p.actual}, path {p.planned:.1f}, {g.target_year} target {p.target} ({STATUS[p.status][1]}{need})",
                    lang,
                )
            )
        doc.add(
            Para(
                t(
                    f"行动方案提出：{g.quote_zh}。按 {g.base_year} 年到 {g.target_year} 年的直线路径，本年度"
                    + "；".join(bits)
                    + "。",
                    f"The action plan sets {'/'.join(str(g.target[k]) for k in g.target)} counties in classes "
                    f"{'/'.join(g.target)} by {g.target_year} (from {'/'.join(str(g.base[k]) for k in g.target)} in "
                    f"{g.base_year}). On the straight path, this year: " + "; ".join(bits) + ".",
                    lang,
                )
            )
        )
        heads = (
            t("评价年度", "Year", lang),
            CLASS(lang),
            t("实际", "Actual", lang),
            t("目标路径", "Path", lang),
            t("目标", "Target", lang),
            t("差距", "Gap", lang),
            t("状态", "Status", lang),
        )
        rows = tuple(
            (
                str(p.year),
                p.label,
                str(p.actual),
                f"{p.planned:.1f}",
                str(p.target),
                signed_int(p.gap),
                t(*STATUS[p.status], lang),
            )
            for p in c.progress
        )
        doc.add(
            Table(
                "targets",
                t("表3 类别数量与目标路径", "Table 3 Class counts against the target path", lang),
                heads,
                rows,
                class_col=1,
                numeric=(2, 3, 4, 5),
                small=True,
            )
        )
    doc.add(
        Figure(
            "history",
            t(
                "图2 各类别数量与目标路径",
                "Figure 2 Counties per class against the target path",
                lang,
            ),
            png(history_figure(c, lang)),
            15.0,
        )
    )
    step("history")
    if c.robustness is not None:
        stable = sum(1 for p in c.profiles if p.robustness is not None and p.robustness.stable)
        doc.add(
            Para(
                t(
                    f"稳健性：在 {c.robustness.replicates} 次改变评价方法假设的模拟中（随机种子 {c.robustness.seed}），"
                    f"{stable} 个县（市、区）保持本年类别的概率不低于 80%（类别稳定），其余 {len(c.profiles) - stable} 个县的类别对方法假设较敏感，详见各县情况。",
                    f"Robustness: in {c.robustness.replicates} simulations that vary the method's assumptions "
                    f"(seed {c.robustness.seed}), {stable} counties keep their class with a probability of at "
                    f"least 80% (stable); the class of the other {len(c.profiles) - stable} is sensitive to the "
                    "assumptions (see the county profiles).",
                    lang,
                )
            )
        )


def cities(
    doc: Document, c: AnnualContent, lang: str, boundaries: Boundaries | None, step: Tick
) -> None:
    doc.add(Heading(1, chapter(2, t("各设区市情况", "Cities", lang), lang), "cities"))
    heads: tuple[str, ...] = (
        CITY(lang), t("县（市、区）数", "Counties", lang), t("平均得分", "Mean", lang),
        t("上年平均得分", "Mean last year", lang), *(t(f"{k}类", k, lang) for k in c.labels),
        t("得分最高", "Best", lang),
    )  # fmt: skip
    rows: tuple[tuple[str, ...], ...] = tuple(
        (
            c.place(s.city, lang), str(s.n), score(s.mean), score(s.mean_prev), *(str(s.counts[k]) for k in c.labels),
            f"{s.best}（{score(s.best_score)}）" if lang != "en" else f"{c.place(s.best, lang)} ({score(s.best_score)})",
        )
        for s in c.cities
    )  # fmt: skip
    doc.add(
        Table(
            "cities",
            t("表4 各设区市县域科技创新情况", "Table 4 Counties by city", lang),
            heads,
            rows,
            numeric=tuple(range(1, 4 + len(c.labels))),
        )
    )
    caption = (
        t("图3 各县（市、区）类别分布图", "Figure 3 Map of the classes", lang)
        if boundaries is not None
        else t(
            "图3 各县（市、区）类别分布示意图（方格图，一格一县，不表示地理位置和边界）",
            "Figure 3 Classes by county (tile grid: one square per county; not a map of locations or boundaries)",
            lang,
        )
    )
    fig = map_figure(c, lang, boundaries)
    doc.add(Figure("map", caption, png(fig), natural_width_cm(fig)))
    step("map")
    for k, s in enumerate(c.cities, start=1):
        doc.add(Heading(2, section(2, k, c.place(s.city, lang), lang), f"cities-{k}"))
        members = [x for x in c.counties if x.city == s.city]
        ups = [x for x in members if x.transition == "up"]
        downs = [x for x in members if x.transition == "down"]
        dist = listing(
            [
                t(f"{lab}类 {s.counts[lab]} 个", f"{s.counts[lab]} in class {lab}", lang)
                for lab in c.labels
            ],
            lang,
        )
        prev = ""
        if s.mean_prev is not None:
            prev = t(
                f"（上年 {score(s.mean_prev)} 分，变化 {signed(s.mean - s.mean_prev)} 分）",
                f" ({score(s.mean_prev)} last year, {signed(s.mean - s.mean_prev)})",
                lang,
            )
        moved = ""
        if ups:
            moved += t(
                f"类别跃升的有{listing([f'{x.name}（{x.class_prev}→{x.klass}）' for x in ups], lang)}。",
                f"Moved up: {listing([f'{x.label(lang)} ({x.class_prev}→{x.klass})' for x in ups], lang)}. ",
                lang,
            )
        if downs:
            moved += t(
                f"类别下降的有{listing([f'{x.name}（{x.class_prev}→{x.klass}）' for x in downs], lang)}。",
                f"Moved down: {listing([f'{x.label(lang)} ({x.class_prev}→{x.klass})' for x in downs], lang)}. ",
                lang,
            )
        ranked = listing([f"{x.label(lang)} {score(x.score)}" for x in members], lang)
        doc.add(
            Para(
                t(
                    f"{s.city} {s.n} 个县（市、区）平均得分 {score(s.mean)} 分{prev}，全区平均 {score(c.mean)} 分。{dist}；"
                    f"得分最高的是{s.best}（{score(s.best_score)} 分）。{moved}各县得分：{ranked}。",
                    f"The {s.n} counties of {c.place(s.city, lang)} scored {score(s.mean)} on average{prev}, "
                    f"against {score(c.mean)} for the province. {dist}; the best was {c.place(s.best, lang)} "
                    f"({score(s.best_score)}). {moved}Scores: {ranked}.",
                    lang,
                )
            )
        )
