"""The labelled evaluation set shipped with cimon (模拟数据, simulated data; issue #18).

40 needs and 70 achievements written for cimon from the county industries of Ningxia (枸杞、葡萄酒、
滩羊、冷凉蔬菜、马铃薯、肉牛、奶牛、光伏 and a few others), and 547 graded need–achievement pairs
(0–3) derived from hand-written industry and topic tags by the rule stated in
``scripts/build_matching_qrels.py``. The engine never reads the tags.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files

from cimon.matching.records import Achievement, Need

__all__ = ["EvalSet", "load_evalset"]

_DIR = files("cimon.data") / "matching" / "evalset"


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((_DIR / name).read_text(encoding="utf-8"))))


@dataclass(frozen=True)
class EvalSet:
    needs: tuple[Need, ...]
    achievements: tuple[Achievement, ...]
    labels: dict[str, dict[str, int]]  # need → achievement → grade

    @property
    def pairs(self) -> int:
        return sum(len(g) for g in self.labels.values())


@lru_cache(maxsize=1)
def load_evalset() -> EvalSet:
    needs = tuple(
        Need(
            id=r["id"],
            problem=r["problem"],
            chain=r["chain"],
            industry=r["industry"],
            budget=float(r["budget"]) if r["budget"] else None,
            deadline=date.fromisoformat(r["deadline"]) if r["deadline"] else None,
            county=r["county"],
        )
        for r in _rows("needs.csv")
    )
    achievements = tuple(
        Achievement(
            id=r["id"],
            title=r["title"],
            abstract=r["abstract"],
            discipline=r["discipline"],
            trl=int(r["trl"]) if r["trl"] else None,
            mode=r["mode"],
            price=(float(r["price_low"]), float(r["price_high"])),
            owner=r["owner"],
            region=r["region"],
        )
        for r in _rows("achievements.csv")
    )
    labels: dict[str, dict[str, int]] = {}
    for r in _rows("qrels.csv"):
        labels.setdefault(r["need"], {})[r["achievement"]] = int(r["grade"])
    return EvalSet(needs, achievements, labels)
