"""The engine: the formula, the filter, the explanation, talent, the configuration checks."""

from __future__ import annotations

import itertools

import pytest

from cimon.errors import MethodError
from cimon.matching import DEFAULT_WEIGHTS, Achievement, Engine, Need, Talent, match, rank

NEED = Need(
    "n1", "供港菜心采收后损耗大，需要采后预冷和冷链运输方案。", "冷凉蔬菜", "01", 40, None, "640402"
)
ACHS = [
    Achievement("a1", "冷凉蔬菜真空预冷与冷链运输技术", "采后2小时内真空预冷，供港蔬菜损耗率降至5%。",
                "550", 8, "许可", (10, 40), "宁夏农林科学院", "640104"),
    Achievement("a2", "马铃薯贮藏窖通风控温技术", "智能通风控温，贮藏损耗由15%降到5%。", "550", 7,
                region="640402"),
    Achievement("a3", "光伏组件智能清洗机器人", "荒漠光伏组件无水清洗。", "470", 7, region="640402"),
    Achievement("a4", "冷凉蔬菜穴盘育苗", "菜心壮苗培育。", "210", 3, region="110108"),
]  # fmt: skip


def test_the_right_achievement_comes_first_with_its_reasons() -> None:
    got = match(NEED, ACHS, k=10)
    assert next(m.candidate for m in got) == "a1"
    assert [m.rank for m in got] == list(range(1, len(got) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(got))
    top = got[0]
    assert {"预冷", "冷链"} <= set(top.explanation.shared_terms)
    assert "蔬菜" not in top.explanation.shared_terms  # inside 冷凉蔬菜, which is listed
    zh, en = top.explanation.render("zh"), top.explanation.render("en")
    assert "共同词" in zh and "预冷" in zh and "同省" in zh and "TRL 8" in zh
    assert "shared terms" in en and "same province" in en and "TRL 8" in en
    assert "01 农业" in zh and "550 食品科学技术" in zh


def test_the_score_is_the_weighted_sum_of_the_features() -> None:
    for m in match(NEED, ACHS):
        assert m.score == pytest.approx(sum(DEFAULT_WEIGHTS[f] * v for f, v in m.features.items()))
        assert set(m.features) == set(DEFAULT_WEIGHTS)
        assert all(0 <= v <= 1 for v in m.features.values())


def test_a_candidate_with_nothing_in_common_is_never_returned() -> None:
    """a3 shares no term and its discipline (动力与电气工程) does not serve 农业: region (same city)
    and maturity alone must not bring it in."""
    got = [m.candidate for m in match(NEED, ACHS, k=10)]
    assert "a3" not in got
    assert match(Need("n0", "", ""), ACHS) == []


def test_region_and_maturity_change_the_order_between_equal_texts() -> None:
    twins = [
        Achievement("far", "滩羊舍饲日粮", "", "230", 4, region="110108"),
        Achievement("near", "滩羊舍饲日粮", "", "230", 4, region="640323"),
        Achievement("ripe", "滩羊舍饲日粮", "", "230", 8, region="110108"),
    ]
    need = Need("n", "滩羊舍饲日粮配方", "滩羊", "03", county="640323")
    order = [m.candidate for m in match(need, twins)]
    assert order.index("near") < order.index("far") and order.index("ripe") < order.index("far")
    text_only = Engine(weights={"text": 1.0})
    assert [m.candidate for m in match(need, twins, engine=text_only)] == ["far", "near", "ripe"]


def test_k_and_batches() -> None:
    engine = Engine()
    index = engine.index(ACHS)
    assert len(match(NEED, ACHS, k=1)) == 1
    many = rank([NEED] * 300, index, engine, k=2)  # more than one batch
    assert len(many) == 300 and all(
        [m.candidate for m in r] == ["a1", many[0][1].candidate] for r in many
    )


def test_talent_is_matched_on_expertise() -> None:
    people = [
        Talent("t1", "张三", "马铃薯晚疫病防控、种薯脱毒", "宁夏农林科学院", "640422", "210", commissioner=True),
        Talent("t2", "李四", "葡萄酒酿造工艺", "宁夏大学", "640105", "550"),
    ]  # fmt: skip
    need = Need(
        "n", "马铃薯晚疫病大面积发生，希望预测并及时防治。", "马铃薯", "01", county="640422"
    )
    got = match(need, people)
    assert got[0].candidate == "t1" and got[0].features["text"] == 1.0
    # the winemaker shares no term; only the field (农业 ↔ 食品科学技术, related) lets him in
    assert all(m.features["text"] == 0 for m in got[1:])
    assert "未填 TRL" in got[0].explanation.render("zh") and "同县" in got[0].explanation.render(
        "zh"
    )


@pytest.mark.parametrize(
    "weights",
    [{"text": 0.5}, {"text": 1.2, "field": -0.2}, {}, {"text": 0.5, "nope": 0.5}],
)
def test_bad_weights_are_refused(weights: dict[str, float]) -> None:
    with pytest.raises(MethodError):
        Engine(weights=weights)


def test_engine_parameters_round_trip() -> None:
    e = Engine(scorers={"region": {"city": 0.5}})
    assert Engine(**e.get_params()) == e
    assert e.scorer("region").get_params() == {"city": 0.5, "province": 0.3}
    with pytest.raises(MethodError):
        Engine(scorers={"region": {"city": 2.0}})


def test_records_check_their_values() -> None:
    with pytest.raises(ValueError):
        Achievement("x", "t", trl=10)
    with pytest.raises(ValueError):
        Achievement("x", "t", mode="赠送")
