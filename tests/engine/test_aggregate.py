"""Behaviour of the aggregation methods (cimon.engine.aggregate)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimon.engine.aggregate import (
    Aggregation,
    Geometric,
    Topsis,
    topsis,
    weighted_geometric_mean,
    weighted_mean,
    weighted_sum,
)
from cimon.engine.base import make_method, registered
from cimon.errors import MethodError

W = np.array([8.0, 6.0, 6.0, 10.0, 5.0, 5.0, 20.0, 15.0, 15.0, 10.0])
NAMES = [n for _, n in registered("aggregate")]


def _z(seed: int = 0, n: int = 22) -> np.ndarray:
    return np.random.default_rng(seed).random((n, W.size))


def test_new_methods_are_registered() -> None:
    assert {"sum", "weighted_mean", "geometric", "topsis"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_scores_lie_on_the_points_scale(name: str, seed: int) -> None:
    z = _z(seed)
    m = make_method("aggregate", {"method": name})
    assert isinstance(m, Aggregation)
    s = m.apply(z, W)
    assert s.shape == (z.shape[0],)
    assert np.all(s >= -1e-12) and np.all(s <= W.sum() + 1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_function_and_class_agree(name: str) -> None:
    z = _z(2)
    m = make_method("aggregate", {"method": name})
    assert m.function is not None
    np.testing.assert_array_equal(m.function(z, W, **m.get_params()), m.apply(z, W))


@pytest.mark.parametrize("name", NAMES)
def test_params_round_trip_and_replace(name: str) -> None:
    m = make_method("aggregate", {"method": name})
    assert make_method("aggregate", json.loads(json.dumps(m.spec()))) == m


@pytest.mark.parametrize("name", NAMES)
def test_pillar_subsets(name: str) -> None:
    """The pipeline applies the method to each pillar's columns; one column must work too."""
    z = _z(3)
    m = make_method("aggregate", {"method": name})
    assert isinstance(m, Aggregation)
    for cols in ([0], [1, 2], list(range(3, 10))):
        s = m.apply(z[:, cols], W[cols])
        assert s.shape == (z.shape[0],) and np.isfinite(s).all()


@pytest.mark.parametrize("name", ["sum", "weighted_mean", "geometric"])
def test_uniform_fraction_gives_that_share_of_points(name: str) -> None:
    z = np.full((3, W.size), 0.6)
    m = make_method("aggregate", {"method": name})
    assert isinstance(m, Aggregation)
    np.testing.assert_allclose(m.apply(z, W), 0.6 * W.sum())


def test_only_sum_is_additive() -> None:
    additive = {n for n in NAMES if make_method("aggregate", {"method": n}).additive}  # type: ignore[attr-defined]
    assert additive == {"sum"}


# ---------------------------------------------------------------------------- weighted_mean


def test_weighted_mean_equals_sum_without_missing() -> None:
    z = _z(4)
    np.testing.assert_allclose(weighted_mean(z, W), weighted_sum(z, W))


def test_weighted_mean_skips_missing_children() -> None:
    z = _z(5)
    z[0, 3] = np.nan
    z[1, :] = np.nan
    s = weighted_mean(z, W)
    keep = np.arange(W.size) != 3
    expected = W.sum() * (z[0, keep] @ W[keep]) / W[keep].sum()
    assert s[0] == pytest.approx(expected)
    assert np.isnan(s[1])
    assert s[2] == pytest.approx(z[2] @ W)
    strict = weighted_mean(z, W, skip_missing=False)
    assert np.isnan(strict[0]) and np.isnan(strict[1])
    assert strict[2] == pytest.approx(z[2] @ W)


def test_weighted_mean_missing_zero_weight_child_is_harmless() -> None:
    z = np.array([[0.5, np.nan]])
    assert weighted_mean(z, np.array([1.0, 0.0]))[0] == 0.5


# -------------------------------------------------------------------------------- geometric


def test_geometric_below_arithmetic() -> None:
    z = _z(6)
    assert np.all(weighted_geometric_mean(z, W) <= weighted_sum(z, W) + 1e-9)


def test_geometric_zero_handling() -> None:
    z = np.full((1, W.size), 1.0)
    z[0, 0] = 0.0  # an 8-point indicator at zero
    assert Geometric(epsilon=0.0).apply(z, W)[0] == 0.0
    assert Geometric().apply(z, W)[0] == pytest.approx(100 * 0.01 ** (8 / 100))
    assert Geometric(epsilon=0.05).apply(z, W)[0] == pytest.approx(100 * 0.05 ** (8 / 100))
    # values above epsilon are untouched
    z[0, 0] = 0.5
    assert Geometric().apply(z, W)[0] == pytest.approx(100 * 0.5 ** (8 / 100))


def test_geometric_missing_and_zero_weight() -> None:
    z = np.array([[0.25, np.nan, 1.0], [np.nan, np.nan, np.nan], [0.0, 0.5, 0.5]])
    w = np.array([1.0, 1.0, 0.0])
    s = weighted_geometric_mean(z, w, epsilon=0.0)
    assert s[0] == pytest.approx(2 * 0.25)  # only child 0 counts (child 2 has weight 0)
    assert np.isnan(s[1])
    assert s[2] == 0.0


def test_geometric_rejects_bad_epsilon() -> None:
    with pytest.raises(MethodError):
        make_method("aggregate", {"method": "geometric", "epsilon": -0.1})


# ----------------------------------------------------------------------------------- topsis


def test_topsis_best_and_worst_region() -> None:
    z = _z(7)
    z[0] = 1.0
    z[1] = 0.0
    for norm in ("vector", "minmax", "none"):
        s = topsis(z, W, norm=norm)
        assert s[0] == pytest.approx(W.sum())
        assert s[1] == pytest.approx(0.0)


def test_topsis_vector_and_minmax_differ_as_expected() -> None:
    """Min-max only sees positions within each column's range, so shifting a column by a
    constant changes nothing; the vector norm divides by √Σz², so a shift changes the scores.
    Both are invariant to multiplying a column by a positive constant."""
    z = _z(8) + 0.1
    shifted = z.copy()
    shifted[:, 4] += 5.0
    scaled = z.copy()
    scaled[:, 4] *= 7.0
    mm, vec = topsis(z, W, norm="minmax"), topsis(z, W, norm="vector")
    assert not np.allclose(mm, vec)
    np.testing.assert_allclose(topsis(shifted, W, norm="minmax"), mm)
    assert not np.allclose(topsis(shifted, W, norm="vector"), vec)
    np.testing.assert_allclose(topsis(scaled, W, norm="minmax"), mm)
    np.testing.assert_allclose(topsis(scaled, W, norm="vector"), vec)


def test_topsis_constant_data_gives_half() -> None:
    z = np.full((4, 3), 0.7)
    np.testing.assert_allclose(topsis(z, np.array([1.0, 2.0, 3.0])), 3.0)


def test_topsis_constant_column_adds_nothing() -> None:
    z = _z(9)[:, :4]
    w = W[:4]
    with_const = np.column_stack([z, np.full(z.shape[0], 0.3)])
    for norm in ("vector", "minmax", "none"):
        a = topsis(z, w, norm=norm) / w.sum()
        b = topsis(with_const, np.append(w, 5.0), norm=norm) / (w.sum() + 5.0)
        np.testing.assert_allclose(a, b)


def test_topsis_fixed_ideal_does_not_depend_on_other_counties() -> None:
    z = _z(10)
    more = np.vstack([z, np.ones((1, W.size))])
    fixed = topsis(z, W, norm="none", ideal="fixed")
    np.testing.assert_allclose(topsis(more, W, norm="none", ideal="fixed")[:-1], fixed)
    observed = topsis(z, W, norm="none")
    assert not np.allclose(topsis(more, W, norm="none")[:-1], observed)
    # fixed: full marks = all points, nothing = 0
    ends = topsis(np.vstack([np.ones(W.size), np.zeros(W.size)]), W, norm="none", ideal="fixed")
    np.testing.assert_allclose(ends, [W.sum(), 0.0])


def test_topsis_missing_cells() -> None:
    z = _z(11)
    z[0, 2] = np.nan
    z[1, :] = np.nan
    s = topsis(z, W)
    assert np.isfinite(s[0]) and np.isnan(s[1]) and np.isfinite(s[2:]).all()


def test_topsis_rejects_bad_params() -> None:
    with pytest.raises(MethodError):
        make_method("aggregate", {"method": "topsis", "norm": "l1"})
    with pytest.raises(MethodError):
        make_method("aggregate", {"method": "topsis", "ideal": "best"})
    with pytest.raises(ValueError):
        topsis(_z(), W, norm="l1")
    t = Topsis()
    assert t.replace(norm="minmax").norm == "minmax" and t.norm == "vector"
