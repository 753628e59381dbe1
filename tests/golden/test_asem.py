"""Golden test: COINr's ASEM example, reproduced stage by stage.

Source: the Asia–Europe Sustainable Connectivity example that ships with COINr (Becker, W. et al.,
EU JRC; R package COINr ≤ 0.6 / COINr6, MIT licence, github.com/bluefoxr/COINr6,
``build_ASEM()``), exported to CSV in ``shared/external/asem/`` (see its README). 51 countries,
49 indicators, 8 pillars, 2 sub-indices, one Index. ``build_ASEM()`` runs::

    denominate(ASEM, dset = "Raw")                                   # by the metadata's denominator
    impute(ASEM, imtype = "indgroup_mean", groupvar = "Group_EurAsia")
    treat(ASEM, dset = "Imputed")                                    # winmax = ceiling(0.1 * 51) = 6
    normalise(ASEM, dset = "Treated")                                # min-max to [0, 100]
    aggregate(ASEM, dset = "Normalised")                             # weighted arithmetic mean

Each stage is checked on the reference output of the stage before it (so a failure points at one
stage), then the whole chain from the raw data to the Index.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cimon.engine.aggregate import weighted_sum
from cimon.engine.impute import GroupMean, ImputeContext, group_mean
from cimon.engine.normalise import MinMax, minmax
from cimon.engine.treat import Winsorise, winsorise, winsorise_report

# COINr's ASEM example (MIT licence), every stage as CSV; vendored so the golden test always runs
ASEM = Path(__file__).resolve().parent / "data" / "asem"


def read(name: str, index: str | None = "UnitCode") -> pd.DataFrame:
    # keep_default_na=False would turn missing numbers into strings; only the summary needs "None"
    frame = pd.read_csv(ASEM / name, keep_default_na="Summary" not in name)
    return frame.set_index(index) if index else frame


@pytest.fixture(scope="module")
def meta() -> pd.DataFrame:
    """Indicator metadata as COINr held it (IndCode, Direction, Denominator, Agg1..3)."""
    return read("coin_Input_IndMeta.csv", "IndCode")


@pytest.fixture(scope="module")
def codes(meta: pd.DataFrame) -> list[str]:
    return list(meta.index)


def stage(name: str, codes: list[str]) -> np.ndarray:
    return read(f"coin_{name}.csv")[codes].to_numpy(float)


def denominate(raw: pd.DataFrame, dens: pd.DataFrame, meta: pd.DataFrame) -> np.ndarray:
    cols = []
    for code, row in meta.iterrows():
        x = raw[code].to_numpy(float)
        if isinstance(row["Denominator"], str):
            x = x / dens[row["Denominator"]].to_numpy(float)
        cols.append(x)
    return np.column_stack(cols)


def impute(x: np.ndarray, groups: np.ndarray) -> np.ndarray:
    return np.column_stack([group_mean(x[:, j], groups) for j in range(x.shape[1])])


def treat(x: np.ndarray) -> np.ndarray:
    return np.column_stack([winsorise(x[:, j], skew=2.0, kurt=3.5) for j in range(x.shape[1])])


def normalise(x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    return np.column_stack(
        [100.0 * minmax(x[:, j], direction=int(directions[j])) for j in range(x.shape[1])]
    )


def weighted_mean(children: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ w_j x_ij / Σ_{j: x_ij present} w_j: COINr's ``arith_mean`` (missing children skipped)."""
    present = ~np.isnan(children)
    return weighted_sum(np.where(present, children, 0.0), w) / (present.astype(float) @ w)


def aggregate(normalised: pd.DataFrame) -> pd.DataFrame:
    """Level by level: indicators → pillars (Agg1) → sub-indices (Agg2) → Index (Agg3)."""
    structure = read("coin_Parameters_Structure.csv", "IndCode")
    weights = read("coin_Parameters_Weights_Original.csv", None).set_index("Code")["Weight"]
    out = normalised.copy()
    child_level = pd.Series(list(structure.index), index=structure.index)
    for level in ("Agg1", "Agg2", "Agg3"):
        parents = structure[level]
        # children of each parent at this level: the unique child codes beneath it
        pairs = pd.DataFrame({"child": child_level.to_numpy(), "parent": parents.to_numpy()})
        pairs = pairs.drop_duplicates()
        for parent, grp in pairs.groupby("parent", sort=False):
            kids = list(grp["child"])
            w = weights.loc[kids].to_numpy(float)
            out[parent] = weighted_mean(out[kids].to_numpy(float), w)
        child_level = parents
    return out


def test_denominate(meta: pd.DataFrame, codes: list[str]) -> None:
    """Raw ÷ the denominator named in the metadata: bit for bit."""
    got = denominate(read("coin_Raw.csv"), read("coin_Input_Denominators.csv"), meta)
    np.testing.assert_array_equal(got, stage("Denominated", codes))


def test_denominate_from_imeta_idata(codes: list[str]) -> None:
    """The same step from ``iMeta``/``iData`` (COINr ≥ 1.0's re-export of the inputs, whose raw values
    carry a few more digits than COINr6's ``ASEMIndData``), so it agrees to ~1e-8 relative only."""
    imeta = read("iMeta.csv", None)
    ind = imeta[imeta["Type"] == "Indicator"].set_index("iCode").loc[codes]
    idata = read("iData.csv", "uCode")
    got = denominate(idata, idata, ind)
    np.testing.assert_allclose(got, stage("Denominated", codes), rtol=1e-7, atol=0)


def test_impute_group_mean(codes: list[str]) -> None:
    """Missing → mean of the unit's Europe/Asia group; 65 cells imputed (COINr's ``NImputed``).
    The mean is correctly rounded, which is what R's ``mean()`` gives: bit for bit."""
    den = read("coin_Denominated.csv")
    x = den[codes].to_numpy(float)
    groups = den["Group_EurAsia"].to_numpy()
    got = impute(x, groups)
    np.testing.assert_array_equal(got, stage("Imputed", codes))
    assert int(np.isnan(x).sum()) == 65
    # the thin class gives the same numbers through the pipeline's context
    m = GroupMean(group="Group_EurAsia")
    ctx = ImputeContext(groups={"Group_EurAsia": groups})
    np.testing.assert_array_equal(m.apply(x[:, 0], ctx), got[:, 0])


def test_treat_winsorise_values(codes: list[str]) -> None:
    """Winsorisation with |skew| > 2 and kurtosis > 3.5, winmax 6: bit for bit."""
    np.testing.assert_array_equal(treat(stage("Imputed", codes)), stage("Treated", codes))
    x = stage("Imputed", codes)[:, codes.index("Services")]
    np.testing.assert_array_equal(Winsorise().apply(x), winsorise(x))


def test_treat_winsorise_summary_and_flags(codes: list[str]) -> None:
    """Steps per indicator (“Winsorised N points”), and which cells were lowered (WHigh) or raised
    (WLow), as COINr's TreatSummary and TreatFlags record them. No indicator needed the log."""
    x = stage("Imputed", codes)
    summary = read("coin_Analysis_TreatSummary.csv", "IndCode")
    flags = read("coin_Analysis_TreatFlags.csv")[codes]
    for j, code in enumerate(codes):
        rep = winsorise_report(x[:, j])
        assert not rep.transformed, code
        expected = summary.loc[code, "Treatment"]
        assert expected == (f"Winsorised {rep.steps} points" if rep.steps else "None"), code
        assert summary.loc[code, "High"] == rep.high.sum(), code
        assert summary.loc[code, "Low"] == rep.low.sum(), code
        np.testing.assert_array_equal(flags[code].to_numpy() == "WHigh", rep.high, err_msg=code)
        np.testing.assert_array_equal(flags[code].to_numpy() == "WLow", rep.low, err_msg=code)
    assert summary["Treatment"].str.startswith("Winsorised").sum() == 15


def test_normalise_minmax(meta: pd.DataFrame, codes: list[str]) -> None:
    """Min-max × 100 of the treated data, direction −1 as max-min of −x: bit for bit."""
    directions = meta["Direction"].to_numpy()
    got = normalise(stage("Treated", codes), directions)
    np.testing.assert_array_equal(got, stage("Normalised", codes))
    j = codes.index("Tariff")  # a direction −1 indicator through the class
    x = stage("Treated", codes)[:, j]
    np.testing.assert_array_equal(100.0 * MinMax(constant=0.0).apply(x, -1), got[:, j])


def test_aggregate_levels(codes: list[str]) -> None:
    """Weighted arithmetic means level by level from COINr's normalised data (to 1e-9)."""
    ref = read("coin_Aggregated.csv")
    got = aggregate(read("coin_Normalised.csv")[codes])
    aggs = [c for c in ref.columns if c not in codes and c in got.columns]
    assert len(aggs) == 11  # 8 pillars, 2 sub-indices, the Index
    np.testing.assert_allclose(got[aggs].to_numpy(), ref[aggs].to_numpy(float), rtol=0, atol=1e-9)


def test_whole_chain_to_index(meta: pd.DataFrame, codes: list[str]) -> None:
    """Raw data → Index with the engine's functions only: the Index to 1e-6, and the published
    2-decimal scores and ranks."""
    raw = read("coin_Raw.csv")
    x = denominate(raw, read("coin_Input_Denominators.csv"), meta)
    x = impute(x, raw["Group_EurAsia"].to_numpy())
    x = treat(x)
    x = normalise(x, meta["Direction"].to_numpy())
    got = aggregate(pd.DataFrame(x, index=raw.index, columns=codes))
    ref = read("coin_Aggregated.csv")
    np.testing.assert_allclose(got["Index"], ref["Index"], rtol=0, atol=1e-6)
    published = read("coin_Results_AggregatesScore.csv")
    for col in ("Index", "Conn", "Sust", "Physical", "SusEcFin"):
        np.testing.assert_allclose(
            got.loc[published.index, col].round(2), published[col], rtol=0, atol=1e-9
        )
    ranks = got["Index"].rank(ascending=False, method="min").astype(int)
    np.testing.assert_array_equal(ranks.loc[published.index], published["Rank"].astype(int))
