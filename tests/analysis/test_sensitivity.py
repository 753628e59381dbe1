"""Sobol' indices: SALib wiring checked on the Ishigami function, then on the county ranks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.test_functions import Ishigami

from cimon.analysis.assumptions import load_assumptions
from cimon.analysis.errors import AnalysisError
from cimon.analysis.sensitivity import (
    SobolResult,
    analyse,
    rank_sensitivity,
    robustness_steps,
    sobol_indices,
)
from cimon.engine.run import Run


def test_ishigami_indices_match_the_analytic_values() -> None:
    """Ishigami & Homma (1990), a = 7, b = 0.1, inputs U(−π, π). Analytic indices (Sobol' &
    Levitan 1999; SALib's documentation): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2,
    S1 = (bπ⁴/5 + b²π⁸/50 + 1/2)/V, S2 = (a²/8)/V, S3 = 0; ST1 = S1 + S13, ST2 = S2,
    ST3 = S13 = (8b²π⁸/225)/V."""
    a, b, pi = 7.0, 0.1, math.pi
    v = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    s1 = (b * pi**4 / 5 + b**2 * pi**8 / 50 + 0.5) / v
    s2 = (a**2 / 8) / v
    s13 = (8 * b**2 * pi**8 / 225) / v
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-pi, pi]] * 3}
    (si,) = sobol_indices(problem, Ishigami.evaluate, 2**13, seed=1)
    np.testing.assert_allclose(si.S1, [s1, s2, 0.0], atol=0.03)
    np.testing.assert_allclose(si.ST, [s1 + s13, s2, s13], atol=0.03)
    assert (si.S1_conf > 0).all() and si.frame().shape == (3, 4)


def test_base_sample_must_be_a_power_of_two() -> None:
    with pytest.raises(AnalysisError, match="2 的幂"):
        sobol_indices({"num_vars": 1, "names": ["x"], "bounds": [[0, 1]]}, np.sin, 100, 1)


def test_an_output_that_never_changes_has_no_indices() -> None:
    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}
    si = analyse(problem, np.full(2 * 4 * 8, 3.0))
    assert np.isnan(si.S1).all() and np.isnan(si.ST).all()


def test_rank_sensitivity_on_the_demo(demo_runs: dict[int, Run]) -> None:
    res = rank_sensitivity(demo_runs[2025], load_assumptions("default"), n=64, seed=2)
    assert res.factors == ("weights", "benchmarks", "imputation", "treatment")
    assert res.evaluations == 64 * (4 + 2)
    m = res.mean_rank_shift.frame()
    # the demo has no missing data and no outliers beyond the winsorising limits: those two
    # assumptions cannot move any rank, the weights move most
    assert m.loc["imputation", "ST"] == 0 and m.loc["treatment", "ST"] == 0
    assert m.loc["weights", "ST"] > m.loc["benchmarks", "ST"] > 0
    assert len(res.counties) == 22 * 4
    back = SobolResult.from_json(res.to_json())
    assert back.factors == res.factors
    np.testing.assert_array_equal(back.mean_rank_shift.ST, res.mean_rank_shift.ST)


@pytest.mark.parametrize("previous_mode", ["joint", "fixed", None])
def test_robustness_steps_count_every_progress_step(
    demo_runs: dict[int, Run], previous_mode: str | None
) -> None:
    """The progress bar of ``cimon robustness`` is as long as the steps reported: Monte Carlo
    replicates (twice for a jointly re-scored last year), then the Sobol' design and outputs."""
    from cimon.analysis.rules import load_rules
    from cimon.analysis.uncertainty import monte_carlo

    aset = load_assumptions("default")
    run, prev = demo_runs[2025], demo_runs[2024] if previous_mode else None
    steps: list[int] = []
    monte_carlo(
        run,
        aset,
        8,
        seed=3,
        previous=prev,
        rules=load_rules("nx-2021") if prev is not None else None,
        previous_mode=previous_mode or "joint",
        progress=steps.append,
    )
    rank_sensitivity(run, aset, n=16, seed=3, progress=steps.append)
    joint = previous_mode == "joint"
    assert sum(steps) == robustness_steps(run, aset, 8, 16, joint=joint)
    assert robustness_steps(run, aset, 8, 0, joint=joint) == 8 * (2 if joint else 1)
