"""Parse one cell into a number: the one parser for every way numbers come in.

:func:`parse_cell` turns whatever a cell holds (``int``/``float`` from Excel, or text such as
``"1.2万"``, ``"１２３．４"``, ``"3,000元"``, ``"—"``) into a :class:`CellValue`: a finite number
(``reported``), a missing value (NaN, ``missing``: blanks and ``—``/``无``/``不适用`` … are missing,
not zero, unless the variable says ``blank: zero``), or an error in Chinese and English with the fix
to make. Full-width characters, separators, Unicode minus signs, 万/亿 and unit text are normalised;
approximate values, ranges, dates, booleans, formula errors and contradicting units are errors. It
never raises. Every rule is a row of the table in ``docs/intake/values.md`` (and a test).

Workbook imports (:mod:`cimon.intake`), ``--data`` files (:mod:`cimon.model.panel_file`) and the
analyses' tables (:mod:`cimon.analysis.files`) all read numbers through it, so one string means the
same number everywhere. :func:`parse_exact` is the same parser keeping the exact
:class:`~decimal.Decimal` (money).

Speed: ``int``/``float`` cells and plain ASCII numbers take a fast path; other text is memoised per
(text, unit, kind, blank policy), so a workbook's many ``—`` cells are parsed once.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd

from cimon.model.units import (
    KNOWN_UNITS,
    MULT_ORDER,
    MULTIPLIERS,
    TRADITIONAL,
    UNIT_ALIASES,
    Unit,
    format_number,
    parse_unit,
    same_base,
)

if TYPE_CHECKING:
    from cimon.model.framework_types import Variable


class IssueSink(Protocol):
    """Where :meth:`CellValue.report_error` records an error (the intake's ``ValidationReport``)."""

    def add(
        self,
        code: str,
        zh: str,
        en: str,
        fix_zh: str = "",
        fix_en: str = "",
        *,
        severity: str | None = None,
        **where: Any,
    ) -> object: ...


NAN = float("nan")


@dataclass(frozen=True)
class CellValue:
    """One parsed cell.

    ``value`` is NaN when the cell is missing or unusable; ``note`` says in Chinese what was
    normalised (``"1.2万 → 12000"``); ``error_zh``/``error_en`` are non-empty when the content is
    not a usable number, and ``fix_zh``/``fix_en`` then say what to enter instead.
    """

    value: float
    status: str  # "reported" | "missing"
    note: str = ""
    error_zh: str = ""
    error_en: str = ""
    fix_zh: str = ""
    fix_en: str = ""
    #: the exact decimal of a reported number read from text (``None`` for the fast paths and
    #: for missing or unusable cells); :func:`parse_exact` always fills it
    exact: Decimal | None = None

    @property
    def ok(self) -> bool:
        """True unless the content is an error: a reported finite number or a (deliberately)
        missing value are both usable."""
        return not self.error_zh

    def report_error(self, report: IssueSink, **where: str) -> None:
        """Record this unreadable cell in ``report`` as a ``value.not_number`` error at ``where``
        (sheet, cell, region, variable, value …), with its message and fix in both languages."""
        report.add(
            "value.not_number", self.error_zh, self.error_en, self.fix_zh, self.fix_en, **where
        )


# vocabulary

#: cell contents (spaces removed, lower-cased) that mean "no data"
# fmt: off
MISSING_TOKENS = frozenset([
    "", "-", "--", "---", "—", "——", "–", "−", "―", "/", "\\", "…", "……", "...",
    "无", "暂无", "无数据", "没有", "不适用", "不详", "缺", "缺失", "未统计", "空",
    "n/a", "na", "n.a.", "n.a", "null", "none", "nan",
])
# fmt: on
#: dashes and minus signs other than ASCII "-" (NFKC already maps full-width "－" and "﹣")
_MINUS = str.maketrans({c: "-" for c in "−–—‒―‐‑"})
#: invisible characters that survive NFKC
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_APPROX = re.compile(
    r"约|大约|大概|左右|上下|余|多|以上|以下|超过|不足|不到|至少|最多|估|预计|≈|<|>|≤|≥"
)
_RANGE = re.compile(r"^(?:-|~|至|到)\s*[\d.]")
_NUMBER = re.compile(r"(\d(?:[\d, ]*\d)?(?:\.\d*)?|\.\d+)(e[+-]?\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_EXCEL_ERRORS = tuple(
    ["#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#n/a", "#getting_data"]
)

_FIX_NUMBER_ZH = "请只填写数字（如 1234.5），单位以表头为准，说明性文字请写在备注中。"
_FIX_NUMBER_EN = "Enter the number only (e.g. 1234.5): the unit is the one in the header; put remarks in the notes column."


# results


def _short(raw: object, limit: int = 40) -> str:
    try:
        text = raw if isinstance(raw, str) else repr(raw)
    except Exception:  # a hostile __repr__ must not break parsing
        text = f"<{type(raw).__name__}>"
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error(zh: str, en: str, fix_zh: str = "", fix_en: str = "") -> CellValue:
    return CellValue(NAN, "missing", "", zh, en, fix_zh or _FIX_NUMBER_ZH, fix_en or _FIX_NUMBER_EN)


def _not_number(raw: object) -> CellValue:
    s = _short(raw)
    return _error(f"“{s}”不是数值。", f"'{s}' is not a number.")


def _blank(what: str, blank: str) -> CellValue:
    if blank == "zero":
        note = "空白按 0 计（该变量规定）" if not what else f"“{what}”按 0 计（该变量规定空白为 0）"
        return CellValue(0.0, "reported", note)
    return CellValue(NAN, "missing", "" if not what else f"“{what}”记为缺失")


def _number(value: float) -> CellValue:
    """A reported number without a note: the hot path, built without the frozen ``__init__``'s
    seven ``object.__setattr__`` calls (4× faster); the other fields keep their class defaults."""
    cv = object.__new__(CellValue)
    cv.__dict__.update(value=value + 0.0, status="reported")
    return cv


def _reported(value: float, notes: list[str], exact: Decimal | None = None) -> CellValue:
    if not math.isfinite(value):
        return _error(
            "数值过大，超出可存储范围。",
            "The number is too large to store.",
            "请核对数值和单位后重新填写。",
            "Check the number and its unit and enter it again.",
        )
    return CellValue(value + 0.0, "reported", "；".join(notes), exact=exact)


# the parser


def parse_cell(raw: object, variable: Variable | None = None) -> CellValue:
    """Parse one cell's content into a number in ``variable``'s unit.

    Parameters
    ----------
    raw
        What the reader found in the cell: ``None``, ``int``, ``float``, ``str``, or anything else
        (``bool``, ``datetime`` … are errors).
    variable
        The column's variable: its ``unit`` converts multipliers and unit text, its ``blank``
        policy says whether an empty cell is missing or 0, ``kind == "rubric"`` accepts plain
        scores only. ``None`` parses without a unit (multipliers apply, unit text is dropped).

    Returns
    -------
    CellValue
        ``status="reported"`` with a finite value; ``status="missing"`` with NaN (blank, ``—``,
        ``无`` …); or NaN with ``error_zh``/``error_en``/``fix_zh``/``fix_en`` set. Never raises.

    Notes
    -----
    Missing is not zero: a blank becomes 0 only under ``blank: zero``. Conversions are exact
    decimal arithmetic (``1.2万`` → 12000, not 12000.000000000002). See ``docs/intake/values.md``.
    """
    try:
        if type(raw) is float:
            if math.isfinite(raw):
                return _number(raw)
            return _non_finite(raw)
        if type(raw) is int:
            try:
                return _number(float(raw))
            except OverflowError:
                return _reported(math.inf, [])
        unit = variable.unit if variable is not None else ""
        kind = variable.kind if variable is not None else "quantitative"
        blank = variable.blank if variable is not None else "missing"
        if type(raw) is str:
            return _parse_text(raw, unit, kind, blank)
        if raw is None:
            return _blank("", blank)
        return _parse_other(raw, unit, kind, blank)
    except Exception:  # pragma: no cover - a last guard: parse_cell never raises
        return _not_number(raw)


def parse_exact(raw: object, unit: str = "") -> CellValue:
    """:func:`parse_cell` keeping the exact decimal: ``CellValue.exact`` is set for every
    reported number (money: ``"1,250,000.50"``, ``"125万"`` with ``unit="元"``, ``1250000.5``).

    Text goes through the same rules as :func:`parse_cell` (a blank is missing); an Excel float
    becomes the decimal of its shortest repr (``0.1`` → ``Decimal("0.1")``), an integer stays
    exact. Never raises.
    """
    if isinstance(raw, str):  # the slow path keeps the decimal (the fast path drops it)
        cv = _parse_slow(str(raw), unit, "quantitative", "missing")
    else:
        cv = parse_cell(raw)
    if cv.status != "reported" or cv.exact is not None:
        return cv
    try:
        if isinstance(raw, numbers.Integral):
            exact = Decimal(int(raw))
        elif isinstance(raw, Decimal):
            exact = raw
        else:
            exact = Decimal(repr(cv.value))
    except (ValueError, TypeError, ArithmeticError):  # pragma: no cover - cv.value is finite
        return _not_number(raw)
    return CellValue(cv.value, cv.status, cv.note, exact=exact)


def _non_finite(raw: object) -> CellValue:
    s = _short(raw)
    return _error(
        f"“{s}”不是有限数值（无穷大或非数）。",
        f"'{s}' is not a finite number (infinity or NaN).",
        "单元格中的公式可能出错；请填写实际数值，没有数据请留空。",
        "A formula in the cell may have failed; enter the actual value, or leave it blank when there is no data.",
    )


def _parse_other(raw: object, unit: str, kind: str, blank: str) -> CellValue:
    if isinstance(raw, bool | np.bool_):
        s = _short(raw)
        return _error(
            f"“{s}”是真假值（TRUE/FALSE），不是数值。",
            f"'{s}' is a TRUE/FALSE value, not a number.",
        )
    if isinstance(raw, _dt.date | _dt.time | _dt.timedelta | np.datetime64):
        s = _short(str(raw))
        return _error(
            f"单元格内容是日期或时间（{s}），不是数值。",
            f"The cell holds a date or time ({s}), not a number.",
            "Excel 可能把输入自动转成了日期：请把单元格格式设为“数值”后重新填写数字。",
            "Excel may have turned the entry into a date: format the cell as Number and enter the number again.",
        )
    if isinstance(raw, str):  # a str subclass
        return _parse_text(str(raw), unit, kind, blank)
    if isinstance(raw, bytes | bytearray):
        try:
            text = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return _not_number(raw)
        return _parse_text(text, unit, kind, blank)
    if isinstance(raw, numbers.Real | Decimal) and not isinstance(raw, complex):
        try:
            v = float(raw)
        except OverflowError:  # an integer beyond float
            return _reported(math.inf, [])
        except (ValueError, TypeError):  # Decimal("sNaN")
            v = NAN
        return _reported(v, []) if not math.isnan(v) else _non_finite(raw)
    if raw is pd.NA:  # pandas' own "missing" marker
        return _blank("", blank)
    return _not_number(raw)


def _parse_text(raw: str, unit: str, kind: str, blank: str) -> CellValue:
    """Parse text: plain ASCII numbers directly, anything else through the memoised slow path."""
    s = raw.strip()
    # fast path: a plain ASCII number (float() would also take "inf", "nan" and "1_000")
    ascii_number = s and s.isascii() and (s[-1] in _DIGITS or s[-1] == ".")
    if ascii_number and s[0] in _LEADING and "_" not in s:
        try:
            v = float(s)
        except ValueError:
            pass
        else:
            if "e" in s or "E" in s:
                return _reported(v, ["科学计数法"])
            if v - v == 0.0:  # finite
                return _number(v)
            return _reported(v, [])
    return _parse_slow(raw, unit, kind, blank)


_DIGITS = frozenset("0123456789")
_LEADING = frozenset("0123456789+-.")


@lru_cache(maxsize=65536)
def _parse_slow(raw: str, unit: str, kind: str, blank: str) -> CellValue:
    """Memoised: a workbook repeats the same strings ("—", "无", "1.2万") often."""
    return _parse_messy(raw, parse_unit(unit, kind), blank)


def _parse_messy(raw: str, unit: Unit, blank: str) -> CellValue:
    notes: list[str] = []
    text = raw.translate(_INVISIBLE)
    norm = unicodedata.normalize("NFKC", text)
    if norm != text:
        if any("\uff01" <= ch <= "\uff5e" for ch in text):
            notes.append(
                "全角数字" if any("\uff10" <= ch <= "\uff19" for ch in text) else "全角符号"
            )
        elif any(ch in "\u00a0\u3000\u2002\u2003\u2009\u202f" for ch in text):
            notes.append("特殊空格")
    s = " ".join(norm.translate(TRADITIONAL).split())  # every kind of space → one ASCII space
    key = s.replace(" ", "").lower()
    if key in MISSING_TOKENS:
        return _blank(s, blank)
    if key.startswith(_EXCEL_ERRORS):
        return _error(
            f"单元格显示公式错误“{s}”，不是数值。",
            f"The cell shows the formula error '{s}', not a number.",
            "请修正公式，或直接填写数值；没有数据请留空。",
            "Fix the formula or type the value; leave the cell blank when there is no data.",
        )
    if key.startswith("="):
        return _error(
            f"单元格是未计算的公式“{_short(s)}”。",
            f"The cell holds an uncalculated formula '{_short(s)}'.",
            "请把公式“选择性粘贴为数值”后重新提交。",
            "Paste the formula as a value (Paste Special → Values) and submit again.",
        )
    if key == "零":
        return _reported(0.0, [*notes, "“零” → 0"], Decimal(0))
    if any(ch.isdigit() for ch in s) and _APPROX.search(s):
        return _error(
            f"“{_short(s)}”是约数或估计值，不是确切数值。",
            f"'{_short(s)}' is an approximate value, not an exact number.",
            "请填写确切数字，只填数字，不加“约”“左右”“以上”等字样；如只有估计数，请填写估计数并在备注中说明。",
            "Enter the exact number only, without words such as 'about' or 'over'; if only an estimate exists, enter it and say so in the notes.",
        )
    return _parse_number(raw, s.lower(), unit, notes)


def _parse_number(raw: str, s: str, unit: Unit, notes: list[str]) -> CellValue:
    paren = len(s) > 2 and s[0] == "(" and s[-1] == ")"
    if paren:
        s = s[1:-1].strip()
    if s[:1] in ("¥", "$"):
        notes.append("货币符号已去除")
    s = s.lstrip("¥$").lstrip()
    if s != s.translate(_MINUS) and s.translate(_MINUS).startswith("-"):
        notes.append("负号已统一")
    s = s.translate(_MINUS)
    sign = 1
    if s[:1] in ("+", "-"):
        sign = -1 if s[0] == "-" else 1
        s = s[1:].lstrip().lstrip("¥$").lstrip()
    if paren:
        if sign < 0:
            return _not_number(raw)
        sign = -1
        notes.append("括号表示负数")
    m = _NUMBER.match(s)
    if m is None:
        return _not_number(raw)
    digits, exp = m.group(1), m.group(2) or ""
    rest = s[m.end() :].strip()
    if _RANGE.match(rest):
        return _error(
            f"“{_short(raw.strip())}”是一个区间，不是一个数值。",
            f"'{_short(raw.strip())}' is a range, not a single number.",
            "请填写一个确切数值。",
            "Enter one exact number.",
        )
    if "," in digits or " " in digits:
        intpart = digits.split(".")[0].replace(" ", ",")
        if not _GROUPED.fullmatch(intpart):
            return _error(
                f"“{_short(raw.strip())}”中的逗号或空格位置不像千位分隔符（小数点请用“.”）。",
                f"'{_short(raw.strip())}': the commas or spaces are not thousands separators (use '.' as the decimal point).",
                "请去掉分隔符，只填写数字，小数点用“.”（如 1234.5）。",
                "Remove the separators and enter the number only, with '.' as the decimal point (e.g. 1234.5).",
            )
        notes.append("千位分隔符")
        digits = digits.replace(",", "").replace(" ", "")
    if exp:
        notes.append("科学计数法")
    try:
        number = Decimal(digits + exp) * sign
    except InvalidOperation:
        return _not_number(raw)
    except ArithmeticError:  # an exponent beyond Decimal's range
        return _reported(math.inf, notes)
    return _apply_unit(raw, number, rest, unit, notes)


def _apply_unit(raw: str, number: Decimal, rest: str, unit: Unit, notes: list[str]) -> CellValue:
    mult_text = next((m for m in MULT_ORDER if rest.startswith(m)), "")
    mult = MULTIPLIERS.get(mult_text, 1)
    cell_base = rest[len(mult_text) :].strip()
    cell_base = UNIT_ALIASES.get(cell_base, cell_base)
    shown = raw.strip()
    if cell_base in ("%", "‰"):
        if mult_text or not (unit.percent or not unit.text):
            return _percent_error(raw, unit)
        if cell_base == "‰":
            notes.append(f"{shown} → {format_number(float(number / 10))}%")
            return _reported(float(number / 10), notes, number / 10)
        notes.append("百分号")
        return _reported(float(number), notes, number)
    if unit.rubric and (mult_text or (cell_base and cell_base != "分")):
        return _error(
            f"“{_short(shown)}”不是评分：评分只填 0 到满分之间的数字。",
            f"'{_short(shown)}' is not a score: enter a number between 0 and the maximum points.",
            "请只填写分数（如 4.5）。",
            "Enter the score only (e.g. 4.5).",
        )
    if cell_base and cell_base not in KNOWN_UNITS and cell_base != unit.base:
        return _not_number(raw)
    if cell_base and unit.text and not same_base(cell_base, unit.base):
        return _error(
            f"“{_short(shown)}”的单位“{mult_text}{cell_base}”与本列单位“{unit.text}”不符。",
            f"'{_short(shown)}': its unit '{mult_text}{cell_base}' contradicts the column's unit '{unit.text}'.",
            f"请核实后换算为“{unit.text}”，只填写数字。",
            f"Check the figure, convert it to '{unit.text}' and enter the number only.",
        )
    if unit.percent and (mult_text or cell_base):
        return _percent_error(raw, unit)
    if not mult_text and not cell_base:
        return _reported(float(number), notes, number)
    if cell_base and not mult_text and unit.mult == 1:
        notes.append(f"单位“{cell_base}”已去除")
        return _reported(float(number), notes, number)
    try:
        exact = number * mult / unit.mult
        value = float(exact)
    except ArithmeticError:
        return _reported(math.inf, notes)
    if mult == unit.mult and cell_base:
        notes.append(f"单位“{mult_text}{cell_base}”已去除")
    else:
        notes.append(f"{shown} → {format_number(value)}{unit.text if unit.mult != 1 else ''}")
    return _reported(value, notes, exact)


def _percent_error(raw: str, unit: Unit) -> CellValue:
    shown = _short(raw.strip())
    if unit.percent:
        return _error(
            f"“{shown}”不是百分数：本列单位为 %。",
            f"'{shown}' is not a percentage: this column is in %.",
            "请填写百分数的数字部分（如 3.5% 填 3.5）。",
            "Enter the percentage as a number (3.5% → 3.5).",
        )
    return _error(
        f"“{shown}”是百分数，但本列单位为“{unit.text}”，不是 %。",
        f"'{shown}' is a percentage, but this column is in '{unit.text}', not %.",
        f"请填写以“{unit.text}”计的数值，只填数字。",
        f"Enter the value in '{unit.text}', as a number only.",
    )


__all__ = ["CellValue", "IssueSink", "parse_cell", "parse_exact"]
