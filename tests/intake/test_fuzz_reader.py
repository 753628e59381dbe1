"""Fuzzing the readers: random cell contents and random damage to real templates always give a
ParsedSubmission with a report — never an exception."""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell

import cimon
from cimon.intake import ParsedSubmission
from cimon.intake.multi import read_expert_sheets
from cimon.intake.reader import read_submission
from cimon.intake.report import CODES
from cimon.intake.template import write_template
from cimon.intake.workbook import META_SHEET
from cimon.model.regions import default_registry

FW = cimon.load_framework("nx-2021")
REG = default_registry()
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# text openpyxl can store (no control characters, no lone surrogates)
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.floats(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.sampled_from(
        [
            "=A1",
            "=1/0",
            "#DIV/0!",
            "１２３．４",
            "1.2万",
            "—",
            "无",
            "3.5%",
            "－5",
            "1,234",
            "西吉縣",
        ]
    ),
)
KINDS = {
    "department": {"department": "统计局"},
    "combined": {},
    "county": {"region": "西吉县"},
    "expert": {"expert": "张三"},
}


@cache
def template_bytes(kind: str) -> bytes:
    """A fresh template of each kind, written once per session."""
    with TemporaryDirectory() as tmp:
        p = write_template(FW, REG, 2022, Path(tmp) / "t.xlsx", kind=kind, **KINDS[kind])
        return p.read_bytes()


def check(sub: ParsedSubmission) -> None:
    assert isinstance(sub, ParsedSubmission)
    for i in sub.report:
        assert i.code in CODES and i.zh and i.en
        assert i.severity in ("error", "warning")
        assert "内部错误" not in i.zh, i.zh  # the reader's last-resort guard did not fire
    for r in sub.records:
        assert isinstance(r.value, float) and (math.isnan(r.value) or math.isfinite(r.value))


def data_sheet(wb):
    return wb.worksheets[1]


@FUZZ
@given(
    kind=st.sampled_from(sorted(KINDS)),
    edits=st.lists(
        st.tuples(st.integers(1, 30), st.integers(1, 16), CELL), min_size=1, max_size=25
    ),
)
def test_random_cell_contents(tmp_path, kind, edits):
    wb = load_workbook(io.BytesIO(template_bytes(kind)))
    ws = data_sheet(wb)
    for row, col, value in edits:
        if not isinstance(ws.cell(row=row, column=col), MergedCell):  # the title row
            ws.cell(row=row, column=col, value=value)
    p = tmp_path / "f.xlsx"
    wb.save(p)
    sub = read_submission(p, FW, REG, year=2022)
    check(sub)
    if kind == "expert":
        check(read_expert_sheets([p, p], FW, REG, 2022, experts=["张三", "李四"]))


STRUCTURE = st.one_of(
    st.tuples(st.just("delete_rows"), st.integers(1, 30), st.integers(1, 5)),
    st.tuples(st.just("delete_cols"), st.integers(1, 16), st.integers(1, 3)),
    st.tuples(st.just("insert_rows"), st.integers(1, 30), st.integers(1, 3)),
    st.tuples(st.just("insert_cols"), st.integers(1, 16), st.integers(1, 3)),
    st.tuples(st.just("merge"), st.integers(1, 28), st.integers(1, 14)),
    st.tuples(st.just("extra_sheet"), TEXT, st.just(0)),
    st.tuples(st.just("rename"), TEXT, st.just(0)),
    st.tuples(st.just("drop_meta"), st.just(""), st.just(0)),
    st.tuples(st.just("alter_meta"), st.integers(1, 14), CELL),
)


def damage(wb, op, a, b) -> None:
    ws = data_sheet(wb)
    if op in ("delete_rows", "delete_cols", "insert_rows", "insert_cols"):
        getattr(ws, op)(a, b)
    elif op == "merge":
        ws.merge_cells(start_row=a, start_column=b, end_row=a + 1, end_column=b + 2)
    elif op == "extra_sheet":
        wb.create_sheet()["A1"] = a or "x"
    elif op == "rename" and a.strip() and not set(a) & set("[]:*?/\\'"):
        if a[:31] not in wb.sheetnames:
            ws.title = a[:31]
    elif op == "drop_meta" and META_SHEET in wb.sheetnames:
        wb.remove(wb[META_SHEET])
    elif op == "alter_meta" and META_SHEET in wb.sheetnames:
        wb[META_SHEET].cell(row=a, column=2).value = b


@FUZZ
@given(
    kind=st.sampled_from(sorted(KINDS)),
    ops=st.lists(STRUCTURE, min_size=1, max_size=4),
    cut=st.one_of(st.none(), st.integers(0, 4000)),
    junk=st.binary(max_size=40),
)
def test_damaged_workbook_structures(tmp_path, kind, ops, cut, junk):
    wb = load_workbook(io.BytesIO(template_bytes(kind)))
    for op in ops:
        damage(wb, *op)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if cut is not None:  # truncate and append garbage
        data = data[: len(data) * cut // 4000] + junk
    p = tmp_path / "d.xlsx"
    p.write_bytes(data)
    check(read_submission(p, FW, REG, year=2022, department="统计局"))


@FUZZ
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".xlsx", ".csv", ".xls", ".txt", ""]))
def test_garbage_bytes(tmp_path, data, suffix):
    p = tmp_path / f"g{suffix}"
    p.write_bytes(data)
    check(read_submission(p, FW, REG, year=2022))


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                TEXT,
                st.sampled_from(
                    ["region", "year", "rd_exp", "西吉县", "2021", "variable", "value"]
                ),
            ),
            max_size=6,
        ),
        max_size=8,
    ),
    mapping=st.one_of(st.none(), st.dictionaries(TEXT, st.sampled_from(["region", "year", "x"]))),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_random_csv(tmp_path, rows, mapping, encoding):
    text = "\n".join(",".join(c.replace(",", " ").replace("\n", " ") for c in r) for r in rows)
    p = tmp_path / "r.csv"
    p.write_bytes(text.encode(encoding, errors="replace"))
    check(read_submission(p, FW, REG, mapping=mapping))
