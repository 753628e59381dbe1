"""The national comparison of provinces from what they publish (issue #20, item 3).

A province's published figures are read from the stable public format cimon already serves:
the JSON answer of ``GET /api/v1/years/{year}/results`` (OpenAPI 1.0.0; every county with its
score, class and rank, the publication's version, date and framework). :func:`parse_published`
validates such a file against the national registry (all or nothing: every problem is listed,
nothing is taken from a file with one); :func:`compare` aggregates the accepted figures per
province — class shares, score quantiles, progress against last year, the 国家乡村振兴重点帮扶县
subset — and says what is comparable: scores only between provinces evaluated under the same
framework (id and version), class shares and rank percentiles always.

Pure: no Django; the store (:mod:`cimon.store.national`) keeps the imports.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import quantiles
from typing import Any

from cimon.errors import CimonError
from cimon.model.peer_lists import KEY_TOTAL, key_counties
from cimon.model.regions import RegionRegistry

MAX_BYTES = 8 * 1024 * 1024  # a province of 200 counties answers in about 60 KB
MAX_ROWS = 5000
KEY_TAG = "重点帮扶县"
#: the 重点帮扶县 tag covers only part of the official list (see docs/national.md): (sourced, total)
KEY_SOURCED = (len(key_counties()), KEY_TOTAL)


class PublishedError(CimonError):
    """A province's published results that cannot be imported."""


@dataclass(frozen=True)
class PublishedCounty:
    code: str
    name: str
    score: float
    klass: str
    rank: int


@dataclass(frozen=True)
class PublishedProvince:
    """One province's published results for one year, as validated."""

    province: str
    year: int
    version: int
    published_at: datetime
    framework_id: str
    framework_version: str
    counties: tuple[PublishedCounty, ...]

    @property
    def framework(self) -> str:
        return f"{self.framework_id} {self.framework_version}".strip()

    def class_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.counties:
            out[c.klass] = out.get(c.klass, 0) + 1
        return dict(sorted(out.items()))


SHOWN = 10  # problems listed in the message; the count says how many there are


def _problem(problems: list[tuple[str, str]], zh: str, en: str) -> None:
    problems.append((zh, en))


def provinces_of(registry: RegionRegistry) -> list[str]:
    return sorted({r.province for r in registry})


def parse_published(
    data: bytes, province: str, registry: RegionRegistry, where: str = "file"
) -> PublishedProvince:
    """Validate ``data`` (the results JSON of one province's published year) as ``province``'s
    figures; :class:`PublishedError` listing every problem (zh and en, each naming the field)."""
    if len(data) > MAX_BYTES:
        raise PublishedError(
            f"文件大于 {MAX_BYTES // 1048576} MB，不是一个省的发布结果。请导出 /api/v1/years/<年度>/results 的答复。",
            f"The file is larger than {MAX_BYTES // 1048576} MB, not one province's published "
            "results. Export the answer of /api/v1/years/<year>/results.",
            where,
        )
    names = provinces_of(registry)
    if province not in names:
        match = [n for n in names if n.startswith(province)]
        if len(match) != 1:
            raise PublishedError(
                f"省份“{province}”不在全国区划名录中。请写省级名称，例如“宁夏回族自治区”或“宁夏”。",
                f"The province '{province}' is not in the national registry. Give a province's "
                "name, e.g. 宁夏回族自治区 or 宁夏.",
                "--province",
            )
        province = match[0]
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PublishedError(
            f"文件不是 UTF-8 编码的 JSON（{exc}）。请保存 /api/v1/years/<年度>/results 的原始答复。",
            f"The file is not UTF-8 JSON ({exc}). Save the answer of "
            "/api/v1/years/<year>/results as it is.",
            where,
        ) from None
    if not isinstance(doc, dict):
        raise PublishedError(
            "文件顶层应为对象（year、version、published_at、framework、results）。",
            "The file's top level must be an object (year, version, published_at, framework, "
            "results).",
            where,
        )
    problems: list[tuple[str, str]] = []
    year = doc.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        _problem(
            problems, "year 应为 2000–2100 的整数年度。", "year must be a whole year 2000–2100."
        )
    version = doc.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _problem(problems, "version 应为正整数。", "version must be a positive whole number.")
    published_at: datetime | None = None
    try:
        published_at = datetime.fromisoformat(str(doc.get("published_at")))
    except ValueError:
        _problem(
            problems,
            "published_at 应为 ISO 8601 日期时间（如 2026-03-01T09:00:00+08:00）。",
            "published_at must be an ISO 8601 date-time (e.g. 2026-03-01T09:00:00+08:00).",
        )
    fw = doc.get("framework")
    fw_id = fw.get("id") if isinstance(fw, dict) else None
    fw_version = fw.get("version", "") if isinstance(fw, dict) else ""
    if not isinstance(fw_id, str) or not fw_id.strip() or len(fw_id) > 100:
        _problem(
            problems,
            "framework.id 缺失：需要指标体系编号才能判断各省结果是否可比。",
            "framework.id is missing: the framework's id says which provinces are comparable.",
        )
    if not isinstance(fw_version, str) or len(fw_version) > 50:
        _problem(problems, "framework.version 应为文本。", "framework.version must be text.")
        fw_version = ""
    rows = doc.get("results")
    if not isinstance(rows, list) or not rows:
        _problem(
            problems, "results 应为非空列表（每县一行）。", "results must be a non-empty list."
        )
        rows = []
    if len(rows) > MAX_ROWS:
        raise PublishedError(
            f"results 超过 {MAX_ROWS} 行。", f"results has more than {MAX_ROWS} rows.", where
        )
    counties: list[PublishedCounty] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        at = f"results[{i}]"
        if not isinstance(row, dict):
            _problem(problems, f"{at} 应为对象。", f"{at} must be an object.")
            continue
        code = str(row.get("region_code") or row.get("code") or "")
        region = registry[code] if code and code in registry else None
        score, klass, rank = row.get("score"), row.get("class"), row.get("rank")
        if region is None:
            _problem(
                problems,
                f"{at}.region_code “{code}” 不是全国名录中的县级区划代码。",
                f"{at}.region_code '{code}' is not a county-level code of the national registry.",
            )
        elif region.province != province:
            _problem(
                problems,
                f"{at}.region_code {code}（{region.name}）属于{region.province}，不属于{province}。请核对 --province。",
                f"{at}.region_code {code} ({region.name}) is in {region.province}, not "
                f"{province}. Check --province.",
            )
        if code in seen:
            _problem(
                problems, f"{at}.region_code {code} 重复。", f"{at}.region_code {code} repeats."
            )
        seen.add(code)
        if (
            not isinstance(score, int | float)
            or isinstance(score, bool)
            or not math.isfinite(score)
        ):
            _problem(problems, f"{at}.score 应为数值。", f"{at}.score must be a number.")
        if not isinstance(klass, str) or not 1 <= len(klass) <= 8:
            _problem(
                problems,
                f"{at}.class 应为类别文本（如 A）。",
                f"{at}.class must be a class (e.g. A).",
            )
        if not isinstance(rank, int) or isinstance(rank, bool) or not 1 <= rank <= len(rows):
            _problem(
                problems,
                f"{at}.rank 应为 1–{len(rows)} 的整数。",
                f"{at}.rank must be a whole number 1–{len(rows)}.",
            )
        if not problems and region is not None:
            counties.append(
                PublishedCounty(code, region.name, float(score), str(klass), int(rank))  # type: ignore[arg-type]
            )
    if problems:
        n, shown = len(problems), problems[:SHOWN]
        more = n > SHOWN
        raise PublishedError(
            f"发布结果未导入（全部或全不），共 {n} 处问题："
            + "；".join(z for z, _ in shown)
            + (f"；另有 {n - SHOWN} 处。" if more else "。")
            + "改正后重新导入。",
            f"The published results were not imported (all or nothing); {n} problem(s): "
            + " ".join(e for _, e in shown)
            + (f" And {n - SHOWN} more." if more else "")
            + " Correct them and import again.",
            where,
        )
    assert published_at is not None and isinstance(year, int) and isinstance(version, int)
    return PublishedProvince(
        province=province,
        year=year,
        version=version,
        published_at=published_at,
        framework_id=str(fw_id),
        framework_version=str(fw_version),
        counties=tuple(sorted(counties, key=lambda c: c.rank)),
    )


# --- aggregation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceRow:
    """One province's line of the comparison."""

    province: str
    framework: str
    n: int
    units: int  # county-level units of the province in the registry
    counts: dict[str, int]
    shares: dict[str, float]  # class → share of the province's evaluated counties
    score_q: tuple[float, float, float, float, float]  # min, Q1, median, Q3, max
    key_n: int  # 重点帮扶县 among the evaluated counties (as far as the tag is sourced)
    key_shares: dict[str, float]
    key_rank_pct: float | None  # their mean rank percentile (0 = first, 1 = last)
    prev_year: int | None = None
    share_change: dict[str, float] = field(default_factory=dict)  # points of share since last year
    median_change: float | None = None  # only under the same framework as last year
    up: int = 0  # counties in a better class than last year
    down: int = 0


@dataclass(frozen=True)
class NationalComparison:
    year: int
    labels: tuple[str, ...]
    rows: tuple[ProvinceRow, ...]
    frameworks: dict[str, tuple[str, ...]]  # framework → provinces evaluated under it

    @property
    def scores_comparable(self) -> bool:
        """Scores compare across every province only when all use one framework."""
        return len(self.frameworks) <= 1


def rank_percentile(rank: int, n: int) -> float:
    """(r − 1)/(n − 1): 0 for the first county, 1 for the last (0 for a province of one)."""
    return 0.0 if n <= 1 else (rank - 1) / (n - 1)


def _quantiles(scores: Sequence[float]) -> tuple[float, float, float, float, float]:
    s = sorted(scores)
    if len(s) == 1:
        return (s[0], s[0], s[0], s[0], s[0])
    q1, q2, q3 = quantiles(s, n=4, method="inclusive")
    return (s[0], q1, q2, q3, s[-1])


def _shares(counts: Mapping[str, int], labels: Sequence[str], n: int) -> dict[str, float]:
    return {k: (counts.get(k, 0) / n if n else 0.0) for k in labels}


def compare(
    current: Sequence[PublishedProvince],
    previous: Mapping[str, PublishedProvince],
    registry: RegionRegistry,
) -> NationalComparison:
    """Per province of ``current`` (one year), its row; ``previous``: last year's figures by
    province (progress is left empty for a province without them)."""
    if not current:
        raise PublishedError(
            "该年度没有已导入的省份发布结果。", "No province's results imported for the year."
        )
    year = current[0].year
    labels = tuple(sorted({c.klass for p in current for c in p.counties}))
    units: dict[str, int] = {}
    key: set[str] = set()
    first: dict[str, str] = {}  # the province's smallest code: provinces in GB/T 2260 order
    for r in registry:
        units[r.province] = units.get(r.province, 0) + 1
        first[r.province] = min(first.get(r.province, r.code), r.code)
        if KEY_TAG in r.tags:
            key.add(r.code)
    order = {k: i for i, k in enumerate(labels)}
    rows: list[ProvinceRow] = []
    frameworks: dict[str, list[str]] = {}
    for p in sorted(current, key=lambda p: (first.get(p.province, ""), p.province)):
        frameworks.setdefault(p.framework, []).append(p.province)
        n = len(p.counties)
        counts = p.class_counts()
        keyed = [c for c in p.counties if c.code in key]
        kc: dict[str, int] = {}
        for c in keyed:
            kc[c.klass] = kc.get(c.klass, 0) + 1
        prev = previous.get(p.province)
        extra: dict[str, Any] = {}
        if prev is not None:
            pn = len(prev.counties)
            pshares = _shares(prev.class_counts(), labels, pn)
            shares = _shares(counts, labels, n)
            extra["prev_year"] = prev.year
            extra["share_change"] = {k: shares[k] - pshares[k] for k in labels}
            if prev.framework == p.framework:
                extra["median_change"] = (
                    _quantiles([c.score for c in p.counties])[2]
                    - _quantiles([c.score for c in prev.counties])[2]
                )
            before = {c.code: c.klass for c in prev.counties}
            moves = [
                order.get(c.klass, 0) - order.get(before[c.code], 0)
                for c in p.counties
                if c.code in before
            ]
            extra["up"] = sum(1 for m in moves if m < 0)
            extra["down"] = sum(1 for m in moves if m > 0)
        rows.append(
            ProvinceRow(
                province=p.province,
                framework=p.framework,
                n=n,
                units=units.get(p.province, 0),
                counts={k: counts.get(k, 0) for k in labels},
                shares=_shares(counts, labels, n),
                score_q=_quantiles([c.score for c in p.counties]),
                key_n=len(keyed),
                key_shares=_shares(kc, labels, len(keyed)),
                key_rank_pct=(
                    sum(rank_percentile(c.rank, n) for c in keyed) / len(keyed) if keyed else None
                ),
                **extra,
            )
        )
    return NationalComparison(
        year=year,
        labels=labels,
        rows=tuple(rows),
        frameworks={k: tuple(v) for k, v in frameworks.items()},
    )
