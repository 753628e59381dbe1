"""The other direction: for an achievement, the needs (and the counties) it fits.

The score of a need–achievement pair is the engine's (:mod:`cimon.matching.engine`), computed for
every need against the whole catalogue, so the text part still says how this achievement compares
with the need's best option in the catalogue. The needs are ranked by that score, best first; a
need that shares neither a term nor a field with the achievement is left out. Counties are ranked
by their best need, with the number of needs that fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cimon.matching.engine import BATCH, Engine
from cimon.matching.index import Index
from cimon.matching.records import Need

__all__ = ["CountyFit", "NeedFit", "counties_for", "needs_for"]


@dataclass(frozen=True)
class NeedFit:
    need: str
    county: str
    score: float


@dataclass(frozen=True)
class CountyFit:
    county: str
    best: float
    needs: int


def needs_for(
    achievement: str, needs: Sequence[Need], index: Index, engine: Engine | None = None, k: int = 10
) -> list[NeedFit]:
    """The ``k`` needs the achievement with id ``achievement`` (in ``index``) fits best."""
    engine = engine or Engine()
    try:
        col = index.ids.index(achievement)
    except ValueError:
        raise KeyError(f"achievement {achievement!r} is not in the index") from None
    scores = np.empty(len(needs), dtype=np.float32)
    for start in range(0, len(needs), BATCH):
        total, _ = engine.scores(needs[start : start + BATCH], index, keep_parts=False)
        scores[start : start + BATCH] = total[:, col]
    order = sorted((i for i in range(len(needs)) if scores[i] >= 0), key=lambda i: (-scores[i], i))
    return [NeedFit(needs[i].id, needs[i].county, float(scores[i])) for i in order[:k]]


def counties_for(
    achievement: str, needs: Sequence[Need], index: Index, engine: Engine | None = None
) -> list[CountyFit]:
    """Counties by the best fit of their needs to the achievement, with how many needs fit."""
    fits = needs_for(achievement, needs, index, engine, k=len(needs))
    best: dict[str, list[float]] = {}
    for f in fits:
        best.setdefault(f.county, []).append(f.score)
    rows = [CountyFit(c, max(s), len(s)) for c, s in best.items()]
    return sorted(rows, key=lambda r: (-r.best, r.county))
