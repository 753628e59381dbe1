"""The indicator framework's types: variables, checks, indicators, pillars, class bands, the framework.

Built and validated by :mod:`cimon.model.framework_parse`; import them from
:mod:`cimon.model.framework`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cimon.model.plausible import INTAKE_ONLY_KEYS, Plausible
from cimon.model.regions import COUNTY_DEPARTMENT

#: Who supplies data (seed 000 section 一): five provincial departments, and the counties themselves.
DEFAULT_DEPARTMENTS: tuple[str, ...] = (
    "科技厅",
    "发展改革委",
    "财政厅",
    "市场监管厅",
    "统计局",
    COUNTY_DEPARTMENT,
)

#: Stages whose method is chosen per indicator (defaults under ``pipeline:``, overrides per indicator).
INDICATOR_STAGES: tuple[str, ...] = ("impute", "treat", "normalise")
#: Stages chosen once for the whole framework.
GLOBAL_STAGES: tuple[str, ...] = ("weight", "aggregate")

PROVENANCE = ("seed", "confirmed", "inferred")


@dataclass(frozen=True)
class Variable:
    """A raw variable collected from a department (or self-reported by a county)."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    department: str
    kind: str = "quantitative"  # or "rubric": a qualitative item scored 0..max_points by experts
    max_points: float | None = None
    #: what to report (a statistical definition), or for a rubric item its scoring points
    #: (评分要点): shown in templates, in Chinese and in English
    definition_zh: str = ""
    definition_en: str = ""
    combine: str = "mean"  # rubric only: how several experts' scores combine (mean | trimmed_mean)
    #: plausible range: a value outside [min, max] is an error at import (None: unbounded).
    min: float | None = None
    max: float | None = None
    #: year-over-year relative change beyond which an import warns (0.5 = ±50%); None: no check.
    jump: float | None = None
    #: absolute change below which a jump is never reported (small counts move by a few units).
    jump_min: float = 0.0
    #: what an empty cell means: "missing" (no data) or "zero" (the variable's policy says 0).
    blank: str = "missing"
    #: whole numbers only (counts of enterprises, patents …): a fraction is a warning at import.
    integer: bool = False
    #: the framework's ``plausible`` bounds (refuse / warn) of this variable, if any
    plausible: Plausible | None = None

    @property
    def hard_min(self) -> float | None:
        """The lowest value import accepts: the stricter of ``min`` and ``plausible.refuse``."""
        lo = self.plausible.refuse_min if self.plausible else None
        return lo if self.min is None else self.min if lo is None else max(self.min, lo)

    @property
    def hard_max(self) -> float | None:
        """The highest value import accepts: the stricter of ``max`` and ``plausible.refuse``."""
        hi = self.plausible.refuse_max if self.plausible else None
        return hi if self.max is None else self.max if hi is None else min(self.max, hi)


@dataclass(frozen=True)
class Check:
    """A consistency rule between variables of the same county and year, e.g. ``ent_rd <= rd_exp``.

    ``left`` and ``right`` are formulas over variable codes; the rule holds when
    ``left <op> right`` within a relative tolerance ``tol``. Checked at import (intake).
    """

    code: str
    left: str
    op: str
    right: str
    variables: tuple[str, ...]
    severity: str = "error"  # or "warning"
    name_zh: str = ""
    name_en: str = ""
    tol: float = 1e-9


@dataclass(frozen=True)
class Indicator:
    """A scored indicator (二级指标)."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: int  # +1: more is better; -1: less is better
    points: float
    pillar: str
    formula: str
    variables: tuple[str, ...]
    max_lag: int
    stages: Mapping[str, Mapping[str, Any]]  # stage -> spec override (method + params)
    derive: Mapping[str, Any]  # derive options, e.g. {"zero_base": "missing"}
    provenance: str = "inferred"
    note_zh: str = ""
    #: the sub-pillar group (``groups:``) the indicator sits in, None: directly under its pillar
    group: str | None = None


@dataclass(frozen=True)
class Pillar:
    """A first-level pillar (一级指标)."""

    code: str
    name_zh: str
    name_en: str
    points: float
    indicators: tuple[str, ...]
    #: the group above the pillar (``groups:``, e.g. a sub-index), None: directly under the index
    parent: str | None = None
    #: weight among its siblings (only with ``groups:``); None: its points
    weight: float | None = None


@dataclass(frozen=True)
class Group:
    """An intermediate level of the indicator tree, declared under ``groups:``: a sub-index above
    pillars (``parent`` a group or None for the index) or a sub-pillar below one (``parent`` a
    pillar or a sub-pillar). ``weight`` is relative to its siblings; None: the points below it."""

    code: str
    name_zh: str
    name_en: str
    parent: str | None = None
    weight: float | None = None


@dataclass(frozen=True)
class ClassBand:
    """A class (类别): counties scoring at least ``min`` (inclusive) fall in it."""

    label: str
    min: float | None
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Framework:
    """A validated, versioned indicator framework."""

    id: str
    version: str
    name_zh: str
    name_en: str
    total_points: float
    data_lag: int
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    variables: tuple[Variable, ...]
    classes: tuple[ClassBand, ...]
    pipeline: Mapping[str, Mapping[str, Any]]
    rounding: int
    departments: tuple[str, ...]
    raw: Mapping[str, Any] = field(repr=False, compare=False)
    checks: tuple[Check, ...] = ()
    source: str = field(default="<dict>", compare=False)
    #: intermediate levels of the tree (``groups:``); empty: indicators → pillars → index
    groups: tuple[Group, ...] = ()
    #: what the units are: ``county`` (GB/T 2260 codes, the region registry) or ``free``
    #: (any identifiers: countries, towns, enterprises; ``units: {kind: free}``)
    units: str = "county"

    @property
    def hash(self) -> str:
        """sha256 of the framework's canonical content (comments and key order do not matter),
        without the documentation-only and intake-only blocks (:data:`UNHASHED_KEYS`): rewording a
        definition or tightening the plausible bounds (:mod:`cimon.model.plausible`) must not make
        a published evaluation irreproducible."""
        return content_hash({k: v for k, v in self.raw.items() if k not in UNHASHED_KEYS})

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def variable(self, code: str) -> Variable:
        for var in self.variables:
            if var.code == code:
                return var
        raise KeyError(code)

    @property
    def max_lag(self) -> int:
        return max((i.max_lag for i in self.indicators), default=0)


#: Top-level framework blocks that do not decide how a county scores, left out of
#: :attr:`Framework.hash`. ``definitions``: what each variable means, by code (``zh``, ``en``),
#: shown in templates (指标解释, 评分要点); it adds to or replaces a variable's own ``definition_zh``.
UNHASHED_KEYS: frozenset[str] = frozenset({"definitions", *INTAKE_ONLY_KEYS})


def content_hash(obj: Any) -> str:
    """sha256 over canonical JSON (sorted keys, no whitespace, UTF-8)."""
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()
