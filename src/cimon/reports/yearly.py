"""Reports of the yearly cycle: terminal text and Excel workbooks for the comparison, incentives,
targets and county diagnostics (Chinese headers by default, ``lang="en"`` for English).

Every workbook follows the layout of :mod:`cimon.reports.excel`: row 1 a caption (marked
“模拟数据（synthetic）” when the data are synthetic), row 2 the headers, data from row 3.

In English, county and city names are the registry's English names
(:func:`cimon.model.regions.display_name`; the bundled registry unless ``registry`` is given,
the Chinese name where it has none).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cimon.analysis.compare import Comparison
from cimon.analysis.diagnose import Diagnosis
from cimon.analysis.incentives import Award, total_owed, yuan
from cimon.analysis.ledger import CATEGORIES, CATEGORY_EN, Ledger
from cimon.analysis.rules import RuleSet
from cimon.analysis.targets import STATUS, ClassProgress, CountyPlan, ItemStatus, ProvinceTargets
from cimon.engine.run import Run
from cimon.model.regions import RegionRegistry, display_name
from cimon.reports.excel import SYNTHETIC_NOTE, is_synthetic
from cimon.reports.table import Table
from cimon.reports.text import SYNTHETIC_LABEL, format_table
from cimon.tables.render import to_text, xlsx_table
from cimon.tables.spec import Namer
from cimon.tables.specs import AWARDS, COMPARISON, DIAGNOSIS
from cimon.vocab import CODE, COUNTY, t


def _place(name: Any, lang: str, registry: RegionRegistry | None = None) -> Any:
    """A county or city name as output in ``lang`` shows it (unchanged in Chinese)."""
    if lang != "en" or not isinstance(name, str):
        return name
    return display_name(name, lang, registry)


def _namer(registry: RegionRegistry | None) -> Namer:
    """County and city names as an output in ``lang`` shows them (:func:`_place`)."""
    return lambda name, lang: _place(name, lang, registry)


def _regions_of(c: Comparison, registry: RegionRegistry | None) -> RegionRegistry:
    return registry if registry is not None else RegionRegistry(c.curr.regions, "run")


def _mark(run: Run | None, lang: str) -> str:
    return f" · {SYNTHETIC_NOTE}" if run is not None and is_synthetic(run) else ""


def comparison_table(
    c: Comparison, lang: str = "zh", registry: RegionRegistry | None = None
) -> Table:
    """Every county this year against last year: :data:`cimon.tables.specs.COMPARISON`."""
    fw = c.curr.framework
    registry = _regions_of(c, registry) if lang == "en" else registry
    items: list[dict[str, Any]] = []
    for code, r in c.table.iterrows():
        split = c.splits.get(str(code))
        why = ""
        if split is not None:
            top = sorted(split.indicators.items(), key=lambda kv: -abs(kv[1]))[:3]
            why = ("; " if lang == "en" else "；").join(
                f"{(t(fw.indicator(k).name_zh, fw.indicator(k).name_en, lang))} {v / 100:+.2f}"
                for k, v in top
                if v
            )
        item = {**{str(k): v for k, v in r.items()}, "code": str(code), "why": why}
        item["places_in_class"] = r["places"] if r["transition"] == "same" else None
        items.append(item)
    heads, rows, _ = xlsx_table(COMPARISON, items, lang, _namer(registry))
    return Table(heads=heads, rows=rows)


def split_table(c: Comparison, lang: str = "zh", registry: RegionRegistry | None = None) -> Table:
    """Counties × (change, pillars, indicators) in points; every row adds up exactly."""
    fw = c.curr.framework
    registry = _regions_of(c, registry) if lang == "en" else registry
    heads = [
        CODE(lang),
        COUNTY(lang),
        t("得分变化", "Change", lang),
    ]
    heads += [t(p.name_zh, p.name_en, lang) for p in fw.pillars]
    heads += [f"{i.code} {t(i.name_zh, i.name_en, lang)}" for i in fw.indicators]
    rows = [
        [s.code, _place(s.name, lang, registry), s.total / 100]
        + [s.pillars[p.code] / 100 for p in fw.pillars]
        + [s.indicators[i.code] / 100 for i in fw.indicators]
        for s in c.splits.values()
    ]
    return Table(heads=heads, rows=rows)


def matrix_table(c: Comparison, lang: str = "zh") -> Table:
    heads = [t("上年类别＼本年类别", "Last year \\ this year", lang), *map(str, c.matrix.columns)]
    return Table(heads=heads, rows=[[str(k), *map(int, row)] for k, row in c.matrix.iterrows()])


def comparison_text(c: Comparison, lang: str = "zh", registry: RegionRegistry | None = None) -> str:
    n = c.transitions()
    head = t(
        f"{c.prev.year} → {c.year} 年度比较：跃升 {n['up']}、下降 {n['down']}、保持 {n['same']}、新增 {n['new']}",
        f"{c.prev.year} → {c.year}: up {n['up']}, down {n['down']}, unchanged {n['same']}, new {n['new']}",
        lang,
    )
    lines = [head]
    if is_synthetic(c.curr):
        lines.append(f"[{SYNTHETIC_LABEL}]")
    m_heads, m_rows = matrix_table(c, lang)
    lines += ["", format_table(m_heads, m_rows), ""]
    heads, rows = comparison_table(c, lang, registry)
    keep = [1, 3, 4, 5, 7, 8, 10, 11, 14]
    lines.append(format_table([heads[k] for k in keep], [[r[k] for k in keep] for r in rows]))
    return "\n".join(lines)


def awards_table(
    awards: Sequence[Award], lang: str = "zh", registry: RegionRegistry | None = None
) -> Table:
    """The awards as the workbook holds them: :data:`cimon.tables.specs.AWARDS`."""
    heads, rows, _ = xlsx_table(AWARDS.shown_in("xlsx"), awards, lang, _namer(registry))
    return Table(heads=heads, rows=rows)


def incentives_text(
    awards: Sequence[Award],
    rules: RuleSet,
    year: int,
    lang: str = "zh",
    synthetic: bool = False,
    registry: RegionRegistry | None = None,
) -> str:
    paid = [a for a in awards if a.total]
    lines = [
        t(
            f"{year} 年度激励资金（规则 {rules.id} {rules.version}）：{len(paid)} 个县，合计 {yuan(total_owed(awards))}",
            f"{year} incentives (rules {rules.id} {rules.version}): {len(paid)} counties, total {yuan(total_owed(awards), 'en')}",
            lang,
        )
    ]
    if synthetic:
        lines.append(f"[{SYNTHETIC_LABEL}]")
    shown = AWARDS.pick("name", "class_prev", "class", "total")
    lines += ["", to_text(shown, paid, lang, _namer(registry)), ""]
    for a in paid:
        lines.append(
            f"{a.name}：{a.explain(lang)}"
            if lang != "en"
            else f"{_place(a.name, lang, registry)}: {a.explain(lang)}"
        )
    return "\n".join(lines)


def ledger_tables(ledger: Ledger, lang: str = "zh") -> tuple[Table, Table]:
    cats = [CATEGORY_EN[c] if lang == "en" else c for c in CATEGORIES]
    heads = [
        CODE(lang),
        COUNTY(lang),
        t("年度", "Year", lang),
        t("核定额度（元）", "Allocated (yuan)", lang),
    ]
    heads += [
        *cats,
        t("未列明用途（元，待核实）", "Uses not named by the seed (yuan, to check)", lang),
        t("结余（元）", "Balance (yuan)", lang),
    ]
    rows = [
        [
            ln.code,
            ln.name,
            ln.year,
            float(ln.allocated),
            *(float(ln.used[c]) for c in CATEGORIES),
            float(ln.outside),
            float(ln.balance),
        ]
        for ln in ledger.lines
    ]
    f_heads = [
        t("位置", "Where", lang),
        COUNTY(lang),
        t("年度", "Year", lang),
        t("问题", "Issue", lang),
        t("说明", "Explanation", lang),
    ]
    kinds = {
        "unlisted": ("用途未列明（待核实）", "use not named by the seed (check)"),
        "over": ("超出额度", "beyond the allocation"),
        "no_allocation": ("无额度支出", "no allocation"),
    }
    f_rows = [
        [f.where, f.name, f.year, t(*kinds[f.kind], lang), t(f.zh, f.en, lang)]
        for f in ledger.findings
    ]
    return Table(heads=heads, rows=rows), Table(heads=f_heads, rows=f_rows)


def ledger_text(ledger: Ledger, lang: str = "zh") -> str:
    if not ledger.findings:
        return t("资金台账：未发现问题。", "Funds ledger: no findings.", lang)
    head = t(
        f"资金台账：发现 {len(ledger.findings)} 个问题",
        f"Funds ledger: {len(ledger.findings)} finding(s)",
        lang,
    )
    return "\n".join([head, *(f"  {f.text(lang)}" for f in ledger.findings)])


# --- targets ---------------------------------------------------------------------------------------


def province_table(rows: Sequence[ClassProgress], lang: str = "zh") -> Table:
    heads = [
        t(*p, lang)
        for p in (
            ("评价年度", "Year"), ("类别", "Class"), ("实际", "Actual"), ("计划路径", "Planned"),
            ("目标", "Target"), ("差距", "Gap"), ("尚需每年", "Needed per year"),
            ("已实现每年", "Per year so far"), ("状态", "Status"),
        )
    ]  # fmt: skip
    body = [
        [r.year, r.label, r.actual, round(r.planned, 1), r.target, r.gap,
         None if r.pace_needed is None else round(r.pace_needed, 2),
         None if r.pace_so_far is None else round(r.pace_so_far, 2), t(*STATUS[r.status], lang)]
        for r in rows
    ]  # fmt: skip
    return Table(heads=heads, rows=body)


def province_text(targets: ProvinceTargets, rows: Sequence[ClassProgress], lang: str = "zh") -> str:
    """Years × classes: actual count against the target, with the status of each."""
    labels = list(targets.target)
    by_year: dict[int, dict[str, ClassProgress]] = {}
    for r in rows:
        by_year.setdefault(r.year, {})[r.label] = r
    heads = [t("评价年度", "Year", lang)] + [
        f"{k}（{t('目标', 'target', lang)}{targets.target[k]}）" for k in labels
    ]
    body = [
        [y] + [f"{v[k].actual}（{t(*STATUS[v[k].status], lang)}）" for k in labels]
        for y, v in by_year.items()
    ]
    last = max(by_year) if by_year else None
    lines = [
        t(
            f"省级目标：到 {targets.target_year} 年 {'/'.join(labels)} 类县 "
            f"{'/'.join(str(targets.target[k]) for k in labels)} 个（{targets.base_year} 年为 "
            f"{'/'.join(str(targets.base[k]) for k in labels)}）",
            f"Province target: {'/'.join(str(targets.target[k]) for k in labels)} counties in classes "
            f"{'/'.join(labels)} by {targets.target_year} (from {'/'.join(str(targets.base[k]) for k in labels)} in {targets.base_year})",
            lang,
        ),
        format_table(heads, body),
    ]
    if last is not None and last < targets.target_year:
        pace = "，".join(
            f"{k} 每年 {by_year[last][k].pace_needed:+.1f}"
            for k in labels
            if by_year[last][k].pace_needed is not None
        )
        lines.append(t(f"距目标尚需（每年）：{pace}", f"Pace still needed per year: {pace}", lang))
    return "\n".join(lines)


SOURCES = {"computed": ("评价数据计算", "computed"), "reported": ("报送", "reported")}


def county_table(plan: CountyPlan, items: Sequence[ItemStatus], lang: str = "zh") -> Table:
    heads = [
        t(*p, lang)
        for p in (
            ("代码", "Code"), ("目标项", "Target item"), ("单位", "Unit"), ("目标值", "Target"),
            ("期限", "Deadline"), ("最新年度", "Latest year"), ("最新值", "Latest"),
            ("趋势（年）", "Trend per year"), ("尚需（年）", "Needed per year"),
            ("到期预计", "Projected"), ("状态", "Status"), ("责任单位", "Responsible units"),
            ("依据", "Source wording"), ("目标类型", "Kind"), ("数据来源", "Values"),
            ("判定规则", "Rule that decided"),
        )
    ]  # fmt: skip
    rows = []
    for s in items:
        it = s.item
        pct = s.trend_kind == "compound"
        rows.append(
            [
                it.code, t(it.name_zh, it.name_en, lang), it.unit, _target(it, s.target_value, lang), it.deadline,
                s.latest_year, _r(s.latest), _rate(s.trend, pct), _rate(s.needed, pct),
                _r(s.projected), t(*STATUS[s.status], lang), "、".join(it.responsible), it.quote_zh,
                it.kind, t(*SOURCES[it.source_kind], lang), t(s.rule_zh, s.rule_en, lang),
            ]
        )  # fmt: skip
    return Table(heads=heads, rows=rows)


def county_text(
    plan: CountyPlan, items: Sequence[ItemStatus], lang: str = "zh", synthetic: bool = False
) -> str:
    heads, rows = county_table(plan, items, lang)
    keep = [0, 1, 3, 4, 6, 10, 11]
    lines = [f"{plan.county} · {plan.plan_zh}"]
    if synthetic:
        lines.append(f"[{SYNTHETIC_LABEL}]")
    lines.append(format_table([heads[k] for k in keep], [[r[k] for k in keep] for r in rows]))
    return "\n".join(lines)


def diagnosis_tables(d: Diagnosis, lang: str = "zh") -> tuple[Table, Table]:
    heads, rows, _ = xlsx_table(DIAGNOSIS, d.indicators, lang)
    p_heads = [
        t("步骤", "Step", lang),
        t("改进", "Improvement", lang),
        t("增分", "Points", lang),
    ]
    p_rows: list[list[Any]] = []
    if d.path is not None:
        p_rows = [[k, s.text(lang), round(s.gain, 2)] for k, s in enumerate(d.path.steps, start=1)]
        p_rows.append(
            ["", t(f"按以上改进重新评价：{d.path.verified_score:.2f} 分，{d.path.verified_class}类",
                    f"Re-scored with these changes: {d.path.verified_score:.2f}, class {d.path.verified_class}", lang), None]
        )  # fmt: skip
    return Table(heads=heads, rows=rows), Table(heads=p_heads, rows=p_rows)


def diagnosis_text(d: Diagnosis, lang: str = "zh", registry: RegionRegistry | None = None) -> str:
    fmt = lambda xs: ("; " if lang == "en" else "；").join(  # noqa: E731
        f"{t(x.name_zh, x.name_en, lang)} {x.gap:+.2f}" for x in xs
    )
    lines = [
        t(
            f"{d.name}（{d.code}）{d.year} 年度：{d.score:.2f} 分，{d.klass}类 · 对比组：{d.peer_group}（同组其他 {len(d.peers)} 个县）",
            f"{_place(d.name, lang, registry)} ({d.code}) {d.year}: {d.score:.2f} points, class {d.klass} · "
            f"peers: {_place(d.peer_group, lang, registry)} ({len(d.peers)} other counties)",
            lang,
        ),
        t("优势指标（与同组平均得分差）：", "Strengths (points vs peer mean): ", lang)
        + (fmt(d.strengths) or "—"),
        t("短板指标（与同组平均得分差）：", "Weaknesses (points vs peer mean): ", lang)
        + (fmt(d.weaknesses) or "—"),
        t("尚余分值最多：", "Most points still available: ", lang)
        + ("; " if lang == "en" else "；").join(
            f"{t(i.name_zh, i.name_en, lang)} {i.available:.2f}"
            for i in sorted(d.indicators, key=lambda i: -i.available)[:3]
        ),
    ]
    if d.path is not None:
        p = d.path
        lines.append(
            t(
                f"升入{p.target_class}类（≥{p.threshold:g} 分）尚差 {p.needed:.2f} 分，最少改进 {len(p.steps)} 项：",
                f"To reach class {p.target_class} (≥{p.threshold:g}) it needs {p.needed:.2f} points; fewest improvements ({len(p.steps)}):",
                lang,
            )
        )
        lines += [f"  {k}. {s.text(lang)}" for k, s in enumerate(p.steps, start=1)]
        lines.append(
            t(
                f"  验证：按以上改进修改数据并重新评价，得 {p.verified_score:.2f} 分，{p.verified_class}类{'（达到）' if p.crossed else '（未达到）'}",
                f"  Check: data changed and re-scored: {p.verified_score:.2f}, class {p.verified_class} ({'crossed' if p.crossed else 'not crossed'})",
                lang,
            )
        )
    if d.note_zh:
        lines.append(t(d.note_zh, d.note_en, lang))
    return "\n".join(lines)


def _r(x: float | None) -> float | None:
    return None if x is None or x != x else round(float(x), 2)


def _target(item: Any, level: float | None, lang: str) -> Any:
    if item.kind not in ("growth", "cagr"):
        return _r(level)
    tail = "" if level is None else f"（≈{level:,.0f}）" if lang != "en" else f" (≈{level:,.0f})"
    return (f"annual ≥{item.target:g}%" if lang == "en" else f"年均≥{item.target:g}%") + tail


def _rate(x: float | None, pct: bool) -> str | None:
    if x is None:
        return None
    return f"{x * 100:+.1f}%" if pct else f"{x:+.2f}"
