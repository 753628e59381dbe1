"""Demo figures for the national page (模拟数据): three simulated provinces' published results for
two years — 宁夏 and 甘肃 under one framework, 贵州 under another — imported as a national
instance would import them (``cimon national import``), so the page shows a real comparison.

The scores are invented (seeded); only the county codes and names are the registry's. Every import
is marked synthetic and its file name starts with 模拟数据. Loading twice adds nothing.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

from cimon.store.national.models import ProvinceImport
from cimon.store.national.services import import_published, registry

SYNTHETIC = "模拟数据"
#: province, framework id, version, mean score, seed
PROVINCES = (
    ("宁夏回族自治区", "nx-2021", "2021.1", 62.0, 1),
    ("甘肃省", "nx-2021", "2021.1", 58.0, 2),
    ("贵州省", "gz-demo", "1.0", 70.0, 3),
)
YEARS = (2024, 2025)


def published_json(province: str, framework: str, version: str, mean: float, seed: int,
                   year: int) -> bytes:  # fmt: skip
    """One province's year in the shape of ``GET /api/v1/years/{year}/results``."""
    rng = random.Random(seed * 10_000 + year)
    units = sorted((r for r in registry() if r.province == province), key=lambda r: r.code)
    shift = 1.5 * (year - YEARS[0])
    scores = {r.code: round(min(100.0, max(20.0, rng.gauss(mean + shift, 10))), 2) for r in units}
    ranked = sorted(units, key=lambda r: -scores[r.code])
    rows = []
    for i, r in enumerate(ranked, start=1):
        s = scores[r.code]
        rows.append({"rank": i, "region_code": r.code, "name": r.name, "city": r.city,
                     "score": s, "class": "A" if s >= 70 else "B" if s >= 55 else "C"})  # fmt: skip
    doc = {
        "year": year,
        "version": 1,
        "current": True,
        "published_at": datetime(year + 1, 3, 1, 9, 0, tzinfo=UTC).isoformat(),
        "data_year": year - 1,
        "framework": {"id": framework, "version": version},
        "note": SYNTHETIC,
        "results": rows,
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def load_demo() -> int:
    """Import the demo provinces (once); returns how many imports were added."""
    if ProvinceImport.objects.filter(synthetic=True).exists():
        return 0
    n = 0
    for year in YEARS:
        for province, fw, version, mean, seed in PROVINCES:
            data = published_json(province, fw, version, mean, seed, year)
            import_published(
                data,
                f"{SYNTHETIC}-{year}-{province}.json",
                province,
                "demo-national",
                synthetic=True,
            )
            n += 1
    return n
