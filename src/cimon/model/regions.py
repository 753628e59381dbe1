"""The region registry: county-level units keyed by their GB/T 2260 six-digit code.

Names typed by users are matched after normalisation: Traditional → Simplified (OpenCC), full-width →
half-width (NFKC), whitespace removed, a leading province or city name dropped, and the administrative
suffix (县/市/区/旗/自治县 …) treated as optional when the stem is unambiguous.

English names (``name_en``, ``city_en``: "Xiji County", "Guyuan") are for display only, in English
output (:func:`display_name`); the Chinese name stays the identifier everywhere (matching user
input, imports, data). A registry without them shows the Chinese names in English output too.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from cimon.errors import RegionError

REQUIRED_COLUMNS = ("code", "name", "city_code", "city", "province", "type")
#: optional columns: peer-group tags and the English names shown in English output
OPTIONAL_COLUMNS = ("tags", "name_en", "city_en", "province_en")
#: The county marker: the department a framework names for what the counties report themselves
#: (their 创新管理 self-assessment), in ``department`` fields of variables, templates, submissions
#: and accounts. Use this name, never the literal.
COUNTY_DEPARTMENT = "县"
#: Administrative suffixes, longest first, so that 自治县 is removed before 县.
SUFFIXES = ("自治县", "自治旗", "林区", "特区", "县", "市", "区", "旗")


@dataclass(frozen=True)
class Region:
    """One county-level unit (县、县级市、区)."""

    code: str
    name: str
    city_code: str
    city: str
    province: str
    type: str
    tags: tuple[str, ...] = ()
    #: English name ("Xiji County", "Lingwu City"); "" when the registry has none
    name_en: str = ""
    #: English name of the 设区市 ("Guyuan"); "" when the registry has none
    city_en: str = ""
    #: English name of the province ("Ningxia Hui Autonomous Region"); "" when none
    province_en: str = ""

    def label(self, lang: str) -> str:
        """The name to show: English (when known) for ``lang == "en"``, else the Chinese name."""
        return (self.name_en or self.name) if lang == "en" else self.name

    def city_label(self, lang: str) -> str:
        """The 设区市's name to show, as :meth:`label`."""
        return (self.city_en or self.city) if lang == "en" else self.city


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def normalise_name(name: str) -> str:
    """Canonical form of a user-typed place name: Simplified, half-width, without spaces.

    >>> normalise_name(" 西吉縣 ")
    '西吉县'
    >>> normalise_name("鹽 池 縣")
    '盐池县'
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = re.sub(r"[\s\u3000\u00a0]+", "", text)
    return str(_t2s().convert(text))


_ETHNIC = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,4}族)+自治[县旗州]$")


def short_names(name: str) -> set[str]:
    """Short forms people use: 西吉县 → 西吉; 景宁畲族自治县 → 景宁畲族, 景宁."""
    out = {strip_suffix(name)}
    m = _ETHNIC.match(name)
    if m:
        out.add(m.group(1))
    return out


def strip_suffix(name: str) -> str:
    """The stem of a place name without its administrative suffix (西吉县 → 西吉)."""
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return name


#: English administrative suffixes, longest first
EN_SUFFIXES = (
    " Autonomous County",
    " Autonomous Banner",
    " County",
    " District",
    " City",
    " Banner",
)


def strip_suffix_en(name: str) -> str:
    """An English name without its administrative word, for tight chart labels only
    (Qingtongxia City → Qingtongxia, Xiji County → Xiji); a Chinese name as :func:`strip_suffix`."""
    for suf in EN_SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return strip_suffix(name)


PROVINCE_SUFFIXES = ("维吾尔自治区", "回族自治区", "壮族自治区", "特别行政区", "自治区", "省", "市")


def province_stem(name: str) -> str:
    """宁夏回族自治区 → 宁夏, 浙江省 → 浙江."""
    for suf in PROVINCE_SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf):
            return name[: -len(suf)]
    return name


class RegionRegistry:
    """An ordered set of regions with lookup by code and by (normalised) name."""

    def __init__(self, regions: Iterable[Region], source: str = "<regions>") -> None:
        self.source = source
        self._regions: dict[str, Region] = {}
        for r in regions:
            if r.code in self._regions:
                raise RegionError(
                    f"区划代码 {r.code} 重复出现。",
                    f"Region code {r.code} appears twice.",
                    source,
                )
            self._regions[r.code] = r
        self._english: dict[str, str] | None = None
        self._by_name: dict[str, str] = {}
        self._by_stem: dict[str, list[str]] = {}
        for r in self._regions.values():
            self._by_name[normalise_name(r.name)] = r.code
            for stem in short_names(normalise_name(r.name)):
                self._by_stem.setdefault(stem, []).append(r.code)
        self._prefixes = sorted(
            {normalise_name(x) for r in self._regions.values() for x in (r.province, r.city)}
            | {strip_suffix(normalise_name(r.city)) for r in self._regions.values()}
            | {province_stem(normalise_name(r.province)) for r in self._regions.values()},
            key=len,
            reverse=True,
        )

    def __iter__(self) -> Iterator[Region]:
        return iter(self._regions.values())

    def __len__(self) -> int:
        return len(self._regions)

    def __contains__(self, code: object) -> bool:
        return code in self._regions

    def __getitem__(self, code: str) -> Region:
        return self._regions[code]

    @property
    def codes(self) -> list[str]:
        return list(self._regions)

    def cities(self) -> dict[str, str]:
        """City code → city name, in registry order."""
        return {r.city_code: r.city for r in self}

    def english(self, name_or_code: str | int) -> str | None:
        """The English name of a county or a 设区市 given by its code or its Chinese name (exact,
        after :func:`normalise_name`; no fuzzy matching); ``None`` when the registry does not
        know it or has no English name for it."""
        if self._english is None:
            table: dict[str, str] = {}
            for r in self:  # counties first: their names win over a city of the same name
                if r.name_en:
                    table.setdefault(r.code, r.name_en)
                    table.setdefault(r.name, r.name_en)
            for r in self:
                if r.city_en:
                    table.setdefault(r.city_code, r.city_en)
                    table.setdefault(r.city, r.city_en)
            self._english = table
        raw = str(name_or_code).strip()
        found = self._english.get(raw)
        if found is None and raw:
            found = self._english.get(normalise_name(raw))
        return found

    def chinese(self, name_or_code: str | int) -> str:
        """The Chinese name of a county or 设区市 code; anything else unchanged."""
        raw = str(name_or_code)
        if raw in self._regions:
            return self._regions[raw].name
        for r in self:
            if r.city_code == raw:
                return r.city
        return raw

    def match(self, text: str | int, where: str | None = None) -> Region:
        """Find a region by code or by name as a user typed it; raise :class:`RegionError` if none
        or more than one matches."""
        found = self.find(text)
        if found is not None:
            return found
        raw = str(text).strip()
        hint = self._suggest(raw)
        raise RegionError(
            f"无法识别的县（市、区）“{raw}”。请使用区划代码或正式名称{hint[0]}。",
            f"Unknown county '{raw}'. Use its GB/T 2260 code or official name{hint[1]}.",
            where or self.source,
        )

    def find(self, text: str | int) -> Region | None:
        """Like :meth:`match` but return ``None`` when nothing (or more than one region) matches."""
        raw = str(text).strip()
        digits = unicodedata.normalize("NFKC", raw)
        if digits.endswith(".0"):  # a code read from Excel as a float
            digits = digits[:-2]
        if digits.isdigit():
            return self._regions.get(digits.ljust(6, "0") if len(digits) < 6 else digits)
        name = normalise_name(raw)
        for candidate in self._candidates(name):
            if candidate in self._by_name:
                return self._regions[self._by_name[candidate]]
            stem_hits = self._by_stem.get(strip_suffix(candidate), [])
            if len(stem_hits) == 1:
                return self._regions[stem_hits[0]]
        return None

    def _candidates(self, name: str) -> list[str]:
        out = [name]
        rest = name
        changed = True
        while changed:  # drop leading 宁夏回族自治区 / 宁夏 / 固原市 / 固原 …
            changed = False
            for p in self._prefixes:
                if p and rest.startswith(p) and len(rest) > len(p):
                    rest = rest[len(p) :]
                    out.append(rest)
                    changed = True
                    break
        return out

    def _suggest(self, raw: str) -> tuple[str, str]:
        name = normalise_name(raw)
        close = [r.name for r in self if name and (name[0] in r.name)][:3]
        if not close:
            return "", ""
        return f"（是否是：{'、'.join(close)}？）", f" (did you mean: {', '.join(close)}?)"

    def groups(self, kind: str) -> list[str]:
        """Group label of every region, in registry order: ``city`` or a tag name (``tag:山区县``)."""
        if kind == "city":
            return [r.city_code for r in self]
        if kind == "type":
            return [r.type for r in self]
        if kind.startswith("tag:"):
            tag = kind[4:]
            return [tag if tag in r.tags else f"非{tag}" for r in self]
        raise KeyError(kind)

    def tags(self) -> list[str]:
        """Every peer-group tag used in the registry."""
        seen: dict[str, None] = {}
        for r in self:
            for t in r.tags:
                seen[t] = None
        return list(seen)

    def subset(self, codes: Iterable[str]) -> RegionRegistry:
        return RegionRegistry([self._regions[c] for c in codes], self.source)


def display_name(name_or_code: str | int, lang: str, registry: RegionRegistry | None = None) -> str:
    """A county or 设区市 name as English or Chinese output shows it.

    ``name_or_code`` is a Chinese county or city name (西吉县, 固原市) or a code (640422, 640400).
    For ``lang == "en"`` the English name of the registry (default: the bundled one), falling back
    to the Chinese name when it has none; otherwise the Chinese name (a name is returned
    unchanged, a code gives its name). Display only: match and store the Chinese name.

    >>> display_name("西吉县", "en"), display_name("640400", "en"), display_name("西吉县", "zh")
    ('Xiji County', 'Guyuan', '西吉县')
    >>> display_name("火星县", "en")
    '火星县'
    """
    reg = registry if registry is not None else default_registry()
    if lang == "en":
        english = reg.english(name_or_code)
        if english:
            return english
    if isinstance(name_or_code, str) and not name_or_code.strip().isdigit():
        return name_or_code
    return reg.chinese(str(name_or_code).strip())


def load_registry(path: str | Path) -> RegionRegistry:
    """Load a registry CSV (columns: code, name, city_code, city, province, type[, tags,
    name_en, city_en, province_en]).

    ``tags`` holds peer-group labels separated by ``;`` (e.g. ``重点帮扶县;山区县``);
    ``name_en``, ``city_en`` and ``province_en`` the English names shown in English output
    (Xiji County, Guyuan, Ningxia Hui Autonomous Region).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RegionError("找不到区划文件。", "Region file not found.", str(p)) from None
    except UnicodeDecodeError:
        raise RegionError(
            "区划文件不是 UTF-8 编码。请在 Excel 中另存为“CSV UTF-8”。",
            "The region file is not UTF-8. Save it from Excel as 'CSV UTF-8'.",
            str(p),
        ) from None
    return parse_registry(text, str(p))


def parse_registry(text: str, source: str) -> RegionRegistry:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegionError(
            f"区划文件缺少列：{'、'.join(missing)}。需要的列为 {', '.join(REQUIRED_COLUMNS)}"
            f"[, {', '.join(OPTIONAL_COLUMNS)}]。",
            f"Region file lacks column(s) {', '.join(missing)}; need {', '.join(REQUIRED_COLUMNS)}"
            f"[, {', '.join(OPTIONAL_COLUMNS)}].",
            source,
        )
    regions = []
    for lineno, row in enumerate(reader, start=2):
        code = (row["code"] or "").strip()
        if not re.fullmatch(r"\d{6}", code):
            raise RegionError(
                f"第 {lineno} 行的区划代码“{code}”不是 6 位数字（GB/T 2260）。",
                f"Line {lineno}: code '{code}' is not a six-digit GB/T 2260 code.",
                f"{source}:{lineno}",
            )
        tags = tuple(t for t in (row.get("tags") or "").split(";") if t.strip())
        regions.append(
            Region(
                code=code,
                name=normalise_name(row["name"]),
                city_code=(row["city_code"] or "").strip(),
                city=normalise_name(row["city"]),
                province=normalise_name(row["province"]),
                type=(row["type"] or "").strip(),
                tags=tuple(t.strip() for t in tags),
                name_en=" ".join((row.get("name_en") or "").split()),
                city_en=" ".join((row.get("city_en") or "").split()),
                province_en=" ".join((row.get("province_en") or "").split()),
            )
        )
    return RegionRegistry(regions, source)


@lru_cache(maxsize=1)
def default_registry() -> RegionRegistry:
    """The bundled registry: the 22 county-level units of 宁夏回族自治区 under its 5 设区市."""
    res = resources.files("cimon.data") / "regions" / "ningxia.csv"
    return parse_registry(res.read_text(encoding="utf-8"), "cimon/data/regions/ningxia.csv")
