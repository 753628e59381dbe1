"""Weighting methods against published worked examples.

Every test names its source. Values are compared at the precision they were published with.
"""

from __future__ import annotations

import numpy as np
import pytest

from cimon.engine.weight import (
    RANDOM_INDEX,
    ahp_weights,
    critic_weights,
    entropy_weights,
    pca_weights,
)


def _minmax(m: np.ndarray) -> np.ndarray:
    return (m - m.min(axis=0)) / (m.max(axis=0) - m.min(axis=0))


def test_entropy_xu_2004() -> None:
    """Xu, X. (2004). A note on the subjective and objective integrated approach to determine
    attribute weights. European Journal of Operational Research 156(2):530–532.
    doi:10.1016/S0377-2217(03)00146-2.

    Matrix and weights (4 decimals) as transcribed in the test suite of pyrepo-mcda:
    energyinpython/pyrepo-mcda, tests/test_weighting_methods.py, ``Test_Entropy.test_Entropy``.
    Entropy on the raw values (p = x / Σx). The last column is almost constant (29, 29, 28.9, 29),
    so its weight rounds to 0.0000.
    """
    m = np.array([[30, 30, 38, 29], [19, 54, 86, 29], [19, 15, 85, 28.9], [68, 70, 60, 29]])
    np.testing.assert_array_equal(np.round(entropy_weights(m), 4), [0.4630, 0.3992, 0.1378, 0.0000])


def test_entropy_zavadskas_podvezko_2016() -> None:
    """Zavadskas, E. K. & Podvezko, V. (2016). Integrated determination of objective criteria
    weights in MCDM. Int. J. of Information Technology & Decision Making 15(2):267–283.

    Matrix and weights (4 decimals) from energyinpython/pyrepo-mcda,
    tests/test_weighting_methods.py, ``Test_Entropy.test_Entropy2`` (entropy on the raw values,
    criterion types not used by the entropy step).
    """
    m = np.array([[3.0, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]])
    np.testing.assert_array_equal(np.round(entropy_weights(m), 4), [0.1146, 0.1981, 0.4185, 0.2689])


@pytest.mark.parametrize("ddof", [0, 1])
def test_critic_tus_aytac_adali_2019(ddof: int) -> None:
    """Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS methods for
    the time and attendance software selection problem. Opsearch 56(2):528–538.
    doi:10.1007/s12597-019-00371-6.

    Matrix and weights (3 decimals) from energyinpython/pyrepo-mcda,
    tests/test_weighting_methods.py, ``Test_CRITIC.test_critic``: CRITIC on the min-max
    normalised matrix, every criterion normalised as a benefit criterion. pyrepo-mcda uses the
    population SD (ddof 0); with no missing values ddof 1 gives the same weights.
    """
    m = np.array(
        [
            [5000, 3, 3, 4, 3, 2],
            [680, 5, 3, 2, 2, 1],
            [2000, 3, 2, 3, 4, 3],
            [600, 4, 3, 1, 2, 2],
            [800, 2, 4, 3, 3, 4],
        ],
        float,
    )
    np.testing.assert_array_equal(
        np.round(critic_weights(_minmax(m), ddof=ddof), 3),
        [0.157, 0.249, 0.168, 0.121, 0.154, 0.151],
    )


# Saaty (2008), "Which drink is consumed more in the U.S.?": judgements a[i][j] = how much more
# element i is consumed than element j. Order: coffee, wine, tea, beer, soda, milk, water.
DRINKS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]


def test_ahp_saaty_2008_drinks() -> None:
    """Saaty, T. L. (2008). Decision making with the analytic hierarchy process. Int. J. Services
    Sciences 1(1):83–98, the drink consumption example: priorities coffee .177, wine .019,
    tea .042, beer .116, soda .190, milk .129, water .327 and CR = .022.

    The judgements and the published values (3 decimals; 4 decimals for the eigenvector) are
    transcribed in PhilipGriffith/AHPy, tests/test_ahp.py (``test_drinks_weights_precision_3_saaty``,
    ``test_drinks_weights_precision_4_dd``, ``test_drinks_cr_saaty``). AHPy's "saaty" CR uses
    RI(7) = 1.35 (Saaty 2005); with Saaty's 1980 table (RI(7) = 1.32, our default) the CR is
    0.0223, which also publishes as 0.022. λmax = 7 + 6 · CI.
    """
    w, lam, ci, cr = ahp_weights(DRINKS)
    np.testing.assert_array_equal(np.round(w, 3), [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327])
    np.testing.assert_array_equal(
        np.round(w, 4), [0.1775, 0.0191, 0.0418, 0.1164, 0.1896, 0.1288, 0.3268]
    )
    assert round(cr, 3) == 0.022
    assert round(ci / 1.35, 3) == 0.022  # the RI AHPy's published CR was computed with
    assert lam == pytest.approx(7 + 6 * ci)


def test_ahp_three_by_three_consistency_index() -> None:
    """JanCaha/FuzzyAHP, tests/testthat/test_consistencyRatio.R: the matrix
    [[1, 1/3, 5], [3, 1, 7], [1/5, 1/7, 1]] has CR = 0.0623919 (tolerance 1e-7) with RI(3) = 0.52,
    i.e. CI = 0.0623919 × 0.52 = 0.0324438. With Saaty's 1980 RI(3) = 0.58 our CR is
    CI / 0.58 = 0.05594.
    """
    m = [[1, 1 / 3, 5], [3, 1, 7], [1 / 5, 1 / 7, 1]]
    _, _, ci, cr = ahp_weights(m)
    assert ci / 0.52 == pytest.approx(0.0623919, abs=1e-7)
    assert cr == pytest.approx(ci / 0.58)
    assert round(cr, 4) == 0.0559


def test_random_index_tables() -> None:
    """Saaty (1980), *The Analytic Hierarchy Process*, the RI table for n = 1..15 (n = 12 is 1.48
    as published); Alonso & Lamata (2006), Int. J. Uncertainty, Fuzziness and Knowledge-Based
    Systems 14(4):445–459, RI from 100 000 random matrices per n."""
    assert RANDOM_INDEX["saaty"] == (
        0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
    )  # fmt: skip
    assert RANDOM_INDEX["alonso_lamata"][2:8] == (0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056)
    assert RANDOM_INDEX["alonso_lamata"][-1] == 1.5838


def test_ahp_consistent_matrix_by_hand() -> None:
    """Hand-computed: a perfectly consistent matrix a_ij = v_i / v_j with v = (4, 2, 1) has the
    priorities v / Σv = (4/7, 2/7, 1/7), λmax = n = 3, CI = 0 and CR = 0."""
    v = np.array([4.0, 2.0, 1.0])
    w, lam, ci, cr = ahp_weights(np.outer(v, 1 / v))
    np.testing.assert_allclose(w, [4 / 7, 2 / 7, 1 / 7])
    assert lam == pytest.approx(3.0)
    assert ci == pytest.approx(0.0, abs=1e-12)
    assert cr == pytest.approx(0.0, abs=1e-12)


def test_entropy_by_hand() -> None:
    """Hand-computed, n = 2 regions.

    Column 1 = (1, 0): p = (1, 0), e = −(1·ln 1 + 0·ln 0)/ln 2 = 0, d = 1.
    Column 2 = (1, 1): p = (½, ½), e = −2·½·ln ½ / ln 2 = 1, d = 0.
    Column 3 = (3, 1): p = (¾, ¼), e = −(¾ ln ¾ + ¼ ln ¼)/ln 2 = 0.811278, d = 0.188722.
    w = d / Σd = (1, 0, 0.188722) / 1.188722 = (0.841240, 0, 0.158760).
    """
    w = entropy_weights(np.array([[1.0, 1.0, 3.0], [0.0, 1.0, 1.0]]))
    np.testing.assert_allclose(w, [0.841240, 0.0, 0.158760], atol=1e-6)


def test_pca_by_hand() -> None:
    """Hand-computed. Columns 1 and 2 are perfectly correlated (r = 1), column 3 is uncorrelated
    with both (r = 0):

        R = [[1, 1, 0], [1, 1, 0], [0, 0, 1]], eigenvalues 2, 1, 0,
        PC1 = (1, 1, 0)/√2, squared loadings ∝ (½, ½, 0).
    """
    z = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    np.testing.assert_allclose(pca_weights(z), [0.5, 0.5, 0.0], atol=1e-12)
