"""The records matching reads: needs, achievements and talent profiles, as plain dataclasses.

They hold what the engine and its explanation use, nothing of storage: the web platform's models
(issue #18, item 1) convert to these. Region codes are GB/T 2260 six-digit codes (county level);
a code of a city (``640400``) or a province (``640000``) is allowed where that is all that is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["TRANSFER_MODES", "Achievement", "Need", "Talent"]

#: the transfer modes of 《促进科技成果转化法》 art. 16 that an achievement may offer
TRANSFER_MODES: tuple[str, ...] = ("转让", "许可", "作价入股", "合作开发")


@dataclass(frozen=True)
class Need:
    """A technology need (需求) posted by an enterprise, cooperative or county bureau.

    ``industry``: GB/T 4754-2017 code (section letter or division, longer codes allowed);
    ``budget``: 万元 (None when not said); ``county``: GB/T 2260 code of where it is.
    """

    id: str
    problem: str
    chain: str = ""
    industry: str = ""
    budget: float | None = None
    deadline: date | None = None
    county: str = ""

    @property
    def text(self) -> str:
        """What the engine reads: the industry chain and the problem."""
        return f"{self.chain} {self.problem}".strip()


@dataclass(frozen=True)
class Achievement:
    """A scientific or technological achievement (成果) offered for transfer.

    ``discipline``: GB/T 13745-2009 code; ``trl``: technology readiness level 1–9 (GB/T 22900-2022
    levels); ``mode``: one of :data:`TRANSFER_MODES` or empty; ``price``: (low, high) in 万元;
    ``region``: GB/T 2260 code of the owner.
    """

    id: str
    title: str
    abstract: str = ""
    discipline: str = ""
    trl: int | None = None
    mode: str = ""
    price: tuple[float | None, float | None] = (None, None)
    owner: str = ""
    region: str = ""

    def __post_init__(self) -> None:
        if self.trl is not None and not 1 <= int(self.trl) <= 9:
            raise ValueError(f"TRL must be 1–9, not {self.trl!r}")
        if self.mode and self.mode not in TRANSFER_MODES:
            raise ValueError(f"transfer mode must be one of {TRANSFER_MODES}, not {self.mode!r}")

    @property
    def text(self) -> str:
        """What the engine reads: the title and the abstract."""
        return f"{self.title} {self.abstract}".strip()


@dataclass(frozen=True)
class Talent:
    """A talent or 科技特派员 (commissioner) profile: matched like an achievement, on expertise."""

    id: str
    name: str
    expertise: str
    institution: str = ""
    region: str = ""
    discipline: str = ""
    availability: str = ""
    commissioner: bool = False
    tags: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return f"{self.expertise} {' '.join(self.tags)}".strip()
