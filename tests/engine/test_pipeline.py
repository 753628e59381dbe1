"""End-to-end pipeline on a hand-made panel: scores, flags, ranks, classes, overrides, errors.

The tiny framework (``tiny()``) has three indicators in two pillars, points 50 + 30 + 20:

* X1 = a, target attainment with floor 0 and target 10 (50 points);
* X2 = share(a, b) = 100·a/b, floor 0, target 50 (30 points);
* X3 = growth(c) = 100·(c_t − c_{t−1})/c_{t−1}, floor 0, target 10 (20 points), missing values
  carried forward from last year's growth, then bounded to [−100, 100].

The 2022 evaluation uses 2021 data (data_lag 1); growth needs 2020, and carry-forward needs the
2020 growth, so 2019 too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cimon
from cimon.engine.classify import published, rank_within
from cimon.engine.pipeline import (
    _rank_within,
    apply_overrides,
    build_log,
    evaluable_years,
    evaluate,
    evaluate_years,
    log_max_lag,
    prepare,
    regen,
    run_log,
)
from cimon.errors import PanelError
from cimon.model.regions import Region, RegionRegistry


def tiny(**pipeline: dict) -> dict:
    return {
        "id": "tiny",
        "version": "1",
        "data_lag": 1,
        "rounding": 2,
        "classes": [
            {"label": "A", "min": 80},
            {"label": "B", "min": 60},
            {"label": "C", "min": None},
        ],
        "pipeline": {
            "impute": {"method": "none"},
            "treat": {"method": "none"},
            "normalise": {"method": "target"},
            "weight": {"method": "points"},
            "aggregate": {"method": "sum"},
            **pipeline,
        },
        "variables": [
            {"code": "a", "name_zh": "甲", "name_en": "A", "unit": "个", "department": "科技厅"},
            {"code": "b", "name_zh": "乙", "name_en": "B", "unit": "万元", "department": "统计局"},
            {"code": "c", "name_zh": "丙", "name_en": "C", "unit": "万元", "department": "财政厅"},
        ],
        "pillars": [
            {
                "code": "p1",
                "points": 80,
                "indicators": [
                    {
                        "code": "X1",
                        "points": 50,
                        "formula": "a",
                        "normalise": {"method": "target", "floor": 0, "target": 10},
                    },
                    {
                        "code": "X2",
                        "points": 30,
                        "formula": "share(a, b)",
                        "normalise": {"method": "target", "floor": 0, "target": 50},
                    },
                ],
            },
            {
                "code": "p2",
                "points": 20,
                "indicators": [
                    {
                        "code": "X3",
                        "points": 20,
                        "formula": "growth(c)",
                        "impute": {"method": "carry_forward"},
                        "treat": {"method": "bounds", "floor": -100, "cap": 100},
                        "normalise": {"method": "target", "floor": 0, "target": 10},
                    }
                ],
            },
        ],
    }


REGIONS = RegionRegistry(
    [
        Region("110101", "甲县", "110100", "一市", "测试省", "县", ("山区县",)),
        Region("110102", "乙县", "110100", "一市", "测试省", "县"),
        Region("110201", "丙县", "110200", "二市", "测试省", "县", ("山区县",)),
        Region("110202", "丁县", "110200", "二市", "测试省", "区"),
    ],
    "<test>",
)
R1, R2, R3, R4 = REGIONS.codes


def rows() -> list[tuple]:
    """(region, year, variable, value, status)."""
    out = []
    for year in (2019, 2020, 2021):
        out += [
            (R1, year, "a", 10.0, "reported"),
            (R1, year, "b", 20.0, "reported"),
            (R2, year, "a", 5.0, "reported"),
            (R2, year, "b", 20.0, "estimated" if year == 2021 else "reported"),
            (R3, year, "a", 8.0, "reported"),
            (R3, year, "b", 10.0, "reported"),
            (R4, year, "a", 8.0, "reported"),
            (R4, year, "b", 10.0, "reported"),
        ]
    c = {R1: (100, 100, 250), R2: (100, 100, 105), R3: (0, 0, 5), R4: (None, 100, None)}
    for code, series in c.items():
        for year, value in zip((2019, 2020, 2021), series, strict=True):
            if value is not None:
                out.append((code, year, "c", float(value), "reported"))
    return out


def make_panel(data: list[tuple] | None = None) -> cimon.Panel:
    df = pd.DataFrame(
        data if data is not None else rows(),
        columns=["region_code", "year", "variable", "value", "status"],
    )
    return cimon.Panel.from_frame(df, "test.csv")


@pytest.fixture(scope="module")
def fw():
    return cimon.load_framework(tiny())


@pytest.fixture(scope="module")
def run(fw):
    return evaluate(fw, make_panel(), 2022, REGIONS)


def test_scores_by_hand(run):
    """Hand arithmetic (points = points × clip((x − floor)/(target − floor), 0, 1)):

    * 甲县: X1 = 10 → 10/10 = 1 → 50; X2 = 100·10/20 = 50 % → 50/50 = 1 → 30;
      X3 = 100·(250 − 100)/100 = 150 % → bounded to 100 → 1 → 20. Total 100.
    * 乙县: X1 = 5 → 0.5 → 25; X2 = 100·5/20 = 25 % → 0.5 → 15; X3 = 5 % → 0.5 → 10. Total 50.
    * 丙县: X1 = 8 → 0.8 → 40; X2 = 100·8/10 = 80 % → capped 1 → 30; X3: base 0, current 5 →
      undefined; carried forward from 2020's growth (0 → 0 is 0 %) → 0 → 0. Total 70.
    * 丁县: 40 + 30 as 丙县; X3: no 2021 value and no 2020 growth (no 2019 value) → missing
      → 0 points. Total 70.
    """
    res = run.results
    assert res["score"].tolist() == pytest.approx([100.0, 50.0, 70.0, 70.0], abs=1e-12)
    pts = run.data["points"]
    assert pts.loc[R2].tolist() == pytest.approx([25.0, 15.0, 10.0])
    assert run.data["derived"].loc[R1, "X3"] == pytest.approx(150.0)
    assert run.data["treated"].loc[R1, "X3"] == 100.0
    assert run.data["pillars"].loc[R3].tolist() == pytest.approx([70.0, 0.0])
    assert run.weights.tolist() == [50.0, 30.0, 20.0]
    assert list(run.data["raw"].columns) == ["a", "b", "c"]
    assert run.data["raw"].loc[R4].isna().tolist() == [False, False, True]


def test_flags(run):
    f = run.flags
    assert f.loc[R1].tolist() == ["", "", "treated:bounds"]
    assert f.loc[R2].tolist() == ["", "input:estimated", ""]  # X2 reads b; X1 does not
    assert f.loc[R3, "X3"] == "undefined;imputed:carry_forward"
    assert f.loc[R4, "X3"] == "missing"
    assert run.results["flags"].tolist() == [
        "treated:bounds",
        "input:estimated",
        "imputed:carry_forward;undefined",  # per county: the sorted union
        "missing",
    ]


def test_competition_ranks_and_city_ranks(run):
    """Scores 100, 50, 70, 70 → ranks 1, 4, 2, 2 (tied counties share the best rank, the next
    rank is skipped). Within cities: 一市 (100, 50) → 1, 2; 二市 (70, 70) → 1, 1."""
    res = run.results
    assert res["rank"].tolist() == [1, 4, 2, 2]
    assert res["rank_city"].tolist() == [1, 2, 1, 1]
    assert res["class"].tolist() == ["A", "C", "B", "B"]
    tag = res["rank_tag:山区县"]
    assert (
        tag.loc[R1] == 1 and tag.loc[R3] == 2 and tag.isna().tolist() == [False, True, False, True]
    )


def one_indicator(direction: str = "+", normalise: dict | None = None, lag: int = 1) -> dict:
    return {
        "id": "one",
        "version": "1",
        "data_lag": lag,
        "variables": [{"code": "a", "name_zh": "甲", "unit": "个", "department": "科技厅"}],
        "pillars": [
            {
                "code": "p",
                "points": 100,
                "indicators": [
                    {
                        "code": "X",
                        "points": 100,
                        "formula": "a",
                        "direction": direction,
                        "normalise": normalise or {"method": "target", "floor": 0, "target": 1},
                    }
                ],
            }
        ],
    }


def scores_of(values: list[float], fw_data: dict | None = None) -> cimon.engine.run.Run:
    regions = RegionRegistry(
        [
            Region(f"1101{i:02d}", f"县{i}", "110100", "一市", "测试省", "县")
            for i in range(len(values))
        ]
    )
    df = pd.DataFrame(
        {"region_code": regions.codes, "year": 2021, "variable": "a", "value": values}
    )
    fw = cimon.load_framework(fw_data or one_indicator())
    return evaluate(fw, cimon.Panel.from_frame(df), 2022, regions)


def test_classes_at_exact_thresholds_and_rounding():
    """One indicator worth 100 points, target attainment with target 1, so score = 100·a.

    Classes read the published score (np.round to 2 decimals): 0.8 → 80.00 → A (inclusive),
    0.6 → 60.00 → B, 0.5999 → 59.99 → C. A score of 79.995 is stored as the double
    79.99500000000000454…, and np.round(79.995, 2) = 80.0 → A.

    np.round scales by 100, rounds the product to a double and then rounds half to even: 59.995
    is stored as 59.99499999999999744… but 59.995·100 is exactly 5999.5 in floating point, so
    np.round gives 60.00 (class B) where Python's round() gives 59.99. Published scores follow
    np.round; this test pins that behaviour.
    """
    run = scores_of([0.8, 0.6, 0.5999, 0.79995, 0.59995])
    res = run.results
    assert res["score_published"].tolist() == [80.0, 60.0, 59.99, 80.0, 60.0]
    assert res["class"].tolist() == ["A", "B", "C", "A", "B"]
    assert res["rank"].tolist() == [1, 3, 5, 1, 3]
    assert np.round(59.995, 2) == 60.0 and round(59.995, 2) == 59.99
    assert published(np.array([79.995]))[0] == 80.0


def test_ties_on_the_published_score():
    """80.001 and 80.004 both publish as 80.00 and tie; 79.996 publishes as 80.00 too."""
    run = scores_of([0.80001, 0.80004, 0.79996, 0.5])
    assert run.results["rank"].tolist() == [1, 1, 1, 4]


def test_flipping_direction_reverses_ranks():
    """With min-max scaling, direction − maps x to (max − x)/(max − min): the order reverses."""
    values = [3.0, 1.0, 4.0, 1.5, 9.0]
    up = scores_of(values, one_indicator("+", {"method": "minmax"})).results["rank"]
    down = scores_of(values, one_indicator("-", {"method": "minmax"})).results["rank"]
    assert up.tolist() == [3, 5, 2, 4, 1]
    assert down.tolist() == [3, 1, 4, 2, 5]


# --------------------------------------------------------------------------------------------
# the log and overrides


def test_override_one_target(fw):
    """X1's target 10 → 20 halves X1's points: 乙县 25 → 12.5, total 50 → 37.5."""
    run = evaluate(fw, make_panel(), 2022, REGIONS, overrides={"normalise.X1.target": 20})
    assert run.log["normalise"]["X1"]["target"] == 20
    assert run.log["normalise"]["X2"]["target"] == 50
    assert run.results.loc[R2, "score"] == pytest.approx(37.5)


def test_override_switches_every_normaliser(fw):
    run = evaluate(fw, make_panel(), 2022, REGIONS, overrides={"normalise.method": "minmax"})
    assert {spec["method"] for spec in run.log["normalise"].values()} == {"minmax"}
    assert "target" not in run.log["normalise"]["X1"]  # parameters minmax does not take dropped
    # X1 values 10, 5, 8, 8 → (x − 5)/(10 − 5) = 1, 0, 0.6, 0.6
    assert run.data["normalised"]["X1"].tolist() == pytest.approx([1.0, 0.0, 0.6, 0.6])


def test_override_weights_and_points(fw):
    run = evaluate(fw, make_panel(), 2022, REGIONS, overrides={"weight.method": "equal"})
    assert run.weights.tolist() == pytest.approx([100 / 3] * 3)
    run = evaluate(fw, make_panel(), 2022, REGIONS, overrides={"points.X1": 70, "points.X3": 0})
    assert run.weights.tolist() == [70.0, 30.0, 0.0]
    assert run.results.loc[R2, "score"] == pytest.approx(0.5 * 70 + 15)


def test_variant_via_run_log_equals_evaluate_with_overrides(fw, run):
    log = run.variant(**{"normalise.X1.target": 20})
    variant = run_log(run.framework, run.inputs, run.year, run.regions, log)
    direct = evaluate(fw, make_panel(), 2022, REGIONS, overrides={"normalise.X1.target": 20})
    assert variant.equals(direct)
    assert run.log["normalise"]["X1"]["target"] == 10  # the nominal run is untouched


def test_run_log_on_prepared_inputs_is_the_same_run(fw, run):
    """The inputs prepared once (cube, regions, statuses) give every variant the run it gets
    alone; a log reaching further back, or another year, is not served a short cube."""
    prep = prepare(run.framework, run.inputs, run.year, run.regions, log_max_lag(run.log))
    for overrides in ({"normalise.X1.target": 20}, {"impute.X3.method": "none"}, {}):
        log = run.variant(**overrides)
        alone = run_log(run.framework, run.inputs, run.year, run.regions, log)
        shared = run_log(run.framework, run.inputs, run.year, run.regions, log, prep)
        assert shared.equals(alone)
    assert prep.lag == 1
    short = prepare(run.framework, run.inputs, run.year, run.regions, 0)
    assert short.cube.years != prep.cube.years
    again = run_log(run.framework, run.inputs, run.year, run.regions, run.log, short)
    assert again.equals(run)
    other = prepare(run.framework, run.inputs, 2021, run.regions, 1)
    assert run_log(run.framework, run.inputs, run.year, run.regions, run.log, other).equals(run)


def test_apply_overrides_unknown_entry(fw):
    with pytest.raises(cimon.CimonError, match="weights"):
        apply_overrides(build_log(fw), {"weights.method": "equal"}, fw)


@pytest.mark.parametrize(
    ("address", "value"),
    [("points.X1", "abc"), ("normalise.X1.target", "high"), ("points.X1", -3), ("points.X1", True)],
)
def test_apply_overrides_checks_values(fw, address, value):
    """A bad override value is a clean error naming the address, not an internal error later."""
    with pytest.raises(cimon.CimonError) as info:
        apply_overrides(build_log(fw), {address: value}, fw)
    assert info.value.where == address


# --------------------------------------------------------------------------------------------
# evaluate_years


def test_evaluable_years_skip_the_first_data_year_and_add_the_lag(fw):
    """Data of 2019–2021: 2019 has no year before it for growth, so the evaluations are those
    of 2020 and 2021 data, the 2021 and 2022 evaluations (data_lag 1)."""
    assert evaluable_years(fw, make_panel()) == [2021, 2022]
    assert evaluable_years(fw, make_panel([r for r in rows() if r[1] == 2021])) == []


def test_evaluate_years_equals_evaluate_per_year(fw):
    data = rows() + [
        (r, 2022, v, 1.0 + i, "reported") for i, r in enumerate(REGIONS.codes) for v in "abc"
    ]
    panel = make_panel(data)
    runs = evaluate_years(fw, panel, [2023, 2022], REGIONS)
    assert list(runs) == [2023, 2022]
    for year, r in runs.items():
        one = evaluate(fw, panel, year, REGIONS)
        assert r.equals(one)
        pd.testing.assert_frame_equal(r.inputs.frame, one.inputs.frame)
        assert r.data_hash == one.data_hash


@pytest.mark.parametrize(
    "overrides",
    [
        {"impute.method": "carry_forward"},  # "previous" is shared between consecutive years
        {
            "derive.X1.formula": "lag(a, 2)",
            "impute.X1.method": "carry_forward",
        },  # reads back further
    ],
)
def test_evaluate_years_with_overrides_equals_evaluate(fw, overrides):
    data = rows() + [
        (r, y, v, 2.0 + i + y % 7, "reported")
        for i, r in enumerate(REGIONS.codes)
        for y in (2017, 2018, 2022)
        for v in "abc"
    ]
    # 乙县 has no a in 2019: X1 = lag(a, 2) is missing for 2021 and carried forward from 2020's
    # value, which reads 2018 — outside the 2022 evaluation's inputs, inside the 2021 one's
    data = [d for d in data if d[:3] != (R2, 2019, "a")]
    panel = make_panel(data)
    runs = evaluate_years(fw, panel, range(2020, 2024), REGIONS, overrides=overrides)
    for year, r in runs.items():
        assert r.equals(evaluate(fw, panel, year, REGIONS, overrides=overrides)), year
        assert regen(r).equals(r), year


def test_evaluate_years_inputs_are_the_canonical_slice(fw, run):
    panel = make_panel()
    expected = panel.slice(range(2019, 2022), ["a", "b", "c"], REGIONS.codes)
    pd.testing.assert_frame_equal(run.inputs.frame, expected.frame)
    assert run.inputs.source == "test.csv"


# --------------------------------------------------------------------------------------------
# errors name the place


def test_unknown_county_code(fw):
    data = [*rows(), ("999999", 2021, "a", 1.0, "reported")]
    with pytest.raises(PanelError, match="999999") as info:
        evaluate(fw, make_panel(data), 2022, REGIONS)
    assert info.value.where == "test.csv"


def test_missing_data_year(fw):
    with pytest.raises(PanelError, match="No data for 2024") as info:
        evaluate(fw, make_panel(), 2025, REGIONS)
    assert "2019, 2020, 2021" in str(info.value)


def test_missing_required_variable(fw):
    data = [r for r in rows() if not (r[2] == "b" and r[1] == 2021)]
    with pytest.raises(PanelError, match=r"\(b, supplied by 统计局\)") as info:
        evaluate(fw, make_panel(data), 2022, REGIONS)
    assert "乙" in str(info.value)


def test_county_with_no_data(fw):
    data = [r for r in rows() if not (r[0] == R3 and r[1] == 2021)]
    with pytest.raises(PanelError, match="丙县"):
        evaluate(fw, make_panel(data), 2022, REGIONS)


def test_evaluate_years_raises_for_the_first_bad_year(fw):
    with pytest.raises(PanelError, match="No data for 2024"):
        evaluate_years(fw, make_panel(), [2022, 2025, 2026], REGIONS)


# --------------------------------------------------------------------------------------------
# helpers


@pytest.mark.parametrize("ties", ["min", "dense"])
def test_grouped_ranks_agree_with_classify(ties):
    rng = np.random.default_rng(3)
    score = np.round(rng.uniform(0, 10, 500), 0)
    groups = rng.choice(["x", "y", "z", "w"], 500)
    assert np.array_equal(_rank_within(score, groups, ties), rank_within(score, list(groups), ties))
    assert _rank_within(np.zeros(0), np.array([], dtype=object)).tolist() == []
