"""Field taxonomies and the mapping between them.

Needs carry an industry code of 国民经济行业分类 GB/T 4754-2017 (a section letter ``A``–``T`` or a
two-digit division ``01``–``97``; a longer code such as ``0141`` or ``A0141`` is read by its
division); achievements carry a discipline code of 学科分类与代码 GB/T 13745-2009 (the first three
digits, the first-level discipline, are used: ``210`` 农学, ``230`` 畜牧、兽医科学 …).

Neither standard publishes a concordance, so cimon ships one (``field_map.csv``): each division
lists the disciplines that serve it, with a strength of 1.0 (the discipline that serves the division
directly) or 0.5 (a related one). A section-only need (``A``) takes, for each discipline, the best
strength over the section's divisions, times 0.5 (it says less). See ``data/matching/README.md``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

__all__ = ["FieldMap", "discipline_code", "field_map", "industry_division", "industry_section"]

_DATA = files("cimon.data") / "matching"


def _read(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((_DATA / name).read_text(encoding="utf-8"))))


def industry_division(code: str | None) -> str | None:
    """The two-digit division of a GB/T 4754 code (``"A0141"``/``"0141"``/``"01"`` → ``"01"``),
    or None when the code names only a section or is not a code."""
    text = re.sub(r"\s", "", str(code or "")).upper()
    m = re.fullmatch(r"[A-T]?(\d{2})\d{0,2}", text)
    return m.group(1) if m else None


def industry_section(code: str | None) -> str | None:
    """The section letter of a GB/T 4754 code (``"0141"`` → ``"A"``), or None when unknown."""
    text = re.sub(r"\s", "", str(code or "")).upper()
    if re.fullmatch(r"[A-T]", text):
        return text
    div = industry_division(text)
    return field_map().section_of.get(div) if div else None


def discipline_code(code: str | None) -> str | None:
    """The first-level GB/T 13745 discipline (three digits) of a code (``"21030"`` → ``"210"``)."""
    text = re.sub(r"[\s.]", "", str(code or ""))
    return text[:3] if re.fullmatch(r"\d{3,7}", text) else None


@dataclass(frozen=True)
class FieldMap:
    """The two taxonomies and the mapping (read once from the shipped data)."""

    industries: dict[str, str]
    disciplines: dict[str, str]
    section_of: dict[str, str]
    strength: dict[tuple[str, str], float]

    def affinity(self, industry: str | None, discipline: str | None) -> float:
        """How well discipline serves the industry, 0–1 (0 when either is unknown)."""
        disc = discipline_code(discipline)
        if disc is None:
            return 0.0
        div = industry_division(industry)
        if div is not None:
            return self.strength.get((div, disc), 0.0)
        sec = industry_section(industry)
        if sec is None:
            return 0.0
        best = max(
            (
                s
                for (d, c), s in self.strength.items()
                if c == disc and self.section_of.get(d) == sec
            ),
            default=0.0,
        )
        return 0.5 * best

    def industry_name(self, code: str | None) -> str:
        div = industry_division(code)
        key = div or industry_section(code) or ""
        return self.industries.get(key, str(code or ""))

    def discipline_name(self, code: str | None) -> str:
        disc = discipline_code(code)
        return self.disciplines.get(disc or "", str(code or ""))


@lru_cache(maxsize=1)
def field_map() -> FieldMap:
    """The shipped taxonomies and mapping."""
    industries = {r["code"]: r["name"] for r in _read("gbt4754.csv")}
    section_of = {r["code"]: r["section"] for r in _read("gbt4754.csv") if r["code"].isdigit()}
    disciplines = {r["code"]: r["name"] for r in _read("gbt13745.csv")}
    strength = {
        (r["industry"], r["discipline"]): float(r["strength"]) for r in _read("field_map.csv")
    }
    return FieldMap(industries, disciplines, section_of, strength)
