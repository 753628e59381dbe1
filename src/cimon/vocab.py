"""One bilingual vocabulary and one set of value converters for every output.

Every output (terminal text, workbooks, the annual report, the dashboard, the API) writes its words
through :func:`t` or a :class:`Term`, and reads numbers out of tables, frames and stored JSON through
:func:`number`, :func:`integer` and :func:`text`, so "missing" means the same thing everywhere: ``None``, NaN,
infinities, booleans and text that is not a number are all missing (``None``).

The words several outputs share (column headers such as 县（市、区）/County, class names, the
synthetic-data notices) are :class:`Term` constants here, written once; a phrase only one output
uses stays in that output. Numbers are formatted for print by :func:`score`, :func:`fixed`,
:func:`fmt_score`, :func:`percent` and :func:`percent_or`; money by :mod:`cimon.analysis.money`.
docs/reports/vocabulary.md lists them.

Numbers that people type (workbooks, ``--data`` files, forms) are parsed by
:func:`cimon.model.cells.parse_cell` instead, which knows units such as ``1.2万``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

Lang = Literal["zh", "en"]

#: the languages every output is written in; Chinese first
LANGS: tuple[str, ...] = ("zh", "en")


def t(zh: str, en: str, lang: str) -> str:
    """``zh`` unless ``lang`` is ``"en"`` (Chinese is the default language of every output)."""
    return en if lang == "en" else zh


def both(zh: str, en: str) -> str:
    """Both languages at once, for a label read by people of either: ``县（市、区） / County``."""
    return f"{zh} / {en}"


@dataclass(frozen=True)
class Term:
    """A word or phrase in both languages, e.g. ``Term("总分", "Total score")``."""

    zh: str
    en: str

    def __call__(self, lang: str = "zh") -> str:
        return t(self.zh, self.en, lang)

    def both(self) -> str:
        """``中文 / English``, see :func:`both`."""
        return both(self.zh, self.en)


# -- words several outputs share (each written once) ------------------------------------------

CODE = Term("区划代码", "Code")
COUNTY = Term("县（市、区）", "County")
COUNTIES = Term("县（市、区）", "Counties")
COUNTY_COUNT = Term("县数", "Counties")
CITY = Term("设区市", "City")
SCORE = Term("得分", "Score")
CLASS = Term("类别", "Class")
CLASS_PREV = Term("上年类别", "Class last year")
RANK = Term("排名", "Rank")
RANK_CITY = Term("市内排名", "Rank in city")
ITEM_CODE = Term("代码", "Code")
ITEM_NAME = Term("名称", "Name")
#: the unit after a money header: 合计（元） / Total (yuan); 金额（万元） / Amount (10,000 yuan)
IN_YUAN = Term("（元）", " (yuan)")
IN_WAN = Term("（万元）", " (10,000 yuan)")

#: the word in a panel's name or source that marks invented data
SYNTHETIC_MARK = "模拟数据"
#: the synthetic-data notice of workbooks (row 1) and the annual report
SYNTHETIC_NOTE = "模拟数据（synthetic）"
#: the synthetic-data notice of terminal output and page titles
SYNTHETIC_LABEL = "模拟数据 / synthetic"


def class_label(label: str, lang: str) -> str:
    """A class as a header or legend names it: ``A类`` / ``Class A``."""
    return t(f"{label}类", f"Class {label}", lang)


def number(value: Any) -> float | None:
    """A finite float, or ``None`` for anything missing or not a number.

    >>> number("2.5"), number(float("nan")), number(None), number(True), number("x")
    (2.5, None, None, None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) or math.isinf(x) else x


def integer(value: Any) -> int | None:
    """:func:`number` truncated to an int (``None`` stays ``None``)."""
    x = number(value)
    return None if x is None else int(x)


def text(value: Any) -> str | None:
    """``str(value)``, or ``None`` for ``None`` (stored JSON's "no value")."""
    return None if value is None else str(value)


# -- numbers as every output prints them ------------------------------------------------------

#: what a missing value prints as
DASH = "—"


def fixed(value: Any, places: int = 2) -> str:
    """A number at ``places`` decimals (trailing zeros kept); ``—`` when missing (see
    :func:`number`): ``fixed(0.12345, 3) == "0.123"``, ``fixed(None) == "—"``."""
    x = number(value)
    return DASH if x is None else f"{x:.{places}f}"


def score(x: float | None) -> str:
    """A published score: two decimals; ``—`` when missing."""
    return fixed(x, 2)


def fmt_score(value: object, decimals: object = 2) -> str:
    """Any score-like value (float, int, numeric string, ``None``/NaN) at ``decimals`` places —
    the framework's published precision (``Framework.rounding``) — keeping trailing zeros:
    ``fmt_score(84, 2) == "84.00"``; a value that is not a number is shown unchanged, a missing
    one as ``—``."""
    try:
        places = max(0, min(int(str(decimals)), 6))
    except ValueError:
        places = 2
    if value is None or value == "":
        return DASH
    try:
        x = float(str(value))
    except ValueError:
        return str(value)
    return DASH if math.isnan(x) else f"{x:.{places}f}"


def percent(p: float) -> str:
    """A probability as a percentage with one decimal; 0 % and 100 % only when exact (a class
    kept in 99.96 % of the replicates is not certain: ``>99.9%``)."""
    if p >= 1:
        return "100%"
    if p <= 0:
        return "0%"
    digits = f"{p * 100:.1f}"
    if digits == "100.0":
        return ">99.9%"
    if digits == "0.0":
        return "<0.1%"
    return f"{digits}%"


def percent_or(p: object, missing: str = DASH) -> str:
    """:func:`percent` of a probability that may be absent: ``missing`` for ``None``, NaN or
    anything not a number (e.g. P(jump) where the nominal result has no jump)."""
    try:
        v = float(p)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return missing
    return missing if v != v else percent(v)
