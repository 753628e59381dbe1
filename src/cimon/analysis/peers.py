"""Peer groups (分类评价): compare a county with counties like it.

A grouping is named by a key:

============  =========================================================================
key           groups
============  =========================================================================
``city``      by 设区市 (the registry's ``city``)
``type``      by administrative type (区 / 县 / 县级市)
``district``  市辖区 vs 县 (the registry tag ``市辖区``; every other county is “县（市）”)
``tag:X``     counties tagged X (``重点帮扶县``, ``山区县`` … in the registry's ``tags`` column)
              vs the rest (“非X”)
``all``       the whole province in one group
============  =========================================================================

Tags are data: add a column value in the registry CSV and ``tag:<value>`` works.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cimon.analysis.errors import AnalysisError
from cimon.engine.run import Run
from cimon.model.regions import Region

GROUPINGS = ("city", "type", "district", "all")


def group_labels(regions: Sequence[Region], by: str) -> list[str]:
    """The group label of every region, in order."""
    if by == "city":
        return [r.city for r in regions]
    if by == "type":
        return [r.type for r in regions]
    if by == "all":
        return ["全部" for _ in regions]
    if by == "district":
        return ["市辖区" if "市辖区" in r.tags else "县（市）" for r in regions]
    if by.startswith("tag:"):
        tag = by[4:]
        known = {t for r in regions for t in r.tags}
        if tag not in known:
            raise AnalysisError(
                f"区划表中没有标签“{tag}”。可用：{'、'.join(sorted(known)) or '无'}。",
                f"The registry has no tag '{tag}'. Tags: {', '.join(sorted(known)) or 'none'}.",
                f"--peers {by}",
            )
        return [tag if tag in r.tags else f"非{tag}" for r in regions]
    tags = sorted({t for r in regions for t in r.tags})
    raise AnalysisError(
        f"未知的分组方式“{by}”。可用：{'、'.join(GROUPINGS)}，或 tag:标签（{'、'.join(tags)}）。",
        f"Unknown grouping '{by}'. Use one of {', '.join(GROUPINGS)} or tag:TAG ({', '.join(tags)}).",
        f"--peers {by}",
    )


def peers_of(regions: Sequence[Region], code: str, by: str) -> list[str]:
    """Codes of the other counties in ``code``'s group (excluding ``code``)."""
    labels = group_labels(regions, by)
    codes = [r.code for r in regions]
    if code not in codes:
        raise AnalysisError(
            f"区划代码 {code} 不在评价结果中。",
            f"Region code {code} is not in the evaluation.",
            code,
        )
    mine = labels[codes.index(code)]
    return [c for c, g in zip(codes, labels, strict=True) if g == mine and c != code]


def peer_summary(run: Run, by: str) -> pd.DataFrame:
    """One row per group: counties, mean and best published score, the best county, and the
    number of counties in each class. Groups in order of first appearance."""
    res = run.results
    labels = group_labels(run.regions, by)
    classes = [b.label for b in run.framework.classes]
    rows = []
    for g in dict.fromkeys(labels):
        m = np.array([x == g for x in labels])
        part = res[m]
        best = part.sort_values(["score_published", "name"], ascending=[False, True]).iloc[0]
        row: dict[str, object] = {
            "group": g,
            "n": int(m.sum()),
            "mean": round(float(part["score_published"].mean()), 2),
            "best": str(best["name"]),
            "best_score": float(best["score_published"]),
        }
        for c in classes:
            row[c] = int((part["class"] == c).sum())
        rows.append(row)
    return pd.DataFrame(rows)
