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
data notes                     ``run.flags`` in words (:func:`cimon.reports.excel.explain_flag`);
                               values from the registries (``derived``, given by the store)
robustness of the class        the optional result of :mod:`cimon.analysis.uncertainty`
=============================  ===================================================================

County and city names stay Chinese in the content (they are the identifiers); English output
shows the registry's English names through :meth:`CountyResult.label` and
:meth:`AnnualContent.place` (:func:`cimon.model.regions.display_name` over the run's regions).

The types live in :mod:`.content_types` and the reading of a robustness result in
:mod:`.content_robustness`; this module builds the content and re-exports both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cimon.analysis.codes import CodeMap
from cimon.analysis.compare import _at, compare_runs
from cimon.analysis.diagnose import diagnose
from cimon.analysis.incentives import incentives_for_runs, total_owed
from cimon.analysis.peers import peer_summary
from cimon.analysis.readings import reading_costs
from cimon.analysis.rules import RuleSet, load_rules
from cimon.analysis.targets import (
    ClassProgress,
    ProvinceTargets,
    load_province_targets,
    province_progress,
)
from cimon.engine.run import Run
from cimon.errors import CimonError
from cimon.reports.annual.content_robustness import ROBUSTNESS_COLUMNS as ROBUSTNESS_COLUMNS
from cimon.reports.annual.content_robustness import county_robustness
from cimon.reports.annual.content_types import (
    AnnualContent,
    CitedCase,
    CitySummary,
    CountyProfile,
    CountyResult,
    CountyRobustness,
    DataNote,
    DerivedValue,
    PillarScore,
)
from cimon.reports.excel import explain_flag, is_synthetic
from cimon.vocab import integer, number

__all__ = [
    "ROBUSTNESS_COLUMNS",
    "AnnualContent",
    "CitedCase",
    "CitySummary",
    "CountyProfile",
    "CountyResult",
    "CountyRobustness",
    "DataNote",
    "DerivedValue",
    "PillarScore",
    "build_content",
]


def build_content(
    runs: Mapping[int, Run],
    year: int,
    rules: str | RuleSet = "nx-2021",
    targets: str | ProvinceTargets | None = "nx-2025",
    robustness: Any | None = None,
    code_map: CodeMap | None = None,
    issuer: str | None = None,
    robustness_source: str = "robustness",
    derived: Sequence[DerivedValue] = (),
    cases: Sequence[CitedCase] = (),
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
    derived:
        the values of ``year``'s run taken from the registries, with their records (the store
        reads them, :func:`cimon.store.registry.report.derived_values`); the results workbook
        lists them and the county profiles name their source. Empty for most frameworks.
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
    rob = county_robustness(
        robustness, year, list(res.index.astype(str)), labels, robustness_source
    )
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
        derived=tuple(derived),
        cases=tuple(cases),
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
