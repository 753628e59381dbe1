"""Robustness results as tables, terminal text and an Excel workbook (issue #5).

Tables are ``(headers, rows)`` in Chinese or English; :func:`robustness_text` prints the essentials
(unstable classes, incentives at risk, what drives the ranks), :func:`write_robustness` writes every
table as a sheet in the style of :mod:`cimon.reports.excel` (row 1 a caption, row 2 headers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from cimon.analysis.incentives import yuan
from cimon.analysis.uncertainty import UncertaintyResult
from cimon.reports.annual.words import percent_or
from cimon.reports.excel import SCORE_FORMAT, _sheet
from cimon.reports.text import format_table
from cimon.reports.yearly import Table, _mark, _t
from cimon.reports.yearly_excel import _save
from cimon.tables.render import xlsx_table
from cimon.tables.specs import ROBUSTNESS_AWARDS, robustness_spec

PROB_FORMAT = "0.0%"
UNSTABLE_FILL = PatternFill("solid", fgColor="FCE4D6")


def _pct(p: Any) -> str:
    """A probability as the annual report writes it (:func:`~cimon.reports.annual.words.percent`:
    100 % and 0 % only when exact, ``>99.9%`` for 0.9996); empty where there is none."""
    return percent_or(p, "")


def caption(result: UncertaintyResult, lang: str = "zh") -> str:
    return _t(
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
    heads, rows, _ = xlsx_table(robustness_spec(result.labels), items, lang)
    return heads, rows


def incentive_table(result: UncertaintyResult, lang: str = "zh") -> Table:
    """The incentives re-decided per replicate: :data:`cimon.tables.specs.ROBUSTNESS_AWARDS`."""
    items = [
        {
            **r,
            "amounts": "；".join(f"{int(a):,}: {_pct(p)}" for a, p in sorted(r["amounts"].items())),
        }
        for r in result.incentives.to_dict("records")
    ]
    heads, rows, _ = xlsx_table(ROBUSTNESS_AWARDS, items, lang)
    return heads, rows


def _nan(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)


def assumption_table(result: UncertaintyResult, lang: str = "zh") -> Table:
    heads = [
        _t("编号", "Id", lang),
        _t("假设", "Assumption", lang),
        _t("日志地址", "Log address", lang),
        _t("类型", "Kind", lang),
        _t("变化方式", "How it varies", lang),
    ]
    rows: list[list[Any]] = [
        [a.id, a.title(lang), a.address, a.kind, a.describe(lang)]
        for a in result.assumptions.assumptions
    ]
    return heads, rows


def sobol_tables(result: UncertaintyResult, lang: str = "zh") -> tuple[Table, Table] | None:
    """(indices of the mean absolute rank shift, total index per county and assumption)."""
    s = result.sobol
    if s is None:
        return None
    titles = s.titles_en if lang == "en" else s.titles_zh
    heads = [
        _t("假设", "Assumption", lang),
        _t("一阶指数 S1", "First-order S1", lang),
        _t("S1 95%置信半宽", "S1 95% CI ±", lang),
        _t("总效应指数 ST", "Total ST", lang),
        _t("ST 95%置信半宽", "ST 95% CI ±", lang),
    ]
    m = s.mean_rank_shift
    rows: list[list[Any]] = [
        [titles[i], _nan(m.S1[i]), _nan(m.S1_conf[i]), _nan(m.ST[i]), _nan(m.ST_conf[i])]
        for i in range(len(s.factors))
    ]
    wide = s.counties.pivot_table(
        index=["region_code", "name"], columns="factor", values="ST", sort=False, dropna=False
    )
    heads2 = [_t("区划代码", "Code", lang), _t("县（市、区）", "County", lang)]
    heads2 += [f"ST · {t}" for t in titles]
    rows2: list[list[Any]] = [
        [code, name, *[_nan(wide.loc[(code, name)].get(f)) for f in s.factors]]
        for code, name in wide.index
    ]
    return (heads, rows), (heads2, rows2)


def run_table(result: UncertaintyResult, lang: str = "zh") -> Table:
    fw = result.framework
    rows: list[list[Any]] = [
        [_t("评价年度", "Evaluation year", lang), result.year],
        [_t("指标体系", "Framework", lang), f"{fw.get('id')} {fw.get('version')} ({fw.get('hash')})"],
        [_t("数据哈希", "Data hash", lang), result.data_hash],
        [_t("模拟次数", "Replicates", lang), result.replicates],
        [_t("随机种子", "Seed", lang), result.seed],
        [_t("假设集", "Assumption set", lang), f"{result.assumptions.id} ({result.assumptions.hash})"],
        [_t("上年结果", "Last year", lang), _previous_text(result.previous_mode, lang)],
        [_t("稳定阈值", "Stable at", lang), result.stable_at],
    ]  # fmt: skip
    if result.budget:
        b = result.budget
        rows.append(
            [
                _t("激励资金总额（元）", "Total incentives (yuan)", lang),
                _t(
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
                _t("Sobol 样本", "Sobol design", lang),
                _t(
                    f"基础样本 {result.sobol.base_n}，共 {result.sobol.evaluations:,} 次计算",
                    f"base sample {result.sobol.base_n}, {result.sobol.evaluations:,} evaluations",
                    lang,
                ),
            ]
        )
    return [_t("项目", "Item", lang), _t("值", "Value", lang)], rows


def _previous_text(mode: str, lang: str) -> str:
    return {
        "joint": _t("与本年度同一抽样重算（joint）", "re-scored under the same draw (joint)", lang),
        "fixed": _t("固定为已公布结果（fixed）", "held at the published result (fixed)", lang),
    }.get(mode, _t("未分析激励", "incentives not analysed", lang))


def write_robustness(result: UncertaintyResult, path: str | Path, lang: str = "zh") -> Path:
    """The workbook: run, counties, incentives, sensitivity, assumptions."""
    top = caption(result, lang)
    wb = Workbook()
    heads, rows = county_table(result, lang)
    n_lab = len(result.labels)
    formats = {3: SCORE_FORMAT, 6: SCORE_FORMAT, 7: SCORE_FORMAT, 8: SCORE_FORMAT, 9: SCORE_FORMAT}
    formats |= {12 + k: PROB_FORMAT for k in range(n_lab + 1)}
    ws = _sheet(wb, _t("各县稳健性", "Counties", lang), top, heads, rows, formats)
    stable_col = len(heads)
    for i, row in enumerate(rows, start=3):
        if row[-1] in ("否", "NO"):
            ws.cell(row=i, column=stable_col).fill = UNSTABLE_FILL
    if len(result.incentives):
        heads, rows = incentive_table(result, lang)
        _sheet(
            wb,
            _t("激励稳健性", "Incentives", lang),
            top,
            heads,
            rows,
            {k: PROB_FORMAT for k in range(7, 11)},
        )
    tables = sobol_tables(result, lang)
    if tables is not None:
        (h1, r1), (h2, r2) = tables
        _sheet(wb, _t("敏感性（平均排名变动）", "Sensitivity (rank shift)", lang), top, h1, r1, {})
        _sheet(wb, _t("敏感性（各县排名）", "Sensitivity (county ranks)", lang), top, h2, r2, {})
    heads, rows = assumption_table(result, lang)
    _sheet(wb, _t("不确定性假设", "Assumptions", lang), top, heads, rows, {})
    heads, rows = run_table(result, lang)
    _sheet(wb, _t("分析信息", "Run", lang), top, heads, rows, {})
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
        _t(
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
            _t("县（市、区）", "County", lang),
            _t("得分", "Score", lang),
            _t("类别", "Class", lang),
            _t("保持本类概率", "P(same class)", lang),
            *[_t(f"{lb}类", f"P({lb})", lang) for lb in result.labels],
            _t("排名（中位数，5%–95%）", "Rank (median, 5–95%)", lang),
        ]
        rows = [
            [
                r["name"],
                f"{r['score']:.2f}",
                r["class"],
                _pct(r["p_nominal"]),
                *[_pct(r[f"p_{lb}"]) for lb in result.labels],
                f"{int(r['rank_median'])} ({int(r['rank_p05'])}–{int(r['rank_p95'])})",
            ]
            for _, r in risky.iterrows()
        ]
        lines += ["", _t("类别最不确定的县：", "Least certain classes:", lang)]
        lines.append(format_table(heads, rows, "  "))
    if len(result.incentives) and detail:
        heads = [
            _t("县（市、区）", "County", lang),
            _t("激励", "Award", lang),
            _t("跃升成立", "Jump holds", lang),
            _t("进位成立", "Gain holds", lang),
            _t("金额不变", "Same amount", lang),
            _t("期望金额", "Expected", lang),
        ]
        rows = [
            [
                r["name"],
                yuan(int(r["amount"]), lang),
                _pct(r["p_jump"]),
                _pct(r["p_places"]),
                _pct(r["p_amount"]),
                yuan(int(r["expected"]), lang),
            ]
            for r in result.incentives.to_dict("records")
        ]
        lines += ["", _t("激励资金的稳健性：", "How firm the incentives are:", lang)]
        lines.append(format_table(heads, rows, "  "))
    if result.budget:
        b = result.budget
        lines.append(
            _t(
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
            _t(
                "排名对各假设的敏感性（平均排名变动的 Sobol 指数）：",
                "What moves the ranks (Sobol' indices of the mean absolute rank shift):",
                lang,
            ),
        ]
        lines.append(format_table(heads, [[r[0], *[_fmt(v) for v in r[1:]]] for r in rows], "  "))
    return "\n".join(lines)


def _fmt(v: Any) -> str:
    return "—" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.3f}"


def robustness_step(report: Any) -> None:
    """Demo step (:data:`cimon.reports.demo.DEMO_STEPS`): the robustness analysis of the last
    demo year (1,000 replicates, seed 1, the default assumptions, Sobol' base sample 64), written
    as ``robustness-<year>.xlsx`` and ``.json`` and kept in ``report.extras["robustness"]`` for
    the annual report."""
    from cimon.analysis.sensitivity import rank_sensitivity
    from cimon.analysis.uncertainty import default_analysis, write_json
    from cimon.reports.demo import Section
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
