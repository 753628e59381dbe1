"""A table defined once: its columns (key, bilingual header, kind) and how each kind is shown in
every output.

A :class:`Column` says what a column holds (``key``, the field it reads), what it is called
(:class:`~cimon.vocab.Term`) and what kind of value it is (:data:`KINDS`). The kind decides how
the value is written in each output (:data:`TARGETS`):

============  ==================  ===================  ==================  ===================  =========
kind          terminal text       xlsx cell (format)   report (string)     dashboard (string)   API
============  ==================  ===================  ==================  ===================  =========
text, code    as is               text                 as is, ``—``        as is, ``—``         as is
place         name in ``lang``    name in ``lang``     name in ``lang``    name in ``lang``     zh + ``_en``
class         as is               text (coloured)      as is, ``—``        as is, ``—``         as is
words         text in ``lang``    text in ``lang``     text in ``lang``    text in ``lang``     ``_zh``, ``_en``
int, rank     int                 int ``0``            ``12``, ``—``       ``12``, ``—``        int
signed_int    int                 int ``0``            ``+3``, ``0``       ``+3``, ``0``        int
yuan          ``1,250,000``       int ``#,##0``        万元 ``125``         ``1,250,000 元…``    int 元
score         ``84.00``           float ``0.00``       ``84.00``           ``84.00``            float
signed        ``1.2``             float ``0.00``       ``+1.20``           ``+1.20``            float
prob          ``0.85``            float ``0.0%``       ``85.0%``           ``85.0%``            float
============  ==================  ===================  ==================  ===================  =========

Headers: a column whose cells carry no unit in an output gets the unit after its header there
(``跃升激励（元）`` in the terminal and the workbook); where the cells say it (the dashboard's
``50 万元``) or the caption does (the report's ``（万元）`` tables) the header is the bare term.

A :class:`TableSpec` is a key, a caption and the columns in order; outputs show all of them or a
selection (:meth:`TableSpec.pick`). The renderers are :mod:`cimon.tables.render` (terminal,
workbook, dashboard, API) and :mod:`cimon.reports.annual.spec_table` (the annual report's ``Table``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cimon.analysis.money import wan, yuan
from cimon.vocab import Term, integer, number, percent

#: the outputs every table is rendered to
TARGETS: tuple[str, ...] = ("text", "xlsx", "report", "dashboard", "api")
ALL = frozenset(TARGETS)

#: the kinds of value a column may hold (see the module docstring)
KINDS = frozenset(
    ["text", "code", "place", "class", "words", "int", "rank", "signed_int", "yuan", "score",
     "signed", "prob"]
)  # fmt: skip

#: units shown after a header where the cells do not carry them
UNITS: dict[str, Term] = {"yuan": Term("元", "yuan")}
#: numeric kinds (right-aligned)
NUMERIC = frozenset(["int", "rank", "signed_int", "yuan", "score", "signed", "prob"])
#: the number format of each numeric kind in a workbook
XLSX_FORMATS = {
    "int": "0",
    "rank": "0",
    "signed_int": "0",
    "yuan": "#,##0",
    "score": "0.00",
    "signed": "0.00",
    "prob": "0.0%",
}
DASH = "—"

#: turns a county or city name (Chinese, the identifier) into the name shown in ``lang``
Namer = Callable[[str, str], str]


def same_name(name: str, lang: str) -> str:
    """The default :data:`Namer`: names as they are."""
    return name


def field_of(*names: str) -> Callable[[Any], Any]:
    """A getter reading the first of ``names`` that the item holds (not None): a mapping key or
    an attribute (so the same column reads an :class:`~cimon.analysis.incentives.Award`, a
    results frame row as a dict and a stored publication row)."""

    def get(item: Any) -> Any:
        for n in names:
            v = item.get(n) if isinstance(item, Mapping) else getattr(item, n, None)
            if v is not None:
                return v
        return None

    return get


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``key`` names it in API records and selections; ``get`` reads the raw value from an item
    (default: the field or mapping key ``key``); a ``words`` column reads text per language with
    ``words(item, lang)``. ``outputs`` lists where it is shown by default (the API always gets
    every column of the selection it is given).
    """

    key: str
    head: Term
    kind: str = "text"
    get: Callable[[Any], Any] | None = None
    words: Callable[[Any, str], str] | None = None
    outputs: frozenset[str] = ALL

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} ({self.key})")

    # --- reading --------------------------------------------------------------------------------

    def raw(self, item: Any, lang: str = "zh") -> Any:
        """The typed value (None when missing): what the API and the workbook hold."""
        if self.kind == "words":
            assert self.words is not None, self.key
            return self.words(item, lang)
        value = (self.get or field_of(self.key))(item)
        if self.kind in ("int", "rank", "signed_int", "yuan"):
            return integer(value)
        if self.kind in ("score", "signed", "prob"):
            return number(value)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return str(value)

    # --- headers --------------------------------------------------------------------------------

    def header(self, lang: str = "zh", target: str = "text") -> str:
        """The header in ``lang`` as ``target`` shows it (with the unit where the cells lack it)."""
        head = self.head(lang)
        unit = UNITS.get(self.kind)
        if unit is None or target not in ("text", "xlsx"):
            return head
        return f"{head} ({unit(lang)})" if lang == "en" else f"{head}（{unit(lang)}）"

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def number_format(self) -> str | None:
        return XLSX_FORMATS.get(self.kind)

    # --- cells ----------------------------------------------------------------------------------

    def text(self, item: Any, lang: str = "zh", place: Namer = same_name) -> Any:
        """The terminal cell: numbers stay numbers (``format_table`` aligns them), money with
        thousands separators, names in ``lang``."""
        v = self.raw(item, lang)
        if v is None:
            return None
        if self.kind == "yuan":
            return f"{v:,}"
        if self.kind == "place":
            return place(v, lang)
        return v

    def cell(self, item: Any, lang: str = "zh", place: Namer = same_name) -> Any:
        """The workbook cell: the typed value (names in ``lang``)."""
        v = self.raw(item, lang)
        return place(v, lang) if self.kind == "place" and v is not None else v

    def shown(
        self,
        item: Any,
        lang: str = "zh",
        place: Namer = same_name,
        money: str = "wan",
        decimals: int = 2,
    ) -> str:
        """The cell as final text (report and dashboard): missing values are ``—``; money in 万元
        (``money="wan"``, the report) or as :func:`~cimon.analysis.money.yuan` (``"yuan"``);
        scores with ``decimals`` places (the framework's published precision)."""
        v = self.raw(item, lang)
        if v is None:
            return DASH
        if self.kind == "yuan":
            return wan(v) if money == "wan" else yuan(v, lang)
        if self.kind == "score":
            return f"{v:.{decimals}f}"
        if self.kind == "signed":
            return f"{0:.{decimals}f}" if round(v, decimals) == 0 else f"{v:+.{decimals}f}"
        if self.kind == "signed_int":
            return f"{v:+d}" if v else "0"
        if self.kind == "prob":
            return percent(v)
        if self.kind == "place":
            return place(v, lang)
        return str(v)

    def record(self, item: Any, place: Namer = same_name) -> dict[str, Any]:
        """The API fields of this column: ``key → raw value``; a place adds ``key_en`` (the
        English name, for display); a ``words`` column gives ``key_zh`` and ``key_en``."""
        if self.kind == "words":
            return {f"{self.key}_zh": self.raw(item, "zh"), f"{self.key}_en": self.raw(item, "en")}
        v = self.raw(item)
        if self.kind == "place":
            return {self.key: v, f"{self.key}_en": None if v is None else place(v, "en")}
        return {self.key: v}


@dataclass(frozen=True)
class TableSpec:
    """A table: ``key`` (the report's and the dashboard's ``data-key``), the caption and the
    columns in order."""

    key: str
    caption: Term
    columns: tuple[Column, ...] = field(default=())

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys in table {self.key}: {keys}")

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"table {self.key} has no column {key!r}")

    def pick(self, *keys: str) -> TableSpec:
        """The same table with only ``keys``, in that order."""
        return replace(self, columns=tuple(self.column(k) for k in keys))

    def without(self, *keys: str) -> TableSpec:
        return replace(self, columns=tuple(c for c in self.columns if c.key not in keys))

    def shown_in(self, target: str) -> TableSpec:
        """The columns shown in ``target`` by default."""
        return replace(self, columns=tuple(c for c in self.columns if target in c.outputs))

    def insert(self, after: str, *columns: Column) -> TableSpec:
        """The table with ``columns`` added after the column ``after``."""
        k = self.keys().index(after) + 1
        return replace(self, columns=(*self.columns[:k], *columns, *self.columns[k:]))

    def heads(self, lang: str = "zh", target: str = "text") -> list[str]:
        return [c.header(lang, target) for c in self.columns]

    def numeric(self) -> tuple[int, ...]:
        return tuple(j for j, c in enumerate(self.columns) if c.numeric)

    def class_col(self) -> int | None:
        """The column coloured by class (this year's class)."""
        return next((j for j, c in enumerate(self.columns) if c.kind == "class"), None)


def spec_of(key: str, zh: str, en: str, columns: Iterable[Column]) -> TableSpec:
    return TableSpec(key, Term(zh, en), tuple(columns))
