"""Import a province's published results into a national instance and compare provinces.

:func:`import_published` keeps every attempt (:class:`~.models.ProvinceImport`, accepted or
rejected, never overwritten) and writes the audit log; the comparison of a year takes, per
province, its latest accepted import of that year (:func:`current_imports`) and last year's
(:func:`comparison`). Validation and aggregation are pure
(:mod:`cimon.analysis.national_compare`).
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.utils import timezone

from cimon.analysis.national_compare import (
    KEY_SOURCED,
    NationalComparison,
    PublishedCounty,
    PublishedError,
    PublishedProvince,
    compare,
    parse_published,
)
from cimon.model.regions import RegionRegistry
from cimon.safe import display_name
from cimon.store import audit
from cimon.store.national.models import ACCEPTED, REJECTED, ProvinceImport


def registry() -> RegionRegistry:
    from cimon.model.national import national_registry

    return national_registry()


def import_published(
    data: bytes, file_name: str, province: str, user: Any = None, *, synthetic: bool = False
) -> ProvinceImport:
    """Validate and keep ``data`` as ``province``'s published figures. The attempt is kept
    either way; a rejected one has ``status == REJECTED`` and the reasons in ``error``."""
    name = display_name(file_name, "results.json")
    base: dict[str, Any] = {
        "file_name": name,
        "file_sha256": hashlib.sha256(data).hexdigest(),
        "file_size": len(data),
        "imported_by": user if getattr(user, "is_authenticated", False) else None,
        "imported_at": timezone.now(),
        "synthetic": synthetic,
    }
    try:
        p = parse_published(data, province, registry(), name)
    except PublishedError as exc:
        imp = ProvinceImport.objects.create(
            province=province[:40], status=REJECTED, error=exc.render(), **base
        )
        audit.record(user, "national.import", "province_import", imp.pk, new=REJECTED,
                     province=province[:40], file=name)  # fmt: skip
        return imp
    imp = ProvinceImport.objects.create(
        province=p.province,
        evaluation_year=p.year,
        version=p.version,
        published_at=p.published_at,
        framework_id=p.framework_id,
        framework_version=p.framework_version,
        status=ACCEPTED,
        results=[
            {"code": c.code, "name": c.name, "score": c.score, "class": c.klass, "rank": c.rank}
            for c in p.counties
        ],
        class_counts=p.class_counts(),
        **base,
    )
    audit.record(user, "national.import", "province_import", imp.pk, new=ACCEPTED,
                 province=p.province, year=p.year, version=p.version, file=name,
                 sha256=base["file_sha256"])  # fmt: skip
    return imp


def published_of(imp: ProvinceImport) -> PublishedProvince:
    """An accepted import as the pure module's object."""
    assert imp.evaluation_year is not None and imp.published_at is not None
    return PublishedProvince(
        province=imp.province,
        year=imp.evaluation_year,
        version=imp.version or 1,
        published_at=imp.published_at,
        framework_id=imp.framework_id,
        framework_version=imp.framework_version,
        counties=tuple(
            PublishedCounty(r["code"], r["name"], float(r["score"]), r["class"], int(r["rank"]))
            for r in imp.results
        ),
    )


def current_imports(year: int) -> dict[str, ProvinceImport]:
    """Per province, its latest accepted import for ``year`` (a later import replaces an
    earlier one in the comparison; both are kept)."""
    out: dict[str, ProvinceImport] = {}
    for imp in ProvinceImport.objects.filter(status=ACCEPTED, evaluation_year=year).order_by(
        "imported_at", "pk"
    ):
        out[imp.province] = imp
    return out


def years() -> list[int]:
    qs = ProvinceImport.objects.filter(status=ACCEPTED).values_list("evaluation_year", flat=True)
    return sorted({y for y in qs if y is not None}, reverse=True)


def comparison(year: int) -> NationalComparison:
    cur = current_imports(year)
    if not cur:
        raise PublishedError(
            f"{year} 年度没有已导入的省份发布结果。请先用 cimon national import 导入。",
            f"No province's published results are imported for {year}. Import them with "
            "cimon national import first.",
        )
    prev = {k: published_of(v) for k, v in current_imports(year - 1).items()}
    return compare([published_of(v) for v in cur.values()], prev, registry())


def _hundred(x: float | None) -> float | None:
    return None if x is None else round(100 * x, 1)


def table(c: NationalComparison, lang: str = "zh") -> tuple[list[str], list[list[Any]]]:
    """The comparison as one table (the page and the workbook)."""
    en = lang == "en"
    heads = [
        "Province" if en else "省份",
        "Framework" if en else "指标体系",
        "Counties evaluated" if en else "参评县数",
        "Units in registry" if en else "名录县级单位数",
        *((f"Class {k} %" if en else f"{k}类占比%") for k in c.labels),
        *(
            ("Min", "Q1", "Median", "Q3", "Max")
            if en
            else ("最低分", "下四分位", "中位数", "上四分位", "最高分")
        ),
        "Key counties" if en else "重点帮扶县数",
        *((f"Key: class {k} %" if en else f"重点帮扶县{k}类占比%") for k in c.labels),
        "Key: mean rank percentile" if en else "重点帮扶县平均位次百分位",
        "Last year" if en else "上年",
        *((f"Change class {k} (pts)" if en else f"{k}类占比变化（百分点）") for k in c.labels),
        "Median change" if en else "中位数变化",
        "Up a class" if en else "升类县数",
        "Down a class" if en else "降类县数",
    ]
    rows: list[list[Any]] = []
    for r in c.rows:
        rows.append(
            [
                r.province,
                r.framework,
                r.n,
                r.units,
                *(_hundred(r.shares[k]) for k in c.labels),
                *(round(q, 2) for q in r.score_q),
                r.key_n,
                *((_hundred(r.key_shares[k]) if r.key_n else None) for k in c.labels),
                _hundred(r.key_rank_pct),
                r.prev_year,
                *((_hundred(r.share_change[k]) if r.share_change else None) for k in c.labels),
                None if r.median_change is None else round(r.median_change, 2),
                r.up if r.prev_year else None,
                r.down if r.prev_year else None,
            ]
        )
    return heads, rows


def notes(c: NationalComparison, lang: str = "zh") -> list[str]:
    """What the reader must know: comparability and the partial 重点帮扶县 tag."""
    k, total = KEY_SOURCED
    en = lang == "en"
    out = []
    if c.scores_comparable:
        out.append(
            "Every province was evaluated under one framework: scores are comparable."
            if en
            else "各省使用同一指标体系，得分可比。"
        )
    else:
        out.append(
            "The provinces use different frameworks: only class shares and rank percentiles are "
            "compared across them; score quantiles compare only within one framework."
            if en
            else "各省使用不同的指标体系：跨省只比较类别占比和位次百分位；得分分位数只在同一指标体系内可比。"
        )
    out.append(
        f"重点帮扶县 (key counties): the tag is partial — {k} of the {total} counties of the "
        "official list are sourced (docs/national.md)."
        if en
        else f"重点帮扶县标记不完整：官方名单 {total} 个县中已核实 {k} 个（见 docs/national.md）。"
    )
    return out


def workbook(c: NationalComparison, lang: str = "zh", synthetic: bool = False) -> bytes:
    """The comparison as an Excel workbook (every cell through :mod:`cimon.safe`)."""
    from openpyxl import Workbook

    from cimon.safe import append, save

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "Provinces" if lang == "en" else "各省比较"
    label = "（模拟数据 synthetic）" if synthetic else ""
    caption = (
        f"National comparison {c.year}{label}" if lang == "en" else f"{c.year} 年度各省比较{label}"
    )
    append(ws, [caption])
    heads, rows = table(c, lang)
    append(ws, heads)
    for row in rows:
        append(ws, row)
    for line in notes(c, lang):
        append(ws, [line])
    ws.freeze_panes = "B3"
    buf = io.BytesIO()
    save(wb, buf)
    return buf.getvalue()


def is_synthetic(year: int) -> bool:
    return any(i.synthetic for i in current_imports(year).values())


def imports(limit: int = 50) -> list[ProvinceImport]:
    return list(ProvinceImport.objects.all()[:limit])
