"""A county's evidence items: the deadline they follow, storing a version with its files, and
what the other modules of the app share (:class:`EvidenceError`, the size limit, names)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cimon.errors import CimonError
from cimon.safe import display_name, safe_filename
from cimon.store import audit
from cimon.store.evidence.kinds import KINDS, clean
from cimon.store.evidence.models import Document, Item


class EvidenceError(CimonError):
    """A step the workflow refuses, with the reason in Chinese and English."""


def max_file_bytes() -> int:
    """The size limit of one evidence file: the portal's ``CIMON_MAX_UPLOAD_MB`` (20 MB)."""
    return int(getattr(settings, "CIMON_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def framework() -> Any:
    """The platform's framework (``CIMON_FRAMEWORK``)."""
    from cimon.store.platform import platform_framework

    return platform_framework()


# --- deadlines and publication ----------------------------------------------------------------


def evaluation_year(year: int) -> int:
    """The evaluation year that uses the data of ``year``."""
    return year + int(framework().data_lag)


def deadline(year: int) -> dt.date | None:
    """The counties' deadline (the ``县`` row of the submissions' Deadline) for data ``year``."""
    from cimon.model.regions import COUNTY_DEPARTMENT
    from cimon.store.submissions.models import Deadline

    row = Deadline.objects.filter(
        evaluation_year=evaluation_year(year), department=COUNTY_DEPARTMENT
    ).first()
    return row.due if row is not None else None


def is_open(year: int, today: dt.date | None = None) -> bool:
    """May counties still submit and answer for data ``year`` (no deadline, or not yet past)?"""
    due = deadline(year)
    return due is None or (today or timezone.localdate()) <= due


def require_open(year: int) -> None:
    if not is_open(year):
        raise EvidenceError(
            f"{year} 年度材料的报送截止日期（{deadline(year)}）已过，不能再提交或答复。",
            f"The deadline for {year} ({deadline(year)}) has passed: nothing more can be submitted.",
        )


def is_published(year: int, region_code: str = "") -> bool:
    """Is there a current published version of the evaluation that uses data ``year`` (on an
    instance hosting several provinces: of the province of the county ``region_code``, #20)?"""
    from cimon.store.evaluations.models import Publication
    from cimon.store.national.hosting import code_province

    province = code_province(region_code)
    if province is None:
        return False
    qs = Publication.objects.current().filter(province=province)
    return qs.filter(evaluation_year=evaluation_year(year)).exists()


# --- a county's items ---------------------------------------------------------------------------


def store_item(
    user: Any,
    region_code: str,
    year: int,
    kind: str,
    values: dict[str, Any],
    files: Iterable[tuple[str, bytes]] = (),
    *,
    series: str | None = None,
    note: str = "",
    check_deadline: bool = True,
) -> Item:
    """Store a new item (or, with ``series``, a new version of one) with its files.

    The values are checked by :func:`cimon.store.evidence.kinds.clean`; each file must be at
    most :func:`max_file_bytes` and is stored under a safe name with its SHA-256. An earlier
    version is kept, marked superseded; its files stay with the series.
    """
    if kind not in KINDS:
        raise EvidenceError(f"未知的材料类别：{kind}", f"Unknown kind of item: {kind}")
    if check_deadline:
        require_open(year)
    cleaned, problems = clean(KINDS[kind], values, year)
    if problems:
        raise EvidenceError("；".join(p[0] for p in problems), "; ".join(p[1] for p in problems))
    files = list(files)
    limit = max_file_bytes()
    for name, content in files:
        if len(content) > limit:
            raise EvidenceError(
                f"文件“{display_name(name)}”超过 {limit // (1024 * 1024)} MB。",
                f"File '{display_name(name)}' is larger than {limit // (1024 * 1024)} MB.",
            )
    now = timezone.now()
    with transaction.atomic():
        version, old = 1, None
        if series is not None:
            old = Item.objects.select_for_update().filter(series=series, superseded_at=None).first()
            if old is None or old.region_code != region_code or old.kind != kind:
                raise EvidenceError("该材料不存在或已被替代。", "No such current item.")
            version = old.version + 1
            old.superseded_at = now
            old.save(update_fields=["superseded_at"])
        item = Item.objects.create(
            series=series or uuid.uuid4().hex,
            version=version,
            region_code=region_code,
            year=year,
            kind=kind,
            variable=KINDS[kind].variable,
            values=cleaned,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=now,
            note=note,
        )
        for name, content in files:
            Document.objects.create(
                series=item.series,
                item=item,
                name=safe_filename(name, "evidence"),
                sent_name=display_name(name),
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                uploaded_at=now,
            )
        audit.record(
            user,
            "evidence.version" if old else "evidence.submitted",
            "evidence_item",
            item.pk,
            series=item.series,
            region_code=region_code,
            year=year,
            kind=kind,
            version=version,
            files=[hashlib.sha256(c).hexdigest() for _, c in files],
            old=old.values if old else None,
            new=cleaned,
        )
    return item


def current_items(region_code: str | None = None, year: int | None = None) -> Any:
    qs = Item.objects.filter(superseded_at=None)
    if region_code is not None:
        qs = qs.filter(region_code=region_code)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def documents(item: Item) -> Any:
    """The files of the item's series (those of earlier versions included), without content."""
    return Document.objects.filter(series=item.series).defer("content")


def user_name(user: Any) -> str:
    if user is None:
        return ""
    if isinstance(user, str):
        return user
    acct = getattr(user, "account", None)
    return (getattr(acct, "display_name", "") or "") or user.get_username()
