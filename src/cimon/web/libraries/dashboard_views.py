"""The libraries dashboard (#18): supply and demand by field and county, the match funnel,
contracts over time and the I15/I18 feed figures, as tables with SVG bars and as an Excel
download. Thin views over :mod:`cimon.store.libraries.stats`; which counties a user sees is
:func:`cimon.web.accounts.policy_libraries.library_stats_regions`'s (the province all, a county
its own, a city bureau its counties)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cimon.store.libraries.models import STAGE_ORDER, STAGES
from cimon.store.libraries.stats import WAN, LibraryStats, library_stats
from cimon.store.platform import platform_registry
from cimon.web.accounts import policy_libraries
from cimon.web.i18n import lang

#: rows of the per-county monthly table shown on the page (the download has all)
MONTHS_SHOWN = 240
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pct(value: float, top: float) -> int:
    """A bar's length in percent of the largest value shown (at least 1 for a non-zero value)."""
    if not top or not value:
        return 0
    return max(1, round(100 * value / top))


def _scope(request: HttpRequest) -> tuple[LibraryStats, dict[str, str]]:
    if not policy_libraries.can_view_library_stats(request.user):
        raise PermissionDenied
    registry = platform_registry()
    names = {r.code: r.name for r in registry}
    regions = policy_libraries.library_stats_regions(request.user, registry)
    return library_stats(regions, list(names)), names


def _context(stats: LibraryStats, names: dict[str, str]) -> dict[str, Any]:
    en = lang() == "en"
    top_field = max([max(r["needs"], r["direct"]) for r in stats.fields] or [0])
    fields = [
        r | {"need_pct": _pct(r["needs"], top_field), "supply_pct": _pct(r["direct"], top_field)}
        for r in stats.fields
    ]
    codes = list(names) if stats.counties is None else stats.counties
    shown = [c for c in codes if c in stats.county_rows or stats.counties is not None]
    top_amount = max([stats.county_rows[c]["amount"] for c in stats.county_rows] or [0])
    empty = dict.fromkeys(
        ("needs", "published", "achievements", "matches", "contracts", "amount", "transfers"), 0
    )
    counties: list[dict[str, Any]] = []
    for c in shown:
        figures = stats.county_rows.get(c, empty)
        counties.append(
            {"code": c, "name": names.get(c, c), **figures,
             "pct": _pct(figures["amount"], top_amount), "wan": figures["amount"] / WAN}
        )  # fmt: skip
    funnel = []
    for f in stats.funnel:
        top = f["reached"][0]
        stages = [
            {"name": STAGES[s][1 if en else 0], "n": n, "pct": _pct(n, top), "rate": rate}
            for s, n, rate in zip(STAGE_ORDER, f["reached"], f["rates"], strict=True)
        ]
        funnel.append({"name": names.get(f["region_code"], f["region_code"]), "year": f["year"],
                       "total": f["region_code"] == "", "stages": stages})  # fmt: skip
    top_year = max([y["amount"] for y in stats.yearly] or [0])
    yearly = [y | {"pct": _pct(y["amount"], top_year), "wan": y["amount"] / WAN}
              for y in stats.yearly]  # fmt: skip
    monthly = [m | {"name": names.get(m["region_code"], m["region_code"])} for m in stats.monthly]
    feeds = [f | {"name": names.get(f["region_code"], f["region_code"])} for f in stats.feeds]
    return {"stats": stats, "fields": fields, "sections": stats.sections, "counties": counties,
            "funnel": funnel, "yearly": yearly, "monthly": monthly[:MONTHS_SHOWN],
            "monthly_cut": len(monthly) > MONTHS_SHOWN, "feeds": feeds,
            "stage_names": [STAGES[s][1 if en else 0] for s in STAGE_ORDER],
            "scope_all": stats.counties is None}  # fmt: skip


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The libraries dashboard for the user's counties."""
    stats, names = _scope(request)
    return render(request, "libraries/dashboard.html", _context(stats, names))


def workbook(stats: LibraryStats, names: dict[str, str]) -> bytes:
    """The dashboard's tables as an Excel workbook (cells written through :mod:`cimon.safe`)."""
    from openpyxl import Workbook

    from cimon.safe import append, save

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "领域供需"
    append(
        ws,
        [
            "门类",
            "行业大类",
            "行业名称",
            "需求（非草稿）",
            "已发布需求",
            "直接对口成果",
            "相关成果",
        ],
    )
    for r in stats.fields:
        append(ws, [r["section"], r["division"], r["name"], r["needs"], r["published"],
                    r["direct"], r["related"]])  # fmt: skip
    ws = wb.create_sheet("县域")
    append(ws, ["区划代码", "县（市、区）", "需求", "已发布需求", "本县成果", "对接", "技术合同",
                "成交额（元）", "转化项目"])  # fmt: skip
    for code, r in sorted(stats.county_rows.items()):
        append(ws, [code, names.get(code, code), r["needs"], r["published"], r["achievements"],
                    r["matches"], r["contracts"], r["amount"], r["transfers"]])  # fmt: skip
    ws = wb.create_sheet("对接漏斗")
    append(ws, ["区划代码", "县（市、区）", "年度"] + [STAGES[s][0] for s in STAGE_ORDER])
    for f in stats.funnel:
        code = f["region_code"]
        append(ws, [code, names.get(code, code) if code else "合计", f["year"], *f["reached"]])
    ws = wb.create_sheet("技术合同（月）")
    append(ws, ["区划代码", "县（市、区）", "年", "月", "合同数", "成交额（元）"])
    for m in stats.monthly:
        append(ws, [m["region_code"], names.get(m["region_code"], m["region_code"]), m["year"],
                    m["month"], m["count"], m["amount"]])  # fmt: skip
    ws = wb.create_sheet("I15与I18")
    append(ws, ["区划代码", "县（市、区）", "数据年度", "I15 技术合同成交额（万元）", "合同数",
                "I18 转化项目（项）"])  # fmt: skip
    for f in stats.feeds:
        append(ws, [f["region_code"], names.get(f["region_code"], f["region_code"]), f["year"],
                    f["i15"], f["i15_count"], f["i18"]])  # fmt: skip
    if stats.synthetic:
        append(wb.create_sheet("说明"), ["含模拟数据"])
    buf = io.BytesIO()
    save(wb, buf)
    return buf.getvalue()


@login_required
@require_GET
def dashboard_download(request: HttpRequest) -> HttpResponse:
    """The same tables as an Excel download."""
    stats, names = _scope(request)
    resp = HttpResponse(workbook(stats, names), content_type=XLSX)
    resp["Content-Disposition"] = 'attachment; filename="libraries-dashboard.xlsx"'
    return resp


__all__ = ["dashboard", "dashboard_download", "workbook"]
