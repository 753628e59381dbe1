"""Matching needs with achievements and talent (issue #18): a pure library, no web, no database.

``match(need, achievements, k=10)`` ranks achievements (or talent profiles) for one need with a
reason for each; :class:`Engine` holds the scoring configuration (scorers and weights, see
:mod:`cimon.matching.scorers` and :mod:`cimon.matching.engine`); :mod:`cimon.matching.metrics`
measures rankings against graded labels or user feedback; :mod:`cimon.matching.evalset` loads the
labelled evaluation set shipped with cimon (模拟数据).
"""

from __future__ import annotations

from cimon.matching.engine import DEFAULT_WEIGHTS, Engine, Explanation, Match, match, rank, top_ids
from cimon.matching.index import Index, build_index
from cimon.matching.records import TRANSFER_MODES, Achievement, Need, Talent

__all__ = [
    "DEFAULT_WEIGHTS",
    "TRANSFER_MODES",
    "Achievement",
    "Engine",
    "Explanation",
    "Index",
    "Match",
    "Need",
    "Talent",
    "build_index",
    "match",
    "rank",
    "top_ids",
]
