"""Reading commissioner lists (名单) and service logs: header variants, cell-level errors, all or
nothing, duplicates, and hostile files built by code (issue #17 item 6)."""

from __future__ import annotations

import importlib.util
import io
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import Workbook

from cimon.intake.commissioners import read_roster, read_service_log
from cimon.intake.limits import Limits
from cimon.model.regions import default_registry


def _hostile() -> ModuleType:
    path = Path(__file__).parent / "hostile.py"
    spec = importlib.util.spec_from_file_location("commissioners_hostile", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hostile = _hostile()


def xlsx(rows: list[list[object]], title: str = "名单") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROSTER = [
    ["2026年度自治区科技特派员名单"],
    ["序号", "姓名", "派出单位", "服务县（区）", "服务领域/专业", "职称", "联系电话"],
    [1, "张三", "宁夏大学", "西吉县", "马铃薯", "教授", "13800000000"],
    [2, "李四", "宁夏农林科学院", "640324", "枸杞", "研究员", "0951-1234567"],
    [3, "王五", "固原市农技中心", "彭阳", "草畜", "高级农艺师", None],
]
LOG = [
    ["姓名", "服务日期", "服务村", "服务类型", "服务人数", "服务内容"],
    ["张三", datetime(2026, 3, 5), "将台堡村", "技术指导", 35, "马铃薯种薯"],
    ["张三", "2026年3月6日", "将台堡村", "技术培训", "40", "田间管理"],
    ["李四", 46090, "红山村", "科普", 0, None],
]


def test_a_roster_is_read_with_counties_resolved() -> None:
    got = read_roster(xlsx(ROSTER), "名单.xlsx", regions=default_registry())
    assert got.ok, got.report.render()
    assert got.rows["name"].tolist() == ["张三", "李四", "王五"]
    assert got.rows["county"].tolist() == ["西吉县", "同心县", "彭阳县"]
    assert got.rows["county_code"].tolist() == ["640422", "640324", "640425"]
    assert got.columns == {"seq": "A", "name": "B", "unit": "C", "county": "D", "field": "E",
                           "title": "F", "phone": "G"}  # fmt: skip


def test_header_variants() -> None:
    rows = [
        ["科技特派员姓名", "工作单位", "服务县", "专业", "手机号码"],
        ["张三", "宁夏大学", "盐池县", "滩羊", "13900000000"],
    ]
    got = read_roster(xlsx(rows), "v.xlsx", regions=default_registry())
    assert (
        got.ok
        and got.rows["unit"].tolist() == ["宁夏大学"]
        and got.rows["field"].tolist() == ["滩羊"]
    )


def test_every_bad_cell_is_named_and_nothing_is_read() -> None:
    rows = [*ROSTER, [4, "张三", "宁夏大学", "西吉县", "马铃薯", "教授", "138"],
            [5, "=HYPERLINK(\"x\")", "某单位", "火星县", None, None, None], [6, None, "某单位", "", None, None, None]]  # fmt: skip
    got = read_roster(xlsx(rows), "bad.xlsx", regions=default_registry())
    assert not got.ok and got.rows.empty
    by_cell = {(i.cell, i.code) for i in got.report.errors}
    assert ("B6", "row.duplicate") in by_cell
    assert ("G6", "value.implausible") in by_cell  # phone 138
    assert ("B7", "name.missing") in by_cell  # a formula without a cached value reads blank
    assert ("D7", "region.unknown") in by_cell
    assert ("B8", "name.missing") in by_cell and ("D8", "value.missing") in by_cell
    issue = next(i for i in got.report.errors if i.code == "region.unknown")
    assert issue.file == "bad.xlsx" and issue.sheet == "名单" and issue.variable == "county"
    assert "火星县" in issue.zh and issue.fix_zh and issue.fix_en


def test_missing_column() -> None:
    got = read_roster(xlsx([["姓名", "单位"], ["张三", "宁夏大学"]]), "m.xlsx")
    assert not got.ok and {i.code for i in got.report.errors} == {"column.missing"}
    assert got.report.errors[0].cell == "1:1"


def test_a_service_log_is_read() -> None:
    got = read_service_log(xlsx(LOG, "服务记录"), "log.xlsx", year=2026, known={"张三", "李四"})
    assert got.ok, got.report.render()
    assert got.rows["kind"].tolist() == ["技术指导", "培训", "科普"]
    assert [d.strftime("%Y-%m-%d") for d in got.rows["date"]] == [
        "2026-03-05",
        "2026-03-06",
        "2026-03-09",
    ]
    assert got.rows["people"].tolist() == [35, 40, 0]
    assert got.rows["content"].tolist() == ["马铃薯种薯", "田间管理", ""]


def test_text_that_looks_like_a_formula_is_not_a_name() -> None:
    from cimon.safe import put

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for j, h in enumerate(["姓名", "服务县"], 1):
        put(ws, 1, j, h)
    put(ws, 2, 1, "=cmd|' /C calc'!A0")  # stored as text, not as a formula
    put(ws, 2, 2, "西吉县")
    buf = io.BytesIO()
    wb.save(buf)
    got = read_roster(buf.getvalue(), "t.xlsx")
    assert not got.ok and ("A2", "value.implausible") in {
        (i.cell, i.code) for i in got.report.errors
    }


@pytest.mark.parametrize(
    ("row", "cell", "code"),
    [
        (["张三", "2025-12-31", "将台堡村", "培训", 10, ""], "B3", "value.out_of_range"),
        (["张三", "明天", "将台堡村", "培训", 10, ""], "B3", "date.invalid"),
        (["张三", "2026-04-01", "将台堡村", "开会", 10, ""], "D3", "value.implausible"),
        (["张三", "2026-04-01", "将台堡村", "培训", 10_001, ""], "E3", "value.out_of_range"),
        (["张三", "2026-04-01", "将台堡村", "培训", -1, ""], "E3", "value.out_of_range"),
        (["张三", "2026-04-01", "将台堡村", "培训", 2.5, ""], "E3", "value.out_of_range"),
        (["张三", "2026-04-01", "将台堡村", "培训", "很多", ""], "E3", "value.not_number"),
        (["张三", "2026-04-01", None, "培训", 10, ""], "C3", "value.missing"),
        (["赵六", "2026-04-01", "将台堡村", "培训", 10, ""], "A3", "name.missing"),
        (["张三", datetime(2026, 3, 5), "将台堡村", "指导", 1, ""], "A3", "row.duplicate"),
    ],
)
def test_service_log_errors(row: list[object], cell: str, code: str) -> None:
    got = read_service_log(xlsx([LOG[0], LOG[1], row]), "log.xlsx", year=2026, known={"张三"})
    assert not got.ok and got.rows.empty
    assert (cell, code) in {(i.cell, i.code) for i in got.report.errors}, got.report.render()


def test_people_exactly_at_the_bounds() -> None:
    rows = [
        LOG[0],
        ["张三", "2026-01-01", "甲村", "培训", 0, ""],
        ["张三", "2026-12-31", "乙村", "培训", 10_000, ""],
    ]
    got = read_service_log(xlsx(rows), "log.xlsx", year=2026)
    assert got.ok and got.rows["people"].tolist() == [0, 10_000]


def test_too_many_rows_for_the_limits() -> None:
    rows = [LOG[0]] + [["张三", "2026-01-01", f"村{i}", "培训", 1, ""] for i in range(30)]
    got = read_service_log(xlsx(rows), "big.xlsx", limits=Limits(rows=20, columns=16, cells=2_000))
    assert not got.ok and got.rows.empty
    assert {i.code for i in got.report.errors} & {"file.too_large", "cell.stray"}


def test_a_formula_cell_without_a_cached_value_is_blank() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(LOG[0])
    ws.append(
        ["张三", "2026-01-01", "甲村", "培训", "=SUM(1,2)", ""]
    )  # openpyxl stores no cached value
    buf = io.BytesIO()
    wb.save(buf)
    got = read_service_log(buf.getvalue(), "f.xlsx")
    assert not got.ok and ("E2", "value.missing") in {(i.cell, i.code) for i in got.report.errors}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("row_bomb_compact", "file.too_large"),
        ("ratio_bomb", "file.too_large"),
        ("member_bomb", "file.too_large"),
        ("billion_laughs", "file.unreadable"),
        ("malformed_xml", "file.unreadable"),
        ("truncated", "file.unreadable"),
        ("not_a_zip", "file.unreadable"),
        ("column_xfd", "cell.stray"),
    ],
)
def test_hostile_files_are_refused_within_the_limits(name: str, code: str) -> None:
    build, _ = hostile.CORPUS[name]
    for read in (read_roster, read_service_log):
        got = read(build(xlsx(ROSTER), "名单"), "bad.xlsx")
        assert not got.ok and got.rows.empty
        assert {i.code for i in got.report.errors} & {code, "file.type"}, got.report.render()


def test_empty_file_and_no_header() -> None:
    assert {i.code for i in read_roster(b"", "e.xlsx").report.errors} == {"file.empty"}
    got = read_roster(xlsx([["甲", "乙"], [1, 2]]), "n.xlsx")
    assert {i.code for i in got.report.errors} == {"column.missing"}
