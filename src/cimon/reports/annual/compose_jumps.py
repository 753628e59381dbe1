"""Chapter three of the annual report (:mod:`.compose` puts it in order): 三、跃升与进位 — the class
jumps with the transition matrix, and the incentive money with its robustness table."""

from __future__ import annotations

from cimon.analysis.incentives import yuan
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Heading, Para, Table
from cimon.reports.annual.readings import readings_para
from cimon.reports.annual.words import (
    DASH,
    chapter,
    integer,
    listing,
    percent_or,
    section,
    t,
    transition,
    wan,
)
from cimon.vocab import CLASS, CLASS_PREV, COUNTY


def jumps(doc: Document, c: AnnualContent, lang: str) -> None:
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
        COUNTY(lang), CLASS_PREV(lang), CLASS(lang),
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
            COUNTY(lang),
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
