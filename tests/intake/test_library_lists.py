"""Reading lists of needs, achievements and technology contracts (#18): bounded, all-or-nothing,
errors by file, sheet and cell in Chinese and English, amounts in whole 元 from 元 or 万元,
duplicates within the file refused; hostile files (built by code) refused before parsing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook
from tests.intake import hostile

from cimon import safe
from cimon.intake.library_lists import LIST_LIMITS, read_list

CONTRACT_HEAD = [
    "合同登记编号",
    "合同名称",
    "卖方",
    "买方",
    "成交金额(万元)",
    "登记日期",
    "区划代码",
]


def xlsx(rows: list[list[Any]], title: str = "合同") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r in rows:
        safe.append(ws, r)  # text stays text, even "=…"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_contracts_in_wan_become_whole_yuan() -> None:
    data = xlsx([["2025年技术合同登记台账"], CONTRACT_HEAD,
                 ["6404012025000001", "滩羊选育技术服务", "宁夏大学", "某合作社", 12.3456, dt.datetime(2025, 3, 1), "640402"],
                 ["6404012025000002", "冷链", "甲", "乙", "0.5", "2025/12/31", 640402]])  # fmt: skip
    got = read_list("contract", data, "台账.xlsx")
    assert got.ok, got.report.render()
    a, b = got.rows
    assert a.values["amount"] == 123_456 and a.values["signed_on"] == dt.date(2025, 3, 1)
    assert a.values["seller"] == "宁夏大学" and a.row == 3 and a.cells["number"] == "A3"
    assert b.values["amount"] == 5_000 and b.values["region_code"] == "640402"
    assert b.values["signed_on"] == dt.date(2025, 12, 31)


def test_contracts_in_yuan_and_csv() -> None:
    text = (
        '登记号,名称,卖方,买方,成交金额(元),登记日期,区划\nX1,a,b,c,"1,200,000",2025-01-02,640402\n'
    )
    got = read_list("contract", text.encode("utf-8"), "list.csv")
    assert got.ok, got.report.render()
    assert got.rows[0].values["amount"] == 1_200_000


def test_amount_without_unit_is_refused() -> None:
    head = [h if not h.startswith("成交") else "成交金额" for h in CONTRACT_HEAD]
    got = read_list(
        "contract", xlsx([head, ["X", "n", "s", "b", 1, "2025-01-01", "640402"]]), "a.xlsx"
    )
    assert not got.ok and not got.rows
    issue = got.report.find("column.missing")[0]
    assert issue.cell == "E1" and "万元" in issue.fix_zh and "10,000" in issue.en


def test_every_bad_cell_is_named_and_nothing_returned() -> None:
    data = xlsx(
        [
            CONTRACT_HEAD,
            ["X1", "a", "b", "c", 1.00001, "2025-01-01", "640402"],  # not whole 元
            ["X2", "a", "b", "c", "多少", "2025-13-01", "6404"],
            ["X3", "a", "b", "c", 1, None, "640402"],
            ["x1 ", "a", "b", "c", 1, "2025-01-01", "640402"],
        ]
    )  # X1 again
    got = read_list("contract", data, "bad.xlsx")
    assert not got.ok and got.rows == []
    where = {(i.code, i.cell) for i in got.report.errors}
    assert ("value.not_integer", "E2") in where
    assert ("value.not_number", "E3") in where
    assert ("date.invalid", "F3") in where
    assert ("region.unknown", "G3") in where
    assert ("value.missing", "F4") in where
    assert ("row.duplicate", "A5") in where  # norm_text folds case and spaces
    issue = next(i for i in got.report.errors if i.cell == "E2")
    assert issue.file == "bad.xlsx" and issue.sheet == "合同" and issue.variable == "amount_wan"
    assert issue.zh and issue.en and issue.fix_zh and issue.fix_en


def test_needs_and_achievements() -> None:
    needs = xlsx([["问题描述", "区划代码", "产业链", "行业代码", "预算(万元)", "截止日期"],
                  ["马铃薯贮藏烂薯多", "640402", "马铃薯", "01", 20, "2026-06-30"],
                  ["马铃薯贮藏烂薯多", "640402", "", "", None, None]])  # fmt: skip
    got = read_list("need", needs, "n.xlsx")
    assert not got.ok and got.report.find("row.duplicate")[0].cell == "A3"
    ach = xlsx([["成果名称", "成果简介", "技术成熟度", "转化方式", "完成单位"],
                ["脱毒种薯", "繁育", 7, "转让", "宁夏农科院"], ["x", "", 10, "出售", ""]])  # fmt: skip
    got = read_list("achievement", ach, "a.xlsx")
    assert {(i.code, i.cell) for i in got.report.errors} == {
        ("value.out_of_range", "C3"), ("value.out_of_range", "D3")}  # fmt: skip
    ok = read_list("achievement", xlsx([["成果名称", "技术成熟度"], ["脱毒种薯", 7]]), "a.xlsx")
    assert ok.ok and ok.rows[0].values["trl"] == 7 and ok.rows[0].values["mode"] == ""


def test_missing_header_and_empty() -> None:
    assert read_list("need", b"", "e.xlsx").report.codes == ["file.empty"]
    got = read_list("need", xlsx([["名称"], ["x"]]), "n.xlsx")
    assert got.report.codes == ["column.missing"]
    only_head = read_list("need", xlsx([["问题描述", "区划代码"]]), "n.xlsx")
    assert only_head.report.codes == ["file.empty"]


@pytest.mark.parametrize(
    "build,code",
    [
        (lambda: hostile.row_bomb(30_000), "file.too_large"),
        (lambda: hostile.ratio_bomb(8), "file.too_large"),
        (lambda: hostile.member_bomb(), "file.too_large"),
        (lambda: hostile.billion_laughs(), "file.unreadable"),
        (lambda: hostile.malformed_xml(), "file.unreadable"),
        (lambda: hostile.not_a_zip(), "file.unreadable"),
        (lambda: hostile.csv_bomb(30_000), "file.too_large"),
    ],
)
def test_hostile_files_are_refused(build: Any, code: str) -> None:
    name = "bomb.csv" if "csv" in repr(build.__code__.co_names) else "bomb.xlsx"
    got = read_list("contract", build(), name, LIST_LIMITS)
    assert not got.ok and not got.rows
    assert code in got.report.codes, got.report.codes
