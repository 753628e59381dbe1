"""Normalisation methods (cimon.engine.normalise): hand-computed values, direction, missing data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimon.engine.base import make_method
from cimon.engine.normalise import (
    BaseIndex,
    Goalposts,
    Growth,
    MinMax,
    base_index,
    distance_to_best,
    efficacy,
    goalposts,
    growth_score,
    learn_goalposts,
    minmax,
    rubric,
    target_attainment,
    zscore,
)
from cimon.engine.rank_normalise import percentile_rank
from cimon.errors import MethodError

NAN = np.nan


def eq(a: np.ndarray, b: list[float]) -> None:
    np.testing.assert_allclose(a, np.array(b, float), rtol=0, atol=1e-12, equal_nan=True)


def test_target_attainment() -> None:
    # floor 0, target 2.5 (R&D intensity %): 1.0/2.5 = 0.4; 3.0 capped at 1; −1 clipped at 0
    eq(target_attainment(np.array([1.0, 3.0, -1.0, NAN]), 0.0, 2.5), [0.4, 1.0, 0.0, NAN])
    # less is better: floor 50, target 5 → (20 − 50)/(5 − 50) = 30/45 = 2/3
    eq(target_attainment(np.array([20.0, 4.0, 60.0]), 50.0, 5.0, -1), [2 / 3, 1.0, 0.0])
    with pytest.raises(ValueError):
        target_attainment(np.array([1.0]), 0.0, 2.5, -1)
    with pytest.raises(ValueError):
        target_attainment(np.array([1.0]), 1.0, 1.0)


def test_growth_score() -> None:
    # g* = 15 %: 6 % → 6/15 = 0.4; 15 and 30 → 1; 0 and −5 → 0; missing stays missing
    eq(growth_score(np.array([6.0, 15.0, 30.0, 0.0, -5.0, NAN]), 15.0), [0.4, 1, 1, 0, 0, NAN])
    # floor 5: 10 % → (10 − 5)/(15 − 5) = 0.5
    eq(growth_score(np.array([10.0]), 15.0, floor=5.0), [0.5])
    # falls are good (direction −1): g* = −10: −4 % → −4/−10 = 0.4; +3 % → 0
    eq(growth_score(np.array([-4.0, 3.0, -12.0]), -10.0, direction=-1), [0.4, 0.0, 1.0])
    with pytest.raises(ValueError):
        growth_score(np.array([1.0]), 15.0, direction=-1)
    with pytest.raises(MethodError):
        make_method("normalise", {"method": "growth", "g_star": 0.0})
    with pytest.raises(MethodError):  # g_star is required
        make_method("normalise", {"method": "growth"})


def test_base_index() -> None:
    # base-year mean 2.0: 3.0 → 1.5 (= 150 on the 100 scale); −1 → clipped to 0
    eq(base_index(np.array([3.0, 2.0, 0.0, -1.0, NAN]), 2.0), [1.5, 1.0, 0.0, 0.0, NAN])
    eq(base_index(np.array([3.0, 1.0]), 2.0, cap=1.2), [1.2, 0.5])
    # less is better: 2.0 / 4.0 = 0.5, 2.0 / 1.0 = 2.0; x ≤ 0 has no index → NaN
    eq(base_index(np.array([4.0, 1.0, 0.0, -2.0, NAN]), 2.0, direction=-1), [0.5, 2, NAN, NAN, NAN])
    assert not BaseIndex.bounded
    with pytest.raises(ValueError):
        BaseIndex(base_mean=0.0)


def test_goalposts_and_learning_them() -> None:
    base = np.array([10.0, NAN, 30.0, 50.0])
    lo, hi = learn_goalposts(base)
    assert (lo, hi) == (10.0, 50.0)
    later = np.array([10.0, 30.0, 60.0, 0.0, NAN])
    # (30 − 10)/(50 − 10) = 0.5; 60 beyond the base-year best → 1; 0 below → 0
    eq(goalposts(later, lo, hi), [0.0, 0.5, 1.0, 0.0, NAN])
    # less is better: (50 − 30)/40 = 0.5
    eq(goalposts(later, lo, hi, -1), [1.0, 0.5, 0.0, 1.0, NAN])
    eq(Goalposts(lo=lo, hi=hi).apply(later, 1), [0.0, 0.5, 1.0, 0.0, NAN])
    with pytest.raises(ValueError):
        learn_goalposts(np.array([NAN, NAN]))
    with pytest.raises(ValueError):
        learn_goalposts(np.array([3.0, 3.0]))
    with pytest.raises(ValueError):
        Goalposts(lo=1.0, hi=1.0)


def test_rubric() -> None:
    eq(rubric(np.array([4.0, 6.0, NAN]), 5.0), [0.8, 1.0, NAN])
    eq(rubric(np.array([4.0]), 5.0, -1), [0.2])


def test_minmax() -> None:
    x = np.array([2.0, 4.0, NAN, 10.0])
    # (4 − 2)/(10 − 2) = 0.25
    eq(minmax(x), [0.0, 0.25, NAN, 1.0])
    # less is better: (10 − 4)/8 = 0.75
    eq(minmax(x, direction=-1), [1.0, 0.75, NAN, 0.0])
    # constant column: documented default 1.0, or the parameter
    eq(minmax(np.array([3.0, NAN, 3.0])), [1.0, NAN, 1.0])
    eq(MinMax(constant=0.0).apply(np.array([3.0, 3.0]), 1), [0.0, 0.0])
    eq(minmax(np.array([NAN, NAN])), [NAN, NAN])
    eq(minmax(np.array([7.0])), [1.0])


def test_zscore() -> None:
    x = np.array([1.0, 2.0, 3.0, NAN])
    # mean 2, sample SD sqrt(((−1)² + 0 + 1²)/2) = 1
    eq(zscore(x), [-1.0, 0.0, 1.0, NAN])
    eq(zscore(x, direction=-1), [1.0, 0.0, -1.0, NAN])
    # population SD sqrt(2/3): 1/sqrt(2/3) = 1.224744871391589
    eq(zscore(x, ddof=0), [-1.224744871391589, 0.0, 1.224744871391589, NAN])
    eq(zscore(np.array([5.0, 5.0])), [0.0, 0.0])
    eq(zscore(np.array([5.0])), [0.0])


def test_percentile_rank() -> None:
    # ranks of 10, 30, 20, 30: 1, 3.5, 2, 3.5 → (r − 1)/3 = 0, 5/6, 1/3, 5/6
    x = np.array([10.0, 30.0, 20.0, 30.0, NAN])
    eq(percentile_rank(x), [0.0, 5 / 6, 1 / 3, 5 / 6, NAN])
    # less is better: ranks of −x: 4, 1.5, 3, 1.5 → 1, 1/6, 2/3, 1/6
    eq(percentile_rank(x, -1), [1.0, 1 / 6, 2 / 3, 1 / 6, NAN])
    eq(percentile_rank(np.array([NAN, 4.0])), [NAN, 1.0])


def test_efficacy() -> None:
    x = np.array([2.0, 4.0, 10.0, NAN])
    # (60 + 40 · 0.25)/100 = 0.7
    eq(efficacy(x), [0.6, 0.7, 1.0, NAN])
    eq(efficacy(x, direction=-1), [1.0, 0.9, 0.6, NAN])
    # lo 50: (50 + 50 · 0.25)/100 = 0.625
    eq(efficacy(x, lo=50.0), [0.5, 0.625, 1.0, NAN])
    eq(efficacy(np.array([3.0, 3.0])), [1.0, 1.0])
    with pytest.raises(ValueError):
        efficacy(x, lo=70.0, hi=60.0)


def test_distance_to_best() -> None:
    x = np.array([2.0, 8.0, 0.0, NAN, -1.0])
    # best 8: 2/8 = 0.25; negative values are outside the method's domain → NaN
    eq(distance_to_best(x), [0.25, 1.0, 0.0, NAN, NAN])
    # less is better, best (min) 2: 2/8 = 0.25 … but 0 is present, so 0 is the best
    eq(distance_to_best(np.array([2.0, 8.0, NAN]), -1), [1.0, 0.25, NAN])
    eq(distance_to_best(x, -1), [0.0, 0.0, 1.0, NAN, NAN])
    eq(distance_to_best(np.array([0.0, 0.0])), [1.0, 1.0])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-10_000, 10_000), min_size=2, max_size=40))
def test_relative_methods_mirror_under_direction(ints: list[int]) -> None:
    """minmax(x, +1) + minmax(x, −1) = 1, rank likewise, zscore changes sign (a constant column
    scores 1 both ways in min-max and 0.5 + 0.5 in rank: average ties)."""
    x = np.array(ints, float)
    spread = len(set(ints)) > 1
    np.testing.assert_allclose(minmax(x) + minmax(x, direction=-1), 1.0 if spread else 2.0)
    np.testing.assert_allclose(zscore(x), -zscore(x, direction=-1), atol=1e-12)
    np.testing.assert_allclose(percentile_rank(x) + percentile_rank(x, -1), 1.0, atol=1e-12)


def test_growth_class_requires_g_star() -> None:
    assert Growth(g_star=15.0).get_params() == {"g_star": 15.0, "floor": 0.0}
