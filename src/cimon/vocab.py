"""One bilingual vocabulary and one set of value converters for every output.

Every output (terminal text, workbooks, the annual report, the dashboard, the API) writes its words
through :func:`t` or a :class:`Term`, and reads numbers out of tables, frames and stored JSON through
:func:`number` and :func:`integer`, so "missing" means the same thing everywhere: ``None``, NaN,
infinities, booleans and text that is not a number are all missing (``None``).

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


@dataclass(frozen=True)
class Term:
    """A word or phrase in both languages, e.g. ``Term("总分", "Total score")``."""

    zh: str
    en: str

    def __call__(self, lang: str = "zh") -> str:
        return t(self.zh, self.en, lang)


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
