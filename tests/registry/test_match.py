"""Matching incoming rows to records: by code, by exact name key, else fuzzy candidates for a
person; conflicts flagged; nothing ambiguous is counted until confirmed."""

from __future__ import annotations

import pandas as pd
import pytest

from cimon.registry.counts import Registry, count_on
from cimon.registry.match import RecordIndex, match_rows, needs_review

HUAWEI = "914403001922038216"
TENCENT = "91440300708461136T"


@pytest.fixture
def records() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5, 2],
            "code": [HUAWEI, "", TENCENT, "", "", ""],
            "name": [
                "华为技术有限公司",
                "宁夏甲科技有限公司",
                "深圳市腾讯计算机系统有限公司",
                "宁夏乙农业科技有限公司",
                "宁夏乙农业科技有限责任公司",  # a second record with the same key
                "宁夏甲电子有限公司",  # record 2's former name
            ],
            "county": ["440300", "640104", "440300", "640104", "640105", "640104"],
        }
    )


def one(records: pd.DataFrame, code: str, name: str, county: str = "") -> pd.Series:
    result = match_rows(pd.DataFrame({"code": [code], "name": [name], "county": [county]}), records)
    return result.iloc[0]


def test_by_code_whatever_the_name(records: pd.DataFrame) -> None:
    row = one(records, HUAWEI, "华为技术有限公司（曾用名）")
    assert (row.status, row.record) == ("code", 1)
    assert row.candidates[0].via == "code" and row.candidates[0].name == "华为技术有限公司"


def test_by_exact_name_in_any_written_form(records: pd.DataFrame) -> None:
    row = one(records, "", "寧夏甲科技有限責任公司")
    assert (row.status, row.record) == ("name", 2)
    assert one(records, "", "宁夏甲电子有限责任公司").record == 2  # a former name


def test_code_and_name_disagree_is_a_conflict(records: pd.DataFrame) -> None:
    row = one(records, TENCENT, "宁夏甲科技有限公司")
    assert row.status == "conflict" and row.record is None
    assert [c.record for c in row.candidates] == [3, 2]
    assert [c.via for c in row.candidates] == ["code", "name"]


def test_unknown_code_on_a_coded_record_name_is_a_conflict(records: pd.DataFrame) -> None:
    other = "91110108551385082Q"  # valid, held by no record
    row = one(records, other, "华为技术有限公司")
    assert row.status == "conflict" and [c.record for c in row.candidates] == [1]


def test_name_held_by_two_records_is_ambiguous(records: pd.DataFrame) -> None:
    row = one(records, "", "宁夏乙农业科技股份有限公司")
    assert row.status == "ambiguous" and row.record is None
    assert {c.record for c in row.candidates} == {4, 5}


def test_fuzzy_is_never_taken_without_a_person(records: pd.DataFrame) -> None:
    row = one(records, "", "宁夏甲科技发展有限公司", "640104")
    assert row.status == "ambiguous" and row.record is None
    assert row.candidates[0].record == 2 and row.candidates[0].via == "fuzzy"
    assert 85 <= row.candidates[0].score < 100


def test_fuzzy_without_a_county_uses_the_first_characters(records: pd.DataFrame) -> None:
    row = one(records, "", "宁夏甲科技发展有限公司")
    assert row.status == "ambiguous" and row.candidates[0].record == 2


def test_invalid_code_goes_on_by_name_and_says_why(records: pd.DataFrame) -> None:
    row = one(records, HUAWEI[:-1] + "7", "华为技术有限公司")
    assert (row.status, row.record, row.code_valid) == ("name", 1, False)
    assert "第 18 位" in row.code_problem and "'6'" in row.code_problem


def test_nothing_alike_is_new(records: pd.DataFrame) -> None:
    row = one(records, "", "青海丙材料有限公司", "630102")
    assert row.status == "new" and row.candidates == ()


def test_index_is_reusable_and_result_keeps_the_index(records: pd.DataFrame) -> None:
    idx = RecordIndex.build(records)
    incoming = pd.DataFrame(
        {"code": [HUAWEI, ""], "name": ["x", "宁夏乙农业科技有限公司"], "county": ["", ""]},
        index=[10, 11],
    )
    result = match_rows(incoming, idx)
    assert list(result.index) == [10, 11]
    assert list(needs_review(result).index) == [11]


def test_an_ambiguous_name_only_match_is_not_counted_until_confirmed(
    records: pd.DataFrame,
) -> None:
    """Issue #16: an ambiguous name-only match goes to review and is not counted."""
    listed = pd.DataFrame(
        {
            "code": [HUAWEI, ""],
            "name": ["华为技术有限公司", "宁夏乙农业科技有限公司"],
            "county": ["", ""],
            "start": pd.to_datetime(["2020-10-01", "2020-10-01"]),
        }
    )
    result = match_rows(listed, records)
    settled = result[~result["status"].isin(["ambiguous", "conflict", "new"])]
    quals = pd.DataFrame(
        {
            "enterprise": settled["record"].to_list(),
            "kind": "高新技术企业",
            "start": listed.loc[settled.index, "start"].to_list(),
        }
    )
    history = records.drop_duplicates("id").rename(columns={"id": "enterprise"})[
        ["enterprise", "county"]
    ]
    counts = count_on(Registry.build(quals, history), "2021-12-31")
    assert counts.count("640104", "高新技术企业") == 0  # waits for a person
    assert counts.count("440300", "高新技术企业") == 1
    # a person confirms candidate 4: now it counts
    confirmed = pd.concat(
        [
            quals,
            pd.DataFrame(
                {"enterprise": [4], "kind": ["高新技术企业"], "start": [listed["start"][1]]}
            ),
        ]
    )
    counts = count_on(Registry.build(confirmed, history), "2021-12-31")
    assert counts.count("640104", "高新技术企业") == 1


def test_a_code_held_by_two_records_is_a_conflict(records: pd.DataFrame) -> None:
    doubled = pd.concat(
        [records, pd.DataFrame({"id": [9], "code": [HUAWEI], "name": ["某某"], "county": [""]})]
    )
    row = one(doubled, HUAWEI, "华为技术有限公司")
    assert row.status == "conflict" and {c.record for c in row.candidates} == {1, 9}


def test_blank_names_in_records_match_nothing(records: pd.DataFrame) -> None:
    blank = pd.concat(
        [records, pd.DataFrame({"id": [8], "code": [""], "name": [None], "county": [""]})]
    )
    assert one(blank, "", "nan").status == "new"
