"""Page data and ECharts options of the dashboard, from a published version's content.

Pure functions of an :class:`~cimon.reports.annual.content.AnnualContent` (built by
:func:`cimon.store.evaluations.published.content_of` from the Runs of the published version) and a
language (``zh``/``en``). Every number comes from the content, which takes it from the Run and
the analysis functions (see :mod:`cimon.reports.annual.content`); nothing is recomputed here
except the layout. The chart options are plain JSON-ready dicts: the page puts each into a
``<script type="application/json">`` element and ``static/cimon/dashboard.js`` hands it to
ECharts (no inline script: the CSP forbids it).

Charts name the bundled web font (:data:`FONT`): ECharts draws on a canvas and ignores the
page's CSS, so without ``textStyle.fontFamily`` Chinese would show as boxes on machines without
a CJK font.

Names: county and city names stay Chinese in the data (they are the identifiers and go into the
URLs); in English the pages and charts show the registry's English names
(:meth:`~cimon.reports.annual.content.CountyResult.label`, :meth:`AnnualContent.place
<cimon.reports.annual.content.AnnualContent.place>`; the templates use the filter ``place``).
The squares of the tile grid show the name without its administrative word ("Qingtongxia";
the tooltip keeps the full name) and ``cimonTiles.em`` tells ``dashboard.js`` how wide the
widest label is, so it picks a font that fits the square.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cimon.analysis.incentives import yuan
from cimon.analysis.targets import STATUS
from cimon.engine.run import Run
from cimon.model.regions import strip_suffix_en
from cimon.reports.annual.charts import class_colour
from cimon.reports.annual.content import AnnualContent, CountyProfile
from cimon.reports.annual.tilegrid import tile_layout
from cimon.tables.render import dashboard_table
from cimon.tables.specs import RANKING
from cimon.vocab import COUNTIES, SCORE, class_label, fmt_score, t
from cimon.web.dashboard.incentives import incentives_page as incentives_page

FONT = '"cimon sans", "Noto Sans SC", "Microsoft YaHei", sans-serif'
Option = dict[str, Any]


def _tooltip(trigger: str = "item") -> Option:
    # drawn on the canvas: the HTML tooltip would carry style attributes the CSP refuses
    return {"trigger": trigger, "renderMode": "richText", "textStyle": {"fontFamily": FONT}}


def _base(title: str = "") -> Option:
    opt: Option = {"textStyle": {"fontFamily": FONT}, "animation": False, "tooltip": _tooltip()}
    if title:
        opt["title"] = {"text": title, "textStyle": {"fontFamily": FONT, "fontSize": 14}}
    return opt


def colours(c: AnnualContent) -> dict[str, str]:
    """Class label → colour (the annual report's: A green, B amber, C grey)."""
    return {k: class_colour(k, c.labels) for k in c.labels}


# --- province ----------------------------------------------------------------------------------


def trend_option(c: AnnualContent, lang: str) -> Option:
    """Class counts of every published year (solid) against the straight target path from the
    base year to the target year (dashed), one colour per class."""
    col = colours(c)
    years = sorted(c.history)
    series: list[Option] = []
    if c.targets is not None:
        years = sorted(set(years) | set(range(c.targets.base_year, c.targets.target_year + 1)))
    cats = [str(y) for y in years]
    for k in c.labels:
        series.append(
            {
                "name": class_label(k, lang),
                "type": "line",
                "data": [c.history[y].get(k) if y in c.history else None for y in years],
                "itemStyle": {"color": col[k]},
                "lineStyle": {"width": 3},
                "symbolSize": 8,
                "connectNulls": True,
            }
        )
        if c.targets is not None and k in c.targets.target:
            goal = c.targets
            series.append(
                {
                    "name": t(f"{k}类目标路径", f"Class {k} target path", lang),
                    "type": "line",
                    "data": [round(goal.planned(y, k), 2) for y in years],
                    "itemStyle": {"color": col[k]},
                    "lineStyle": {"type": "dashed", "width": 1.5},
                    "symbol": "none",
                }
            )
    opt = _base()
    opt.update(
        {
            "tooltip": _tooltip("axis"),
            "legend": {"top": 0, "type": "scroll", "textStyle": {"fontFamily": FONT}},
            "grid": {"left": 40, "right": 16, "top": 56, "bottom": 28},
            "xAxis": {"type": "category", "data": cats},
            "yAxis": {"type": "value", "minInterval": 1, "name": t("县数", "counties", lang)},
            "series": series,
        }
    )
    return opt


def _ems(text: str) -> float:
    """Width of a label in ems: CJK characters one em, others about 0.6."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.6 for ch in text)


def _label_width(labels: Sequence[str], size: int = 11) -> int:
    """Pixels an axis label column needs (CJK characters one em, others about half): ECharts
    measures labels with the canvas font, which may not be loaded when it lays out."""
    widest = max(
        (sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in t) for t in labels), default=0
    )
    return int(widest) + 6


def ranking_option(c: AnnualContent, lang: str, codes: Sequence[str] | None = None) -> Option:
    """Published scores as horizontal bars in rank order (best on top), coloured by class, with
    the class thresholds as lines; ``codes`` limits it to some counties (a city)."""
    col = colours(c)
    rows = [r for r in c.counties if codes is None or r.code in codes]
    rows = list(reversed(rows))  # ECharts draws category 0 at the bottom
    bands = [
        (b.label, float(b.min)) for b in c.framework.classes if b.min is not None and b.min > 0
    ]
    names = [f"{r.rank}. {r.label(lang)}" for r in rows]
    d = c.framework.rounding
    opt = _base()
    opt.update(
        {
            "grid": {"left": _label_width(names) + 8, "right": 40, "top": 16, "bottom": 24},
            "xAxis": {"type": "value", "min": 0, "max": 100},
            "yAxis": {
                "type": "category",
                "data": names,
                "axisLabel": {"interval": 0, "fontSize": 11},
            },
            "series": [
                {
                    "type": "bar",
                    "name": SCORE(lang),
                    "data": [
                        {
                            "value": r.score,
                            "name": r.label(lang),
                            "itemStyle": {"color": col[r.klass]},
                            # the text, not the number: 84 shows as 84.00 (the framework's
                            # decimals), in the label and in the tooltip
                            "label": {"formatter": fmt_score(r.score, d)},
                            "tooltip": {"formatter": f"{r.label(lang)}: {fmt_score(r.score, d)}"},
                        }
                        for r in rows
                    ],
                    "label": {"show": True, "position": "right", "fontSize": 10},
                    "markLine": {
                        "silent": True,
                        "symbol": "none",
                        "lineStyle": {"color": "#555555", "type": "dashed"},
                        "data": [
                            {
                                "xAxis": low,
                                "label": {"formatter": f"{label} ≥ {low:g}", "fontSize": 10},
                            }
                            for label, low in bands
                        ],
                    },
                }
            ],
        }
    )
    return opt


def tilegrid_option(c: AnnualContent, lang: str, links: Mapping[str, str]) -> Option:
    """The tile-grid map (:func:`cimon.reports.annual.tilegrid.tile_layout`): one square per
    county in its class colour, the counties of a 设区市 in one block under the city's name.
    ``cimonTiles`` tells dashboard.js the grid size (it sizes the squares to the chart);
    ``cimonLinks`` the page each square opens."""
    col = colours(c)
    grid = tile_layout(c.run.regions, max_width=12)
    klass = {r.code: r for r in c.counties}
    tiles: list[Option] = [
        {
            "name": c.place(t.name, lang),
            "value": [t.col, t.row, klass[t.code].score if t.code in klass else None],
            "code": t.code,
            "tooltip": {
                "formatter": f"{c.place(t.name, lang)}: "
                + fmt_score(klass[t.code].score if t.code in klass else None, c.framework.rounding)
            },
            "itemStyle": {"color": col[klass[t.code].klass] if t.code in klass else "#dddddd"},
        }
        for t in grid.tiles
    ]
    sizing: Option = {"cols": grid.width, "rows": grid.height}
    if lang == "en":
        # the square shows the short name, the tooltip the full one
        for tile in tiles:
            tile["label"] = {"formatter": strip_suffix_en(tile["name"])}
        sizing["em"] = round(max((_ems(t["label"]["formatter"]) for t in tiles), default=1.0), 2)
    labels = [{"name": c.place(lb.city, lang), "value": [lb.col, lb.row]} for lb in grid.labels]
    opt = _base()
    opt.update(
        {
            "grid": {"left": 4, "right": 4, "top": 4, "bottom": 4},
            "xAxis": {"type": "value", "min": -0.5, "max": grid.width - 0.5, "show": False},
            "yAxis": {
                "type": "value",
                "min": -0.5,
                "max": grid.height - 0.5,
                "inverse": True,
                "show": False,
            },
            "series": [
                {
                    "type": "scatter",
                    "name": COUNTIES(lang),
                    "symbol": "rect",
                    "data": tiles,
                    "label": {"show": True, "formatter": "{b}", "fontSize": 10, "color": "#111"},
                },
                {
                    "type": "scatter",
                    "name": t("设区市", "Cities", lang),
                    "symbolSize": 1,
                    "silent": True,
                    "itemStyle": {"color": "rgba(0,0,0,0)"},
                    "data": labels,
                    "label": {
                        "show": True,
                        "formatter": "{b}",
                        "fontWeight": "bold",
                        "fontSize": 12,
                        "color": "#12355b",
                    },
                    "tooltip": {"show": False},
                },
            ],
            "cimonTiles": sizing,
            "cimonLinks": dict(links),
        }
    )
    return opt


def county_table(c: AnnualContent, counties: Sequence[Any], lang: str) -> dict[str, Any]:
    """The county list of the province and city pages: :data:`cimon.tables.specs.RANKING`."""
    spec = RANKING.pick(
        "rank", "name", "city", "score", "class", "class_prev", "change", "rank_city"
    )
    return dashboard_table(spec, counties, lang, c.place, c.framework.rounding)


def province_page(c: AnnualContent, lang: str) -> dict[str, Any]:
    """What the province overview shows besides its charts."""
    progress = [
        {
            "label": p.label,
            "actual": p.actual,
            "planned": p.planned,
            "target": p.target,
            "status": t(*STATUS[p.status], lang),
            "status_code": p.status,
        }
        for p in c.progress
        if p.year == c.year
    ]
    return {
        "counts": [
            {
                "label": k,
                "n": c.class_counts.get(k, 0),
                "prev": (c.class_counts_prev or {}).get(k),
                "colour": colours(c)[k],
            }
            for k in c.labels
        ],
        "total": len(c.counties),
        "mean": c.mean,
        "mean_prev": c.mean_prev,
        "transitions": dict(c.transitions),
        "progress": progress,
        "targets": c.targets,
        "cities": list(c.cities),
        "counties": list(c.counties),
        "county_table": county_table(c, c.counties, lang),
        "synthetic": c.synthetic,
    }


# --- city -----------------------------------------------------------------------------------------


def city_page(c: AnnualContent, city: str, lang: str) -> dict[str, Any] | None:
    """A 设区市: its summary (from :func:`~cimon.analysis.peers.peer_summary`), its counties in
    rank order, and the bar chart of their scores. ``None`` for a city not in the results."""
    summary = next((s for s in c.cities if s.city == city), None)
    if summary is None:
        return None
    counties = [r for r in c.counties if r.city == city]
    return {
        "summary": summary,
        "counties": counties,
        "county_table": county_table(c, counties, lang),
        "ranking": ranking_option(c, lang, [r.code for r in counties]),
    }


# --- county ---------------------------------------------------------------------------------------


def profile(c: AnnualContent, code: str) -> CountyProfile | None:
    return next((p for p in c.profiles if p.result.code == code), None)


def pillars_option(p: CountyProfile, lang: str) -> Option:
    """Points earned in each pillar (一级指标) next to the province mean and the full points."""
    names = [t(x.name_zh, x.name_en, lang) for x in p.pillars]
    opt = _base()
    opt.update(
        {
            "tooltip": _tooltip("axis"),
            "legend": {"top": 0, "textStyle": {"fontFamily": FONT}},
            "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
            "xAxis": {
                "type": "category",
                "data": names,
                "axisLabel": {"interval": 0, "width": 72, "overflow": "break", "fontSize": 11},
            },
            "yAxis": {"type": "value", "name": t("分", "points", lang)},
            "series": [
                {
                    "name": p.result.label(lang),
                    "type": "bar",
                    "data": [x.earned for x in p.pillars],
                    "itemStyle": {"color": "#1d5fa8"},
                },
                {
                    "name": t("全省平均", "Province mean", lang),
                    "type": "bar",
                    "data": [round(x.province_mean, 2) for x in p.pillars],
                    "itemStyle": {"color": "#9aa5b1"},
                },
                {
                    "name": t("满分", "Full points", lang),
                    "type": "scatter",
                    "symbol": "rect",
                    "symbolSize": [28, 2],
                    "data": [x.points for x in p.pillars],
                    "itemStyle": {"color": "#333333"},
                },
            ],
        }
    )
    return opt


def pillar_rows(p: CountyProfile, lang: str) -> list[dict[str, Any]]:
    """Each pillar: points earned, full points, province mean and the change since last year
    (the exact split of :func:`cimon.analysis.compare.split_change`; ``None`` without one)."""
    out = []
    for x in p.pillars:
        cents = p.split.pillars.get(x.code) if p.split is not None else None
        out.append(
            {
                "code": x.code,
                "name": t(x.name_zh, x.name_en, lang),
                "earned": x.earned,
                "points": x.points,
                "mean": x.province_mean,
                "change": None if cents is None or p.split is None else p.split.points(cents),
            }
        )
    return out


def radar_option(p: CountyProfile, lang: str) -> Option:
    """The pillars as a radar, each axis from 0 to the pillar's full points: the county against
    the province mean."""
    opt = _base()
    opt.update(
        {
            "legend": {"bottom": 0, "textStyle": {"fontFamily": FONT}},
            "radar": {
                "radius": "62%",
                "indicator": [
                    {"name": t(x.name_zh, x.name_en, lang), "max": x.points} for x in p.pillars
                ],
                "axisName": {"color": "#1f2933", "fontFamily": FONT},
            },
            "series": [
                {
                    "type": "radar",
                    "data": [
                        {
                            "name": p.result.label(lang),
                            "value": [x.earned for x in p.pillars],
                            "itemStyle": {"color": "#1d5fa8"},
                            "areaStyle": {"opacity": 0.2},
                        },
                        {
                            "name": t("全省平均", "Province mean", lang),
                            "value": [round(x.province_mean, 2) for x in p.pillars],
                            "itemStyle": {"color": "#9aa5b1"},
                            "lineStyle": {"type": "dashed"},
                        },
                    ],
                }
            ],
        }
    )
    return opt


def history(runs: Mapping[int, Run], code: str) -> list[dict[str, Any]]:
    """The county's published score, class and rank in every year of ``runs`` (the version's own
    run and the current published version of each earlier year), oldest first."""
    from cimon.analysis.compare import _at

    out = []
    for year, run in sorted(runs.items()):
        res = run.results
        if code not in res.index:
            continue
        out.append(
            {
                "year": year,
                "score": float(_at(res, code, "score_published")),
                "class": str(_at(res, code, "class")),
                "rank": int(_at(res, code, "rank")),
                "n": len(res),
            }
        )
    return out


def history_option(rows: Sequence[Mapping[str, Any]], lang: str, decimals: int = 2) -> Option:
    """Score (bars, left axis; labelled with the framework's ``decimals``) and rank (line, right
    axis, 1 on top) over the published years."""
    opt = _base()
    opt.update(
        {
            "tooltip": _tooltip("axis"),
            "legend": {"top": 0, "textStyle": {"fontFamily": FONT}},
            "grid": {"left": 8, "right": 8, "top": 40, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "category", "data": [str(r["year"]) for r in rows]},
            "yAxis": [
                {"type": "value", "min": 0, "max": 100, "name": t("得分", "score", lang)},
                {
                    "type": "value",
                    "inverse": True,
                    "min": 1,
                    "max": max((int(r["n"]) for r in rows), default=1),
                    "minInterval": 1,
                    "name": t("排名", "rank", lang),
                    "nameLocation": "start",
                    "splitLine": {"show": False},
                },
            ],
            "series": [
                {
                    "name": SCORE(lang),
                    "type": "bar",
                    "data": [
                        {
                            "value": r["score"],
                            "label": {"formatter": fmt_score(r["score"], decimals)},
                        }
                        for r in rows
                    ],
                    "itemStyle": {"color": "#1d5fa8"},
                    "label": {"show": True, "position": "top", "fontSize": 10},
                },
                {
                    "name": t("全省排名", "Rank", lang),
                    "type": "line",
                    "yAxisIndex": 1,
                    "data": [r["rank"] for r in rows],
                    "itemStyle": {"color": "#b45309"},
                },
            ],
        }
    )
    return opt


def steps_text(p: CountyProfile, lang: str) -> list[str]:
    path = p.diagnosis.path
    return [s.text(lang) for s in path.steps] if path is not None else []


def money(amount: int | None, lang: str) -> str:
    return "" if amount is None else yuan(int(amount), lang)
