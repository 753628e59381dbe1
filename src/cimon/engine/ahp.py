"""The analytic hierarchy process (层次分析法): priorities and consistency of a pairwise comparison
matrix, with the random index tables, and the spreading of group (pillar) weights over their
indicators. The registered ``ahp`` weighting method is in :mod:`cimon.engine.weight`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cimon.engine.params import Param, check

__all__ = ["AHP_PARAMS", "RANDOM_INDEX", "ahp_weights", "spread_by_points"]


# Saaty, The Analytic Hierarchy Process (1980): the table most Chinese textbooks reproduce; its
# n = 12 entry 1.48 is as published (some reproductions print 1.54).
_RI_SAATY = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
# Alonso, J. A. & Lamata, M. T. (2006). Consistency in the analytic hierarchy process: a new
# approach. Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4):445–459
# (100 000 random matrices per n).
_RI_ALONSO_LAMATA = (
    0.0, 0.0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365,
    1.5551, 1.5713, 1.5838,
)  # fmt: skip

# Saaty, T. L. (2005). Theory and Applications of the Analytic Network Process. RWS Publications,
# p. 31: the revised table (n = 3..15), as reproduced by AHPy (P. Griffith, MIT licence).
_RI_SAATY_2005 = (
    0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
)  # fmt: skip
# Donegan, H. A. & Dodd, F. J. (1991). A note on Saaty's random indexes. Mathematical and Computer
# Modelling 15(10):135–137: estimates for n = 3..20, 25, 30, 40, …, 100 (as reproduced by AHPy);
# the n between two tabulated sizes is interpolated linearly, as AHPy does. The n = 90 value is
# below the n = 80 one in the source and is kept as published.
_DONEGAN_DODD_POINTS: dict[int, float] = {
    3: 0.4914, 4: 0.8286, 5: 1.0591, 6: 1.1797, 7: 1.2519, 8: 1.3171, 9: 1.3733, 10: 1.4055,
    11: 1.4213, 12: 1.4497, 13: 1.4643, 14: 1.4822, 15: 1.4969, 16: 1.5078, 17: 1.5153,
    18: 1.5262, 19: 1.5313, 20: 1.5371, 25: 1.5619, 30: 1.5772, 40: 1.5976, 50: 1.6102,
    60: 1.6178, 70: 1.6237, 80: 1.6277, 90: 1.6213, 100: 1.6339,
}  # fmt: skip


def _interpolated(points: dict[int, float], n_max: int) -> tuple[float, ...]:
    """RI(n) for n = 1..n_max: 0 for n ≤ 2, the tabulated values, linear in between."""
    known = sorted(points)
    out = [0.0, 0.0]
    for n in range(3, n_max + 1):
        if n in points:
            out.append(points[n])
            continue
        lo = max(k for k in known if k < n)
        hi = min(k for k in known if k > n)
        out.append(points[lo] + (points[hi] - points[lo]) * (n - lo) / (hi - lo))
    return tuple(out)


#: Random consistency index RI(n), n = 1..N (N = 15, or 100 for ``donegan_dodd``), by table name.
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    "saaty": _RI_SAATY,
    "alonso_lamata": _RI_ALONSO_LAMATA,
    "saaty_2005": _RI_SAATY_2005,
    "donegan_dodd": _interpolated(_DONEGAN_DODD_POINTS, 100),
}


#: the parameters of ``weight.ahp`` (:class:`cimon.engine.weight.Ahp`), declared here beside the
#: function that checks them
AHP_PARAMS: tuple[Param, ...] = (
    Param(
        "matrix",
        "专家两两比较的判断矩阵（空 = 同等重要）",
        "the experts' pairwise comparison matrix (empty: equal importance)",
        kind="matrix",
    ),
    Param(
        "level",
        "比较的层级：pillar（一级指标）或 indicator（指标）",
        "what is compared: pillar or indicator",
        kind="text",
        choices=("pillar", "indicator"),
    ),
    Param(
        "ri_table",
        "随机一致性指标表：saaty、alonso_lamata、saaty_2005 或 donegan_dodd（n ≤ 100）",
        "random index table: saaty, alonso_lamata, saaty_2005 or donegan_dodd (n <= 100)",
        kind="text",
        choices=tuple(RANDOM_INDEX),
    ),
    Param("max_cr", "一致性比率上限", "largest consistency ratio accepted", lo=0),
    Param(
        "accept_inconsistent",
        "一致性检验未通过时仍然使用",
        "use the matrix even when it fails the consistency check",
        kind="bool",
    ),
)


def ahp_weights(
    matrix: Sequence[Sequence[float]] | np.ndarray, ri_table: str = "saaty"
) -> tuple[np.ndarray, float, float, float]:
    """AHP priorities from a pairwise comparison matrix (层次分析法).

    ``matrix[i][j]`` says how much more important element i is than element j on Saaty's 1–9
    scale; the matrix must be positive and reciprocal (``a_ji = 1 / a_ij``, ``a_ii = 1``).

    * weights: the principal (Perron) eigenvector ``A w = λ_max w``, normalised to sum 1;
    * consistency index ``CI = (λ_max − n) / (n − 1)``;
    * consistency ratio ``CR = CI / RI(n)`` with the random index of ``ri_table`` (``saaty``:
      Saaty 1980; ``alonso_lamata``: Alonso & Lamata 2006; ``saaty_2005``: Saaty 2005;
      ``donegan_dodd``: Donegan & Dodd 1991, up to n = 100). ``CR = 0`` for n ≤ 2 (always
      consistent). Saaty's rule accepts ``CR ≤ 0.1``.

    Returns
    -------
    (weights, lambda_max, ci, cr)

    Raises
    ------
    ValueError
        if the matrix is not square, not positive, not reciprocal, or larger than the RI table
        (15 × 15; 100 × 100 for ``donegan_dodd``).

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill. Saaty, T. L. (2008).
    Decision making with the analytic hierarchy process. Int. J. Services Sciences 1(1):83–98.
    """
    check("weight.ahp", AHP_PARAMS, (), {"matrix": matrix, "ri_table": ri_table})
    a = np.asarray(matrix, float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError("the comparison matrix must be square")
    n = a.shape[0]
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("every comparison must be a positive number")
    if not np.allclose(a * a.T, 1.0, rtol=1e-3, atol=1e-3):
        bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=1e-3, atol=1e-3))[0]
        i, j = int(bad[0]), int(bad[1])
        raise ValueError(
            f"the matrix is not reciprocal: a[{i}][{j}] × a[{j}][{i}] = {a[i, j] * a[j, i]:.4g} ≠ 1"
        )
    if n > len(RANDOM_INDEX[ri_table]):
        raise ValueError(f"the random index table covers n ≤ {len(RANDOM_INDEX[ri_table])}")
    vals, vecs = np.linalg.eig(a)
    top = int(np.argmax(vals.real))
    lam = float(vals[top].real)
    w = np.abs(vecs[:, top].real)
    w = w / w.sum()
    if n <= 2:
        return w, float(n), 0.0, 0.0
    ci = (lam - n) / (n - 1)
    cr = ci / RANDOM_INDEX[ri_table][n - 1]
    return w, lam, float(ci), float(cr)


def spread_by_points(
    group_weights: np.ndarray, groups: np.ndarray, points: np.ndarray
) -> np.ndarray:
    """Indicator weights from group (pillar) weights: each indicator gets its group's weight in
    proportion to its nominal points within the group (equal shares if the group has no points).
    """
    groups = np.asarray(groups, int)
    points = np.asarray(points, float)
    out = np.zeros(groups.shape, float)
    for g, gw in enumerate(np.asarray(group_weights, float)):
        m = groups == g
        if not m.any():
            continue
        p = points[m]
        out[m] = gw * (p / p.sum() if p.sum() > 0 else np.full(p.shape, 1.0 / p.size))
    return out
