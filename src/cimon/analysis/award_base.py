"""The incentive-rule registry and the contract every money rule follows (as
:mod:`cimon.engine.base` is for the engine's methods).

An award is built by the registered rules, one after another in the order they are registered
(:mod:`cimon.analysis.award_rules`), each reading one county's comparison row and writing
**lines** (:class:`~cimon.analysis.money.Line`: the rule, the award field its amount goes to, an
integer amount in 元 — negative for a cap — and the reason in Chinese and English). The award is
the sum of its lines (:func:`cimon.analysis.incentives.award`). A rule:

* is a frozen dataclass of its parameters, built from the validated rule set by
  :meth:`MoneyRule.from_rules`; ``keys`` names the YAML keys of the rule set it reads (the first
  is its own block) — a bundled rule set has no key that no rule reads;
* writes lines only through :meth:`MoneyRule.line`, each with a reason whose key is the rule's
  name or starts with it (``jump.multi_step`` is written by ``jump``);
* may end the award (:meth:`AwardState.stop`: no comparable previous result, a fall) or narrow the
  rules still to apply (:attr:`AwardState.only`).

Every registered rule has a section in docs/analysis/incentives.md and an example in
tests/analysis/test_award_rules.py; a test fails when either is missing.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from cimon.analysis.money import PARTS, Line, Reason
from cimon.analysis.rules import RuleSet

#: every registered rule by name, in the order they apply
REGISTRY: dict[str, type[MoneyRule]] = {}

R = TypeVar("R", bound="MoneyRule")


@dataclass
class AwardState:
    """One county's award while the rules apply: the comparison row, the rule set, the lines
    written so far, the places counted and whether the award is finished.

    ``prev`` is the class compared with (``None``: no comparable previous result; a rule may set
    it, as ``first_year=lowest_class`` does); ``match`` how the county was matched to last year
    (:func:`cimon.analysis.compare.compare_results`)."""

    row: Mapping[str, Any]
    rules: RuleSet
    year: int
    first_year: bool
    klass: str
    prev: str | None
    match: str
    lines: list[Line] = field(default_factory=list)
    places: int = 0
    stopped: bool = False
    #: when set, only the rules named here still apply
    only: frozenset[str] | None = None

    @classmethod
    def start(
        cls, row: Mapping[str, Any], rules: RuleSet, year: int, first_year: bool = False
    ) -> AwardState:
        prev = row.get("class_prev")
        missing = prev is None or (isinstance(prev, float) and math.isnan(prev))
        return cls(
            row=row,
            rules=rules,
            year=year,
            first_year=first_year,
            klass=str(row["class"]),
            prev=None if missing else str(prev),
            match=str(row.get("match", "same")),
        )

    @property
    def steps(self) -> int:
        """Classes moved up since last year (negative: fell); needs ``prev``."""
        labels = self.rules.classes
        level = {label: len(labels) - 1 - k for k, label in enumerate(labels)}
        return level[self.klass] - level[str(self.prev)]

    def amount(self, part: str) -> int:
        """The sum of the lines written so far for one award field (``jump``, ``rank`` …)."""
        return sum(line.amount for line in self.lines if line.part == part)

    def stop(self) -> None:
        """No further rule applies to this award."""
        self.stopped = True


@dataclass(frozen=True)
class MoneyRule:
    """Base of every registered incentive rule. Subclasses are frozen dataclasses of their
    parameters."""

    #: the registry name; every reason key the rule writes is this name or starts with ``name.``
    name: ClassVar[str] = ""
    #: the YAML keys of the rule set it reads (dotted paths; the first is its own block)
    keys: ClassVar[tuple[str, ...]] = ()
    #: the :class:`~cimon.analysis.incentives.Award` field its amounts go to (``""``: it only
    #: explains, every amount is 0)
    part: ClassVar[str] = ""
    #: one line each, shown in the docs
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""

    @classmethod
    def from_rules(cls: type[R], rules: RuleSet) -> R:
        """The rule with its parameters taken from a validated rule set."""
        raise NotImplementedError

    def apply(self, state: AwardState) -> None:
        """Write this rule's lines for one county (possibly none)."""
        raise NotImplementedError

    def line(self, state: AwardState, reason: Reason, amount: int = 0) -> None:
        """Add a line (integer 元; only a rule with a ``part`` writes a non-zero amount)."""
        if type(amount) is not int or (amount and not self.part):
            raise TypeError(f"rule {self.name}: amount {amount!r} for part {self.part!r}")
        state.lines.append(Line(self.name, self.part, amount, reason))

    def get_params(self) -> dict[str, Any]:
        """The parameters as a plain dict."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def register(cls: type[R]) -> type[R]:
    """Class decorator: add a rule to the registry; rules apply in the order registered."""
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"missing or duplicate incentive rule name {cls.name!r}")
    if cls.part not in PARTS:
        raise ValueError(f"rule {cls.name}: unknown part {cls.part!r} (one of {PARTS})")
    REGISTRY[cls.name] = cls
    return cls
