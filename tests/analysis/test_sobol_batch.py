"""The batched Sobol' estimator gives SALib's numbers exactly, output by output (#20)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from SALib.analyze import sobol as salib_sobol

from cimon.analysis.sensitivity import analyse, analyse_all
from cimon.analysis.sobol_batch import estimate

FACTORS = ("weights", "benchmarks", "imputation", "treatment")
PROBLEM = {
    "num_vars": 7,
    "names": ["w[0]", "w[1]", "w[2]", "w[3]", "benchmarks", "imputation", "treatment"],
    "bounds": [[0.0, 1.0]] * 7,
    "groups": ["weights"] * 4 + ["benchmarks", "imputation", "treatment"],
}


def outputs(n: int = 64, seed: int = 5) -> np.ndarray:
    """Model outputs of many kinds: ranks, a real output, one barely varying, one constant,
    one with a NaN, a factor moving only some rows, a constant bootstrap."""
    rng = np.random.default_rng(seed)
    m = n * (len(FACTORS) + 2)
    cols = [rng.integers(1, 2845, m).astype(float) for _ in range(12)]
    cols.append(rng.normal(size=m) * 1e3)
    nearly = np.ones(m)
    nearly[::7] = 2.0
    cols.append(nearly)
    cols.append(np.full(m, 3.0))
    with_nan = rng.integers(1, 50, m).astype(float)
    with_nan[5] = np.nan
    cols.append(with_nan)
    one_row = np.full(m, 7.0)
    one_row[m - 1] = 9.0  # only the last B row differs
    cols.append(one_row)
    cols.append(np.repeat(np.arange(m // 2), 2).astype(float))
    return np.column_stack(cols)


def salib(y: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = salib_sobol.analyze(
            dict(PROBLEM), y, calc_second_order=False, num_resamples=100, seed=seed
        )
    return {k: np.asarray(si[k], float) for k in ("S1", "ST", "S1_conf", "ST_conf")}


@pytest.mark.parametrize("seed", [1, 7])
def test_estimate_is_salib_bit_for_bit(seed: int) -> None:
    y = outputs()
    finite = [c for c in range(y.shape[1]) if np.isfinite(y[:, c]).all() and np.ptp(y[:, c])]
    got = estimate(y[:, finite], len(FACTORS), 100, seed, block=5)  # blocks of uneven size
    for k, c in enumerate(finite):
        want = salib(y[:, c], seed)
        for key, value in want.items():
            np.testing.assert_array_equal(getattr(got, key)[k], value, err_msg=f"{c} {key}")
    assert (got.S1_conf[:12] > 0).all()  # the ranks: real intervals, not zeros


def test_analyse_all_is_analyse_of_each_column() -> None:
    y = outputs(32, seed=11)
    steps: list[int] = []
    every = analyse_all(PROBLEM, y, 100, 3, steps.append)
    assert len(every) == y.shape[1] == sum(steps)
    for c, si in enumerate(every):
        one = analyse(PROBLEM, y[:, c], 100, 3)
        assert si.factors == one.factors == FACTORS
        for key in ("S1", "ST", "S1_conf", "ST_conf"):
            np.testing.assert_array_equal(getattr(si, key), getattr(one, key))
    assert np.isnan(every[14].S1).all() and np.isnan(every[15].ST).all()  # constant, NaN


def test_estimate_needs_a_seed_and_the_design_size() -> None:
    y = outputs(16)[:, :2]
    with pytest.raises(ValueError, match="seed"):
        estimate(y, len(FACTORS), 100, 0)
    with pytest.raises(ValueError, match="multiple"):
        estimate(y[:-1], len(FACTORS), 100, 1)
