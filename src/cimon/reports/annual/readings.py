"""The annual report's appendix on the readings of “places gained within the class” (附录4 进位计数
口径与激励资金测算) and the sentence that points to it from the incentive section: the cost of each
reading side by side (:mod:`cimon.reports.readings`), so the province sees what its choice costs."""

from __future__ import annotations

from cimon.analysis.readings import SHORT
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Heading, Para, Table
from cimon.reports.annual.words import t, wan
from cimon.reports.readings import NUMERIC, readings_note, readings_table


def readings_para(c: AnnualContent, lang: str) -> Para | None:
    """One sentence for the incentive section: this year's total under each reading."""
    if not c.readings:
        return None
    parts_zh = "，".join(
        f"按“{x.name('zh')}”口径 {x.paid} 个县（市、区）、合计 {wan(x.total)} 万元"
        for x in c.readings
    )
    parts_en = "; ".join(
        f"the {x.name('en')} reading pays {x.paid} counties, {wan(x.total)} (10,000 yuan)"
        for x in c.readings
    )
    return Para(
        t(
            f"“同类别内排名每提高1个位次”的计数口径（规则选项 rank.places）影响激励资金总额：{parts_zh}。"
            f"本报告采用“{SHORT[c.rules.places][0]}”口径，两种口径的比较见附录4。",
            f"How places gained within the class are counted (option rank.places) changes the "
            f"total: {parts_en}. This report uses the {SHORT[c.rules.places][1]} reading; "
            "Appendix A.4 compares them.",
            lang,
        )
    )


def readings_appendix(doc: Document, c: AnnualContent, lang: str) -> None:
    """附录4: the note citing the seed and the side-by-side table (nothing without last year)."""
    if not c.readings:
        return
    doc.add(
        Heading(
            2,
            t(
                "附录4 进位计数口径与激励资金测算",
                "A.4 Readings of places gained and their cost",
                lang,
            ),
            "appendix-4",
        ),
        Para(readings_note(c.rules, lang)),
    )
    heads, rows = readings_table(c.readings, lang)
    doc.add(
        Table(
            "readings",
            t(
                "附表4 两种进位计数口径下的激励资金",
                "Table A.4 Incentive money under each reading of places gained",
                lang,
            ),
            tuple(heads),
            tuple(tuple(r) for r in rows),
            numeric=NUMERIC,
            small=True,
        )
    )
