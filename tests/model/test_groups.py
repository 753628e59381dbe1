"""A province's own peer groups from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cimon.analysis.peers import group_labels
from cimon.errors import RegionError
from cimon.model.groups import load_groups, parse_groups, with_groups
from cimon.model.national import national_registry
from cimon.model.regions import default_registry


def test_groups_from_a_file_become_tags(tmp_path: Path) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(
        "# 来源：示例\ncode,group\n640104,沿黄城市带\n640181,沿黄城市带\n640181,示范县\n",
        encoding="utf-8",
    )
    reg = with_groups(default_registry(), load_groups(path))
    assert reg["640181"].tags == ("沿黄城市带", "示范县")
    assert reg["640104"].tags == ("市辖区", "沿黄城市带")
    labels = group_labels(list(reg), "tag:沿黄城市带")
    assert labels.count("沿黄城市带") == 2 and labels.count("非沿黄城市带") == 20
    assert default_registry()["640181"].tags == ()  # the bundled registry is left alone


def test_groups_on_the_national_registry() -> None:
    reg = with_groups(national_registry(), {"330127": ["山区26县"]})  # 淳安县
    assert reg["330127"].tags == ("山区26县",) and len(reg) == 2844


@pytest.mark.parametrize(
    "text",
    ["code,name\n640104,x\n", "code,group\n6401,x\n", "code,group\n640104,\n"],
)
def test_bad_groups_files(text: str) -> None:
    with pytest.raises(RegionError):
        parse_groups(text, "g.csv")


def test_unknown_codes_are_an_error() -> None:
    with pytest.raises(RegionError, match="330127"):
        with_groups(default_registry(), {"330127": ["山区26县"]})
