"""Golden test: COINr's ASEM index reproduced THROUGH ``cimon.evaluate``, at its full three levels.

The same published example as :mod:`tests.golden.test_asem` (COINr's ASEM data, MIT licence, see
``data/asem/README.md``): 51 countries, 49 indicators → 8 pillars → 2 sub-indices (Conn, Sust) →
the Index. There each stage's pure function is checked; here the whole chain runs as a framework
(indicator → pillar → sub-index → index with a ``groups:`` block, free country codes as units with
``units: {kind: free}``, the Europe/Asia group as a ``Group_EurAsia=…`` tag) and one
``evaluate()`` call, as a user would run it:

* denominate: formulas ``v_Goods / Den_GDP``;
* impute: ``group_mean`` over ``Group_EurAsia``; treat: ``winsorise`` (COINr's defaults);
* normalise: ``minmax`` (COINr scales to [0, 100]; cimon to fractions, × 100 below);
* aggregate: ``weighted_mean`` with ``missing: skip``, level by level.

Tolerances: the Index, every sub-index and every pillar to 1e-6 points of COINr's unrounded
``Aggregated`` data set; COINr's published scores (2 decimals) exactly after rounding; the
published Index ranks exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cimon.engine.levels import tree_points
from cimon.engine.pipeline import evaluate, regen
from cimon.engine.run import Run
from cimon.model.framework import load_framework
from cimon.model.panel import Panel
from cimon.model.unit_ids import free_units

ASEM = Path(__file__).resolve().parent / "data" / "asem"
DENOMINATORS = ("Den_Area", "Den_Energy", "Den_GDP", "Den_Pop")
YEAR = 2018


def read(name: str, index: str | None = "UnitCode") -> pd.DataFrame:
    frame = pd.read_csv(ASEM / name)
    return frame.set_index(index) if index else frame


def asem_framework() -> dict[str, Any]:
    """The ASEM structure and methods as a cimon framework (YAML-shaped mapping)."""
    meta = read("coin_Input_IndMeta.csv", "IndCode")
    weights = read("coin_Parameters_Weights_Original.csv", None)
    weight = {str(r.Code): float(r.Weight) for r in weights.itertuples()}
    names = read("coin_Parameters_Code2Name.csv", None).set_index("AggCode")["AggName"]
    variables = [{"code": f"v_{c}", "department": "COINr"} for c in meta.index]
    variables += [{"code": d, "department": "COINr"} for d in DENOMINATORS]
    pillars = []
    for pillar in dict.fromkeys(meta["Agg1"]):
        rows = meta[meta["Agg1"] == pillar]
        indicators = []
        for code, row in rows.iterrows():
            den = row["Denominator"]
            indicators.append(
                {
                    "code": code,
                    "name_en": str(row["IndName"]),
                    "direction": "+" if int(row["Direction"]) > 0 else "-",
                    "points": weight[str(code)],
                    "formula": f"v_{code} / {den}" if isinstance(den, str) else f"v_{code}",
                }
            )
        pillars.append(
            {
                "code": pillar,
                "name_en": str(names.get(pillar, pillar)),
                "parent": str(rows["Agg2"].iloc[0]),
                "weight": weight[pillar],
                "indicators": indicators,
            }
        )
    groups = [
        {"code": g, "name_en": str(names.get(g, g)), "weight": weight[g]}
        for g in dict.fromkeys(meta["Agg2"])
    ]
    return {
        "id": "asem",
        "version": "coinr-0.6",
        "departments": ["COINr"],
        "data_lag": 0,
        "units": {"kind": "free"},
        "variables": variables,
        "groups": groups,
        "pillars": pillars,
        "pipeline": {
            "impute": {"method": "group_mean", "group": "Group_EurAsia"},
            "treat": {"method": "winsorise"},
            "normalise": {"method": "minmax"},
            "aggregate": {"method": "weighted_mean", "missing": "skip"},
        },
    }


def asem_panel() -> Panel:
    raw = read("coin_Raw.csv")
    dens = read("coin_Input_Denominators.csv")
    meta = read("coin_Input_IndMeta.csv", "IndCode")
    wide = pd.concat(
        [raw[list(meta.index)].add_prefix("v_"), dens[list(DENOMINATORS)]], axis=1
    ).rename_axis("region_code")
    long = wide.reset_index().melt("region_code", var_name="variable", value_name="value")
    long = long.dropna(subset=["value"])
    long["year"] = YEAR
    return Panel.from_frame(long, "asem")


@pytest.fixture(scope="module")
def run() -> Run:
    raw = read("coin_Raw.csv")
    units = free_units(
        (
            {"code": code, "name": row["UnitName"], "Group_EurAsia": row["Group_EurAsia"]}
            for code, row in raw.iterrows()
        ),
        kind="country",
        groups=["Group_EurAsia"],
    )
    return evaluate(load_framework(asem_framework()), asem_panel(), YEAR, units)


def test_every_level_matches_coinr(run: Run) -> None:
    """The Index, the 2 sub-indices and the 8 pillars, unrounded, to 1e-6 of COINr's."""
    ref = read("coin_Aggregated.csv")
    got_index = run.results["score"]
    np.testing.assert_allclose(got_index.loc[ref.index], ref["Index"], rtol=0, atol=1e-6)
    # each node's score is on its effective points: as a share × 100 it is COINr's 0–100 score
    eff = tree_points(run.framework, run.log["tree"], run.log["points"])
    assert eff["Conn"] == eff["Sust"] == 50.0 and eff["Physical"] == pytest.approx(10.0)
    for frame in (run.data["pillars"], run.data["groups"]):
        for code in frame.columns:
            share = 100.0 * frame[code] / eff[code]
            np.testing.assert_allclose(
                share.loc[ref.index], ref[code], rtol=0, atol=1e-6, err_msg=code
            )
    assert list(run.data["groups"].columns) == ["Conn", "Sust"]
    assert len(run.data["pillars"].columns) == 8


def test_published_scores_and_ranks(run: Run) -> None:
    """COINr's published table: 2-decimal scores of the Index and sub-indices, the Index rank."""
    published = read("coin_Results_AggregatesScore.csv")
    got = run.results.loc[published.index]
    np.testing.assert_array_equal(got["score_published"], published["Index"])
    np.testing.assert_array_equal(got["rank"], published["Rank"].astype(int))
    groups = run.data["groups"].loc[published.index]
    for code in ("Conn", "Sust"):  # effective points 50 each: the 0–100 score is 2 × points
        np.testing.assert_array_equal((2 * groups[code]).round(2), published[code])


def test_units_are_free_country_codes(run: Run) -> None:
    assert run.results.index[0] == "AUT" and run.results.loc["CHE", "name"] == "Switzerland"
    # the Europe/Asia grouping reached group imputation: 65 cells imputed as COINr did
    flags = run.flags.stack()
    assert int(flags.str.contains("imputed").sum()) == 65


def test_regen_reproduces_every_level(run: Run) -> None:
    again = regen(run)
    assert again.equals(run)
    assert "groups" in again.data and again.log["tree"]["Conn"] == {"parent": None, "weight": 1.0}


def test_without_a_registry_units_come_from_the_panel() -> None:
    """``units: free`` and no registry: the panel's codes are the units (named by their code).
    Group imputation then has no Europe/Asia group, so use the mean of all units instead."""
    fw = asem_framework()
    fw["pipeline"]["impute"] = {"method": "group_mean", "group": "all"}
    run = evaluate(load_framework(fw), asem_panel(), YEAR)
    assert len(run.results) == 51 and run.results.loc["CHE", "name"] == "CHE"
