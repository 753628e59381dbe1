"""The shared vocabulary and value converters (cimon.vocab)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cimon.vocab import Term, integer, number, t


def test_chinese_is_the_default_and_english_is_chosen_by_name() -> None:
    assert t("总分", "Total", "zh") == "总分"
    assert t("总分", "Total", "en") == "Total"
    assert t("总分", "Total", "fr") == "总分"
    assert Term("总分", "Total")() == "总分" and Term("总分", "Total")("en") == "Total"


def test_every_kind_of_missing_is_none() -> None:
    for missing in (None, math.nan, np.nan, pd.NA, math.inf, -math.inf, True, "abc", ""):
        assert number(missing) is None, missing
    assert number("2.5") == 2.5 and number(np.float64(3)) == 3.0 and number(4) == 4.0
    assert integer(7.9) == 7 and integer(None) is None and integer(np.int64(3)) == 3


def test_numbers_print_the_same_everywhere() -> None:
    from cimon.vocab import DASH, fixed, percent, percent_or, score, text

    assert score(84) == "84.00" and score(None) == DASH and score(float("nan")) == DASH
    assert fixed(0.12345, 3) == "0.123" and fixed(np.float64(2), 1) == "2.0" and fixed("x") == DASH
    assert percent(0.9996) == ">99.9%" and percent(1.0) == "100%" and percent(0.0004) == "<0.1%"
    assert (
        percent_or(None) == DASH and percent_or(math.nan, "") == "" and percent_or(0.5) == "50.0%"
    )
    assert text(None) is None and text(3) == "3"


def test_shared_words_are_terms() -> None:
    from cimon.vocab import CLASS, COUNTY, IN_WAN, class_label

    assert (COUNTY("zh"), COUNTY("en")) == ("县（市、区）", "County")
    assert CLASS("en") == "Class" and class_label("A", "zh") == "A类"
    assert class_label("B", "en") == "Class B"
    assert (
        "合计" + IN_WAN("zh") == "合计（万元）" and "Total" + IN_WAN("en") == "Total (10,000 yuan)"
    )


def test_decimal_yuan_shows_cents_only_when_there_are_some() -> None:
    from decimal import Decimal

    from cimon.analysis.money import decimal_yuan

    assert decimal_yuan(Decimal("1250000")) == "1,250,000"
    assert decimal_yuan(Decimal("1234.50")) == "1,234.5"
    assert decimal_yuan(Decimal("0.05")) == "0.05"


def test_one_table_type_for_every_output() -> None:
    from cimon.reports.annual import document
    from cimon.reports.table import Table

    assert document.Table is Table
    table = Table(heads=["县", "分"], rows=[["西吉县", 1.5]], formats={1: "0.00"})
    heads, rows = table
    assert heads == ["县", "分"] and rows == [["西吉县", 1.5]]
    assert Table("k", "表1", ("a",), (("1",),)).caption == "表1"


def test_no_module_keeps_its_own_bilingual_helper_or_converter() -> None:
    """The private copies this module replaced (#15) do not come back."""
    import re
    from pathlib import Path

    import cimon

    root = Path(cimon.__file__).parent
    private = re.compile(
        r"^def (_t|_num|_number|_int|_str|_nan|_pct)\(.*\) -> (str|float \| None|int \| None|str \| None):"
        r"|return en if lang == \"en\" else zh",
        re.M,
    )
    found = [
        f"{p.relative_to(root)}: {m.group(0)}"
        for p in sorted(root.rglob("*.py"))
        if p.name != "vocab.py"
        for m in private.finditer(p.read_text(encoding="utf-8"))
    ]
    # web/submissions/services.py (ImportResult.message) is left to the storage move (#15 item 1)
    assert found == []
