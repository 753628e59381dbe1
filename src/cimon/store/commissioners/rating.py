"""One-use rating codes: a service object rates a service (满意度 1–5) without an account.

The commissioner issues a code for one of its service records and shows it once (as text and as
a link). The code is 10 characters of an alphabet without look-alikes (2–9 and the capitals
without I, L, O): 31¹⁰ ≈ 8×10¹⁴ codes (≈ 49 bits), so guessing one among the codes issued is
hopeless at any rate a web server allows. Only the SHA-256 of the code is stored; a code is
found by its hash through the unique index and compared in constant time.

A code is refused, with a message saying why, when it is unknown, used already, expired,
replaced by a newer code, or when its service record was corrected (the service it named is
not the current record any more). A record is rated at most once (a partial unique index).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cimon.store import audit
from cimon.store.commissioners.common import CommissionerError, name_of
from cimon.store.commissioners.models import RatingToken, ServiceRecord

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10
#: days a code can be used after it is issued
VALID_DAYS = 30
#: where the web platform takes a code (the second wave's page)
RATING_PATH = "/commissioners/rate/{code}/"


class RatingRefused(CommissionerError):
    """A rating code that cannot be used (unknown, used, expired, replaced, or its record
    corrected)."""


def normalise(code: str) -> str:
    """The code as issued: capitals, without spaces or hyphens."""
    return "".join(str(code or "").split()).replace("-", "").upper()


def digest(code: str) -> str:
    return hashlib.sha256(("cimon-rating:" + normalise(code)).encode()).hexdigest()


def display(code: str) -> str:
    """``ABCDE-FGHJK``: the code as shown to people."""
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def issue(
    record: ServiceRecord, user: Any, *, valid_days: int = VALID_DAYS
) -> tuple[str, RatingToken]:
    """A new code for ``record`` (an earlier unused code of it stops working); returns the code
    (shown once, never stored) and the token row."""
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if record.superseded_at is not None:
        raise CommissionerError(
            f"服务记录 #{record.pk} 已被更正，请为最新的记录生成评价码。",
            f"Service record #{record.pk} was corrected; issue the code for the latest record.",
        )
    if record.tokens.filter(used_at__isnull=False).exists():
        raise CommissionerError(
            f"服务记录 #{record.pk} 已被评价过。", f"Service record #{record.pk} is rated already."
        )
    now = timezone.now()
    record.tokens.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    token = RatingToken.objects.create(
        record=record,
        token_hash=digest(code),
        issued_at=now,
        issued_by=name_of(user),
        expires_at=now + dt.timedelta(days=valid_days),
    )
    audit.record(user, "service.rating_code", "service", record.pk, token=token.pk)
    return code, token


def _refuse(zh: str, en: str) -> RatingRefused:
    return RatingRefused(zh, en, "评价码 / rating code")


def check(code: str, now: dt.datetime | None = None) -> RatingToken:
    """The token of a usable code, or :class:`RatingRefused` saying why not."""
    now = now or timezone.now()
    text = normalise(code)
    wanted = digest(text)
    token = RatingToken.objects.select_related("record").filter(token_hash=wanted).first()
    if (
        len(text) != LENGTH
        or token is None
        or not hmac.compare_digest(token.token_hash.encode(), wanted.encode())
    ):
        raise _refuse(
            "评价码无效：请核对特派员给您的 10 位评价码（不含 0、1、I、L、O）。",
            "Unknown rating code: check the 10-character code the commissioner gave you "
            "(it has no 0, 1, I, L or O).",
        )
    if token.used_at is not None:
        raise _refuse(
            "该评价码已使用过，每次服务只能评价一次。",
            "This code has been used: a service is rated once.",
        )
    if token.record.superseded_at is not None:
        raise _refuse(
            "该服务记录已被特派员更正，此评价码失效；请向特派员索取新的评价码。",
            "The commissioner corrected this service record, so the code no longer works; ask "
            "for a new code.",
        )
    if token.revoked_at is not None:
        raise _refuse(
            "该评价码已被新的评价码取代，请使用特派员最新给您的评价码。",
            "A newer code replaced this one: use the latest code the commissioner gave you.",
        )
    if token.expires_at < now:
        raise _refuse(
            f"该评价码已于 {timezone.localtime(token.expires_at):%Y-%m-%d} 过期，请向特派员索取新的评价码。",
            f"This code expired on {timezone.localtime(token.expires_at):%Y-%m-%d}; ask the "
            "commissioner for a new one.",
        )
    return token


def redeem(code: str, satisfaction: int, comment: str = "") -> RatingToken:
    """Rate the service of ``code`` (1–5, an optional comment of at most 500 characters) and
    use the code up. A second use, an unknown code or a corrected record is refused."""
    if (
        isinstance(satisfaction, bool)
        or not isinstance(satisfaction, int)
        or not 1 <= satisfaction <= 5
    ):
        raise _refuse(
            f"满意度应为 1–5 的整数，而不是 {satisfaction!r}。",
            f"Satisfaction must be a whole number 1–5, not {satisfaction!r}.",
        )
    comment = str(comment or "").strip()
    if len(comment) > 500:
        raise _refuse("评价意见最多 500 字。", "The comment has at most 500 characters.")
    try:
        with transaction.atomic():
            token = check(code)
            token = RatingToken.objects.select_for_update().get(pk=token.pk)
            if token.used_at is not None:  # used between the check and the lock
                raise _refuse(
                    "该评价码已使用过，每次服务只能评价一次。",
                    "This code has been used: a service is rated once.",
                )
            token.used_at, token.satisfaction, token.comment = timezone.now(), satisfaction, comment
            token.save(update_fields=["used_at", "satisfaction", "comment"])
            audit.record(
                None,
                "service.rated",
                "service",
                token.record_id,
                new=satisfaction,
                token=token.pk,
                comment=comment,
            )
    except IntegrityError as exc:  # the record was rated through another code meanwhile
        raise _refuse(
            "这次服务已被评价过，每次服务只能评价一次。",
            "This service has been rated already: a service is rated once.",
        ) from exc
    return token
