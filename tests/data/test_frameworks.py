"""The two alternative bundled frameworks: same indicators, different method (configuration only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import cimon
from cimon.data.demo import EVALUATION_YEARS
from cimon.model.framework import bundled_frameworks

ALTERNATIVES = ("nx-2021-relative", "nx-2021-index")

#: Class counts on the demo panel (docs/frameworks/alternatives.md quotes them).
EXPECTED = {
    "nx-2021-relative": {
        2020: {"A": 0, "B": 4, "C": 18},
        2021: {"A": 0, "B": 3, "C": 19},
        2022: {"A": 0, "B": 2, "C": 20},
        2023: {"A": 0, "B": 3, "C": 19},
        2024: {"A": 0, "B": 3, "C": 19},
        2025: {"A": 0, "B": 4, "C": 18},
    },
    "nx-2021-index": {
        2020: {"A": 3, "B": 11, "C": 8},
        2021: {"A": 3, "B": 12, "C": 7},
        2022: {"A": 5, "B": 11, "C": 6},
        2023: {"A": 7, "B": 10, "C": 5},
        2024: {"A": 9, "B": 10, "C": 3},
        2025: {"A": 10, "B": 9, "C": 3},
    },
}

DOCS = Path(__file__).resolve().parents[2] / "docs" / "frameworks"


@pytest.fixture(scope="module")
def panel() -> cimon.Panel:
    return cimon.demo_panel()


@pytest.fixture(scope="module")
def runs(panel):
    out = {}
    for fid in ("nx-2021", *ALTERNATIVES):
        fw = cimon.load_framework(fid)
        out[fid] = {y: cimon.evaluate(fw, panel, y) for y in EVALUATION_YEARS}
    return out


def test_bundled_with_distinct_ids_and_versions():
    assert set(ALTERNATIVES) <= set(bundled_frameworks())
    fws = [cimon.load_framework(f) for f in ("nx-2021", *ALTERNATIVES)]
    assert [f.id for f in fws] == ["nx-2021", *ALTERNATIVES]
    assert len({f.version for f in fws}) == 3
    assert len({f.hash for f in fws}) == 3


@pytest.mark.parametrize("fid", ALTERNATIVES)
def test_same_indicators_variables_and_points(fid):
    base, alt = cimon.load_framework("nx-2021"), cimon.load_framework(fid)
    assert alt.variables == base.variables
    assert [
        (i.code, i.pillar, i.points, i.formula, i.direction, i.provenance) for i in alt.indicators
    ] == [
        (i.code, i.pillar, i.points, i.formula, i.direction, i.provenance) for i in base.indicators
    ]
    assert alt.total_points == 100 and alt.data_lag == 1


@pytest.mark.parametrize("fid", ALTERNATIVES)
def test_class_counts_on_demo(runs, fid):
    assert {y: r.class_counts() for y, r in runs[fid].items()} == EXPECTED[fid]


def test_relative_is_minmax_with_entropy_weights(runs):
    fw = cimon.load_framework("nx-2021-relative")
    assert fw.pipeline["normalise"]["method"] == "minmax"
    assert fw.pipeline["weight"] == {"method": "entropy", "on": "normalised"}
    for run in runs["nx-2021-relative"].values():
        z = run.data["normalised"]
        assert np.allclose(z.min(), 0.0) and np.allclose(z.max(), 1.0)  # per-year min and max
        assert run.weights.sum() == pytest.approx(100.0)
        assert not np.allclose(run.weights.to_numpy(), [i.points for i in fw.indicators])
        assert {s["method"] for s in run.log["normalise"].values()} == {"minmax"}


def test_relative_scores_cannot_rise_with_the_province(runs):
    """Per-year min-max: the provincial mean stays flat while nx-2021's rises."""
    base = [runs["nx-2021"][y].results["score"].mean() for y in EVALUATION_YEARS]
    rel = [runs["nx-2021-relative"][y].results["score"].mean() for y in EVALUATION_YEARS]
    assert base[-1] - base[0] > 10
    assert abs(rel[-1] - rel[0]) < 3


def test_index_base_means_are_the_2019_demo_means(runs):
    fw = cimon.load_framework("nx-2021-index")
    means = runs["nx-2021"][2020].data["treated"].mean()
    log = runs["nx-2021-index"][2020].log["normalise"]
    for code in fw.indicator_codes:
        assert log[code]["method"] == "base_index"
        assert log[code]["cap"] == 3
        assert log[code]["base_mean"] == pytest.approx(means[code], rel=1e-5)
    # 100 = the base-year provincial average (cap and negative growth aside)
    assert runs["nx-2021-index"][2020].results["score"].mean() == pytest.approx(100, abs=1)
    assert [b.min for b in fw.classes] == [130, 90, None]
    assert fw.pipeline["aggregate"]["method"] == "weighted_mean"


def test_alternatives_rank_counties_alike(runs):
    """Method changes the level and the classes, hardly the order of counties."""
    for fid in ALTERNATIVES:
        for y in EVALUATION_YEARS:
            a = runs["nx-2021"][y].results["rank"]
            b = runs[fid][y].results["rank"]
            assert (a - b).abs().max() <= 4


def test_framework_page_lists_every_indicator():
    text = (DOCS / "nx-2021.md").read_text(encoding="utf-8")
    fw = cimon.load_framework("nx-2021")
    for ind in fw.indicators:
        assert f"| {ind.code} " in text, ind.code
        assert ind.name_zh in text
    alt = (DOCS / "alternatives.md").read_text(encoding="utf-8")
    for fid in ALTERNATIVES:
        assert fid in alt
