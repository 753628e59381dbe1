"""Chapter three of the annual report (:mod:`.compose` puts it in order): 三、跃升与进位 — the class
jumps with the transition matrix, and the incentive money with its robustness table."""

from __future__ import annotations

from cimon.analysis.incentives import yuan
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Heading, Para, Table
from cimon.reports.annual.readings import readings_para
from cimon.reports.annual.spec_table import to_report
from cimon.reports.annual.words import (
    chapter,
    listing,
    section,
    t,
    transition,
    wan,
)
from cimon.tables.specs import AWARDS, ROBUSTNESS_AWARDS


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
    shown = AWARDS.shown_in("report").without("code")
    money = ("jump", "rank", "bonus", "reduction", "total")
    total_row = tuple(
        wan(sum(getattr(a, col.key) for a in paid)) if col.key in money
        else t("合计", "Total", lang) if col.key == "name" else ""
        for col in shown.columns
    )  # fmt: skip
    doc.add(
        to_report(
            shown,
            paid,
            lang,
            c.place,
            caption=t("表6 激励资金（万元）", "Table 6 Incentive money (10,000 yuan)", lang),
            extra=(total_row,),
            small=True,
            key="incentives",
        )
    )
    inc = getattr(c.robustness, "incentives", None)
    if inc is not None and len(inc):
        doc.add(
            to_report(
                ROBUSTNESS_AWARDS.pick("name", "amount", "p_jump", "p_places", "p_amount"),
                inc.to_dict("records"),
                lang,
                c.place,
                caption=t(
                    "表7 激励资金的稳健性（万元）",
                    "Table 7 Robustness of the incentive money (10,000 yuan)",
                    lang,
                ),
                small=True,
            )
        )
