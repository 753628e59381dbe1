"""One county's profile in the annual report (各县（市、区）情况): score, class, ranks and changes;
the pillar radar and the score-change waterfall; pillar points; strengths and weaknesses against
the other counties of its 设区市; the path to the next class; the robustness of its class; data
notes (imputed, estimated or missing values); recommendations; its incentive money.

The first paragraph of every profile has a fixed form (the tests read the numbers back from it):
``<year>年度得分 <score> 分，<class>类，全区排名第 <rank> 位，<city>内排名第 <rank_city> 位。``
"""

from __future__ import annotations

from cimon.analysis.diagnose import IndicatorDiag
from cimon.analysis.incentives import yuan
from cimon.reports.annual.charts import county_figure, png
from cimon.reports.annual.content import AnnualContent, CountyProfile, DerivedValue
from cimon.reports.annual.document import Block, Figure, Heading, Para, Table
from cimon.reports.annual.words import (
    DASH,
    join,
    listing,
    percent,
    score,
    signed,
    t,
    wan,
)


def county_blocks(c: AnnualContent, p: CountyProfile, lang: str, number: str) -> list[Block]:
    r = p.result
    name = r.label(lang)
    title = f"{number.split('.')[-1]}. {r.name}" if lang != "en" else f"4.{number} {name}"
    out: list[Block] = [Heading(3, title, f"county-{r.code}")]
    out.append(Para(_summary(c, p, lang), "lead"))
    fig = county_figure(c, p, lang)
    caption = t(
        f"{r.name}：一级指标得分率（左，与全区平均比较）与得分变化分解（右）",
        f"{name}: pillar points as a share of the maximum (left, against the province mean) and the score change by pillar (right)",
        lang,
    )
    if p.split is None:
        caption = t(
            f"{r.name}：一级指标得分率（与全区平均比较）",
            f"{name}: pillar points as a share of the maximum, against the province mean",
            lang,
        )
    out.append(Figure(f"county-{r.code}", caption, png(fig), 15.0 if p.split is not None else 8.0))
    heads = (
        t("一级指标", "Pillar", lang), t("分值", "Points", lang), t("得分", "Earned", lang),
        t("得分率", "Share", lang), t("全区平均", "Province mean", lang), t("比上年变化", "Change", lang),
    )  # fmt: skip
    rows = tuple(
        (
            t(s.name_zh, s.name_en, lang), f"{s.points:g}", score(s.earned),
            f"{s.earned / s.points * 100:.1f}%", score(s.province_mean),
            signed(p.split.pillars[s.code] / 100) if p.split is not None else DASH,
        )
        for s in p.pillars
    )  # fmt: skip
    out.append(
        Table(
            f"pillars-{r.code}",
            t(f"{r.name}一级指标得分", f"{name}: pillar scores", lang),
            heads,
            rows,
            numeric=(1, 2, 3, 4, 5),
            small=True,
        )
    )
    d = p.diagnosis
    group = t(
        f"与{d.peer_group}其他 {len(d.peers)} 个县（市、区）平均得分相比",
        f"points against the mean of the other {len(d.peers)} counties of {c.place(d.peer_group, lang)}",
        lang,
    )

    def fmt(xs: tuple[IndicatorDiag, ...]) -> str:
        items = [f"{t(x.name_zh, x.name_en, lang)} {signed(x.gap)}" for x in xs]
        return join(items, lang) or t("无", "none", lang)

    out.append(
        Para(
            t(
                f"优势指标（{group}，分）：{fmt(d.strengths)}。",
                f"Strengths ({group}): {fmt(d.strengths)}.",
                lang,
            )
        )
    )
    out.append(
        Para(
            t(
                f"短板指标（{group}，分）：{fmt(d.weaknesses)}。",
                f"Weaknesses ({group}): {fmt(d.weaknesses)}.",
                lang,
            )
        )
    )
    out.append(Para(_path(p, lang)))
    out.append(Para(_robust(p, lang)))
    if p.award is not None and p.award.total:
        out.append(
            Para(
                t(
                    f"激励资金：{wan(p.award.total)} 万元。{p.award.explain('zh')}。",
                    f"Incentive money: {yuan(p.award.total, 'en')}. {p.award.explain('en')}.",
                    lang,
                )
            )
        )
    out.append(Para(_notes(p, lang, c.derived_of(p.result.code)), "note"))
    out.append(Para(_advice(p, lang)))
    return out


def _summary(c: AnnualContent, p: CountyProfile, lang: str) -> str:
    r = p.result
    head = t(
        f"{c.year}年度得分 {score(r.score)} 分，{r.klass}类，全区排名第 {r.rank} 位，{r.city}内排名第 {r.rank_city} 位。",
        f"{c.year} score {score(r.score)}, class {r.klass}, rank {r.rank} in the province and {r.rank_city} in {r.city_label(lang)}.",
        lang,
    )
    if r.score_prev is None:
        return head + t("没有上年可比结果。", " No comparable result last year.", lang)
    if r.transition == "up":
        move = t(
            f"由{r.class_prev}类跃升为{r.klass}类",
            f"moved up from class {r.class_prev} to {r.klass}",
            lang,
        )
    elif r.transition == "down":
        move = t(
            f"由{r.class_prev}类降为{r.klass}类",
            f"moved down from class {r.class_prev} to {r.klass}",
            lang,
        )
    else:
        move = t(f"保持{r.klass}类", f"stayed in class {r.klass}", lang)
    rc = r.rank_change or 0
    rank = (
        t(f"排名上升 {rc} 位", f"up {rc} places in the ranking", lang)
        if rc > 0
        else t(f"排名下降 {-rc} 位", f"down {-rc} places", lang)
        if rc < 0
        else t("排名不变", "same rank", lang)
    )
    return head + t(
        f"与上年（{score(r.score_prev)} 分）相比，得分变化 {signed(r.change)} 分，{move}，{rank}。",
        f" Against last year ({score(r.score_prev)}): {signed(r.change)} points, {move}, {rank}.",
        lang,
    )


def _path(p: CountyProfile, lang: str) -> str:
    d = p.diagnosis
    path = d.path
    if path is None:
        note = t(d.note_zh, d.note_en, lang)
        return t(f"升类路径：{note}", f"Path to the next class: {note}", lang)
    steps = join([f"{k}. {s.text(lang)}" for k, s in enumerate(path.steps, start=1)], lang)
    ok = t("达到", "crossed", lang) if path.crossed else t("未达到", "not crossed", lang)
    return t(
        f"升类路径：升入{path.target_class}类（≥{path.threshold:g} 分）尚差 {path.needed:.2f} 分，最少改进 {len(path.steps)} 项：{steps}。"
        f"按以上改进修改数据并重新评价，得 {path.verified_score:.2f} 分，{path.verified_class}类（{ok}）。",
        f"Path to class {path.target_class} (≥{path.threshold:g}): {path.needed:.2f} points short; the fewest "
        f"improvements ({len(path.steps)}): {steps}. Re-scored with these changes: {path.verified_score:.2f}, "
        f"class {path.verified_class} ({ok}).",
        lang,
    )


def _robust(p: CountyProfile, lang: str) -> str:
    rb = p.robustness
    if rb is None:
        return t(
            "类别稳健性：未开展稳健性分析。",
            "Robustness of the class: robustness was not analysed.",
            lang,
        )
    others = listing(
        [
            f"{k}类 {percent(v)}" if lang != "en" else f"{k} {percent(v)}"
            for k, v in rb.p_classes.items()
        ],
        lang,
    )
    verdict = (
        t("类别稳定", "stable", lang)
        if rb.stable
        else t("类别对方法假设较敏感", "sensitive to the assumptions", lang)
    )
    return t(
        f"类别稳健性：在 {rb.replicates} 次模拟中保持{p.result.klass}类的概率为 {percent(rb.p_nominal)}（{verdict}；{others}）；"
        f"排名中位数 {rb.rank_median:g}，90% 区间第 {rb.rank_p05}–{rb.rank_p95} 位；得分 90% 区间 {rb.score_p05:.2f}–{rb.score_p95:.2f} 分。",
        f"Robustness of the class: in {rb.replicates} simulations it stays in class {p.result.klass} with "
        f"probability {percent(rb.p_nominal)} ({verdict}; {others}); median rank {rb.rank_median:g}, 90% "
        f"interval {rb.rank_p05}–{rb.rank_p95}; score 90% interval {rb.score_p05:.2f}–{rb.score_p95:.2f}.",
        lang,
    )


def _notes(p: CountyProfile, lang: str, derived: tuple[DerivedValue, ...] = ()) -> str:
    registry = [_registry_note(d, lang) for d in derived]
    if not p.notes and not registry:
        return t(
            "数据说明：本县各项指标均使用报送数据，无插补、估算或缺失。",
            "Data notes: every indicator uses reported data; nothing imputed, estimated or missing.",
            lang,
        )
    items = join(
        [
            f"{t(n.name_zh, n.name_en, lang)}：{n.zh}" if lang != "en" else f"{n.name_en}: {n.en}"
            for n in p.notes
        ]
        + registry,
        lang,
    )
    if not p.notes:
        return t(
            f"数据说明：{items}；其余指标均使用报送数据，无插补、估算或缺失。",
            f"Data notes: {items}; every other value is reported data, nothing imputed, "
            "estimated or missing.",
            lang,
        )
    return t(f"数据说明：{items}。", f"Data notes: {items}.", lang)


def _registry_note(d: DerivedValue, lang: str) -> str:
    """Where a value taken from the registries comes from (the list is in the workbook)."""
    what = f"{d.level}级{d.kind}" if d.level else d.kind
    what_en = f"{d.kind} ({d.level})" if d.level else d.kind
    return t(
        f"{d.name_zh}取自名录：{d.on} 有效的{what}共 {d.count} 个，名单见结果工作簿“名录计数”表",
        f"{d.name_en or d.name_zh} is taken from the registries: {d.count} {what_en} valid on "
        f"{d.on}, listed in the results workbook's sheet “Registry counts”",
        lang,
    )


def _advice(p: CountyProfile, lang: str) -> str:
    d = p.diagnosis
    # names such as 孵化器、众创空间、星创天地等双创载体数 contain 、: quote each name in Chinese
    weak = [t(f"“{x.name_zh}”", x.name_en, lang) for x in d.weaknesses]
    room = sorted(d.indicators, key=lambda i: -i.reachable_points)[:2]
    room_txt = [
        f"“{i.name_zh}”（+{i.reachable_points:.2f}）"
        if lang != "en"
        else f"{i.name_en} (+{i.reachable_points:.2f})"
        for i in room
        if i.reachable_points > 0
    ]
    parts = []
    if weak:
        parts.append(
            t(f"补齐{''.join(weak)}等短板", f"close the gaps in {listing(weak, lang)}", lang)
        )
    if room_txt:
        parts.append(
            t(
                f"重点提升增分空间最大的{'、'.join(room_txt)}",
                f"raise the indicators with the most reachable points: {listing(room_txt, lang)}",
                lang,
            )
        )
    if d.path is not None:
        parts.append(
            t(f"力争升入{d.path.target_class}类", f"aim for class {d.path.target_class}", lang)
        )
    else:
        parts.append(t("巩固现有优势", "consolidate its strengths", lang))
    return t(f"建议：{'，'.join(parts)}。", f"Recommendations: {'; '.join(parts)}.", lang)
