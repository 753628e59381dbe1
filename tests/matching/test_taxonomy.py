"""Field taxonomies (GB/T 4754-2017, GB/T 13745-2009) and the shipped mapping between them."""

from __future__ import annotations

import pytest

from cimon.matching.taxonomy import (
    discipline_code,
    field_map,
    industry_division,
    industry_section,
)


@pytest.mark.parametrize(
    ("code", "division", "section"),
    [("01", "01", "A"), ("A0141", "01", "A"), ("0141", "01", "A"), ("A", None, "A"),
     ("15", "15", "C"), ("x9", None, None), ("", None, None)],
)  # fmt: skip
def test_industry_codes(code: str, division: str | None, section: str | None) -> None:
    assert industry_division(code) == division
    assert industry_section(code) == section


def test_discipline_codes() -> None:
    assert discipline_code("21030") == "210"
    assert discipline_code("210.30") == "210"
    assert discipline_code("农学") is None


def test_affinity_direct_related_none_and_section() -> None:
    fm = field_map()
    assert fm.affinity("03", "230") == 1.0  # 畜牧业 ↔ 畜牧、兽医科学
    assert fm.affinity("03", "23010") == 1.0
    assert fm.affinity("03", "180") == 0.5
    assert fm.affinity("44", "210") == 0.0
    assert fm.affinity("A", "230") == 0.5  # a section says less: best of its divisions × 0.5
    assert fm.affinity("", "230") == 0.0 and fm.affinity("03", "") == 0.0


def test_every_mapped_code_is_in_its_table() -> None:
    fm = field_map()
    for div, disc in fm.strength:
        assert div in fm.industries and div in fm.section_of, div
        assert disc in fm.disciplines, disc
    assert set(fm.strength.values()) <= {0.5, 1.0}
    assert fm.industries["A"] == "农、林、牧、渔业" and fm.disciplines["230"] == "畜牧、兽医科学"
