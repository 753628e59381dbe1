"""Principal components of the indicators and Cronbach's α: the statistical coherence checks of a
framework (is a pillar one dimension? how much of the data does it summarise?), beyond the
first-component weights of ``weight.pca`` (:func:`cimon.engine.objective.pca_weights`).

References
----------
OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User Guide*,
part 1 step 4 and part 2 chapter 3 (multivariate analysis: principal components analysis — the
eigenvalues, the variance each component explains, the loadings, keeping components with an
eigenvalue above 1 — and the Cronbach coefficient alpha).
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. *Psychometrika*
16(3):297–334.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PCAResult", "cronbach_alpha", "principal_components"]


@dataclass(frozen=True)
class PCAResult:
    """Principal components of the correlation matrix of ``k`` indicators.

    Attributes
    ----------
    eigenvalues:
        the ``k`` eigenvalues λ₁ ≥ λ₂ ≥ … ≥ 0 of the correlation matrix (they sum to ``k``).
    variance_explained:
        ``λ_m / Σλ``: the share of the total (standardised) variance each component explains.
    cumulative:
        the running sum of ``variance_explained``.
    vectors:
        ``k × k``, column m the unit eigenvector of λ_m, its sign fixed so its entries sum ≥ 0.
    loadings:
        ``vectors · √λ``: the correlation of each indicator with each component.
    n:
        the number of complete rows used.
    """

    eigenvalues: np.ndarray
    variance_explained: np.ndarray
    cumulative: np.ndarray
    vectors: np.ndarray
    loadings: np.ndarray
    n: int

    @property
    def retained(self) -> int:
        """Components with an eigenvalue above 1 (Kaiser's rule, the Handbook's first criterion)."""
        return int((self.eigenvalues > 1.0).sum())

    def pc1_weights(self) -> np.ndarray:
        """Squared first-component loadings normalised to sum 1 (``weight.pca``'s weights when no
        row is missing and no column is constant)."""
        v = self.vectors[:, 0] ** 2
        return np.asarray(v / v.sum())


def _complete(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, float)
    if z.ndim != 2:
        raise ValueError("z must be units × indicators")
    return z[~np.isnan(z).any(axis=1)]


def principal_components(z: np.ndarray) -> PCAResult:
    """Principal components analysis of the indicators' correlation matrix.

    ``R = corr(z)`` over the complete rows (a row with any missing indicator is left out);
    ``R v_m = λ_m v_m``, eigenvalues in decreasing order; loadings ``v_m √λ_m``; variance explained
    ``λ_m / k``. Raises ``ValueError`` with fewer than 2 complete rows or a constant column (its
    correlations are undefined: leave it out first).
    """
    x = _complete(z)
    if x.shape[0] < 2:
        raise ValueError("principal components need at least 2 complete rows")
    sd = x.std(axis=0, ddof=1)
    if np.any(sd == 0):
        raise ValueError("a constant column has no correlations; leave it out")
    r = np.corrcoef(x, rowvar=False).reshape(x.shape[1], x.shape[1])
    vals, vecs = np.linalg.eigh(r)
    order = np.argsort(vals)[::-1]
    vals = np.clip(vals[order], 0.0, None)
    vecs = vecs[:, order]
    vecs = vecs * np.where(vecs.sum(axis=0) < 0, -1.0, 1.0)
    share = vals / vals.sum()
    return PCAResult(
        eigenvalues=vals,
        variance_explained=share,
        cumulative=np.cumsum(share),
        vectors=vecs,
        loadings=vecs * np.sqrt(vals),
        n=int(x.shape[0]),
    )


def cronbach_alpha(z: np.ndarray) -> float:
    """Cronbach's α of the ``k`` indicators (columns), over the complete rows:

    .. math::

        \\alpha = \\frac{k}{k - 1} \\left(1 - \\frac{\\sum_j \\sigma_j^2}{\\sigma_T^2}\\right)

    with ``σ_j²`` each indicator's sample variance and ``σ_T²`` that of their row sums. 1 when the
    indicators move together perfectly; the Handbook reads ≥ 0.7 as a coherent set. NaN with fewer
    than 2 columns or 2 complete rows, or when the sum is constant.
    """
    x = _complete(z)
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    total = x.sum(axis=1).var(ddof=1)
    if total == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - x.var(axis=0, ddof=1).sum() / total))
