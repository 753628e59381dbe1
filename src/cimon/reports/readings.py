"""The side-by-side cost of the readings of “places gained within the class”, defined once and
rendered by the command line (``cimon incentives``), the annual report's appendix and the
dashboard's incentives page (:mod:`cimon.analysis.readings`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cimon.analysis.money import wan
from cimon.analysis.places import READINGS
from cimon.analysis.readings import SHORT, ReadingCost
from cimon.analysis.rules import RuleSet
from cimon.reports.table import Table
from cimon.reports.text import format_table
from cimon.vocab import IN_WAN, IN_YUAN, t

NUMERIC = (2, 3, 4, 5)
"""The right-aligned columns of :func:`readings_table`."""


def readings_table(costs: Sequence[ReadingCost], lang: str = "zh", cells: str = "text") -> Table:
    """Heads and rows: year, reading (the rule set's own marked), counties paid, counties with
    place money, place money and total — as text in 万元 (``cells="text"``: terminal, report,
    dashboard) or as numbers in whole 元 (``cells="numbers"``: workbooks, exact)."""
    numbers = cells == "numbers"
    unit = (IN_YUAN if numbers else IN_WAN)(lang)
    heads = [
        t("年度", "Year", lang),
        t("进位计数口径", "Reading of places", lang),
        t("获得激励的县（个）", "Counties paid", lang),
        t("其中获进位激励（个）", "With place money", lang),
        t("进位激励", "Place money", lang) + unit,
        t("激励资金合计", "Total", lang) + unit,
    ]
    rows: list[list[Any]] = []
    for c in costs:
        name = c.name(lang) + (t("（现行规则）", " (rule set)", lang) if c.chosen else "")
        if numbers:
            rows.append([c.year, name, c.paid, c.placed, c.place_money, c.total])
        else:
            rows.append(
                [str(c.year), name, str(c.paid), str(c.placed), wan(c.place_money), wan(c.total)]
            )
    return Table(heads=heads, rows=rows)


def readings_note(rules: RuleSet, lang: str = "zh") -> str:
    """Why there are two readings, what each counts, and which one the rule set uses."""
    quote = (
        rules.rank_quote_zh.split("，")[0] if rules.rank_quote_zh else "同类别内排名每提高1个位次"
    )
    chosen_zh, chosen_en = READINGS[rules.places]
    other = [r for r in READINGS if r != rules.places]
    if lang == "en":
        return (
            f"Seed 000 四(二) pays “{quote}” (for each place gained within the class). What counts "
            f"as a place gained is the rule set's option rank.places; {rules.id} uses "
            f"“{rules.places}” — {chosen_en}. "
            + " ".join(f"The alternative “{r}”: {READINGS[r][1]}." for r in other)
            + " The table shows what each reading costs on the same results; the choice is the "
            "province's."
        )
    return (
        f"《行动方案》四（二）规定“{quote}”。“位次”的计数口径是激励规则的选项 rank.places，"
        f"现行规则 {rules.id} 采用“{SHORT[rules.places][0]}”：{chosen_zh}。"
        + "".join(f"另一口径“{SHORT[r][0]}”：{READINGS[r][0]}。" for r in other)
        + "下表按同一评价结果列出两种口径所需的激励资金，供决策参考。"
    )


def readings_text(costs: Sequence[ReadingCost], rules: RuleSet, lang: str = "zh") -> str:
    """The title, the note and the table, for the terminal."""
    heads, rows = readings_table(costs, lang)
    title = t("进位计数口径与激励资金测算", "Readings of places gained and their cost", lang)
    return "\n".join([title, readings_note(rules, lang), "", format_table(heads, rows)])
