"""Year-over-year comparison: transitions, ranks and the exact score-change split.

The split must add up *exactly* to the published change (issue #4: “score change split exactly (to
the cent of a point)”): published scores have 2 decimals, so the split is in integer hundredths.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cimon.analysis.codes import CodeChange, CodeMap
from cimon.analysis.compare import (
    allocate,
    cents,
    compare_results,
    compare_runs,
    previous_year,
    split_change,
)
from cimon.analysis.errors import AnalysisError
from cimon.engine.run import Run

LABELS = ["A", "B", "C"]


def results(scores: dict[str, float]) -> pd.DataFrame:
    """A results table with classes from seed 000's thresholds (A ≥ 80, 60 ≤ B < 80, C < 60)."""
    return pd.DataFrame(
        {
            "name": list(scores),
            "score_published": list(scores.values()),
            "class": ["A" if s >= 80 else "B" if s >= 60 else "C" for s in scores.values()],
        },
        index=pd.Index(list(scores), name="region_code"),
    )


@pytest.mark.parametrize(
    ("total", "quotas", "expected"),
    [
        # floors 310+200+109 = 619; the one cent left goes to the largest remainder (.5)
        (620, [310.25, 200.5, 109.25], [310, 201, 109]),
        # equal remainders: the earlier part wins
        (2, [0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0]),
        # floors −3, −3 = −6; one cent back to the largest remainder
        (-5, [-2.5, -2.5], [-2, -3]),
        # quotas far from the total: the difference is spread evenly, then by remainder
        (10, [1.0, 1.0], [5, 5]),
        (7, [0.0, 0.0, 0.0], [3, 2, 2]),
        # a negative shortfall takes cents from the smallest remainders
        (0, [0.9, 0.8, -1.0], [1, 0, -1]),
        (-1, [0.2, 0.3], [-1, 0]),
    ],
)
def test_allocate_hand_computed(total: int, quotas: list[float], expected: list[int]) -> None:
    assert allocate(total, quotas) == expected


@given(
    st.integers(-10_000, 10_000),
    st.lists(st.floats(-5_000, 5_000, allow_nan=False), min_size=1, max_size=25),
)
def test_allocate_always_sums_exactly(total: int, quotas: list[float]) -> None:
    parts = allocate(total, quotas)
    assert sum(parts) == total
    shortfall = abs(total - sum(quotas))
    assert all(
        abs(p - q) < 1 + shortfall / len(quotas) + 1 for p, q in zip(parts, quotas, strict=True)
    )


def test_split_sums_exactly_for_every_county_and_year(demo_runs: dict[int, Run]) -> None:
    """Every county, every consecutive pair of demo years: pillars add up to the published change
    and each pillar's indicators add up to the pillar, in integer hundredths."""
    for year in range(2021, 2026):
        prev, curr = demo_runs[year - 1], demo_runs[year]
        for code in curr.results.index:
            s = split_change(prev, curr, code)
            published = cents(curr.results.at[code, "score_published"]) - cents(
                prev.results.at[code, "score_published"]
            )
            assert s.total == published
            assert sum(s.pillars.values()) == s.total
            for p in curr.framework.pillars:
                assert sum(s.indicators[i] for i in p.indicators) == s.pillars[p.code]


def test_split_of_xiji_2023(demo_runs: dict[int, Run]) -> None:
    """西吉县 2022 → 2023: published 44.02 → 46.50, a change of +2.48 = 248 cents; each part is
    within one cent of the unrounded change in points."""
    prev, curr = demo_runs[2022], demo_runs[2023]
    s = split_change(prev, curr, "640422")
    assert (s.name, s.total) == ("西吉县", 248)
    for ind in curr.framework.indicator_codes:
        raw = 100 * (curr.data["points"].at["640422", ind] - prev.data["points"].at["640422", ind])
        assert abs(s.indicators[ind] - raw) < 1.0 + 1e-9


def test_compare_results_transitions_and_positions() -> None:
    """Hand-built: X jumps C → B and enters B below last year's three B counties (position 4),
    ranking 2nd in B now: 2 places. Y stays B and falls from 2nd to 3rd. Z drops A → B."""
    prev = results({"Z": 85, "B1": 78, "Y": 70, "B3": 66, "X": 58})
    curr = results({"Z": 79, "B1": 78, "Y": 70, "B3": 66, "X": 75})
    t = compare_results(prev, curr, LABELS)
    assert t.loc[
        "X", ["transition", "steps", "position_prev", "class_rank", "places"]
    ].tolist() == ["up", 1, 4, 3, 1]
    assert t.loc["Y", ["transition", "position_prev", "class_rank", "places"]].tolist() == [
        "same",
        2,
        4,
        -2,
    ]
    assert t.loc["Z", ["transition", "steps"]].tolist() == ["down", -1]
    assert t.loc["X", "rank_prev"] == 5 and t.loc["X", "rank"] == 3
    assert t.loc["X", "change"] == pytest.approx(17.0)


def test_compare_results_ties_min_and_max() -> None:
    """Tied counties share the better rank under ``min`` (the published ranks), the worse under
    ``max``."""
    curr = results({"P": 70, "Q": 66, "X": 66})
    assert compare_results(None, curr, LABELS, ties="min").loc["X", "class_rank"] == 2
    assert compare_results(None, curr, LABELS, ties="max").loc["X", "class_rank"] == 3
    with pytest.raises(AnalysisError):
        compare_results(None, curr, LABELS, ties="dense")


def test_code_map_matches_predecessor() -> None:
    prev = results({"640181": 70, "640121": 65, "640122": 61})
    curr = results({"640106": 72, "640123": 66})
    cmap = CodeMap(
        (
            CodeChange("640181", "640106", "recode"),
            CodeChange("640121", "640123", "boundary"),
            CodeChange("640122", "640123", "boundary"),
        )
    )
    t = compare_results(prev, curr, LABELS, cmap)
    assert t.loc["640106", ["prev_code", "match", "score_prev"]].tolist() == [
        "640181",
        "recode",
        70,
    ]
    assert t.loc["640123", ["match", "transition"]].tolist() == ["merged", "new"]


def test_compare_runs_matrix(demo_runs: dict[int, Run]) -> None:
    """Demo 2022 → 2023: 2 A stay A, 3 B rise to A, 8 B stay, 2 C rise to B, 7 C stay (the
    matrix adds up to 22 counties and its column sums are 2023's class counts 5/10/7)."""
    c = compare_runs(demo_runs[2022], demo_runs[2023])
    assert c.matrix.loc["B", "A"] == 3 and c.matrix.loc["C", "B"] == 2
    assert c.matrix.to_numpy().sum() == 22
    assert c.matrix.sum(axis=0).tolist() == [5, 10, 7]
    assert c.transitions() == {"up": 5, "down": 0, "same": 17, "new": 0}


def test_previous_year_missing() -> None:
    with pytest.raises(AnalysisError, match="2019"):
        previous_year({2020: None}, 2020)  # type: ignore[dict-item]


def _recoded(run: Run, old: str, new: str, data_year: int) -> Run:
    """``run`` as if county ``old`` had the code ``new`` and the data were of ``data_year``."""
    data = {k: v.rename(index={old: new}) for k, v in run.data.items()}
    return dataclasses.replace(run, data=data, data_year=data_year)


def test_compare_runs_follows_the_national_code_history(demo_runs: dict[int, Run]) -> None:
    """Without a code map, a county whose code changed between the two data years is matched to
    its predecessor from the national history (平泉县 130823 → 平泉市 130881, 2017), and only when
    the change falls between the data years compared (docs/national.md)."""
    prev = _recoded(demo_runs[2022], "640181", "130823", 2016)
    curr = _recoded(demo_runs[2023], "640181", "130881", 2023)
    row = compare_runs(prev, curr).table.loc["130881"]
    assert (row["prev_code"], row["match"]) == ("130823", "recode")
    plain = compare_runs(demo_runs[2022], demo_runs[2023]).table.loc["640181"]
    assert row["score_prev"] == plain["score_prev"] and row["class_prev"] == plain["class_prev"]
    later = compare_runs(_recoded(prev, "130823", "130823", 2017), curr).table.loc["130881"]
    assert later["match"] == "new"  # the 2017 list already had 130881: no change in (2017, 2023]


def test_compare_runs_with_a_new_county(demo_runs: dict[int, Run]) -> None:
    """A county evaluated only this year is ``new`` and has no split (it used to raise)."""
    prev = demo_runs[2022]
    prev = dataclasses.replace(prev, data={k: v.drop(index="640181") for k, v in prev.data.items()})
    c = compare_runs(prev, demo_runs[2023])
    assert c.table.loc["640181", "match"] == "new" and "640181" not in c.splits
    assert len(c.splits) == 21
