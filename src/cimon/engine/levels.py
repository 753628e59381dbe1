"""Aggregation level by level over an indicator tree of any depth (frameworks with ``groups:``).

Each internal node (sub-pillar, pillar, sub-index, the index) is scored from its children with
the framework's aggregation method: the children's scores as fractions of their effective points
(:func:`cimon.model.framework_tree.effective_points`), weighted by those points, so the node's
score lies on its own effective points. With ``sum`` this is the flat sum; with
``weighted_mean`` it is COINr's ``a_amean`` level by level (missing children skipped when the
method's ``missing`` is ``skip``); the geometric mean, TOPSIS, Borda and Copeland are applied to
each node's children in turn, as COINr's ``Aggregate()`` does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cimon.engine.aggregate import Aggregation
from cimon.model.framework import Framework
from cimon.model.framework_tree import effective_points, node_children

__all__ = ["TreeScores", "aggregate_tree", "tree_points"]


@dataclass(frozen=True)
class TreeScores:
    """Scores of every internal node (regions × node, on the node's effective points)."""

    total: np.ndarray
    nodes: dict[str, np.ndarray]
    points: dict[str, float]


def tree_points(
    framework: Framework, tree: Mapping[str, Mapping[str, Any]], points: Mapping[str, float]
) -> dict[str, float]:
    """Effective points of every node of the logged tree (``log["tree"]``, ``log["points"]``)."""
    return effective_points(framework.indicators, tree, points, framework.total_points)


def aggregate_tree(
    agg: Aggregation,
    z: np.ndarray,
    w: np.ndarray,
    indicators: Sequence[str],
    framework: Framework,
    tree: Mapping[str, Mapping[str, Any]],
) -> TreeScores:
    """Aggregate ``z`` (regions × ``indicators`` fractions, NaN allowed) with indicator weights
    ``w`` (effective points) up the tree, deepest level first. A node's effective points are the
    sum of its children's (so data-driven weights flow up the tree as they are)."""
    children = node_children(framework.indicators, tree)
    col = {c: j for j, c in enumerate(indicators)}
    n = z.shape[0]
    scores: dict[str, np.ndarray] = {}
    pts: dict[str, float] = {c: float(w[j]) for c, j in col.items()}

    def depth(node: str) -> int:
        d, p = 0, tree[node].get("parent")
        while p is not None:
            d, p = d + 1, tree[p].get("parent")
        return d

    order = sorted(tree, key=depth, reverse=True)

    def fractions(kids: list[str]) -> tuple[np.ndarray, np.ndarray]:
        cols, ws = [], []
        for k in kids:
            p = pts[k]
            if k in col:
                cols.append(z[:, col[k]])
            else:
                with np.errstate(invalid="ignore", divide="ignore"):
                    cols.append(scores[k] / p if p > 0 else np.zeros(n))
            ws.append(p)
        return np.column_stack(cols) if cols else np.zeros((n, 0)), np.asarray(ws, float)

    for node in [*order, None]:
        kids = children.get(node, [])
        m, ws = fractions(kids)
        total = float(ws.sum())
        out = np.asarray(agg.apply(m, ws), float) if kids else np.zeros(n)
        if node is None:
            return TreeScores(out, scores, pts)
        scores[node] = out
        pts[node] = total
    raise AssertionError("unreachable")
