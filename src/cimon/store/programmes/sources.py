"""Targets whose values come from stored data (#19): a target of a plan may name a ``source``
instead of being reported. Each source is a provider function ``(county, params, years) →
{year: value}``; :data:`PROVIDERS` holds them and :func:`register_source` adds one (the
commissioner coverage of issue #17 is declared here and wired by its module when it exists).

=========================  ==================================================================
source                     value of a year
=========================  ==================================================================
``evaluation_score``       the county's published score in that year's current publication
``evaluation_rank``        the county's published rank in that year's current publication
``variable``               a framework variable (``params.variable``) of the stored panel
                           (accepted submissions as of now; several experts' scores averaged)
``registry_count``         the registry count (``params.kind``, optional ``params.level``) on
                           31 December of the year, as stored now
``commissioner_coverage``  the share of the county's towns with a 科技特派员 (#17), once a
                           provider is registered
=========================  ==================================================================

On an instance hosting several provinces (#20) the published sources read the publications of
the county's province: the province of its code, or, for a unit named by name, the province of
the record read (:func:`in_province`, set by a plan's statuses); none otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

Provider = Callable[[str, Mapping[str, Any], Iterable[int]], dict[int, float]]

#: a source's name in Chinese and English, for the pages and the acceptance opinion
SOURCE_NAMES: dict[str, tuple[str, str]] = {
    "evaluation_score": ("已公布评价得分", "published evaluation score"),
    "evaluation_rank": ("已公布评价排名", "published evaluation rank"),
    "variable": ("已存报送数据指标", "stored indicator data"),
    "registry_count": ("名录库计数", "registry count"),
    "commissioner_coverage": ("科技特派员覆盖率", "commissioner coverage"),
}
#: the parameters a source requires
REQUIRED: dict[str, tuple[str, ...]] = {"variable": ("variable",), "registry_count": ("kind",)}


#: the province of the record whose targets are read ("" on a single-province instance)
_PROVINCE: ContextVar[str | None] = ContextVar("cimon_programme_province", default=None)


@contextmanager
def in_province(province: str | None) -> Iterator[None]:
    """Read the published sources of units named by name in ``province`` (#20)."""
    token = _PROVINCE.set(province)
    try:
        yield
    finally:
        _PROVINCE.reset(token)


def publications_province(county: str) -> str | None:
    """The province whose publications ``county`` is read in: "" on a single-province
    instance; on a multi-province one the hosted province of its code, else that of the record
    read (:func:`in_province`); None: none."""
    from cimon.store.national.hosting import code_province

    found = code_province(county)
    return found if found is not None else _PROVINCE.get()


def publications(province: str | None) -> list[Any]:
    from cimon.store.evaluations.models import Publication

    if province is None:
        return []
    qs = Publication.objects.current().filter(province=province)
    return list(qs.order_by("evaluation_year"))


def _rows_of(county: str) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for pub in publications(publications_province(county)):
        for row in pub.results:
            if county in (row.get("region_code"), row.get("name")):
                out[pub.evaluation_year] = row
    return out


def region_code(county: str) -> str:
    """The region code of ``county`` (a code, or a name found in a published result)."""
    for row in _rows_of(county).values():
        if row.get("region_code"):
            return str(row["region_code"])
    return county


def _published(field: str) -> Provider:
    def provide(county: str, params: Mapping[str, Any], years: Iterable[int]) -> dict[int, float]:
        out = {}
        for year, row in _rows_of(county).items():
            v = row.get(field, row.get("score")) if field == "score_published" else row.get(field)
            if v is not None:
                out[year] = float(v)
        return out

    return provide


def variable_values(
    county: str, params: Mapping[str, Any], years: Iterable[int]
) -> dict[int, float]:
    """The stored (accepted, current) values of ``params['variable']`` by data year."""
    from cimon.store.submissions.models import Observation

    rows = Observation.objects.filter(
        superseded_at__isnull=True, region_code=region_code(county),
        variable=str(params["variable"]), value__isnull=False,
    ).values_list("year", "value")  # fmt: skip
    by_year: dict[int, list[float]] = {}
    for year, value in rows:
        by_year.setdefault(int(year), []).append(float(value))
    return {y: sum(v) / len(v) for y, v in sorted(by_year.items())}


def registry_counts(
    county: str, params: Mapping[str, Any], years: Iterable[int]
) -> dict[int, float]:
    """The registry count of ``params['kind']`` (and ``level``) on 31 December of each year."""
    from cimon.store.registry.tables import counts_years

    wanted = sorted(set(years))
    if not wanted:
        return {}
    code, level = region_code(county), params.get("level")
    return {
        y: float(c.count(code, str(params["kind"]), None if level is None else str(level)))
        for y, c in counts_years(wanted).items()
    }


#: source → provider; ``None`` for a source declared but not wired yet
PROVIDERS: dict[str, Provider | None] = {
    "evaluation_score": _published("score_published"),
    "evaluation_rank": _published("rank"),
    "variable": variable_values,
    "registry_count": registry_counts,
    "commissioner_coverage": None,
}


def register_source(name: str, provider: Provider, zh: str = "", en: str = "") -> None:
    """Wire a provider for ``name`` (e.g. issue #17's commissioner coverage)."""
    PROVIDERS[name] = provider
    if name not in SOURCE_NAMES:
        SOURCE_NAMES[name] = (zh or name, en or name)


def check_source(code: str, source: str, params: Any) -> tuple[str, str] | None:
    """The (Chinese, English) reason a target's source is refused, or None."""
    if source not in PROVIDERS:
        return (
            f"目标 {code} 的数据来源“{source}”未知；可用：{'、'.join(PROVIDERS)}。",
            f"Target {code}: unknown source '{source}'; known: {', '.join(PROVIDERS)}.",
        )
    if params is not None and not isinstance(params, Mapping):
        return (
            f"目标 {code} 的 source_params 应为映射。",
            f"Target {code}: source_params is a mapping.",
        )
    missing = [k for k in REQUIRED.get(source, ()) if not (params or {}).get(k)]
    if missing:
        return (
            f"目标 {code} 的数据来源 {source} 须在 source_params 中给出：{'、'.join(missing)}。",
            f"Target {code}: source {source} needs source_params: {', '.join(missing)}.",
        )
    return None


def stored_values(
    county: str, source: str, params: Mapping[str, Any] | None = None, years: Iterable[int] = ()
) -> tuple[dict[int, float], bool]:
    """The values of a computed target by year, and whether a provider answered (False for a
    declared source not wired yet)."""
    provider = PROVIDERS.get(source)
    if provider is None:
        return {}, False
    return provider(county, params or {}, years), True


def source_label(source: str, params: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """How a target's source is named on the pages: (Chinese, English)."""
    zh, en = SOURCE_NAMES.get(source, (source, source))
    detail = " ".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
    return (f"{zh}（{detail}）", f"{en} ({detail})") if detail else (zh, en)
