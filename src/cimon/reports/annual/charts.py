"""Charts of the annual report (matplotlib, PNG): ranking bars coloured by class, class counts over
time against the target path, a pillar radar and a score-change waterfall per county, and a map of
the counties coloured by class (the department's boundaries, or a tile grid).

Each ``*_figure`` function returns a matplotlib ``Figure`` built from the report content (no pyplot
state, so charts can be drawn in any thread); :func:`png` turns it into bytes. Every chart draws
text with the bundled Noto Sans SC (:mod:`cimon.reports.annual.fonts`), so Chinese never shows as
empty boxes.

County and city names are the registry's English names in English charts (Chinese when it has
none). Full names everywhere ("Qingtongxia City"), except in the squares of the tile grid and the
labels of the boundary map, which drop the administrative word as the Chinese charts drop 县/区/市
("Qingtongxia"; :func:`cimon.model.regions.strip_suffix_en`) and use a smaller font in English
where the name is long, so that every name fits its square.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

# Figures are made without pyplot (no global backend switch, no window): ``Figure.savefig``
# draws PNG with the Agg renderer whatever the interactive backend is.
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon, Rectangle

from cimon.model.regions import strip_suffix, strip_suffix_en
from cimon.reports.annual.content import AnnualContent, CountyProfile
from cimon.reports.annual.fonts import chart_rc
from cimon.reports.annual.geo import Boundaries
from cimon.reports.annual.tilegrid import tile_layout
from cimon.vocab import SCORE, class_label, fmt_score, t

#: class colours: A green, B amber, C grey (the Excel fills, darker for print)
CLASS_COLOURS = {"A": "#2e8b57", "B": "#e8a33d", "C": "#9e9e9e"}
_EXTRA = ("#4477aa", "#cc6677", "#882255", "#44aa99", "#999933")
DPI = 130


def class_colour(label: str, labels: Sequence[str]) -> str:
    if label in CLASS_COLOURS and set(labels) <= set(CLASS_COLOURS):
        return CLASS_COLOURS[label]
    return _EXTRA[list(labels).index(label) % len(_EXTRA)] if label in labels else "#cccccc"


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (130 dpi, 128-colour palette)."""
    from PIL import Image

    buf = io.BytesIO()
    with rc_context(chart_rc()):
        fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    # a palette of 128 colours is plenty for flat charts with anti-aliased text, and makes the
    # pictures (and the HTML, Word and PDF files that carry them) about four times smaller
    buf.seek(0)
    small = Image.open(buf).convert("RGB").quantize(128, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


def _figure(w: float, h: float) -> Figure:
    with rc_context(chart_rc()):
        return Figure(figsize=(w, h), layout="constrained")


def _short(name: str, lang: str) -> str:
    """A name without its administrative word, for the squares of the tile grid and the labels
    of the map (西吉县 → 西吉, Xiji County → Xiji)."""
    return strip_suffix_en(name) if lang == "en" else strip_suffix(name)


def ranking_figure(c: AnnualContent, lang: str = "zh") -> Figure:
    """Horizontal bars: every county's published score, best on top, coloured by class, with the
    class thresholds as dashed lines."""
    with rc_context(chart_rc()):
        counties = list(c.counties)
        fig = _figure(7.2, 0.28 * len(counties) + 1.2)
        ax = fig.add_subplot()
        y = list(range(len(counties)))[::-1]
        ax.barh(
            y,
            [k.score for k in counties],
            color=[class_colour(k.klass, c.labels) for k in counties],
            height=0.7,
        )
        ax.set_yticks(y, [f"{k.label(lang)}" for k in counties], fontsize=8)
        for yy, k in zip(y, counties, strict=True):
            ax.text(k.score + 0.5, yy, f"{k.score:.2f}", va="center", fontsize=7)
        for band in c.framework.classes:
            if band.min is not None:
                ax.axvline(band.min, color="#555555", linestyle="--", linewidth=0.8)
                ax.text(
                    band.min, len(counties) - 0.3, f" {band.min:g}", fontsize=7, color="#555555"
                )
        ax.set_xlim(0, c.framework.total_points)
        ax.set_xlabel(SCORE(lang))
        ax.legend(
            handles=[
                Patch(color=class_colour(k, c.labels), label=class_label(k, lang)) for k in c.labels
            ],
            loc="lower right",
            fontsize=8,
        )
        ax.spines[["top", "right"]].set_visible(False)
        return fig


def history_figure(c: AnnualContent, lang: str = "zh") -> Figure:
    """Counties per class in every evaluated year (solid) against the straight path to the province
    target (dashed) and the target itself (diamond)."""
    with rc_context(chart_rc()):
        fig = _figure(7.2, 3.4)
        ax = fig.add_subplot()
        years = sorted(c.history)
        for k in c.labels:
            col = class_colour(k, c.labels)
            ax.plot(
                years,
                [c.history[y].get(k, 0) for y in years],
                marker="o",
                color=col,
                label=t(f"{k}类（实际）", f"Class {k} (actual)", lang),
            )
            if c.targets is not None and k in c.targets.target:
                g = c.targets
                span = list(range(g.base_year, g.target_year + 1))
                ax.plot(span, [g.planned(y, k) for y in span], linestyle="--", color=col, alpha=0.7)
                ax.plot([g.target_year], [g.target[k]], marker="D", color=col, linestyle="none")
        if c.targets is not None:
            ax.plot(
                [], [], linestyle="--", color="#555555", label=t("目标路径", "Target path", lang)
            )
            ax.plot(
                [],
                [],
                marker="D",
                color="#555555",
                linestyle="none",
                label=t(f"{c.targets.target_year}年目标", f"{c.targets.target_year} target", lang),
            )
        last = max([*years, c.targets.target_year if c.targets else years[-1]])
        ax.set_xticks(list(range(min(years), last + 1)))
        ax.set_xlabel(t("评价年度", "Evaluation year", lang))
        ax.set_ylabel(t("县（市、区）数", "Counties", lang))
        ax.axvline(c.year, color="#bbbbbb", linewidth=0.8)
        ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.spines[["top", "right"]].set_visible(False)
        return fig


def _radar(ax: Any, c: AnnualContent, p: CountyProfile, lang: str) -> None:
    import numpy as np

    n = len(p.pillars)
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False).tolist()
    ax.set_theta_offset(np.pi / 2)  # first pillar at the top, clockwise
    ax.set_theta_direction(-1)
    mine = [s.earned / s.points * 100 for s in p.pillars]
    mean = [s.province_mean / s.points * 100 for s in p.pillars]
    col = class_colour(p.result.klass, c.labels)
    for values, colour, label, fill in (
        (mean, "#777777", t("全区平均", "Province mean", lang), False),
        (mine, col, p.result.label(lang), True),
    ):
        ax.plot(
            [*angles, angles[0]], [*values, values[0]], color=colour, linewidth=1.5, label=label
        )
        if fill:
            ax.fill([*angles, angles[0]], [*values, values[0]], color=colour, alpha=0.25)
    ax.set_xticks(angles, [t(s.name_zh, s.name_en, lang) for s in p.pillars], fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25%", "50%", "75%", "100%"], fontsize=6, color="#777777")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)


def _waterfall(ax: Any, c: AnnualContent, p: CountyProfile, lang: str) -> None:
    r = p.result
    assert p.split is not None and r.score_prev is not None
    names = [t(f"{c.year - 1}年", f"{c.year - 1}", lang)]
    names += [t(s.name_zh, s.name_en, lang) for s in p.pillars]
    names.append(t(f"{c.year}年", f"{c.year}", lang))
    level = r.score_prev
    ax.bar(0, level, color="#bbbbbb")
    ax.text(0, level, f"{level:.2f}", ha="center", va="bottom", fontsize=7)
    for k, s in enumerate(p.pillars, start=1):
        delta = p.split.pillars[s.code] / 100
        colour = "#2e8b57" if delta >= 0 else "#c0392b"
        ax.bar(k, delta, bottom=level, color=colour)
        ax.text(k, max(level, level + delta), f"{delta:+.2f}", ha="center", va="bottom", fontsize=7)
        level += delta
    ax.bar(len(names) - 1, r.score, color=class_colour(r.klass, c.labels))
    ax.text(len(names) - 1, r.score, f"{r.score:.2f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(names)), names, fontsize=7, rotation=30, ha="right")
    low = min(r.score_prev, r.score) - max(abs(r.score - r.score_prev), 5) * 1.5
    ax.set_ylim(max(0, low), max(r.score_prev, r.score, level) + 4)
    ax.set_ylabel(SCORE(lang), fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)


def radar_figure(c: AnnualContent, p: CountyProfile, lang: str = "zh") -> Figure:
    """The county's points per pillar as a share of the pillar's points, against the province mean."""
    with rc_context(chart_rc()):
        fig = Figure(figsize=(4.0, 3.3))
        _radar(fig.add_axes((0.2, 0.2, 0.6, 0.7), projection="polar"), c, p, lang)
        return fig


def waterfall_figure(c: AnnualContent, p: CountyProfile, lang: str = "zh") -> Figure | None:
    """Last year's score, the change from each pillar (the exact split, hundredths of a point) and
    this year's score. ``None`` when there is no comparable result last year."""
    if p.split is None or p.result.score_prev is None:
        return None
    with rc_context(chart_rc()):
        fig = _figure(4.4, 3.3)
        _waterfall(fig.add_subplot(), c, p, lang)
        return fig


def county_figure(c: AnnualContent, p: CountyProfile, lang: str = "zh") -> Figure:
    """The county's radar and, when it has a result last year, its waterfall side by side (one
    picture per county keeps the report quick to draw)."""
    with rc_context(chart_rc()):
        if p.split is None or p.result.score_prev is None:
            return radar_figure(c, p, lang)
        # fixed axes: a constrained layout would double the drawing time of 22+ pictures
        fig = Figure(figsize=(8.0, 3.3))
        _radar(fig.add_axes((0.07, 0.2, 0.36, 0.7), projection="polar"), c, p, lang)
        _waterfall(fig.add_axes((0.58, 0.22, 0.4, 0.7)), c, p, lang)
        return fig


def map_figure(c: AnnualContent, lang: str = "zh", boundaries: Boundaries | None = None) -> Figure:
    """Counties coloured by class: the department's boundaries when given, else the tile grid."""
    with rc_context(chart_rc()):
        handles = [
            Patch(color=class_colour(k, c.labels), label=class_label(k, lang)) for k in c.labels
        ]
        by_code = {k.code: k for k in c.counties}
        if boundaries is not None:
            import math

            x0, y0, x1, y1 = boundaries.bounds()
            aspect = 1 / max(math.cos(math.radians((y0 + y1) / 2)), 0.1)
            fig = _figure(7.0, min(9.0, 7.0 * (y1 - y0) * aspect / max(x1 - x0, 1e-9)) + 0.6)
            ax = fig.add_subplot()
            for code, polys in boundaries.shapes.items():
                if code not in by_code:
                    continue
                colour = class_colour(by_code[code].klass, c.labels)
                for poly in polys:
                    ax.add_patch(
                        Polygon(
                            poly[0], closed=True, facecolor=colour, edgecolor="white", linewidth=0.6
                        )
                    )
                    for hole in poly[1:]:
                        ax.add_patch(
                            Polygon(hole, closed=True, facecolor="white", edgecolor="white")
                        )
                x, y = boundaries.anchor(code)
                label = _short(by_code[code].label(lang), lang)
                ax.text(
                    x,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=6 if lang != "en" or len(label) <= 8 else 5,
                )
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            ax.set_aspect(aspect)
            ax.set_axis_off()
            ax.legend(handles=handles, loc="lower right", fontsize=7)
            return fig
        # at most TILE_COLUMNS squares a row, so the picture prints at its own size on an A4 page
        # (15 cm wide at most) and its text stays at 7–9 pt, not scaled down to 4 pt
        grid = tile_layout(c.run.regions, max_width=TILE_COLUMNS)
        fig = _figure(max(4.0, TILE_INCH * grid.width + 0.6), TILE_INCH * grid.height + 0.9)
        ax = fig.add_subplot()
        for tile in grid.tiles:
            k = by_code.get(tile.code)
            colour = class_colour(k.klass, c.labels) if k else "#eeeeee"
            ax.add_patch(
                Rectangle(
                    (tile.col, -tile.row - 1), 0.92, 0.92, facecolor=colour, edgecolor="white"
                )
            )
            label = _short(c.place(tile.name, lang), lang)
            ax.text(
                tile.col + 0.46,
                -tile.row - 0.4,
                label,
                ha="center",
                va="center",
                fontsize=9 if lang != "en" or len(label) <= 7 else 7,
            )
            if k:
                ax.text(
                    tile.col + 0.46,
                    -tile.row - 0.72,
                    fmt_score(k.score, c.framework.rounding),
                    ha="center",
                    va="center",
                    fontsize=8,
                )
        for lab in grid.labels:
            ax.text(
                lab.col + 0.46,
                -lab.row - 0.45,
                c.place(lab.city, lang),
                ha="center",
                va="center",
                fontsize=9,
            )
        ax.set_xlim(-0.2, grid.width + 0.1)
        ax.set_ylim(-grid.height - 0.2, 0.1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=len(handles),
            fontsize=8,
        )
        return fig


#: squares a row of the tile map, and the side of a square in inches: 8 × 0.66 + 0.6 in = 15 cm
TILE_COLUMNS = 8
TILE_INCH = 0.66


def natural_width_cm(fig: Figure, most: float = 15.0) -> float:
    """The width a figure is drawn for, in cm, at most ``most``: placed at this width its text
    prints at the font sizes it was drawn with."""
    return round(min(most, fig.get_figwidth() * 2.54), 2)
