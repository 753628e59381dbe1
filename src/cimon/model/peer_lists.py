"""Peer-group tags of the national registry from real lists, each with its source.

* ``重点帮扶县``: the 国家乡村振兴重点帮扶县 of 中央农办、国家乡村振兴局《关于公布国家乡村振兴重点
  帮扶县名单的通知》(2021-08-27), 160 counties in 10 western provinces. Only the counties found in
  a public source are bundled (``data/regions/key_counties_2021.csv``, one source per row); the
  list is partial (:data:`KEY_TOTAL`, docs/national.md).
* ``民族地区``: the 民族自治地方 by 《中华人民共和国民族区域自治法》 (第二条: 自治区、自治州、自治县
  实行区域自治): every unit of the five 自治区, every unit of an 自治州, and every 自治县 and 自治旗
  (a banner is the county-level unit of Inner Mongolia). Derived from the registry, no list needed.

Not bundled: 边疆地区 (陆地边境县) and 革命老区 — no published list could be sourced.

Pure: no Django. :func:`national_tags` is the rule ``scripts/build_national.py`` writes into
``national.csv.gz``; a test checks the bundled file against it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

KEY_TAG = "重点帮扶县"
ETHNIC_TAG = "民族地区"
#: counties in the official 2021 list of 国家乡村振兴重点帮扶县
KEY_TOTAL = 160
#: the official number per province (the list's 10 provinces)
KEY_TOTAL_BY_PROVINCE = {
    "内蒙古自治区": 10,
    "广西壮族自治区": 20,
    "重庆市": 4,
    "四川省": 25,
    "贵州省": 20,
    "云南省": 27,
    "陕西省": 11,
    "甘肃省": 23,
    "青海省": 15,
    "宁夏回族自治区": 5,
}
#: the five 自治区 (民族区域自治法 第二条; 宪法 第三十条)
AUTONOMOUS_REGIONS = (
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
)
#: county-level kinds that are 民族自治地方 themselves
AUTONOMOUS_KINDS = ("自治县", "自治旗")


@dataclass(frozen=True)
class KeyCounty:
    """One 国家乡村振兴重点帮扶县 and where it was found (a URL)."""

    province: str
    name: str
    source: str


@lru_cache(maxsize=1)
def key_counties() -> tuple[KeyCounty, ...]:
    """The bundled, sourced part of the 2021 list."""
    data = (resources.files("cimon.data") / "regions" / "key_counties_2021.csv").read_bytes()
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    out = tuple(KeyCounty(r["province"], r["name"], r["source"]) for r in rows)
    unsourced = [k for k in out if not k.source.strip()]
    if unsourced:  # pragma: no cover - guards the bundled file
        raise ValueError(f"key county without a source: {unsourced[0]}")
    return out


def is_ethnic_area(province: str, city: str, kind: str) -> bool:
    """Whether a county-level unit is (in) a 民族自治地方: in a 自治区, in a 自治州, or itself a
    自治县/自治旗."""
    return province in AUTONOMOUS_REGIONS or city.endswith("自治州") or kind in AUTONOMOUS_KINDS


def national_tags(name: str, kind: str, city: str, province: str, key: set[tuple[str, str]]) -> str:
    """The ``tags`` cell of a national registry row: ``市辖区`` (as in the Ningxia registry, for
    the peer grouping ``district``), ``重点帮扶县`` when ``(province, name)`` is in ``key``,
    ``民族地区`` by :func:`is_ethnic_area`; ``;``-separated, in that order."""
    on = (
        ("市辖区", kind == "市辖区"),
        (KEY_TAG, (province, name) in key),
        (ETHNIC_TAG, is_ethnic_area(province, city, kind)),
    )
    return ";".join(t for t, yes in on if yes)
