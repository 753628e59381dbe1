"""The fast replicate path agrees with the pipeline; vectorised ranks and classes agree with the
engine's."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from scipy.stats import rankdata

from cimon.analysis.assumptions import load_assumptions
from cimon.analysis.replicates import (
    Replicator,
    cent_thresholds,
    check_fast_path,
    classes_of_cents,
    rank_rows,
)
from cimon.analysis.uncertainty import uniforms
from cimon.engine.classify import class_index, classify, published, rank_desc
from cimon.engine.run import Run


@pytest.mark.parametrize("ties", ["min", "max", "dense"])
def test_rank_rows_matches_scipy(ties: str) -> None:
    rng = np.random.default_rng(1)
    for _ in range(100):
        m, n = int(rng.integers(1, 70)), int(rng.integers(1, 50))
        c = rng.integers(-30, 30, (m, n)) * int(rng.integers(1, 4))
        assert np.array_equal(rank_rows(c, ties), rankdata(-c, axis=1, method=ties))
    wide = rng.integers(0, 10**9, (5, 40))  # a very wide range takes the sorting route
    assert np.array_equal(rank_rows(wide, ties), rankdata(-wide, axis=1, method=ties))


def test_rank_rows_matches_the_engine_on_published_scores() -> None:
    rng = np.random.default_rng(2)
    scores = rng.uniform(40, 95, (30, 25)).round(3)
    cents = np.rint(scores * 100).astype(np.int32)
    for s, r in zip(scores, rank_rows(cents), strict=True):
        assert np.array_equal(r, rank_desc(published(s)))


def test_classes_by_cents_equal_classify_on_published_scores() -> None:
    rng = np.random.default_rng(3)
    labels = ("A", "B", "C")
    for minimums in ((80.0, 60.0, None), (79.995, 60.004, None), (85.5, 70.25, None)):
        edges = cent_thresholds(minimums, 2)
        assert edges is not None
        scores = np.concatenate(
            [rng.uniform(50, 95, 500), [79.995, 79.994999, 80.0, 59.995, 60.0, 60.004, 60.005]]
        )
        pub = published(scores)
        cents = np.rint(scores * 100).astype(np.int32)
        want = classify(pub, minimums, labels)
        got = np.asarray(labels, dtype=object)[classes_of_cents(cents, edges)]
        assert np.array_equal(got, want), minimums
        assert np.array_equal(np.asarray(labels, dtype=object)[class_index(pub, minimums)], want)
    assert cent_thresholds((60.0, 80.0, None), 2) is None  # not decreasing: the general route


@pytest.mark.parametrize("which", ["default", "methods"])
def test_the_fast_path_equals_run_log(demo_runs: dict[int, Run], which: str) -> None:
    """Every replicate checked here is also run through apply_overrides + run_log (the one
    pipeline path); scores agree to 1e-9 points and classes exactly."""
    rep = Replicator(demo_runs[2025], load_assumptions(which))
    draws = rep.draw(uniforms(11, 60, rep.width))
    assert check_fast_path(rep, draws, range(0, 60, 5)) < 1e-9
    # and evaluate() gives what score() gives replicate by replicate
    out = rep.evaluate(draws)
    for r in range(0, 60, 13):
        pts = None if draws.points is None else draws.points[r][None, :]
        np.testing.assert_allclose(out.scores[r], rep.score(draws.levels[r], pts)[0], atol=1e-12)


def test_the_early_stages_run_once_per_combination(demo_runs: dict[int, Run]) -> None:
    rep = Replicator(demo_runs[2025], load_assumptions("default"))
    rep.evaluate(rep.draw(uniforms(1, 300, rep.width)))
    # benchmarks (11) × imputation (3) × treatment (2); the weights never re-run the pipeline
    assert len(rep._early) <= 66


def test_replicators_of_one_run_share_the_early_stages(
    demo_runs: dict[int, Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Monte Carlo and the Sobol' design of one evaluation meet the same variants: the
    second replicator of the same run runs the pipeline for none of them (#20), and scores
    exactly what a replicator of its own would."""
    run = demo_runs[2024]
    first = Replicator(run, load_assumptions("default"))
    draws = first.draw(uniforms(4, 200, first.width))
    want = first.evaluate(draws)
    second = Replicator(run, load_assumptions("default"))
    runs: list[object] = []
    full_run = Replicator.full_run

    def counted(self: Replicator, *args: object) -> Run:
        runs.append(args)
        return full_run(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Replicator, "full_run", counted)
    got = second.evaluate(draws)
    assert runs == [] and len(second._early) == len(first._early) > 1
    assert all(second._early[k][0] is first._early[k][0] for k in first._early)
    assert np.array_equal(got.scores, want.scores) and np.array_equal(got.ranks, want.ranks)
    other = Replicator(copy.copy(run), load_assumptions("default"))  # another run: its own
    assert np.array_equal(other.evaluate(draws).scores, want.scores)
    assert len(first._early) - 1 <= len(runs) <= len(first._early)  # nominal: no run


def test_nominal_draws_reproduce_the_nominal_run(demo_runs: dict[int, Run]) -> None:
    """Levels that leave every address at its nominal value and the nominal points give the
    published result."""
    run = demo_runs[2025]
    rep = Replicator(run, load_assumptions("default"))
    levels = [5, 0, 0]  # the benchmark factor 1.0 (6th of 11), nominal imputation and treatment
    out = rep.outcome(rep.score(levels, rep.points[None, :]), levels)
    np.testing.assert_allclose(out.scores[0], run.results["score"].to_numpy(), atol=1e-9)
    assert np.array_equal(out.ranks[0], run.results["rank"].to_numpy())
    labels = np.asarray(rep.labels, dtype=object)[out.classes[0]]
    assert np.array_equal(labels, run.results["class"].to_numpy(dtype=object))


def test_points_perturbed_under_ahp_and_geometric_aggregation(demo_runs: dict[int, Run]) -> None:
    """The per-replicate routes: AHP spreads pillar weights by the drawn points, and a
    non-additive aggregation is applied replicate by replicate — still equal to run_log."""
    from cimon.analysis.assumptions import Assumption, AssumptionSet

    aset = AssumptionSet(
        "x",
        (
            Assumption("w", "points", "uniform", spread=0.3),
            Assumption(
                "s",
                "weight",
                "choice",
                values_=({"method": "points"}, {"method": "ahp", "level": "pillar"}),
            ),
            Assumption(
                "a", "aggregate", "choice", values_=({"method": "sum"}, {"method": "geometric"})
            ),
        ),
    )
    rep = Replicator(demo_runs[2025], aset)
    draws = rep.draw(uniforms(3, 40, rep.width))
    assert set(map(tuple, draws.levels.tolist())) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert check_fast_path(rep, draws, range(0, 40, 3)) < 1e-9


def test_a_variant_may_not_rename_the_classes(demo_runs: dict[int, Run]) -> None:
    from cimon.analysis.assumptions import Assumption, AssumptionError, AssumptionSet

    aset = AssumptionSet(
        "x",
        (Assumption("l", "classify.labels", "choice", values_=("nominal", ("优", "良", "中"))),),
    )
    rep = Replicator(demo_runs[2025], aset)
    with pytest.raises(AssumptionError, match="类别名称"):
        rep.evaluate(rep.draw(np.array([[0.1], [0.9]])))
