"""Plain-text summaries for the terminal: one run, a framework, class counts per year, regions.

Every function returns a string (no printing) so the CLI stays thin and tests can compare text.
Tables are aligned for terminals where a Chinese character takes two columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from cimon.engine.run import Run
from cimon.model.framework import Framework
from cimon.model.regions import RegionRegistry, normalise_name
from cimon.reports.excel import explain_flag, is_synthetic
from cimon.tables.render import to_text
from cimon.tables.specs import RESULTS
from cimon.tables.text import display_width, format_table
from cimon.vocab import CITY, CLASS, COUNTY_COUNT, ITEM_CODE, ITEM_NAME, t
from cimon.vocab import SYNTHETIC_LABEL as SYNTHETIC_LABEL  # re-exported

__all__ = ["SYNTHETIC_LABEL", "display_width", "format_table"]  # re-exported: tables.text


def run_summary(run: Run, lang: str = "zh", top: int = 5) -> str:
    """Class counts, the top ``top`` counties and a count of flagged cells for one run."""
    fw = run.framework
    res = run.results
    head = t(
        f"{run.year} 年度评价（数据年度 {run.data_year}）· 指标体系 {fw.id} {fw.version} · "
        f"{len(res)} 个县（市、区）",
        f"{run.year} evaluation (data year {run.data_year}) · framework {fw.id} {fw.version} · "
        f"{len(res)} counties",
        lang,
    )
    lines = [head]
    if is_synthetic(run):
        lines.append(f"[{SYNTHETIC_LABEL}]")
    counts = run.class_counts()
    names = {b.label: t(b.name_zh, b.name_en, lang) or b.label for b in fw.classes}
    lines += [
        "",
        format_table(
            [CLASS(lang), COUNTY_COUNT(lang)],
            [[names[k], v] for k, v in counts.items()],
        ),
        "",
        t(f"前 {top} 名：", f"Top {top}:", lang),
    ]
    best = res.sort_values(["rank", "name"], kind="stable").head(top)
    shown = RESULTS.pick("rank", "name", "city", "score", "class")
    lines.append(to_text(shown, [{**r, "code": str(c)} for c, r in best.iterrows()], lang))
    flagged = Counter(
        flag.split(":")[0] if not flag.startswith("input:") else flag
        for cell in run.flags.to_numpy().ravel()
        for flag in str(cell).split(";")
        if flag
    )
    if flagged:
        kinds = {
            "imputed": ("插补", "imputed"),
            "treated": ("截断/缩尾", "capped/winsorised"),
            "missing": ("缺失记0分", "missing (0 points)"),
            "undefined": ("无法计算", "undefined"),
            "input:estimated": ("估算数据", "estimated input"),
        }
        parts = [
            f"{t(*kinds[k], lang) if k in kinds else explain_flag(k, lang)} {n} "
            + t("处", "cell" if n == 1 else "cells", lang)
            for k, n in sorted(
                flagged.items(), key=lambda kv: list(kinds).index(kv[0]) if kv[0] in kinds else 99
            )
        ]
        lines += [
            "",
            t(
                f"数据标记：{'，'.join(parts)}（详见工作簿“标记”工作表）。",
                f"Flags: {', '.join(parts)} (see the 'Flags' sheet of the workbook).",
                lang,
            ),
        ]
    return "\n".join(lines)


def class_count_table(runs: Mapping[int, Run], lang: str = "zh") -> str:
    """One row per evaluation year: year, data year and the count of each class."""
    if not runs:
        return ""
    labels = [b.label for b in next(iter(runs.values())).framework.classes]
    headers = [t("评价年度", "Year", lang), t("数据年度", "Data year", lang), *labels]
    rows = [[year, run.data_year, *run.class_counts().values()] for year, run in runs.items()]
    return format_table(headers, rows)


def _spec(spec: Mapping[str, Any]) -> str:
    params = ", ".join(f"{k}={v}" for k, v in spec.items() if k != "method")
    return f"{spec['method']}({params})" if params else str(spec["method"])


def framework_text(fw: Framework, log: Mapping[str, Any], lang: str = "zh") -> str:
    """A framework as text: header, pillars with their indicators (points, formula, methods)."""
    name = t(fw.name_zh, fw.name_en, lang)
    classes = "，".join(
        f"{b.label} ≥ {b.min:g}" if b.min is not None else f"{b.label} < {prev or 0:g}"
        for b, prev in zip(fw.classes, [None, *(c.min for c in fw.classes[:-1])], strict=True)
    )
    lines = [
        f"{fw.id} {fw.version} · {name}",
        t(
            f"总分 {fw.total_points:g} · 数据滞后 {fw.data_lag} 年 · 保留 {fw.rounding} 位小数 · 类别 {classes}",
            f"total {fw.total_points:g} points · data lag {fw.data_lag} year(s) · "
            f"{fw.rounding} decimals · classes {classes.replace('，', ', ')}",
            lang,
        ),
        t("流程默认方法：", "Pipeline defaults: ", lang)
        + "  ".join(f"{stage}={_spec(spec)}" for stage, spec in fw.pipeline.items()),
        f"hash {fw.hash}",
    ]
    for p in fw.pillars:
        pname = t(p.name_zh, p.name_en, lang)
        lines += [
            "",
            t(f"{p.code} {pname}（{p.points:g}分）", f"{p.code} {pname} ({p.points:g} pts)", lang),
        ]
        rows = []
        for code in p.indicators:
            ind = fw.indicator(code)
            methods = [_spec(log["normalise"][code])]
            for stage in ("impute", "treat"):
                if log[stage][code]["method"] != "none":
                    methods.insert(0, f"{stage}: {_spec(log[stage][code])}")
            rows.append(
                [
                    ind.code,
                    t(ind.name_zh, ind.name_en, lang),
                    ind.unit,
                    "+" if ind.direction > 0 else "−",
                    ind.points,
                    ind.formula,
                    "; ".join(methods),
                ]
            )
        lines.append(
            format_table(
                [
                    ITEM_CODE(lang),
                    ITEM_NAME(lang),
                    t("单位", "Unit", lang),
                    t("方向", "Dir", lang),
                    t("分值", "Points", lang),
                    t("公式", "Formula", lang),
                    t("方法", "Method", lang),
                ],
                [[*r[:4], f"{r[4]:g}", *r[5:]] for r in rows],
                indent="  ",
            )
        )
    return "\n".join(lines)


def framework_ok(fw: Framework, lang: str = "zh") -> str:
    """The one-line confirmation printed by ``cimon framework validate``."""
    return t(
        f"OK 指标体系有效：{fw.id} 版本 {fw.version}（{len(fw.pillars)} 个一级指标，"
        f"{len(fw.indicators)} 个二级指标，{len(fw.variables)} 个变量）hash {fw.hash}",
        f"OK valid framework: {fw.id} version {fw.version} ({len(fw.pillars)} pillars, "
        f"{len(fw.indicators)} indicators, {len(fw.variables)} variables) hash {fw.hash}",
        lang,
    )


def regions_text(registry: RegionRegistry, lang: str = "zh") -> str:
    """Every region of a registry as a table."""
    rows = [[r.code, r.name, r.type, r.city, r.province, "、".join(r.tags)] for r in registry]
    heads = [
        ITEM_CODE(lang),
        ITEM_NAME(lang),
        t("类型", "Type", lang),
        CITY(lang),
        t("省份", "Province", lang),
        t("标签", "Tags", lang),
    ]
    cities = len(registry.cities())
    foot = t(
        f"共 {len(registry)} 个县（市、区），{cities} 个设区市 · 来源 {registry.source}",
        f"{len(registry)} counties in {cities} cities · source {registry.source}",
        lang,
    )
    return format_table(heads, rows) + "\n" + foot


def match_rows(registry: RegionRegistry, names: Sequence[str]) -> list[list[str]]:
    """For each name: input, normalised form, code, official name, city ('' when unmatched)."""
    rows = []
    for raw in names:
        region = registry.find(raw)
        rows.append(
            [
                raw,
                normalise_name(raw),
                region.code if region else "",
                region.name if region else "",
                region.city if region else "",
            ]
        )
    return rows


def match_text(rows: Sequence[Sequence[str]], lang: str = "zh") -> str:
    """``西吉縣 → 640422 西吉县（固原市）`` lines for :func:`match_rows` output."""
    out = []
    width = max((display_width(r[0]) for r in rows), default=0)
    for raw, norm, code, name, city in rows:
        pad = " " * (width - display_width(raw))
        shown = f"{raw}{pad}"
        via = f"（{t('规范化为', 'normalised', lang)} {norm}）" if norm != raw else ""
        if code:
            out.append(f"{shown} → {code} {name}（{city}）{via}")
        else:
            out.append(f"{shown} → {t('未找到', 'not found', lang)}{via}")
    return "\n".join(out)
