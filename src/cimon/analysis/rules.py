"""Incentive rule sets (激励规则): data, not code, loaded from versioned YAML.

The bundled default ``nx-2021`` is seed 000 section 四(二): B→A 100万元, C→B 50万元, 25万元 per place
gained within the class, rank money capped at 100万元, a year with both a jump and a rank gain capped
at 100万元. The seed leaves six cases open; each is an option here with the default decided and
documented in docs/analysis/incentives.md:

============================  ===============================  ====================================
option                        values                           default (nx-2021)
============================  ===============================  ====================================
``multi_step`` (C→A)          ``highest`` · ``sum``            ``highest``: 100万元
``rank.places``               ``overtaken`` · ``literal``      ``overtaken`` (:mod:`~cimon.analysis.places`)
``rank.class_changed``        ``none`` · ``entry`` · ``overall``  ``entry``
``rank.ties``                 ``min`` · ``max``                ``min`` (the published ranks)
``first_year``                ``none`` · ``lowest_class``      ``none``: no award
``code_change.recode``        ``follow`` · ``none``            ``follow`` the predecessor
``code_change.boundary``      ``none`` · ``follow``            ``none``: no award
============================  ===============================  ====================================

Amounts are integer 元 (YAML ``1_000_000`` is an integer); a float amount is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cimon.analysis.errors import RuleError
from cimon.analysis.files import load_yaml
from cimon.model.framework import content_hash

FOLDER = "incentives"
OPTIONS: dict[str, tuple[str, ...]] = {
    "multi_step": ("highest", "sum"),
    "places": ("overtaken", "literal"),
    "class_changed": ("none", "entry", "overall"),
    "ties": ("min", "max"),
    "first_year": ("none", "lowest_class"),
    "recode": ("follow", "none"),
    "boundary": ("none", "follow"),
}


@dataclass(frozen=True)
class Jump:
    """Money for moving from class ``from_`` to the better class ``to`` in one year."""

    from_: str
    to: str
    amount: int
    quote_zh: str = ""


@dataclass(frozen=True)
class Band:
    """Places ``first`` … ``last`` (inclusive; ``None`` = no end) gained are paid ``per_place``
    each. Bands stack like tax brackets: 12 places with bands 1–3, 4–6, 7– pay 3, 3 and 6 places
    at the three rates."""

    first: int
    last: int | None
    per_place: int


@dataclass(frozen=True)
class Bonus:
    """A one-off ``amount`` for gaining at least ``min_places`` places in a year."""

    min_places: int
    amount: int
    name_zh: str = ""


@dataclass(frozen=True)
class RuleSet:
    """A validated incentive rule set."""

    id: str
    version: str
    name_zh: str
    name_en: str
    source_zh: str
    classes: tuple[str, ...]
    jumps: tuple[Jump, ...]
    multi_step: str
    bands: tuple[Band, ...]
    rank_cap: int | None
    rank_quote_zh: str
    bonuses: tuple[Bonus, ...]
    places: str
    class_changed: str
    ties: str
    combined_cap: int | None
    combined_quote_zh: str
    first_year: str
    recode: str
    boundary: str
    raw: Mapping[str, Any]
    source: str = "<dict>"

    @property
    def hash(self) -> str:
        return content_hash(self.raw)

    def jump(self, from_: str, to: str) -> Jump | None:
        return next((j for j in self.jumps if j.from_ == from_ and j.to == to), None)

    def rank_money(self, places: int) -> int:
        """Band money for ``places`` places gained (before the cap)."""
        return band_money(self.bands, places)


def band_money(bands: Sequence[Band], places: int) -> int:
    """Money for ``places`` places gained, each paid at the rate of its band (the bands stack
    like tax brackets); integer 元, before any cap."""
    total = 0
    for b in bands:
        top = places if b.last is None else min(places, b.last)
        if top >= b.first:
            total += (top - b.first + 1) * b.per_place
    return total


def load_rules(ref: str | Path | Mapping[str, Any] = "nx-2021") -> RuleSet:
    """Load and validate a rule set: a bundled id, a YAML path or a parsed mapping.

    Raises :class:`RuleError` naming the file and the key path of the first problem."""
    if isinstance(ref, Mapping):
        return parse_rules(ref, "<dict>")
    data, source = load_yaml(ref, FOLDER, RuleError)
    return parse_rules(data, source)


class _C:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, zh: str, en: str) -> RuleError:
        return RuleError(zh, en, f"{self.source}: {path}")

    def money(self, node: Mapping[str, Any], key: str, path: str, required: bool = True) -> Any:
        if key not in node or node[key] is None:
            if not required:
                return None
            raise self.fail(
                f"{path}.{key}".lstrip("."), f"缺少金额“{key}”。", f"'{key}' is required."
            )
        v = node[key]
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise self.fail(
                f"{path}.{key}".lstrip("."),
                f"金额应为不小于 0 的整数元（如 1_000_000），实际是 {v!r}。",
                f"Amounts are whole yuan (元), e.g. 1_000_000; got {v!r}.",
            )
        return v

    def option(self, node: Mapping[str, Any], key: str, path: str, name: str, default: str) -> str:
        v = str(node.get(key, default))
        if v not in OPTIONS[name]:
            raise self.fail(
                f"{path}.{key}".lstrip("."),
                f"“{key}”只能是 {' / '.join(OPTIONS[name])}（实际 {v!r}）。",
                f"'{key}' must be one of {' / '.join(OPTIONS[name])} (got {v!r}).",
            )
        return v

    def mapping(self, node: Any, path: str) -> Mapping[str, Any]:
        if node is None:
            return {}
        if not isinstance(node, Mapping):
            raise self.fail(path, f"“{path}”应为键值映射。", f"'{path}' must be a mapping.")
        return node


def parse_rules(data: Mapping[str, Any], source: str = "<dict>") -> RuleSet:
    """Validate a parsed mapping and build a :class:`RuleSet`."""
    c = _C(source)
    for key in ("id", "version", "classes", "jumps"):
        if key not in data or data[key] is None:
            raise c.fail(key, f"缺少必填项“{key}”。", f"'{key}' is required.")
    classes = data["classes"]
    if (
        not isinstance(classes, list)
        or len(classes) < 2
        or len(set(map(str, classes))) != len(classes)
    ):
        raise c.fail(
            "classes",
            "classes 应为从高到低的类别列表，如 [A, B, C]，不得重复。",
            "classes must list the class labels best first, e.g. [A, B, C], without repeats.",
        )
    labels = tuple(str(x) for x in classes)
    level = {label: len(labels) - 1 - k for k, label in enumerate(labels)}
    jumps: list[Jump] = []
    if not isinstance(data["jumps"], list):
        raise c.fail("jumps", "jumps 应为列表。", "jumps must be a list.")
    for k, j in enumerate(data["jumps"]):
        path = f"jumps[{k}]"
        j = c.mapping(j, path)
        a, b = str(j.get("from")), str(j.get("to"))
        if a not in level or b not in level or level[b] <= level[a]:
            raise c.fail(
                path,
                f"跃升规则应从较低类别到较高类别，且类别在 classes 中（{a}→{b}）。",
                f"A jump must go from a lower to a higher class listed in classes ({a}→{b}).",
            )
        jumps.append(Jump(a, b, int(c.money(j, "amount", path)), str(j.get("quote_zh", ""))))
    for lo, hi in zip(labels[1:], labels[:-1], strict=True):
        if not any(j.from_ == lo and j.to == hi for j in jumps):
            raise c.fail(
                "jumps",
                f"缺少相邻类别的跃升规则 {lo}→{hi}。每一级跃升都要有金额（可为 0）。",
                f"No rule for the one-step jump {lo}→{hi}. Every one-step jump needs an amount (0 is allowed).",
            )
    rank = c.mapping(data.get("rank"), "rank")
    bands: list[Band] = []
    raw_bands = rank.get("bands") or []
    if not isinstance(raw_bands, list):
        raise c.fail("rank.bands", "rank.bands 应为列表。", "rank.bands must be a list.")
    expect = 1
    for k, bnd in enumerate(raw_bands):
        path = f"rank.bands[{k}]"
        bnd = c.mapping(bnd, path)
        first, last = bnd.get("from", expect), bnd.get("to")
        if first != expect or (last is not None and (not isinstance(last, int) or last < first)):
            raise c.fail(
                path,
                f"位次档应从第 {expect} 位连续排列（from: {expect}），to 不小于 from 或为空。",
                f"Bands must be contiguous from place {expect} (from: {expect}); to >= from or empty.",
            )
        bands.append(Band(int(first), last, int(c.money(bnd, "per_place", path))))
        if last is None:
            if k != len(raw_bands) - 1:
                raise c.fail(
                    path, "只有最后一档可以不设上限。", "Only the last band may have no end."
                )
            break
        expect = last + 1
    bonuses = []
    for k, bo in enumerate(rank.get("bonuses") or []):
        path = f"rank.bonuses[{k}]"
        bo = c.mapping(bo, path)
        mp = bo.get("min_places")
        if isinstance(mp, bool) or not isinstance(mp, int) or mp < 1:
            raise c.fail(
                f"{path}.min_places",
                "min_places 应为正整数。",
                "min_places must be a positive integer.",
            )
        bonuses.append(Bonus(mp, int(c.money(bo, "amount", path)), str(bo.get("name_zh", ""))))
    codes = c.mapping(data.get("code_change"), "code_change")
    return RuleSet(
        id=str(data["id"]),
        version=str(data["version"]),
        name_zh=str(data.get("name_zh", data["id"])),
        name_en=str(data.get("name_en", data["id"])),
        source_zh=str(data.get("source_zh", "")),
        classes=labels,
        jumps=tuple(jumps),
        multi_step=c.option(data, "multi_step", "", "multi_step", "highest"),
        bands=tuple(bands),
        rank_cap=c.money(rank, "cap", "rank", required=False),
        rank_quote_zh=str(rank.get("quote_zh", "")),
        bonuses=tuple(bonuses),
        places=c.option(rank, "places", "rank", "places", "overtaken"),
        class_changed=c.option(rank, "class_changed", "rank", "class_changed", "entry"),
        ties=c.option(rank, "ties", "rank", "ties", "min"),
        combined_cap=c.money(data, "combined_cap", "", required=False),
        combined_quote_zh=str(data.get("combined_quote_zh", "")),
        first_year=c.option(data, "first_year", "", "first_year", "none"),
        recode=c.option(codes, "recode", "code_change", "recode", "follow"),
        boundary=c.option(codes, "boundary", "code_change", "boundary", "none"),
        raw=dict(data),
        source=source,
    )


def with_places(rules: RuleSet, reading: str) -> RuleSet:
    """``rules`` with ``rank.places`` set to ``reading`` (``overtaken`` or ``literal``); the
    rule set itself when it already reads places that way. The copy's ``raw`` (and so its hash)
    records the change."""
    if reading == rules.places:
        return rules
    raw = dict(rules.raw)
    raw["rank"] = {**dict(raw.get("rank") or {}), "places": reading}
    return parse_rules(raw, f"{rules.source} (rank.places={reading})")


def check_classes(rules: RuleSet, labels: Sequence[str]) -> None:
    """The evaluation's class labels must be the rule set's, in the same order."""
    if tuple(labels) != rules.classes:
        raise RuleError(
            f"激励规则的类别 {'/'.join(rules.classes)} 与评价结果的类别 {'/'.join(labels)} 不一致。"
            "请使用与指标体系类别相同的规则集。",
            f"The rule set's classes {'/'.join(rules.classes)} differ from the evaluation's "
            f"{'/'.join(labels)}. Use a rule set written for this framework's classes.",
            f"{rules.source}: classes",
        )
