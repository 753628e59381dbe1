"""Recommending people (#18): talent and any other source ranked together by expertise, field
and region, each match naming its source; no maturity in the reasons."""

from __future__ import annotations

import pytest

from cimon.matching.people import StaticSource, recommend_people
from cimon.matching.records import Need, Talent

NEED = Need("N1", "马铃薯贮藏期烂薯多，需要贮藏窖通风和防腐技术。", chain="马铃薯", industry="01",
            county="640422")  # fmt: skip


def test_sources_ranked_together() -> None:
    talent = StaticSource("talent", (
        Talent("1", "甲", "马铃薯贮藏窖通风与防腐", discipline="210", region="640422"),
        Talent("2", "乙", "光伏组件运维", discipline="470", region="640422"),
    ))  # fmt: skip
    commissioners = StaticSource("commissioner", (
        Talent("1", "丙", "马铃薯脱毒种薯", discipline="210", region="640100", commissioner=True,
               tags=("贮藏",)),
    ))  # fmt: skip
    got = recommend_people(NEED, [talent, commissioners], k=5)
    assert [(m.source, m.person.id) for m in got][:2] == [("talent", "1"), ("commissioner", "1")]
    assert got[0].person.name == "甲" and got[1].person.commissioner
    assert "贮藏" in got[0].render("zh") and "成熟度" not in got[0].render("zh")
    assert "maturity" not in got[0].render("en")
    assert all(m.person.id != "2" for m in got)  # no shared term, no field match: not returned


def test_names_must_be_unique() -> None:
    with pytest.raises(ValueError):
        recommend_people(NEED, [StaticSource("a", ()), StaticSource("a", ())])
    assert recommend_people(NEED, [StaticSource("a", ())]) == []
