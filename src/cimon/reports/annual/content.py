"""The content of the annual evaluation report (年度评估报告), built from Runs: pure data.

Seed 000 section 四(一): the department publishes each year “各县科技创新能力年度监测评价结果和跃升情况”,
analyses “设区市的县域科技创新总体情况和各县科技创新基本情况” and makes recommendations.
:func:`build_content` gathers everything the report says into one :class:`AnnualContent`; the
renderers (Word, HTML, PDF) only lay it out. **Every number is taken from the library, never
recomputed**:

=============================  ===================================================================
what                           from
=============================  ===================================================================
score, class, ranks            ``run.results`` (``score_published``, ``class``, ``rank``,
                               ``rank_city``)
class counts per year          :meth:`Run.class_counts`
mean and best score            :func:`cimon.analysis.peers.peer_summary` (``all`` and ``city``)
last year, transitions         :func:`cimon.analysis.compare.compare_runs`
score change by pillar         the exact split of :func:`cimon.analysis.compare.split_change`
incentive money, places        :func:`cimon.analysis.incentives.incentives_for_runs` (integer 元;
                               places as the rule set's ``rank.places`` counts them)
cost of each reading of places :func:`cimon.analysis.readings.reading_costs`
target trajectory              :func:`cimon.analysis.targets.province_progress`
pillar points                  ``run.data["pillars"]``; the province mean of each pillar is the
                               mean over counties of that column
strengths, weaknesses, path    :func:`cimon.analysis.diagnose.diagnose` (peers: the 设区市)
data notes                     ``run.flags`` in words (:func:`cimon.reports.excel.explain_flag`)
robustness of the class        the optional result of :mod:`cimon.analysis.uncertainty`
=============================  ===================================================================

County and city names stay Chinese in the content (they are the identifiers); English output
shows the registry's English names through :meth:`CountyResult.label` and
:meth:`AnnualContent.place` (:func:`cimon.model.regions.display_name` over the run's regions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from cimon.analysis.codes import CodeMap
from cimon.analysis.compare import ChangeSplit, Comparison, _at, compare_runs
from cimon.analysis.diagnose import Diagnosis, diagnose
from cimon.analysis.incentives import Award, incentives_for_runs, total_owed
from cimon.analysis.peers import peer_summary
from cimon.analysis.readings import ReadingCost, reading_costs
from cimon.analysis.rules import RuleSet, load_rules
from cimon.analysis.targets import (
    ClassProgress,
    ProvinceTargets,
    load_province_targets,
    province_progress,
)
from cimon.engine.run import Run
from cimon.errors import CimonError
from cimon.model.framework import Framework
from cimon.model.regions import RegionRegistry, display_name
from cimon.reports.excel import explain_flag, is_synthetic
from cimon.vocab import integer, number


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
    """Everything the annual report says (see the module docstring for where each number is from)."""

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


def build_content(
    runs: Mapping[int, Run],
    year: int,
    rules: str | RuleSet = "nx-2021",
    targets: str | ProvinceTargets | None = "nx-2025",
    robustness: Any | None = None,
    code_map: CodeMap | None = None,
    issuer: str | None = None,
    robustness_source: str = "robustness",
) -> AnnualContent:
    """The report's content for evaluation ``year``.

    Parameters
    ----------
    runs:
        evaluations by year; ``year`` must be there, ``year − 1`` for the comparison and the
        incentives (without it the report says there is no previous result), earlier years for the
        class counts over time.
    rules, targets:
        the incentive rule set and the province class-count targets (ids or loaded); ``targets``
        ``None`` leaves the target trajectory out.
    robustness:
        an uncertainty-analysis result of ``year`` (attributes ``counties``, ``replicates``,
        ``seed``, ``year``, ``incentives``) or ``None``: the county profiles then say the
        robustness was not analysed.
    issuer:
        who publishes the report; default “<province>实施创新驱动战略领导小组办公室” (seed 000 四(一)).
    """
    if year not in runs:
        have = "、".join(str(y) for y in sorted(runs)) or "无"
        raise CimonError(
            f"没有 {year} 年度的评价结果（现有：{have}），无法生成年度报告。请检查数据是否包含数据年度 "
            f"{year - 1}。",
            f"There is no {year} evaluation (available: {', '.join(map(str, sorted(runs))) or 'none'}); "
            f"cannot write the annual report. Check that the data cover the data year {year - 1}.",
            f"--year {year}",
        )
    run = runs[year]
    prev = runs.get(year - 1)
    fw = run.framework
    labels = tuple(b.label for b in fw.classes)
    rule_set = rules if isinstance(rules, RuleSet) else load_rules(rules)
    comparison = compare_runs(prev, run, code_map) if prev is not None else None
    res = run.results
    regions = {r.code: r for r in run.regions}
    table = comparison.table if comparison is not None else None
    window = {y: r for y, r in runs.items() if y in (year - 1, year)}
    owed = incentives_for_runs(window, rule_set, code_map)
    awards = tuple(owed[year])
    award_of = {a.code: a for a in awards}
    counties: list[CountyResult] = []
    for code in res.index:
        code = str(code)
        row: Any = table.loc[code] if table is not None else None
        counties.append(
            CountyResult(
                code=code,
                name=str(_at(res, code, "name")),
                city=str(_at(res, code, "city")),
                type=regions[code].type if code in regions else "",
                score=float(_at(res, code, "score_published")),
                klass=str(_at(res, code, "class")),
                rank=int(_at(res, code, "rank")),
                rank_city=int(_at(res, code, "rank_city")),
                class_rank=_class_rank(res, code) if row is None else int(row["class_rank"]),
                score_prev=None if row is None else number(row["score_prev"]),
                class_prev=None
                if row is None or row["class_prev"] is None
                else str(row["class_prev"]),
                rank_prev=None if row is None else integer(row["rank_prev"]),
                change=None if row is None else number(row["change"]),
                rank_change=None if row is None else integer(row["rank_change"]),
                transition="new" if row is None else str(row["transition"]),
                # places as the rule set counts them (rank.places), the ones paid for
                places=None if row is None or code not in award_of else award_of[code].places,
                name_en=regions[code].name_en if code in regions else "",
                city_en=regions[code].city_en if code in regions else "",
            )
        )
    by_rank = tuple(sorted(counties, key=lambda c: (c.rank, c.code)))
    history = {y: r.class_counts() for y, r in sorted(runs.items()) if y <= year}
    goal = (
        targets
        if isinstance(targets, ProvinceTargets) or targets is None
        else load_province_targets(targets)
    )
    progress: tuple[ClassProgress, ...] = ()
    if goal is not None:
        counts = {y: c for y, c in history.items() if y >= goal.base_year}
        progress = tuple(province_progress(goal, counts)) if counts else ()
    readings = (
        tuple(reading_costs(window, rule_set, code_map, [year], owed)) if prev is not None else ()
    )
    whole = peer_summary(run, "all").iloc[0]
    mean_prev = float(peer_summary(prev, "all").iloc[0]["mean"]) if prev is not None else None
    cities = _cities(run, prev, labels)
    rob = _robustness(robustness, year, list(res.index.astype(str)), labels, robustness_source)
    by_code = {c.code: c for c in counties}
    pillars = run.data["pillars"]
    order = {c.city: k for k, c in enumerate(cities)}
    profiles = []
    for c in sorted(counties, key=lambda c: (order[c.city], c.rank_city, c.code)):
        ps = tuple(
            PillarScore(
                p.code,
                p.name_zh,
                p.name_en,
                float(p.points),
                float(_at(pillars, c.code, p.code)),
                float(pillars[p.code].mean()),
            )
            for p in fw.pillars
        )
        profiles.append(
            CountyProfile(
                result=by_code[c.code],
                pillars=ps,
                split=None if comparison is None else comparison.splits.get(c.code),
                diagnosis=diagnose(run, c.code, by="city"),
                award=award_of.get(c.code),
                robustness=rob.get(c.code) if rob is not None else None,
                notes=_notes(run, c.code),
            )
        )
    province = run.regions[0].province if run.regions else ""
    province_en = (run.regions[0].province_en if run.regions else "") or province
    return AnnualContent(
        year=year,
        data_year=run.data_year,
        province=province,
        issuer=issuer or f"{province}实施创新驱动战略领导小组办公室",
        synthetic=is_synthetic(run),
        framework=fw,
        run=run,
        prev=prev,
        labels=labels,
        counties=by_rank,
        history=history,
        mean=float(whole["mean"]),
        mean_prev=mean_prev,
        targets=goal,
        progress=progress,
        comparison=comparison,
        transitions=comparison.transitions() if comparison is not None else {},
        cities=cities,
        rules=rule_set,
        awards=awards,
        total=total_owed(list(awards)),
        profiles=tuple(profiles),
        robustness=robustness,
        province_en=province_en,
        issuer_en=""
        if issuer
        else f"Leading Group Office for the Innovation-Driven Strategy, {province_en}",
        readings=readings,
    )


def _class_rank(res: pd.DataFrame, code: str) -> int:
    klass = _at(res, code, "class")
    same = res[res["class"] == klass]["score_published"]
    return int((same > _at(res, code, "score_published")).sum()) + 1


def _cities(run: Run, prev: Run | None, labels: tuple[str, ...]) -> tuple[CitySummary, ...]:
    now = peer_summary(run, "city")
    before = peer_summary(prev, "city").set_index("group") if prev is not None else None
    out = []
    for _, row in now.iterrows():
        city = str(row["group"])
        mean_prev = None
        if before is not None and city in before.index:
            mean_prev = float(_at(before, city, "mean"))
        out.append(
            CitySummary(
                city=city,
                n=int(row["n"]),
                mean=float(row["mean"]),
                mean_prev=mean_prev,
                best=str(row["best"]),
                best_score=float(row["best_score"]),
                counts={k: int(row[k]) for k in labels},
                codes=tuple(r.code for r in run.regions if r.city == city),
            )
        )
    return tuple(out)


def _notes(run: Run, code: str) -> tuple[DataNote, ...]:
    out = []
    if code not in run.flags.index:
        return ()
    for ind_code in run.flags.columns:
        cell = str(_at(run.flags, code, ind_code))
        ind = run.framework.indicator(str(ind_code))
        for flag in (f for f in cell.split(";") if f):
            out.append(
                DataNote(
                    str(ind_code),
                    ind.name_zh,
                    ind.name_en,
                    flag,
                    explain_flag(flag, "zh"),
                    explain_flag(flag, "en"),
                )
            )
    return tuple(out)


ROBUSTNESS_COLUMNS = (
    "p_nominal",
    "stable",
    "rank_median",
    "rank_p05",
    "rank_p95",
    "score_p05",
    "score_median",
    "score_p95",
)


def _robustness(
    result: Any | None, year: int, codes: list[str], labels: tuple[str, ...], source: str
) -> dict[str, CountyRobustness] | None:
    """Per-county robustness from an uncertainty-analysis result; a clear error when it does not
    fit this report (another year, counties or columns missing)."""
    if result is None:
        return None
    r_year = int(getattr(result, "year", year))
    if r_year != year:
        raise CimonError(
            f"稳健性分析结果是 {r_year} 年度的，报告是 {year} 年度的。请使用同一评价年度的分析结果。",
            f"The robustness result is for {r_year}, the report for {year}. Use the analysis of the "
            "same evaluation year.",
            source,
        )
    frame = getattr(result, "counties", None)
    need = [*ROBUSTNESS_COLUMNS, *(f"p_{k}" for k in labels)]
    if not isinstance(frame, pd.DataFrame) or any(c not in frame.columns for c in need):
        have = list(frame.columns) if isinstance(frame, pd.DataFrame) else []
        lacking = [c for c in need if c not in have]
        raise CimonError(
            f"稳健性分析结果缺少各县的列：{'、'.join(lacking)}。请用 cimon robustness 重新生成。",
            f"The robustness result lacks the county columns {', '.join(lacking)}. Produce it again "
            "with cimon robustness.",
            f"{source}: counties",
        )
    index = [str(c) for c in frame.index]
    missing = [c for c in codes if c not in index]
    if missing:
        raise CimonError(
            f"稳健性分析结果中没有这些县：{'、'.join(missing)}。请对同一数据和区划重新进行稳健性分析。",
            f"The robustness result has no row for {', '.join(missing)}. Run the robustness analysis "
            "again on the same data and regions.",
            f"{source}: counties",
        )
    frame = frame.set_axis(index)
    replicates = int(getattr(result, "replicates", 0))
    out = {}
    for code in codes:
        row: Any = frame.loc[code]
        out[code] = CountyRobustness(
            replicates=replicates,
            p_nominal=float(row["p_nominal"]),
            stable=bool(row["stable"]),
            p_classes={k: float(row[f"p_{k}"]) for k in labels},
            rank_median=float(row["rank_median"]),
            rank_p05=int(row["rank_p05"]),
            rank_p95=int(row["rank_p95"]),
            score_p05=float(row["score_p05"]),
            score_median=float(row["score_median"]),
            score_p95=float(row["score_p95"]),
        )
    return out
