"""parse_cell: every row of the rule table in docs/intake/values.md, plus fuzzing and speed."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cimon.model.cells import CellValue, parse_cell, parse_exact
from cimon.model.framework import Variable
from cimon.model.units import format_number, unit_parts

DOC = Path(__file__).resolve().parents[2] / "docs" / "intake" / "values.md"

BASE = Variable("x", "变量", "variable", "万元", "统计局")
COLUMNS: dict[str, Variable | None] = {
    "—": None,
    "万元": BASE,
    "家": replace(BASE, unit="家", integer=True, min=0.0),
    "家 (blank: zero)": replace(BASE, unit="家", blank="zero"),
    "人": replace(BASE, unit="人"),
    "人年": replace(BASE, unit="人年"),
    "%": replace(BASE, unit="%", min=0.0, max=100.0),
    "分 (rubric)": replace(BASE, unit="分", kind="rubric", max_points=5.0, department="县"),
}


def doc_rows() -> list[tuple[str, str, str, str, str]]:
    """The rows between the ``rules:start`` and ``rules:end`` markers of values.md."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows.append((cells[0].strip("`"), cells[1], cells[2], cells[3], cells[4]))
    return rows


ROWS = doc_rows()


def cell(source: str) -> object:
    """The Python value a table row's first column spells (a literal, or a constructor)."""
    return eval(
        source,
        {"__builtins__": {}, "float": float, "datetime": datetime, "Decimal": Decimal},
    )


def test_the_table_is_there() -> None:
    assert len(ROWS) > 80
    assert {r[3] for r in ROWS} == {"reported", "missing", "error"}
    assert {r[1] for r in ROWS} == set(COLUMNS)


@pytest.mark.parametrize(("source", "column", "stored", "status", "note"), ROWS)
def test_documented_rule(source: str, column: str, stored: str, status: str, note: str) -> None:
    cv = parse_cell(cell(source), COLUMNS[column])
    if status == "error":
        assert not cv.ok and math.isnan(cv.value)
        assert cv.error_zh and cv.error_en and cv.fix_zh and cv.fix_en
        assert note in cv.error_zh, cv.error_zh
        return
    assert cv.ok, cv.error_zh
    assert cv.status == status
    if stored == "NaN":
        assert math.isnan(cv.value)
    else:
        assert cv.value == float(stored)
        assert format_number(cv.value) == stored
    assert note in cv.note, cv.note


# --------------------------------------------------------------------------------------------
# details the table does not show


def test_messages_name_the_value_in_both_languages() -> None:
    cv = parse_cell("约1200", BASE)
    assert "约1200" in cv.error_zh and "约1200" in cv.error_en
    cv = parse_cell("12人", COLUMNS["家"])
    assert "人" in cv.error_zh and "家" in cv.error_zh  # names both units
    assert "'人'" in cv.error_en and "'家'" in cv.error_en


def test_exact_decimal_conversion() -> None:
    assert parse_cell("1.2万").value == 12000.0
    assert parse_cell("0.1亿元", BASE).value == 1000.0
    assert parse_cell("3000元", BASE).value == 0.3


def test_negative_zero_is_zero() -> None:
    assert math.copysign(1.0, parse_cell("-0").value) == 1.0
    assert math.copysign(1.0, parse_cell(-0.0).value) == 1.0


@pytest.mark.parametrize(
    "raw",
    [np.int64(7), np.float64(7.0), np.float32(7.0), Decimal("7"), b"7", bytearray(b"7")],
)
def test_other_number_types(raw: object) -> None:
    assert parse_cell(raw, BASE) == CellValue(7.0, "reported")


@pytest.mark.parametrize(
    "raw",
    [
        np.bool_(True),
        False,
        date(2021, 3, 4),
        dtime(12, 0),
        np.datetime64("2021-01-01"),
        complex(1, 2),
        object(),
        [1],
        {"a": 1},
        b"\xff\xfe",
        Decimal("NaN"),
        Decimal("sNaN"),
        np.float64("inf"),
    ],
)
def test_unusable_objects_are_errors(raw: object) -> None:
    cv = parse_cell(raw, BASE)
    assert not cv.ok and cv.error_en and cv.fix_zh and math.isnan(cv.value)


def test_pandas_na_is_blank() -> None:
    import pandas as pd

    assert parse_cell(pd.NA, BASE).status == "missing"
    assert parse_cell(pd.NA, COLUMNS["家 (blank: zero)"]).value == 0.0


def test_hostile_repr_does_not_raise() -> None:
    class Evil:
        def __repr__(self) -> str:
            raise RuntimeError("no")

        def __float__(self) -> float:
            raise RuntimeError("no")

    assert not parse_cell(Evil(), BASE).ok


def test_unit_parts() -> None:
    assert unit_parts("万元") == (10_000, "元")
    assert unit_parts("亿元") == (10**8, "元")
    assert unit_parts("家") == (1, "家")
    assert unit_parts("人年") == (1, "人年")
    assert unit_parts("萬人") == (10_000, "人")


def test_format_number() -> None:
    assert format_number(12000.0) == "12000"
    assert format_number(0.3) == "0.3"
    assert format_number(1e-6) == "0.000001"
    assert format_number(123456789012345.0) == "123456789012345"
    # huge and tiny numbers in powers of ten, never 309 digits or 1e+308 (issue #14)
    assert format_number(1e-7) == "1.0×10⁻⁷"
    assert format_number(3e20) == "3.0×10²⁰"
    assert format_number(1e308) == "1.0×10³⁰⁸"
    assert format_number(-1.2345e16) == "-1.23×10¹⁶"
    assert format_number(float("inf")) == "∞"


# --------------------------------------------------------------------------------------------
# fuzzing

MESSY = st.text(
    alphabet=st.sampled_from(
        list(
            "0123456789０１２３.,，．%％‰-−—–－()（）/ \u00a0\u3000万亿千元家个人年分约左右无eE+¥#="
        )
    ),
    max_size=12,
)
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.datetimes(),
    st.binary(max_size=8),
    st.text(max_size=30),
    MESSY,
)


def _valid(cv: CellValue) -> None:
    assert isinstance(cv, CellValue)
    if not cv.ok:
        assert cv.error_zh and cv.error_en and cv.fix_zh and cv.fix_en
        assert math.isnan(cv.value) and cv.status == "missing"
    elif cv.status == "reported":
        assert math.isfinite(cv.value)
    else:
        assert cv.status == "missing" and math.isnan(cv.value)


@settings(max_examples=600, deadline=None)
@given(raw=ANYTHING, column=st.sampled_from(sorted(COLUMNS)))
def test_never_raises(raw: object, column: str) -> None:
    _valid(parse_cell(raw, COLUMNS[column]))


@settings(max_examples=300, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False))
def test_plain_numbers_round_trip(x: float) -> None:
    assert parse_cell(x, BASE).value == x
    assert parse_cell(repr(x), BASE).value == x


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(n: int) -> None:
    assert parse_cell(f"{n:,}", BASE).value == n
    assert parse_cell(f"{n:,}".replace(",", "，"), BASE).value == n


# --------------------------------------------------------------------------------------------
# speed


def test_a_national_workbook_of_mixed_cells_parses() -> None:
    """114,000 cells (2,850 × 40) of the usual mix: well under a second."""
    rng = np.random.default_rng(0)
    pool: list[object] = [*rng.uniform(0, 1e6, 70).tolist(), *range(30)]
    pool += [f"{x:.1f}" for x in rng.uniform(0, 1e5, 20)] + ["—", "无", None, "1,234.5", "1.2万"]
    cells = [pool[k] for k in rng.integers(0, len(pool), 114_000)]
    cells[::7] = rng.uniform(0, 1e6, len(cells[::7])).tolist()  # many distinct floats too
    out = [parse_cell(c, BASE) for c in cells]
    # speed is measured by bench/intake.py, not asserted here (a loaded machine is no measure)
    assert len(out) == 114_000
    assert all(o.value is None or isinstance(o.value, float) for o in out)


def test_notes_are_chinese() -> None:
    for raw in ("1.2万", "１２", "1,234", "3.5%"):
        assert re.search(r"[\u4e00-\u9fff]|→", parse_cell(raw).note)


@pytest.mark.parametrize(
    ("raw", "unit", "exact"),
    [
        ("1,250,000.50", "元", Decimal("1250000.50")),
        ("１２５万", "元", Decimal("1250000")),
        ("¥3,000元", "元", Decimal("3000")),
        ("1.2万", "", Decimal("12000")),
        ("0.1", "", Decimal("0.1")),
        (0.1, "", Decimal("0.1")),
        (1250000.5, "元", Decimal("1250000.5")),
        (10**20 + 1, "", Decimal(10**20 + 1)),
        (Decimal("2.50"), "", Decimal("2.50")),
    ],
)
def test_parse_exact_keeps_the_decimal(raw: object, unit: str, exact: Decimal) -> None:
    cv = parse_exact(raw, unit)
    assert cv.ok and cv.status == "reported" and cv.exact == exact
    assert cv.value == float(exact)
    if not isinstance(raw, Decimal):  # the same number as parse_cell gives
        assert parse_cell(raw).value == cv.value


@pytest.mark.parametrize("raw", ["约10万", "5%", "—", "", None, True, "abc"])
def test_parse_exact_has_no_decimal_for_what_is_not_a_number(raw: object) -> None:
    assert parse_exact(raw, "元").exact is None


def test_no_module_parses_typed_numbers_by_hand() -> None:
    """Numbers people type are read by :func:`cimon.model.cells.parse_cell` only (#15): no module
    strips thousands separators and calls ``float`` itself (the ``--data`` reader once did, and
    disagreed with the import on ``1.2万``)."""
    import re
    from pathlib import Path

    import cimon

    root = Path(cimon.__file__).parent
    by_hand = re.compile(r"""float\(\s*str\([^)]*\)\s*\.replace\(\s*["'],["']""")
    found = [
        str(p.relative_to(root))
        for p in sorted(root.rglob("*.py"))
        if p.name != "cells.py" and by_hand.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert by_hand.search('float(str(raw).replace(",", ""))')
