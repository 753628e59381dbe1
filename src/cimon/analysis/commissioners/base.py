"""What the rule kinds and the rule-set loader share: the grades, the errors and the
:class:`Checker` of parameters (kept apart so that neither imports the other's module)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cimon.analysis.errors import AnalysisError

#: the four grades, best first (国家和各省科技特派员考核通行的四个等次)
GRADES: tuple[str, ...] = ("优秀", "良好", "合格", "不合格")
GRADES_EN: dict[str, str] = {
    "优秀": "excellent",
    "良好": "good",
    "合格": "pass",
    "不合格": "fail",
}


class AssessmentRuleError(AnalysisError):
    """An assessment rule set (YAML) is invalid."""


class AssessmentInputError(AnalysisError):
    """The table given to :func:`~cimon.analysis.commissioners.assess` cannot be assessed."""


class Checker:
    """Validation helpers that raise :class:`AssessmentRuleError` naming ``source: path``."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, zh: str, en: str) -> AssessmentRuleError:
        return AssessmentRuleError(zh, en, f"{self.source}: {path}")

    def number(
        self,
        node: Mapping[str, Any],
        key: str,
        path: str,
        default: float | None = None,
        lo: float = 0.0,
        hi: float | None = None,
    ) -> float | None:
        v = node.get(key, default)
        if v is None:
            return None
        where = f"{path}.{key}"
        if (
            isinstance(v, bool)
            or not isinstance(v, int | float)
            or v < lo
            or (hi is not None and v > hi)
        ):
            rng = f"{lo:g}–{hi:g}" if hi is not None else f"≥ {lo:g}"
            raise self.fail(
                where,
                f"“{key}”应为 {rng} 的数，实际是 {v!r}。",
                f"'{key}' must be a number {rng}; got {v!r}.",
            )
        return float(v)

    def choice(
        self, node: Mapping[str, Any], key: str, path: str, options: Sequence[str], default: str
    ) -> str:
        v = str(node.get(key, default))
        if v not in options:
            raise self.fail(
                f"{path}.{key}",
                f"“{key}”只能是 {' / '.join(options)}（实际 {v!r}）。",
                f"'{key}' must be one of {' / '.join(options)} (got {v!r}).",
            )
        return v

    def grade(self, node: Mapping[str, Any], key: str, path: str, default: str) -> str:
        return self.choice(node, key, path, GRADES, default)

    def points(self, node: Mapping[str, Any], path: str) -> dict[str, float]:
        """A ``points`` mapping grade word → 0–100 (every grade needed)."""
        raw = node.get("points") or {g: p for g, p in zip(GRADES, (100, 85, 70, 0), strict=True)}
        if not isinstance(raw, Mapping) or set(map(str, raw)) != set(GRADES):
            raise self.fail(
                f"{path}.points",
                f"points 应为每个等次（{'、'.join(GRADES)}）对应的 0–100 分。",
                f"points must give 0–100 for every grade ({', '.join(GRADES)}).",
            )
        return {str(g): float(self.number(raw, g, f"{path}.points", hi=100.0) or 0.0) for g in raw}
