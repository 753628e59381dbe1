"""Money and reasons shared by the incentive modules: :func:`yuan` formats integer 元,
:func:`wan` writes it in 万元 exactly, :class:`Reason` is one rule that fired with its explanation
in Chinese and English, :class:`Line` one line of an award (a rule, an amount, a reason)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def yuan(amount: int, lang: str = "zh") -> str:
    """``1250000`` → ``1,250,000 元（125 万元）`` (``1,250,000 yuan`` in English)."""
    if lang == "en":
        return f"{amount:,} yuan"
    wan = amount // 10_000
    rest = amount % 10_000
    tail = f"（{wan:,} 万元）" if amount and not rest else ""
    return f"{amount:,} 元{tail}"


def decimal_yuan(value: Decimal) -> str:
    """An amount of 元 as the ledger's findings write it: thousands separated, cents only when
    there are any: ``Decimal("1250000")`` → ``1,250,000``, ``Decimal("1234.50")`` → ``1,234.5``."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def wan(amount: int) -> str:
    """Whole yuan as 万元, exactly (no rounding: 1 万元 = 10,000 元): ``1250000`` → ``125``,
    ``-250000`` → ``-25``, ``12345`` → ``1.2345``, ``12500000`` → ``1,250``."""
    text = f"{Decimal(int(amount)) / Decimal(10_000):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Reason:
    """One rule that fired: its key and the explanation in Chinese and English."""

    rule: str
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


#: the parts of an award a line's amount goes to (the :class:`~cimon.analysis.incentives.Award`
#: fields); ``""``: the line explains, its amount is always 0
PARTS: tuple[str, ...] = ("jump", "rank", "bonus", "reduction", "")


@dataclass(frozen=True)
class Line:
    """One line of an award: the registered rule that wrote it
    (:mod:`cimon.analysis.award_rules`), the award field its amount goes to (``part``, one of
    :data:`PARTS`), the amount in integer 元 (negative for a cap) and the reason. An award's total
    is the sum of its lines' amounts; its ``jump``, ``rank``, ``bonus`` and ``reduction`` the sums
    of the lines of each part."""

    rule: str
    part: str
    amount: int
    reason: Reason
