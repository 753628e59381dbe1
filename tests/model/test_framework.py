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
