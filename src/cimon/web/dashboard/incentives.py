"""The dashboard's incentives page as data: every county's award with its columns formatted, and
the cost of each reading of “places gained within the class” side by side (#13).

Columns (one per field of :class:`cimon.analysis.incentives.Award`, nothing recomputed): county,
class last year and this year, overall rank last year → this year, places gained (as the rule
set's ``rank.places`` counts them), jump money, place money (``rank``), the bonus (only when the
rule set has bonuses), the cap reduction, the total and the reasons. The rule set is the one the
version was published with, frozen with it (:mod:`cimon.store.evaluations.rules`); one line under
the table names it and its reading of places gained."""

from __future__ import annotations

from typing import Any

from cimon.analysis.incentives import yuan
from cimon.reports.annual.content import AnnualContent
from cimon.reports.readings import NUMERIC, readings_note, readings_table
from cimon.store.evaluations.rules import rules_line


def _money(amount: int, lang: str) -> str:
    return yuan(int(amount), lang)


def _arrow(before: int | None, now: int) -> str:
    return f"{now}" if before is None else f"{before} → {now}"


def incentives_page(c: AnnualContent, lang: str) -> dict[str, Any]:
    """Every county's award (:func:`cimon.analysis.incentives.incentives_for_runs`), the paid
    ones first by amount, with the reasons in words, the total (integer 元) and the side-by-side
    cost of the readings of places gained."""
    awards = sorted(c.awards, key=lambda a: (-a.total, -a.rank, a.code))
    county = {x.code: x for x in c.counties}
    heads, rows = readings_table(c.readings, lang)
    return {
        "rows": [
            {
                "award": a,
                "rank": _arrow(county[a.code].rank_prev, county[a.code].rank)
                if a.code in county
                else "",
                "places": a.places,
                "jump": _money(a.jump, lang),
                "rank_money": _money(a.rank, lang),
                "bonus": _money(a.bonus, lang),
                "reduction": _money(a.reduction, lang),
                "total": _money(a.total, lang),
                "why": a.explain(lang),
            }
            for a in awards
        ],
        "show_bonus": bool(c.rules.bonuses),
        "total": _money(c.total, lang),
        "total_yuan": c.total,
        "paid": len(c.paid),
        "has_prev": c.prev is not None,
        "rules": c.rules,
        "rules_line": rules_line(c.rules, lang),
        "readings": {
            "heads": heads,
            "rows": rows,
            "numeric": NUMERIC,
            "note": readings_note(c.rules, lang),
        }
        if c.readings
        else None,
    }
