"""Framework loading and validation: every error names the file and the key path."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from cimon.errors import FrameworkError
from cimon.model.framework import bundled_frameworks, load_framework, parse_framework


def tiny() -> dict:
    return {
        "id": "tiny",
        "version": "1",
        "variables": [
            {"code": "a", "name_zh": "甲", "unit": "个", "department": "科技厅"},
            {"code": "b", "name_zh": "乙", "unit": "万元", "department": "统计局"},
        ],
        "pillars": [
            {
                "code": "p1",
                "points": 100,
                "indicators": [
                    {
                        "code": "X1",
                        "points": 60,
                        "formula": "a",
                        "normalise": {"method": "target", "floor": 0, "target": 10},
                    },
                    {
                        "code": "X2",
                        "points": 40,
                        "formula": "share(a, b)",
                        "direction": "-",
                        "normalise": {"method": "target", "floor": 50, "target": 5},
                    },
                ],
            }
        ],
    }


def write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "fw.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def fails(tmp_path: Path, data: dict) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        load_framework(write(tmp_path, data))
    return info.value


def test_nx2021_is_the_seed_system():
    fw = load_framework("nx-2021")
    assert [p.name_zh for p in fw.pillars] == [
        "创新投入",
        "创新主体",
        "创新条件",
        "创新产出",
        "创新管理",
    ]
    assert len(fw.indicators) == 21
    assert sum(i.points for i in fw.indicators) == 100
    rubric = [i for i in fw.indicators if all(fw.variable(v).kind == "rubric" for v in i.variables)]
    assert sum(i.points for i in rubric) == 15  # 85 quantitative + 15 qualitative points
    assert [b.label for b in fw.classes] == ["A", "B", "C"]
    assert [b.min for b in fw.classes] == [80, 60, None]
    # the seed names these three second-level indicators (seed 000 section 一)
    named = {i.name_zh for i in fw.indicators if i.provenance == "seed"}
    assert {"地方全社会R&D投入强度", "本级财政R&D经费投入年度增长率", "高新技术企业数量"} <= named
    assert {v.department for v in fw.variables} == {
        "科技厅",
        "发展改革委",
        "财政厅",
        "市场监管厅",
        "统计局",
        "县",
    }


def test_hash_ignores_comments_and_key_order(tmp_path):
    data = tiny()
    a = load_framework(write(tmp_path, data))
    text = "# a comment\n" + yaml.safe_dump(dict(reversed(list(data.items()))), allow_unicode=True)
    p = tmp_path / "other.yaml"
    p.write_text(text, encoding="utf-8")
    b = load_framework(p)
    assert a.hash == b.hash
    changed = copy.deepcopy(data)
    changed["pillars"][0]["indicators"][0]["normalise"]["target"] = 11
    assert load_framework(changed).hash != a.hash


#: The hashes of the bundled frameworks as published evaluations recorded them (release e9865b9
#: and before). A published version is rebuilt only when its framework hash matches, so changing
#: the hashed content of a bundled framework would make every earlier publication irreproducible:
#: a new scoring rule is a new framework (id or version), never an edit of this one.
PUBLISHED_HASHES = {
    "nx-2021": "fc88718ad6fe5fa4f1b06e48f27720f7125029ad5c2bb0fdeca4428b3361f73f",
    "nx-2021-index": "41d9fd557f4dd75da896df1988343873d8d4e147fe83c14b8ccb88f2bdf0dc89",
    "nx-2021-relative": "8268cb206209411ee3267ef295a9d94e843dc0541d9aa55362eb4424d74bf47c",
}


@pytest.mark.parametrize("ref", sorted(PUBLISHED_HASHES))
def test_bundled_framework_hashes_stay_those_of_published_evaluations(ref):
    assert load_framework(ref).hash == PUBLISHED_HASHES[ref]


def test_definitions_are_documentation_outside_the_hash():
    data = tiny()
    base = load_framework(copy.deepcopy(data))
    data["definitions"] = {"a": {"zh": "年末数", "en": "At year end"}}
    fw = load_framework(data)
    assert fw.hash == base.hash
    assert (fw.variable("a").definition_zh, fw.variable("a").definition_en) == (
        "年末数",
        "At year end",
    )
    data["definitions"] = {"zz": {"zh": "?"}}
    with pytest.raises(FrameworkError) as err:
        load_framework(data)
    assert "definitions.zz" in str(err.value)
    data["definitions"] = {"a": {"fr": "?"}}
    with pytest.raises(FrameworkError, match="zh"):
        load_framework(data)


def test_points_must_sum_to_100(tmp_path):
    data = tiny()
    data["pillars"][0]["points"] = 99
    data["pillars"][0]["indicators"][0]["points"] = 59
    err = fails(tmp_path, data)
    assert err.where == f"{tmp_path / 'fw.yaml'}: pillars"
    assert "99" in err.zh and "100" in err.en


def test_pillar_points_must_match_indicators(tmp_path):
    data = tiny()
    data["pillars"][0]["points"] = 90
    err = fails(tmp_path, data)
    assert err.where.endswith("fw.yaml: pillars[0].points")


def test_duplicate_code(tmp_path):
    data = tiny()
    data["pillars"][0]["indicators"][1]["code"] = "X1"
    err = fails(tmp_path, data)
    assert err.where.endswith("pillars[0].indicators[1].code")
    assert "X1" in err.zh and "pillars[0].indicators[0].code" in err.en


def test_formula_unknown_variable(tmp_path):
    data = tiny()
    data["pillars"][0]["indicators"][1]["formula"] = "share(a, gdp)"
    err = fails(tmp_path, data)
    assert err.where.endswith("pillars[0].indicators[1].formula")
    assert "gdp" in err.zh and "gdp" in err.en


def test_formula_syntax_and_unknown_function(tmp_path):
    data = tiny()
    data["pillars"][0]["indicators"][0]["formula"] = "a +"
    assert "syntax" in fails(tmp_path, data).en
    data["pillars"][0]["indicators"][0]["formula"] = "__import__('os')"
    assert "unknown function" in fails(tmp_path, data).en


def test_variable_without_department(tmp_path):
    data = tiny()
    del data["variables"][1]["department"]
    err = fails(tmp_path, data)
    assert err.where.endswith("variables[1].department")
    assert "报送部门" in err.zh


def test_variable_with_unknown_department(tmp_path):
    data = tiny()
    data["variables"][1]["department"] = "教育厅"
    assert fails(tmp_path, data).where.endswith("variables[1].department")


def test_benchmark_on_wrong_side_of_floor(tmp_path):
    data = tiny()
    data["pillars"][0]["indicators"][0]["normalise"] = {
        "method": "target",
        "floor": 10,
        "target": 5,
    }
    err = fails(tmp_path, data)
    assert err.where.endswith("pillars[0].indicators[0].normalise.target")
    # direction −: target must be below the floor
    data = tiny()
    data["pillars"][0]["indicators"][1]["normalise"] = {
        "method": "target",
        "floor": 5,
        "target": 50,
    }
    err = fails(tmp_path, data)
    assert err.where.endswith("pillars[0].indicators[1].normalise.target")
    assert "below" in err.en


def test_yaml_syntax_error_names_line(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("id: x\npillars: [\n  - a: b\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(p)
    assert info.value.where.startswith(f"{p}:")
    assert "YAML" in info.value.en


def test_unknown_bundled_id_lists_known():
    with pytest.raises(FrameworkError) as info:
        load_framework("nx-1999")
    assert "nx-2021" in info.value.zh


def test_classes_must_descend_and_end_open(tmp_path):
    data = tiny()
    data["classes"] = [
        {"label": "A", "min": 60},
        {"label": "B", "min": 80},
        {"label": "C", "min": None},
    ]
    assert fails(tmp_path, data).where.endswith("classes[1].min")
    data["classes"] = [{"label": "A", "min": 80}, {"label": "B", "min": 60}]
    assert fails(tmp_path, data).where.endswith("classes[1].min")


def test_unknown_method_is_caught_when_the_log_is_built(tmp_path):
    from cimon.engine.pipeline import build_log

    data = tiny()
    data["pillars"][0]["indicators"][0]["normalise"] = {"method": "no_such_method"}
    fw = load_framework(write(tmp_path, data))
    with pytest.raises(FrameworkError) as info:
        build_log(fw)
    assert info.value.where.endswith("fw.yaml: pillars[0].indicators[0].normalise")
    assert "target" in info.value.en  # lists what is available


def test_unknown_method_parameter(tmp_path):
    from cimon.engine.pipeline import build_log

    data = tiny()
    data["pillars"][0]["indicators"][0]["normalise"] = {"method": "target", "floor": 0, "tagret": 3}
    with pytest.raises(FrameworkError) as info:
        build_log(load_framework(write(tmp_path, data)))
    assert "tagret" in info.value.en


def test_every_bundled_framework_loads_and_builds():
    from cimon.engine.pipeline import build_log

    assert "nx-2021" in bundled_frameworks()
    for fid in bundled_frameworks():
        fw = load_framework(fid)
        assert fw.id == fid
        log = build_log(fw)
        assert set(log["normalise"]) == set(fw.indicator_codes)


def test_parse_framework_from_mapping():
    fw = parse_framework(tiny())
    assert fw.indicator("X2").direction == -1
    assert fw.indicator("X2").variables == ("a", "b")
    assert fw.pillars[0].indicators == ("X1", "X2")


# --- intake settings: ranges, jumps, blank policy, consistency checks ------------------------------


def test_variable_limits_default_from_unit():
    fw = parse_framework(tiny())
    a, b = fw.variable("a"), fw.variable("b")
    assert (a.min, a.max, a.integer, a.blank, a.jump) == (0.0, None, True, "missing", None)
    assert (b.min, b.max, b.integer) == (0.0, None, False)


def test_percent_and_rubric_ranges():
    data = tiny()
    data["variables"] += [
        {"code": "c", "unit": "%", "department": "统计局"},
        {"code": "m", "unit": "分", "department": "县", "kind": "rubric", "max_points": 5},
        {"code": "t", "unit": "℃", "department": "统计局"},
    ]
    fw = parse_framework(data)
    assert (fw.variable("c").min, fw.variable("c").max) == (0.0, 100.0)
    assert (fw.variable("m").min, fw.variable("m").max) == (0.0, 5.0)
    assert (fw.variable("t").min, fw.variable("t").max) == (None, None)


def test_explicit_range_jump_and_blank():
    data = tiny()
    data["variables"][1].update(range=[-10, None], jump=0.5, jump_min=3, blank="zero")
    b = parse_framework(data).variable("b")
    assert (b.min, b.max, b.jump, b.jump_min, b.blank) == (-10.0, None, 0.5, 3.0, "zero")


@pytest.mark.parametrize(
    ("key", "value", "path"),
    [
        ("range", [5, 1], "variables[1].range"),
        ("range", "0-5", "variables[1].range"),
        ("jump", 0, "variables[1].jump"),
        ("jump", True, "variables[1].jump"),
        ("blank", "nil", "variables[1].blank"),
    ],
)
def test_bad_variable_limits_name_the_key(tmp_path, key, value, path):
    data = tiny()
    data["variables"][1][key] = value
    err = fails(tmp_path, data)
    assert err.where.endswith(f"fw.yaml: {path}")
    assert err.zh and err.en


def test_checks_parse():
    data = tiny()
    data["checks"] = [
        "a <= b",
        {"code": "K2", "rule": "a + 1 >= share(a, b)", "severity": "warning", "name_zh": "甲"},
    ]
    fw = parse_framework(data)
    c1, c2 = fw.checks
    assert (c1.code, c1.left, c1.op, c1.right, c1.severity) == ("C01", "a", "<=", "b", "error")
    assert (c2.code, c2.op, c2.severity, c2.variables, c2.name_zh) == (
        "K2",
        ">=",
        "warning",
        ("a", "b"),
        "甲",
    )


@pytest.mark.parametrize(
    ("check", "fragment"),
    [
        ({"rule": "a b"}, "checks[0].rule"),
        ({"rule": "a <= zz"}, "checks[0].rule"),
        ({"rule": "a <= growth(b)"}, "checks[0].rule"),
        ({"rule": "a <= b <= a"}, "checks[0].rule"),
        ({"rule": "a <= b", "severity": "fatal"}, "checks[0].severity"),
    ],
)
def test_bad_checks_name_the_key(tmp_path, check, fragment):
    data = tiny()
    data["checks"] = [check]
    err = fails(tmp_path, data)
    assert err.where.endswith(f"fw.yaml: {fragment}")


def test_duplicate_check_code(tmp_path):
    data = tiny()
    data["checks"] = [{"code": "X", "rule": "a <= b"}, {"code": "X", "rule": "b >= a"}]
    assert fails(tmp_path, data).where.endswith("checks[1].code")


def test_bundled_frameworks_declare_consistency_checks():
    """Parts cannot exceed wholes (issue #3: enterprise R&D ≤ total R&D; 高新技术企业 ≤ 科技型企业)."""
    fw = load_framework("nx-2021")
    rules = {c.code: f"{c.left} {c.op} {c.right}" for c in fw.checks}
    assert rules["C01"] == "ent_rd <= rd_exp"
    assert rules["C08"] == "hte <= tsme"
    assert fw.variable("gdp").jump == 0.3
    assert fw.variable("hte").jump_min == 5


def test_non_text_yaml_key_is_named(tmp_path):
    """A bare ``on:`` is a boolean key in YAML 1.1; the loader says so and where."""
    p = write(tmp_path, tiny())
    p.write_text(p.read_text(encoding="utf-8") + "on: true\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(p)
    assert info.value.where.endswith("fw.yaml: True")
    assert "引号" in info.value.zh and "quotes" in info.value.en


# --- plausible values and ratio checks (issue #14) -------------------------------------------------


def test_plausible_bounds_and_ratios(tmp_path):
    data = tiny()
    data["plausible"] = {"b": {"refuse": [0, 1.0e6], "warn": [10, 5.0e4]}, "a": {"refuse": [0, 50]}}
    data["ratios"] = [{"code": "R01", "rule": "a <= 0.01 * b"}]
    fw = load_framework(write(tmp_path, data))
    b = fw.variable("b")
    assert b.plausible is not None and (b.hard_min, b.hard_max) == (0.0, 1.0e6)
    assert (b.plausible.warn_min, b.plausible.warn_max) == (10.0, 5.0e4)
    assert b.plausible.outside_warn(6e4) and not b.plausible.outside_warn(100)
    # the stricter of the variable's own range and the refuse bound counts
    data["variables"][0]["range"] = [1, 80]
    a = load_framework(data).variable("a")
    assert (a.hard_min, a.hard_max) == (1.0, 50.0)
    [rule] = fw.checks
    assert (rule.code, rule.severity, rule.right) == ("R01", "warning", "0.01 * b")
    # intake policy, not scoring: the hash ignores both blocks
    assert fw.hash == load_framework(tiny()).hash


@pytest.mark.parametrize(
    "block, where",
    [
        ({"zzz": {"warn": [0, 1]}}, "plausible.zzz"),
        ({"b": {"refuse": [5, 1]}}, "plausible.b.refuse"),
        ({"b": {"refuse": [0, "1e6"]}}, "plausible.b.refuse"),  # YAML 1.1 reads 1e6 as text
        ({"b": {"refuse": [0, 100], "warn": [0, 1000]}}, "plausible.b.warn"),
        ({"b": {"hard": [0, 1]}}, "plausible.b"),
    ],
)
def test_bad_plausible_block_names_the_key(tmp_path, block, where):
    data = tiny()
    data["plausible"] = block
    err = fails(tmp_path, data)
    assert err.where.endswith(f"fw.yaml: {where}"), err.where


def test_every_nx2021_variable_has_plausible_bounds():
    """The bundled frameworks bound every quantitative variable (the reasoning is in
    docs/frameworks/nx-2021.md) and the demo panel stays inside the warn bounds."""
    import numpy as np

    import cimon

    panel = cimon.demo_panel().frame
    for ref in ("nx-2021", "nx-2021-index", "nx-2021-relative"):
        fw = load_framework(ref)
        for v in fw.variables:
            if v.kind != "quantitative":
                continue
            assert v.plausible is not None and v.hard_max is not None, (ref, v.code)
            values = panel.loc[panel["variable"] == v.code, "value"].dropna().to_numpy()
            assert not any(v.plausible.outside_warn(x) for x in values), (ref, v.code)
            assert np.all(values <= v.hard_max)
        assert sum(c.code.startswith("R") for c in fw.checks) == 8
