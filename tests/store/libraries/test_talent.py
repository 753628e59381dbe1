"""Talent profiles (#18): versioned, audited, published; recommended for a need with the other
person sources; the contact never leaves the record."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import XIJI

from cimon.matching.people import StaticSource
from cimon.matching.records import Talent
from cimon.store.libraries import services as lib
from cimon.store.libraries import talent
from cimon.store.libraries.models_talent import TALENT_PUBLISHED
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db


def _profile(users: dict[str, Any], **kw: Any) -> Any:
    return talent.create_talent(
        users["viewer"], "张研究员", "马铃薯贮藏窖通风与防腐保鲜", discipline="210",
        institution="宁夏农林科学院", title="研究员", availability="每月一周",
        region_code=XIJI, contact="138 0000 0000", **kw,
    )  # fmt: skip


def test_versions_and_audit(users: dict[str, Any]) -> None:
    p = _profile(users)
    v2 = talent.edit_talent(p, users["viewer"], availability="随时")
    assert v2.number == 2 and p.versions.count() == 2 and p.current.availability == "随时"
    assert p.versions.get(number=1).availability == "每月一周"
    talent.publish_talent(p, users["viewer"])
    p.refresh_from_db()
    assert p.status == TALENT_PUBLISHED
    with pytest.raises(lib.LibraryError):
        talent.publish_talent(p, users["viewer"])
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"talent.create", "talent.edit", "talent.publish"} <= actions
    assert "contact" not in talent.public_fields(p.current)
    with pytest.raises(lib.LibraryError):
        talent.create_talent(users["viewer"], "x", " ")


def test_recommended_for_a_need_with_other_sources(users: dict[str, Any]) -> None:
    draft = _profile(users)
    published = _profile(users)
    talent.publish_talent(published, users["viewer"])
    need = lib.create_need(users["county"], XIJI, "马铃薯贮藏期烂薯多，需要贮藏窖通风技术。",
                           chain="马铃薯", industry="01")  # fmt: skip
    extra = StaticSource(
        "commissioner", (Talent("7", "李特派员", "马铃薯贮藏", commissioner=True),)
    )
    talent.register_person_source(extra)
    try:
        got = talent.recommend_talent(need, k=5)
    finally:
        talent._SOURCES.pop("commissioner")
    assert [(m.source, m.person.id) for m in got] == [
        ("talent", str(published.pk)), ("commissioner", "7")]  # fmt: skip
    assert str(draft.pk) not in {m.person.id for m in got if m.source == "talent"}
