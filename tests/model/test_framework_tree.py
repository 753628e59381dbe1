"""The optional ``groups:`` block (levels of any depth) and ``units:`` of a framework (#20)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cimon.errors import FrameworkError
from cimon.model.framework import bundled_frameworks, load_framework
from cimon.model.framework_tree import effective_points, node_children, tree_log


def base() -> dict[str, Any]:
    ind = [
        {"code": c, "points": p, "formula": f"v{c}"}
        for c, p in (("A", 20), ("B", 30), ("C", 10), ("D", 40))
    ]
    ind[0]["group"] = "Q"  # A sits in the sub-pillar Q of P1
    return {
        "id": "t",
        "version": "1",
        "departments": ["D"],
        "variables": [{"code": f"v{c}", "department": "D"} for c in "ABCD"],
        "groups": [
            {"code": "S", "name_zh": "分指数", "weight": 2},
            {"code": "Q", "parent": "P1"},
        ],
        "pillars": [
            {"code": "P1", "parent": "S", "indicators": ind[:2]},
            {"code": "P2", "indicators": ind[2:]},
        ],
    }


def test_groups_parse_with_parents_weights_and_links() -> None:
    fw = load_framework(base())
    assert [g.code for g in fw.groups] == ["S", "Q"]
    assert fw.groups[0].weight == 2.0 and fw.groups[0].name_zh == "分指数"
    assert fw.pillars[0].parent == "S" and fw.pillars[1].parent is None
    assert fw.indicator("A").group == "Q" and fw.indicator("B").group is None
    tree = tree_log(fw.groups, fw.pillars)
    assert tree["Q"] == {"parent": "P1", "weight": None}
    kids = node_children(fw.indicators, tree)
    assert kids[None] == ["S", "P2"] and kids["P1"] == ["Q", "B"] and kids["Q"] == ["A"]


def test_effective_points() -> None:
    """Index ← S (weight 2), P2 (default weight: its points 50); S ← P1 (50) ← Q (A: 20), B 30.
    S share 2 / 52 of 100; P2 50 / 52. Inside S everything is in proportion to the points."""
    fw = load_framework(base())
    eff = effective_points(fw.indicators, tree_log(fw.groups, fw.pillars), {"A": 20, "B": 30, "C": 10, "D": 40}, 100.0)  # fmt: skip
    assert eff["S"] == pytest.approx(200 / 52) and eff["P2"] == pytest.approx(5000 / 52)
    assert eff["A"] == pytest.approx(eff["S"] * 20 / 50) and eff["D"] == pytest.approx(
        eff["P2"] * 0.8
    )
    assert sum(eff[c] for c in "ABCD") == pytest.approx(100.0)


def test_without_weights_a_tree_keeps_the_flat_points() -> None:
    d = base()
    del d["groups"][0]["weight"]
    fw = load_framework(d)
    eff = effective_points(fw.indicators, tree_log(fw.groups, fw.pillars), {"A": 20, "B": 30, "C": 10, "D": 40}, 100.0)  # fmt: skip
    assert [eff[c] for c in "ABCD"] == pytest.approx([20, 30, 10, 40])


def test_with_groups_points_need_not_sum_to_the_total() -> None:
    d = base()
    for p in d["pillars"]:
        for i in p["indicators"]:
            i["points"] = 1
    assert load_framework(d).indicator("A").points == 1.0


@pytest.mark.parametrize(
    ("edit", "where", "text"),
    [
        (lambda d: d["groups"][0].update(parent="nowhere"), "groups[0].parent", "neither"),
        (
            lambda d: (
                d["groups"].append({"code": "X", "parent": "Y"})
                or d["groups"].append({"code": "Y", "parent": "X"})
                or d["pillars"][1].update(parent="X")
            ),
            "groups[2].parent",
            "cycle",
        ),
        (lambda d: d["pillars"][1].update(parent="Q"), "pillars[1].parent", "above the pillars"),
        (
            lambda d: d["pillars"][1]["indicators"][0].update(group="Q"),
            "pillars[1].indicators[0].group",
            "inside pillar",
        ),
        (lambda d: d["groups"].append({"code": "E"}), "groups[2]", "nothing under it"),
        (lambda d: d["groups"].append({"code": "A"}), "groups[2].code", "Duplicate"),
        (lambda d: d["groups"][0].update(weight=-1), "groups[0].weight", ">= 0"),
        (lambda d: d.update(units={"kind": "towns"}), "units.kind", "free"),
    ],
)
def test_bad_trees_are_named(edit: Any, where: str, text: str) -> None:
    d = base()
    edit(d)
    with pytest.raises(FrameworkError) as err:
        load_framework(d)
    assert where in str(err.value.where) and text in err.value.en


def test_links_without_groups_are_refused() -> None:
    d = base()
    del d["groups"]
    d["pillars"][0].pop("parent")
    d["pillars"][0]["indicators"][0].pop("group")
    for p in d["pillars"]:
        for i in p["indicators"]:
            i["points"] = 25
    assert load_framework(copy.deepcopy(d)).groups == ()
    d["pillars"][1]["weight"] = 2
    with pytest.raises(FrameworkError, match="groups"):
        load_framework(d)


@pytest.mark.parametrize("ref", bundled_frameworks())
def test_bundled_frameworks_have_no_levels_and_county_units(ref: str) -> None:
    fw = load_framework(ref)
    assert fw.groups == () and fw.units == "county"
