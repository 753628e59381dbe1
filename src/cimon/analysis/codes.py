"""Region code changes between years (区划调整与代码变更).

A county's GB/T 2260 code can change while the county stays the same (a county becomes a county-level
city or a district: 撤县设市、撤县设区 — a *recode*), or its boundaries can change (merged, split,
re-drawn — a *boundary* change). Year-over-year comparison and incentives need to know which of last
year's codes a county continues.

A code map is a table (CSV / XLSX / YAML) with one row per change::

    old_code,new_code,kind,note
    640181,640106,recode,撤县设区（示例）
    640121,640122,boundary,合并（示例）

``kind`` is ``recode`` (代码变更, the default) or ``boundary`` (区划调整); the national history's
kinds are accepted too (``rename`` counts as recode, ``merge``/``split`` as boundary). What each means
for the incentives is a rule option (``code_change`` in the rule set; see docs/analysis/incentives.md).

Without a map of their own, comparisons use the national history of code changes since 2015
(:func:`default_code_map`, from :mod:`cimon.model.national`; docs/national.md): a county whose code
changed between the two years is matched to its predecessor without a word from the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cimon.analysis.errors import AnalysisError
from cimon.analysis.files import read_rows

KINDS = {
    "recode": "recode",
    "代码变更": "recode",
    "boundary": "boundary",
    "区划调整": "boundary",
    "rename": "recode",
    "更名": "recode",
    "merge": "boundary",
    "合并": "boundary",
    "split": "boundary",
    "拆分": "boundary",
}


@dataclass(frozen=True)
class CodeChange:
    """``old`` (last year's code) continues as ``new`` (this year's code)."""

    old: str
    new: str
    kind: str = "recode"
    note: str = ""


@dataclass(frozen=True)
class CodeMap:
    """A set of code changes; looks up the predecessor of a county."""

    changes: tuple[CodeChange, ...]

    def predecessor(self, code: str, previous: Iterable[str]) -> tuple[str | None, str]:
        """(last year's code, how it was matched) for this year's ``code``.

        ``same``: the code itself was evaluated last year; ``recode`` / ``boundary``: the one
        predecessor from the map; ``merged``: several predecessors (no single previous result);
        ``new``: no previous result.
        """
        prev = set(previous)
        olds = [c for c in self.changes if c.new == code and c.old in prev]
        if len(olds) > 1:
            return None, "merged"
        if olds:
            return olds[0].old, olds[0].kind
        if code in prev and not any(c.old == code and c.new != code for c in self.changes):
            return code, "same"
        return None, "new"


@lru_cache(maxsize=64)
def national_code_map(first: int | None = None, last: int | None = None) -> CodeMap:
    """The national history as a code map: every code of the list of ``first`` that continues as
    another code in the list of ``last`` (chains followed; whole history when a year is None)."""
    from cimon.model.national import changes_between, successors

    notes = {(c.old_code, c.new_code): f"{c.year} {c.source}" for c in changes_between(first, last)}
    out = [
        CodeChange(old, new, KINDS[kind], notes.get((old, new), "national history"))
        for old, ends in successors(first, last).items()
        for new, kind in ends
    ]
    return CodeMap(tuple(out))


def default_code_map(
    previous: Iterable[object],
    current: Iterable[object],
    first: int | None = None,
    last: int | None = None,
) -> CodeMap:
    """The national history restricted to what a comparison can use: changes from a code evaluated
    only last year to a code evaluated only this year. Codes present in both years keep matching
    themselves, so a registry of made-up codes is never affected."""
    prev = {str(c) for c in previous}
    curr = {str(c) for c in current}
    gone, new = prev - curr, curr - prev
    if not gone or not new:
        return CodeMap(())
    full = national_code_map(first, last)
    return CodeMap(tuple(c for c in full.changes if c.old in gone and c.new in new))


def load_code_map(path: str | Path) -> CodeMap:
    """Read a code map table (columns ``old_code``/``原代码``, ``new_code``/``新代码``, optional
    ``kind``/``类型`` and ``note``/``说明``)."""
    out: list[CodeChange] = []
    for row in read_rows(path):
        old = row.get("old_code", "原代码")
        new = row.get("new_code", "新代码")
        if old is None or new is None:
            raise AnalysisError(
                "代码变更表每行需要 old_code（原代码）和 new_code（新代码）。",
                "Each row of a code map needs old_code and new_code.",
                row.where,
            )
        kind_raw = str(row.get("kind", "类型") or "recode").strip()
        if kind_raw not in KINDS:
            raise AnalysisError(
                f"类型“{kind_raw}”无效。请填写 recode（代码变更）或 boundary（区划调整）。",
                f"Kind '{kind_raw}' is invalid. Use recode or boundary.",
                row.where,
            )
        out.append(
            CodeChange(_code(old), _code(new), KINDS[kind_raw], str(row.get("note", "说明") or ""))
        )
    return CodeMap(tuple(out))


def _code(value: object) -> str:
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") else text
