"""The national registry (民政部 county-level codes of 2020), its code-change history and English
names. Sources and the totals below: docs/national.md."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from cimon.analysis.codes import default_code_map, national_code_map
from cimon.analysis.compare import compare_results
from cimon.model.names_en import english_name
from cimon.model.national import (
    CHANGE_KINDS,
    code_history,
    national_registry,
    successors,
)

#: County-level units per province at the end of 2020, from 民政部《2020年中华人民共和国县以上行政区
#: 划代码》(the list the registry reproduces; docs/national.md "Counts").
PROVINCE_TOTALS_2020 = {
    "北京市": 16, "天津市": 16, "河北省": 167, "山西省": 117, "内蒙古自治区": 103,
    "辽宁省": 100, "吉林省": 60, "黑龙江省": 121, "上海市": 16, "江苏省": 95, "浙江省": 90,
    "安徽省": 104, "福建省": 85, "江西省": 100, "山东省": 136, "河南省": 158, "湖北省": 103,
    "湖南省": 122, "广东省": 122, "广西壮族自治区": 111, "海南省": 25, "重庆市": 38,
    "四川省": 183, "贵州省": 88, "云南省": 129, "西藏自治区": 74, "陕西省": 107, "甘肃省": 86,
    "青海省": 44, "宁夏回族自治区": 22, "新疆维吾尔自治区": 106,
}  # fmt: skip
#: National totals by kind at the end of 2020, 民政部《2020年民政事业发展统计公报》: 2,844 county-level
#: units, of which 973 市辖区, 388 县级市, 1,312 县, 117 自治县, 49 旗, 3 自治旗, 1 特区, 1 林区.
KIND_TOTALS_2020 = {
    "市辖区": 973, "县级市": 388, "县": 1312, "自治县": 117, "旗": 49, "自治旗": 3, "特区": 1,
    "林区": 1,
}  # fmt: skip


def test_counts_per_province_and_kind_equal_the_published_totals() -> None:
    reg = national_registry()
    assert len(reg) == 2844 == sum(PROVINCE_TOTALS_2020.values()) == sum(KIND_TOTALS_2020.values())
    assert Counter(r.province for r in reg) == PROVINCE_TOTALS_2020
    assert Counter(r.type for r in reg) == KIND_TOTALS_2020


def test_every_unit_sits_under_its_city_and_province() -> None:
    reg = national_registry()
    for r in reg:
        assert len(r.code) == 6 and r.code.isdigit()
        assert r.city_code[:2] == r.code[:2] and r.city and r.name_en and r.province_en
    assert reg["640422"].city == "固原市" and reg["640422"].name_en == "Xiji County"
    assert reg["429021"].type == "林区" and reg["520203"].type == "特区"
    assert reg["110101"].city == "北京市"  # a 直辖市's districts sit under the city itself
    assert reg["419001"].city == "河南省直辖县级行政区划"
    assert reg.match("新疆 乌鲁木齐县").code == "650121"


def test_the_national_registry_is_not_the_default() -> None:
    from cimon.model.regions import default_registry

    assert len(default_registry()) == 22


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("西吉县", "Xiji County"),
        ("灵武市", "Lingwu City"),
        ("红寺堡区", "Hongsibao District"),
        ("乌鲁木齐县", "Urumqi County"),
        ("鄂伦春自治旗", "Oroqen Autonomous Banner"),
        ("科尔沁右翼前旗", "Horqin Right Front Banner"),
        ("融水苗族自治县", "Rongshui Miao Autonomous County"),
        ("彭水苗族土家族自治县", "Pengshui Miao Tujia Autonomous County"),
        ("聂拉木县", "Nyalam County"),
        ("神农架林区", "Shennongjia Forestry District"),
    ],
)
def test_english_names(name: str, english: str) -> None:
    assert english_name(name) == english


def test_history_is_well_formed() -> None:
    history = code_history()
    assert len(history) > 150
    for c in history:
        assert c.kind in CHANGE_KINDS and 2016 <= c.year <= 2023 and c.source
        assert len(c.old_code) == len(c.new_code) == 6
        if c.kind == "rename":
            assert c.old_code == c.new_code and c.old_name != c.new_name, c
        if c.kind == "recode":
            assert c.old_code != c.new_code, c
    reg = national_registry()
    for c in history:  # every change up to the registry's year ends in a unit of the registry
        if c.year <= 2020:
            assert c.new_code in reg and reg[c.new_code].name == c.new_name, c
            if c.kind == "recode":
                assert c.old_code not in reg, c
        else:  # later changes start from one
            assert c.old_code in reg and reg[c.old_code].name == c.old_name, c


def test_chains_are_followed_within_the_years_compared() -> None:
    # 错那县 542232 → 540530 (山南市, 2016) → 错那市 540581 (2023)
    assert successors(2015, 2023)["542232"] == [("540581", "recode")]
    assert successors(2015, 2020)["542232"] == [("540530", "recode")]
    assert "542232" not in successors(2016, 2023)  # the 2016 list already has 540530
    # 大同市城区 split between 平城区 and 云冈区 (国函〔2018〕22号)
    assert successors(2017, 2018)["140202"] == [("140213", "split"), ("140214", "split")]
    assert {c.kind for c in national_code_map(2017, 2018).changes} == {"recode", "boundary"}


def _results(codes: dict[str, float]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "name": list(codes),
            "score_published": list(codes.values()),
            "class": ["A" if v >= 50 else "B" for v in codes.values()],
        },
        index=pd.Index(list(codes)),
    )
    return frame


def test_comparing_2016_with_2023_follows_code_changes_without_user_input() -> None:
    # 2016 codes: 平泉县 130823 (→ 平泉市 130881, 2017), 错那县 540530 (→ 错那市 540581, 2023),
    # 龙海市 350681 (→ 龙海区 350604, 2021), 清河区 320802 (merged into 清江浦区 in 2016: not in
    # the 2016 list); 兴庆区 640104 unchanged
    prev = _results({"130823": 60.0, "540530": 40.0, "350681": 70.0, "640104": 55.0})
    curr = _results({"130881": 62.0, "540581": 45.0, "350604": 65.0, "640104": 50.0})
    table = compare_results(prev, curr, ["A", "B"])
    assert table.loc["130881", "prev_code"] == "130823"
    assert table.loc["540581", "prev_code"] == "540530"
    assert table.loc["350604", "prev_code"] == "350681"
    assert set(table["match"]) == {"recode", "same"}
    assert table.loc["640104", "match"] == "same"
    assert table.loc["130881", "change"] == pytest.approx(2.0)
    # an explicit (empty) map turns the history off: the renamed counties are new
    assert set(compare_results(prev, curr, ["A", "B"], default_code_map([], []))["match"]) == {
        "new",
        "same",
    }


def test_the_default_map_uses_the_years_compared() -> None:
    # 错那县 was 542232 in the 2015 list, 540530 from 2016, 错那市 540581 from 2023
    assert [
        (c.old, c.new) for c in default_code_map(["542232"], ["540581"], 2015, 2023).changes
    ] == [("542232", "540581")]
    assert default_code_map(["542232"], ["540581"], 2016, 2023).changes == ()
    assert default_code_map(["540530"], ["540581"], 2016, 2022).changes == ()


def test_the_default_map_leaves_codes_present_in_both_years_alone() -> None:
    # 130502 was 桥东区 and is 襄都区 since 2020 (same code): it matches itself
    assert default_code_map(["130502", "130521"], ["130502"]).changes == ()
    assert [c.old for c in default_code_map(["130521", "x"], ["130503", "y"]).changes] == ["130521"]


def test_key_county_tag_marks_the_sourced_counties_of_the_2021_list() -> None:
    reg = national_registry()
    tagged = [r for r in reg if "重点帮扶县" in r.tags]
    assert Counter(r.province for r in tagged) == {
        "内蒙古自治区": 10, "广西壮族自治区": 20, "重庆市": 4, "四川省": 25, "贵州省": 20,
        "云南省": 11, "陕西省": 2, "宁夏回族自治区": 1,
    }  # fmt: skip
    assert reg.match("贵州 水城区").tags == ("市辖区", "重点帮扶县")
    assert reg.match("四川 昭觉县").tags == ("重点帮扶县", "民族地区")  # 凉山彝族自治州
    assert reg.match("宁夏 西吉县").tags == ("重点帮扶县", "民族地区")
    assert sum("市辖区" in r.tags for r in reg) == 973  # peer grouping ``district`` works
