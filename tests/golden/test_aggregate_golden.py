"""Aggregation methods against published worked examples and hand-computed cases.

Our aggregations return scores on the scale of Σw, so weights that sum to 1 give the plain index
(TOPSIS closeness in [0, 1], a mean, a geometric mean).
"""

from __future__ import annotations

import numpy as np
import pytest

from cimon.engine.aggregate import topsis, weighted_geometric_mean, weighted_mean


def test_topsis_tzeng_huang_2011() -> None:
    """Tzeng, G.-H. & Huang, J.-J. (2011). *Multiple Attribute Decision Making: Methods and
    Applications*. CRC Press — the TOPSIS worked example, as used by scikit-criteria:
    quatrope/scikit-criteria, tests/agg/test_similarity.py, ``test_TOPSIS_tzeng2011multiple``.

    Four alternatives, three benefit criteria, weights (0.3, 0.4, 0.3), vector normalisation;
    relative closeness 0.5037, 0.6581, 0.7482, 0.3340 (ranks 3, 2, 1, 4), compared at 1e-4.
    """
    m = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], float)
    c = topsis(m, np.array([0.3, 0.4, 0.3]), norm="vector")
    np.testing.assert_allclose(c, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)
    # on the points scale (weights 30/40/30 points) the score is 100 × closeness
    np.testing.assert_allclose(topsis(m, np.array([30.0, 40.0, 30.0])), 100 * c)


def test_topsis_scikit_criteria_unnormalised() -> None:
    """quatrope/scikit-criteria, tests/agg/test_similarity.py, ``test_TOPSIS``: matrix
    [[1, 0, 3], [0, 5, 6]], equal weights, no normalisation inside TOPSIS; ideal (1, 5, 6),
    anti-ideal (0, 0, 3), similarity 0.14639248 and 0.85360752. Our ``norm="none"``.

    By hand: d⁺₁ = ⅓·√(0 + 25 + 9) = √34/3, d⁻₁ = ⅓·√(1 + 0 + 0) = 1/3,
    C₁ = 1/(1 + √34) = 0.146392.
    """
    z = np.array([[1.0, 0.0, 3.0], [0.0, 5.0, 6.0]])
    c = topsis(z, np.ones(3) / 3, norm="none")
    np.testing.assert_allclose(c, [0.14639248, 0.85360752], atol=1e-8)
    assert c[0] == pytest.approx(1 / (1 + np.sqrt(34)))


def test_topsis_minmax_by_hand() -> None:
    """Hand-computed, min-max normalisation, weights (1, 1) so Σw = 2.

    z = [[0.2, 0.4], [0.6, 0.4], [1.0, 0.8]]
    min-max: column 1 (z − 0.2)/0.8 = (0, 0.5, 1); column 2 (z − 0.4)/0.4 = (0, 0, 1).
    Ideal (1, 1), anti-ideal (0, 0).
    Region 2, v = (0.5, 0): d⁺ = √(0.25 + 1) = √5/2, d⁻ = 0.5, C = 0.5/(0.5 + √5/2) = 1/(1 + √5)
    = 0.309017; score 2 · C = 0.618034. Region 1 is the anti-ideal (C = 0), region 3 the ideal
    (C = 1).
    """
    z = np.array([[0.2, 0.4], [0.6, 0.4], [1.0, 0.8]])
    s = topsis(z, np.array([1.0, 1.0]), norm="minmax")
    np.testing.assert_allclose(s, [0.0, 2 / (1 + np.sqrt(5)), 2.0], atol=1e-12)


def test_geometric_by_hand() -> None:
    """Hand-computed weighted geometric means (points scale Σw = 100).

    * z = (0.25, 1), w = (50, 50): 100 · 0.25^0.5 · 1^0.5 = 50.
    * z = (1/16, 1), w = (25, 75): 100 · (1/16)^0.25 = 100 · 0.5 = 50.
    * z = (0, 1), w = (50, 50), ε = 0.01: 100 · 0.01^0.5 = 10; ε = 0: 0.
    * arithmetic on the first: 0.25·50 + 1·50 = 62.5 ≥ 50 (AM ≥ GM).
    """
    assert weighted_geometric_mean(np.array([[0.25, 1.0]]), np.array([50.0, 50.0]))[
        0
    ] == pytest.approx(50.0)
    assert weighted_geometric_mean(np.array([[1 / 16, 1.0]]), np.array([25.0, 75.0]))[
        0
    ] == pytest.approx(50.0)
    zero = np.array([[0.0, 1.0]])
    assert weighted_geometric_mean(zero, np.array([50.0, 50.0]))[0] == pytest.approx(10.0)
    assert weighted_geometric_mean(zero, np.array([50.0, 50.0]), epsilon=0.0)[0] == 0.0
    assert weighted_mean(np.array([[0.25, 1.0]]), np.array([50.0, 50.0]))[0] == 62.5


def test_weighted_mean_missing_by_hand() -> None:
    """Hand-computed, COINr-style skipping of missing children (a_amean drops NA and
    re-normalises the weights of the rest).

    z = (0.8, NaN, 0.2), w = (0.5, 0.3, 0.2) (Σw = 1):
    (0.5·0.8 + 0.2·0.2) / (0.5 + 0.2) = 0.44 / 0.7 = 0.628571.
    """
    z = np.array([[0.8, np.nan, 0.2]])
    w = np.array([0.5, 0.3, 0.2])
    assert weighted_mean(z, w)[0] == pytest.approx(0.44 / 0.7)
    assert np.isnan(weighted_mean(z, w, skip_missing=False)[0])
