"""Assessment rule sets for 科技特派员 (issue #17 item 3): data, not code, loaded from versioned YAML.

A rule set names the grades (best first: 优秀, 良好, 合格, 不合格), the score each grade needs
(``thresholds``), the rules (``rules``: a list of entries, each of a registered kind —
:mod:`cimon.analysis.commissioners.kinds` — with its parameters and, for a scored kind, its
``weight`` of the 100-point score) and the 优秀 quota (``quota``). The bundled default is
``assessment-default`` (``cimon/data/commissioners/assessment-default.yaml``); every number there is
a province's choice, documented in docs/commissioners-assessment.md.

Every error names the file and the key path and says what to do, in Chinese and English.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cimon.analysis.commissioners.base import (
    GRADES,
    GRADES_EN,
    AssessmentInputError,
    AssessmentRuleError,
    Checker,
)
from cimon.analysis.commissioners.kinds import KINDS
from cimon.analysis.files import load_yaml
from cimon.model.framework import content_hash

__all__ = [
    "DEFAULT",
    "FOLDER",
    "GRADES",
    "GRADES_EN",
    "AssessmentInputError",
    "AssessmentRuleError",
    "AssessmentRules",
    "Quota",
    "load_assessment_rules",
    "parse_assessment_rules",
]

FOLDER = "commissioners"
DEFAULT = "assessment-default"
SCOPES = ("province", "county")
ROUNDING = ("floor", "round", "ceil")
TIES = ("exclude", "include")


@dataclass(frozen=True)
class Quota:
    """The 优秀 quota: at most ``share`` of the commissioners assessed in each ``scope``
    (``province``: all rows; ``county``: each ``county_code``), the count rounded by
    ``rounding``; candidates ranked by score, then by ``tie_break`` columns (higher first); a tie
    at the last place is all kept (``ties: include``) or all cut (``ties: exclude``). A cut
    candidate gets the next grade."""

    share: float
    scope: str = "province"
    rounding: str = "floor"
    ties: str = "exclude"
    tie_break: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssessmentRules:
    """A validated assessment rule set; ``rules`` are instances of registered kinds."""

    id: str
    version: str
    name_zh: str
    name_en: str
    source_zh: str
    thresholds: Mapping[str, float]  # grade → lowest score of that grade (not the last grade)
    rules: tuple[Any, ...]  # RuleKind instances, in file order
    quota: Quota | None
    score_decimals: int
    raw: Mapping[str, Any]
    source: str = "<dict>"

    @property
    def hash(self) -> str:
        return content_hash(self.raw)

    @property
    def weights(self) -> dict[str, float]:
        return {r.label: r.weight for r in self.rules if r.weight}


def load_assessment_rules(ref: str | Path | Mapping[str, Any] = DEFAULT) -> AssessmentRules:
    """Load and validate a rule set: a bundled id (``assessment-default``), a YAML path or a
    parsed mapping. Raises :class:`AssessmentRuleError` naming the file and key path."""
    if isinstance(ref, Mapping):
        return parse_assessment_rules(ref, "<dict>")
    data, source = load_yaml(ref, FOLDER, AssessmentRuleError)
    return parse_assessment_rules(data, source)


def parse_assessment_rules(data: Mapping[str, Any], source: str = "<dict>") -> AssessmentRules:
    """Validate a parsed mapping and build :class:`AssessmentRules`."""
    c = Checker(source)
    for key in ("id", "version", "thresholds", "rules"):
        if data.get(key) is None:
            raise c.fail(key, f"缺少必填项“{key}”。", f"'{key}' is required.")
    th = data["thresholds"]
    if not isinstance(th, Mapping) or set(map(str, th)) != set(GRADES[:-1]):
        raise c.fail(
            "thresholds",
            f"thresholds 应给出 {'、'.join(GRADES[:-1])} 的最低分（0–100），如 优秀: 90。",
            f"thresholds must give the lowest score (0–100) of {', '.join(GRADES[:-1])}, e.g. 优秀: 90.",
        )
    thresholds = {g: float(c.number(th, g, "thresholds", hi=100.0) or 0.0) for g in GRADES[:-1]}
    values = [thresholds[g] for g in GRADES[:-1]]
    if any(a <= b for a, b in itertools.pairwise(values)):
        raise c.fail(
            "thresholds",
            "等次分数线应从优秀到合格依次降低。",
            "The thresholds must fall from 优秀 to 合格.",
        )
    if not isinstance(data["rules"], list) or not data["rules"]:
        raise c.fail("rules", "rules 应为规则列表。", "rules must be a list of rules.")
    rules = []
    labels: set[str] = set()
    for k, node in enumerate(data["rules"]):
        path = f"rules[{k}]"
        if not isinstance(node, Mapping):
            raise c.fail(path, "每条规则应为键值映射。", "Each rule must be a mapping.")
        kind = str(node.get("kind", ""))
        if kind not in KINDS:
            raise c.fail(
                f"{path}.kind",
                f"未知的规则类型“{kind}”。可用：{'、'.join(KINDS)}；新类型须先在代码中注册。",
                f"Unknown rule kind '{kind}'. Known: {', '.join(KINDS)}; register a new kind in code first.",
            )
        rule = KINDS[kind].parse(node, path, c)
        if rule.label in labels:
            raise c.fail(
                path,
                f"规则“{rule.label}”出现了两次；同类规则请用 label 区分。",
                f"Rule '{rule.label}' appears twice; give one a distinct label.",
            )
        labels.add(rule.label)
        rules.append(rule)
    total = sum(r.weight for r in rules)
    if abs(total - 100.0) > 1e-9:
        raise c.fail(
            "rules",
            f"各计分规则的权重（weight）之和应为 100，实际为 {total:g}。",
            f"The weights of the scored rules must add up to 100; they add up to {total:g}.",
        )
    quota = None
    if data.get("quota") is not None:
        q = data["quota"]
        if not isinstance(q, Mapping):
            raise c.fail("quota", "quota 应为键值映射。", "quota must be a mapping.")
        tb = q.get("tie_break") or []
        if not isinstance(tb, list) or not all(isinstance(x, str) for x in tb):
            raise c.fail(
                "quota.tie_break",
                "tie_break 应为列名列表。",
                "tie_break must be a list of column names.",
            )
        quota = Quota(
            share=float(c.number(q, "share", "quota", hi=1.0) or 0.0),
            scope=c.choice(q, "scope", "quota", SCOPES, "province"),
            rounding=c.choice(q, "rounding", "quota", ROUNDING, "floor"),
            ties=c.choice(q, "ties", "quota", TIES, "exclude"),
            tie_break=tuple(tb),
        )
    decimals = data.get("score_decimals", 2)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        raise c.fail(
            "score_decimals",
            "score_decimals 应为 0–4 的整数。",
            "score_decimals must be an integer 0–4.",
        )
    return AssessmentRules(
        id=str(data["id"]),
        version=str(data["version"]),
        name_zh=str(data.get("name_zh", data["id"])),
        name_en=str(data.get("name_en", data["id"])),
        source_zh=str(data.get("source_zh", "")),
        thresholds=thresholds,
        rules=tuple(rules),
        quota=quota,
        score_decimals=decimals,
        raw=dict(data),
        source=source,
    )
