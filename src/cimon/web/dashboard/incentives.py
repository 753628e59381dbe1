"""The dashboard's incentives page as data: every county's award with its columns formatted, and
the cost of each reading of “places gained within the class” side by side (#13).

Columns: the awards table (:data:`cimon.tables.specs.AWARDS`, one per field of
:class:`cimon.analysis.incentives.Award`, nothing recomputed) without the code, with the overall
rank last year → this year after the class; the bonus only when the rule set has bonuses. The
rule set is the one the version was published with, frozen with it
(:mod:`cimon.store.evaluations.rules`); one line under the table names it and its reading of
places gained."""

from __future__ import annotations

from typing import Any

from cimon.analysis.incentives import yuan
from cimon.reports.annual.content import AnnualContent
from cimon.reports.readings import NUMERIC, readings_note, readings_table
from cimon.store.evaluations.rules import rules_line
from cimon.tables.render import dashboard_table
from cimon.tables.specs import AWARDS, rank_move


def _arrow(before: int | None, now: int) -> str:
    return f"{now}" if before is None else f"{before} → {now}"


def incentives_page(c: AnnualContent, lang: str) -> dict[str, Any]:
    """Every county's award (:func:`cimon.analysis.incentives.incentives_for_runs`), the paid
    ones first by amount, with the reasons in words, the total (integer 元) and the side-by-side
    cost of the readings of places gained."""
    awards = sorted(c.awards, key=lambda a: (-a.total, -a.rank, a.code))
    heads, rows = readings_table(c.readings, lang)
    moves = {x.code: _arrow(x.rank_prev, x.rank) for x in c.counties}
    spec = AWARDS.shown_in("dashboard").without("code").insert("class", rank_move(moves))
    if not c.rules.bonuses:
        spec = spec.without("bonus")
    return {
        "table": dashboard_table(spec, awards, lang, c.place),
        "show_bonus": bool(c.rules.bonuses),
        "total": yuan(int(c.total), lang),
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
