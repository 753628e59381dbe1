"""Behaviour of the weighting methods (cimon.engine.weight)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimon.engine.base import make_method, registered
from cimon.engine.weight import (
    Ahp,
    Critic,
    Entropy,
    Pca,
    WeightContext,
    ahp_weights,
    critic_weights,
    entropy_weights,
    pca_weights,
    spread_by_points,
)
from cimon.errors import MethodError

POINTS = np.array([8.0, 6.0, 6.0, 10.0, 5.0, 5.0, 20.0, 15.0, 15.0, 10.0])
PILLARS = np.array([0, 0, 0, 1, 1, 1, 2, 2, 3, 4])


def _ctx(raw: np.ndarray | None = None, points: np.ndarray = POINTS) -> WeightContext:
    return WeightContext(
        points=points,
        pillars=PILLARS[: points.size],
        raw=raw,
        total=float(points.sum()),
        pillar_codes=("投入", "主体", "条件", "产出", "管理"),
    )


def _z(seed: int = 0, n: int = 22) -> np.ndarray:
    return np.random.default_rng(seed).random((n, POINTS.size))


@pytest.mark.parametrize("name", [n for _, n in registered("weight")])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_method_sums_to_total(name: str, seed: int) -> None:
    z = _z(seed)
    m = make_method("weight", {"method": name})
    w = m.apply(z, _ctx(raw=z * 100))
    assert w.shape == (POINTS.size,)
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(100.0)


@pytest.mark.parametrize("name", [n for _, n in registered("weight")])
def test_params_round_trip_through_the_log(name: str) -> None:
    m = make_method("weight", {"method": name})
    spec = json.loads(json.dumps(m.spec()))  # the log stores tuples as lists
    again = make_method("weight", spec)
    assert again == m
    assert hash(again) == hash(m)


def test_new_methods_are_registered() -> None:
    names = {n for _, n in registered("weight")}
    assert {"points", "equal", "entropy", "critic", "ahp", "pca"} <= names


# ---------------------------------------------------------------------------------- entropy


def test_entropy_scale_invariant_per_column() -> None:
    """p = x / Σx does not change when a column is multiplied by a positive constant."""
    x = _z(3) + 0.1
    y = x.copy()
    y[:, 2] *= 1000.0
    np.testing.assert_allclose(entropy_weights(x), entropy_weights(y))


def test_entropy_skips_missing_values() -> None:
    """A missing value is left out of its column: column 0's d is computed on its 20 present
    values, the other columns on all 22."""
    x = _z(4)
    x[[1, 5], 0] = np.nan
    w = entropy_weights(x)
    assert np.isfinite(w).all() and w.sum() == pytest.approx(1.0)

    def d(col: np.ndarray) -> float:
        col = col[~np.isnan(col)]
        p = col / col.sum()
        return float(1 + np.sum(p * np.log(p)) / np.log(col.size))

    ds = np.array([d(x[:, j]) for j in range(x.shape[1])])
    np.testing.assert_allclose(w, ds / ds.sum())


def test_entropy_constant_and_empty_columns_get_zero() -> None:
    x = _z(5)
    x[:, 1] = 0.7
    x[:, 2] = 0.0
    x[:, 3] = np.nan
    x[1:, 4] = np.nan  # one present value
    w = entropy_weights(x)
    assert w[1] == w[2] == w[3] == w[4] == 0.0
    assert w.sum() == pytest.approx(1.0)


def test_entropy_all_constant_falls_back_to_equal() -> None:
    np.testing.assert_allclose(entropy_weights(np.ones((5, 4))), np.full(4, 0.25))


def test_entropy_zero_convention_and_shift_variant() -> None:
    x = np.array([[0.0, 0.5], [1.0, 0.5], [1.0, 1.0]])
    plain = entropy_weights(x)
    shifted = entropy_weights(x, shift=1e-4)
    assert np.isfinite(plain).all()
    assert not np.allclose(plain, shifted, rtol=0, atol=1e-9)
    np.testing.assert_allclose(plain, shifted, atol=1e-3)


def test_entropy_on_raw_uses_context_raw() -> None:
    z = _z(6)
    raw = _z(7) * 50
    w_norm = Entropy().apply(z, _ctx(raw=raw))
    w_raw = Entropy(on="raw").apply(z, _ctx(raw=raw))
    np.testing.assert_allclose(w_norm, entropy_weights(z) * 100)
    np.testing.assert_allclose(w_raw, entropy_weights(raw) * 100)


def test_entropy_on_raw_errors_are_bilingual() -> None:
    z = _z(8)
    with pytest.raises(MethodError) as no_raw:
        Entropy(on="raw").apply(z, _ctx(raw=None))
    assert "熵权法" in str(no_raw.value) and "Entropy" in str(no_raw.value)
    raw = z - 0.5  # negative growth rates, say
    with pytest.raises(MethodError, match="on=normalised"):
        Entropy(on="raw").apply(z, _ctx(raw=raw))


def test_entropy_rejects_bad_params() -> None:
    with pytest.raises(MethodError):
        make_method("weight", {"method": "entropy", "on": "both"})
    with pytest.raises(MethodError):
        make_method("weight", {"method": "entropy", "shift": -1})


# ----------------------------------------------------------------------------------- critic


def test_critic_constant_column_gets_zero_and_leaves_others_unchanged() -> None:
    z = _z(9)
    with_const = z.copy()
    with_const[:, 3] = 0.4
    w = critic_weights(with_const)
    assert w[3] == 0.0
    without = critic_weights(np.delete(z, 3, axis=1))
    np.testing.assert_allclose(np.delete(w, 3), without)


def test_critic_ddof_matters_only_with_unequal_counts() -> None:
    z = _z(10)
    np.testing.assert_allclose(critic_weights(z, 0), critic_weights(z, 1))
    z[:4, 0] = np.nan
    assert not np.allclose(critic_weights(z, 0), critic_weights(z, 1))
    assert critic_weights(z, 1).sum() == pytest.approx(1.0)


def test_critic_favours_conflicting_indicators() -> None:
    """Two copies of the same indicator share their information; an independent one with the
    same spread gets more weight."""
    rng = np.random.default_rng(11)
    a = rng.random(30)
    b = rng.random(30)
    w = critic_weights(np.column_stack([a, a, b * a.std() / b.std()]))
    assert w[2] > w[0] == pytest.approx(w[1])


def test_critic_all_constant_falls_back_to_equal() -> None:
    np.testing.assert_allclose(critic_weights(np.zeros((4, 5))), np.full(5, 0.2))


def test_critic_class_scales_to_total() -> None:
    z = _z(12)
    np.testing.assert_allclose(Critic(ddof=0).apply(z, _ctx()), critic_weights(z, 0) * 100)
    with pytest.raises(MethodError):
        make_method("weight", {"method": "critic", "ddof": 2})


# -------------------------------------------------------------------------------------- pca


def test_pca_invariant_to_flipping_an_indicator() -> None:
    """Squared loadings: reversing an indicator's direction (1 − z) leaves the weights alone."""
    z = _z(13)
    flipped = z.copy()
    flipped[:, 2] = 1 - flipped[:, 2]
    np.testing.assert_allclose(pca_weights(z), pca_weights(flipped), atol=1e-12)


def test_pca_constant_and_missing() -> None:
    z = _z(14)
    z[:, 0] = 1.0
    z[[2, 3], 4] = np.nan
    w = pca_weights(z)
    assert w[0] == 0.0
    assert np.isfinite(w).all() and w.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(Pca().apply(z, _ctx()), w * 100)


# -------------------------------------------------------------------------------------- ahp


INCONSISTENT = ((1, 9, "1/9"), ("1/9", 1, 9), (9, "1/9", 1))


def test_ahp_refuses_inconsistent_matrix() -> None:
    ctx = _ctx(points=np.array([10.0, 20.0, 30.0, 40.0]))
    ctx = WeightContext(points=ctx.points, pillars=np.array([0, 1, 2, 2]), total=100.0)
    m = Ahp(matrix=INCONSISTENT)
    with pytest.raises(MethodError) as err:
        m.apply(np.zeros((3, 4)), ctx)
    text = str(err.value)
    assert "CR" in text and "一致性" in text and "accept_inconsistent" in text
    w = m.replace(accept_inconsistent=True).apply(np.zeros((3, 4)), ctx)
    assert w.sum() == pytest.approx(100.0)


def test_ahp_max_cr_threshold() -> None:
    m = [[1, 1 / 3, 5], [3, 1, 7], [1 / 5, 1 / 7, 1]]  # CR ≈ 0.056 (Saaty RI)
    ctx = WeightContext(points=np.ones(3), pillars=np.arange(3), total=3.0)
    Ahp(matrix=m).apply(np.zeros((2, 3)), ctx)
    with pytest.raises(MethodError):
        Ahp(matrix=m, max_cr=0.05).apply(np.zeros((2, 3)), ctx)


def test_ahp_pillar_level_distributes_by_points() -> None:
    points = np.array([10.0, 30.0, 20.0, 20.0, 20.0])
    ctx = WeightContext(points=points, pillars=np.array([0, 0, 1, 1, 1]), total=100.0)
    w = Ahp(matrix=((1, 3), ("1/3", 1))).apply(np.zeros((4, 5)), ctx)
    # pillar weights 0.75 / 0.25; pillar 0 shared 10:30, pillar 1 shared equally
    np.testing.assert_allclose(w, [18.75, 56.25, 25 / 3, 25 / 3, 25 / 3])


def test_ahp_indicator_level_and_default_matrix() -> None:
    ctx = _ctx()
    z = _z(15)
    w = Ahp(level="indicator").apply(z, ctx)
    np.testing.assert_allclose(w, np.full(POINTS.size, 10.0))
    # default at pillar level: equal pillars, indicators by points within their pillar
    w = Ahp().apply(z, ctx)
    np.testing.assert_allclose(w, spread_by_points(np.full(5, 0.2), PILLARS, POINTS) * 100)
    np.testing.assert_allclose(w[:3], [20 * 8 / 20, 20 * 6 / 20, 20 * 6 / 20])


def test_ahp_wrong_size_and_non_reciprocal_are_method_errors() -> None:
    ctx = _ctx()
    with pytest.raises(MethodError, match="5×5"):
        Ahp(matrix=((1, 2), (0.5, 1))).apply(_z(), ctx)
    bad = np.ones((5, 5))
    bad[0, 1] = 3.0  # bad[1, 0] stays 1
    with pytest.raises(MethodError, match="reciprocal"):
        Ahp(matrix=tuple(map(tuple, bad))).apply(_z(), ctx)
    with pytest.raises(MethodError):
        make_method("weight", {"method": "ahp", "level": "county"})
    with pytest.raises(MethodError):
        make_method("weight", {"method": "ahp", "matrix": [[1, 2, 3], [1, 2]]})


def test_ahp_accepts_lists_and_fraction_strings() -> None:
    m = make_method("weight", {"method": "ahp", "matrix": [[1, "1/3"], ["3", 1]]})
    assert isinstance(m, Ahp)
    assert m.matrix == ((1.0, 1 / 3), (3.0, 1.0))
    hash(m)


def test_ahp_ri_table_choice() -> None:
    m = [[1, 1 / 3, 5], [3, 1, 7], [1 / 5, 1 / 7, 1]]
    _, _, ci, cr_saaty = ahp_weights(m, "saaty")
    _, _, _, cr_al = ahp_weights(m, "alonso_lamata")
    assert cr_saaty == pytest.approx(ci / 0.58)
    assert cr_al == pytest.approx(ci / 0.5245)
    assert cr_al > cr_saaty  # the Alonso–Lamata RI is smaller, hence stricter
    with pytest.raises(ValueError):
        ahp_weights(m, "other")


def test_ahp_small_and_large_matrices() -> None:
    w, lam, ci, cr = ahp_weights([[1, 4], [0.25, 1]])
    np.testing.assert_allclose(w, [0.8, 0.2])
    assert (lam, ci, cr) == (2.0, 0.0, 0.0)
    w, *_ = ahp_weights([[1]])
    np.testing.assert_allclose(w, [1.0])
    with pytest.raises(ValueError, match="15"):
        ahp_weights(np.ones((16, 16)))
    with pytest.raises(ValueError):
        ahp_weights([[1, -2], [-0.5, 1]])
