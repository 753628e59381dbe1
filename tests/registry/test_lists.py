"""Official lists read from Excel/CSV: the province's own column names, every kind of bad cell
named by sheet and cell, all-or-nothing, and the intake's hostile files refused within limits."""

from __future__ import annotations

import importlib.util
import io
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from openpyxl import Workbook

from cimon.model.regions import default_registry
from cimon.registry.lists import parse_date, parse_validity, read_list

HUAWEI = "914403001922038216"
TENCENT = "91440300708461136T"
HEADER = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "证书编号",
    "发证日期",
    "有效期",
    "所在县（市、区）",
]


def _hostile() -> ModuleType:
    path = Path(__file__).parents[1] / "intake" / "hostile.py"
    spec = importlib.util.spec_from_file_location("registry_hostile", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hostile = _hostile()


def xlsx(
    rows: list[list[object]], title: str = "名单", extra: list[list[object]] | None = None
) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r in rows:
        ws.append(r)
    if extra is not None:
        other = wb.create_sheet("说明")
        for r in extra:
            other.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["2019年第一批高新技术企业名单"],
    HEADER,
    [1, "华为技术有限公司", HUAWEI, "GR201944000001", "2019-11-28", "三年", "西吉县"],
    [2, "深圳市腾讯计算机系统有限公司", TENCENT, "GR201944000002", datetime(2019, 11, 28),
     "2019-11-28至2022-11-27", "盐池县"],
]  # fmt: skip


def test_a_good_list_is_read() -> None:
    got = read_list(xlsx(GOOD), "高企.xlsx", regions=default_registry())
    assert got.ok, [i.render() for i in got.report]
    assert got.sheet == "名单"
    assert got.columns == {"name": "B", "code": "C", "certificate": "D", "date": "E",
                           "valid": "F", "county": "G"}  # fmt: skip
    rows = got.rows
    assert rows["code"].tolist() == [HUAWEI, TENCENT]
    assert rows["row"].tolist() == [3, 4]
    assert rows["start"].tolist() == [pd.Timestamp("2019-11-28")] * 2
    assert rows["end"].tolist() == [pd.Timestamp("2022-11-28")] * 2
    assert rows["county"].tolist() == ["640422", "640323"]


def test_the_provinces_own_column_names() -> None:
    rows = [
        ["单位名称", "信用代码", "认定日期", "县(市、区)"],
        ["華為技術有限公司", "９１４４０３００１９２２０３８２１６", "2019年11月28日", "西吉縣"],
    ]
    got = read_list(xlsx(rows), "list.xlsx")
    assert got.ok
    row = got.rows.iloc[0]
    assert (row["name"], row["code"], row["county"]) == ("華為技術有限公司", HUAWEI, "西吉县")
    assert pd.isna(row["end"])


@pytest.mark.parametrize(
    ("cells", "code", "cell"),
    [
        ({2: HUAWEI[:-1] + "7"}, "code.invalid", "C3"),
        ({2: ""}, "code.invalid", "C3"),
        ({1: None}, "name.missing", "B3"),
        ({4: "2019/13/01"}, "date.invalid", "E3"),
        ({5: "永久"}, "date.invalid", "F3"),
        ({6: "火星县"}, "region.unknown", "G3"),
        ({2: TENCENT}, "row.duplicate", "C4"),
        ({3: "GR201944000002"}, "row.duplicate", "D4"),
    ],
)
def test_each_bad_cell_is_named_and_nothing_is_read(
    cells: dict[int, object], code: str, cell: str
) -> None:
    rows = [list(r) for r in GOOD]
    for col, value in cells.items():
        rows[2][col] = value
    got = read_list(xlsx(rows), "高企.xlsx", regions=default_registry())
    assert not got.ok and got.rows.empty
    issues = [i for i in got.report.errors if i.code == code]
    assert issues, [i.render() for i in got.report]
    assert (issues[0].sheet, issues[0].cell) == ("名单", cell)
    assert issues[0].zh and issues[0].en and issues[0].fix_zh and issues[0].fix_en


def test_missing_columns() -> None:
    got = read_list(xlsx([["企业名称"], ["华为技术有限公司"]]), "x.xlsx")
    assert [i.code for i in got.report.errors] == ["column.missing"]
    assert read_list(xlsx([["企业名称"], ["华为技术有限公司"]]), "x.xlsx", require_code=False).ok
    got = read_list(xlsx([["a", "b"], [1, 2]]), "x.xlsx")
    assert [i.code for i in got.report.errors] == ["column.missing"]


def test_other_sheets_with_content_are_reported() -> None:
    got = read_list(xlsx(GOOD, extra=[["备注"]]), "高企.xlsx")
    assert got.ok and [i.code for i in got.report] == ["sheet.ignored"]


def test_csv_in_gbk() -> None:
    text = "企业名称,统一社会信用代码,认定日期\n华为技术有限公司,914403001922038216,2019.11.28\n"
    got = read_list(text.encode("gb18030"), "list.csv")
    assert got.ok and got.rows["start"].tolist() == [pd.Timestamp("2019-11-28")]


def test_not_a_workbook() -> None:
    got = read_list(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls")
    assert [i.code for i in got.report.errors] == ["file.type"]
    assert [i.code for i in read_list(b"", "x.xlsx").report.errors] == ["file.empty"]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("row_bomb_compact", "file.too_large"),
        ("ratio_bomb", "file.too_large"),
        ("member_bomb", "file.too_large"),
        ("billion_laughs", "file.unreadable"),
        ("malformed_xml", "file.unreadable"),
        ("truncated", "file.unreadable"),
        ("column_xfd", "cell.stray"),
        ("row_1048576", "cell.stray"),
    ],
)
def test_hostile_files_are_refused_within_the_limits(name: str, code: str) -> None:
    build, _ = hostile.CORPUS[name]
    got = read_list(build(xlsx(GOOD), "名单"), "bad.xlsx")
    assert not got.ok and got.rows.empty
    assert code in {i.code for i in got.report.errors}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-11-28", "2019-11-28"),
        ("2019/11/28", "2019-11-28"),
        ("2019.11.28", "2019-11-28"),
        ("20191128", "2019-11-28"),
        ("2019年11月28日", "2019-11-28"),
        (43797, "2019-11-28"),  # an Excel serial number
        (datetime(2019, 11, 28, 9, 30), "2019-11-28"),
        ("2019-02-30", None),
        ("明年", None),
        (None, None),
    ],
)
def test_dates(raw: object, expected: str | None) -> None:
    got = parse_date(raw)
    assert (got if got is None else str(got.date())) == expected


def test_validity() -> None:
    start = pd.Timestamp("2019-11-28")
    assert parse_validity("三年", start) == (start, pd.Timestamp("2022-11-28"))
    assert parse_validity("3年", start) == (start, pd.Timestamp("2022-11-28"))
    assert parse_validity("2022-11-27", start) == (start, pd.Timestamp("2022-11-28"))
    assert parse_validity("2019-11-28至2022-11-27", None) == (start, pd.Timestamp("2022-11-28"))
    assert parse_validity("永久", start) is None
