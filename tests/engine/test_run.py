"""Run, regen and the data hash; the vectorised panel operations against plain reference code;
property tests over random panels."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.engine.test_pipeline import (
    REGIONS,
    make_panel,
    one_indicator,
    rows,
    scores_of,
    tiny,
)

import cimon
from cimon.engine.base import REGISTRY, registered
from cimon.engine.pipeline import evaluate, evaluate_years, regen
from cimon.engine.run import Run
from cimon.model.panel import COLUMNS, Panel, combine_scores

FW = cimon.load_framework(tiny())


@pytest.fixture(scope="module")
def run() -> Run:
    return evaluate(FW, make_panel(), 2022, REGIONS)


def test_regen_is_identical(run):
    again = regen(run)
    assert again.equals(run)
    assert again.flags.equals(run.flags)
    assert again.data_hash == run.data_hash and again.framework_hash == run.framework_hash


def test_regen_of_the_bundled_framework_on_the_demo_panel():
    fw = cimon.load_framework("nx-2021")
    demo = cimon.demo_panel()
    year = demo.years[-1] + fw.data_lag
    original = evaluate(fw, demo, year)
    assert regen(original).equals(original)


def test_equals_detects_a_changed_value(run):
    other = regen(run)
    other.data["normalised"] = other.data["normalised"].copy()
    x = other.data["normalised"].iloc[1, 0]
    other.data["normalised"].iloc[1, 0] = np.nextafter(x, np.inf)  # one ulp
    assert not other.equals(run)


def test_equals_detects_changed_flags_log_and_weights(run):
    a = regen(run)
    a.flags = a.flags.copy()
    a.flags.iloc[0, 0] = "missing"
    assert not a.equals(run)
    b = regen(run)
    b.log = {**b.log, "points": {**b.log["points"], "X1": 51}}
    assert not b.equals(run)
    c = regen(run)
    c.weights = c.weights * 1.0 + 0.0
    assert c.equals(run)
    c.weights.iloc[0] = 49.0
    assert not c.equals(run)


def test_data_hash_changes_with_any_value_status_or_source():
    base = make_panel()
    h = base.data_hash()
    for column, new in (("value", 11.0), ("status", "imputed"), ("source", "other.xlsx")):
        f = base.frame.copy()
        f.loc[0, column] = new
        assert Panel(f, base.source).data_hash() != h, column
    shuffled = base.frame.sample(frac=1.0, random_state=1).reset_index(drop=True)
    assert Panel(shuffled).data_hash() == h  # canonical: row order does not matter
    runs = [evaluate(FW, p, 2022, REGIONS) for p in (base, make_panel(rows()[:-1]))]
    assert runs[0].data_hash != runs[1].data_hash


# --------------------------------------------------------------------------------------------
# reference implementations (the plain code the vectorised Panel methods replaced)


def ref_slice(panel: Panel, years, variables, regions) -> pd.DataFrame:
    f = panel.frame
    mask = f["year"].isin(list(years)) & f["variable"].isin(list(variables))
    mask &= f["region_code"].isin(list(regions))
    out = f.loc[mask].sort_values(["year", "variable", "region_code", "source"], kind="stable")
    return out.reset_index(drop=True)


def ref_wide(panel: Panel, year, variables, regions, framework=None) -> pd.DataFrame:
    f = panel.frame
    sub = f.loc[(f["year"] == year) & f["variable"].isin(list(variables))]
    combine = {}
    if framework is not None:
        combine = {v.code: v.combine for v in framework.variables if v.kind == "rubric"}
    multi = sub.duplicated(["region_code", "variable"], keep=False)
    table = sub.loc[~multi].pivot(index="region_code", columns="variable", values="value")
    for (code, var), grp in sub.loc[multi].groupby(["region_code", "variable"], sort=False):
        table.loc[code, var] = combine_scores(grp["value"].to_numpy(), combine.get(var, "mean"))
    return table.reindex(index=list(regions), columns=list(variables)).astype(float)


def ref_hash(panel: Panel) -> str:
    f = panel.frame.sort_values(list(COLUMNS), kind="stable")
    h = hashlib.sha256()
    for row in f.itertuples(index=False):
        v = float(row.value)
        value = "" if math.isnan(v) else v.hex()
        h.update(
            f"{row.region_code},{row.year},{row.variable},{value},{row.status},{row.source}\n".encode()
        )
    return h.hexdigest()


RUBRIC = cimon.load_framework("nx-2021")

panel_rows = st.lists(
    st.tuples(
        st.sampled_from(["640104", "640105", "110101", "999999"]),
        st.sampled_from([2019, 2020, 2021]),
        st.sampled_from(["gdp", "mgmt_org", "mgmt_policy", "hte"]),
        st.one_of(
            st.floats(-5, 5, allow_nan=False), st.integers(0, 5).map(float), st.just(math.nan)
        ),
        st.sampled_from(["reported", "estimated"]),
        st.sampled_from(["b", "a", "expert1", "expert0"]),
    ),
    min_size=0,
    max_size=80,
)


def as_panel(data) -> Panel:
    return Panel.from_frame(pd.DataFrame(data, columns=list(COLUMNS)))


@settings(max_examples=60, deadline=None)
@given(panel_rows)
def test_vectorised_panel_matches_reference(data):
    panel = as_panel(data)
    variables = ["gdp", "mgmt_org", "hte", "nope"]
    regions = ["640105", "640104", "110101", "123456"]
    got = panel.slice([2019, 2020, 2021], variables, regions).frame
    pd.testing.assert_frame_equal(got, ref_slice(panel, [2019, 2020, 2021], variables, regions))
    assert panel.data_hash() == ref_hash(panel)
    for year in (2020, 2021):
        for fw in (None, RUBRIC):
            a = panel.wide(year, variables, regions, fw)
            b = ref_wide(panel, year, variables, regions, fw)
            pd.testing.assert_frame_equal(a, b, check_exact=True)
            assert np.array_equal(a.to_numpy().view(np.int64), b.to_numpy().view(np.int64))


def test_vectorised_panel_matches_reference_on_a_large_sorted_panel():
    """Above 32 768 rows with long runs of equal variables the codes are computed per run."""
    rng = np.random.default_rng(0)
    codes = [f"11{i:04d}" for i in range(600)]
    parts = []
    for var in ("gdp", "hte", "mgmt_org"):
        n = 600 * 3 * (4 if var == "mgmt_org" else 1)
        parts.append(
            pd.DataFrame(
                {
                    "region_code": np.tile(np.repeat(codes, 4 if var == "mgmt_org" else 1), 3),
                    "year": np.repeat([2019, 2020, 2021], n // 3),
                    "variable": var,
                    "value": rng.integers(0, 6, n).astype(float),
                    "status": np.where(rng.random(n) < 0.05, "estimated", "reported"),
                    "source": rng.choice(["e2", "e1", "e3"], n),
                }
            )
        )
    panel = Panel.from_frame(pd.concat(parts * 6, ignore_index=True))
    assert len(panel.frame) > 32_768
    variables = ["gdp", "hte", "mgmt_org"]
    got = panel.slice([2020, 2021], variables, codes).frame
    pd.testing.assert_frame_equal(got, ref_slice(panel, [2020, 2021], variables, codes))
    assert panel.data_hash() == ref_hash(panel)
    a = panel.wide(2021, variables, codes, RUBRIC)
    pd.testing.assert_frame_equal(
        a, ref_wide(panel, 2021, variables, codes, RUBRIC), check_exact=True
    )


# --------------------------------------------------------------------------------------------
# properties of whole evaluations on random panels

values = st.one_of(st.integers(0, 3000).map(lambda i: i / 100), st.just(0.0), st.none())


@st.composite
def random_panels(draw) -> Panel:
    data = []
    for code in REGIONS.codes:
        for year in (2019, 2020, 2021):
            for var in "abc":
                v = draw(values)
                if v is None and year != 2021:  # absent; in the data year: a row without a value,
                    continue  # so every county and variable is present (else evaluate refuses)
                status = draw(st.sampled_from(["reported", "reported", "estimated", "imputed"]))
                data.append((code, year, var, math.nan if v is None else v, status))
    return make_panel(data)


BOUNDED = [
    n
    for _, n in registered("normalise")
    if REGISTRY["normalise"][n].bounded and n in ("target", "minmax", "rank", "distance_to_best")
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_panels(), st.sampled_from(BOUNDED), st.sampled_from(["points", "equal"]))
def test_scores_within_points_and_weights_sum_to_total(panel, method, weighting):
    overrides = {"weight.method": weighting}
    if method != "target":
        overrides["normalise.method"] = method
    run = evaluate(FW, panel, 2022, REGIONS, overrides=overrides)
    assert run.weights.sum() == pytest.approx(100.0)
    pts = run.data["points"].to_numpy()
    assert (pts >= 0).all() and (pts <= run.weights.to_numpy() + 1e-9).all()
    score = run.results["score"].to_numpy()
    assert ((score >= 0) & (score <= 100 + 1e-9)).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_panels())
def test_regen_identical_on_random_panels(panel):
    run = evaluate(FW, panel, 2022, REGIONS)
    assert regen(run).equals(run)
    (again,) = evaluate_years(FW, panel, [2022], REGIONS).values()
    assert again.equals(run)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 1000), min_size=2, max_size=8, unique=True))
def test_flipping_direction_reverses_ranks(tenths):
    """One indicator, min-max scaled: + gives 100·(x − min)/(max − min), − gives
    100·(max − x)/(max − min). Distinct values a tenth apart or more publish distinct scores, so
    the ranks mirror: rank under − = n + 1 − rank under +."""
    xs = [t / 10 for t in tenths]
    up = scores_of(xs, one_indicator("+", {"method": "minmax"})).results["rank"].to_numpy()
    down = scores_of(xs, one_indicator("-", {"method": "minmax"})).results["rank"].to_numpy()
    assert np.array_equal(down, len(xs) + 1 - up)
    assert np.array_equal(np.argsort(up), np.argsort(-np.asarray(xs)))
