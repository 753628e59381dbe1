"""The scoring guide (评分细则): criteria per rubric variable, each for one kind of item.

A guide is a YAML file in ``cimon/data/guides`` with an ``id``, a ``version`` and, per rubric
variable, its criteria (``id``, ``kind``, ``points``, wording ``zh``/``en``). Every score keeps
the guide's id, version and SHA-256 of the file, so a later edition never changes what an
expert was shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from cimon.store.evidence.kinds import KINDS

DEFAULT_GUIDE = "nx-2021-mgmt"


@dataclass(frozen=True)
class Criterion:
    id: str
    variable: str
    kind: str
    points: float
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Guide:
    id: str
    version: str
    framework: str
    sha256: str
    criteria: tuple[Criterion, ...]

    def for_kind(self, kind: str) -> list[Criterion]:
        """The criteria an item of ``kind`` is scored on."""
        return [c for c in self.criteria if c.kind == kind]

    def for_variable(self, variable: str) -> list[Criterion]:
        return [c for c in self.criteria if c.variable == variable]

    def criterion(self, cid: str) -> Criterion:
        return next(c for c in self.criteria if c.id == cid)


class GuideError(ValueError):
    """A guide file that breaks the rules (unknown kind, points not positive, duplicate id)."""


def parse_guide(text: str) -> Guide:
    """A :class:`Guide` from YAML text; :class:`GuideError` when it breaks the rules."""
    data = yaml.safe_load(text)
    criteria: list[Criterion] = []
    for variable, items in (data.get("variables") or {}).items():
        for c in items:
            if c["kind"] not in KINDS or KINDS[c["kind"]].variable != variable:
                raise GuideError(f"criterion {c['id']}: kind {c['kind']!r} is not of {variable}")
            if not float(c["points"]) > 0:
                raise GuideError(f"criterion {c['id']}: points must be > 0")
            criteria.append(
                Criterion(str(c["id"]), variable, c["kind"], float(c["points"]), c["zh"], c["en"])
            )
    if len({c.id for c in criteria}) != len(criteria):
        raise GuideError("criterion ids must be unique")
    return Guide(
        id=str(data["id"]),
        version=str(data["version"]),
        framework=str(data.get("framework", "")),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        criteria=tuple(criteria),
    )


@lru_cache(maxsize=8)
def load_guide(name: str = DEFAULT_GUIDE) -> Guide:
    """The bundled guide ``name`` (``cimon/data/guides/<name>.yaml``)."""
    path = resources.files("cimon.data").joinpath("guides", f"{name}.yaml")
    return parse_guide(path.read_text(encoding="utf-8"))
