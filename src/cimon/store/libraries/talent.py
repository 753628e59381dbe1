"""Talent profiles (人才库, issue #18): created, versioned like achievements, published; and the
recommendation of people for a need over every registered person source.

A profile's content is versioned (:class:`TalentVersion`; an edit writes a new version, earlier
ones stay) and every write is audited (``talent.*``). The contact is stored but never part of
what public pages or the matching engine read (:func:`public_fields`).

**Person sources.** :func:`recommend_talent` ranks the people of every source registered with
:func:`register_person_source` (:class:`cimon.matching.people.PersonSource`); the talent library
registers itself as ``talent``. When the 科技特派员 records of issue #17 exist, their app
registers a source named ``commissioner`` whose ``people()`` turns each commissioner into a
:class:`cimon.matching.records.Talent` (``commissioner=True``, service areas as ``tags``) —
nothing here changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.matching import records
from cimon.matching.people import PersonMatch, PersonSource, recommend_people
from cimon.store import audit
from cimon.store.libraries.models import Need
from cimon.store.libraries.models_talent import (
    TALENT_DRAFT,
    TALENT_PUBLISHED,
    TalentProfile,
    TalentVersion,
)
from cimon.store.libraries.services import LibraryError, _content, _name, _next_version, need_record

__all__ = [
    "TALENT_FIELDS",
    "TalentLibrary",
    "create_talent",
    "edit_talent",
    "person_sources",
    "public_fields",
    "publish_talent",
    "recommend_talent",
    "register_person_source",
]

#: the content fields a talent profile's version holds
TALENT_FIELDS = (
    "name",
    "expertise",
    "discipline",
    "institution",
    "title",
    "availability",
    "region_code",
    "contact",
)
#: what a public page shows of a profile (never the contact)
PUBLIC_FIELDS = tuple(f for f in TALENT_FIELDS if f != "contact")


def _check(data: dict[str, Any]) -> None:
    if not str(data.get("name") or "").strip():
        raise LibraryError("人才姓名不能为空。", "A talent profile needs a name.")
    if not str(data.get("expertise") or "").strip():
        raise LibraryError(
            "请填写专长领域（推荐依据此项匹配需求）。",
            "Fill in the expertise (recommendations match needs on it).",
        )


@transaction.atomic
def create_talent(
    user: Any, name: str, expertise: str, *, label: str = "", **fields: Any
) -> TalentProfile:
    """A new talent profile in draft, with its first version (``fields``: see
    :data:`TALENT_FIELDS`)."""
    unknown = set(fields) - set(TALENT_FIELDS)
    if unknown:
        raise LibraryError(f"未知字段：{sorted(unknown)}", f"Unknown fields: {sorted(unknown)}")
    _check({"name": name, "expertise": expertise})
    now = timezone.now()
    profile = TalentProfile.objects.create(owner=user, label=label, created_at=now)
    version = TalentVersion.objects.create(
        profile=profile, number=1, name=name, expertise=expertise, recorded_at=now,
        recorded_by=_name(user), **fields,
    )  # fmt: skip
    audit.record(user, "talent.create", "talent", profile.pk,
                 new=_content(version, TALENT_FIELDS), label=label)  # fmt: skip
    return profile


@transaction.atomic
def edit_talent(profile: TalentProfile, user: Any, **changes: Any) -> TalentVersion:
    """A new version of a profile's content; the earlier versions stay."""
    profile = TalentProfile.objects.select_for_update().get(pk=profile.pk)
    version: TalentVersion = _next_version(
        TalentVersion, "profile", profile, user, TALENT_FIELDS, changes, _check, "talent"
    )
    return version


@transaction.atomic
def publish_talent(profile: TalentProfile, user: Any) -> TalentProfile:
    """Draft → published: the profile is listed publicly (without contact) and recommended."""
    profile = TalentProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != TALENT_DRAFT:
        raise LibraryError(
            f"人才 #{profile.pk} 已发布。", f"Talent #{profile.pk} is already published."
        )
    profile.status, profile.published_at = TALENT_PUBLISHED, timezone.now()
    profile.save(update_fields=["status", "published_at"])
    audit.record(
        user, "talent.publish", "talent", profile.pk, old=TALENT_DRAFT, new=TALENT_PUBLISHED
    )
    return profile


def public_fields(version: TalentVersion) -> dict[str, str]:
    """What a public page may show of a profile's version: everything but the contact."""
    return {f: str(getattr(version, f)) for f in PUBLIC_FIELDS}


def talent_record(version: TalentVersion) -> records.Talent:
    """The matching engine's view of a profile's version (no contact)."""
    return records.Talent(
        id=str(version.profile_id),
        name=version.name,
        expertise=version.expertise,
        institution=version.institution,
        region=version.region_code,
        discipline=version.discipline,
        availability=version.availability,
    )


def published_talent() -> list[TalentVersion]:
    """The current version of every published profile."""
    latest: dict[int, TalentVersion] = {}
    for v in TalentVersion.objects.filter(profile__status=TALENT_PUBLISHED).order_by(
        "profile_id", "number"
    ):
        latest[v.profile_id] = v
    return list(latest.values())


class TalentLibrary:
    """The talent library as a person source (``talent``): the published profiles."""

    name = "talent"

    def people(self) -> Iterable[records.Talent]:
        return [talent_record(v) for v in published_talent()]


_SOURCES: dict[str, PersonSource] = {"talent": TalentLibrary()}


def register_person_source(source: PersonSource) -> None:
    """Add a source of people to recommend (e.g. ``commissioner`` of issue #17); a source of
    the same name is replaced."""
    _SOURCES[source.name] = source


def person_sources() -> list[PersonSource]:
    return list(_SOURCES.values())


def recommend_talent(need: Need, k: int = 10) -> list[PersonMatch]:
    """The people of every registered source that best fit a need's current version, best first
    (computed when asked, not stored)."""
    return recommend_people(need_record(need, need.current), person_sources(), k=k)
