"""Region registry and name matching."""

from __future__ import annotations

import pytest

from cimon.errors import RegionError
from cimon.model.regions import default_registry, load_registry, normalise_name, strip_suffix


def test_ningxia_registry_has_22_units_under_5_cities():
    reg = default_registry()
    assert len(reg) == 22
    assert list(reg.cities().values()) == ["银川市", "石嘴山市", "吴忠市", "固原市", "中卫市"]
    counts = {}
    for r in reg:
        counts[r.city] = counts.get(r.city, 0) + 1
        assert len(r.code) == 6 and r.code.startswith("64")
        assert r.code[:4] == r.city_code[:4]
    assert counts == {"银川市": 6, "石嘴山市": 3, "吴忠市": 5, "固原市": 5, "中卫市": 3}


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("西吉县", "640422"),
        ("西吉縣", "640422"),  # Traditional
        (" 西 吉 县 ", "640422"),  # spaces
        ("西吉县\u3000", "640422"),  # ideographic space
        ("西吉", "640422"),  # suffix omitted
        ("固原市西吉县", "640422"),  # city prefix
        ("宁夏回族自治区固原市西吉县", "640422"),
        ("寧夏 固原 西吉", "640422"),
        ("６４０４２２", "640422"),  # full-width digits
        ("640422.0", "640422"),  # a code Excel read as a float
        (640422, "640422"),
        ("鹽池縣", "640323"),
        ("红寺堡", "640303"),
        ("灵武", "640181"),
        ("青铜峡", "640381"),
    ],
)
def test_match(typed, code):
    assert default_registry().match(typed).code == code


def test_unknown_name_error_suggests():
    with pytest.raises(RegionError) as info:
        default_registry().match("西安县", where="panel.xlsx [Sheet1!A3]")
    err = info.value
    assert err.where == "panel.xlsx [Sheet1!A3]"
    assert "西安县" in err.zh and "西吉县" in err.zh  # suggestion by shared first character


def test_normalise_and_strip():
    assert normalise_name("ＡＢ 涇源縣") == "AB泾源县"
    assert strip_suffix("彭阳县") == "彭阳"
    assert strip_suffix("县") == "县"


def test_load_registry_csv(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text(
        "code,name,city_code,city,province,type,tags\n330000,x,330100,杭州市,浙江省,区,\n".replace(
            "330000", "330106"
        )
        + "331127,景寧畲族自治縣,331100,丽水市,浙江省,自治县,山区县\n",
        encoding="utf-8",
    )
    reg = load_registry(p)
    assert reg.match("景宁").code == "331127"  # 自治县 suffix stripped, Traditional input
    assert reg["331127"].tags == ("山区县",)


def test_load_registry_errors(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("code,name\n1,x\n", encoding="utf-8")
    with pytest.raises(RegionError) as info:
        load_registry(p)
    assert "city_code" in info.value.en
    p.write_text("code,name,city_code,city,province,type\n64042,x,1,c,p,县\n", encoding="utf-8")
    with pytest.raises(RegionError) as info:
        load_registry(p)
    assert info.value.where == f"{p}:2"
    p.write_text(
        "code,name,city_code,city,province,type\n640422,x,1,c,p,县\n640422,y,1,c,p,县\n",
        encoding="utf-8",
    )
    with pytest.raises(RegionError, match="640422"):
        load_registry(p)


def test_groups():
    reg = default_registry()
    assert reg.groups("city")[:3] == ["640100"] * 3
    assert "重点帮扶县" in reg.tags() and "山区县" in reg.tags()
    assert reg.groups("tag:山区县").count("山区县") == 6


# --- English names (display only) -----------------------------------------------------------------


def test_every_bundled_region_has_an_english_name():
    reg = default_registry()
    for r in reg:
        assert r.name_en and r.city_en, r.code
        assert r.name_en.isascii() and r.city_en.isascii()
        assert r.name_en.split()[-1] == {"县": "County", "区": "District", "县级市": "City"}[r.type]
    assert len({r.name_en for r in reg}) == 22
    assert {r.city_code: r.city_en for r in reg} == {
        "640100": "Yinchuan",
        "640200": "Shizuishan",
        "640300": "Wuzhong",
        "640400": "Guyuan",
        "640500": "Zhongwei",
    }


@pytest.mark.parametrize(
    ("code", "en"),
    [
        ("640104", "Xingqing District"),
        ("640181", "Lingwu City"),
        ("640303", "Hongsibao District"),
        ("640381", "Qingtongxia City"),
        ("640422", "Xiji County"),
        ("640502", "Shapotou District"),
        ("640522", "Haiyuan County"),
    ],
)
def test_english_spot_checks(code, en):
    assert default_registry()[code].name_en == en


def test_display_name():
    from cimon.model.regions import display_name

    # English: by Chinese name (also Traditional), by code, counties and cities
    assert display_name("西吉县", "en") == "Xiji County"
    assert display_name("西吉縣", "en") == "Xiji County"
    assert display_name("640422", "en") == display_name(640422, "en") == "Xiji County"
    assert display_name("固原市", "en") == display_name("640400", "en") == "Guyuan"
    # Chinese: a name unchanged, a code gives its name
    assert display_name("西吉县", "zh") == "西吉县"
    assert display_name("640422", "zh") == "西吉县" and display_name("640400", "zh") == "固原市"
    # no fuzzy matching for display: a short form or an unknown name stays as it is
    assert display_name("西吉", "en") == "西吉"
    assert display_name("火星县", "en") == "火星县" and display_name("999999", "en") == "999999"
    reg = default_registry()
    r = reg["640422"]
    assert (r.label("en"), r.city_label("en"), r.label("zh"), r.city_label("zh")) == (
        "Xiji County",
        "Guyuan",
        "西吉县",
        "固原市",
    )


def test_registry_without_english_columns_falls_back_to_chinese(tmp_path):
    from cimon.model.regions import display_name, strip_suffix_en

    p = tmp_path / "r.csv"
    p.write_text(
        "code,name,city_code,city,province,type\n331127,景宁畲族自治县,331100,丽水市,浙江省,自治县\n",
        encoding="utf-8",
    )
    reg = load_registry(p)
    r = reg["331127"]
    assert (r.name_en, r.city_en) == ("", "")
    assert r.label("en") == "景宁畲族自治县" and r.city_label("en") == "丽水市"
    assert display_name("景宁畲族自治县", "en", reg) == "景宁畲族自治县"
    assert display_name("331100", "en", reg) == "丽水市"
    assert reg.english("331127") is None
    # with the columns (extra spaces tidied)
    p.write_text(
        "code,name,city_code,city,province,type,tags,name_en,city_en\n"
        "331127,景宁畲族自治县,331100,丽水市,浙江省,自治县,,Jingning She  Autonomous County , Lishui\n",
        encoding="utf-8",
    )
    reg = load_registry(p)
    assert display_name("景宁畲族自治县", "en", reg) == "Jingning She Autonomous County"
    assert display_name("丽水市", "en", reg) == "Lishui"
    assert strip_suffix_en("Jingning She Autonomous County") == "Jingning She"
    assert strip_suffix_en("Qingtongxia City") == "Qingtongxia"
    assert strip_suffix_en("西吉县") == "西吉"


def test_the_county_marker_is_one_name_used_everywhere() -> None:
    """The department counties report under is ``COUNTY_DEPARTMENT``; no module compares a
    department with the literal (issue #15)."""
    import re
    from pathlib import Path

    from cimon.model.framework import load_framework
    from cimon.model.regions import COUNTY_DEPARTMENT

    assert COUNTY_DEPARTMENT in load_framework("nx-2021").departments
    src = Path(__file__).resolve().parents[2] / "src" / "cimon"
    # compared with, assigned, or chosen: a department, not a column header or a name suffix
    marker = re.compile(r'[=!]=\s*"县"|"县"\s*(if|else)\b|department=\s*"县"|= "县",|, "县"\)')
    found = [
        f"{p.relative_to(src)}:{i}"
        for p in src.rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if marker.search(line) and "COUNTY_DEPARTMENT =" not in line
    ]
    assert found == []
