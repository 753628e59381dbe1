"""For an achievement: the needs and the counties it fits."""

from __future__ import annotations

import itertools

import pytest

from cimon.matching import Engine
from cimon.matching.evalset import load_evalset
from cimon.matching.reverse import counties_for, needs_for


def test_a_potato_seed_achievement_fits_the_potato_seed_need_first() -> None:
    es = load_evalset()
    engine = Engine()
    index = engine.index(es.achievements)
    got = needs_for("A031", es.needs, index, engine, k=5)  # 马铃薯脱毒种薯繁育体系
    assert got[0].need == "N021" and got[0].county == "640422"  # 西吉: 种薯带病毒退化
    assert all(a.score >= b.score for a, b in itertools.pairwise(got))
    counties = counties_for("A031", es.needs, index, engine)
    assert counties[0].county == "640422" and counties[0].needs >= 2
    assert sum(c.needs for c in counties) == len(needs_for("A031", es.needs, index, engine, k=999))
    with pytest.raises(KeyError):
        needs_for("nope", es.needs, index, engine)
