"""The indicator tree at any depth: the optional ``groups:`` block of a framework.

Without ``groups:`` a framework has two levels, indicators → pillars → the index, and indicator
points are absolute (they sum to ``total_points``). With it, a framework may declare intermediate
levels, as COINr and the OECD/JRC Handbook allow (indicator → sub-pillar → pillar → sub-index →
index)::

    groups:
      - {code: Conn, name_zh: 互联互通, name_en: Connectivity, weight: 1}   # under the index
      - {code: Phys, name_zh: 物理连通, name_en: Physical, parent: P1}     # a sub-pillar of P1
    pillars:
      - {code: P1, parent: Conn, weight: 1, indicators: [{code: I1, group: Phys, points: 1, …}]}

Every node's weight is relative to its siblings (an indicator's ``points``, a pillar's or a
group's ``weight``; a missing weight is the sum of the points below the node). A node's
*effective points* are ``total_points`` times the product of its weight shares along the path
from the index, so the indicators' effective points always sum to ``total_points`` and a tree
without explicit weights scores exactly like the flat framework with the same points.

Parsing here is pure (no engine import); :mod:`cimon.engine.levels` aggregates level by level.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from cimon.model.framework_types import Group, Indicator, Pillar
from cimon.model.framework_variables import _Checker, _unique

__all__ = [
    "UNIT_KINDS",
    "effective_points",
    "node_children",
    "parse_groups",
    "parse_units",
    "tree_log",
]

#: ``units: {kind: …}``: counties (GB/T 2260 codes, the region registry) or free identifiers
UNIT_KINDS: tuple[str, ...] = ("county", "free")


def parse_units(c: _Checker, data: Mapping[str, Any]) -> str:
    """The ``units`` block: ``{kind: county | free}`` (absent: county)."""
    raw = data.get("units")
    if raw is None:
        return "county"
    kind = raw.get("kind") if isinstance(raw, Mapping) else None
    if kind not in UNIT_KINDS:
        raise c.fail(
            "units.kind",
            f"评价对象的类型只能是 {'、'.join(UNIT_KINDS)}（county：县级区划代码；free：任意标识，"
            "如国家、乡镇、企业），实际为 {kind!r}。",
            f"units.kind must be one of {', '.join(UNIT_KINDS)} (county: GB/T 2260 codes; free: "
            f"any identifiers such as countries, towns, enterprises), got {kind!r}.",
        )
    return str(kind)


def _weight(c: _Checker, node: Mapping[str, Any], path: str) -> float | None:
    w = node.get("weight")
    if w is None:
        return None
    if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
        raise c.fail(
            f"{path}.weight",
            f"权重应为不小于 0 的数值（实际 {w!r}）。",
            f"weight must be a number >= 0 (got {w!r}).",
        )
    return float(w)


def parse_groups(
    c: _Checker,
    data: Mapping[str, Any],
    pillars: list[Pillar],
    indicators: list[Indicator],
    seen: dict[str, str],
) -> tuple[tuple[Group, ...], list[Pillar], list[Indicator]]:
    """Read ``groups:`` and the ``parent``/``weight`` of pillars and ``group`` of indicators;
    check that the tree is a tree (parents exist, no cycle, a sub-pillar stays inside its pillar,
    every group has a child). Returns the groups and the pillars and indicators with their links."""
    raw = data.get("groups")
    pillars_raw = data.get("pillars") or []
    if raw is None:
        for pi, p in enumerate(pillars_raw):
            for key in ("parent", "weight"):
                if isinstance(p, Mapping) and key in p:
                    raise c.fail(
                        f"pillars[{pi}].{key}",
                        f"一级指标的 {key} 只在声明了 groups（中间层级）时使用。",
                        f"A pillar's {key} is used only with a groups: block (intermediate levels).",
                    )
            for ii, ind in enumerate((p or {}).get("indicators") or []):
                if isinstance(ind, Mapping) and "group" in ind:
                    raise c.fail(
                        f"pillars[{pi}].indicators[{ii}].group",
                        "指标的 group 只在声明了 groups（中间层级）时使用。",
                        "An indicator's group is used only with a groups: block.",
                    )
        return (), pillars, indicators
    if not isinstance(raw, list):
        raise c.fail("groups", "groups 应为列表。", "groups must be a list.")
    groups: list[Group] = []
    for gi, g in enumerate(raw):
        path = f"groups[{gi}]"
        if not isinstance(g, Mapping):
            raise c.fail(path, "每个层级应为键值映射。", "Each group must be a mapping.")
        code = str(c.get(g, "code", path, (str,)))
        _unique(c, seen, code, f"{path}.code")
        parent = g.get("parent")
        groups.append(
            Group(
                code,
                str(g.get("name_zh", code)),
                str(g.get("name_en", code)),
                None if parent is None else str(parent),
                _weight(c, g, path),
            )
        )
    gcodes = {g.code for g in groups}
    pcodes = {p.code for p in pillars}
    # where each group hangs: above the pillars (None) or inside a pillar (its code)
    inside: dict[str, str | None] = {}
    for gi, g in enumerate(groups):
        chain, node = [g.code], g.parent
        while node is not None and node in gcodes:
            if node in chain:
                raise c.fail(
                    f"groups[{gi}].parent",
                    f"层级“{g.code}”的上级形成了循环：{' → '.join([*chain, node])}。",
                    f"Group '{g.code}' has a cycle of parents: {' → '.join([*chain, node])}.",
                )
            chain.append(node)
            node = next(x.parent for x in groups if x.code == node)
        if node is not None and node not in pcodes:
            raise c.fail(
                f"groups[{gi}].parent",
                f"层级“{g.code}”的上级“{node}”既不是层级也不是一级指标。",
                f"Group '{g.code}': parent '{node}' is neither a group nor a pillar.",
            )
        inside[g.code] = node
    new_pillars: list[Pillar] = []
    for pi, p in enumerate(pillars):
        praw = pillars_raw[pi]
        parent = praw.get("parent")
        if parent is not None and (parent not in gcodes or inside[str(parent)] is not None):
            raise c.fail(
                f"pillars[{pi}].parent",
                f"一级指标“{p.code}”的上级“{parent}”应为 groups 中位于一级指标之上的层级。",
                f"Pillar '{p.code}': parent '{parent}' must be a group above the pillars.",
            )
        new_pillars.append(
            Pillar(
                p.code,
                p.name_zh,
                p.name_en,
                p.points,
                p.indicators,
                None if parent is None else str(parent),
                _weight(c, praw, f"pillars[{pi}]"),
            )
        )
    new_indicators: list[Indicator] = []
    k = 0
    for pi, p in enumerate(pillars):
        for ii, _code in enumerate(p.indicators):
            ind = indicators[k]
            k += 1
            group = (pillars_raw[pi]["indicators"][ii] or {}).get("group")
            if group is not None and (group not in gcodes or inside[str(group)] != p.code):
                raise c.fail(
                    f"pillars[{pi}].indicators[{ii}].group",
                    f"指标“{ind.code}”的 group“{group}”应为一级指标“{p.code}”之下的层级。",
                    f"Indicator '{ind.code}': group '{group}' must be a group inside pillar "
                    f"'{p.code}'.",
                )
            new_indicators.append(_with_group(ind, None if group is None else str(group)))
    parents = [g.parent for g in groups] + [p.parent for p in new_pillars]
    parents += [i.group for i in new_indicators]
    for gi, g in enumerate(groups):
        if g.code not in parents:
            raise c.fail(
                f"groups[{gi}]",
                f"层级“{g.code}”下面没有任何指标或层级。",
                f"Group '{g.code}' has nothing under it.",
            )
    return tuple(groups), new_pillars, new_indicators


def _with_group(ind: Indicator, group: str | None) -> Indicator:
    return replace(ind, group=group)


def tree_log(groups: Sequence[Group], pillars: Sequence[Pillar]) -> dict[str, dict[str, Any]]:
    """The tree's tunable part as it goes in the run log: ``{code: {parent, weight}}`` for every
    group and pillar (uncertainty analysis may edit ``tree.<code>.weight``)."""
    out: dict[str, dict[str, Any]] = {}
    for g in groups:
        out[g.code] = {"parent": g.parent, "weight": g.weight}
    for p in pillars:
        out[p.code] = {"parent": p.parent, "weight": p.weight}
    return out


def node_children(
    indicators: Sequence[Indicator], tree: Mapping[str, Mapping[str, Any]]
) -> dict[str | None, list[str]]:
    """Children of every internal node (``None`` is the index), in declaration order."""
    out: dict[str | None, list[str]] = {None: []}
    for code in tree:
        out.setdefault(code, [])
    for code, node in tree.items():
        out.setdefault(node.get("parent"), []).append(code)
    for ind in indicators:
        out[ind.group if ind.group is not None else ind.pillar].append(ind.code)
    return out


def effective_points(
    indicators: Sequence[Indicator],
    tree: Mapping[str, Mapping[str, Any]],
    points: Mapping[str, float],
    total: float,
) -> dict[str, float]:
    """Every node's effective points (indicators, pillars, groups): ``total`` times the product of
    the weight shares along the path from the index. A node's weight is its declared weight (an
    indicator's ``points``), or when None the sum of the points of the indicators below it; a
    node whose siblings all weigh 0 gets 0."""
    children = node_children(indicators, tree)

    def raw_weight(code: str) -> float:
        if code in points and code not in tree:
            return float(points[code])
        w = tree[code].get("weight")
        return float(w) if w is not None else sum(raw_weight(k) for k in children[code])

    out: dict[str, float] = {}

    def down(node: str | None, scale: float) -> None:
        kids = children.get(node, []) if node is None or node in tree else []
        ws = [raw_weight(k) for k in kids]
        tot = sum(ws)
        for k, w in zip(kids, ws, strict=True):
            out[k] = scale * w / tot if tot > 0 else 0.0
            down(k, out[k])

    down(None, float(total))
    return out
