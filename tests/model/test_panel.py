"""Panel reading (CSV/XLSX, long/wide), cell-precise errors, expert score combination."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from cimon.errors import PanelError
from cimon.model.framework import load_framework
from cimon.model.panel import Panel, combine_scores
from cimon.model.panel_file import read_panel
from cimon.model.regions import default_registry

FW = load_framework("nx-2021")
REG = default_registry()


def wide_xlsx(path, rows, header=("county", "year", "gdp", "rd_exp")):
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_read_wide_xlsx_by_name(tmp_path):
    p = wide_xlsx(
        tmp_path / "p.xlsx", [("西吉縣", 2021, 1000, "12.5"), ("640423", 2021, 2000, None)]
    )
    panel = read_panel(p, REG, FW)
    f = panel.frame.sort_values(["region_code", "variable"])
    assert f["region_code"].tolist() == [
        "640422",
        "640422",
        "640423",
    ]  # blank cell dropped, not zero
    assert f["value"].tolist() == [1000.0, 12.5, 2000.0]
    assert set(f["source"]) == {"p.xlsx"} and set(f["status"]) == {"reported"}


def test_unknown_county_names_the_cell(tmp_path):
    p = wide_xlsx(tmp_path / "p.xlsx", [("西吉县", 2021, 1, 1), ("火星县", 2021, 1, 1)])
    with pytest.raises(PanelError) as info:
        read_panel(p, REG, FW)
    assert info.value.where == "p.xlsx [数据!A3]"
    assert "火星县" in info.value.zh


def test_non_numeric_names_the_cell(tmp_path):
    p = wide_xlsx(tmp_path / "p.xlsx", [("西吉县", 2021, 1, 1), ("隆德县", 2021, 5, "十二")])
    with pytest.raises(PanelError) as info:
        read_panel(p, REG, FW)
    assert info.value.where == "p.xlsx [数据!D3]"
    assert "十二" in info.value.en and "not a number" in info.value.en


def test_unknown_column_in_wide_file(tmp_path):
    p = wide_xlsx(
        tmp_path / "p.xlsx", [("西吉县", 2021, 1, 1)], header=("county", "year", "gdp", "gpd")
    )
    with pytest.raises(PanelError) as info:
        read_panel(p, REG, FW)
    assert info.value.where == "p.xlsx [数据!D1]"


def test_read_long_csv_line_numbers(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text(
        "region_code,year,variable,value\n640422,2021,gdp,10\n640422,2021,rd_exp,abc\n",
        encoding="utf-8",
    )
    with pytest.raises(PanelError) as info:
        read_panel(p, REG, FW)
    assert info.value.where.startswith("long.csv:3")


def test_unsupported_and_missing_file(tmp_path):
    with pytest.raises(PanelError, match="not found"):
        read_panel(tmp_path / "none.csv", REG, FW)
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(PanelError, match="Unsupported"):
        read_panel(tmp_path / "x.txt", REG, FW)


def test_combine_scores():
    """去掉一个最高分和一个最低分: scores 2, 3, 4, 4, 5 → mean of 3, 4, 4 = 11/3."""
    s = np.array([4.0, 2.0, 5.0, 3.0, 4.0])
    assert combine_scores(s, "mean") == pytest.approx(18 / 5)
    assert combine_scores(s, "trimmed_mean") == pytest.approx(11 / 3)
    assert combine_scores(np.array([1.0, 5.0]), "trimmed_mean") == 3.0  # < 3 scores: plain mean
    assert math.isnan(combine_scores(np.array([np.nan]), "mean"))


def test_wide_combines_expert_rows_by_the_variable_rule():
    rows = [
        ("640422", 2021, "mgmt_org", v, "reported", f"expert{i}")
        for i, v in enumerate([4, 2, 5, 3, 4])
    ]
    rows.append(("640422", 2021, "gdp", 7.0, "reported", "统计局"))
    panel = Panel.from_frame(
        pd.DataFrame(rows, columns=["region_code", "year", "variable", "value", "status", "source"])
    )
    w = panel.wide(2021, ["gdp", "mgmt_org"], ["640422", "640423"], FW)
    assert w.loc["640422", "mgmt_org"] == pytest.approx(11 / 3)  # nx-2021 says trimmed_mean
    assert w.loc["640422", "gdp"] == 7.0
    assert np.isnan(w.loc["640423", "gdp"])


def test_data_hash_changes_with_value_status_and_source():
    base = pd.DataFrame(
        {
            "region_code": ["640422"],
            "year": [2021],
            "variable": ["gdp"],
            "value": [1.0],
            "status": ["reported"],
            "source": ["a"],
        }
    )
    h = Panel.from_frame(base).data_hash()
    assert Panel.from_frame(base.copy()).data_hash() == h
    for col, val in [("value", 1.0000000001), ("status", "estimated"), ("source", "b")]:
        changed = base.copy()
        changed[col] = [val]
        assert Panel.from_frame(changed).data_hash() != h
