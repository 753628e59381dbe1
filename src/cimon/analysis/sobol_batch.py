"""SALib's Sobol' estimator on many outputs at once, with the same numbers (#20).

:func:`SALib.analyze.sobol.analyze` (first-order and total indices, no second order) takes one
output at a time: for the national registry's 2,844 county ranks that was 12 ms an output, half
a minute in all, mostly Python overhead and work it repeats — the bootstrap resamples and the
variance of the resampled outputs are recomputed for every factor and for both indices, though
they do not depend on either.

:func:`estimate` computes the indices of a block of outputs in one pass of array operations and
every shared quantity once. It reproduces SALib bit for bit, not just to rounding: the same
resample indices (SALib draws them from ``default_rng(seed)`` afresh for every output, so they
are the same for all), and every sum taken in SALib's order — pairwise along a contiguous row
where SALib sums a one-dimensional array (the normalisation, the point estimates, the spread
of the bootstrap), one row after another where SALib sums down the columns of the resampled
matrix. ``tests/analysis/test_sobol_batch.py`` compares it with SALib output by output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

#: outputs estimated together (bounds the resampled arrays to about N × resamples × BLOCK × 8
#: bytes each: 3 MB for N = 256, 100 resamples)
BLOCK = 16

_EPS = np.finfo(float).eps


@dataclass(frozen=True)
class Estimates:
    """The indices of K outputs over D factors, each K × D."""

    S1: np.ndarray
    ST: np.ndarray
    S1_conf: np.ndarray
    ST_conf: np.ndarray


def _ratio(num: np.ndarray, var: np.ndarray) -> np.ndarray:
    """SALib's ``np.divide(num, var, out=zeros, where=var > eps)``."""
    return np.divide(num, var, out=np.zeros_like(var, dtype=np.float64), where=var > _EPS)


def estimate(
    y: np.ndarray,
    factors: int,
    num_resamples: int = 100,
    seed: int = 1,
    conf_level: float = 0.95,
    block: int = BLOCK,
) -> Estimates:
    """First-order and total indices with their bootstrap half-widths of every column of ``y``
    (model evaluations in SALib's Sobol' design without second order: ``N × (factors + 2)``
    rows), exactly as ``SALib.analyze.sobol.analyze(problem, y[:, k], calc_second_order=False,
    num_resamples=num_resamples, conf_level=conf_level, seed=seed)`` for each column ``k``.

    ``seed`` must be a positive integer (SALib draws unseeded resamples otherwise). The columns
    must be finite and vary (the caller gives the others no indices)."""
    if seed is None or not seed:
        raise ValueError("the batched estimator needs a seed")
    m, k_all = y.shape
    step = factors + 2
    if m % step:
        raise ValueError(f"{m} evaluations is not a multiple of {step}")
    n = m // step
    r = np.random.default_rng(seed).integers(n, size=(n, num_resamples))
    z = norm.ppf(0.5 + conf_level / 2)
    drawn = np.unique(r)  # the rows some resample takes
    # normalised as SALib does, (Y − mean) / std, each output a contiguous row
    t = np.ascontiguousarray(y.T, dtype=float)
    t = (t - t.mean(axis=1, keepdims=True)) / t.std(axis=1, keepdims=True)
    a = np.ascontiguousarray(t[:, 0::step])
    b = np.ascontiguousarray(t[:, step - 1 :: step])
    ab = [np.ascontiguousarray(t[:, j + 1 :: step]) for j in range(factors)]

    out = Estimates(*(np.zeros((k_all, factors)) for _ in range(4)))
    # point estimates: SALib's one-dimensional sums, pairwise along each row
    both = np.concatenate([a, b], axis=1)
    const = np.ptp(both, axis=1) <= _EPS
    var = np.var(both, axis=1)
    for j in range(factors):
        out.S1[:, j] = _ratio(np.mean(b * (ab[j] - a), axis=1), var)
        out.ST[:, j] = _ratio(0.5 * np.mean((a - ab[j]) ** 2, axis=1), var)
    out.S1[const] = 0.0
    out.ST[const] = 0.0
    for lo in range(0, k_all, block):
        cols = slice(lo, min(lo + block, k_all))
        s1c, stc = _conf(a[cols], b[cols], [x[cols] for x in ab], r, drawn, z)
        out.S1_conf[cols] = s1c
        out.ST_conf[cols] = stc
    return out


def _conf(
    a: np.ndarray,
    b: np.ndarray,
    ab: Sequence[np.ndarray],
    r: np.ndarray,
    drawn: np.ndarray,
    z: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The bootstrap half-widths of a block of outputs (rows of ``a``, ``b``, ``ab[j]``).

    The resampled values are laid out resample-row × resample × output, so that summing over
    the first axis adds one row after another, as SALib's ``axis=0`` sums of an N × resamples
    matrix do; the spread of each output's resampled indices is then a contiguous row."""
    at, bt = a.T, b.T
    both = np.concatenate([at[r], bt[r]], axis=0)  # N × resamples × outputs, twice
    var = np.var(both, axis=0)
    # SALib's var_diff (and first_order's constant check): the range of the resampled values,
    # which is the range of the rows drawn at least once (max and min are exact in any order)
    spread = np.maximum(at[drawn].max(axis=0), bt[drawn].max(axis=0)) - np.minimum(
        at[drawn].min(axis=0), bt[drawn].min(axis=0)
    )
    live = spread != 0.0
    flat = spread <= _EPS
    s1c = np.zeros((a.shape[0], len(ab)))
    stc = np.zeros((a.shape[0], len(ab)))
    for j, abj in enumerate(ab):
        # the products are elementwise, so take them before resampling: the same numbers
        first = (bt * (abj.T - at))[r]
        total = ((at - abj.T) ** 2)[r]
        for target, num in (
            (s1c, np.mean(first, axis=0)),
            (stc, 0.5 * np.mean(total, axis=0)),
        ):
            est = _ratio(num, var)
            est[:, flat] = 0.0
            sd = np.ascontiguousarray(est.T).std(axis=1, ddof=1)
            target[:, j] = np.where(live, z * sd, 0.0)
    return s1c, stc
