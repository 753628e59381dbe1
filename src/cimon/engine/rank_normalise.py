"""Rank normalisation (``normalise.rank``): a unit's rank among the year's units, scaled to [0, 1],
with the tie convention and the scaling as declared options.

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators*, section 5 (normalisation:
ranking). Becker, W. et al. (2022). COINr, ``n_rank`` (scaled ranks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from cimon.engine.base import Param, register
from cimon.engine.normalise import Normaliser
from cimon.engine.params import check

__all__ = ["RANK_PARAMS", "Rank", "percentile_rank"]


#: the parameters of ``normalise.rank`` (:class:`Rank`), checked by :func:`percentile_rank`
RANK_PARAMS: tuple[Param, ...] = (
    Param(
        "ties",
        "并列时的名次：average（平均）、min、max、dense（紧密）或 first（按顺序）",
        "tied values: average, min, max, dense or first (in order)",
        kind="text",
        choices=("average", "min", "max", "dense", "first"),
    ),
    Param(
        "scale",
        "名次换算：percentile 为 (r−1)/(n−1)，fraction 为 r/n",
        "rank scaling: percentile (r−1)/(n−1) or fraction r/n",
        kind="text",
        choices=("percentile", "fraction"),
    ),
)


def percentile_rank(
    x: np.ndarray, direction: int = 1, ties: str = "average", scale: str = "percentile"
) -> np.ndarray:
    """Scaled rank in [0, 1], ``r`` the ascending rank among the ``n`` present values, so the
    best county scores 1.

    * ``scale="percentile"`` (default): ``(r − 1) / (n − 1)``, the worst scores 0;
    * ``scale="fraction"``: ``r / n``, the worst scores ``1/n``.

    Ties (``ties``): ``average`` (default) gives tied values the mean of their ranks; ``min``,
    ``max`` the lowest or highest; ``dense`` numbers distinct values 1, 2, 3 … (then ``n`` is the
    number of distinct values, so the best still scores 1); ``first`` breaks ties by position.

    Direction −1 ranks ``−x``. A single present value scores 1. Missing values stay missing and do
    not count in ``n``.
    """
    check("normalise.rank", RANK_PARAMS, (), {"ties": ties, "scale": scale})
    v = np.asarray(x, float)
    v = v if direction >= 0 else -v
    out = np.full(v.shape, np.nan)
    ok = ~np.isnan(v)
    n = int(ok.sum())
    if n == 1:
        out[ok] = 1.0
    elif n > 1:
        # imported here: scipy.stats costs about a second, and `import cimon` should not pay it
        from scipy.stats import rankdata

        r = rankdata(v[ok], method="ordinal" if ties == "first" else ties).astype(float)
        top = float(r.max()) if ties == "dense" else float(n)
        if scale == "fraction":
            out[ok] = r / top
        else:
            out[ok] = (r - 1.0) / (top - 1.0) if top > 1 else 1.0
    return out


@register
@dataclass(frozen=True)
class Rank(Normaliser):
    """rank: scaled rank ``(r − 1) / (n − 1)`` or ``r / n``, ties by ``ties`` (average)."""

    name: ClassVar[str] = "rank"
    title_zh: ClassVar[str] = "百分位排序（逐年）"
    function = staticmethod(percentile_rank)
    params = RANK_PARAMS
    ties: str = "average"
    scale: str = "percentile"

    def apply(self, x: np.ndarray, direction: int) -> np.ndarray:
        return percentile_rank(x, direction, self.ties, self.scale)
