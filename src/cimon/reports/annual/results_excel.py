"""The annual report's results as an Excel workbook, one sheet per level: the province (class counts
per year against the target path), the 设区市, the counties (score, class, ranks, change, incentive
money, robustness), the pillars (一级指标) and the indicators (二级指标, points and values), and
the incentive money; and, only when the evaluation has values taken from the registries (issue
#16), a sheet 名录计数 listing each such value — variable, county, count — with the records behind it.

Same layout as every cimon workbook (:mod:`cimon.reports.excel`): row 1 a caption (marked
“模拟数据（synthetic）” for synthetic data), row 2 the headers, data from row 3; headers frozen
(and the code and name columns on the wide sheets); the class column coloured A green, B amber,
C grey. Numbers are the report's own (:class:`~.content.AnnualContent`), stored as numbers.
In English, county and city names are the registry's English names (the code column identifies
each county either way).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from cimon.analysis.compare import _at
from cimon.analysis.targets import STATUS
from cimon.reports.annual.content import AnnualContent
from cimon.reports.excel import SCORE_FORMAT, VALUE_FORMAT, _sheet, caption
from cimon.reports.yearly import awards_table
from cimon.reports.yearly_excel import AWARD_FORMATS, _save
from cimon.tables import specs
from cimon.tables.render import xlsx_table
from cimon.vocab import CITY, CLASS, CODE, COUNTIES, COUNTY, SCORE, class_label, number, t


def results_tables(
    c: AnnualContent, lang: str = "zh"
) -> list[tuple[str, list[str], list[list[Any]], dict[int, str], str]]:
    """(sheet name, headers, rows, number formats by column, frozen cell) for every sheet."""
    en = lang == "en"
    out: list[tuple[str, list[str], list[list[Any]], dict[int, str], str]] = []
    # province
    heads = [
        t("评价年度", "Year", lang),
        *(t(f"{k}类县数", f"Class {k}", lang) for k in c.labels),
    ]
    plan = {(p.year, p.label): p for p in c.progress}
    if c.targets is not None:
        heads += [t(f"{k}类目标路径", f"Class {k} path", lang) for k in c.labels]
        heads += [t(f"{k}类状态", f"Class {k} status", lang) for k in c.labels]
    rows: list[list[Any]] = []
    for y, counts in c.history.items():
        row: list[Any] = [y, *(int(counts.get(k, 0)) for k in c.labels)]
        if c.targets is not None:
            row += [round(plan[(y, k)].planned, 1) if (y, k) in plan else None for k in c.labels]
            row += [
                t(*STATUS[plan[(y, k)].status], lang) if (y, k) in plan else None for k in c.labels
            ]
        rows.append(row)
    out.append((t("全区", "Province", lang), heads, rows, {}, "B3"))
    # cities
    heads = [CITY(lang), t("县（市、区）数", "Counties", lang), t("平均得分", "Mean score", lang),
             t("上年平均得分", "Mean last year", lang), *(class_label(k, lang) for k in c.labels),
             t("得分最高", "Best county", lang), t("最高得分", "Best score", lang)]  # fmt: skip
    rows = [
        [
            c.place(s.city, lang),
            s.n,
            s.mean,
            s.mean_prev,
            *(s.counts[k] for k in c.labels),
            c.place(s.best, lang),
            s.best_score,
        ]
        for s in c.cities
    ]
    out.append(
        (
            t("设区市", "Cities", lang),
            heads,
            rows,
            {2: SCORE_FORMAT, 3: SCORE_FORMAT, len(heads) - 1: SCORE_FORMAT},
            "B3",
        )
    )
    # counties: the table definition (cimon.tables.specs.COUNTIES)
    rob = any(p.robustness is not None for p in c.profiles)
    spec = specs.COUNTIES if rob else specs.COUNTIES.without("p_nominal", "stable")
    award = {a.code: a.total for a in c.awards}
    prof = {p.result.code: p.robustness for p in c.profiles}
    items = [
        {
            **vars(k),
            "award": award.get(k.code, 0),
            "p_nominal": None if prof[k.code] is None else prof[k.code].p_nominal,  # type: ignore[union-attr]
            "stable": None if prof[k.code] is None else prof[k.code].stable,  # type: ignore[union-attr]
        }
        for k in c.counties
    ]
    heads, rows, formats = xlsx_table(spec, items, lang, c.place)
    out.append((COUNTIES(lang), heads, rows, formats, "C3"))
    # pillars
    fw = c.framework
    pillars = c.run.data["pillars"]
    heads = [
        CODE(lang),
        COUNTY(lang),
        CLASS(lang),
    ]
    heads += [
        f"{p.name_en} ({p.points:g})" if en else f"{p.name_zh}（{p.points:g}分）"
        for p in fw.pillars
    ]
    heads.append(SCORE(lang))
    rows = [
        [
            k.code,
            k.label(lang),
            k.klass,
            *(float(_at(pillars, k.code, p.code)) for p in fw.pillars),
            k.score,
        ]
        for k in c.counties
    ]
    out.append(
        (
            t("一级指标", "Pillars", lang),
            heads,
            rows,
            dict.fromkeys(range(3, len(heads)), SCORE_FORMAT),
            "C3",
        )
    )
    # indicators: points, then values
    for stage, name, fmt in (("points", t("二级指标得分", "Indicator points", lang), SCORE_FORMAT),
                             ("derived", t("二级指标值", "Indicator values", lang), VALUE_FORMAT)):  # fmt: skip
        frame = c.run.data[stage]
        heads = [
            CODE(lang),
            COUNTY(lang),
            CLASS(lang),
        ]
        for ind in fw.indicators:
            extra = (
                f"{ind.points:g}" + (" pts" if en else "分")
                if stage == "points"
                else (ind.unit or "-")
            )
            heads.append(
                f"{ind.code} {ind.name_en} ({extra})"
                if en
                else f"{ind.code} {ind.name_zh}（{extra}）"
            )
        rows = [
            [
                k.code,
                k.label(lang),
                k.klass,
                *(number(_at(frame, k.code, i.code)) for i in fw.indicators),
            ]
            for k in c.counties
        ]
        out.append((name, heads, rows, dict.fromkeys(range(3, len(heads)), fmt), "C3"))
    # incentives: the table of `cimon incentives`
    heads, rows = awards_table(c.awards, lang, c.registry)
    out.append(
        (
            t("激励资金", "Incentives", lang),
            heads,
            rows,
            AWARD_FORMATS,
            "C3",
        )
    )
    if c.derived:
        heads, rows = derived_table(c, lang)
        out.append((t("名录计数", "Registry counts", lang), heads, rows, {}, "E3"))
    return out


def derived_table(c: AnnualContent, lang: str = "zh") -> tuple[list[str], list[list[Any]]]:
    """The values taken from the registries opened to their lists: one row per record (a
    count of 0 has one row without a record), variable by variable, county by county."""
    heads = [
        t("变量代码", "Variable code", lang),
        t("变量", "Variable", lang),
        CODE(lang),
        COUNTY(lang),
        t("数据年度", "Data year", lang),
        t("统计日", "Counted on", lang),
        t("计数", "Count", lang),
        t("名录类型", "Registry", lang),
        t("统一社会信用代码/载体编号", "Credit code / carrier key", lang),
        t("名称", "Name", lang),
        t("证书编号/载体", "Certificate / carrier", lang),
        t("有效起", "Valid from", lang),
        t("有效止（不含）", "Valid until (exclusive)", lang),
    ]
    order = {k.code: i for i, k in enumerate(sorted(c.counties, key=lambda k: k.code))}
    rows: list[list[Any]] = []
    for d in sorted(c.derived, key=lambda d: (d.variable, order.get(d.region_code, 1 << 30),
                                              d.region_code, d.year)):  # fmt: skip
        what = f"{d.kind}{'（' + d.level + '）' if d.level else ''}"
        head = [
            d.variable,
            t(d.name_zh, d.name_en or d.name_zh, lang),
            d.region_code,
            c.place(_name(c, d.region_code), lang),
            d.year,
            d.on,
            d.count,
            what,
        ]
        for r in d.records or ({},):
            rows.append([*head, *(str(r.get(k, "")) for k in ("record", "name", "item", "start",
                                                              "end"))])  # fmt: skip
    return heads, rows


def _name(c: AnnualContent, code: str) -> str:
    return next((k.name for k in c.counties if k.code == code), code)


def write_results_workbook(c: AnnualContent, path: str | Path, lang: str = "zh") -> Path:
    """Write the workbook (sheets described in the module docstring)."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    top = caption(c.run, lang)
    for name, heads, rows, formats, freeze in results_tables(c, lang):
        ws = _sheet(wb, name, top, heads, _ints(rows), formats)
        ws.freeze_panes = freeze
        for j, fmt in formats.items():
            for row in ws.iter_rows(min_row=3, min_col=j + 1, max_col=j + 1):
                for cell in row:
                    if isinstance(cell.value, int | float):
                        cell.number_format = fmt
    wb.properties.title = top
    return _save(wb, path)


def _ints(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """numpy integers → int (openpyxl writes them, but as floats in some versions)."""
    return [
        [int(v) if hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iu" else v for v in r]
        for r in rows
    ]
