"""Funds ledger (激励资金台账): allocations, recorded uses, and what needs checking.

Seed 000 section 四(三): “获得激励资金支持的县要将激励资金用于实施科技项目、提升创新能力和营造创新环境，
具体包括：开展科研攻关、推动成果转化、培育创新平台，培养创新人才等方面。要加强激励资金使用监管，严禁挪用，
并提高资金使用绩效。”

The permitted uses are the seed's three purposes (实施科技项目、提升创新能力、营造创新环境); the four
items after “具体包括” are examples of them, and “等方面” leaves the list open. So the ledger's
categories are the seed's seven phrases, in its wording (:data:`CATEGORIES`), and a use recorded
under any other label is **not** called misuse: it is listed for checking (``unlisted``, 用途未列明，
待核实), asking whether it serves one of the three purposes.

* **Allocations** come from the incentive awards (:func:`allocations_from_awards`) or a file.
* **Uses** come from a file (CSV / XLSX / YAML), one row per payment: county (name or code), year
  (the evaluation year of the allocation the money comes from), category, amount in 元, item, date.
* :func:`check_ledger` adds them up per county and year and lists every use under a label the seed
  does not name (``unlisted``), every use that takes the county beyond its allocation (``over``),
  and uses by a county with no allocation that year (``no_allocation``).

Money is :class:`~decimal.Decimal` (元, to the 分); floats are never used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from cimon.analysis.errors import LedgerError
from cimon.analysis.files import money, read_rows
from cimon.analysis.incentives import Award
from cimon.analysis.money import decimal_yuan
from cimon.model.regions import RegionRegistry, normalise_name
from cimon.vocab import t

#: the seed's three purposes (四(三) “用于实施科技项目、提升创新能力和营造创新环境”)
PURPOSES: tuple[str, ...] = ("实施科技项目", "提升创新能力", "营造创新环境")
#: the seed's examples of them (“具体包括：开展科研攻关、推动成果转化、培育创新平台，培养创新人才等方面”)
EXAMPLES: tuple[str, ...] = ("开展科研攻关", "推动成果转化", "培育创新平台", "培养创新人才")
#: the ledger's categories: the seed's seven phrases, in its order and wording
CATEGORIES: tuple[str, ...] = PURPOSES + EXAMPLES
CATEGORY_EN = {
    "实施科技项目": "science and technology projects",
    "提升创新能力": "raising innovation capacity",
    "营造创新环境": "the innovation environment",
    "开展科研攻关": "research on key problems",
    "推动成果转化": "technology transfer",
    "培育创新平台": "innovation platforms",
    "培养创新人才": "innovation talent",
}
#: short forms (the four-category names used before #13) and English names are accepted
ALIASES: dict[str, str] = {
    "科技项目": "实施科技项目",
    "创新能力": "提升创新能力",
    "创新环境": "营造创新环境",
    "科研攻关": "开展科研攻关",
    "成果转化": "推动成果转化",
    "创新平台": "培育创新平台",
    "创新人才": "培养创新人才",
    "research": "开展科研攻关",
    **{v: k for k, v in CATEGORY_EN.items()},
}
SEED_USES_ZH = "实施科技项目、提升创新能力和营造创新环境"
SEED_USES_EN = (
    "science and technology projects, raising innovation capacity and the innovation environment"
)

COUNTY_COLS = ("county", "县", "县（市、区）", "code", "区划代码")
YEAR_COLS = ("year", "年度", "评价年度")


@dataclass(frozen=True)
class Allocation:
    code: str
    name: str
    year: int
    amount: Decimal
    source: str = ""


@dataclass(frozen=True)
class Use:
    code: str
    name: str
    year: int
    category: str
    amount: Decimal
    item: str = ""
    date: str = ""
    where: str = ""

    @property
    def allowed(self) -> bool:
        return self.category in CATEGORIES


@dataclass(frozen=True)
class Finding:
    """Something wrong in the ledger, with the place (file and row) it comes from."""

    kind: str  # unlisted | over | no_allocation
    code: str
    name: str
    year: int
    amount: Decimal
    where: str
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return f"{self.where}: {t(self.zh, self.en, lang)}"


@dataclass(frozen=True)
class LedgerLine:
    """One county and allocation year: allocated, used per category, uses under labels the seed
    does not name (``outside``, to be checked), balance."""

    code: str
    name: str
    year: int
    allocated: Decimal
    used: Mapping[str, Decimal]
    outside: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Ledger:
    lines: tuple[LedgerLine, ...]
    findings: tuple[Finding, ...] = field(default=())


def allocations_from_awards(
    awards: Mapping[int, Sequence[Award]] | Sequence[Award],
) -> list[Allocation]:
    """Allocations (integer 元 as Decimal) from incentive awards; zero awards are left out."""
    items: Iterable[Award] = (
        (a for year_awards in awards.values() for a in year_awards)
        if isinstance(awards, Mapping)
        else awards
    )
    return [
        Allocation(a.code, a.name, a.year, Decimal(a.total), "激励资金核定")
        for a in items
        if a.total > 0
    ]


def _key(text: str) -> str:
    return normalise_name(str(text)).lower()


_LOOKUP: dict[str, str] = {_key(k): v for k, v in {**{c: c for c in CATEGORIES}, **ALIASES}.items()}


def category_of(text: str) -> str:
    """The seed's category for a label (``科研攻关`` → ``开展科研攻关``, ``innovation talent`` →
    ``培养创新人才``; width, spaces and case do not matter); other labels as written."""
    return _LOOKUP.get(_key(text), str(text).strip())


def _county(row_value: object, registry: RegionRegistry, where: str) -> tuple[str, str]:
    if row_value is None:
        raise LedgerError(
            "缺少县（市、区）：请在 county（县）列填写名称或区划代码。",
            "No county: fill in the county column with a name or code.",
            where,
        )
    region = registry.match(str(row_value), where)
    return region.code, region.name


def _year(value: object, where: str) -> int:
    try:
        return int(str(value).strip().removesuffix(".0"))
    except ValueError:
        raise LedgerError(
            f"年度“{value}”不是整数。请填写激励资金所属的评价年度，如 2023。",
            f"Year '{value}' is not a whole number. Enter the evaluation year of the allocation, e.g. 2023.",
            where,
        ) from None


def load_uses(path: str | Path, registry: RegionRegistry) -> list[Use]:
    """Read recorded uses: columns county/县, year/年度, category/用途类别, amount/金额,
    optional item/项目, date/日期."""
    out = []
    for row in read_rows(path, LedgerError):
        code, name = _county(row.get(*COUNTY_COLS), registry, row.where)
        cat = row.get("category", "用途类别", "用途")
        if cat is None:
            raise LedgerError(
                f"缺少用途类别。请填写 {'、'.join(CATEGORIES)} 之一，或写明具体用途。",
                f"No category. Use one of: {', '.join(CATEGORY_EN.values())}; or name the use.",
                row.where,
            )
        out.append(
            Use(
                code,
                name,
                _year(row.get(*YEAR_COLS), row.where),
                category_of(str(cat)),
                money(row.get("amount", "金额", "金额（元）"), row.where, LedgerError),
                str(row.get("item", "项目") or ""),
                str(row.get("date", "日期") or ""),
                row.where,
            )
        )
    return out


def load_allocations(path: str | Path, registry: RegionRegistry) -> list[Allocation]:
    """Read allocations: columns county/县, year/年度, amount/金额."""
    return [
        Allocation(
            *_county(row.get(*COUNTY_COLS), registry, row.where),
            _year(row.get(*YEAR_COLS), row.where),
            money(row.get("amount", "金额", "金额（元）"), row.where, LedgerError),
            row.where,
        )
        for row in read_rows(path, LedgerError)
    ]


def check_ledger(allocations: Sequence[Allocation], uses: Sequence[Use]) -> Ledger:
    """Sum uses per county and allocation year and flag rule breaks (see the module docstring).

    Uses are taken in file order; the use that takes a county past its allocation is flagged
    with the excess."""
    alloc: dict[tuple[str, int], Decimal] = {}
    names: dict[str, str] = {}
    for a in allocations:
        alloc[(a.code, a.year)] = alloc.get((a.code, a.year), Decimal(0)) + a.amount
        names[a.code] = a.name
    used: dict[tuple[str, int], dict[str, Decimal]] = {}
    outside: dict[tuple[str, int], Decimal] = {}
    findings: list[Finding] = []
    for u in uses:
        names.setdefault(u.code, u.name)
        key = (u.code, u.year)
        spent_before = sum(used.get(key, {}).values(), Decimal(0)) + outside.get(key, Decimal(0))
        if u.allowed:
            used.setdefault(key, {}).setdefault(u.category, Decimal(0))
            used[key][u.category] += u.amount
        else:
            outside[key] = outside.get(key, Decimal(0)) + u.amount
            findings.append(
                Finding(
                    "unlisted",
                    u.code,
                    u.name,
                    u.year,
                    u.amount,
                    u.where,
                    f"{u.name} {u.year} 年度激励资金 {decimal_yuan(u.amount)} 元用于“{u.category}”，不是《行动方案》"
                    f"四（三）列明的用途（{'、'.join(CATEGORIES)}）。四（三）允许用于{SEED_USES_ZH}"
                    "的“等方面”，请核实该支出是否属于其中之一；不属于的即为挪用（“严禁挪用”）",
                    f"{u.name} {u.year}: {decimal_yuan(u.amount)} yuan spent on '{u.category}', not a use the "
                    f"seed names ({', '.join(CATEGORY_EN.values())}). The seed allows uses for "
                    f"{SEED_USES_EN} (the list is open: “等方面”); check that this use serves one of "
                    "them — otherwise it is misuse (“严禁挪用”)",
                )
            )
        limit = alloc.get(key)
        if limit is None:
            findings.append(
                Finding(
                    "no_allocation",
                    u.code,
                    u.name,
                    u.year,
                    u.amount,
                    u.where,
                    f"{u.name} 没有 {u.year} 年度的激励资金额度，却记录了支出 {decimal_yuan(u.amount)} 元",
                    f"{u.name} has no {u.year} allocation but records a use of {decimal_yuan(u.amount)} yuan",
                )
            )
        elif spent_before + u.amount > limit:
            excess = spent_before + u.amount - max(limit, spent_before)
            findings.append(
                Finding(
                    "over",
                    u.code,
                    u.name,
                    u.year,
                    excess,
                    u.where,
                    f"{u.name} {u.year} 年度累计支出 {decimal_yuan(spent_before + u.amount)} 元，超出激励资金额度 "
                    f"{decimal_yuan(limit)} 元，本笔超出 {decimal_yuan(excess)} 元",
                    f"{u.name} {u.year}: uses reach {decimal_yuan(spent_before + u.amount)} yuan, beyond the "
                    f"allocation of {decimal_yuan(limit)} yuan; this use exceeds it by {decimal_yuan(excess)} yuan",
                )
            )
    keys = list(dict.fromkeys([*alloc, *used, *outside]))
    lines = []
    for code, year in sorted(keys, key=lambda k: (k[1], k[0])):
        per = {c: used.get((code, year), {}).get(c, Decimal(0)) for c in CATEGORIES}
        out = outside.get((code, year), Decimal(0))
        given = alloc.get((code, year), Decimal(0))
        lines.append(
            LedgerLine(
                code,
                names.get(code, code),
                year,
                given,
                per,
                out,
                given - sum(per.values(), Decimal(0)) - out,
            )
        )
    return Ledger(tuple(lines), tuple(findings))
