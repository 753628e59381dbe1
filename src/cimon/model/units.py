"""How numbers and units are written in cells: the unit vocabulary and :func:`format_number`.

A unit such as ``万元`` is a multiplier (``万`` = 10⁴) and a base unit (``元``). The parser in
:mod:`cimon.model.cells` reads a cell's unit text with these tables; the intake checks show
values in a variable's unit with :func:`format_number`.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

#: Traditional characters NFKC leaves alone but submissions use (萬元, 億元, 個 …)
TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "個": "个", "項": "项", "員": "员"})
#: multipliers a number may carry, longest first
MULTIPLIERS: dict[str, int] = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "十万": 10**5}
MULTIPLIERS |= {"万": 10**4, "亿": 10**8, "千": 10**3}
MULT_ORDER = tuple(sorted(MULTIPLIERS, key=len, reverse=True))
#: base units recognised in a cell (anything else after the number is junk text)
KNOWN_UNITS = frozenset(
    {"元", "人", "人年", "家", "个", "件", "项", "所", "名", "户", "次", "台", "套", "篇", "分"}
    | {"%", "‰"}
)
#: unit spellings that mean the same base unit
UNIT_ALIASES = {"人·年": "人年", "人/年": "人年", "元人民币": "元", "人民币": "元"}
#: interchangeable counting words: "12个" in a 家 column is 12 enterprises
_COUNT_WORDS = frozenset({"家", "个", "件", "项", "所"})
_PERSON_WORDS = frozenset({"人", "名"})


@dataclass(frozen=True)
class Unit:
    """A variable's unit split into multiplier and base (万元 → 10^4 × 元)."""

    text: str
    mult: int
    base: str
    percent: bool
    rubric: bool


@lru_cache(maxsize=256)
def parse_unit(unit: str, kind: str = "quantitative") -> Unit:
    """Split a variable's unit once per (unit, kind): this is the per-variable memoised part."""
    text = unicodedata.normalize("NFKC", unit or "").translate(TRADITIONAL).strip()
    mult, base = _split_mult(text)
    if not base:  # a unit that is only a multiplier ("万"): a plain multiple of a number
        mult, base = 1, text
    base = UNIT_ALIASES.get(base, base)
    return Unit(text, mult, base, base == "%", kind == "rubric")


def _split_mult(text: str) -> tuple[int, str]:
    for m in MULT_ORDER:
        if text.startswith(m):
            return MULTIPLIERS[m], text[len(m) :]
    return 1, text


def unit_parts(unit: str) -> tuple[int, str]:
    """A unit as (multiplier, base unit): ``万元`` → ``(10000, "元")``, ``家`` → ``(1, "家")``."""
    u = parse_unit(unit, "quantitative")
    return u.mult, u.base


def same_base(cell: str, var: str) -> bool:
    """Whether a cell's base unit means the variable's (``个`` counts ``家``; ``名`` is ``人``)."""
    if cell == var:
        return True
    return (cell in _COUNT_WORDS and var in _COUNT_WORDS and "个" in (cell, var)) or (
        cell in _PERSON_WORDS and var in _PERSON_WORDS
    )


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
#: beyond these magnitudes a number is shown as ``1.0×10³⁰⁸`` (no county figure comes near)
HUGE, TINY = 1e15, 1e-6


def format_number(v: float) -> str:
    """A number as a clerk would write it: no exponent, no trailing .0 (``1200``, ``3.5``,
    ``0.0012``). A huge or tiny one (|v| ≥ 10¹⁵ or < 10⁻⁶) is shown in powers of ten with
    three significant digits, ``1.0×10³⁰⁸`` or ``2.5×10⁻⁹``, never 309 digits or ``1e+308``;
    infinity is ``∞``."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if v != 0 and not TINY <= abs(v) < HUGE:
        mantissa, exp = f"{v:.2e}".split("e")
        mantissa = mantissa.rstrip("0")
        mantissa = mantissa + "0" if mantissa.endswith(".") else mantissa
        return f"{mantissa}×10{str(int(exp)).translate(_SUPERSCRIPT)}"
    if v.is_integer():
        return str(int(v))
    text = repr(v)
    if "e" in text:
        text = f"{Decimal(text):f}"
    return text


__all__ = [
    "KNOWN_UNITS",
    "MULTIPLIERS",
    "Unit",
    "format_number",
    "parse_unit",
    "same_base",
    "unit_parts",
]
