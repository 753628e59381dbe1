"""``cimon match``: ranked achievements with reasons from two files, the bundled demo, errors by
cell with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from cimon.cli import main

NEEDS = """需求编号,问题描述,产业链,行业代码,区划代码
N1,供港菜心采收后损耗大，需要预冷和冷链运输,冷凉蔬菜,01,640402
N2,光伏组件积灰严重，人工清洗费水,光伏发电,44,640303
"""
ACHS = """成果编号,成果名称,成果简介,学科代码,技术成熟度,区划代码
A1,冷凉蔬菜真空预冷与冷链运输技术,采后预冷，损耗率降至5%,550,8,640104
A2,光伏组件智能清洗机器人,无水清洗，发电量提升,460,7,640105
A3,滩羊全混合日粮,舍饲育肥,230,8,640323
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def files(tmp_path: Path, achs: str = ACHS) -> tuple[str, str]:
    (tmp_path / "needs.csv").write_text(NEEDS, encoding="utf-8")
    (tmp_path / "achs.csv").write_text(achs, encoding="utf-8")
    return str(tmp_path / "needs.csv"), str(tmp_path / "achs.csv")


def test_ranked_matches_with_reasons(tmp_path: Path) -> None:
    result = run("match", *files(tmp_path))
    assert result.exit_code == 0, result.output
    out = result.output
    n1, n2 = out.index("需求 N1"), out.index("需求 N2")
    assert out.index("1. A1", n1) < n2 and out.index("1. A2", n2) > n2
    assert "共同词：" in out and "预冷" in out and "成熟度：TRL 8" in out
    en = run("--lang", "en", "match", *files(tmp_path), "-k", "1", "--need", "N2")
    assert en.exit_code == 0 and "Need N2" in en.output and "shared terms" in en.output
    assert "Need N1" not in en.output


def test_json(tmp_path: Path) -> None:
    result = run("match", *files(tmp_path), "--json", "-k", "1")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [d["need"] for d in data] == ["N1", "N2"]
    first = data[0]["matches"][0]
    assert first["achievement"] == "A1" and first["rank"] == 1
    assert set(first["features"]) == {"text", "field", "maturity", "region"}
    assert "共同词" in first["reason_zh"] and "shared terms" in first["reason_en"]


def test_demo_is_labelled_simulated() -> None:
    result = CliRunner().invoke(main, ["match", "--demo", "--need", "N016", "-k", "2"])
    assert result.exit_code == 0
    assert "模拟数据" in result.output and "A024" in result.output


def test_bad_files_exit_2_naming_the_cell(tmp_path: Path) -> None:
    bad = ACHS + "A4,坏成熟度,,210,12,640104\n"
    result = run("match", *files(tmp_path, bad))
    assert result.exit_code == 2
    assert "E5" in result.output and "TRL" in result.output
    missing = run("match", "--need", "N9", *files(tmp_path))
    assert missing.exit_code == 2 and "N9" in missing.output
    no_files = run("match")
    assert no_files.exit_code == 2 and "--demo" in no_files.output
