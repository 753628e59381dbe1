"""Incentive money (跃升激励、进位激励) per county and year, with the reason for every amount.

Seed 000 section 四(二): “对评价结果由B类跃升到A类的县给予100万元额度激励资金支持，评价结果由C类跃升到
B类的县给予50万元额度激励资金支持；同类别内排名每提高1个位次的给予25万元额度激励资金支持，排名进位激励
资金额度最高不超过100万元。年度既获得进位、又实现跃升的，激励资金额度最高不超过100万元。”

:func:`award` applies a :class:`~cimon.analysis.rules.RuleSet` to one row of a comparison table
(:func:`cimon.analysis.compare.compare_results`); :func:`incentives` to every county of a year.
Amounts are integers (元) throughout; no float touches money.

Order of the rules for one county and year:

1. no comparable previous result (first year, new county, merged counties, code change the rule
   set does not follow) → no award, and say why;
2. jump money: the rule for the exact move if the set has one, else the one-step jumps combined by
   ``multi_step`` (``highest`` or ``sum``);
3. rank money: places gained — counted as ``rank.places`` says (``overtaken``, the default: only
   against counties in the class in both years, never for a county whose score or overall rank
   fell; ``literal``: the difference of positions within the class, see
   :mod:`cimon.analysis.places`) and as ``rank.class_changed`` says when the class changed; never
   for a county that fell a class — paid by the stacking bands, capped at ``rank.cap``; plus bonuses;
4. a year with both jump money and rank money is capped at ``combined_cap``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cimon.analysis.codes import CodeMap
from cimon.analysis.compare import compare_results
from cimon.analysis.money import Reason, yuan
from cimon.analysis.places import count_places, peer_places
from cimon.analysis.rules import Band, RuleSet, check_classes
from cimon.engine.run import Run
from cimon.vocab import integer


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

    def explain(self, lang: str = "zh") -> str:
        sep = "; " if lang == "en" else "；"
        return sep.join(r.text(lang) for r in self.reasons)


def award(row: Mapping[str, Any], rules: RuleSet, year: int, first_year: bool = False) -> Award:
    """Apply ``rules`` to one comparison row (a mapping with the columns of
    :func:`~cimon.analysis.compare.compare_results` plus ``code``)."""
    code, name = str(row["code"]), str(row["name"])
    klass, prev = str(row["class"]), row.get("class_prev")
    match = str(row.get("match", "same"))
    reasons: list[Reason] = []
    lowest = rules.classes[-1]

    def done(
        jump: int = 0, rank: int = 0, bonus: int = 0, reduction: int = 0, places: int = 0
    ) -> Award:
        return Award(
            code,
            name,
            year,
            prev if isinstance(prev, str) else None,
            klass,
            str(row.get("transition", "new")),
            places,
            jump,
            rank,
            bonus,
            reduction,
            jump + rank + bonus + reduction,
            tuple(reasons),
        )

    # 1. is there a comparable previous result?
    if prev is None or (isinstance(prev, float) and math.isnan(prev)):
        if rules.first_year == "lowest_class" and match in ("new",) and klass != lowest:
            reasons.append(
                Reason(
                    "first_year.lowest_class",
                    f"上年无评价结果，按规则选项 first_year=lowest_class 视为上年为{lowest}类",
                    f"No previous result; first_year=lowest_class treats last year as class {lowest}",
                )
            )
            return _jump_only(row, rules, lowest, klass, reasons, done)
        if first_year:
            zh, en = (
                "首个评价年度，无上年结果可比，不计跃升与进位激励",
                "First evaluation year: no previous result, so no jump or rank award",
            )
        elif match == "merged":
            zh, en = (
                "由多个上年县（市、区）合并而成，没有单一的上年结果可比，不计激励",
                "Formed by merging several counties: no single previous result, no award",
            )
        else:
            zh, en = (
                "上年无评价结果（新纳入评价），不计跃升与进位激励",
                "Not evaluated last year (newly included): no jump or rank award",
            )
        reasons.append(Reason("first_year.none", zh, en))
        return done()
    prev = str(prev)
    if match == "recode" and rules.recode == "none":
        reasons.append(
            Reason(
                "code_change.recode",
                f"区划代码由 {row.get('prev_code')} 变更，按规则选项 code_change.recode=none 不计激励",
                f"Code changed from {row.get('prev_code')}; code_change.recode=none: no award",
            )
        )
        return done()
    if match == "boundary" and rules.boundary == "none":
        reasons.append(
            Reason(
                "code_change.boundary",
                f"行政区划调整（上年代码 {row.get('prev_code')}），前后结果不可比，按规则选项 "
                "code_change.boundary=none 不计激励",
                f"Boundaries changed (last year's code {row.get('prev_code')}): results not "
                "comparable, code_change.boundary=none: no award",
            )
        )
        return done()
    if match in ("recode", "boundary"):
        reasons.append(
            Reason(
                f"code_change.{match}",
                f"区划代码由 {row.get('prev_code')} 变更，按规则选项 code_change.{match}=follow 与上年 {row.get('prev_code')} 的结果比较",
                f"Code changed from {row.get('prev_code')}; code_change.{match}=follow compares "
                f"with last year's {row.get('prev_code')}",
            )
        )
    level = {label: len(rules.classes) - 1 - k for k, label in enumerate(rules.classes)}
    steps = level[klass] - level[prev]

    # 2. jump money
    jump = _jump_amount(rules, prev, klass, reasons) if steps > 0 else 0
    if steps < 0:
        reasons.append(
            Reason(
                "down",
                f"由{prev}类降为{klass}类，不计跃升与进位激励",
                f"Fell from class {prev} to {klass}: no jump or rank award",
            )
        )
        return done()

    # 3. places and rank money
    places = count_places(row, rules, steps, reasons)
    rank = 0
    if places > 0 and rules.bands:
        money = rules.rank_money(places)
        rank = money
        rate = "、".join(_band_text(b) for b in rules.bands)
        quote = f"（“{rules.rank_quote_zh}”）" if rules.rank_quote_zh else ""
        quote_en = f" (seed: “{rules.rank_quote_zh}”)" if rules.rank_quote_zh else ""
        reasons.append(
            Reason(
                "rank",
                f"进位 {places} 个位次，{rate}{quote}，计 {yuan(money)}",
                f"Gained {places} place(s) at the band rates{quote_en}: {money:,} yuan",
            )
        )
        if rules.rank_cap is not None and money > rules.rank_cap:
            rank = rules.rank_cap
            reasons.append(
                Reason(
                    "rank.cap",
                    f"排名进位激励最高不超过 {yuan(rules.rank_cap)}，按 {yuan(rules.rank_cap)} 计",
                    f"Rank money is capped at {rules.rank_cap:,} yuan",
                )
            )
    bonus = 0
    for b in rules.bonuses:
        if places >= b.min_places:
            bonus += b.amount
            reasons.append(
                Reason(
                    f"bonus.{b.min_places}",
                    f"{b.name_zh or '进位奖励'}：进位 {places} 个位次（不少于 {b.min_places} 位），另计 {yuan(b.amount)}",
                    f"Bonus for gaining at least {b.min_places} places: {b.amount:,} yuan",
                )
            )

    # 4. both in one year
    reduction = 0
    cap = rules.combined_cap
    if jump > 0 and rank + bonus > 0 and cap is not None and jump + rank + bonus > cap:
        reduction = cap - (jump + rank + bonus)
        quote = f"（“{rules.combined_quote_zh}”）" if rules.combined_quote_zh else ""
        reasons.append(
            Reason(
                "combined_cap",
                f"年度既跃升又进位，合计 {yuan(jump + rank + bonus)} 超过上限{quote}，按 "
                f"{yuan(cap)} 计",
                f"Both a jump and a rank gain this year: {jump + rank + bonus:,} yuan is "
                f"capped at {cap:,} yuan",
            )
        )
    if jump + rank + bonus == 0 and not any(
        r.rule in ("rank", "jump") or r.rule.startswith("places.") for r in reasons
    ):
        reasons.append(
            Reason(
                "none",
                f"保持{klass}类，类内排名由第 {integer(row.get('position_prev'))} 位到第 "
                f"{integer(row.get('class_rank'))} 位，未提高，不计激励",
                f"Stayed in class {klass}, rank within class {integer(row.get('position_prev'))} → "
                f"{integer(row.get('class_rank'))}: no gain, no award",
            )
        )
    return done(jump, rank, bonus, reduction, places)


def _band_text(b: Band) -> str:
    if b.last is None:
        return (
            f"每位次 {yuan(b.per_place)}"
            if b.first == 1
            else f"第{b.first}位起每位次 {yuan(b.per_place)}"
        )
    span = f"第{b.first}位" if b.last == b.first else f"第{b.first}–{b.last}位"
    return f"{span}每位次 {yuan(b.per_place)}"


def _jump_amount(rules: RuleSet, prev: str, klass: str, reasons: list[Reason]) -> int:
    exact = rules.jump(prev, klass)
    if exact is not None:
        quote = f"（“{exact.quote_zh}”）" if exact.quote_zh else ""
        reasons.append(
            Reason(
                "jump",
                f"由{prev}类跃升到{klass}类{quote}，计 {yuan(exact.amount)}",
                f"Jumped from class {prev} to {klass}: {exact.amount:,} yuan",
            )
        )
        return exact.amount
    labels = rules.classes
    lo, hi = labels.index(prev), labels.index(klass)
    chain = [rules.jump(labels[k], labels[k - 1]) for k in range(lo, hi, -1)]
    amounts = [j.amount for j in chain if j is not None]
    steps = "、".join(f"{j.from_}→{j.to} {yuan(j.amount)}" for j in chain if j is not None)
    if rules.multi_step == "sum":
        amount = sum(amounts)
        how_zh, how_en = "逐级额度相加", "sum of the one-step amounts"
    else:
        amount = max(amounts)
        how_zh, how_en = "取单级最高额度", "highest one-step amount"
    reasons.append(
        Reason(
            "jump.multi_step",
            f"一年内由{prev}类跃升到{klass}类（跨 {hi - lo if hi > lo else lo - hi} 级：{steps}），"
            f"按规则选项 multi_step={rules.multi_step}（{how_zh}），计 {yuan(amount)}",
            f"Jumped {prev}→{klass} in one year; multi_step={rules.multi_step} ({how_en}): "
            f"{amount:,} yuan",
        )
    )
    return amount


def _jump_only(
    row: Mapping[str, Any], rules: RuleSet, prev: str, klass: str, reasons: list[Reason], done: Any
) -> Award:
    jump = _jump_amount(rules, prev, klass, reasons)
    result: Award = done(jump=jump)
    return result


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


def awards_frame(awards: Sequence[Award], lang: str = "zh") -> pd.DataFrame:
    """Awards as a table (one row per county), explanations in ``lang``."""
    return pd.DataFrame(
        [
            {
                "code": a.code,
                "name": a.name,
                "class_prev": a.class_prev,
                "class": a.klass,
                "places": a.places,
                "jump": a.jump,
                "rank": a.rank,
                "bonus": a.bonus,
                "reduction": a.reduction,
                "total": a.total,
                "explain": a.explain(lang),
            }
            for a in awards
        ]
    )


def total_owed(awards: Sequence[Award]) -> int:
    """Sum of the awards (integer 元)."""
    return sum(a.total for a in awards)
