"""One contract over every registered incentive rule (:mod:`cimon.analysis.award_rules`), as
tests/engine/test_contract.py is for the engine's methods, and the docs test of the rules.

Every rule must: build from every bundled rule set (its YAML keys exist in the bundled default,
and no key of a bundled rule set is left unread by every rule), be frozen, write in its example
exactly the lines listed there — integer amounts, only for a rule that has a part of the award,
reason keys named after the rule, reasons in Chinese and English — and have a section in
docs/analysis/incentives.md, in the order the rules apply.

``EXAMPLES`` must name every registered rule: a new rule without one fails
:func:`test_examples_cover_every_registered_rule`; one without a docs section fails
:func:`test_every_rule_has_a_docs_section`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cimon.analysis.award_base import REGISTRY, AwardState, MoneyRule
from cimon.analysis.award_rules import registered, rule_chain
from cimon.analysis.codes import CodeChange, CodeMap
from cimon.analysis.files import bundled
from cimon.analysis.incentives import Award, incentives, incentives_for_runs
from cimon.analysis.money import PARTS, Reason
from cimon.analysis.rules import FOLDER, load_rules, parse_rules, with_places
from cimon.engine.run import Run

from .test_incentives import results, with_options

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "analysis" / "incentives.md"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")
#: the rule set's own description, read by no rule
HEADER = {"id", "version", "name_zh", "name_en", "source_zh"}
BUNDLED = bundled(FOLDER)


@dataclass(frozen=True)
class Example:
    """Scores of last year (``None``: the first year) and this year (classes A ≥ 80, B ≥ 60, C),
    the county ``X``, the rule set and options, and the lines the rule must write for X:
    (reason key, amount in 元)."""

    prev: dict[str, float] | None
    curr: dict[str, float]
    lines: tuple[tuple[str, int], ...]
    options: dict[str, Any] = dataclasses.field(default_factory=dict)
    rules: str = "nx-2021"
    code_map: tuple[CodeChange, ...] = ()


EXAMPLES: dict[str, Example] = {
    "first_year": Example(None, {"B1": 70, "X": 85}, (("first_year.none", 0),)),
    "code_change": Example(
        {"B1": 75, "B2": 70, "X0": 62},
        {"B1": 75, "B2": 70, "X": 72},
        (("code_change.recode", 0),),
        code_map=(CodeChange("X0", "X", "recode"),),
    ),
    "down": Example({"A1": 90, "X": 81, "B1": 62}, {"A1": 90, "X": 79, "B1": 62}, (("down", 0),)),
    "jump": Example({"A1": 90, "X": 78}, {"A1": 90, "X": 81}, (("jump", 1_000_000),)),
    "places": Example(
        {"B1": 75, "B2": 70, "B3": 65, "X": 62},
        {"B1": 75, "B2": 70, "B3": 65, "X": 72},
        (("places", 0),),
    ),
    "rank": Example(
        {"B1": 75, "B2": 70, "B3": 65, "X": 62},
        {"B1": 75, "B2": 70, "B3": 65, "X": 72},
        (("rank", 500_000),),
    ),
    "rank.cap": Example(  # 5 places, 125万 → 100万
        {"B1": 79, "B2": 78, "B3": 77, "B4": 76, "B5": 75, "X": 61},
        {"B1": 79, "B2": 78, "B3": 77, "B4": 76, "B5": 75, "X": 79.5},
        (("rank.cap", -250_000),),
    ),
    "bonus": Example(  # zj-style: 10 places or more, +100万
        {**{f"B{k}": 80 - k for k in range(1, 13)}, "X": 61},
        {**{f"B{k}": 80 - k for k in range(1, 13)}, "X": 79.5},
        (("bonus.10", 1_000_000),),
        rules="zj-style",
    ),
    "combined_cap": Example(  # C→B 50万 + 3 places 75万 = 125万 → 100万
        {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 58},
        {"B1": 78, "B2": 70, "B3": 66, "B4": 62, "X": 77},
        (("combined_cap", -250_000),),
    ),
    "none": Example(
        {"B1": 70, "B2": 65, "X": 62},
        {"B1": 70, "B2": 66, "X": 66},
        (("none", 0),),
        {"ties": "max"},
    ),
}


def example_award(name: str) -> Award:
    ex = EXAMPLES[name]
    base = load_rules(ex.rules)
    rules = parse_rules(with_options(dict(base.raw), **ex.options)) if ex.options else base
    prev = results(ex.prev) if ex.prev is not None else None
    awards = incentives(prev, results(ex.curr), rules, 2023, code_map=CodeMap(ex.code_map))
    return next(a for a in awards if a.code == "X")


def yaml_keys(raw: Mapping[str, Any]) -> set[str]:
    """The keys of a rule set, one level into its blocks (``rank.bands``)."""
    out = set()
    for key, value in raw.items():
        out.add(str(key))
        if isinstance(value, Mapping):
            out |= {f"{key}.{sub}" for sub in value}
    return out - HEADER


def test_examples_cover_every_registered_rule() -> None:
    assert set(EXAMPLES) == set(registered())


def test_the_registry_is_the_order_of_the_rules() -> None:
    assert registered() == [
        "first_year",
        "code_change",
        "down",
        "jump",
        "places",
        "rank",
        "rank.cap",
        "bonus",
        "combined_cap",
        "none",
    ]
    assert [r.name for r in rule_chain(load_rules())] == registered()


@pytest.mark.parametrize("name", registered())
@pytest.mark.parametrize("rule_set", BUNDLED)
def test_rule_builds_from_every_bundled_rule_set(name: str, rule_set: str) -> None:
    cls = REGISTRY[name]
    rule = cls.from_rules(load_rules(rule_set))
    assert isinstance(rule, MoneyRule) and rule.name == name
    assert cls.part in PARTS and cls.title_zh and cls.title_en and cls.__doc__
    fields = [f.name for f in dataclasses.fields(rule)]
    assert list(rule.get_params()) == fields
    if fields:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(rule, fields[0], None)


@pytest.mark.parametrize("name", registered())
def test_rule_keys_are_keys_of_the_default_rule_set(name: str) -> None:
    """nx-2021 writes every key out, so a rule's keys must be there."""
    keys = yaml_keys(load_rules("nx-2021").raw)
    assert set(REGISTRY[name].keys) <= keys


@pytest.mark.parametrize("rule_set", BUNDLED)
def test_every_key_of_a_bundled_rule_set_is_read_by_a_rule(rule_set: str) -> None:
    read = {k for cls in REGISTRY.values() for k in cls.keys}
    assert yaml_keys(load_rules(rule_set).raw) <= read


@pytest.mark.parametrize("name", registered())
def test_rule_writes_its_example(name: str) -> None:
    a = example_award(name)
    mine = [ln for ln in a.lines if ln.rule == name]
    assert [(ln.reason.rule, ln.amount) for ln in mine] == list(EXAMPLES[name].lines), a.explain()
    for ln in mine:
        assert type(ln.amount) is int
        assert ln.part == REGISTRY[name].part
        assert ln.amount == 0 or ln.part
        assert ln.reason.rule == name or ln.reason.rule.startswith(f"{name}.")
        assert CJK.search(ln.reason.zh) and LATIN.search(ln.reason.en), ln.reason


def test_an_award_is_the_sum_of_its_lines_in_every_example() -> None:
    for name in EXAMPLES:
        check_sums(example_award(name))


def check_sums(a: Award) -> None:
    assert a.lines and a.reasons == tuple(ln.reason for ln in a.lines)
    assert a.total == sum(ln.amount for ln in a.lines)
    for part in ("jump", "rank", "bonus", "reduction"):
        assert getattr(a, part) == sum(ln.amount for ln in a.lines if ln.part == part), part
    assert a.total == a.jump + a.rank + a.bonus + a.reduction
    assert all(type(ln.amount) is int for ln in a.lines)


@pytest.mark.parametrize("reading", ["overtaken", "literal"])
@pytest.mark.parametrize("rule_set", BUNDLED)
def test_every_demo_award_is_the_sum_of_its_lines(
    demo_runs: dict[int, Run], rule_set: str, reading: str
) -> None:
    owed = incentives_for_runs(demo_runs, with_places(load_rules(rule_set), reading))
    fired = set()
    for awards in owed.values():
        for a in awards:
            check_sums(a)
            fired |= {ln.rule for ln in a.lines}
    assert {"first_year", "jump", "places", "none", "down"} <= fired


def test_a_line_is_whole_yuan_and_only_a_paying_rule_pays() -> None:
    rules = load_rules()
    state = AwardState.start({"class": "B", "class_prev": "B"}, rules, 2023)
    jump, places = (REGISTRY[name].from_rules(rules) for name in ("jump", "places"))
    reason = Reason("jump", "跃升", "jump")
    with pytest.raises(TypeError):
        jump.line(state, reason, 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        jump.line(state, reason, True)
    with pytest.raises(TypeError):
        places.line(state, Reason("places", "位次", "places"), 250_000)
    assert state.lines == []


def rule_sections() -> list[tuple[str, str]]:
    """(name, text) of every ``### `name` `` section under the page's rules heading."""
    page = PAGE.read_text(encoding="utf-8")
    part = page.split("\n## The rules, in order", 1)[1].split("\n## ", 1)[0]
    chunks = re.split(r"^### `([^`]+)`", part, flags=re.M)
    return list(zip(chunks[1::2], chunks[2::2], strict=True))


def test_every_rule_has_a_docs_section() -> None:
    """docs/analysis/incentives.md has one section per registered rule, in the order they
    apply, naming its YAML keys — and none for a rule that does not exist."""
    sections = rule_sections()
    assert [name for name, _ in sections] == registered()
    for name, text in sections:
        for key in REGISTRY[name].keys:
            assert f"`{key}`" in text, f"section {name} does not name its key {key}"


def test_docs_name_no_rule_that_does_not_exist() -> None:
    page = PAGE.read_text(encoding="utf-8")
    named = re.findall(r"^### `([^`]+)`", page, flags=re.M)
    assert sorted(named) == sorted(registered())
