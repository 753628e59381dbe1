"""A published version of a year's results as the library's objects: the Runs and the annual
report's content (:class:`~cimon.reports.annual.content.AnnualContent`).

A :class:`~cimon.store.evaluations.models.Publication` keeps a frozen copy of the result rows,
not the Run. The dashboard needs the Run (pillar points, indicator values for the diagnosis,
last year's run for the comparison and the incentives), so :func:`run_of` evaluates again
exactly what the evaluation evaluated — the same framework (checked by its hash) over the data
stored at its moment (``data_as_of``) — and refuses the result unless its data hash equals the
one the evaluation stored **and** every county's published score, class and rank equals the
frozen copy. A version that cannot be rebuilt that way (the framework changed, data were
removed) raises :class:`NotReproducible`; the pages then show the frozen table alone.

Which runs make up a version's content: the version's own evaluation for its year, and the
versions of earlier years it was published against — its basis, frozen at publication
(:mod:`cimon.store.evaluations.basis`) — for the comparison with last year, the incentives, the
history and the target path. Its incentive money comes from the rules it was published under,
frozen with it (:mod:`cimon.store.evaluations.rules`), never from the platform's current setting.
Unpublished evaluations never take part, and nothing published or configured later changes a
version's content: its pages, the API and its downloads agree for ever.

Rebuilt runs and contents are kept in memory (a few per process; a province takes about 0.1 s
per year to evaluate and a second or so for the content with every county's diagnosis). The
robustness analysis shown with a version is part of its snapshot (``Publication.robustness``,
made once in the background after publication by :mod:`.snapshot`); only a version whose
snapshot is not made yet has it computed here.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from cimon.analysis.defaults import DEFAULT_ASSUMPTIONS, DEFAULT_SEED
from cimon.analysis.rules import RuleSet
from cimon.engine.run import Run
from cimon.errors import CimonError
from cimon.reports.annual.content import AnnualContent, build_content
from cimon.store.evaluations.models import Evaluation, Publication

TARGETS = "nx-2025"  # province class-count targets
ROBUSTNESS_SOURCE = f"cimon robustness --assumptions {DEFAULT_ASSUMPTIONS} --seed {DEFAULT_SEED}"
_T = TypeVar("_T")


class NotReproducible(CimonError):
    """A published version whose Run cannot be rebuilt exactly from the stored data."""


class Cache:
    """A small least-recently-used cache shared by the threads of the web process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], _T]) -> _T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                value: _T = self.items[key]
                return value
        made = make()
        with self.lock:
            self.items[key] = made
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return made

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_RUNS = Cache(16)
_CONTENTS = Cache(6)


def clear_caches() -> None:
    """Forget every rebuilt run and content (tests; a process that changed stored data)."""
    _RUNS.clear()
    _CONTENTS.clear()


def _run_key(ev: Evaluation) -> tuple[Any, ...]:
    # the primary key alone is not enough: test databases and restores reuse ids
    return (ev.pk, ev.evaluation_year, ev.data_hash, ev.framework_hash, ev.data_as_of.isoformat())


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-9)
    return bool(a == b)


def _check_frozen(run: Run, rows: list[dict[str, Any]], year: int) -> None:
    """Every published row equals the rebuilt run (the same counties; score, class, rank and,
    where the row keeps them, the pillar points)."""
    from cimon.store.evaluations.results import result_rows

    rebuilt = {r["region_code"]: r for r in result_rows(run.results)}
    frozen = {str(r.get("region_code")): r for r in rows}
    bad = sorted(set(rebuilt) ^ set(frozen))
    if not bad:
        bad = [
            code
            for code, r in frozen.items()
            if not all(
                _same(r.get(k), rebuilt[code].get(k)) for k in ("score_published", "class", "rank")
            )
        ]
    pillars = run.data.get("pillars")
    if not bad and pillars is not None:  # rows published with their pillar points keep them too
        bad = [
            code
            for code, r in frozen.items()
            if isinstance(r.get("pillars"), dict)
            and not all(
                v is None or _same(v, float(pillars.loc[code, k])) for k, v in r["pillars"].items()
            )
        ]
    if bad:
        raise NotReproducible(
            f"{year} 年度发布的结果无法由存储的数据重现（{'、'.join(bad[:5])}）。看板只显示发布的结果表。",
            f"The published {year} results cannot be reproduced from the stored data "
            f"({', '.join(bad[:5])}); the dashboard shows the published table only.",
        )


def run_of(ev: Evaluation, rows: list[dict[str, Any]] | None = None) -> Run:
    """The Run of an evaluation, rebuilt and checked against what it stored (see the module
    docstring); ``rows``: the published rows it must equal (default: the evaluation's own)."""

    def make() -> Run:
        from cimon.engine.pipeline import evaluate
        from cimon.model.framework import load_framework
        from cimon.store.evaluations.running import inputs_of
        from cimon.store.registry.derived import stored_panel
        from cimon.store.submissions.queries import panel_as_of

        year = ev.evaluation_year
        try:
            # the platform's framework (its own file, e.g. with registry-derived variables;
            # on an instance hosting several provinces, the evaluation's province's) when it is
            # the run's, else the bundled one of the run's id; the province's registry and data
            province, fw, regions = inputs_of(ev)
            if fw.hash != ev.framework_hash:
                fw = load_framework(ev.framework_id)
        except CimonError as exc:
            raise NotReproducible(
                f"{year} 年度评价所用的指标体系 {ev.framework_id} 无法加载。",
                f"The framework {ev.framework_id} of the {year} evaluation cannot be loaded.",
            ) from exc
        if not ev.data_hash or fw.hash != ev.framework_hash:
            raise NotReproducible(
                f"{year} 年度评价的指标体系已变更或没有数据记录，无法重建图表数据。",
                f"The framework of the {year} evaluation changed or it recorded no data; the "
                "charts cannot be rebuilt.",
            )
        try:
            # registry-derived values as the run stored them (nothing for most frameworks)
            panel = panel_as_of(ev.data_as_of, fw, region_prefix=province)
            panel = stored_panel(fw, panel, ev.pk, regions.codes)
            run = evaluate(fw, panel, year, regions)
        except CimonError as exc:
            raise NotReproducible(
                f"{year} 年度评价无法由存储的数据重建：{exc.zh}",
                f"The {year} evaluation cannot be rebuilt from the stored data: {exc.en}",
            ) from exc
        if run.data_hash != ev.data_hash:
            raise NotReproducible(
                f"{year} 年度评价所用的数据已不在数据库中（数据哈希不同）。",
                f"The data of the {year} evaluation are no longer in the database (the data "
                "hash differs).",
            )
        return run

    run = _RUNS.get(_run_key(ev), make)
    _check_frozen(run, ev.results if rows is None else rows, ev.evaluation_year)
    return run


def versions_for(pub: Publication) -> dict[int, Publication]:
    """The publications whose runs make up ``pub``'s content: ``pub`` for its year and the
    versions of earlier years it is compared with (its frozen basis)."""
    from cimon.store.evaluations.basis import basis_of

    out = basis_of(pub)
    out[pub.evaluation_year] = pub
    return dict(sorted(out.items()))


def runs_for(pub: Publication) -> dict[int, Run]:
    """Runs by year for ``pub``'s content. Earlier years that cannot be rebuilt are left out
    (the page then says there is no comparable result); ``pub``'s own year must be rebuilt."""
    runs: dict[int, Run] = {}
    for year, p in versions_for(pub).items():
        try:
            runs[year] = run_of(p.evaluation, p.results)
        except NotReproducible:
            if year == pub.evaluation_year:
                raise
    return runs


@dataclass(frozen=True)
class Published:
    """A published version rebuilt: its runs by year and the annual report's content."""

    publication: Publication
    runs: Mapping[int, Run]
    content: AnnualContent


def content_of(pub: Publication) -> Published:
    """The annual report's content of a published version (every number from the library:
    :func:`cimon.reports.annual.content.build_content`); raises :class:`NotReproducible`."""
    from cimon.store.evaluations.rules import rules_of

    versions = versions_for(pub)
    try:
        rules = rules_of(pub)
    except CimonError as exc:  # damaged stored rules: the pages say so (and what to do)
        raise NotReproducible(exc.zh, exc.en) from exc
    from cimon.store.programmes.cases import cited_cases

    cases = cited_cases(pub.evaluation_year, pub.published_at, pub.results)
    key = (
        rules.hash,
        *((y, p.pk, _run_key(p.evaluation)) for y, p in versions.items()),
        tuple(cases),
    )

    def make() -> Published:
        runs = runs_for(pub)
        year = pub.evaluation_year
        robustness = robustness_for(pub, runs, rules)
        from cimon.store.registry.report import derived_values

        run = runs[year]
        derived = derived_values(pub.evaluation_id, run.framework, run.data_year)
        return Published(
            pub,
            runs,
            build_content(
                runs,
                year,
                rules,
                TARGETS,
                robustness,
                robustness_source=ROBUSTNESS_SOURCE,
                derived=derived,
                cases=cases,
            ),
        )

    return _CONTENTS.get(key, make)


def robustness_for(pub: Publication, runs: Mapping[int, Run], rules: RuleSet) -> Any:
    """The robustness analysis of a published version: the one stored in its snapshot, else
    :func:`robustness_of` computed now under its frozen incentive ``rules``."""
    if pub.robustness:
        import json

        from cimon.analysis.uncertainty import from_json

        return from_json(json.loads(pub.robustness), f"publication {pub.pk}")
    return robustness_of(runs, pub.evaluation_year, rules)


def robustness_of(runs: Mapping[int, Run], year: int, rules: RuleSet | None = None) -> Any:
    """The uncertainty analysis shown with a published version: the default analysis
    (:func:`cimon.analysis.uncertainty.default_analysis`: the ``default`` assumptions, seed 1,
    last year re-scored under the same draws for the incentives under ``rules``, the version's
    frozen rules; default: the bundled ``nx-2021``) with
    ``CIMON_DASHBOARD_REPLICATES`` replicates (setting; default 1,000; 0 leaves it out).
    The seed is fixed, so every computation gives the same result (about 3 s for a province of
    22 counties); it is made once per version, for its snapshot."""
    from django.conf import settings

    from cimon.analysis.defaults import DEFAULT_REPLICATES
    from cimon.analysis.uncertainty import default_analysis

    n = int(getattr(settings, "CIMON_DASHBOARD_REPLICATES", DEFAULT_REPLICATES))
    if n <= 0 or year not in runs:
        return None
    return default_analysis(runs[year], runs.get(year - 1), n, rules)


def published_years(province: str | None = "") -> list[int]:
    """Years with a current published version in ``province`` ("" on a single-province
    instance; :func:`cimon.store.national.hosting.viewer_province`), oldest first; none for
    ``None`` (a viewer without a province on a multi-province instance)."""
    if province is None:
        return []
    qs = Publication.objects.current().filter(province=province)
    return sorted(qs.values_list("evaluation_year", flat=True))
