"""The registered incentive rules, in the order they apply to one county and year
(:mod:`cimon.analysis.award_base` is their contract; docs/analysis/incentives.md has a section for
each).

=================  ==========================  ===========  ========================================
rule               YAML keys                   part         lines
=================  ==========================  ===========  ========================================
``first_year``     ``first_year``              —            no comparable previous result: the
                                                            award ends (or, ``lowest_class``, only
                                                            the jump applies)
``code_change``    ``code_change``             —            a code change the set does not follow
                                                            ends the award
``down``           ``classes``                 —            fell a class: the award ends
``jump``           ``jumps``, ``multi_step``   jump         jump money
``places``         ``rank.places`` …           —            places gained, with the reason
``rank``           ``rank.bands`` …            rank         the band money for the places
``rank.cap``       ``rank.cap``                rank         the cap, a negative line
``bonus``          ``rank.bonuses``            bonus        each bonus reached
``combined_cap``   ``combined_cap`` …          reduction    jump + rank money capped, a negative line
``none``           —                           —            nothing gained, say why
=================  ==========================  ===========  ========================================
"""

from __future__ import annotations

from dataclasses import dataclass

from cimon.analysis.award_base import REGISTRY, AwardState, MoneyRule, register
from cimon.analysis.money import Reason, yuan
from cimon.analysis.places import count_places
from cimon.analysis.rules import Band, Bonus, Jump, RuleSet, band_money
from cimon.vocab import integer


@register
@dataclass(frozen=True)
class FirstYear(MoneyRule):
    """No comparable previous result (first year, new county, merged counties): no award, or,
    with ``first_year: lowest_class``, a new county is paid the jump from the lowest class."""

    name = "first_year"
    keys = ("first_year",)
    title_zh = "无可比的上年结果"
    title_en = "No comparable previous result"

    first_year: str
    lowest: str

    @classmethod
    def from_rules(cls, rules: RuleSet) -> FirstYear:
        return cls(rules.first_year, rules.classes[-1])

    def apply(self, s: AwardState) -> None:
        if s.prev is not None:
            return
        lowest = self.lowest
        if self.first_year == "lowest_class" and s.match in ("new",) and s.klass != lowest:
            self.line(
                s,
                Reason(
                    "first_year.lowest_class",
                    f"上年无评价结果，按规则选项 first_year=lowest_class 视为上年为{lowest}类",
                    f"No previous result; first_year=lowest_class treats last year as class {lowest}",
                ),
            )
            s.prev = lowest
            s.only = frozenset({"jump"})
            return
        if s.first_year:
            zh, en = (
                "首个评价年度，无上年结果可比，不计跃升与进位激励",
                "First evaluation year: no previous result, so no jump or rank award",
            )
        elif s.match == "merged":
            zh, en = (
                "由多个上年县（市、区）合并而成，没有单一的上年结果可比，不计激励",
                "Formed by merging several counties: no single previous result, no award",
            )
        else:
            zh, en = (
                "上年无评价结果（新纳入评价），不计跃升与进位激励",
                "Not evaluated last year (newly included): no jump or rank award",
            )
        self.line(s, Reason("first_year.none", zh, en))
        s.stop()


@register
@dataclass(frozen=True)
class CodeChange(MoneyRule):
    """A county whose code changed (``--code-map``): compared with its predecessor when the
    option says ``follow``, else no award."""

    name = "code_change"
    keys = ("code_change", "code_change.recode", "code_change.boundary")
    title_zh = "区划代码变更"
    title_en = "Code or boundary change"

    recode: str
    boundary: str

    @classmethod
    def from_rules(cls, rules: RuleSet) -> CodeChange:
        return cls(rules.recode, rules.boundary)

    def apply(self, s: AwardState) -> None:
        match, old = s.match, s.row.get("prev_code")
        if match == "recode" and self.recode == "none":
            self.line(
                s,
                Reason(
                    "code_change.recode",
                    f"区划代码由 {old} 变更，按规则选项 code_change.recode=none 不计激励",
                    f"Code changed from {old}; code_change.recode=none: no award",
                ),
            )
            s.stop()
        elif match == "boundary" and self.boundary == "none":
            self.line(
                s,
                Reason(
                    "code_change.boundary",
                    f"行政区划调整（上年代码 {old}），前后结果不可比，按规则选项 "
                    "code_change.boundary=none 不计激励",
                    f"Boundaries changed (last year's code {old}): results not "
                    "comparable, code_change.boundary=none: no award",
                ),
            )
            s.stop()
        elif match in ("recode", "boundary"):
            self.line(
                s,
                Reason(
                    f"code_change.{match}",
                    f"区划代码由 {old} 变更，按规则选项 code_change.{match}=follow 与上年 {old} 的结果比较",
                    f"Code changed from {old}; code_change.{match}=follow compares "
                    f"with last year's {old}",
                ),
            )


@register
@dataclass(frozen=True)
class Down(MoneyRule):
    """A county that fell a class gets neither jump nor rank money."""

    name = "down"
    keys = ("classes",)
    title_zh = "类别下降"
    title_en = "Fell a class"

    @classmethod
    def from_rules(cls, rules: RuleSet) -> Down:
        return cls()

    def apply(self, s: AwardState) -> None:
        if s.steps < 0:
            self.line(
                s,
                Reason(
                    "down",
                    f"由{s.prev}类降为{s.klass}类，不计跃升与进位激励",
                    f"Fell from class {s.prev} to {s.klass}: no jump or rank award",
                ),
            )
            s.stop()


@register
@dataclass(frozen=True)
class JumpMoney(MoneyRule):
    """Jump money: the rule for the exact move if the set has one, else the one-step jumps
    combined by ``multi_step`` (``highest`` or ``sum``)."""

    name = "jump"
    keys = ("jumps", "multi_step")
    part = "jump"
    title_zh = "跃升激励"
    title_en = "Jump money"

    classes: tuple[str, ...]
    jumps: tuple[Jump, ...]
    multi_step: str

    @classmethod
    def from_rules(cls, rules: RuleSet) -> JumpMoney:
        return cls(rules.classes, rules.jumps, rules.multi_step)

    def _jump(self, from_: str, to: str) -> Jump | None:
        return next((j for j in self.jumps if j.from_ == from_ and j.to == to), None)

    def apply(self, s: AwardState) -> None:
        if s.steps <= 0:
            return
        prev, klass = str(s.prev), s.klass
        exact = self._jump(prev, klass)
        if exact is not None:
            quote = f"（“{exact.quote_zh}”）" if exact.quote_zh else ""
            reason = Reason(
                "jump",
                f"由{prev}类跃升到{klass}类{quote}，计 {yuan(exact.amount)}",
                f"Jumped from class {prev} to {klass}: {exact.amount:,} yuan",
            )
            self.line(s, reason, exact.amount)
            return
        labels = self.classes
        lo, hi = labels.index(prev), labels.index(klass)
        chain = [self._jump(labels[k], labels[k - 1]) for k in range(lo, hi, -1)]
        amounts = [j.amount for j in chain if j is not None]
        steps = "、".join(f"{j.from_}→{j.to} {yuan(j.amount)}" for j in chain if j is not None)
        if self.multi_step == "sum":
            amount = sum(amounts)
            how_zh, how_en = "逐级额度相加", "sum of the one-step amounts"
        else:
            amount = max(amounts)
            how_zh, how_en = "取单级最高额度", "highest one-step amount"
        reason = Reason(
            "jump.multi_step",
            f"一年内由{prev}类跃升到{klass}类（跨 {hi - lo if hi > lo else lo - hi} 级：{steps}），"
            f"按规则选项 multi_step={self.multi_step}（{how_zh}），计 {yuan(amount)}",
            f"Jumped {prev}→{klass} in one year; multi_step={self.multi_step} ({how_en}): "
            f"{amount:,} yuan",
        )
        self.line(s, reason, amount)


@register
@dataclass(frozen=True)
class Places(MoneyRule):
    """Places gained within the class, counted as ``rank.places`` and ``rank.class_changed`` say
    (:func:`cimon.analysis.places.count_places`); the lines explain, the money is ``rank``'s."""

    name = "places"
    keys = ("rank.places", "rank.class_changed", "rank.ties")
    title_zh = "进位位次"
    title_en = "Places gained"

    places: str
    class_changed: str
    ties: str

    @classmethod
    def from_rules(cls, rules: RuleSet) -> Places:
        return cls(rules.places, rules.class_changed, rules.ties)

    def apply(self, s: AwardState) -> None:
        reasons: list[Reason] = []
        s.places = count_places(s.row, self, s.steps, reasons)
        for reason in reasons:
            self.line(s, reason)


def band_text(b: Band) -> str:
    """One band's rate in Chinese (``每位次 250,000 元（25 万元）``)."""
    if b.last is None:
        return (
            f"每位次 {yuan(b.per_place)}"
            if b.first == 1
            else f"第{b.first}位起每位次 {yuan(b.per_place)}"
        )
    span = f"第{b.first}位" if b.last == b.first else f"第{b.first}–{b.last}位"
    return f"{span}每位次 {yuan(b.per_place)}"


@register
@dataclass(frozen=True)
class RankMoney(MoneyRule):
    """Rank money: the places gained paid by the bands, which stack like tax brackets."""

    name = "rank"
    keys = ("rank", "rank.bands", "rank.quote_zh")
    part = "rank"
    title_zh = "进位激励"
    title_en = "Rank money"

    bands: tuple[Band, ...]
    quote_zh: str = ""

    @classmethod
    def from_rules(cls, rules: RuleSet) -> RankMoney:
        return cls(rules.bands, rules.rank_quote_zh)

    def apply(self, s: AwardState) -> None:
        places = s.places
        if places <= 0 or not self.bands:
            return
        money = band_money(self.bands, places)
        rate = "、".join(band_text(b) for b in self.bands)
        quote = f"（“{self.quote_zh}”）" if self.quote_zh else ""
        quote_en = f" (seed: “{self.quote_zh}”)" if self.quote_zh else ""
        reason = Reason(
            "rank",
            f"进位 {places} 个位次，{rate}{quote}，计 {yuan(money)}",
            f"Gained {places} place(s) at the band rates{quote_en}: {money:,} yuan",
        )
        self.line(s, reason, money)


@register
@dataclass(frozen=True)
class RankCap(MoneyRule):
    """Rank money is capped at ``rank.cap``: a negative line brings it down to the cap."""

    name = "rank.cap"
    keys = ("rank.cap",)
    part = "rank"
    title_zh = "进位激励上限"
    title_en = "Rank money cap"

    cap: int | None

    @classmethod
    def from_rules(cls, rules: RuleSet) -> RankCap:
        return cls(rules.rank_cap)

    def apply(self, s: AwardState) -> None:
        money, cap = s.amount("rank"), self.cap
        if cap is None or money <= cap:
            return
        reason = Reason(
            "rank.cap",
            f"排名进位激励最高不超过 {yuan(cap)}，按 {yuan(cap)} 计",
            f"Rank money is capped at {cap:,} yuan",
        )
        self.line(s, reason, cap - money)


@register
@dataclass(frozen=True)
class Bonuses(MoneyRule):
    """A one-off amount for each bonus whose ``min_places`` the county reached this year."""

    name = "bonus"
    keys = ("rank.bonuses",)
    part = "bonus"
    title_zh = "进位奖励"
    title_en = "Bonuses"

    bonuses: tuple[Bonus, ...]

    @classmethod
    def from_rules(cls, rules: RuleSet) -> Bonuses:
        return cls(rules.bonuses)

    def apply(self, s: AwardState) -> None:
        places = s.places
        for b in self.bonuses:
            if places >= b.min_places:
                reason = Reason(
                    f"bonus.{b.min_places}",
                    f"{b.name_zh or '进位奖励'}：进位 {places} 个位次（不少于 {b.min_places} 位），另计 {yuan(b.amount)}",
                    f"Bonus for gaining at least {b.min_places} places: {b.amount:,} yuan",
                )
                self.line(s, reason, b.amount)


@register
@dataclass(frozen=True)
class CombinedCap(MoneyRule):
    """A year with both jump money and rank money (or a bonus) is capped at ``combined_cap``: a
    negative line (the award's ``reduction``)."""

    name = "combined_cap"
    keys = ("combined_cap", "combined_quote_zh")
    part = "reduction"
    title_zh = "跃升与进位合计上限"
    title_en = "Combined cap"

    cap: int | None
    quote_zh: str = ""

    @classmethod
    def from_rules(cls, rules: RuleSet) -> CombinedCap:
        return cls(rules.combined_cap, rules.combined_quote_zh)

    def apply(self, s: AwardState) -> None:
        jump, rank = s.amount("jump"), s.amount("rank") + s.amount("bonus")
        cap = self.cap
        if not (jump > 0 and rank > 0 and cap is not None and jump + rank > cap):
            return
        quote = f"（“{self.quote_zh}”）" if self.quote_zh else ""
        reason = Reason(
            "combined_cap",
            f"年度既跃升又进位，合计 {yuan(jump + rank)} 超过上限{quote}，按 {yuan(cap)} 计",
            f"Both a jump and a rank gain this year: {jump + rank:,} yuan is "
            f"capped at {cap:,} yuan",
        )
        self.line(s, reason, cap - (jump + rank))


@register
@dataclass(frozen=True)
class NoGain(MoneyRule):
    """Nothing gained and nothing else said: the county stayed, its rank within the class did
    not rise."""

    name = "none"
    keys = ()
    title_zh = "未提高"
    title_en = "No gain"

    @classmethod
    def from_rules(cls, rules: RuleSet) -> NoGain:
        return cls()

    def apply(self, s: AwardState) -> None:
        if s.amount("jump") + s.amount("rank") + s.amount("bonus") != 0:
            return
        if any(
            ln.reason.rule in ("rank", "jump") or ln.reason.rule.startswith("places.")
            for ln in s.lines
        ):
            return
        pos, cr = integer(s.row.get("position_prev")), integer(s.row.get("class_rank"))
        reason = Reason(
            "none",
            f"保持{s.klass}类，类内排名由第 {pos} 位到第 {cr} 位，未提高，不计激励",
            f"Stayed in class {s.klass}, rank within class {pos} → {cr}: no gain, no award",
        )
        self.line(s, reason)


def rule_chain(rules: RuleSet) -> tuple[MoneyRule, ...]:
    """Every registered rule with its parameters from ``rules``, in the order they apply."""
    return tuple(cls.from_rules(rules) for cls in REGISTRY.values())


def registered() -> list[str]:
    """Names of the registered rules, in the order they apply."""
    return list(REGISTRY)
