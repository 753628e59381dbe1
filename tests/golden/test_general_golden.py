"""Golden hand cases for the general engine (#20): missing-skipping aggregation, every rank
convention with ties, Borda and Copeland, and a four-level tree — all through ``evaluate`` where
the option lives in a framework or a log, and on the pure function too.

Every expected value below is worked out by hand in the docstring or comment beside it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from cimon.engine.ahp import RANDOM_INDEX, ahp_weights
from cimon.engine.classify import TIES, rank_desc
from cimon.engine.objective import pca_weights
from cimon.engine.outranking import borda, copeland, outranking_matrix
from cimon.engine.pca import cronbach_alpha, principal_components
from cimon.engine.pipeline import evaluate, regen
from cimon.engine.rank_normalise import percentile_rank
from cimon.model.framework import load_framework
from cimon.model.panel import Panel

NAN = np.nan


def framework(
    points: dict[str, float],
    aggregate: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One pillar per indicator list; each indicator is its variable, scored as is (target 1)."""
    fw: dict[str, Any] = {
        "id": "hand",
        "version": "1",
        "departments": ["D"],
        "data_lag": 0,
        "units": {"kind": "free"},
        "variables": [{"code": f"v{c}", "department": "D"} for c in points],
        "pillars": [
            {
                "code": "P",
                "indicators": [
                    {"code": c, "points": p, "formula": f"v{c}"} for c, p in points.items()
                ],
            }
        ],
        "pipeline": {
            "normalise": {"method": "target", "floor": 0, "target": 1},
            "aggregate": aggregate or {"method": "sum"},
        },
    }
    fw.update(extra or {})
    return fw


def panel(values: dict[str, dict[str, float]]) -> Panel:
    """``{unit: {variable: value}}`` for 2020; NaN values are simply not reported."""
    rows = [
        {"region_code": u, "year": 2020, "variable": v, "value": x}
        for u, row in values.items()
        for v, x in row.items()
        if not np.isnan(x)
    ]
    return Panel.from_frame(pd.DataFrame(rows), "hand")


# --------------------------------------------------------------------------------------------
# missing: zero | skip, min_share — through evaluate

UNITS = {
    "u1": {"vA": 0.8, "vB": NAN, "vC": 0.2},  # B missing
    "u2": {"vA": 0.5, "vB": 0.5, "vC": 0.5},
}
POINTS = {"A": 50.0, "B": 30.0, "C": 20.0}


@pytest.mark.parametrize("method", ["sum", "weighted_mean"])
def test_missing_zero_is_todays_behaviour(method: str) -> None:
    """zero: u1 earns 0.8·50 + 0·30 + 0.2·20 = 44 (whatever the method: NaN became 0 first)."""
    run = evaluate(load_framework(framework(POINTS, {"method": method})), panel(UNITS), 2020)
    assert run.results.loc["u1", "score"] == pytest.approx(44.0, abs=1e-12)
    assert run.results.loc["u2", "score"] == pytest.approx(50.0, abs=1e-12)


@pytest.mark.parametrize("method", ["sum", "weighted_mean"])
def test_missing_skip_renormalises_the_weights(method: str) -> None:
    """skip: u1 is judged on A and C only: 100 · (0.8·50 + 0.2·20) / (50 + 20) = 4400/70."""
    agg = {"method": method, "missing": "skip"}
    run = evaluate(load_framework(framework(POINTS, agg)), panel(UNITS), 2020)
    assert run.results.loc["u1", "score"] == pytest.approx(4400 / 70, abs=1e-12)
    assert run.results.loc["u2", "score"] == pytest.approx(50.0, abs=1e-12)
    assert np.isnan(run.data["points"].loc["u1", "B"])  # no points earned or lost on B
    assert regen(run).equals(run)


def test_missing_skip_with_a_minimum_share() -> None:
    """min_share 0.75: u1 has 70 % of the weight present → no score, no rank, lowest class;
    min_share 0.7 is enough."""
    agg = {"method": "weighted_mean", "missing": "skip", "min_share": 0.75}
    run = evaluate(load_framework(framework(POINTS, agg)), panel(UNITS), 2020)
    assert np.isnan(run.results.loc["u1", "score"])
    assert np.isnan(run.results.loc["u1", "rank"]) and run.results.loc["u2", "rank"] == 1
    assert run.results.loc["u1", "class"] == "C"
    agg["min_share"] = 0.7
    run = evaluate(load_framework(framework(POINTS, agg)), panel(UNITS), 2020)
    assert run.results.loc["u1", "score"] == pytest.approx(4400 / 70, abs=1e-12)


def test_missing_skip_as_an_uncertainty_override() -> None:
    """The rule is a log address like any other: ``aggregate.missing=skip``."""
    fw = load_framework(framework(POINTS, {"method": "weighted_mean"}))
    run = evaluate(fw, panel(UNITS), 2020, overrides={"aggregate.missing": "skip"})
    assert run.results.loc["u1", "score"] == pytest.approx(4400 / 70, abs=1e-12)


# --------------------------------------------------------------------------------------------
# rank conventions


def test_every_tie_convention_on_the_total() -> None:
    """Scores 9, 7, 7, 5 (descending ranks): min 1 2 2 4, max 1 3 3 4, average 1 2.5 2.5 4,
    dense 1 2 2 3, first 1 2 3 4 — the table in classify.TIES."""
    s = np.array([9.0, 7.0, 7.0, 5.0])
    expected = {
        "min": [1, 2, 2, 4],
        "max": [1, 3, 3, 4],
        "average": [1, 2.5, 2.5, 4],
        "dense": [1, 2, 2, 3],
        "first": [1, 2, 3, 4],
    }
    assert set(expected) == set(TIES)
    for ties, want in expected.items():
        np.testing.assert_array_equal(rank_desc(s, ties), want, err_msg=ties)
        assert TIES[ties] == ", ".join(f"{r:g}" for r in want)


@pytest.mark.parametrize("ties", list(TIES))
def test_tie_conventions_through_evaluate(ties: str) -> None:
    """Four units scoring 90, 70, 70, 50 (one indicator worth 100): ranks by ``classify.ties``."""
    values = {f"u{k}": {"vA": x} for k, x in enumerate([0.9, 0.7, 0.7, 0.5], start=1)}
    fw = load_framework(framework({"A": 100.0}))
    run = evaluate(fw, panel(values), 2020, overrides={"classify.ties": ties})
    want = {"min": [1, 2, 2, 4], "max": [1, 3, 3, 4], "average": [1, 2.5, 2.5, 4]}
    want |= {"dense": [1, 2, 2, 3], "first": [1, 2, 3, 4]}
    np.testing.assert_array_equal(run.results["rank"].to_numpy(), want[ties])


def test_scaled_rank_normalisation() -> None:
    """x = 5, 7, 7, 9 (ascending ranks): percentile (r−1)/(n−1) and fraction r/n per convention."""
    x = np.array([5.0, 7.0, 7.0, 9.0])
    cases = {
        ("average", "percentile"): [0, 0.5, 0.5, 1],
        ("min", "percentile"): [0, 1 / 3, 1 / 3, 1],
        ("max", "percentile"): [0, 2 / 3, 2 / 3, 1],
        ("dense", "percentile"): [0, 0.5, 0.5, 1],  # ranks 1, 2, 2, 3 over 3 distinct values
        ("first", "percentile"): [0, 1 / 3, 2 / 3, 1],
        ("average", "fraction"): [0.25, 0.625, 0.625, 1],
        ("min", "fraction"): [0.25, 0.5, 0.5, 1],
        ("max", "fraction"): [0.25, 0.75, 0.75, 1],
        ("dense", "fraction"): [1 / 3, 2 / 3, 2 / 3, 1],
        ("first", "fraction"): [0.25, 0.5, 0.75, 1],
    }
    for (ties, scale), want in cases.items():
        got = percentile_rank(x, ties=ties, scale=scale)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-15, err_msg=f"{ties}/{scale}")
    # direction −1 ranks −x (−9 < −7 = −7 < −5: ranks 1, 2, 2, 4 with min); missing values stay
    # missing and do not count
    np.testing.assert_allclose(percentile_rank(x, -1, "min", "fraction"), [1, 0.5, 0.5, 0.25])
    np.testing.assert_array_equal(percentile_rank(np.array([NAN, 3.0, 1.0])), [NAN, 1.0, 0.0])
    with pytest.raises(ValueError, match="ties"):
        percentile_rank(x, ties="random")


# --------------------------------------------------------------------------------------------
# Borda and Copeland

#: three units, three indicators of weight 1/2, 1/4, 1/4 (a Condorcet example: the Borda and the
#: Copeland winners differ)
Z = np.array(
    [
        [0.9, 0.1, 0.1],  # a: best on the heavy indicator only
        [0.5, 0.9, 0.9],  # b: second on it, best on the other two
        [0.1, 0.5, 0.5],  # c
    ]
)
W = np.array([0.5, 0.25, 0.25])


def test_borda_by_hand() -> None:
    """Beaten units per indicator: a (2, 0, 0), b (1, 2, 2), c (0, 1, 1); / (n − 1) = 2 and
    weighted: a 0.5·1 = 0.5, b 0.5·0.5 + 0.5·1 = 0.75, c 0.5·0.5 = 0.25."""
    np.testing.assert_allclose(borda(Z, W), [0.5, 0.75, 0.25], rtol=0, atol=1e-15)
    # ties share the points: two equal units on one indicator each get ½
    np.testing.assert_allclose(borda(np.array([[1.0], [1.0]]), np.array([1.0])), [0.5, 0.5])
    # a missing value: the unit is left out of that indicator, its weight re-normalised
    z = Z.copy()
    z[0, 1] = NAN
    # a: indicator 1 (2 beaten of 2) weight 0.5, indicator 3 (0 of 2) weight 0.25 → 0.5/0.75
    assert borda(z, W)[0] == pytest.approx(0.5 / 0.75)


def test_copeland_by_hand() -> None:
    """e(a, b) = 0.5 (a wins the heavy indicator only): a tie; e(a, c) = 0.5: a tie;
    e(b, c) = 1: b wins. Copeland wins − losses over m = 2: a 0, b +1, c −1 →
    (c + 2) / 4 = 0.5, 0.75, 0.25."""
    e = outranking_matrix(Z, W)
    np.testing.assert_allclose(e + e.T, 1.0)
    assert e[0, 1] == 0.5 and e[0, 2] == 0.5 and e[1, 2] == 1.0
    np.testing.assert_allclose(copeland(Z, W), [0.5, 0.75, 0.25], rtol=0, atol=1e-15)
    # a Condorcet winner (beats everyone) scores Σw; a Condorcet loser 0
    z = np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 1.0]])
    np.testing.assert_allclose(copeland(z, np.array([30.0, 70.0])), [100.0, 50.0, 0.0])


def test_borda_and_copeland_through_evaluate() -> None:
    """The registered methods in a framework: the scores are Σw (100) × the hand values."""
    units = {u: {f"v{c}": x for c, x in zip("ABC", row, strict=True)} for u, row in
             zip(("a", "b", "c"), Z, strict=True)}  # fmt: skip
    pts = {"A": 50.0, "B": 25.0, "C": 25.0}
    for method, want in (("borda", [50, 75, 25]), ("copeland", [50, 75, 25])):
        run = evaluate(load_framework(framework(pts, {"method": method})), panel(units), 2020)
        np.testing.assert_allclose(run.results["score"], want, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------------------------
# a four-level tree: indicator → sub-pillar → pillar → sub-index → index


def four_levels(aggregate: dict[str, Any]) -> dict[str, Any]:
    """Index ← S1 (weight 3), S2 (weight 1); S1 ← P1; S2 ← P2; P1 ← sub-pillars Q1 (A, B) and
    Q2 (C); P2 ← D directly. Indicator points are weights within their parent."""
    fw = framework({"A": 1.0, "B": 1.0, "C": 1.0, "D": 1.0}, aggregate)
    fw["groups"] = [
        {"code": "S1", "weight": 3},
        {"code": "S2", "weight": 1},
        {"code": "Q1", "parent": "P1"},
        {"code": "Q2", "parent": "P1"},
    ]
    ind = fw["pillars"][0]["indicators"]
    for i, g in zip(ind[:3], ("Q1", "Q1", "Q2"), strict=True):
        i["group"] = g
    fw["pillars"] = [
        {"code": "P1", "parent": "S1", "indicators": ind[:3]},
        {"code": "P2", "parent": "S2", "indicators": ind[3:]},
    ]
    return fw


def test_four_levels_weighted_mean_by_hand() -> None:
    """Unit u: A 0.2, B 0.6, C 1.0, D 0.4. Q1 = mean(0.2, 0.6) = 0.4; Q2 = 1.0; P1 weighs Q1 by
    its points (2) against Q2 (1): (2·0.4 + 1·1.0)/3 = 0.6; S1 = P1 = 0.6; S2 = P2 = D = 0.4;
    Index = (3·0.6 + 1·0.4)/4 = 0.55 → 55 points. Effective points: S1 75, S2 25; Q1 50, Q2 25;
    A = B = 25, C 25, D 25."""
    fw = load_framework(four_levels({"method": "weighted_mean"}))
    units = {"u": {"vA": 0.2, "vB": 0.6, "vC": 1.0, "vD": 0.4}, "w": dict.fromkeys(["vA", "vB", "vC", "vD"], 1.0)}  # fmt: skip
    run = evaluate(fw, panel(units), 2020)
    assert run.results.loc["u", "score"] == pytest.approx(55.0, abs=1e-12)
    g = run.data["groups"].loc["u"]
    assert g["Q1"] == pytest.approx(0.4 * 50) and g["Q2"] == pytest.approx(1.0 * 25)
    assert g["S1"] == pytest.approx(0.6 * 75) and g["S2"] == pytest.approx(0.4 * 25)
    assert run.data["pillars"].loc["u", "P1"] == pytest.approx(0.6 * 75)
    np.testing.assert_allclose(run.weights.to_numpy(), [25.0, 25.0, 25.0, 25.0])
    assert run.results.loc["w", "score"] == pytest.approx(100.0)
    assert regen(run).equals(run)
    # a weight in the log is an uncertainty address like any other
    heavier = evaluate(fw, panel(units), 2020, overrides={"tree.S2.weight": 3})
    assert heavier.results.loc["u", "score"] == pytest.approx(50 * (0.6 + 0.4))


def test_four_levels_sum_equals_the_flat_sum() -> None:
    """With ``sum`` the tree only moves points: the index is Σ effective points × fraction
    (25·(0.2 + 0.6 + 1.0 + 0.4) = 55 here too), and every level adds up."""
    fw = load_framework(four_levels({"method": "sum"}))
    run = evaluate(fw, panel({"u": {"vA": 0.2, "vB": 0.6, "vC": 1.0, "vD": 0.4}}), 2020)
    assert run.results.loc["u", "score"] == pytest.approx(55.0)
    g = run.data["groups"].loc["u"]
    assert g["S1"] + g["S2"] == pytest.approx(55.0) and g["Q1"] + g["Q2"] == pytest.approx(45.0)


# --------------------------------------------------------------------------------------------
# PCA beyond PC1 weights, Cronbach's α, random-index tables


def test_cronbach_alpha_by_hand() -> None:
    """x1 = (1, 2, 3), x2 = (1, 3, 2): variances 1 and 1, row sums (2, 5, 5) with variance 3:
    α = 2 · (1 − 2/3) = 2/3. Identical columns: α = 1. Rows with a gap are left out."""
    assert cronbach_alpha(np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]])) == pytest.approx(2 / 3)
    assert cronbach_alpha(np.array([[1.0, 1.0], [2.0, 2.0], [4.0, 4.0]])) == pytest.approx(1.0)
    gap = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0], [9.0, NAN]])
    assert cronbach_alpha(gap) == pytest.approx(2 / 3)
    assert np.isnan(cronbach_alpha(np.array([[1.0], [2.0]])))


def test_principal_components_against_numpy_svd() -> None:
    """Eigenvalues = squared singular values of the standardised data / (n − 1); they sum to k;
    loadings are the indicators' correlations with the component scores; PC1 weights agree with
    ``weight.pca``."""
    rng = np.random.default_rng(7)
    base = rng.normal(size=(40, 1))
    z = np.hstack([base + 0.3 * rng.normal(size=(40, 1)) for _ in range(3)])
    z = np.hstack([z, rng.normal(size=(40, 1))])
    res = principal_components(z)
    std = (z - z.mean(axis=0)) / z.std(axis=0, ddof=1)
    sv = np.linalg.svd(std, compute_uv=False)
    np.testing.assert_allclose(res.eigenvalues, sv**2 / (len(z) - 1), rtol=1e-10)
    assert res.eigenvalues.sum() == pytest.approx(4.0)
    np.testing.assert_allclose(res.variance_explained, res.eigenvalues / 4.0)
    assert res.cumulative[-1] == pytest.approx(1.0) and res.retained == 1
    scores = std @ res.vectors
    for m in range(2):
        corr = [np.corrcoef(std[:, j], scores[:, m])[0, 1] for j in range(4)]
        np.testing.assert_allclose(res.loadings[:, m], corr, atol=1e-10)
    np.testing.assert_allclose(res.pc1_weights(), pca_weights(z), rtol=1e-10)


def test_principal_components_hand_case() -> None:
    """Two indicators with correlation ρ = 0.5: eigenvalues 1 ± ρ = 1.5, 0.5 (75 %, 25 %),
    eigenvectors (1, 1)/√2 and (1, −1)/√2 up to sign, PC1 loadings √0.75 each."""
    z = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]])  # corr 0.5
    res = principal_components(z)
    np.testing.assert_allclose(res.eigenvalues, [1.5, 0.5])
    np.testing.assert_allclose(res.variance_explained, [0.75, 0.25])
    np.testing.assert_allclose(res.loadings[:, 0], [np.sqrt(0.75)] * 2)
    assert res.n == 3


def test_random_index_tables() -> None:
    """Saaty (1980) n = 3..5: 0.58, 0.90, 1.12; Saaty (2005): 0.52, 0.89, 1.11; Donegan & Dodd
    (1991): 0.4914, 0.8286, 1.0591, up to n = 100 (1.6339), n = 22 interpolated between 20
    (1.5371) and 25 (1.5619): 1.5371 + 2/5 · 0.0248 = 1.54702."""
    assert RANDOM_INDEX["saaty"][2:5] == (0.58, 0.90, 1.12)
    assert RANDOM_INDEX["saaty_2005"][2:5] == (0.52, 0.89, 1.11)
    dd = RANDOM_INDEX["donegan_dodd"]
    assert len(dd) == 100 and dd[2:5] == (0.4914, 0.8286, 1.0591) and dd[99] == 1.6339
    assert dd[21] == pytest.approx(1.54702, abs=1e-12)
    # a 20 × 20 matrix: past Saaty's table, within Donegan & Dodd's
    a = np.ones((20, 20))
    with pytest.raises(ValueError, match="n ≤ 15"):
        ahp_weights(a, "saaty")
    w, lam, _ci, cr = ahp_weights(a, "donegan_dodd")
    assert lam == pytest.approx(20.0)
    np.testing.assert_allclose(w, 1 / 20)
    assert cr == pytest.approx(0.0, abs=1e-12)


def test_uncertainty_replicates_follow_the_tree_and_missing_skip() -> None:
    """Replicates of a four-level run with ``tree.S2.weight`` ∈ {1, 3} and ``aggregate.missing``
    ∈ {zero, skip}: every replicate's score is the exact score of its variant (55 or 50 for u with
    all data; with B missing, zero and skip differ), not the flat fast path's."""
    from cimon.analysis.assumptions import Assumption, AssumptionSet
    from cimon.analysis.replicates import Replicator
    from cimon.analysis.uncertainty import uniforms

    fw = load_framework(four_levels({"method": "weighted_mean"}))
    units = {"u": {"vA": 0.2, "vB": 0.6, "vC": 1.0, "vD": 0.4}, "v": {"vA": 0.2, "vC": 1.0, "vD": 0.4}}  # fmt: skip
    run = evaluate(fw, panel(units), 2020)
    aset = AssumptionSet(
        "t",
        (
            Assumption("s2", "tree.S2.weight", "choice", values_=(1.0, 3.0)),
            Assumption("miss", "aggregate.missing", "choice", values_=("zero", "skip")),
        ),
    )
    rep = Replicator(run, aset)
    draws = rep.draw(uniforms(3, 40, rep.width))
    out = rep.evaluate(draws)
    # v: B missing. Q1 = mean(0.2, 0) = 0.1 (zero) or 0.2 (skip); P1 = (2·Q1 + 1.0)/3
    expected = {}
    for s2 in (1.0, 3.0):
        for miss in ("zero", "skip"):
            variant = evaluate(fw, panel(units), 2020, overrides={"tree.S2.weight": s2, "aggregate.missing": miss})  # fmt: skip
            expected[(s2, miss)] = variant.results["score"].to_numpy()
    assert expected[(1.0, "zero")][0] == pytest.approx(55.0)
    assert expected[(1.0, "zero")][1] == pytest.approx(75 * (0.2 + 1.0) / 3 + 10)
    assert expected[(1.0, "skip")][1] == pytest.approx(75 * (0.4 + 1.0) / 3 + 10)
    seen = set()
    for row in out.scores:
        match = [k for k, v in expected.items() if np.allclose(row, v, rtol=0, atol=1e-9)]
        assert match, row
        seen.update(match)
    assert len(seen) == 4  # 40 draws visit all four variants


@pytest.mark.parametrize(
    ("address", "value"),
    [
        ("tree.S2.weight", -1),
        ("tree.S2.weight", "heavy"),
        ("tree.S2.parent", "S1"),
        ("tree.X.weight", 1),
    ],
)
def test_tree_overrides_are_checked(address: str, value: Any) -> None:
    from cimon.errors import MethodError

    fw = load_framework(four_levels({"method": "weighted_mean"}))
    units = {"u": {"vA": 0.2, "vB": 0.6, "vC": 1.0, "vD": 0.4}}
    with pytest.raises(MethodError) as err:
        evaluate(fw, panel(units), 2020, overrides={address: value})
    assert err.value.where == address
