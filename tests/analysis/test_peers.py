"""Peer groups (分类评价): by 设区市 and by the registry's tags (市辖区, 重点帮扶县, 山区县)."""

from __future__ import annotations

import pytest

from cimon.analysis.errors import AnalysisError
from cimon.analysis.peers import group_labels, peer_summary, peers_of
from cimon.engine.run import Run
from cimon.model.regions import default_registry

REGIONS = tuple(default_registry())


def test_groups_by_city_and_tags() -> None:
    """固原市 has 5 counties (原州区 西吉县 隆德县 泾源县 彭阳县); 6 counties are 山区县 in the bundled
    registry (the 5 固原 counties and 海原县); 9 are 市辖区 (兴庆 西夏 金凤 大武口 惠农 利通 红寺堡
    原州 沙坡头; ningxia.csv, tags column)."""
    assert sorted(peers_of(REGIONS, "640422", "city")) == ["640402", "640423", "640424", "640425"]
    assert group_labels(REGIONS, "tag:山区县").count("山区县") == 6
    assert group_labels(REGIONS, "district").count("市辖区") == 9
    assert "640522" in peers_of(REGIONS, "640422", "tag:山区县")


def test_unknown_grouping() -> None:
    with pytest.raises(AnalysisError, match="山区县"):
        group_labels(REGIONS, "tag:沿海县")
    with pytest.raises(AnalysisError):
        group_labels(REGIONS, "province")


def test_peer_summary(demo_runs: dict[int, Run]) -> None:
    s = peer_summary(demo_runs[2025], "city")
    assert s["n"].sum() == 22 and (s[["A", "B", "C"]].sum(axis=1) == s["n"]).all()
    yinchuan = s.set_index("group").loc["银川市"]
    assert (
        yinchuan["best_score"]
        == demo_runs[2025].results.query("city == '银川市'")["score_published"].max()
    )
