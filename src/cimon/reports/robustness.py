"""Robustness results as tables, terminal text and an Excel workbook (issue #5).

Tables are ``(headers, rows)`` in Chinese or English; :func:`robustness_text` prints the essentials
(unstable classes, incentives at risk, what drives the ranks), :func:`write_robustness` writes every
table as a sheet in the style of :mod:`cimon.reports.excel` (row 1 a caption, row 2 headers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from cimon.analysis.incentives import yuan
from cimon.analysis.uncertainty import UncertaintyResult
from cimon.reports.excel import SCORE_FORMAT, _sheet
from cimon.reports.table import Table
from cimon.reports.text import format_table
from cimon.reports.yearly import _mark
from cimon.reports.yearly_excel import _save
from cimon.tables.render import xlsx_table
from cimon.tables.specs import ROBUSTNESS_AWARDS, robustness_spec
from cimon.vocab import CLASS, CODE, COUNTY, SCORE, fixed, number, percent_or, t

PROB_FORMAT = "0.0%"
UNSTABLE_FILL = PatternFill("solid", fgColor="FCE4D6")


def caption(result: UncertaintyResult, lang: str = "zh") -> str:
    return t(
        f"{result.year} 年度评价稳健性分析 · {result.replicates:,} 次模拟 · 随机种子 {result.seed}"
        f" · 假设集 {result.assumptions.id}",
        f"{result.year} evaluation robustness · {result.replicates:,} replicates · seed "
        f"{result.seed} · assumptions {result.assumptions.id}",
        lang,
    ) + _mark(result.run, lang)


def county_table(result: UncertaintyResult, lang: str = "zh") -> Table:
    """Every county's robustness: :func:`cimon.tables.specs.robustness_spec`."""
    items = [
        {
            **{str(k): v for k, v in r.items()},
            "code": str(code),
            "score_mean": round(float(r["score_mean"]), 2),
            "rank_range": f"{int(r['rank_p05'])}–{int(r['rank_p95'])}",
        }
        for code, r in result.counties.iterrows()
    ]
    heads, rows, formats = xlsx_table(robustness_spec(result.labels), items, lang)
    return Table(heads=heads, rows=rows, formats=formats)


def incentive_table(result: UncertaintyResult, lang: str = "zh") -> Table:
    """The incentives re-decided per replicate: :data:`cimon.tables.specs.ROBUSTNESS_AWARDS`."""
    items = [
        {
            **r,
            "amounts": "；".join(
                f"{int(a):,}: {percent_or(p, '')}" for a, p in sorted(r["amounts"].items())
            ),
        }
        for r in result.incentives.to_dict("records")
    ]
    heads, rows, formats = xlsx_table(ROBUSTNESS_AWARDS, items, lang)
    return Table(heads=heads, rows=rows, formats=formats)


def assumption_table(result: UncertaintyResult, lang: str = "zh") -> Table:
    heads = [
        t("编号", "Id", lang),
        t("假设", "Assumption", lang),
        t("日志地址", "Log address", lang),
        t("类型", "Kind", lang),
        t("变化方式", "How it varies", lang),
    ]
    rows: list[list[Any]] = [
        [a.id, a.title(lang), a.address, a.kind, a.describe(lang)]
        for a in result.assumptions.assumptions
    ]
    return Table(heads=heads, rows=rows)


def sobol_tables(result: UncertaintyResult, lang: str = "zh") -> tuple[Table, Table] | None:
    """(indices of the mean absolute rank shift, total index per county and assumption)."""
    s = result.sobol
    if s is None:
        return None
    titles = t(s.titles_zh, s.titles_en, lang)
    heads = [
        t("假设", "Assumption", lang),
        t("一阶指数 S1", "First-order S1", lang),
        t("S1 95%置信半宽", "S1 95% CI ±", lang),
        t("总效应指数 ST", "Total ST", lang),
        t("ST 95%置信半宽", "ST 95% CI ±", lang),
    ]
    m = s.mean_rank_shift
    rows: list[list[Any]] = [
        [titles[i], number(m.S1[i]), number(m.S1_conf[i]), number(m.ST[i]), number(m.ST_conf[i])]
        for i in range(len(s.factors))
    ]
    wide = s.counties.pivot_table(
        index=["region_code", "name"], columns="factor", values="ST", sort=False, dropna=False
    )
    heads2 = [CODE(lang), COUNTY(lang)]
    heads2 += [f"ST · {t}" for t in titles]
    rows2: list[list[Any]] = [
        [code, name, *[number(wide.loc[(code, name)].get(f)) for f in s.factors]]
        for code, name in wide.index
    ]
    return Table(heads=heads, rows=rows), Table(heads=heads2, rows=rows2)


def run_table(result: UncertaintyResult, lang: str = "zh") -> Table:
    fw = result.framework
    rows: list[list[Any]] = [
        [t("评价年度", "Evaluation year", lang), result.year],
        [t("指标体系", "Framework", lang), f"{fw.get('id')} {fw.get('version')} ({fw.get('hash')})"],
        [t("数据哈希", "Data hash", lang), result.data_hash],
        [t("模拟次数", "Replicates", lang), result.replicates],
        [t("随机种子", "Seed", lang), result.seed],
        [t("假设集", "Assumption set", lang), f"{result.assumptions.id} ({result.assumptions.hash})"],
        [t("上年结果", "Last year", lang), _previous_text(result.previous_mode, lang)],
        [t("稳定阈值", "Stable at", lang), result.stable_at],
    ]  # fmt: skip
    if result.budget:
        b = result.budget
        rows.append(
            [
                t("激励资金总额（元）", "Total incentives (yuan)", lang),
                t(
                    f"规定方案 {b['nominal']:,}；模拟中位数 {b['median']:,}；5%–95% 区间 "
                    f"{b['p05']:,}–{b['p95']:,}",
                    f"nominal {b['nominal']:,}; median {b['median']:,}; 5–95% "
                    f"{b['p05']:,}–{b['p95']:,}",
                    lang,
                ),
            ]
        )
    if result.sobol is not None:
        rows.append(
            [
                t("Sobol 样本", "Sobol design", lang),
                t(
                    f"基础样本 {result.sobol.base_n}，共 {result.sobol.evaluations:,} 次计算",
                    f"base sample {result.sobol.base_n}, {result.sobol.evaluations:,} evaluations",
                    lang,
                ),
            ]
        )
    return Table(heads=[t("项目", "Item", lang), t("值", "Value", lang)], rows=rows)


def _previous_text(mode: str, lang: str) -> str:
    return {
        "joint": t("与本年度同一抽样重算（joint）", "re-scored under the same draw (joint)", lang),
        "fixed": t("固定为已公布结果（fixed）", "held at the published result (fixed)", lang),
    }.get(mode, t("未分析激励", "incentives not analysed", lang))


def write_robustness(result: UncertaintyResult, path: str | Path, lang: str = "zh") -> Path:
    """The workbook: run, counties, incentives, sensitivity, assumptions."""
    top = caption(result, lang)
    wb = Workbook()
    heads, rows = county_table(result, lang)
    n_lab = len(result.labels)
    formats = {3: SCORE_FORMAT, 6: SCORE_FORMAT, 7: SCORE_FORMAT, 8: SCORE_FORMAT, 9: SCORE_FORMAT}
    formats |= {12 + k: PROB_FORMAT for k in range(n_lab + 1)}
    ws = _sheet(wb, t("各县稳健性", "Counties", lang), top, heads, rows, formats)
    stable_col = len(heads)
    for i, row in enumerate(rows, start=3):
        if row[-1] in ("否", "NO"):
            ws.cell(row=i, column=stable_col).fill = UNSTABLE_FILL
    if len(result.incentives):
        heads, rows = incentive_table(result, lang)
        _sheet(
            wb,
            t("激励稳健性", "Incentives", lang),
            top,
            heads,
            rows,
            {k: PROB_FORMAT for k in range(7, 11)},
        )
    tables = sobol_tables(result, lang)
    if tables is not None:
        (h1, r1), (h2, r2) = tables
        _sheet(wb, t("敏感性（平均排名变动）", "Sensitivity (rank shift)", lang), top, h1, r1, {})
        _sheet(wb, t("敏感性（各县排名）", "Sensitivity (county ranks)", lang), top, h2, r2, {})
    heads, rows = assumption_table(result, lang)
    _sheet(wb, t("不确定性假设", "Assumptions", lang), top, heads, rows, {})
    heads, rows = run_table(result, lang)
    _sheet(wb, t("分析信息", "Run", lang), top, heads, rows, {})
    return _save(wb, path)


def robustness_text(
    result: UncertaintyResult, lang: str = "zh", top: int = 10, detail: bool = True
) -> str:
    """Terminal summary: stability of the classes, incentives at risk, what drives the ranks
    (``detail=False``: the incentive table and the per-assumption table left out)."""
    c = result.counties
    n_unstable = int((~c["stable"]).sum())
    lines = [caption(result, lang), ""]
    lines.append(
        t(
            f"类别稳定（本类概率 ≥ {result.stable_at:.0%}）的县：{len(c) - n_unstable} 个；"
            f"不稳定：{n_unstable} 个。",
            f"Counties whose class is stable (P ≥ {result.stable_at:.0%}): {len(c) - n_unstable}; "
            f"unstable: {n_unstable}.",
            lang,
        )
    )
    risky = c.sort_values("p_nominal").head(top)
    risky = risky[risky["p_nominal"] < 1.0]
    if len(risky):
        heads = [
            COUNTY(lang),
            SCORE(lang),
            CLASS(lang),
            t("保持本类概率", "P(same class)", lang),
            *[t(f"{lb}类", f"P({lb})", lang) for lb in result.labels],
            t("排名（中位数，5%–95%）", "Rank (median, 5–95%)", lang),
        ]
        rows = [
            [
                r["name"],
                f"{r['score']:.2f}",
                r["class"],
                percent_or(r["p_nominal"], ""),
                *[percent_or(r[f"p_{lb}"], "") for lb in result.labels],
                f"{int(r['rank_median'])} ({int(r['rank_p05'])}–{int(r['rank_p95'])})",
            ]
            for _, r in risky.iterrows()
        ]
        lines += ["", t("类别最不确定的县：", "Least certain classes:", lang)]
        lines.append(format_table(heads, rows, "  "))
    if len(result.incentives) and detail:
        heads = [
            COUNTY(lang),
            t("激励", "Award", lang),
            t("跃升成立", "Jump holds", lang),
            t("进位成立", "Gain holds", lang),
            t("金额不变", "Same amount", lang),
            t("期望金额", "Expected", lang),
        ]
        rows = [
            [
                r["name"],
                yuan(int(r["amount"]), lang),
                percent_or(r["p_jump"], ""),
                percent_or(r["p_places"], ""),
                percent_or(r["p_amount"], ""),
                yuan(int(r["expected"]), lang),
            ]
            for r in result.incentives.to_dict("records")
        ]
        lines += ["", t("激励资金的稳健性：", "How firm the incentives are:", lang)]
        lines.append(format_table(heads, rows, "  "))
    if result.budget:
        b = result.budget
        lines.append(
            t(
                f"  激励总额：规定方案 {b['nominal']:,} 元；模拟中位数 {b['median']:,} 元，"
                f"5%–95% 区间 {b['p05']:,}–{b['p95']:,} 元。",
                f"  Total: nominal {b['nominal']:,} yuan; median {b['median']:,} yuan, "
                f"5–95% {b['p05']:,}–{b['p95']:,} yuan.",
                lang,
            )
        )
    tables = sobol_tables(result, lang)
    if tables is not None and detail:
        (heads, rows), _ = tables
        lines += [
            "",
            t(
                "排名对各假设的敏感性（平均排名变动的 Sobol 指数）：",
                "What moves the ranks (Sobol' indices of the mean absolute rank shift):",
                lang,
            ),
        ]
        lines.append(
            format_table(heads, [[r[0], *[fixed(v, 3) for v in r[1:]]] for r in rows], "  ")
        )
    return "\n".join(lines)


def robustness_step(report: Any) -> None:
    """Demo step (:data:`cimon.reports.demo.DEMO_STEPS`): the robustness analysis of the last
    demo year (1,000 replicates, seed 1, the default assumptions, Sobol' base sample 64), written
    as ``robustness-<year>.xlsx`` and ``.json`` and kept in ``report.extras["robustness"]`` for
    the annual report."""
    from cimon.analysis.sensitivity import rank_sensitivity
    from cimon.analysis.uncertainty import default_analysis, write_json
    from cimon.reports.demo_report import Section
    from cimon.reports.text import SYNTHETIC_LABEL

    year = max(report.runs)
    result = default_analysis(report.runs[year], report.runs.get(year - 1))
    result.sobol = rank_sensitivity(report.runs[year], result.assumptions, 64, result.seed)
    report.extras.setdefault("robustness", {})[year] = result
    lang = report.lang
    report.sections.append(
        Section(
            f"{year} 年度稳健性分析（{SYNTHETIC_LABEL}）",
            f"Robustness of {year} ({SYNTHETIC_LABEL})",
            robustness_text(result, lang, top=5, detail=False),
        )
    )
    for path in (
        write_robustness(result, report.out_dir / f"robustness-{year}.xlsx", lang),
        write_json(result, report.out_dir / f"robustness-{year}.json"),
    ):
        report.files.append(path)
