"""Uncertain assumptions: parsing, validation against a log, inverse-transform sampling."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cimon.analysis.assumptions import (
    Assumption,
    AssumptionError,
    AssumptionSet,
    bundled_assumption_sets,
    check_against,
    load_assumptions,
    overrides_for,
    parse_assumptions,
)
from cimon.engine.pipeline import build_log
from cimon.model.framework import load_framework

FW = load_framework("nx-2021")
LOG = build_log(FW)


def test_bundled_sets_apply_to_the_bundled_framework() -> None:
    assert {"default", "methods"} <= set(bundled_assumption_sets())
    for ref in bundled_assumption_sets():
        aset = load_assumptions(ref)
        check_against(aset, LOG, FW)
        assert aset.spec()["hash"] == aset.hash


def test_scale_multiplies_every_benchmark_by_the_same_factor() -> None:
    a = Assumption("b", "normalise.target", "scale", spread=0.1, steps=3)
    assert a.factors().tolist() == pytest.approx([0.9, 1.0, 1.1])
    low = overrides_for(a, 0, LOG)
    assert low["normalise.I01.target"] == pytest.approx(2.5 * 0.9)  # R&D intensity target 2.5 %
    assert "normalise.I19.target" not in low  # rubric items have no target
    assert overrides_for(a, 1, LOG)["normalise.I01.target"] == pytest.approx(2.5)


def test_choice_values() -> None:
    a = Assumption("t", "treat.method", "choice", values_=("nominal", "winsorise"))
    assert overrides_for(a, 0, LOG) == {}
    assert overrides_for(a, 1, LOG) == {"treat.method": "winsorise"}
    w = Assumption(
        "w",
        "weight",
        "choice",
        values_=({"method": "points"}, {"level": "pillar", "method": "ahp"}),
    )
    assert list(overrides_for(w, 1, LOG)) == ["weight.method", "weight.level"]  # method first
    p = Assumption(
        "p",
        "impute.method",
        "choice",
        values_=("none", "carry_forward"),
        probabilities=(0.25, 0.75),
    )
    idx = p.index(np.array([0.0, 0.2499, 0.25, 0.9999]))
    assert idx.tolist() == [0, 0, 1, 1]


def test_weight_draws_are_centred_and_sum_to_the_total() -> None:
    points = np.array([8.0, 0.0, 4.0, 12.0, 76.0])
    rng = np.random.default_rng(0)
    for a in (
        Assumption("d", "points", "dirichlet", concentration=200),
        Assumption("u", "points", "uniform", spread=0.25),
    ):
        assert a.dims(points) == 4
        w = a.weights(rng.random((40_000, 4)), points)
        np.testing.assert_allclose(w.sum(axis=1), 100.0)
        assert (w[:, 1] == 0).all()  # an indicator without points stays without
        if a.kind == "dirichlet":
            np.testing.assert_allclose(w.mean(axis=0), points, atol=0.1)
    u = Assumption("u", "points", "uniform", spread=0.25)
    extreme = u.weights(np.array([[1.0, 0.0, 0.5, 0.5]]), points)[0]
    raw = np.array([8 * 1.25, 4 * 0.75, 12.0, 76.0])
    np.testing.assert_allclose(extreme[[0, 2, 3, 4]], raw / raw.sum() * 100)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"address": "points", "kind": "normal"}, "类型"),
        ({"address": "weight.method", "kind": "dirichlet"}, "只能用于地址 points"),
        ({"address": "points", "kind": "uniform", "spread": 1.5}, "spread"),
        ({"address": "points", "kind": "dirichlet", "concentration": 0}, "concentration"),
        ({"address": "treat.method", "kind": "choice", "values": ["none"]}, "至少需要两个"),
        (
            {
                "address": "treat.method",
                "kind": "choice",
                "values": ["a", "b"],
                "probabilities": [0.5, 0.6],
            },
            "probabilities",
        ),
        ({"address": "normalise.target", "kind": "scale", "spread": 0.1, "steps": 1}, "steps"),
        ({"address": "points", "kind": "dirichlet", "sigma": 2}, "未知的键"),
        ({"kind": "dirichlet"}, "address"),
        ({"address": "points", "kind": "uniform", "spread": "wide"}, "数值无效"),
    ],
)
def test_bad_assumptions_name_the_entry(item: dict[str, object], message: str) -> None:
    with pytest.raises(AssumptionError, match=message) as exc:
        parse_assumptions({"assumptions": [item]}, "a.yaml")
    assert str(exc.value.where).startswith("a.yaml: assumptions[0]")
    assert exc.value.en  # bilingual


def test_set_level_errors() -> None:
    d = Assumption("w", "points", "dirichlet")
    with pytest.raises(AssumptionError, match="重复"):
        AssumptionSet("x", (d, d))
    with pytest.raises(AssumptionError, match="只能有一个"):
        AssumptionSet("x", (d, Assumption("v", "points", "uniform", spread=0.1)))
    with pytest.raises(AssumptionError, match="没有任何假设"):
        AssumptionSet("x", ())
    with pytest.raises(AssumptionError, match="assumptions 列表"):
        parse_assumptions({"id": "x"}, "a.yaml")


def test_values_that_cannot_apply_are_refused_before_sampling() -> None:
    bad_method = AssumptionSet(
        "x", (Assumption("n", "normalise.method", "choice", values_=("nominal", "zscroe")),)
    )
    with pytest.raises(AssumptionError, match="zscroe") as exc:
        check_against(bad_method, LOG, FW)
    assert "assumptions.n" in str(exc.value.where)
    nothing = AssumptionSet("x", (Assumption("s", "normalise.cap", "scale", spread=0.1),))
    with pytest.raises(AssumptionError, match=r"normalise\.cap"):
        check_against(nothing, LOG, FW)
    bad_stage = AssumptionSet(
        "x", (Assumption("s", "weights.method", "choice", values_=("a", "b")),)
    )
    with pytest.raises(AssumptionError, match="weights"):
        check_against(bad_stage, LOG, FW)


def test_load_from_a_file(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text(
        "id: mine\nassumptions:\n  - {id: w, address: points, kind: uniform, spread: 0.2}\n",
        encoding="utf-8",
    )
    aset = load_assumptions(f)
    assert aset.id == "mine" and aset.assumptions[0].spread == 0.2
    with pytest.raises(AssumptionError, match="找不到"):
        load_assumptions(tmp_path / "none.yaml")
