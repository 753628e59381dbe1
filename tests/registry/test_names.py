"""Enterprise name keys: the variants a province's lists write agree; different enterprises,
places and branches stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cimon.registry.names import name_key, name_keys

SAME = [
    "宁夏某某科技有限公司",
    "寧夏某某科技有限公司",  # Traditional
    "宁夏某某科技有限责任公司",
    "寧夏某某科技有限責任公司",
    "宁夏某某科技股份有限公司",
    " 宁夏 某某科技　有限公司 ",  # spaces, an ideographic space
    "宁夏某某科技有限公司.",
]


def test_variants_share_one_key() -> None:
    keys = {name_key(n) for n in SAME}
    assert keys == {"宁夏某某科技公司"}


def test_group_brackets_and_latin_forms() -> None:
    assert name_key("宁夏某某（集团）有限公司") == name_key("宁夏某某(集团)有限责任公司")
    assert name_key("宁夏某某(集团)有限公司") == name_key("宁夏某某集团有限公司")
    assert name_key("ＡＢＣ科技【宁夏】有限公司") == "abc科技(宁夏)公司"
    assert name_key("Huawei Technologies Co., Ltd.") == name_key("HUAWEI TECHNOLOGIES CO.,LTD")
    assert name_key("Huawei Technologies Company Limited") == "huaweitechnologies公司"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("宁夏某某科技有限公司", "银川某某科技有限公司"),  # region prefix kept
        ("华为技术(深圳)有限公司", "华为技术有限公司"),  # bracketed place kept
        ("某某科技有限公司", "某某科技有限公司银川分公司"),  # a branch is not its parent
        ("某某科技有限公司", "某某农业有限公司"),
    ],
)
def test_different_enterprises_stay_apart(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_branches_normalise_their_parent() -> None:
    assert name_key("某某有限责任公司银川分公司") == name_key("某某有限公司银川分公司")


def test_missing_and_bare_names() -> None:
    assert name_key(None) == "" and name_key(float("nan")) == ""
    assert name_key("公司") == "公司"  # a bare legal form is not stripped to nothing


def test_batch_equals_one_by_one() -> None:
    names = [*SAME, None, "華為技術有限公司", "Huawei Technologies Co., Ltd.", "某某分公司"]
    assert name_keys(names) == [name_key(n) for n in names]


@given(st.lists(st.text(max_size=12), max_size=8))
def test_batch_equals_one_by_one_on_any_text(names: list[str]) -> None:
    """One OpenCC call over joined names gives what one call per name gives, whatever the text
    (line breaks, control characters, empty names)."""
    assert name_keys(names) == [name_key(n) for n in names]
