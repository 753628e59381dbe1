"""Incentive rules, table-driven: one row per case, including every case seed 000 leaves open.

Seed 000 section 四(二): “对评价结果由B类跃升到A类的县给予100万元额度激励资金支持，评价结果由C类跃升到B类
的县给予50万元额度激励资金支持；同类别内排名每提高1个位次的给予25万元额度激励资金支持，排名进位激励资金额度
最高不超过100万元。年度既获得进位、又实现跃升的，激励资金额度最高不超过100万元。”

Each row: previous scores, current scores (classes from A ≥ 80, 60 ≤ B < 80, C < 60), the county
under test ``X``, rule options changed from the default set, the expected amount in whole 元, the
rule keys that must fire, and the basis — the seed's wording or the decision documented in
docs/analysis/incentives.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cimon.analysis.codes import CodeChange, CodeMap
from cimon.analysis.errors import RuleError
from cimon.analysis.incentives import Award, incentives, incentives_for_runs, total_owed, yuan
from cimon.analysis.rules import load_rules, parse_rules, with_places
from cimon.engine.run import Run

DEFAULT = load_rules("nx-2021")
ZJ = load_rules("zj-style")


def results(scores: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": list(scores),
            "score_published": list(scores.values()),
            "class": ["A" if s >= 80 else "B" if s >= 60 else "C" for s in scores.values()],
        },
        index=pd.Index(list(scores), name="region_code"),
    )


def with_options(base: dict[str, Any], **options: Any) -> dict[str, Any]:
    raw = {**base}
    for key, value in options.items():
        if key in ("class_changed", "ties", "places"):
            raw["rank"] = {**raw["rank"], key: value}
        elif key in ("recode", "boundary"):
            raw["code_change"] = {**raw["code_change"], key: value}
        else:
            raw[key] = value
    return raw


@dataclass
class Case:
    id: str
    prev: dict[str, float] | None
    curr: dict[str, float]
    expected: int
    fired: tuple[str, ...]
    basis: str
    options: dict[str, Any] = field(default_factory=dict)
    rules: str = "nx-2021"
    code_map: tuple[CodeChange, ...] = ()
    county: str = "X"


TWELVE_ABOVE = {f"B{k}": 80 - k for k in range(1, 13)}  # 79 … 68

CASES = [
    Case("B→A", {"A1": 90, "X": 78}, {"A1": 90, "X": 81}, 1_000_000, ("jump",),
         "seed: 对评价结果由B类跃升到A类的县给予100万元额度激励资金支持"),
    Case("C→B", {"B1": 70, "X": 55}, {"B1": 70, "X": 61}, 500_000, ("jump",),
         "seed: 评价结果由C类跃升到B类的县给予50万元额度激励资金支持"),
    Case("places within class", {"B1": 75, "B2": 70, "B3": 65, "X": 62},
         {"B1": 75, "B2": 70, "B3": 65, "X": 72}, 500_000, ("places", "rank"),
         "seed: 同类别内排名每提高1个位次的给予25万元额度激励资金支持 (4th → 2nd: 2 × 25万)"),
    Case("rank cap", {"B1": 79, "B2": 78, "B3": 77, "B4": 76, "B5": 75, "X": 61},
         {"B1": 79, "B2": 78, "B3": 77, "B4": 76, "B5": 75, "X": 79.5}, 1_000_000, ("rank", "rank.cap"),
         "seed: 排名进位激励资金额度最高不超过100万元 (5 places = 125万 → 100万)"),
    Case("jump and places capped", {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 58},
         {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 77}, 1_000_000,
         ("jump", "places.class_changed", "rank", "combined_cap"),
         "seed: 年度既获得进位、又实现跃升的，激励资金额度最高不超过100万元; decision (open case 2, "
         "class_changed=entry): X enters B below its 4 members (position 5), ranks 2nd: 3 places, "
         "50万 + 75万 = 125万 → 100万"),
    Case("open 2: class_changed=none", {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 58},
         {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 77}, 500_000, ("jump", "places.class_changed"),
         "decision: option class_changed=none counts no places when the class changed (literal 同类别内)",
         {"class_changed": "none"}),
    Case("open 2: class_changed=overall", {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 58},
         {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 77}, 1_000_000, ("jump", "rank", "combined_cap"),
         "decision: option class_changed=overall counts overall places (5th → 2nd: 3), then the seed's 100万 cap",
         {"class_changed": "overall"}),
    Case("open 1: C→A, highest", {"B1": 70, "X": 50}, {"B1": 70, "X": 85}, 1_000_000, ("jump.multi_step",),
         "decision (open case 1, multi_step=highest): C→A pays the larger one-step amount, B→A 100万"),
    Case("open 1: C→A, sum", {"B1": 70, "X": 50}, {"B1": 70, "X": 85}, 1_500_000, ("jump.multi_step",),
         "decision: option multi_step=sum pays C→B 50万 + B→A 100万", {"multi_step": "sum"}),
    Case("open 3: tie, min", {"B1": 70, "B2": 65, "X": 62}, {"B1": 70, "B2": 66, "X": 66}, 250_000,
         ("places", "rank"),
         "decision (open case 3, ties=min): tied counties share the better, published rank (3rd → tied 2nd: 1 place)"),
    Case("open 3: tie, max", {"B1": 70, "B2": 65, "X": 62}, {"B1": 70, "B2": 66, "X": 66}, 0, ("none",),
         "decision: option ties=max counts a tie at the worse rank (3rd → 3rd: no place)", {"ties": "max"}),
    Case("open 4: first year", None, {"B1": 70, "X": 85}, 0, ("first_year.none",),
         "decision (open case 4, first_year=none): no previous result, no award"),
    Case("open 4: county new to the evaluation", {"B1": 70}, {"B1": 70, "X": 65}, 0, ("first_year.none",),
         "decision: a county with no result last year gets no award"),
    Case("open 4: new county, lowest_class", {"B1": 70}, {"B1": 70, "X": 65}, 500_000,
         ("first_year.lowest_class", "jump"),
         "decision: option first_year=lowest_class treats last year as C (C→B 50万)", {"first_year": "lowest_class"}),
    Case("open 5: recode follows", {"B1": 75, "B2": 70, "X0": 62}, {"B1": 75, "B2": 70, "X": 72}, 250_000,
         ("code_change.recode", "rank"),
         "decision (open case 5, recode=follow): 撤县设区 keeps the record; 3rd → 2nd: 25万",
         code_map=(CodeChange("X0", "X", "recode"),)),
    Case("open 5: recode, none", {"B1": 75, "B2": 70, "X0": 62}, {"B1": 75, "B2": 70, "X": 72}, 0,
         ("code_change.recode",), "decision: option recode=none gives no award after a code change",
         {"recode": "none"}, code_map=(CodeChange("X0", "X", "recode"),)),
    Case("open 5: boundary change", {"B1": 75, "X0": 55}, {"B1": 75, "X": 72}, 0, ("code_change.boundary",),
         "decision (boundary=none): boundaries changed, results not comparable, no award",
         code_map=(CodeChange("X0", "X", "boundary"),)),
    Case("open 5: boundary, follow", {"B1": 75, "X0": 55}, {"B1": 75, "X": 72}, 500_000,
         ("code_change.boundary", "jump"), "decision: option boundary=follow compares with the predecessor (C→B)",
         {"boundary": "follow"}, code_map=(CodeChange("X0", "X", "boundary"),)),
    Case("open 5: merged counties", {"B1": 75, "X1": 62, "X2": 58}, {"B1": 75, "X": 72}, 0, ("first_year.none",),
         "decision: several predecessors, no single previous result, no award",
         {"boundary": "follow"}, code_map=(CodeChange("X1", "X", "boundary"), CodeChange("X2", "X", "boundary"))),
    Case("fell a class", {"A1": 90, "X": 81, "B1": 62}, {"A1": 90, "X": 79, "B1": 62}, 0, ("down",),
         "decision: a county that fell a class earns neither jump nor rank money"),
    Case("rank fell", {"B1": 75, "X": 72, "B2": 70}, {"B1": 75, "X": 69, "B2": 70}, 0, ("places.score_fell",),
         "seed: money only for 排名每提高1个位次 — 2nd → 3rd earns nothing"),
    Case("rank fell, literal", {"B1": 75, "X": 72, "B2": 70}, {"B1": 75, "X": 69, "B2": 70}, 0, ("none",),
         "decision: option places=literal — 2nd → 3rd in the class earns nothing", {"places": "literal"}),
    Case("open 6: counties above left, score fell", {"C1": 58, "C2": 57, "X": 55, "C3": 40},
         {"C1": 61, "C2": 62, "X": 54, "C3": 41}, 0, ("places.score_fell",),
         "decision (open case 6, places=overtaken): 3rd → 1st in class C only because C1 and C2 jumped "
         "to B, and X's score fell (the demo's 惠农区): no place money (鼓励跃升、激励进位)"),
    Case("open 6: counties above left, literal", {"C1": 58, "C2": 57, "X": 55, "C3": 40},
         {"C1": 61, "C2": 62, "X": 54, "C3": 41}, 500_000, ("places", "rank"),
         "decision: option places=literal pays the difference of positions in class C, 3rd → 1st: "
         "2 × 25万 (today's reading before #13)", {"places": "literal"}),
    Case("open 6: counties above left, score rose", {"C1": 58, "C2": 57, "X": 55, "C3": 40},
         {"C1": 61, "C2": 62, "X": 55.5, "C3": 41}, 0, ("places.not_overtaken",),
         "decision (places=overtaken): no county of class C in both years was passed: no place money"),
    Case("open 6: overtook one, overtaken by one", {"B1": 75, "X": 70, "B2": 65},
         {"B1": 69, "X": 71, "B2": 72}, 0, ("places",),
         "decision (places=overtaken): net places against the stable peers, 1 − 1 = 0"),
    Case("open 6: overtook a peer but overall rank fell", {"B1": 75, "X": 70, "B2": 68, "C1": 59, "C2": 58},
         {"B1": 69, "X": 70.5, "B2": 68, "C1": 72, "C2": 71}, 0, ("places.rank_fell",),
         "decision (places=overtaken): overall rank 2nd → 3rd (two counties jumped past it): no place money"),
    Case("open 6: new counties above do not count", {"B1": 75, "B2": 72, "X": 70},
         {"N1": 79, "N2": 78, "B1": 76, "X": 73, "B2": 71}, 250_000, ("places", "rank"),
         "decision (places=overtaken): X passed B2; its published rank fell 3 → 4 only because two "
         "counties new to the evaluation rank above it — among the counties of both years it rose"),
    Case("open 6: new counties above, literal", {"B1": 75, "B2": 72, "X": 70},
         {"N1": 79, "N2": 78, "B1": 76, "X": 73, "B2": 71}, 0, ("none",),
         "decision: option places=literal — 3rd in B last year, 4th this year: no place",
         {"places": "literal"}),
    Case("open 6: overtook two peers", {"B1": 75, "B2": 72, "X": 70, "C1": 50},
         {"B1": 71, "B2": 70, "X": 74, "C1": 61}, 500_000, ("places", "rank"),
         "decision (places=overtaken): passed B1 and B2, both in class B in both years: 2 × 25万"),
    Case("zj-style: 12 places, bands stack, bonus", {**TWELVE_ABOVE, "X": 61}, {**TWELVE_ABOVE, "X": 79.5},
         4_000_000, ("rank", "rank.cap", "bonus.10"),
         "second rule set: 3×30万 + 3×40万 + 6×50万 = 510万 → cap 300万, + 100万 bonus for ≥10 places",
         rules="zj-style"),
    Case("zj-style: C→A sums", {"B1": 70, "X": 50}, {"B1": 70, "X": 85}, 3_300_000,
         ("jump.multi_step", "rank"),
         "second rule set: multi_step=sum, 100万 + 200万; class_changed=overall, 2nd → 1st: + 30万 "
         "(330万 < combined cap 400万)", rules="zj-style"),
]  # fmt: skip


def run_case(case: Case) -> Award:
    base = DEFAULT if case.rules == "nx-2021" else ZJ
    rules = parse_rules(with_options(dict(base.raw), **case.options)) if case.options else base
    prev = results(case.prev) if case.prev is not None else None
    awards = incentives(prev, results(case.curr), rules, 2023, code_map=CodeMap(case.code_map))
    return next(a for a in awards if a.code == case.county)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_incentive_case(case: Case) -> None:
    assert case.basis.startswith(("seed", "decision", "second rule set"))
    a = run_case(case)
    assert isinstance(a.total, int)
    assert a.total == case.expected, a.explain()
    assert a.total == a.jump + a.rank + a.bonus + a.reduction
    fired = {r.rule for r in a.reasons}
    assert set(case.fired) <= fired, fired
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r.zh) for r in a.reasons)


def test_reasons_quote_the_seed() -> None:
    a = run_case(CASES[4])
    text = a.explain()
    assert "年度既获得进位、又实现跃升的" in text and "1,000,000 元（100 万元）" in text
    assert "进位 3 个位次" in text


def test_demo_totals_per_year(demo_runs: dict[int, Run]) -> None:
    """The demo's incentives per year under nx-2021 (places=overtaken, checked by hand for 2023:
    5 jumps — 西夏区, 灵武市, 中宁县 B→A at 100万, 平罗县 and 原州区 C→B at 50万 — and 利通区
    (passed 大武口区 in B) and 隆德县 (passed 惠农区 in C) at 25万: 4,500,000 元); under the
    literal reading 14,250,000 元 (20 counties), the amount before #13."""
    owed = incentives_for_runs(demo_runs, DEFAULT)
    assert total_owed(owed[2020]) == 0  # first year
    assert total_owed(owed[2023]) == 4_500_000
    jumps = sorted(a.name for a in owed[2023] if a.jump)
    assert jumps == sorted(["西夏区", "灵武市", "中宁县", "平罗县", "原州区"])
    assert sorted(a.name for a in owed[2023] if a.rank) == ["利通区", "隆德县"]
    literal = incentives_for_runs(demo_runs, with_places(DEFAULT, "literal"))
    assert total_owed(literal[2023]) == 14_250_000
    assert sum(1 for a in literal[2023] if a.total) == 20


BEFORE = json.loads(
    (Path(__file__).parent / "data" / "incentives-before-13.json").read_text("utf-8")
)


@pytest.mark.parametrize("rule_set", ["nx-2021", "zj-style"])
def test_literal_reading_reproduces_the_amounts_before_13(
    demo_runs: dict[int, Run], rule_set: str
) -> None:
    """Must show (#13): ``rank.places=literal`` pays every county of every demo year exactly what
    cimon paid before the option existed (per county: total, jump money, rank money)."""
    owed = incentives_for_runs(demo_runs, with_places(load_rules(rule_set), "literal"))
    got = {str(y): {a.code: [a.total, a.jump, a.rank] for a in aw} for y, aw in owed.items()}
    assert got == BEFORE[rule_set]


def test_default_pays_no_place_money_for_a_fall(demo_runs: dict[int, Run]) -> None:
    """Must show (#13), every demo year: under the default no county whose score fell, or whose
    overall rank fell within an unchanged class, is paid place money; every place paid is a
    county of the same class in both years that the county overtook."""
    assert DEFAULT.places == "overtaken"
    owed = incentives_for_runs(demo_runs, DEFAULT)
    years = sorted(demo_runs)[1:]
    checked = 0
    for year in years:
        prev, curr = demo_runs[year - 1].results, demo_runs[year].results
        for a in owed[year]:
            if a.class_prev is None:
                continue
            fell = curr.at[a.code, "score_published"] < prev.at[a.code, "score_published"]
            rank_fell = (
                a.class_prev == a.klass and curr.at[a.code, "rank"] > prev.at[a.code, "rank"]
            )
            if fell or rank_fell:
                checked += 1
                assert a.rank == 0 and a.bonus == 0 and a.places == 0, (year, a.name, a.explain())
                assert any(
                    r.rule in ("places.score_fell", "places.rank_fell", "down") for r in a.reasons
                )
            if a.rank:
                assert a.places > 0 and "超越" in a.explain() and "鼓励" not in a.explain()
    assert checked >= 10  # the demo has many such counties; the test is not vacuous
    huinong = next(a for a in owed[2023] if a.name == "惠农区")
    helan = next(a for a in owed[2023] if a.name == "贺兰县")
    assert huinong.total == 0 and "得分下降 1.80 分" in huinong.explain()
    assert helan.total == 0 and "总排名由第 6 位降至第 7 位" in helan.explain()
    assert "Score fell by 1.80" in huinong.explain("en")


def test_yuan_format() -> None:
    assert yuan(1_250_000) == "1,250,000 元（125 万元）"
    assert yuan(1_250_001) == "1,250,001 元"
    assert yuan(500_000, "en") == "500,000 yuan"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            {
                "jumps": [
                    {"from": "B", "to": "A", "amount": 1000000.5},
                    {"from": "C", "to": "B", "amount": 1},
                ]
            },
            "jumps[0].amount",
        ),
        ({"jumps": [{"from": "B", "to": "A", "amount": 1}]}, "jumps"),
        ({"multi_step": "average"}, "multi_step"),
        ({"rank": {"bands": [{"from": 2, "per_place": 1}]}}, "rank.bands[0]"),
        ({"rank": {"bands": [], "class_changed": "maybe"}}, "rank.class_changed"),
        ({"rank": {"bands": [], "places": "net"}}, "rank.places"),
    ],
)
def test_bad_rule_sets_name_the_key(change: dict[str, Any], path: str) -> None:
    raw = {**dict(DEFAULT.raw), **change}
    with pytest.raises(RuleError) as info:
        parse_rules(raw, "rules.yaml")
    assert info.value.where == f"rules.yaml: {path}"
    assert info.value.zh and info.value.en


def test_unknown_rule_set_lists_bundled() -> None:
    with pytest.raises(RuleError, match="nx-2021"):
        load_rules("no-such-rules")


def test_with_places_changes_only_the_reading() -> None:
    literal = with_places(DEFAULT, "literal")
    assert literal.places == "literal" and DEFAULT.places == "overtaken"
    assert literal.hash != DEFAULT.hash and literal.bands == DEFAULT.bands
    assert with_places(DEFAULT, "overtaken") is DEFAULT
