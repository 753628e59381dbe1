"""The case library of 典型经验 (#19): a case has a title, county, field, year, text and files;
a county clerk or an administrator writes and edits it (an edit keeps the old content as a
:class:`~cimon.store.programmes.models.CaseVersion`), an administrator publishes it; the
public pages and the annual report show published cases only."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cimon.safe import safe_filename
from cimon.store import audit
from cimon.store.programmes.models import Application, Case, CaseFile, CaseVersion
from cimon.store.programmes.services import ProgrammeError

#: bound on a case file, bytes; and on the number of files of one case
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 20
#: the columns of the case list workbook
COLUMNS = ("编号", "标题", "县（市、区）", "领域", "年度", "状态", "正文", "附件")


def _check(title: str, county: str, field: str, text: str) -> None:
    for name_zh, name_en, value, limit in (
        ("标题", "title", title, 200), ("县（市、区）", "county", county, 100),
        ("领域", "field", field, 50), ("正文", "text", text, 100_000),
    ):  # fmt: skip
        if not value.strip():
            raise ProgrammeError(f"请填写{name_zh}。", f"Give the {name_en}.")
        if len(value) > limit:
            raise ProgrammeError(
                f"{name_zh}超过 {limit} 字，请删减。",
                f"The {name_en} exceeds {limit} characters; shorten it.",
            )


def _files(case: Case, files: Sequence[tuple[str, bytes]]) -> list[str]:
    if case.files.count() + len(files) > MAX_FILES:
        raise ProgrammeError(
            f"每个案例最多 {MAX_FILES} 个附件。", f"A case has at most {MAX_FILES} files."
        )
    shas = []
    for name, content in files:
        if len(content) > MAX_FILE_BYTES:
            raise ProgrammeError(
                f"附件“{name}”超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请压缩后再上传。",
                f"File '{name}' exceeds {MAX_FILE_BYTES // 1024 // 1024} MB; compress it.",
            )
        sha = hashlib.sha256(content).hexdigest()
        CaseFile.objects.create(
            case=case, file_name=safe_filename(name), content=content, sha256=sha,
            created_at=timezone.now(),
        )  # fmt: skip
        shas.append(sha)
    return shas


def add_case(
    user: Any, title: str, county: str, field: str, text: str,
    application: Application | None = None, label: str = "", *, year: int | None = None,
    files: Sequence[tuple[str, bytes]] = (),
) -> Case:  # fmt: skip
    """A draft case (its year defaults to this year)."""
    _check(title, county, field, text)
    with transaction.atomic():
        case = Case.objects.create(
            title=title.strip(), county=county, field=field.strip(), text=text, label=label,
            application=application, created_at=timezone.now(),
            year=year if year is not None else timezone.localdate().year,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )  # fmt: skip
        shas = _files(case, files)
        audit.record(user, "programme.case", "case", case.pk, title=case.title, files=shas)
    return case


def edit_case(
    user: Any, case: Case, *, title: str, field: str, text: str,
    files: Sequence[tuple[str, bytes]] = (),
) -> Case:  # fmt: skip
    """Edit a case: the old title, field and text are kept as a version; files are added."""
    _check(title, case.county, field, text)
    with transaction.atomic():
        CaseVersion.objects.create(
            case=case, version=case.version, title=case.title, field=case.field,
            text=case.text, created_at=timezone.now(),
            edited_by=user if getattr(user, "is_authenticated", False) else None,
        )  # fmt: skip
        case.title, case.field, case.text = title.strip(), field.strip(), text
        case.version += 1
        case.save(update_fields=["title", "field", "text", "version"])
        shas = _files(case, files)
        audit.record(user, "programme.case_edit", "case", case.pk, version=case.version, files=shas)
    return case


def publish_case(user: Any, case: Case) -> Case:
    if case.status == "published":
        raise ProgrammeError("该案例已发布。", "The case is already published.")
    with transaction.atomic():
        case.status, case.published_at = "published", timezone.now()
        case.save(update_fields=["status", "published_at"])
        audit.record(user, "programme.case_publish", "case", case.pk)
    return case


def published_cases(year: int | None = None) -> QuerySet[Case]:
    qs = Case.objects.filter(status="published").order_by("county", "title", "id")
    return qs.filter(year=year) if year is not None else qs


def cases_xlsx(cases: Sequence[Case]) -> bytes:
    """The cases as a workbook, one row per case (text cells never become formulas)."""
    from openpyxl import Workbook

    from cimon.safe import append

    wb = Workbook()
    ws: Any = wb.active
    ws.title = "典型经验"
    append(ws, COLUMNS)
    for c in cases:
        files = "；".join(f"{f.file_name} sha256 {f.sha256}" for f in c.files.all())
        append(ws, (c.pk, c.title, c.county, c.field, c.year, c.status, c.text, files))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cited_cases(year: int, moment: Any, results: Sequence[Any] = ()) -> list[Any]:
    """The cases of ``year`` published by ``moment`` (a publication's time), with the content
    they had then (an edit after it is read back from its :class:`CaseVersion`), as the annual
    report cites them (:class:`~cimon.reports.annual.content_types.CitedCase`); a county given
    by its code is named as in ``results`` (a publication's rows)."""
    from cimon.reports.annual.content_types import CitedCase

    names = {str(r.get("region_code")): str(r.get("name")) for r in results if r.get("name")}
    out = []
    qs = published_cases(year).filter(published_at__lte=moment).prefetch_related("versions")
    for c in qs:
        later = [v for v in c.versions.all() if v.created_at > moment]
        then = min(later, key=lambda v: v.version) if later else c
        out.append(CitedCase(then.title, names.get(c.county, c.county), then.field, then.text))
    return out
