"""The synthetic (模拟数据) demo panel: shipped file, calibration, completeness and consistency."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import cimon
from cimon.data.demo import (
    DATA_YEARS,
    DESIGN,
    ESTIMATED,
    EVALUATION_YEARS,
    MISSING,
    N_EXPERTS,
    generate_demo_panel,
    shipped_path,
    to_csv_text,
)

#: Class counts of nx-2021 on the demo panel, per evaluation year (data year = year − 1).
EXPECTED_COUNTS = {
    2020: {"A": 0, "B": 12, "C": 10},  # seed 000 section 二: the starting point, exactly
    2021: {"A": 1, "B": 12, "C": 9},
    2022: {"A": 2, "B": 11, "C": 9},
    2023: {"A": 5, "B": 10, "C": 7},
    2024: {"A": 7, "B": 8, "C": 7},
    2025: {"A": 10, "B": 8, "C": 4},  # the seed's 2025 target, "about" 10 / 8 / 4
}


@pytest.fixture(scope="module")
def generated() -> cimon.Panel:
    return generate_demo_panel()


@pytest.fixture(scope="module")
def panel() -> cimon.Panel:
    return cimon.demo_panel()


@pytest.fixture(scope="module")
def runs(panel: cimon.Panel) -> dict[int, object]:
    fw = cimon.load_framework("nx-2021")
    return {y: cimon.evaluate(fw, panel, y) for y in EVALUATION_YEARS}


@pytest.fixture(scope="module")
def wide(panel: cimon.Panel) -> pd.DataFrame:
    """(year, region) × variable, experts' scores averaged."""
    f = panel.frame
    return f.pivot_table(
        index=["year", "region_code"],
        columns="variable",
        values="value",
        aggfunc="mean",
        dropna=False,
    )


def test_shipped_csv_equals_generator_output(generated, panel):
    assert shipped_path().read_text(encoding="utf-8") == to_csv_text(generated)
    pd.testing.assert_frame_equal(panel.frame, generated.frame)
    assert panel.data_hash() == generated.data_hash()


def test_csv_layout():
    lines = shipped_path().read_text(encoding="utf-8").splitlines()
    assert lines[0] == "region_code,year,variable,value,status,source"
    assert not any(line.startswith("#") for line in lines)


def test_generator_is_seeded(generated):
    # determinism across processes is what test_shipped_csv_equals_generator_output checks
    assert generate_demo_panel(seed=1).data_hash() != generated.data_hash()


def test_labelled_synthetic(panel):
    assert "模拟数据" in panel.source and "synthetic" in panel.source
    quantitative = panel.frame.loc[~panel.frame["source"].str.startswith("expert")]
    assert quantitative["source"].str.startswith("模拟数据:").all()


def test_2020_evaluation_is_the_seed_starting_point(runs):
    assert runs[2020].class_counts() == {"A": 0, "B": 12, "C": 10}
    assert runs[2020].data_year == 2019


def test_class_counts_per_year(runs):
    assert {y: r.class_counts() for y, r in runs.items()} == EXPECTED_COUNTS
    a = [EXPECTED_COUNTS[y]["A"] for y in EVALUATION_YEARS]
    assert a == sorted(a)  # the A class only grows, as designed


def test_classes_change_across_years(runs):
    years = list(EVALUATION_YEARS)
    for prev, year in itertools.pairwise(years):
        changed = runs[prev].results["class"] != runs[year].results["class"]
        assert changed.any(), f"no county changed class between {prev} and {year}"
    res = {y: runs[y].results for y in years}
    name = res[2020]["name"]
    # a fast improver goes C → B, a county falls B → C and comes back, one declines
    assert res[2020].loc[name == "彭阳县", "class"].item() == "C"
    assert res[2023].loc[name == "彭阳县", "class"].item() == "B"
    pingluo = [res[y].loc[name == "平罗县", "class"].item() for y in years]
    assert pingluo == ["B", "B", "C", "B", "B", "B"]
    huinong = [res[y].loc[name == "惠农区", "score"].item() for y in years]
    assert huinong[-1] < huinong[0]


def test_designed_scores_are_hit(runs):
    for year, run in runs.items():
        t = DATA_YEARS.index(year - 1)
        designed = pd.Series({c: d.scores[t] for c, d in DESIGN.items()})
        diff = (run.results["score"] - designed.reindex(run.results.index)).abs()
        blemished = {c for c, y, _ in MISSING if y == year - 1}
        ok = diff[~diff.index.isin(blemished)]
        assert ok.max() < 1.5, ok.sort_values().tail()


def test_every_variable_every_county_every_year(panel):
    fw = cimon.load_framework("nx-2021")
    f = panel.frame
    regions = cimon.default_registry().codes
    assert sorted(f["year"].unique()) == list(DATA_YEARS)
    for var in fw.variables:
        rows = f.loc[f["variable"] == var.code]
        per = rows.groupby(["year", "region_code"]).size()
        expected = N_EXPERTS if var.kind == "rubric" else 1
        assert len(per) == len(DATA_YEARS) * len(regions), var.code
        assert (per == expected).all(), var.code


def test_rubric_rows_are_five_experts(panel):
    f = panel.frame
    rubric = f.loc[f["variable"].isin(["mgmt_org", "mgmt_policy", "mgmt_projects"])]
    assert set(rubric["source"]) == {f"expert{k}" for k in range(1, 6)}
    assert (rubric["status"] == "reported").all()
    v = rubric["value"].to_numpy()
    assert ((v >= 0) & (v <= 5)).all()
    assert np.array_equal(v * 2, np.round(v * 2))  # steps of 0.5


def test_statuses_and_blemishes(panel, runs):
    f = panel.frame
    missing = f.loc[f["status"] == "missing"]
    assert {(r.region_code, r.year, r.variable) for r in missing.itertuples()} == set(MISSING)
    assert missing["value"].isna().all()
    estimated = f.loc[f["status"] == "estimated"]
    assert {(r.region_code, r.year, r.variable) for r in estimated.itertuples()} == set(ESTIMATED)
    assert f.loc[f["status"] != "missing", "value"].notna().all()
    assert set(f["status"]) == {"reported", "missing", "estimated"}
    # the blemishes show as flags in the evaluations
    for code, year, _ in MISSING:
        assert "missing" in runs[year + 1].results.loc[code, "flags"]
    for code, year, _ in ESTIMATED:
        assert "input:estimated" in runs[year + 1].results.loc[code, "flags"]


def test_consistency(wide):
    w = wide.dropna(subset=["rd_exp", "ent_rd"])
    assert (w["ent_rd"] <= w["rd_exp"]).all()
    assert (wide["ent_with_rd"] <= wide["ent_count"]).all()
    assert (wide["ht_value_added"] <= wide["ind_value_added"]).all()
    assert (wide["new_product_sales"] <= wide["ent_revenue"]).all()
    assert (wide["ind_value_added"] <= wide["ent_revenue"]).all()
    assert (wide["hte"] <= wide["tsme"]).all()
    assert (wide["fiscal_rd"] <= wide["fiscal_st"]).all()
    assert (wide["fiscal_st"] <= wide["fiscal_exp"]).all()
    assert (wide["employment"] <= wide["population"]).all()
    assert wide["park_level"].isin([0, 1, 2, 3]).all()
    counts = ["hte", "tsme", "ent_count", "ent_with_rd", "new_rd_inst", "sci_platforms",
              "ndrc_platforms", "incubators", "tech_commissioners", "invention_patents",
              "transfer_projects", "population", "employment"]  # fmt: skip
    for var in counts:
        assert np.array_equal(wide[var], np.round(wide[var])), var
    # stocks never fall
    for var in ("invention_patents", "park_level", "new_rd_inst", "sci_platforms"):
        s = wide[var].unstack("region_code")
        assert (s.diff().iloc[1:] >= 0).all().all(), var


def test_realistic_magnitudes(wide):
    y19 = wide.xs(2019, level="year")
    assert y19["gdp"].between(50e4, 700e4).all()  # 50–700 亿元, in 万元
    assert wide["population"].between(10e4, 80e4 * 1.1).all()
    intensity = 100 * wide["rd_exp"] / wide["gdp"]
    assert intensity.between(0.1, 3.2).all()
    assert wide["hte"].between(0, 60).all()
    # city districts of 银川 stronger than 固原's mountain counties
    reg = cimon.default_registry()
    yinchuan = [r.code for r in reg if r.city == "银川市" and r.type == "区"]
    guyuan = [r.code for r in reg if r.city == "固原市"]
    assert (
        intensity.xs(2019, level="year")[yinchuan].min()
        > intensity.xs(2019, level="year")[guyuan].max()
    )


def test_every_county_has_a_design_row():
    assert set(DESIGN) == set(cimon.default_registry().codes)
    for d in DESIGN.values():
        assert len(d.scores) == len(DATA_YEARS)
