"""One-use rating codes (issue #17): shown once, stored only as a hash, used once; an unknown
code, a second use, a replaced code, an expired code or a corrected record is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.utils import timezone

from cimon.store.commissioners import rating
from cimon.store.commissioners import services as cs
from cimon.store.commissioners.models import RatingToken
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_code_rates_once(world: dict[str, Any]) -> None:
    code, token = cs.issue_rating_code(world["s1"], world["u_comm"])
    assert len(code) == rating.LENGTH and set(code) <= set(rating.ALPHABET)
    stored = RatingToken.objects.get(pk=token.pk)
    assert code not in stored.token_hash and stored.token_hash == rating.digest(code)
    assert stored.token_hash == hashlib.sha256(f"cimon-rating:{code}".encode()).hexdigest()
    # as people type it: lower case, with the hyphen and spaces
    used = cs.redeem_rating_code(f" {rating.display(code).lower()} ", 5, "很满意")
    assert used.satisfaction == 5 and used.used_at is not None and used.comment == "很满意"
    with pytest.raises(cs.RatingRefused, match="has been used"):
        cs.redeem_rating_code(code, 1)
    assert RatingToken.objects.get(pk=token.pk).satisfaction == 5  # not overwritten
    assert AuditEvent.objects.filter(action="service.rated").count() == 1
    with pytest.raises(cs.CommissionerError, match="rated already"):
        cs.issue_rating_code(world["s1"], world["u_comm"])


def test_unknown_and_malformed_codes(world: dict[str, Any]) -> None:
    cs.issue_rating_code(world["s1"], world["u_comm"])
    for bad in ("", "AAAAA-AAAAA", "0O1IL", "A" * 200, "'; DROP TABLE x; --"):
        with pytest.raises(cs.RatingRefused, match="Unknown rating code"):
            cs.redeem_rating_code(bad, 4)
    with pytest.raises(cs.RatingRefused, match="1–5"):
        code, _ = cs.issue_rating_code(world["s2"], world["u_comm2"])
        cs.redeem_rating_code(code, 6)
    assert not RatingToken.objects.filter(used_at__isnull=False).exists()


def test_a_new_code_replaces_the_old(world: dict[str, Any]) -> None:
    old, _ = cs.issue_rating_code(world["s1"], world["u_comm"])
    new, _ = cs.issue_rating_code(world["s1"], world["u_comm"])
    with pytest.raises(cs.RatingRefused, match="newer code"):
        cs.redeem_rating_code(old, 4)
    assert cs.redeem_rating_code(new, 4).satisfaction == 4


def test_a_corrected_record_refuses_its_code(world: dict[str, Any]) -> None:
    code, _ = cs.issue_rating_code(world["s1"], world["u_comm"])
    cs.correct_service(world["s1"], world["u_comm"], today=dt.date(2025, 12, 31), notes="更正")
    with pytest.raises(cs.RatingRefused, match="corrected this service record"):
        cs.redeem_rating_code(code, 4)
    with pytest.raises(cs.CommissionerError, match="latest record"):
        cs.issue_rating_code(world["s1"], world["u_comm"])


def test_an_expired_code_is_refused(world: dict[str, Any]) -> None:
    code, token = cs.issue_rating_code(world["s1"], world["u_comm"])
    RatingToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(cs.RatingRefused, match="expired"):
        cs.redeem_rating_code(code, 3)


def test_a_record_is_rated_once_even_through_two_codes(world: dict[str, Any]) -> None:
    """Two codes of one record (e.g. one issued before the other was revoked in a race): the
    partial unique index refuses the second rating."""
    first, _ = cs.issue_rating_code(world["s1"], world["u_comm"])
    cs.redeem_rating_code(first, 5)
    second = "23456789AB"
    RatingToken.objects.create(
        record=world["s1"],
        token_hash=rating.digest(second),
        issued_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    with pytest.raises(cs.RatingRefused, match="rated already"):
        cs.redeem_rating_code(second, 1)


def test_codes_have_enough_entropy() -> None:
    import math

    assert rating.LENGTH * math.log2(len(rating.ALPHABET)) > 48
    assert not set("01ILO") & set(rating.ALPHABET)
