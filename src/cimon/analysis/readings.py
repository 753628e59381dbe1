"""The cost of each reading of “places gained within the class” side by side (进位计数口径测算).

Seed 000 四(二) pays “同类别内排名每提高1个位次的给予25万元”; the rule set's option ``rank.places``
says how a place gained is counted (:mod:`cimon.analysis.places`). The choice is the province's,
so every place that shows the money (``cimon incentives``, the annual report's appendix, the
dashboard) also shows what each reading would cost: the same evaluations and the same rule set,
only ``rank.places`` changed (:func:`cimon.analysis.rules.with_places`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cimon.analysis.codes import CodeMap
from cimon.analysis.incentives import Award, incentives_for_runs, total_owed
from cimon.analysis.places import READINGS
from cimon.analysis.rules import RuleSet, with_places
from cimon.engine.run import Run
from cimon.vocab import t

SHORT: dict[str, tuple[str, str]] = {
    "overtaken": ("实际超越", "overtaking"),
    "literal": ("字面位次", "literal"),
}
"""Short names of the readings (Chinese, English)."""


@dataclass(frozen=True)
class ReadingCost:
    """What one reading of ``rank.places`` costs in one evaluation year (integer 元).

    ``paid``: counties with any money; ``placed``: counties with place money (rank money or a
    bonus); ``place_money``: rank money plus bonuses (after ``rank.cap``, before the combined cap);
    ``total``: all the money owed, every cap applied; ``chosen``: the rule set's own reading."""

    year: int
    reading: str
    chosen: bool
    paid: int
    placed: int
    place_money: int
    total: int

    def name(self, lang: str = "zh") -> str:
        return t(*SHORT[self.reading], lang)

    def describe(self, lang: str = "zh") -> str:
        return t(*READINGS[self.reading], lang)


def cost_of(awards: Sequence[Award], year: int, reading: str, chosen: bool) -> ReadingCost:
    """The :class:`ReadingCost` of one year's awards."""
    return ReadingCost(
        year=year,
        reading=reading,
        chosen=chosen,
        paid=sum(1 for a in awards if a.total > 0),
        placed=sum(1 for a in awards if a.rank + a.bonus > 0),
        place_money=sum(a.rank + a.bonus for a in awards),
        total=total_owed(awards),
    )


def reading_costs(
    runs: Mapping[int, Run],
    rules: RuleSet,
    code_map: CodeMap | None = None,
    years: Iterable[int] | None = None,
    awards: Mapping[int, Sequence[Award]] | None = None,
) -> list[ReadingCost]:
    """The cost of every reading (:data:`cimon.analysis.places.READINGS`, the rule set's own
    first) for each year of ``years`` (default: every year of ``runs`` whose previous year is
    there too). ``awards``: the awards already computed under ``rules`` (by year), reused."""
    chosen_years = (
        sorted(years) if years is not None else [y for y in sorted(runs) if y - 1 in runs]
    )
    order = [rules.places, *(r for r in READINGS if r != rules.places)]
    out: list[ReadingCost] = []
    owed_by: dict[str, Mapping[int, Sequence[Award]]] = {}
    for reading in order:
        if (
            reading == rules.places
            and awards is not None
            and all(y in awards for y in chosen_years)
        ):
            owed_by[reading] = awards
            continue
        wanted = {y for y in chosen_years} | {y - 1 for y in chosen_years}
        subset = {y: r for y, r in runs.items() if y in wanted}
        owed_by[reading] = incentives_for_runs(subset, with_places(rules, reading), code_map)
    for year in chosen_years:
        for reading in order:
            out.append(
                cost_of(owed_by[reading].get(year, ()), year, reading, reading == rules.places)
            )
    return out
