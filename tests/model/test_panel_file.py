"""``--data`` files read numbers with the parser imports use (issue #15): the same strings give the
same values through :func:`read_panel` and a workbook import, and a value that cannot be parsed is a
clean error naming the file, the cell and what to do."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from cimon.errors import CimonError, PanelError
from cimon.intake.reader import read_submission
from cimon.model.framework import load_framework
from cimon.model.panel_file import read_panel
from cimon.model.regions import default_registry

FW = load_framework("nx-2021")
REG = default_registry()

#: (rd_exp in 万元, gdp in 万元, hte in 家): messy but valid cells, one county per row
MESSY = [
    ("640422", "1.2万", "3,000", "12"),
    ("640423", "１２３．４", "1.5亿元", "12个"),
    ("640424", "—", "200,000万元", "无"),
    ("640425", "(5)", "４５６７８", " 7 "),
    ("640323", "1e3", "¥1,234.5", "零"),
]


def _wide_csv(path: Path, rows: list[tuple[str, ...]]) -> Path:
    lines = [
        "region,year,rd_exp,gdp,hte",
        *(f"{r[0]},2021,{','.join(_q(c) for c in r[1:])}" for r in rows),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _q(cell: str) -> str:
    return f'"{cell}"' if "," in cell else cell


def test_the_same_strings_give_the_same_values_as_an_import(tmp_path: Path) -> None:
    p = _wide_csv(tmp_path / "data.csv", MESSY)
    panel = read_panel(p, REG, FW)
    from_file = {(r.region_code, r.variable): r.value for r in panel.frame.itertuples(index=False)}
    sub = read_submission(p, FW, REG, year=2022)
    assert sub.report.ok, sub.report.render()
    imported = {(r.region_code, r.variable): r.value for r in sub.records}
    assert set(from_file) <= set(imported)
    for key, value in imported.items():
        if math.isnan(value):
            assert key not in from_file  # no data: left out of the panel, never 0
        else:
            assert from_file[key] == value, key
    # spot checks: the conversions the old float(str(x).replace(",", "")) could not do
    assert from_file[("640422", "rd_exp")] == 1.2  # 1.2万 in a 万元 column
    assert from_file[("640423", "gdp")] == 15_000.0  # 1.5亿元 → 15000 万元
    assert from_file[("640423", "rd_exp")] == 123.4
    assert from_file[("640425", "rd_exp")] == -5.0
    assert from_file[("640323", "hte")] == 0.0
    assert ("640424", "rd_exp") not in from_file and ("640424", "hte") not in from_file


@pytest.mark.parametrize(
    ("cell", "zh", "en"),
    [
        ("约12", "约数", "approximate"),
        ("5%", "百分数", "percentage"),
        ("12人", "不符", "contradicts"),
        ("1,2,3", "千位分隔符", "thousands separators"),
    ],
)
def test_a_value_that_cannot_be_parsed_names_the_cell_and_the_fix(
    tmp_path: Path, cell: str, zh: str, en: str
) -> None:
    p = _wide_csv(tmp_path / "data.csv", [("640422", "1", "2", "3"), ("640423", "1", cell, "3")])
    with pytest.raises(PanelError) as info:
        read_panel(p, REG, FW)
    err = info.value
    assert isinstance(err, CimonError)
    assert err.where == "data.csv:3 (列/column 4)"
    assert zh in err.zh and en in err.en
    assert "请" in err.zh and any(w in err.en for w in ("Enter", "Check", "Remove"))
    # the import says the same about the same cell
    sub = read_submission(p, FW, REG, year=2022)
    assert any(zh in i.zh for i in sub.report.issues if i.code == "value.not_number")


def test_an_invalid_year_names_the_cell(tmp_path: Path) -> None:
    p = tmp_path / "data.csv"
    p.write_text("region,year,gdp\n640422,2021.5,1\n", encoding="utf-8")
    with pytest.raises(PanelError) as info:
        read_panel(p, REG, FW)
    assert info.value.where == "data.csv:2 (列/column 2)"
    assert "2021.5" in info.value.zh


def test_full_width_years_are_years(tmp_path: Path) -> None:
    p = tmp_path / "data.csv"
    p.write_text("region,year,gdp\n640422,２０２１,1\n", encoding="utf-8")
    assert read_panel(p, REG, FW).years == [2021]
