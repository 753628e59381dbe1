"""Places against stable peers (:mod:`cimon.analysis.places`): the per-table count with names and
the vectorised count of every Monte Carlo replicate agree, for both tie rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cimon.analysis import places
from cimon.analysis.compare import compare_results
from cimon.analysis.places import peer_places, peer_places_rows


def _results(cents: np.ndarray, codes: list[str]) -> pd.DataFrame:
    score = cents / 100
    return pd.DataFrame(
        {
            "name": codes,
            "score_published": score,
            "class": ["A" if s >= 80 else "B" if s >= 60 else "C" for s in score],
        },
        index=pd.Index(codes, name="region_code"),
    )


def test_names_and_net_count() -> None:
    prev = _results(np.array([7500, 7000, 6500, 5000]), ["B1", "X", "B2", "C1"])
    curr = _results(np.array([6900, 7100, 7200, 6100]), ["B1", "X", "B2", "C1"])
    table = compare_results(prev, curr, ["A", "B", "C"])
    p = peer_places(table)
    assert p["X"].overtook == ("B1",) and p["X"].overtaken_by == ("B2",) and p["X"].places == 0
    # C1 jumped into B: its stable peers are B1, X, B2; it passed none of them
    assert p["C1"].places == 0 and p["C1"].overtook == ()
    assert p["B2"].overtook == ("B1", "X") and p["B2"].places == 2


@pytest.mark.parametrize("path", ["histogram", "sort"])
@pytest.mark.parametrize("ties", ["min", "max"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rows_agree_with_the_table(
    ties: str, seed: int, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Random scores on a coarse grid (many ties), some counties new this year; both ways of
    counting (histograms, and the sort for a very wide range of values)."""
    if path == "sort":
        monkeypatch.setattr(places, "_HIST_CELLS", 1)
    rng = np.random.default_rng(seed)
    m, n = 12, 25
    codes = [f"K{k:02d}" for k in range(n)]
    matched = rng.random(n) > 0.15
    cur = rng.integers(50, 90, (m, n)) * 100
    prv = rng.integers(50, 90, (m, n)) * 100
    level = {"A": 0, "B": 1, "C": 2}

    def cls(c: np.ndarray) -> np.ndarray:
        return np.where(c >= 8000, 0, np.where(c >= 6000, 1, 2))

    in_class, overall = peer_places_rows(cur, prv, cls(cur), cls(prv), matched, ties)
    for r in range(m):
        prev = _results(prv[r][matched], [c for c, ok in zip(codes, matched, strict=True) if ok])
        table = compare_results(prev, _results(cur[r], codes), ["A", "B", "C"], ties=ties)
        want = peer_places(table, ties)
        for i, code in enumerate(codes):
            if not matched[i]:
                assert code not in want
                continue
            assert max(in_class[r, i], 0) == want[code].places, (r, code)
            assert overall[r, i] == want[code].overall_net, (r, code)
            assert max(overall[r, i], 0) == want[code].overall
            assert level[str(table.at[code, "class"])] == cls(cur[r])[i]
