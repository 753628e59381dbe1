"""The region registry: county-level units keyed by their GB/T 2260 six-digit code.

Names typed by users are matched after normalisation: Traditional → Simplified (OpenCC), full-width →
half-width (NFKC), whitespace removed, a leading province or city name dropped, and the administrative
suffix (县/市/区/旗/自治县 …) treated as optional when the stem is unambiguous.
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


def load_registry(path: str | Path) -> RegionRegistry:
    """Load a registry CSV (columns: code, name, city_code, city, province, type[, tags]).

    ``tags`` holds peer-group labels separated by ``;`` (e.g. ``重点帮扶县;山区县``).
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
            f"区划文件缺少列：{'、'.join(missing)}。需要的列为 {', '.join(REQUIRED_COLUMNS)}[, tags]。",
            f"Region file lacks column(s) {', '.join(missing)}; need {', '.join(REQUIRED_COLUMNS)}[, tags].",
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
            )
        )
    return RegionRegistry(regions, source)


@lru_cache(maxsize=1)
def default_registry() -> RegionRegistry:
    """The bundled registry: the 22 county-level units of 宁夏回族自治区 under its 5 设区市."""
    res = resources.files("cimon.data") / "regions" / "ningxia.csv"
    return parse_registry(res.read_text(encoding="utf-8"), "cimon/data/regions/ningxia.csv")
