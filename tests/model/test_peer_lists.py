"""Peer groups from real lists: the sourced 重点帮扶县 and the 民族地区 rule (民族区域自治法)."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from importlib import resources

from cimon.model.national import national_registry
from cimon.model.peer_lists import (
    ETHNIC_TAG,
    KEY_TOTAL,
    KEY_TOTAL_BY_PROVINCE,
    is_ethnic_area,
    key_counties,
    national_tags,
)


def test_every_key_county_has_a_source_and_resolves_to_one_unit_of_its_province() -> None:
    reg = national_registry()
    keys = key_counties()
    assert len({(k.province, k.name) for k in keys}) == len(keys)  # no duplicates
    for k in keys:
        assert k.source.startswith(("http://", "https://")), k
        hits = [r for r in reg if r.province == k.province and r.name == k.name]
        assert len(hits) == 1, k
        assert "重点帮扶县" in hits[0].tags


def test_no_province_has_more_key_counties_than_the_official_list() -> None:
    assert sum(KEY_TOTAL_BY_PROVINCE.values()) == KEY_TOTAL == 160
    per = Counter(k.province for k in key_counties())
    assert set(per) <= set(KEY_TOTAL_BY_PROVINCE)
    assert all(per[p] <= KEY_TOTAL_BY_PROVINCE[p] for p in per)
    # complete: 内蒙古, 广西, 重庆, 四川, 贵州; partial: 云南 11/27, 陕西 2/11, 宁夏 1/5
    assert {p for p in per if per[p] == KEY_TOTAL_BY_PROVINCE[p]} == {
        "内蒙古自治区", "广西壮族自治区", "重庆市", "四川省", "贵州省",
    }  # fmt: skip
    assert (per["云南省"], per["陕西省"], per["宁夏回族自治区"], per["甘肃省"], per["青海省"]) == (
        11, 2, 1, 0, 0,
    )  # fmt: skip


def test_the_bundled_tags_are_the_rule() -> None:
    data = (resources.files("cimon.data") / "regions" / "national.csv.gz").read_bytes()
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(data).decode("utf-8"))))
    key = {(k.province, k.name) for k in key_counties()}
    stale = [
        r["code"]
        for r in rows
        if r["tags"] != national_tags(r["name"], r["type"], r["city"], r["province"], key)
    ]
    assert stale == []  # else: python scripts/build_national.py --retag


def test_ethnic_area_rule() -> None:
    assert is_ethnic_area("宁夏回族自治区", "银川市", "市辖区")  # in a 自治区
    assert is_ethnic_area("吉林省", "延边朝鲜族自治州", "县级市")  # in a 自治州
    assert is_ethnic_area("河北省", "承德市", "自治县")
    assert is_ethnic_area("内蒙古自治区", "呼伦贝尔市", "自治旗")
    assert not is_ethnic_area("河北省", "承德市", "县")
    assert not is_ethnic_area("湖南省", "长沙市", "市辖区")


def test_ethnic_area_counts_per_province() -> None:
    reg = national_registry()
    per = Counter(r.province for r in reg if ETHNIC_TAG in r.tags)
    # checked by hand: 吉林 = 延边州's 8 units + 3 自治县 (前郭尔罗斯, 长白, 伊通); 海南 = its
    # 6 自治县; 湖北 = 恩施州's 8 + 长阳, 五峰; 青海 = 44 − 西宁's 6 (大通 is a 自治县) − 海东's 2
    # districts (乐都, 平安); the five 自治区 whole
    assert per == {
        "河北省": 6, "内蒙古自治区": 103, "辽宁省": 8, "吉林省": 11, "黑龙江省": 1,
        "浙江省": 1, "湖北省": 10, "湖南省": 15, "广东省": 3, "广西壮族自治区": 111,
        "海南省": 6, "重庆市": 4, "四川省": 51, "贵州省": 46, "云南省": 78,
        "西藏自治区": 74, "甘肃省": 21, "青海省": 36, "宁夏回族自治区": 22,
        "新疆维吾尔自治区": 106,
    }  # fmt: skip
    assert sum(per.values()) == 713
    # 30 自治州 and 120 autonomous county-level units (117 自治县 + 3 自治旗, 民政部 2020)
    assert len({r.city for r in reg if r.city.endswith("自治州")}) == 30
    assert sum(r.type in ("自治县", "自治旗") for r in reg) == 120
    assert reg.match("吉林 延吉市").tags == (ETHNIC_TAG,)
    assert ETHNIC_TAG not in reg.match("贵州 水城区").tags  # 六盘水市 is not autonomous
