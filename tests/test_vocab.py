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
