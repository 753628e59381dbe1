"""The types of the annual report's content (:mod:`cimon.reports.annual.content` builds them):
pure data, every number already taken from the library. :class:`AnnualContent` holds the whole
report; :class:`CountyResult`, :class:`CountyProfile` and the rest are its parts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cimon.analysis.compare import ChangeSplit, Comparison
from cimon.analysis.diagnose import Diagnosis
from cimon.analysis.incentives import Award
from cimon.analysis.readings import ReadingCost
from cimon.analysis.rules import RuleSet
from cimon.analysis.targets import ClassProgress, ProvinceTargets
from cimon.engine.run import Run
from cimon.model.framework import Framework
from cimon.model.regions import RegionRegistry, display_name


@dataclass(frozen=True)
class DerivedValue:
    """A variable's value taken from the registries (issue #16): one county's count on a date
    of the data year and the records behind it, each a mapping with ``record`` (the
    enterprise's 统一社会信用代码, or the carrier's key), ``name``, ``item`` (the certificate
    number, or the carrier), ``start`` and ``end`` (ISO dates; ``end`` the first day no longer
    valid)."""

    variable: str
    name_zh: str
    name_en: str
    region_code: str
    year: int  # data year
    on: str  # the day counted on (ISO)
    count: int
    registry: str  # qualification | carrier
    kind: str
    level: str
    records: tuple[Mapping[str, str], ...] = ()


@dataclass(frozen=True)
class CitedCase:
    """A published case of the case library (典型经验, #19) that the report cites."""

    title: str
    county: str  # as stored (a region code or a name)
    field: str
    text: str


@dataclass(frozen=True)
class CountyResult:
    """One county's result this year and how it moved since last year (``None``: no comparable
    result last year)."""

    code: str
    name: str
    city: str
    type: str
    score: float
    klass: str
    rank: int
    rank_city: int
    class_rank: int
    score_prev: float | None
    class_prev: str | None
    rank_prev: int | None
    change: float | None
    rank_change: int | None
    transition: str  # up | down | same | new
    places: int | None
    name_en: str = ""  # the registry's English names ("" when it has none)
    city_en: str = ""

    def label(self, lang: str) -> str:
        """The county's name in ``lang`` (English when the registry has it)."""
        return (self.name_en or self.name) if lang == "en" else self.name

    def city_label(self, lang: str) -> str:
        """The 设区市's name in ``lang`` (English when the registry has it)."""
        return (self.city_en or self.city) if lang == "en" else self.city


@dataclass(frozen=True)
class PillarScore:
    code: str
    name_zh: str
    name_en: str
    points: float  # full points of the pillar
    earned: float
    province_mean: float


@dataclass(frozen=True)
class DataNote:
    """One flagged value of a county: the indicator and the flag in words."""

    indicator: str
    name_zh: str
    name_en: str
    flag: str
    zh: str
    en: str


@dataclass(frozen=True)
class CountyRobustness:
    """How sure the county's class is under the uncertainty analysis (probabilities 0–1)."""

    replicates: int
    p_nominal: float
    stable: bool
    p_classes: Mapping[str, float]
    rank_median: float
    rank_p05: int
    rank_p95: int
    score_p05: float
    score_median: float
    score_p95: float


@dataclass(frozen=True)
class CountyProfile:
    result: CountyResult
    pillars: tuple[PillarScore, ...]
    split: ChangeSplit | None
    diagnosis: Diagnosis
    award: Award | None
    robustness: CountyRobustness | None
    notes: tuple[DataNote, ...]


@dataclass(frozen=True)
class CitySummary:
    """One 设区市 (from :func:`peer_summary` by ``city``; ``mean_prev`` from last year's)."""

    city: str
    n: int
    mean: float
    mean_prev: float | None
    best: str
    best_score: float
    counts: Mapping[str, int]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class AnnualContent:
    """Everything the annual report says (:mod:`cimon.reports.annual.content` says where each
    number is from)."""

    year: int
    data_year: int
    province: str
    issuer: str
    synthetic: bool
    framework: Framework
    run: Run
    prev: Run | None
    labels: tuple[str, ...]
    counties: tuple[CountyResult, ...]  # by rank
    history: Mapping[int, Mapping[str, int]]  # class counts of every evaluated year ≤ year
    mean: float
    mean_prev: float | None
    targets: ProvinceTargets | None
    progress: tuple[ClassProgress, ...]  # every year from the base year to ``year``
    comparison: Comparison | None
    transitions: Mapping[str, int]
    cities: tuple[CitySummary, ...]
    rules: RuleSet
    awards: tuple[Award, ...]  # every county, in the run's order
    total: int  # integer 元
    profiles: tuple[CountyProfile, ...]  # by 设区市 (registry order), then rank
    robustness: Any | None  # the analysis result (replicates, seed …), or None
    province_en: str = ""  # the registry's English name of the province ("" when none)
    issuer_en: str = ""  # the default issuer in English ("" for an issuer given in Chinese)
    readings: tuple[ReadingCost, ...] = ()  # this year's cost of each reading of rank.places
    derived: tuple[DerivedValue, ...] = ()  # values from the registries, with their records
    cases: tuple[CitedCase, ...] = ()  # published cases of the year (#19); none: no section

    @property
    def class_counts(self) -> Mapping[str, int]:
        return self.history[self.year]

    @property
    def class_counts_prev(self) -> Mapping[str, int] | None:
        return self.history.get(self.year - 1)

    @property
    def paid(self) -> tuple[Award, ...]:
        return tuple(a for a in self.awards if a.total)

    def county(self, code: str) -> CountyResult:
        return next(c for c in self.counties if c.code == code)

    def derived_of(self, code: str) -> tuple[DerivedValue, ...]:
        """The county's values taken from the registries (none for most frameworks)."""
        return tuple(d for d in self.derived if d.region_code == code)

    @cached_property
    def registry(self) -> RegionRegistry:
        """The run's regions as a registry (for the English names)."""
        return RegionRegistry(self.run.regions, "run")

    def place(self, name: str, lang: str) -> str:
        """A county or 设区市 name (Chinese, as the content holds it) as output in ``lang``
        shows it: unchanged in Chinese, the English name in English (the Chinese name when the
        run's registry has none)."""
        if lang != "en":
            return name
        return display_name(name, lang, self.registry)
