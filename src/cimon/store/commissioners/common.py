"""What the commissioners' services share: the error type, names of users, checks of codes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from cimon.errors import CimonError
from cimon.store.commissioners.names import Names


class CommissionerError(CimonError):
    """A commissioners' step that cannot be done (a wrong code, a step out of order …)."""


def name_of(user: Any) -> str:
    """The user name the rows keep (``user`` is a User, a name or None for the system)."""
    if getattr(user, "is_authenticated", False):
        return str(user.get_username())
    return str(user or "")


def plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def check_choice(value: str, names: Names, field_zh: str, field_en: str) -> str:
    """``value`` when it is one of ``names`` (a key, or its Chinese name); an error otherwise."""
    for key, (zh, en) in names.items():
        if value in (key, zh, en):
            return key
    raise CommissionerError(
        f"{field_zh}“{value}”无效，应为：{'、'.join(zh for zh, _ in names.values())}。",
        f"{field_en} '{value}' is not valid; use one of: "
        f"{', '.join(en for _, en in names.values())}.",
    )


def check_code(code: str, digits: int, field_zh: str, field_en: str) -> str:
    """A statistical code of ``digits`` digits (6 county, 9 town, 12 village)."""
    text = str(code or "").strip()
    if not re.fullmatch(rf"\d{{{digits}}}", text):
        raise CommissionerError(
            f"{field_zh}“{text}”应为 {digits} 位数字的统计用区划代码。",
            f"{field_en} '{text}' must be a {digits}-digit statistical division code.",
        )
    return text


def village_parts(village_code: str) -> tuple[str, str, str]:
    """(county, town, village) codes of a 12-digit village code of the village registry
    (:mod:`cimon.registry.villages`); an unknown code is refused, naming its town when that
    exists."""
    from cimon.registry.villages import VillageError, village

    code = check_code(village_code, 12, "行政村代码", "The village code")
    try:
        village(code)
    except VillageError as exc:
        raise CommissionerError(
            f"服务村：{exc.zh}请从列表中选择村，或填写统计用区划代码中的 12 位村级代码。",
            f"Service village: {exc.en} Pick the village from the list, or enter its 12-digit "
            "code from the NBS division codes.",
        ) from None
    return code[:6], code[:9], code


def check_text(value: str, field_zh: str, field_en: str, limit: int = 200) -> str:
    text = str(value or "").strip()
    if not text:
        raise CommissionerError(f"{field_zh}不能为空。", f"{field_en} is empty.")
    if len(text) > limit:
        raise CommissionerError(
            f"{field_zh}最多 {limit} 个字符，现有 {len(text)} 个。",
            f"{field_en} has at most {limit} characters, not {len(text)}.",
        )
    return text


def check_year(year: int) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise CommissionerError(
            f"年度“{year}”无效，应为四位年份。", f"The year '{year}' is not a four-digit year."
        )
    return year
