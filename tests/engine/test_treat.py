"""Outlier treatment (cimon.engine.treat): bounds and COINr's Winsorisation with its log fallback."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cimon.engine.base import make_method
from cimon.engine.treat import (
    Bounds,
    Winsorise,
    bounds,
    ctlog,
    kurtosis,
    no_treatment,
    skewness,
    winsorise,
    winsorise_report,
)
from cimon.errors import MethodError

NAN = np.nan


def test_bounds() -> None:
    x = np.array([-150.0, 20.0, 250.0, NAN])
    np.testing.assert_array_equal(bounds(x, -100.0, 100.0), [-100.0, 20.0, 100.0, NAN])
    np.testing.assert_array_equal(bounds(x, cap=100.0), [-150.0, 20.0, 100.0, NAN])
    np.testing.assert_array_equal(Bounds().apply(x), x)
    assert bounds(x) is not x


def test_no_treatment_copies() -> None:
    x = np.array([1.0, NAN])
    out = no_treatment(x)
    np.testing.assert_array_equal(out, x)
    assert out is not x


def test_moments_by_hand() -> None:
    """x = (0, 0, 0, 3): mean 3/4, m2 = 27/16, m3 = 81/32, m4 = 425.25/64.
    g1 = m3 / m2^1.5 = 2/√3, G1 = g1 · √(4·3)/2 = 2.
    g2 = m4 / m2² − 3 = 7/3 − 3 = −2/3, G2 = ((5 · (−2/3) + 6) · 3) / (2 · 1) = 4."""
    x = np.array([0.0, NAN, 0.0, 0.0, 3.0])
    assert skewness(x) == pytest.approx(2.0, abs=1e-12)
    assert kurtosis(x) == pytest.approx(4.0, abs=1e-12)
    assert math.isnan(skewness(np.array([1.0, 2.0])))
    assert math.isnan(kurtosis(np.array([1.0, 2.0, 3.0])))
    assert math.isnan(skewness(np.array([5.0, 5.0, 5.0])))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-1000, 1000), min_size=5, max_size=60).filter(lambda v: len(set(v)) > 1)
)
def test_moments_match_scipy_bias_corrected(ints: list[int]) -> None:
    x = np.array(ints, float)
    assert skewness(x) == pytest.approx(stats.skew(x, bias=False), rel=1e-9, abs=1e-9)
    assert kurtosis(x) == pytest.approx(stats.kurtosis(x, bias=False), rel=1e-9, abs=1e-9)


def test_winsorise_one_high_point() -> None:
    """1…9 and 100: G1 = 3.119 > 2, G2 = 9.80 > 3.5 → 100 becomes the next highest, 9; then
    1…9, 9 is well inside the thresholds. winmax defaults to ⌈10 / 10⌉ = 1."""
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    assert skewness(x) == pytest.approx(3.1188957452390875)
    rep = winsorise_report(x)
    np.testing.assert_array_equal(rep.values, [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 9])
    assert rep.steps == 1 and not rep.transformed
    assert rep.high.tolist() == [False] * 9 + [True] and not rep.low.any()
    np.testing.assert_array_equal(Winsorise().apply(x), rep.values)


def test_winsorise_low_side_and_missing() -> None:
    """A low outlier (negative skew) is raised to the next lowest; NaN stays NaN and is ignored."""
    x = np.array([-100.0, 1, 2, 3, NAN, 4, 5, 6, 7, 8, 9])
    out = winsorise(x)
    np.testing.assert_array_equal(out, [1.0, 1, 2, 3, NAN, 4, 5, 6, 7, 8, 9])
    rep = winsorise_report(x)
    assert rep.low.tolist() == [True] + [False] * 10


def test_winsorise_leaves_a_tame_column_alone() -> None:
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    rep = winsorise_report(x)
    assert rep.steps == 0 and not rep.transformed
    np.testing.assert_array_equal(rep.values, x)


def test_winsorise_falls_back_to_the_ctlog() -> None:
    """17 ones, 2, 1000, 2000, 4000 with winmax 1: after one step (4000 → 2000) the column is still
    skewed (G1 2.30) and heavy-tailed (G2 3.87), so the step is undone and the COIN Tool log
    ln(x − 1 + 0.01 · 3999) is applied to the original: 1 → ln 39.99, 4000 → ln 4038.99.
    With winmax 2 two steps suffice (4000 → 2000 → 1000) and no log is taken."""
    x = np.array([1.0] * 17 + [2.0, 1000.0, 2000.0, 4000.0])
    rep = winsorise_report(x, winmax=1)
    assert rep.transformed and rep.steps == 1
    np.testing.assert_allclose(rep.values[[0, 17, 20]], np.log([39.99, 40.99, 4038.99]), rtol=1e-14)
    np.testing.assert_array_equal(rep.values, ctlog(x))
    assert not rep.high.any()
    # fallback none: the original column, untouched
    np.testing.assert_array_equal(winsorise(x, winmax=1, fallback="none"), x)
    two = winsorise_report(x, winmax=2)
    assert not two.transformed and two.steps == 2
    np.testing.assert_array_equal(two.values[-3:], [1000.0, 1000.0, 1000.0])
    assert two.high.sum() == 2


def test_winsorise_default_winmax_is_ten_percent_rounded_up() -> None:
    """21 values → ⌈2.1⌉ = 3 steps allowed: the example above needs 2, so no log."""
    x = np.array([1.0] * 17 + [2.0, 1000.0, 2000.0, 4000.0])
    assert not winsorise_report(x).transformed


def test_winchange_false_keeps_the_first_side() -> None:
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100])
    np.testing.assert_array_equal(winsorise(x, winchange=False), winsorise(x))


def test_ctlog_handles_missing() -> None:
    out = ctlog(np.array([0.0, NAN, 10.0]))
    np.testing.assert_allclose(out, [math.log(0.1), NAN, math.log(10.1)])
    assert np.isnan(ctlog(np.array([NAN, NAN]))).all()


def test_winsorise_parameters_are_checked() -> None:
    with pytest.raises(MethodError):
        make_method("treat", {"method": "winsorise", "fallback": "boxcox"})
    with pytest.raises(ValueError):
        winsorise(np.array([1.0]), fallback="boxcox")
    assert make_method("treat", {"method": "winsorise", "winmax": 6}) == Winsorise(winmax=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.integers(-10_000, 10_000), st.none()), min_size=0, max_size=40))
def test_winsorise_keeps_missing_and_range(vals: list[int | None]) -> None:
    """Winsorised values stay within the original range (values are only moved to other values);
    a log-transformed column is finite where the input is present."""
    x = np.array([NAN if v is None else float(v) for v in vals])
    rep = winsorise_report(x)
    np.testing.assert_array_equal(np.isnan(rep.values), np.isnan(x))
    present = ~np.isnan(x)
    if rep.transformed:
        assert np.isfinite(rep.values[present]).all()
    elif present.any():
        assert set(rep.values[present]) <= set(x[present])
