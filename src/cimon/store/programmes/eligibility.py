"""Eligibility rules of a programme (遴选条件), read from YAML (``src/cimon/data/programmes/``).

A rule is a mapping with ``rule`` naming one of :data:`RULES`; every rule must hold. Each rule
looks at the county's row in the latest published evaluation (``{"class", "score_published",
"score", ...}``, or None when the county has no published result) and returns None when it holds,
else the reason as (Chinese, English).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Reason = tuple[str, str]
Row = Mapping[str, Any] | None

DATA = Path(__file__).resolve().parents[2] / "data" / "programmes"


class RuleError(ValueError):
    """A rule file or rule that cannot be read; ``args`` = (Chinese, English)."""


def _published(rule: Mapping[str, Any], row: Row, year: int | None) -> Reason | None:
    if row is None:
        return ("没有该县已发布的评价结果。", "The county has no published evaluation result.")
    return None


def _min_class(rule: Mapping[str, Any], row: Row, year: int | None) -> Reason | None:
    order = [str(c) for c in rule.get("order", [])]
    need = str(rule.get("class", ""))
    if need not in order:
        raise RuleError(
            f"min_class 的等级 {need} 不在 order {order} 中。",
            f"min_class class {need} is not in order {order}.",
        )
    if row is None:
        return _published(rule, row, year)
    got = str(row.get("class") or "")
    if got not in order or order.index(got) > order.index(need):
        return (
            f"{year} 年评价等级为 {got or '无'}，低于要求的 {need}。",
            f"Class {got or 'none'} in the {year} evaluation is below the required {need}.",
        )
    return None


def _min_score(rule: Mapping[str, Any], row: Row, year: int | None) -> Reason | None:
    need = float(rule["score"])
    if row is None:
        return _published(rule, row, year)
    got = row.get("score_published", row.get("score"))
    if got is None or float(got) < need:
        return (
            f"{year} 年评价得分为 {got if got is not None else '无'}，低于要求的 {need:g} 分。",
            f"Score {got} in the {year} evaluation is below the required {need:g}.",
        )
    return None


RULES: dict[str, Callable[[Mapping[str, Any], Row, int | None], Reason | None]] = {
    "published": _published,
    "min_class": _min_class,
    "min_score": _min_score,
}


@dataclass(frozen=True)
class Decision:
    eligible: bool
    rule: str  # the rule that failed, or "all" when every rule held
    reason_zh: str
    reason_en: str
    evaluation_year: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "rule": self.rule,
            "reason_zh": self.reason_zh,
            "reason_en": self.reason_en,
            "evaluation_year": self.evaluation_year,
        }


def check_rules(rules: list[Mapping[str, Any]], row: Row, year: int | None) -> Decision:
    """The decision of ``rules`` on a county's published row (None: no published result).

    The first rule that fails decides (ineligible, with its reason); when all hold the
    county is eligible. An unknown rule name raises :class:`RuleError`.
    """
    for rule in rules:
        name = str(rule.get("rule", ""))
        fn = RULES.get(name)
        if fn is None:
            raise RuleError(
                f"未知的遴选规则“{name}”。可用：{'、'.join(RULES)}。",
                f"Unknown eligibility rule '{name}'. Known: {', '.join(RULES)}.",
            )
        reason = fn(rule, row, year)
        if reason is not None:
            return Decision(False, name, reason[0], reason[1], year)
    return Decision(True, "all", "符合全部遴选条件。", "Every eligibility rule holds.", year)


def read_programme_file(ref: str | Path) -> tuple[dict[str, Any], str]:
    """A programme definition (bundled code such as ``innovative-county``, or a path) and the
    SHA-256 of its bytes. Checks that every rule is known."""
    path = Path(ref)
    if not path.suffix:
        path = DATA / f"{ref}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in DATA.glob("*.yaml"))
        raise RuleError(
            f"找不到项目定义“{ref}”。内置：{'、'.join(known)}。",
            f"No programme definition '{ref}'. Bundled: {', '.join(known)}.",
        )
    raw = path.read_bytes()
    data = yaml.safe_load(raw) or {}
    for rule in data.get("eligibility", []):
        if rule.get("rule") not in RULES:
            raise RuleError(
                f"{path.name}：未知的遴选规则“{rule.get('rule')}”。",
                f"{path.name}: unknown eligibility rule '{rule.get('rule')}'.",
            )
    return data, hashlib.sha256(raw).hexdigest()
