"""Compose the annual report: :class:`~.content.AnnualContent` → :class:`~.document.Document`
(in Chinese, or English with ``lang="en"``).

Outline (seed 000 四(一)): title page; table of contents; 前言; 一、总体情况 (results, against last
year, against the target path); 二、各设区市情况; 三、跃升与进位 (transitions and the incentive
table); 四、各县（市、区）情况 (one profile per county, :mod:`.profile`); 附录 (indicator system
with points, method, data sources, and — with last year's results — the cost of each reading of
“places gained”, :mod:`.readings`). Charts are drawn here (:mod:`.charts`) so every format shows
the same pictures.
"""

from __future__ import annotations

from collections.abc import Callable

from cimon.analysis.incentives import yuan
from cimon.analysis.targets import STATUS
from cimon.reports.annual import charts
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Figure, Heading, PageBreak, Para, Table
from cimon.reports.annual.geo import Boundaries
from cimon.reports.annual.profile import county_blocks
from cimon.reports.annual.readings import readings_appendix, readings_para
from cimon.reports.annual.words import (
    DASH,
    chapter,
    integer,
    listing,
    method_text,
    percent_or,
    score,
    section,
    signed,
    signed_int,
    t,
    transition,
    wan,
)
from cimon.reports.excel import SYNTHETIC_NOTE

Tick = Callable[[str], None]


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
    _appendix(doc, c, lang)
    readings_appendix(doc, c, lang)
    return doc


def chart_count(c: AnnualContent) -> int:
    """How many times :func:`compose` calls ``tick``."""
    return 3 + len(c.profiles)


def _foreword(c: AnnualContent, lang: str) -> str:
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


def _overall(doc: Document, c: AnnualContent, lang: str, step: Tick) -> None:
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
            charts.png(charts.ranking_figure(c, lang)),
            14.0,
        )
    )
    step("ranking")
    heads: tuple[str, ...] = (
        t("排名", "Rank", lang), t("区划代码", "Code", lang), t("县（市、区）", "County", lang),
        t("设区市", "City", lang), t("得分", "Score", lang), t("类别", "Class", lang),
        t("上年得分", "Last year", lang), t("得分变化", "Change", lang),
        t("上年类别", "Class last year", lang), t("排名变化", "Rank change", lang),
    )  # fmt: skip
    rows: tuple[tuple[str, ...], ...] = tuple(
        (
            str(k.rank), k.code, k.label(lang), k.city_label(lang), score(k.score), k.klass, score(k.score_prev),
            signed(k.change), k.class_prev or DASH, signed_int(k.rank_change),
        )
        for k in c.counties
    )  # fmt: skip
    doc.add(
        Table(
            "ranking",
            t("表1 各县（市、区）评价结果", "Table 1 Results of every county", lang),
            heads,
            rows,
            class_col=5,
            numeric=(0, 4, 6, 7, 9),
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
        heads = (
            t("类别", "Class", lang),
            t(f"{c.year - 1}年度", f"{c.year - 1}", lang),
            t(f"{c.year}年度", f"{c.year}", lang),
            t("变化", "Change", lang),
        )
        rows = tuple(
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
            t("类别", "Class", lang),
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
            charts.png(charts.history_figure(c, lang)),
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


def _cities(
    doc: Document, c: AnnualContent, lang: str, boundaries: Boundaries | None, step: Tick
) -> None:
    doc.add(Heading(1, chapter(2, t("各设区市情况", "Cities", lang), lang), "cities"))
    heads: tuple[str, ...] = (
        t("设区市", "City", lang), t("县（市、区）数", "Counties", lang), t("平均得分", "Mean", lang),
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
    fig = charts.map_figure(c, lang, boundaries)
    doc.add(Figure("map", caption, charts.png(fig), charts.natural_width_cm(fig)))
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


def _jumps(doc: Document, c: AnnualContent, lang: str) -> None:
    doc.add(
        Heading(1, chapter(3, t("跃升与进位", "Class jumps and rank gains", lang), lang), "jumps")
    )
    doc.add(Heading(2, section(3, 1, t("类别跃升", "Class jumps", lang), lang), "jumps-1"))
    if c.comparison is None:
        doc.add(
            Para(
                t(
                    f"没有 {c.year - 1} 年度的评价结果，本年度不计算跃升与进位。",
                    f"There is no {c.year - 1} evaluation: no jumps or rank gains this year.",
                    lang,
                )
            )
        )
    else:
        moved = [x for x in c.counties if x.transition in ("up", "down")]
        if moved:
            text = listing(
                [
                    f"{x.name}（{transition(x.transition, lang)}：{x.class_prev}→{x.klass}）"
                    if lang != "en"
                    else f"{x.label(lang)} ({transition(x.transition, lang)}: {x.class_prev}→{x.klass})"
                    for x in moved
                ],
                lang,
            )
            doc.add(
                Para(
                    t(
                        f"本年度类别发生变化的县（市、区）：{text}。",
                        f"Counties whose class changed: {text}.",
                        lang,
                    )
                )
            )
        else:
            doc.add(
                Para(
                    t(
                        "本年度没有县（市、区）的类别发生变化。",
                        "No county changed class this year.",
                        lang,
                    )
                )
            )
        m = c.comparison.matrix
        heads: tuple[str, ...] = (
            t("上年类别＼本年类别", "Last year \\ this year", lang),
            *(str(x) for x in m.columns),
        )
        rows: tuple[tuple[str, ...], ...] = tuple(
            (str(k), *(str(int(v)) for v in row)) for k, row in m.iterrows()
        )
        doc.add(
            Table(
                "matrix",
                t("表5 类别转移矩阵（县数）", "Table 5 Class transitions (counties)", lang),
                heads,
                rows,
                class_col=0,
                numeric=tuple(range(1, len(heads))),
            )
        )
    doc.add(Heading(2, section(3, 2, t("激励资金", "Incentive money", lang), lang), "jumps-2"))
    rules = c.rules
    paid = c.paid
    doc.add(
        Para(
            t(
                f"依据{rules.source_zh}的激励规定（{rules.name_zh}，规则 {rules.id} {rules.version}），本年度 {len(paid)} 个县（市、区）获得激励资金，合计 {wan(c.total)} 万元。",
                f"Under the incentive rules ({rules.name_en}, {rules.id} {rules.version}), {len(paid)} counties earn incentive money this year, {yuan(c.total, 'en')} in total.",
                lang,
            )
        )
    )
    note = readings_para(c, lang)
    if note is not None:
        doc.add(note)
    heads = (
        t("县（市、区）", "County", lang), t("上年类别", "Class last year", lang), t("类别", "Class", lang),
        t("类内进位", "Places gained", lang), t("跃升激励", "Jump", lang),
        t("进位激励", "Rank", lang), t("奖励", "Bonus", lang),
        t("封顶调减", "Cap", lang), t("合计", "Total", lang),
    )  # fmt: skip
    rows = tuple(
        (
            c.place(a.name, lang),
            a.class_prev or DASH,
            a.klass,
            integer(a.places),
            wan(a.jump),
            wan(a.rank),
            wan(a.bonus),
            wan(a.reduction),
            wan(a.total),
        )
        for a in paid
    )
    rows += (
        (
            t("合计", "Total", lang),
            "",
            "",
            "",
            wan(sum(a.jump for a in paid)),
            wan(sum(a.rank for a in paid)),
            wan(sum(a.bonus for a in paid)),
            wan(sum(a.reduction for a in paid)),
            wan(c.total),
        ),
    )
    doc.add(
        Table(
            "incentives",
            t("表6 激励资金（万元）", "Table 6 Incentive money (10,000 yuan)", lang),
            heads,
            rows,
            class_col=2,
            numeric=tuple(range(3, 9)),
            small=True,
        )
    )
    inc = getattr(c.robustness, "incentives", None)
    if inc is not None and len(inc):
        heads = (
            t("县（市、区）", "County", lang),
            t("金额（万元）", "Amount (10,000 yuan)", lang),
            t("跃升概率", "P(jump)", lang),
            t("进位概率", "P(places)", lang),
            t("金额不变概率", "P(same amount)", lang),
        )
        rows = tuple(
            (
                c.place(str(r["name"]), lang),
                wan(int(r["amount"])),
                percent_or(r["p_jump"]),
                percent_or(r["p_places"]),
                percent_or(r["p_amount"]),
            )
            for _, r in inc.iterrows()
        )
        doc.add(
            Table(
                "incentives-robustness",
                t("表7 激励资金的稳健性", "Table 7 Robustness of the incentive money", lang),
                heads,
                rows,
                numeric=(1, 2, 3, 4),
                small=True,
            )
        )


def _appendix(doc: Document, c: AnnualContent, lang: str) -> None:
    fw = c.framework
    run = c.run
    doc.add(PageBreak(), Heading(1, t("附录", "Appendix", lang), "appendix"))
    doc.add(Heading(2, t("附录1 指标体系", "A.1 Indicator system", lang), "appendix-1"))
    heads: tuple[str, ...] = (
        t("一级指标（分值）", "Pillar (points)", lang),
        t("代码", "Code", lang),
        t("二级指标", "Indicator", lang),
        t("单位", "Unit", lang),
        t("分值", "Points", lang),
        t("方向", "Direction", lang),
        t("数据来源", "Source", lang),
    )
    rows: list[tuple[str, ...]] = []
    for p in fw.pillars:
        for code in p.indicators:
            ind = fw.indicator(code)
            depts = listing(sorted({fw.variable(v).department for v in ind.variables}), lang)
            rows.append(
                (
                    f"{t(p.name_zh, p.name_en, lang)}（{p.points:g}）" if lang != "en" else f"{p.name_en} ({p.points:g})",
                    ind.code, t(ind.name_zh, ind.name_en, lang), ind.unit or DASH, f"{ind.points:g}",
                    t("正向", "+", lang) if ind.direction > 0 else t("逆向", "−", lang), depts,
                )
            )  # fmt: skip
    rows.append(
        (t("合计", "Total", lang), "", "", "", f"{sum(i.points for i in fw.indicators):g}", "", "")
    )
    doc.add(
        Table(
            "framework",
            t(f"附表1 {fw.name_zh}", f"Table A.1 {fw.name_en}", lang),
            heads,
            tuple(rows),
            numeric=(4,),
            small=True,
        )
    )
    doc.add(Heading(2, t("附录2 评价方法", "A.2 Method", lang), "appendix-2"))
    bands = listing(
        [f"{b.label}（≥{b.min:g}）" if b.min is not None else f"{b.label}" for b in fw.classes],
        lang,
    )
    doc.add(
        Para(
            t(
                f"{c.year} 年度评价使用 {c.data_year} 年数据（数据滞后 {fw.data_lag} 年）。各二级指标按固定的基准值（下限与目标值）计分，"
                f"得分在 0 与该指标分值之间，达到目标值得满分，各年可比；二级指标得分相加为一级指标得分，一级指标得分相加为总分（满分 {fw.total_points:g}）。"
                f"总分保留 {fw.rounding} 位小数后分类和排名，类别：{bands}。并列名次取较好名次。得分变化按一级、二级指标精确分解到 0.01 分。"
                "缺失数据按各指标的缺失处理规则处理，并在各县情况的“数据说明”中列出。",
                f"The {c.year} evaluation uses {c.data_year} data (a lag of {fw.data_lag} year). Each "
                "indicator is scored against fixed references (a floor and a target): between 0 and its "
                "points, full points at the target, so years are comparable. Indicator points add up to "
                f"pillar scores and pillar scores to the total (out of {fw.total_points:g}). Totals are "
                f"rounded to {fw.rounding} decimals, then classed and ranked; classes: {bands}. Tied "
                "counties share the better rank. Score changes are split exactly (to 0.01) over pillars "
                "and indicators. Missing data follow each indicator's policy and are listed under "
                "“Data notes” in the county profiles.",
                lang,
            )
        )
    )
    heads = (
        t("代码", "Code", lang),
        t("二级指标", "Indicator", lang),
        t("计分方法", "Scoring", lang),
        t("参数", "Parameters", lang),
    )
    rows = []
    for ind in fw.indicators:
        method, params = method_text("normalise", dict(run.log["normalise"][ind.code]), lang)
        rows.append((ind.code, t(ind.name_zh, ind.name_en, lang), method, params))
    doc.add(
        Table(
            "method",
            t("附表2 各指标计分方法与参数", "Table A.2 Scoring method and parameters", lang),
            heads,
            tuple(rows),
            small=True,
        )
    )
    doc.add(
        Para(
            t(
                f"激励资金按 {c.rules.id}（{c.rules.version}）规则计算，金额按整数元计算，表中以万元列示（精确值，不四舍五入）。"
                "“路径”指升入上一类别所需的最少指标改进，每项不超过本年度全区最好水平，并已按改进后的数据重新评价验证。",
                f"Incentive money follows the rule set {c.rules.id} ({c.rules.version}), computed in whole "
                "yuan and shown in 10,000 yuan (exact, not rounded). "
                "The “path” is the fewest indicator improvements that lift a county into the next class, "
                "each bounded by the best value in the province this year, verified by re-scoring the "
                "changed data.",
                lang,
            )
        )
    )
    doc.add(Heading(2, t("附录3 数据来源", "A.3 Data sources", lang), "appendix-3"))
    heads = (t("报送部门", "Department", lang), t("报送数据", "Variables", lang))
    rows = []
    for dept in fw.departments:
        names = [t(v.name_zh, v.name_en, lang) for v in fw.variables if v.department == dept]
        rows.append(
            (
                t(
                    dept if dept != "县" else "各县（市、区）自评与专家评分",
                    "Counties (self-assessment and experts)" if dept == "县" else dept,
                    lang,
                ),
                listing(names, lang),
            )
        )
    doc.add(
        Table(
            "sources",
            t("附表3 数据来源", "Table A.3 Data sources", lang),
            heads,
            tuple(rows),
            small=True,
        )
    )
    doc.add(
        Para(
            t(
                f"数据：{run.inputs.source}。指标体系哈希 {run.framework_hash[:16]}，数据哈希 {run.data_hash[:16]}，cimon {run.cimon_version}。"
                "同一数据和参数可由 cimon 逐位重现本报告的全部结果。",
                f"Data: {run.inputs.source}. Framework hash {run.framework_hash[:16]}, data hash "
                f"{run.data_hash[:16]}, cimon {run.cimon_version}. cimon reproduces every result of this "
                "report bit for bit from the same data and parameters.",
                lang,
            ),
            "note",
        )
    )
