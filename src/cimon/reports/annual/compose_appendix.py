"""The annual report's appendix (:mod:`.compose` puts it in order): 附录1 indicator system with
points, 附录2 method, 附录3 data sources. The readings appendix (附录4) is :mod:`.readings`."""

from __future__ import annotations

from cimon.model.regions import COUNTY_DEPARTMENT
from cimon.reports.annual.content import AnnualContent
from cimon.reports.annual.document import Document, Heading, PageBreak, Para, Table
from cimon.reports.annual.words import DASH, listing, method_text, t
from cimon.vocab import ITEM_CODE


def appendix(doc: Document, c: AnnualContent, lang: str) -> None:
    fw = c.framework
    run = c.run
    doc.add(PageBreak(), Heading(1, t("附录", "Appendix", lang), "appendix"))
    doc.add(Heading(2, t("附录1 指标体系", "A.1 Indicator system", lang), "appendix-1"))
    heads: tuple[str, ...] = (
        t("一级指标（分值）", "Pillar (points)", lang),
        ITEM_CODE(lang),
        t("二级指标", "Indicator", lang),
        t("单位", "Unit", lang),
        t("分值", "Points", lang),
        t("方向", "Direction", lang),
        t("数据来源", "Source", lang),
    )
    rows: list[tuple[str, ...]] = []
    for p in fw.pillars:
        for code in p.indicators:
            ind = fw.indicator(code)
            depts = listing(sorted({fw.variable(v).department for v in ind.variables}), lang)
            rows.append(
                (
                    f"{t(p.name_zh, p.name_en, lang)}（{p.points:g}）" if lang != "en" else f"{p.name_en} ({p.points:g})",
                    ind.code, t(ind.name_zh, ind.name_en, lang), ind.unit or DASH, f"{ind.points:g}",
                    t("正向", "+", lang) if ind.direction > 0 else t("逆向", "−", lang), depts,
                )
            )  # fmt: skip
    rows.append(
        (t("合计", "Total", lang), "", "", "", f"{sum(i.points for i in fw.indicators):g}", "", "")
    )
    doc.add(
        Table(
            "framework",
            t(f"附表1 {fw.name_zh}", f"Table A.1 {fw.name_en}", lang),
            heads,
            tuple(rows),
            numeric=(4,),
            small=True,
        )
    )
    doc.add(Heading(2, t("附录2 评价方法", "A.2 Method", lang), "appendix-2"))
    bands = listing(
        [f"{b.label}（≥{b.min:g}）" if b.min is not None else f"{b.label}" for b in fw.classes],
        lang,
    )
    doc.add(
        Para(
            t(
                f"{c.year} 年度评价使用 {c.data_year} 年数据（数据滞后 {fw.data_lag} 年）。各二级指标按固定的基准值（下限与目标值）计分，"
                f"得分在 0 与该指标分值之间，达到目标值得满分，各年可比；二级指标得分相加为一级指标得分，一级指标得分相加为总分（满分 {fw.total_points:g}）。"
                f"总分保留 {fw.rounding} 位小数后分类和排名，类别：{bands}。并列名次取较好名次。得分变化按一级、二级指标精确分解到 0.01 分。"
                "缺失数据按各指标的缺失处理规则处理，并在各县情况的“数据说明”中列出。",
                f"The {c.year} evaluation uses {c.data_year} data (a lag of {fw.data_lag} year). Each "
                "indicator is scored against fixed references (a floor and a target): between 0 and its "
                "points, full points at the target, so years are comparable. Indicator points add up to "
                f"pillar scores and pillar scores to the total (out of {fw.total_points:g}). Totals are "
                f"rounded to {fw.rounding} decimals, then classed and ranked; classes: {bands}. Tied "
                "counties share the better rank. Score changes are split exactly (to 0.01) over pillars "
                "and indicators. Missing data follow each indicator's policy and are listed under "
                "“Data notes” in the county profiles.",
                lang,
            )
        )
    )
    if c.derived:
        doc.add(Para(_registry_source(c, lang)))
    heads = (
        ITEM_CODE(lang),
        t("二级指标", "Indicator", lang),
        t("计分方法", "Scoring", lang),
        t("参数", "Parameters", lang),
    )
    rows = []
    for ind in fw.indicators:
        method, params = method_text("normalise", dict(run.log["normalise"][ind.code]), lang)
        rows.append((ind.code, t(ind.name_zh, ind.name_en, lang), method, params))
    doc.add(
        Table(
            "method",
            t("附表2 各指标计分方法与参数", "Table A.2 Scoring method and parameters", lang),
            heads,
            tuple(rows),
            small=True,
        )
    )
    doc.add(
        Para(
            t(
                f"激励资金按 {c.rules.id}（{c.rules.version}）规则计算，金额按整数元计算，表中以万元列示（精确值，不四舍五入）。"
                "“路径”指升入上一类别所需的最少指标改进，每项不超过本年度全区最好水平，并已按改进后的数据重新评价验证。",
                f"Incentive money follows the rule set {c.rules.id} ({c.rules.version}), computed in whole "
                "yuan and shown in 10,000 yuan (exact, not rounded). "
                "The “path” is the fewest indicator improvements that lift a county into the next class, "
                "each bounded by the best value in the province this year, verified by re-scoring the "
                "changed data.",
                lang,
            )
        )
    )
    doc.add(Heading(2, t("附录3 数据来源", "A.3 Data sources", lang), "appendix-3"))
    heads = (t("报送部门", "Department", lang), t("报送数据", "Variables", lang))
    rows = []
    for dept in fw.departments:
        names = [t(v.name_zh, v.name_en, lang) for v in fw.variables if v.department == dept]
        rows.append(
            (
                t(
                    dept if dept != COUNTY_DEPARTMENT else "各县（市、区）自评与专家评分",
                    "Counties (self-assessment and experts)" if dept == COUNTY_DEPARTMENT else dept,
                    lang,
                ),
                listing(names, lang),
            )
        )
    doc.add(
        Table(
            "sources",
            t("附表3 数据来源", "Table A.3 Data sources", lang),
            heads,
            tuple(rows),
            small=True,
        )
    )
    doc.add(
        Para(
            t(
                f"数据：{run.inputs.source}。指标体系哈希 {run.framework_hash[:16]}，数据哈希 {run.data_hash[:16]}，cimon {run.cimon_version}。"
                "同一数据和参数可由 cimon 逐位重现本报告的全部结果。",
                f"Data: {run.inputs.source}. Framework hash {run.framework_hash[:16]}, data hash "
                f"{run.data_hash[:16]}, cimon {run.cimon_version}. cimon reproduces every result of this "
                "report bit for bit from the same data and parameters.",
                lang,
            ),
            "note",
        )
    )


def _registry_source(c: AnnualContent, lang: str) -> str:
    """The data note of the values taken from the registries (issue #16)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for d in c.derived:
        what = f"{d.level}级{d.kind}" if d.level else d.kind
        what_en = f"{d.kind} ({d.level})" if d.level else d.kind
        seen.setdefault(d.variable, (d.name_zh, f"{d.name_en or d.name_zh}: {what_en}", what))
    zh = "、".join(f"{n}（{w}）" for n, _, w in seen.values())
    en = "; ".join(e for _, e, _ in seen.values())
    on = c.derived[0].on
    return t(
        f"数据来源：{zh}不采用部门填报数，取自名录——各县 {on}（数据年度 12 月 31 日）有效的企业资质或载体的个数，"
        "每家企业每类资质只计一次；每个数所依据的名单（统一社会信用代码、名称、证书编号或载体、有效日期）见结果工作簿“名录计数”表。",
        f"Data source: these values are not the departments' figures but counts from the registries "
        f"— the qualifications or carriers valid in each county on {on} (31 December of the data "
        f"year), each enterprise counted once per kind — {en}. The records behind every count "
        "(credit code, name, certificate or carrier, dates) are listed in the results workbook's "
        "sheet “Registry counts”.",
        lang,
    )
