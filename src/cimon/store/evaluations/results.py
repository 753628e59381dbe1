"""The results of a run as stored and published: JSON-ready rows, and the decimals a framework
publishes scores with."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def score_decimals(framework_id: str) -> int:
    """The decimals scores are published with under ``framework_id`` (``rounding`` of the
    framework; 2 when the framework cannot be loaded any more)."""
    return _decimals(framework_id)


@lru_cache(maxsize=32)
def _decimals(framework_id: str) -> int:
    from cimon.model.framework import load_framework

    try:
        return int(load_framework(framework_id).rounding)
    except Exception:  # an id no longer bundled: the default precision
        return 2


def result_rows(results: Any, pillars: Any = None) -> list[dict[str, Any]]:
    """The engine's results table as JSON-ready rows (NaN → None), in rank order; with the
    run's pillar scores (``pillars``: regions × pillar codes) as ``{"pillars": {code: points}}``
    so that published results keep them frozen too."""
    import math

    rows = []
    for code, row in results.sort_values(["rank", "score"], ascending=[True, False]).iterrows():
        out: dict[str, Any] = {"region_code": str(code)}
        for key in (
            "name",
            "city",
            "score",
            "score_published",
            "class",
            "rank",
            "rank_city",
            "flags",
        ):
            v = row.get(key)
            if isinstance(v, float) and math.isnan(v):
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            out[key] = v
        if pillars is not None and code in pillars.index:
            out["pillars"] = {
                str(p): (None if math.isnan(float(x)) else float(x))
                for p, x in pillars.loc[code].items()
            }
        rows.append(out)
    return rows
