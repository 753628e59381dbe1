"""Incentive money (跃升激励、进位激励) per county and year, with the reason for every amount.

Seed 000 section 四(二): “对评价结果由B类跃升到A类的县给予100万元额度激励资金支持，评价结果由C类跃升到
B类的县给予50万元额度激励资金支持；同类别内排名每提高1个位次的给予25万元额度激励资金支持，排名进位激励
资金额度最高不超过100万元。年度既获得进位、又实现跃升的，激励资金额度最高不超过100万元。”

:func:`award` applies a :class:`~cimon.analysis.rules.RuleSet` to one row of a comparison table
(:func:`cimon.analysis.compare.compare_results`); :func:`incentives` to every county of a year.
Amounts are integers (元) throughout; no float touches money.

The rules are a registry (:mod:`cimon.analysis.award_base`, :mod:`cimon.analysis.award_rules`):
each writes lines — rule, amount, reason in Chinese and English — and an award is the sum of its
lines. The rules apply in this order for one county and year (docs/analysis/incentives.md has a
section for each):

1. ``first_year``: no comparable previous result (first year, new county, merged counties) → no
   award, and say why (or, ``first_year=lowest_class``, only the jump from the lowest class);
2. ``code_change``: a code change the rule set does not follow → no award;
3. ``down``: a county that fell a class → no award;
4. ``jump``: the rule for the exact move if the set has one, else the one-step jumps combined by
   ``multi_step`` (``highest`` or ``sum``);
5. ``places``: places gained — counted as ``rank.places`` says (``overtaken``, the default: only
   against counties in the class in both years, never for a county whose score or overall rank
   fell; ``literal``: the difference of positions within the class, see
   :mod:`cimon.analysis.places`) and as ``rank.class_changed`` says when the class changed;
6. ``rank``: the places paid by the stacking bands;
7. ``rank.cap``: rank money capped at ``rank.cap``;
8. ``bonus``: each bonus reached;
9. ``combined_cap``: a year with both jump money and rank money is capped at ``combined_cap``;
10. ``none``: nothing gained — say so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cimon.analysis.award_base import AwardState
from cimon.analysis.award_rules import rule_chain
from cimon.analysis.codes import CodeMap
from cimon.analysis.compare import compare_results
from cimon.analysis.money import Line, Reason
from cimon.analysis.money import yuan as yuan  # re-exported: the renderers import it from here
from cimon.analysis.places import peer_places
from cimon.analysis.rules import RuleSet, check_classes
from cimon.engine.run import Run


@dataclass(frozen=True)
class Award:
    """The incentive money of one county for one evaluation year (integer 元)."""

    code: str
    name: str
    year: int
    class_prev: str | None
    klass: str
    transition: str
    places: int
    jump: int
    rank: int
    bonus: int
    reduction: int
    total: int
    reasons: tuple[Reason, ...] = field(default=())
    #: the lines the rules wrote (:class:`~cimon.analysis.money.Line`); ``total`` is their sum,
    #: ``reasons`` their reasons
    lines: tuple[Line, ...] = field(default=())

    def explain(self, lang: str = "zh") -> str:
        sep = "; " if lang == "en" else "；"
        return sep.join(r.text(lang) for r in self.reasons)


def award(row: Mapping[str, Any], rules: RuleSet, year: int, first_year: bool = False) -> Award:
    """Apply ``rules`` to one comparison row (a mapping with the columns of
    :func:`~cimon.analysis.compare.compare_results` plus ``code``): every registered rule
    (:mod:`cimon.analysis.award_rules`) in turn writes its lines, until one ends the award; the
    award is the sum of the lines."""
    state = AwardState.start(row, rules, year, first_year)
    for rule in rule_chain(rules):
        if state.only is not None and rule.name not in state.only:
            continue
        rule.apply(state)
        if state.stopped:
            break
    prev = row.get("class_prev")
    lines = tuple(state.lines)
    return Award(
        str(row["code"]),
        str(row["name"]),
        year,
        prev if isinstance(prev, str) else None,
        state.klass,
        str(row.get("transition", "new")),
        state.places,
        state.amount("jump"),
        state.amount("rank"),
        state.amount("bonus"),
        state.amount("reduction"),
        sum(line.amount for line in lines),
        tuple(line.reason for line in lines),
        lines,
    )


def incentives(
    prev: pd.DataFrame | None,
    curr: pd.DataFrame,
    rules: RuleSet,
    year: int,
    labels: Sequence[str] | None = None,
    code_map: CodeMap | None = None,
) -> list[Award]:
    """Awards for every county of ``curr`` (results tables as in
    :func:`~cimon.analysis.compare.compare_results`); ``prev`` is ``None`` in the first year."""
    labels = list(labels or rules.classes)
    check_classes(rules, labels)
    table = compare_results(prev, curr, labels, code_map, ties=rules.ties)
    return awards_for_table(table, rules, year, first_year=prev is None)


def awards_for_table(
    table: pd.DataFrame, rules: RuleSet, year: int, first_year: bool = False
) -> list[Award]:
    """:func:`award` for every row of a comparison table
    (:func:`~cimon.analysis.compare.compare_results` with ``ties=rules.ties``)."""
    peers = peer_places(table, rules.ties) if rules.places == "overtaken" else {}
    names = {str(c): str(n) for c, n in table["name"].items()}
    out = []
    for code, row in table.iterrows():
        r = {**{str(k): v for k, v in row.items()}, "code": str(code)}
        p = peers.get(str(code))
        if p is not None:
            r.update(
                peer_places=p.places,
                peer_places_overall=p.overall,
                peer_overall_net=p.overall_net,
                overtook=p.overtook,
                overtaken_by=p.overtaken_by,
                peer_names=names,
            )
        out.append(award(r, rules, year, first_year))
    return out


def incentives_for_runs(
    runs: Mapping[int, Run], rules: RuleSet, code_map: CodeMap | None = None
) -> dict[int, list[Award]]:
    """Awards for every evaluation year in ``runs``; the earliest year has no previous result
    unless the year before it is also present."""
    out: dict[int, list[Award]] = {}
    for year in sorted(runs):
        run = runs[year]
        prev = runs.get(year - 1)
        labels = [b.label for b in run.framework.classes]
        out[year] = incentives(
            prev.results if prev is not None else None, run.results, rules, year, labels, code_map
        )
    return out


def total_owed(awards: Sequence[Award]) -> int:
    """Sum of the awards (integer 元)."""
    return sum(a.total for a in awards)
