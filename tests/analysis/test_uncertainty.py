"""Monte Carlo uncertainty analysis: the analytic Dirichlet case, reproducibility, class
probabilities and the incentives re-decided per replicate."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimon.analysis.assumptions import Assumption, AssumptionSet, load_assumptions
from cimon.analysis.errors import AnalysisError
from cimon.analysis.incentives import incentives
from cimon.analysis.rules import load_rules, parse_rules
from cimon.analysis.uncertainty import (
    _fixed,
    column_quantiles,
    incentive_summary,
    load_json,
    monte_carlo,
    write_json,
)
from cimon.engine.run import Run

RULES = load_rules("nx-2021")


def dirichlet(concentration: float = 100.0) -> AssumptionSet:
    return AssumptionSet(
        "w", (Assumption("weights", "points", "dirichlet", concentration=concentration),)
    )


def test_dirichlet_weights_leave_the_mean_score_at_the_nominal_score(
    demo_runs: dict[int, Run],
) -> None:
    """Analytic case (Saisana, Saltelli & Tarantola 2005): with a weighted sum and weights drawn
    from Dirichlet(c · nominal share), E[w] = nominal points, so E[score] = z · E[w] = the nominal
    score, and Var[score] = total² · (Σ z_j² a_j − (Σ z_j a_j)²) / (c + 1), a_j the nominal shares
    (the Dirichlet's covariance). Both are checked against the simulation within its error."""
    run = demo_runs[2025]
    n = 20_000
    res = monte_carlo(run, dirichlet(50.0), n=n, seed=7)
    assert res.outcome is not None
    scores = res.outcome.scores
    nominal = run.results["score"].to_numpy(float)
    z = np.nan_to_num(run.data["normalised"].to_numpy(float))
    points = run.weights.to_numpy(float)
    total = points.sum()
    a = points / total
    mean_z = z @ a
    var = total**2 * ((z**2) @ a - mean_z**2) / (50.0 + 1)
    sd = np.sqrt(var)
    np.testing.assert_allclose(total * mean_z, nominal, atol=1e-9)  # the nominal score
    se = sd / np.sqrt(n)
    assert np.all(np.abs(scores.mean(axis=0) - nominal) < 4.5 * se + 1e-12)
    # the sample SD within 5 % of the analytic SD (its relative SE is about 1/sqrt(2n) = 0.5 %)
    varying = sd > 0
    np.testing.assert_allclose(scores.std(axis=0, ddof=1)[varying], sd[varying], rtol=0.05)
    # every draw keeps the 100-point scale
    assert res.draws is not None and res.draws.points is not None
    np.testing.assert_allclose(res.draws.points.sum(axis=1), total)


def test_the_same_seed_gives_identical_output(demo_runs: dict[int, Run]) -> None:
    aset = load_assumptions("default")
    one = monte_carlo(demo_runs[2025], aset, 300, seed=3, previous=demo_runs[2024], rules=RULES)
    two = monte_carlo(demo_runs[2025], aset, 300, seed=3, previous=demo_runs[2024], rules=RULES)
    other = monte_carlo(demo_runs[2025], aset, 300, seed=4)
    assert one.outcome is not None and two.outcome is not None and other.outcome is not None
    assert np.array_equal(one.outcome.scores.view(np.int64), two.outcome.scores.view(np.int64))
    assert json.dumps(one.to_json(), sort_keys=True) == json.dumps(two.to_json(), sort_keys=True)
    assert not np.array_equal(one.outcome.scores, other.outcome.scores)


def test_threads_do_not_change_the_result(demo_runs: dict[int, Run]) -> None:
    """Bit for bit whatever the number of threads; another chunk size changes how BLAS blocks
    the matrix product, so scores may differ in the last bit (never more than 1e-12)."""
    from cimon.analysis.replicates import Replicator
    from cimon.analysis.uncertainty import uniforms

    rep = Replicator(demo_runs[2025], load_assumptions("default"))
    draws = rep.draw(uniforms(5, 400, rep.width))
    a = rep.evaluate(draws, chunk=50, threads=1)
    b = rep.evaluate(draws, chunk=50, threads=2)
    c = rep.evaluate(draws, chunk=7, threads=2)
    for x, y in ((a.scores, b.scores), (a.ranks, b.ranks), (a.classes, b.classes)):
        assert np.array_equal(x, y)
    np.testing.assert_allclose(a.scores, c.scores, rtol=0, atol=1e-12)


def test_counties_far_from_thresholds_keep_their_class(demo_runs: dict[int, Run]) -> None:
    """金凤区 (91.03, A) and 泾源县 (43.49, C) are more than 11 points from a threshold; the default
    assumptions move a score by at most about 7 points (their 5–95 % ranges), so their classes
    have probability 1. Counties within a point or two of 80 or 60 do not."""
    res = monte_carlo(demo_runs[2025], load_assumptions("default"), 2000, seed=1)
    c = res.counties
    assert c.loc["640106", "p_A"] == 1.0 and c.loc["640106", "stable"]
    assert c.loc["640424", "p_C"] == 1.0 and c.loc["640424", "stable"]
    near = c[(c["score"] - 80).abs().lt(3) | (c["score"] - 60).abs().lt(3)]
    assert len(near) and (near["p_nominal"] < 1).all()
    # probabilities of the classes add up to one; p_nominal is the nominal class's
    probs = c[[f"p_{lb}" for lb in res.labels]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    for code, row in c.iterrows():
        assert row["p_nominal"] == row[f"p_{row['class']}"], code
        assert row["stable"] == (row["p_nominal"] >= 0.8)
        assert row["rank_p05"] <= row["rank_median"] <= row["rank_p95"]
        assert row["score_p05"] <= row["score_median"] <= row["score_p95"]


def test_column_quantiles_match_numpy_inverted_cdf() -> None:
    rng = np.random.default_rng(0)
    for shape in ((1, 3), (10, 4), (999, 7), (1000, 2)):
        m = rng.integers(-500, 40_000, shape)
        q = (0.05, 0.5, 0.95)
        got = column_quantiles(m, q)
        want = np.quantile(m, q, axis=0, method="inverted_cdf")
        assert np.array_equal(got, want)


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"rank": {"class_changed": "overall"}},
        {"rank": {"class_changed": "none"}},
        {"rank": {"ties": "max"}},
        {"multi_step": "sum", "combined_cap": None},
        {"rank": {"places": "literal"}},
        {"rank": {"places": "literal", "class_changed": "overall"}},
        {"rank": {"places": "literal", "ties": "max"}},
        {"rank": {"class_changed": "overall", "ties": "max"}},
    ],
    ids=[
        "default",
        "overall",
        "none",
        "ties-max",
        "sum",
        "literal",
        "literal-overall",
        "literal-ties-max",
        "overall-ties-max",
    ],
)
def test_replicate_awards_equal_the_nominal_awards_for_the_nominal_results(
    demo_runs: dict[int, Run], options: dict[str, object]
) -> None:
    """The vectorised places (rank in class = rank − counties in better classes; last year's
    position from counts) must give, for the published results themselves, exactly the awards of
    :func:`incentives` — for every county of every demo year and several rule options."""
    raw = dict(RULES.raw)
    for key, value in options.items():
        raw[key] = {**raw[key], **value} if isinstance(value, dict) else value
    rules = parse_rules(raw)
    for year in range(2021, 2026):
        curr, prev = demo_runs[year], demo_runs[year - 1]
        _, budget, amounts = incentive_summary(curr, prev, _fixed(curr, 2), _fixed(prev, 2), rules)
        labels = [b.label for b in curr.framework.classes]
        want = [a.total for a in incentives(prev.results, curr.results, rules, year, labels)]
        assert amounts[0].tolist() == want, year
        assert amounts[1].tolist() == want
        assert budget["nominal"] == budget["median"] == sum(want)


def test_incentive_probabilities(demo_runs: dict[int, Run]) -> None:
    res = monte_carlo(demo_runs[2025], load_assumptions("default"), 1000, 2, demo_runs[2024], RULES)
    inc = res.incentives
    nominal = [a for a in incentives(demo_runs[2024].results, demo_runs[2025].results, RULES, 2025)]
    assert list(inc["code"]) == [a.code for a in nominal if a.total > 0]
    assert res.awards is not None and res.awards.dtype.kind == "i"
    for r in inc.to_dict("records"):
        assert sum(r["amounts"].values()) == pytest.approx(1.0)
        assert r["p_amount"] == r["amounts"].get(r["amount"], 0.0)
        assert 0 <= r["p_amount"] <= r["p_award"] <= 1
        assert isinstance(r["expected"], int)
        col = res.awards[:, list(res.counties.index).index(r["code"])]
        assert r["expected"] == round(col.sum() / len(col))
        if r["jump"] > 0:
            assert 0 < r["p_jump"] <= r["p_award"]
        else:
            assert np.isnan(r["p_jump"])
    b = res.budget
    # 2025 under the default rank.places=overtaken: 4,500,000 元 (12,500,000 under the literal
    # reading, the amount before #13)
    assert b["p05"] <= b["median"] <= b["p95"] and b["nominal"] == 4_500_000
    # "fixed": last year stays as published, so a county that stays in its class this year and
    # keeps its nominal rank in class keeps its award more often than under "joint"
    fixed = monte_carlo(
        demo_runs[2025], load_assumptions("default"), 1000, 2, demo_runs[2024], RULES,
        previous_mode="fixed",
    )  # fmt: skip
    assert fixed.previous_mode == "fixed" and len(fixed.incentives) == len(inc)


def test_json_round_trip(demo_runs: dict[int, Run], tmp_path: object) -> None:
    from pathlib import Path

    res = monte_carlo(demo_runs[2025], load_assumptions("default"), 200, 1, demo_runs[2024], RULES)
    path = write_json(res, Path(str(tmp_path)) / "r.json")
    back = load_json(path)
    assert back.year == 2025 and back.seed == 1 and back.replicates == 200
    assert back.data_hash == demo_runs[2025].data_hash
    assert back.assumptions.hash == res.assumptions.hash
    cols = ["score", "p_A", "p_B", "p_C", "p_nominal", "rank_p05", "rank_p95", "stable"]
    assert back.counties[cols].equals(res.counties[cols])
    assert list(back.incentives["amount"]) == list(res.incentives["amount"])


def test_bad_inputs_are_refused(demo_runs: dict[int, Run], tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(AnalysisError, match="至少为 1"):
        monte_carlo(demo_runs[2025], dirichlet(), 0)
    with pytest.raises(AnalysisError, match="joint 或 fixed"):
        monte_carlo(demo_runs[2025], dirichlet(), 5, previous_mode="both")
    bad = Path(str(tmp_path)) / "x.json"
    bad.write_text('{"kind": "other"}', encoding="utf-8")
    with pytest.raises(AnalysisError, match="cimon robustness"):
        load_json(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(AnalysisError, match="无法读取"):
        load_json(bad)


def test_joint_needs_the_same_framework_in_both_years(
    demo_runs: dict[int, Run], tmp_path: object
) -> None:
    from importlib import resources
    from pathlib import Path

    import cimon

    text = (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    other = Path(str(tmp_path)) / "nx-2021b.yaml"
    other.write_text(text.replace('version: "2021.1"', 'version: "2021.2"'), encoding="utf-8")
    fw = cimon.load_framework(other)
    prev = cimon.evaluate(fw, cimon.demo_panel(), 2024)
    with pytest.raises(AnalysisError, match="previous=fixed"):
        monte_carlo(demo_runs[2025], dirichlet(), 10, previous=prev, rules=RULES)
    fixed = monte_carlo(
        demo_runs[2025], dirichlet(), 10, previous=prev, rules=RULES, previous_mode="fixed"
    )
    assert fixed.previous_mode == "fixed"
