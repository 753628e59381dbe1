"""Recommending people for a need: talent profiles (人才库) today, 科技特派员 (commissioners,
issue #17) and any other source of people later (issue #18). Pure: no storage.

**The interface.** A source of people is anything with a ``name`` (a short ASCII word, unique
among sources: ``talent``, ``commissioner`` …) and a method ``people()`` returning
:class:`cimon.matching.records.Talent` records — ``id`` unique within the source, ``name``,
``expertise`` (the text matched against the need), ``discipline`` (GB/T 13745-2009 code),
``region`` (GB/T 2260), ``institution``, ``availability``, ``commissioner`` and ``tags``
(more terms to match, e.g. a commissioner's service areas). :func:`recommend_people` ranks the
people of all sources together with the engine's scorers — BM25 on the expertise, field
(industry ↔ discipline) and region; there is no maturity for a person — and names each
match's source, so the same id in two sources never collides. A new source needs no change
here: the store registers it (:func:`cimon.store.libraries.talent.register_person_source`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from cimon.matching.engine import Engine, Match, match
from cimon.matching.records import Need, Talent

__all__ = ["PEOPLE_WEIGHTS", "PersonMatch", "PersonSource", "StaticSource", "recommend_people"]

#: a person has no TRL: the weights of text, field and region
PEOPLE_WEIGHTS: dict[str, float] = {"text": 0.75, "field": 0.15, "region": 0.10}


class PersonSource(Protocol):
    """A source of people to recommend (see the module docstring)."""

    @property
    def name(self) -> str: ...

    def people(self) -> Iterable[Talent]: ...


@dataclass(frozen=True)
class StaticSource:
    """A fixed list of people (tests, files, a source computed elsewhere)."""

    name: str
    records: tuple[Talent, ...]

    def people(self) -> Iterable[Talent]:
        return self.records


@dataclass(frozen=True)
class PersonMatch:
    """A person recommended for a need: the source, the person and the engine's match."""

    source: str
    person: Talent
    match: Match

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def render_zh(self) -> str:
        return self.render("zh")

    @property
    def render_en(self) -> str:
        return self.render("en")

    def render(self, lang: str = "zh") -> str:
        """The reasons: shared terms, field and region (no maturity for a person)."""
        e = self.match.explanation
        if lang == "en":
            terms = ", ".join(e.shared_terms) or "none"
            return f"shared terms: {terms}; field: {e.field_en}; region: {e.region_en}"
        terms = "、".join(e.shared_terms) or "无"
        return f"共同词：{terms}；领域：{e.field_zh}；地域：{e.region_zh}"


def recommend_people(
    need: Need,
    sources: Sequence[PersonSource],
    k: int = 10,
    engine: Engine | None = None,
) -> list[PersonMatch]:
    """The ``k`` people of all ``sources`` that best fit ``need``, best first."""
    names = [s.name for s in sources]
    if len(set(names)) != len(names) or any(":" in n for n in names):
        raise ValueError(f"person sources need unique names without ':' (got {names})")
    found: dict[str, tuple[str, Talent]] = {}
    for source in sources:
        for person in source.people():
            key = f"{source.name}:{person.id}"
            found[key] = (source.name, dataclasses.replace(person, id=key))
    if not found:
        return []
    engine = engine or Engine(weights=PEOPLE_WEIGHTS)
    out = []
    for m in match(need, [p for _, p in found.values()], k=k, engine=engine):
        origin, person = found[m.candidate]
        original = dataclasses.replace(person, id=person.id.split(":", 1)[1])
        out.append(PersonMatch(origin, original, m))
    return out
