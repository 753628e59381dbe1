"""The submission portal's business logic: the right template for a user, uploads checked against
the user's scope, warnings acknowledged with a reason and deadlines; the status board is
:mod:`.statusboard`'s (re-exported here).

Every function takes the requesting user and applies :mod:`cimon.web.accounts.policy`; views
only parse the request and render what these return.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cimon.errors import CimonError
from cimon.intake.report import Issue
from cimon.model.regions import RegionRegistry
from cimon.safe import FileTooLarge, copy_limited, display_name, distinct, safe_filename
from cimon.store import audit
from cimon.store.platform import current_year, platform_framework, platform_registry
from cimon.store.submissions.models import (
    ACCEPTED,
    DRAFT,
    REJECTED,
    SUPERSEDED,
    Deadline,
    EvidenceFile,
    Submission,
)
from cimon.store.submissions.services import ImportResult, import_file
from cimon.web.accounts import policy
from cimon.web.submissions.statusboard import REMIND_DAYS as REMIND_DAYS  # re-exported
from cimon.web.submissions.statusboard import STATE_LABELS as STATE_LABELS
from cimon.web.submissions.statusboard import Board as Board
from cimon.web.submissions.statusboard import BoardRow as BoardRow
from cimon.web.submissions.statusboard import board as board
from cimon.web.submissions.statusboard import province_submissions as province_submissions


class PortalError(CimonError):
    """A portal request that cannot be served as asked (bad year, unsafe file name …)."""


# the platform's framework and registry (cimon.store.platform), by the names the pages use
web_framework = platform_framework
web_registry = platform_registry


def parse_year(text: str | None) -> int:
    """A year from a query string; the open year when absent; 404-worthy when nonsense."""
    if not text:
        return current_year()
    if not re.fullmatch(r"\d{4}", text.strip()) or not 2000 <= int(text) <= 2100:
        raise PortalError(
            f"年度“{text}”无效：请填写四位数年份，如 2026。",
            f"Invalid year '{text}': give a four-digit year such as 2026.",
        )
    return int(text)


# --- templates --------------------------------------------------------------------------------


def template_for(user: Any, year: int, lang: str = "zh") -> tuple[str, bytes]:
    """The blank template ``user`` fills in for evaluation ``year``: a department clerk its
    department's workbook, a county clerk its county's self-assessment, an expert a scoring
    sheet of its assigned counties with its name in B2. File name and bytes; ``lang`` is the
    language of the definitions and scoring points (the page's language)."""
    from cimon.intake.template import write_template

    scope = policy.submission_scope(user)
    if scope is None or scope.kind == "any":
        raise PermissionDenied
    fw, registry = web_framework(), web_registry()
    with tempfile.TemporaryDirectory() as tmp:
        if scope.kind == "department":
            name = safe_filename(f"{year}-{scope.department}.xlsx")
            path = write_template(
                fw, registry, year, Path(tmp) / name, department=scope.department, lang=lang
            )
        elif scope.kind == "county":
            region = registry[scope.region_code]
            name = safe_filename(f"{year}-{region.name}-自评.xlsx")
            path = write_template(
                fw,
                registry,
                year,
                Path(tmp) / name,
                kind="county",
                region=region.code,
                lang=lang,
            )
        else:
            if not scope.regions:
                raise PortalError(
                    "还没有给您分配要评分的县（市、区）。请联系省级管理员。",
                    "No counties are assigned to you yet. Ask the provincial administrator.",
                )
            name = safe_filename(f"{year}-专家评分-{scope.expert}.xlsx")
            path = write_template(
                fw,
                registry.subset(scope.regions),
                year,
                Path(tmp) / name,
                kind="expert",
                expert=scope.expert,
                lang=lang,
            )
        return name, path.read_bytes()


# --- uploads ----------------------------------------------------------------------------------


@dataclass
class Upload:
    """One uploaded file: its name as the browser sent it, and its content: bytes, or an
    uploaded file (Django's, read in chunks) so that up to 100 evidence files are never all in
    memory at once."""

    name: str
    content: Any

    def save(self, folder: Path, default: str, limit: int) -> Path:
        """Write the content into ``folder`` under its sanitised name (:func:`safe_filename`),
        chunk by chunk, refusing more than ``limit`` bytes (a :class:`PortalError` naming the
        file). Two uploads with the same sanitised name: the later gets ``-2``."""
        taken = {p.name.casefold() for p in folder.iterdir()}
        target = folder / distinct(safe_filename(self.name, default), taken)
        try:
            copy_limited(self.content, target, limit)
        except FileTooLarge:
            mb = limit // (1024 * 1024)
            raise PortalError(
                f"文件“{display_name(self.name)}”超过 {mb} MB，请压缩或拆分后再上传。",
                f"File '{display_name(self.name)}' is larger than {mb} MB; compress or split it "
                "and upload again.",
            ) from None
        return target


def _registry_for(user: Any) -> RegionRegistry:
    scope = policy.submission_scope(user)
    registry = web_registry()
    if scope is not None and scope.kind == "expert" and scope.regions:
        return registry.subset(scope.regions)  # an expert's sheet lists only its counties
    return registry


def upload(
    user: Any,
    file: Upload,
    year: int,
    *,
    evidence: Iterable[Upload] = (),
    accept_warnings: bool = False,
    reason: str = "",
) -> ImportResult:
    """Validate and store an uploaded file for evaluation ``year`` as ``user``.

    Content outside the user's scope is an error (:func:`policy.check_upload`); a county's
    self-assessment must come with every evidence file it lists. Warnings are acknowledged
    only with a reason, which is kept as the submission's note.
    """
    if not policy.can_submit(user):
        raise PermissionDenied
    if accept_warnings and not reason.strip():
        raise PortalError(
            "确认警告时必须填写理由（例如“已核实，数据无误”）。",
            "Give a reason when acknowledging warnings (e.g. 'checked, the values are right').",
        )
    fw = web_framework()
    limit = int(settings.CIMON_MAX_UPLOAD_MB) * 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = file.save(folder, "upload.xlsx", limit)
        evidence_dir = folder / "evidence"
        evidence_dir.mkdir()
        for ev in evidence:
            ev.save(evidence_dir, "evidence", limit)
        result = import_file(
            path,
            framework=fw,
            registry=_registry_for(user),
            year=year,
            user=user.get_username(),
            user_account=user,
            accept_warnings=accept_warnings,
            note=reason.strip(),
            evidence_dir=evidence_dir,
            require_evidence=True,
            max_evidence_bytes=limit,
            display_name=display_name(file.name, "upload.xlsx"),
            evidence_uploaded=True,
            check=lambda parsed: policy.check_upload(user, parsed, fw),
        )
    return _hide_foreign_twin(user, result)


def message(result: ImportResult, lang: str) -> str:
    """What the page says after an upload, in the words of the web form (no command-line
    options): the report is shown below the message, a draft is acknowledged on its page."""
    sid = result.submission_id
    if result.status == REJECTED:
        if lang == "en":
            return (
                f"Not accepted: the file has errors (kept as rejected submission #{sid}). Fix "
                "the problems listed below in your file, save it and upload it again."
            )
        return f"未接受：文件有错误（已保存为被拒绝的提交 #{sid}）。请按下方列出的问题修改文件，保存后重新上传。"
    if result.status == ACCEPTED:
        if lang == "en":
            return f"Accepted: submission #{sid}, {result.what_en()}." + (
                f" It replaces {result.superseded} earlier value(s)." if result.superseded else ""
            )
        return f"已接受：提交 #{sid}，{result.what_zh()}。" + (
            f"替代此前的 {result.superseded} 条数据。" if result.superseded else ""
        )
    if result.status == DRAFT:
        if lang == "en":
            return (
                f"Not accepted yet: the file has warnings (kept as draft #{sid}). Check them; if "
                "the values are right, acknowledge them below with a reason."
            )
        return f"尚未接受：文件有警告（已保存为草稿 #{sid}）。请核实；如数据无误，请在下方填写理由确认警告。"
    return result.render(lang)


def _hide_foreign_twin(user: Any, result: ImportResult) -> ImportResult:
    """A file identical to an accepted submission the user may not see: say only that the
    same file is already stored, without naming that submission (nothing was written)."""
    from cimon.intake.report import ValidationReport
    from cimon.store.submissions.services import DUPLICATE

    if result.status != DUPLICATE or result.duplicate_of is None:
        return result
    twin = Submission.objects.defer("content").get(pk=result.duplicate_of)
    if policy.can_view_submission(user, twin):
        return result
    report = ValidationReport(result.file_name)
    report.add(
        "submission.duplicate",
        "该文件已由他人导入过，未做任何更改。",
        "This file was already imported by someone else; nothing was changed.",
        "无需处理；如需修改数据，请上传修改后的文件。",
        "Nothing to do; to change values, upload the corrected file.",
    )
    result.report, result.duplicate_of = report, None
    return result


def acknowledge(user: Any, sub: Submission, reason: str) -> ImportResult:
    """Acknowledge the warnings of a draft with a reason: the stored file (and its evidence) is
    imported again with the warnings accepted, and the draft is marked superseded. Validation
    runs again against what is stored now, so new errors still block it."""
    if not policy.can_acknowledge(user, sub):
        raise PermissionDenied
    files = [Upload(e.name, bytes(e.content)) for e in EvidenceFile.objects.filter(submission=sub)]
    year = sub.evaluation_year or current_year()
    result = upload(
        user,
        Upload(sub.file_name, bytes(sub.content)),
        year,
        evidence=files,
        accept_warnings=True,
        reason=reason,
    )
    if not result.blocked and result.status != "duplicate":
        with transaction.atomic():
            Submission.objects.filter(pk=sub.pk, status=DRAFT).update(
                status=SUPERSEDED, superseded_at=timezone.now()
            )
            audit.record(
                user,
                "submission.warnings_acknowledged",
                "submission",
                sub.pk,
                old=DRAFT,
                new=SUPERSEDED,
                reason=reason.strip(),
                accepted_as=result.submission_id,
            )
    return result


# --- deadlines and the status board -----------------------------------------------------------


def set_deadline(user: Any, year: int, department: str, due: date, note: str = "") -> Deadline:
    """Set (or move) the deadline of a department (``县``: every county) for ``year``."""
    if not policy.can_manage(user):
        raise PermissionDenied
    fw = web_framework()
    if department not in fw.departments:
        raise PortalError(
            f"报送单位“{department}”无效，可选：{'、'.join(fw.departments)}。",
            f"Unknown supplying department '{department}'; use one of {', '.join(fw.departments)}.",
        )
    with transaction.atomic():
        old = Deadline.objects.filter(evaluation_year=year, department=department).first()
        obj, _ = Deadline.objects.update_or_create(
            evaluation_year=year, department=department, defaults={"due": due, "note": note}
        )
        audit.record(
            user,
            "deadline.set",
            "deadline",
            f"{year}/{department}",
            old=old.due.isoformat() if old else None,
            new=due.isoformat(),
            note=note,
        )
    return obj


#: Issues listed on one page of a submission's report (the groups above list every kind).
ISSUES_PER_PAGE = 100


@dataclass(frozen=True)
class IssuePage:
    """One page of a report's issues: ``number`` of ``count`` (1-based)."""

    issues: list[Issue]
    number: int
    count: int
    first: int  # 1-based position of the first issue on the page

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def issue_page(issues: list[Issue], page: str | None, size: int = ISSUES_PER_PAGE) -> IssuePage:
    """The ``page``-th (1-based, from the query string; anything else is page 1) ``size``
    issues; a page past the end is the last one."""
    count = max(1, -(-len(issues) // size))
    try:
        number = min(max(int(page or 1), 1), count)
    except ValueError:
        number = 1
    start = (number - 1) * size
    return IssuePage(issues[start : start + size], number, count, start + 1)
