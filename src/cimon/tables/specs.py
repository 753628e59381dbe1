"""Every table cimon writes about counties, defined once (issue #15): the incentive money
(:data:`AWARDS`), the results (:data:`RESULTS`), the year-on-year comparison
(:data:`COMPARISON`), the robustness summary (:data:`ROBUSTNESS`, :data:`ROBUSTNESS_AWARDS`)
and the diagnosis (:data:`DIAGNOSIS`).

Columns that several tables share (the code, the county, the class …) are one :class:`Column`
each, so a header reads the same in every table and every output. To add a column, add it to the
table's definition here; every output that shows the whole table (the workbook, the API) gets it,
the others list the keys they show (see docs/reports/tables.md).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cimon.analysis.compare import TRANSITIONS
from cimon.engine.flags import flags_in_words
from cimon.tables.spec import ALL, Column, field_of, spec_of
from cimon.vocab import Term, t

NOT_API = ALL - {"api"}

# --- columns shared by several tables -------------------------------------------------------------

CODE = Column("code", Term("区划代码", "Code"), "code", field_of("code", "region_code"))
COUNTY = Column("name", Term("县（市、区）", "County"), "place")
CITY = Column("city", Term("设区市", "City"), "place")
CLASS = Column("class", Term("类别", "Class"), "class", field_of("class", "klass"))
CLASS_PREV = Column("class_prev", Term("上年类别", "Class last year"), "text")
SCORE = Column("score", Term("得分", "Score"), "score", field_of("score_published", "score"))
SCORE_PREV = Column("score_prev", Term("上年得分", "Score last year"), "score")
CHANGE = Column("change", Term("得分变化", "Change"), "signed")
RANK = Column("rank", Term("排名", "Rank"), "rank")
RANK_PREV = Column("rank_prev", Term("上年排名", "Rank last year"), "rank")
RANK_CHANGE = Column("rank_change", Term("排名变化", "Rank change"), "signed_int")
RANK_CITY = Column("rank_city", Term("市内排名", "Rank in city"), "rank")
CLASS_RANK = Column("class_rank", Term("类内排名", "Rank in class"), "rank")
PLACES = Column("places", Term("类内进位", "Places gained"), "int")


def _transition(item: Any, lang: str) -> str:
    key = str(field_of("transition")(item) or "new")
    return t(*TRANSITIONS.get(key, (key, key)), lang)


# --- awards: one row per county and year (cimon.analysis.incentives.Award) -----------------------

#: incentive money of one county and year (:class:`~cimon.analysis.incentives.Award`); the keys
#: are the API's
AWARDS = spec_of(
    "awards",
    "激励资金",
    "Incentive money",
    [
        CODE,
        COUNTY,
        CLASS_PREV,
        CLASS,
        Column("transition", Term("变化", "Transition"), "code", outputs=frozenset(["api"])),
        PLACES,
        Column("jump", Term("跃升激励", "Jump money"), "yuan"),
        Column("rank", Term("进位激励", "Place money"), "yuan"),
        Column("bonus", Term("奖励", "Bonus"), "yuan"),
        Column("reduction", Term("封顶调减", "Cap reduction"), "yuan"),
        Column("total", Term("合计", "Total"), "yuan"),
        Column(
            "explain",
            Term("依据与说明", "Rules applied"),
            "words",
            words=lambda a, lang: a.explain(lang),
            outputs=ALL - {"report"},
        ),
    ],
)

# --- results: score, class and ranks per county ---------------------------------------------------


def _flags_words(item: Any, lang: str) -> str:
    # the words of the flag codes live with the flags (cimon.engine.flags.explain_flag)
    return flags_in_words(str(field_of("flags")(item) or ""), lang)


#: one county's published result; items are result mappings (a row of ``Run.results`` with its
#: ``code``, a stored publication row) or :class:`~cimon.reports.annual.content.CountyResult`
RESULTS = spec_of(
    "results",
    "评价结果",
    "Results",
    [
        RANK,
        CODE,
        COUNTY,
        CITY,
        SCORE,
        CLASS,
        RANK_CITY,
        Column(
            "flags",
            Term("数据标记", "Flags"),
            "code",
            get=lambda r: field_of("flags")(r) or "",
            outputs=frozenset(["api"]),
        ),
        Column(
            "flags_text", Term("数据标记", "Flags"), "words", words=_flags_words, outputs=NOT_API
        ),
    ],
)

#: the results with how each county moved since last year (the report's table 1, the dashboard's
#: county lists); items are :class:`~cimon.reports.annual.content.CountyResult`
RANKING = spec_of(
    "ranking",
    "各县（市、区）评价结果",
    "Results of every county",
    [
        RANK,
        CODE,
        COUNTY,
        CITY,
        SCORE,
        CLASS,
        SCORE_PREV,
        CHANGE,
        CLASS_PREV,
        RANK_CHANGE,
        RANK_CITY,
    ],
)

#: every county's year in one row (the annual results workbook's county sheet): the results,
#: the move since last year, the places and money of its award, and how sure its class is
COUNTIES = spec_of(
    "counties",
    "县（市、区）",
    "Counties",
    [
        CODE, COUNTY, CITY, SCORE, CLASS, RANK, RANK_CITY, CLASS_RANK, SCORE_PREV, CLASS_PREV,
        CHANGE, RANK_CHANGE, PLACES,
        Column("award", Term("激励资金", "Incentive"), "yuan"),
        Column("p_nominal", Term("保持本类概率", "P(same class)"), "prob"),
        Column("stable", Term("类别稳定", "Stable"), "words", words=lambda r, lang: _yes(r, lang)),
    ],
)  # fmt: skip

# --- comparison: year on year ---------------------------------------------------------------------

#: a county this year against last year (a row of :func:`cimon.analysis.compare.compare_results`
#: with its ``code`` and ``why``, or a :class:`~cimon.reports.annual.content.CountyResult`)
COMPARISON = spec_of(
    "comparison",
    "年度比较",
    "Comparison",
    [
        CODE,
        COUNTY,
        CITY,
        CLASS_PREV,
        CLASS,
        Column("transition", Term("变化", "Transition"), "words", words=_transition),
        SCORE_PREV,
        replace(SCORE, get=field_of("score", "score_published")),
        CHANGE,
        RANK_PREV,
        RANK,
        RANK_CHANGE,
        CLASS_RANK,
        Column("places_in_class", Term("类内位次变化", "Change of place in class"), "int"),
        Column(
            "why",
            Term("主要原因（二级指标贡献，分）", "Main reasons (indicator contributions, points)"),
        ),
    ],
)

# --- robustness: the uncertainty analysis per county ----------------------------------------------

#: :attr:`cimon.analysis.uncertainty.UncertaintyResult.counties` rows (with ``code``); the
#: probability of each class is added per framework (:func:`robustness_spec`)
ROBUSTNESS = spec_of(
    "robustness",
    "各县稳健性",
    "Counties",
    [
        CODE,
        COUNTY,
        CITY,
        SCORE,
        CLASS,
        RANK,
        Column("score_mean", Term("得分均值", "Mean score"), "score"),
        Column("score_p05", Term("得分5%分位", "Score 5%"), "score"),
        Column("score_median", Term("得分中位数", "Median score"), "score"),
        Column("score_p95", Term("得分95%分位", "Score 95%"), "score"),
        Column("rank_median", Term("排名中位数", "Median rank"), "rank"),
        Column("rank_range", Term("排名区间（5%–95%）", "Rank 5–95%")),
        COUNTIES.column("p_nominal"),
        COUNTIES.column("stable"),
    ],
)


def _yes(row: Any, lang: str) -> str:
    stable = field_of("stable")(row)
    if stable is None:  # not analysed
        return ""
    return t("是", "yes", lang) if bool(stable) else t("否", "NO", lang)


def robustness_spec(labels: tuple[str, ...] | list[str]) -> Any:
    """:data:`ROBUSTNESS` with the probability of each class (``p_A`` …) before P(same class)."""
    cols = [Column(f"p_{lb}", Term(f"{lb}类概率", f"P(class {lb})"), "prob") for lb in labels]
    return ROBUSTNESS.insert("rank_range", *cols)


#: the incentive money re-decided in every replicate
#: (:attr:`~cimon.analysis.uncertainty.UncertaintyResult.incentives`); the money columns are the
#: award's (:data:`AWARDS`)
ROBUSTNESS_AWARDS = spec_of(
    "incentives-robustness",
    "激励资金的稳健性",
    "Robustness of the incentive money",
    [
        CODE,
        COUNTY,
        CLASS_PREV,
        CLASS,
        AWARDS.column("jump"),
        replace(AWARDS.column("rank"), key="rank_money"),
        replace(AWARDS.column("total"), key="amount"),
        Column("p_jump", Term("跃升成立概率", "P(jump holds)"), "prob"),
        Column("p_places", Term("进位成立概率", "P(rank gain holds)"), "prob"),
        Column("p_award", Term("获得激励概率", "P(any award)"), "prob"),
        Column("p_amount", Term("金额不变概率", "P(same amount)"), "prob"),
        Column("expected", Term("期望金额", "Expected"), "yuan"),
        Column("amounts", Term("金额分布", "Amounts")),
    ],
)

# --- diagnosis: strengths and weaknesses of one county --------------------------------------------


def _r2(name: str) -> Any:
    def get(item: Any) -> float | None:
        x = getattr(item, name)
        return None if x is None or x != x else round(float(x), 2)

    return get


#: one indicator of a county's diagnosis (:class:`cimon.analysis.diagnose.Diagnosis` ``indicators``)
DIAGNOSIS = spec_of(
    "diagnosis",
    "指标诊断",
    "Indicators",
    [
        Column("code", Term("指标代码", "Indicator"), "code"),
        Column(
            "name",
            Term("指标名称", "Name"),
            "words",
            words=lambda i, lang: i.name_en if lang == "en" else i.name_zh,
        ),
        Column("unit", Term("单位", "Unit")),
        Column("value", Term("指标值", "Value"), "score", _r2("value")),
        Column("points", Term("分值", "Points"), "score"),
        Column("earned", Term("得分", "Earned"), "score", _r2("earned")),
        Column("peer_mean", Term("同组平均得分", "Peer mean"), "score", _r2("peer_mean")),
        Column("gap", Term("与同组差", "Gap to peers"), "signed", _r2("gap")),
        Column("available", Term("尚余分值", "Points available"), "score", _r2("available")),
        Column(
            "reachable_value", Term("可达值", "Reachable value"), "score", _r2("reachable_value")
        ),
        Column(
            "reachable_points",
            Term("可达增分", "Reachable points"),
            "score",
            _r2("reachable_points"),
        ),
    ],
)


def rank_move(moves: Any) -> Column:
    """The dashboard's column beside the awards: overall rank last year → this year, read from
    ``moves`` (county code → ``"5 → 3"``)."""
    return Column(
        "rank_move",
        Term("总排名（上年→本年）", "Rank (last year → this year)"),
        get=lambda a: moves.get(a.code),
        outputs=frozenset(["dashboard"]),
    )
