"""The submission portal's business logic: the right template for a user, uploads checked against
the user's scope, warnings acknowledged with a reason, deadlines, and the status board.

Every function takes the requesting user and applies :mod:`cimon.web.accounts.policy`; views
only parse the request and render what these return.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cimon.errors import CimonError
from cimon.intake.report import Issue
from cimon.model.regions import COUNTY_DEPARTMENT, RegionRegistry
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

REMIND_DAYS = 7  # a deadline this close (or past) shows a reminder to whoever still owes data


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


@dataclass
class BoardRow:
    """One line of the status board: a department, or one county's self-assessment."""

    who: str  # department name or county name
    code: str  # department name or region code
    submitted: bool
    missing: int  # county × variable values still missing (departments)
    missing_detail: list[tuple[str, list[str]]] = field(default_factory=list)
    submissions: list[tuple[int, str, Any, str]] = field(default_factory=list)
    due: date | None = None
    days_left: int | None = None
    refused: list[Any] = field(default_factory=list)  # queries.Attempt, newest first

    @property
    def complete(self) -> bool:
        return self.submitted and self.missing == 0

    @property
    def overdue(self) -> bool:
        return not self.complete and self.days_left is not None and self.days_left < 0

    @property
    def remind(self) -> bool:
        return not self.complete and self.days_left is not None and self.days_left <= REMIND_DAYS


@dataclass
class Board:
    evaluation_year: int
    data_year: int
    departments: list[BoardRow]
    counties: list[BoardRow]
    deadlines: dict[str, date]

    @property
    def reminders(self) -> list[BoardRow]:
        """Rows near or past their deadline and not complete: every department's, and a
        county's own when the board shows one county (a county clerk's); on the admin's board
        the counties are summed up in :attr:`counties_due`."""
        rows = [r for r in self.departments if r.remind]
        if len(self.counties) == 1:
            rows += [r for r in self.counties if r.remind]
        return rows

    @property
    def counties_due(self) -> list[BoardRow]:
        """On a board of several counties: those near or past the deadline without a
        self-assessment."""
        return [r for r in self.counties if r.remind] if len(self.counties) > 1 else []


def board(user: Any, year: int) -> Board:
    """The status board of evaluation ``year`` as ``user`` may see it: an admin every department
    and county, a department clerk its own department, a county clerk its own county, a city
    bureau the self-assessments of its counties (who has not submitted, how near the deadline)."""
    from cimon.store.submissions.queries import missing_summary, status
    from cimon.web.i18n import tr

    if not policy.can_view_status(user):
        raise PermissionDenied
    fw, registry = web_framework(), web_registry()
    city = policy.city_regions(user, registry)
    # a city bureau submits nothing: it sees its counties' self-assessments, read-only
    scope = policy.Scope("city", regions=tuple(city)) if city else policy.submission_scope(user)
    if scope is None:
        raise PermissionDenied  # a city bureau whose city the registry does not know
    report = status(year, fw, registry)
    deadlines = {d.department: d.due for d in Deadline.objects.filter(evaluation_year=year)}
    today = timezone.localdate()

    def days(dept: str) -> tuple[date | None, int | None]:
        due = deadlines.get(dept)
        return due, (due - today).days if due else None

    depts = []
    for d in report.departments:
        if d.department == COUNTY_DEPARTMENT:
            continue  # rubric items: scored by experts, followed in the counties' list
        if scope.kind not in ("any", "department") or (
            scope.kind == "department" and d.department != scope.department
        ):
            continue
        due, left = days(d.department)
        everywhere, rest = missing_summary(d.missing, report.names)
        n = len(report.names)
        detail = (
            [(tr(f"全部 {n} 个县（市、区）", f"all {n} counties"), everywhere)]
            if everywhere
            else []
        )
        detail += [(report.names.get(c, c), v) for c, v in rest.items()]
        depts.append(
            BoardRow(
                d.department,
                d.department,
                d.submitted,
                sum(len(v) for v in d.missing.values()),
                detail,
                d.submissions,
                due,
                left,
                refused=d.refused,
            )
        )
    counties = []
    if scope.kind in ("any", "county", "city"):
        due, left = days(COUNTY_DEPARTMENT)
        missing = set(report.no_self_assessment)
        county_refused = _county_attempts(report.data_year)
        for region in registry:
            if scope.kind == "county" and region.code != scope.region_code:
                continue
            if scope.kind == "city" and region.code not in scope.regions:
                continue
            counties.append(
                BoardRow(
                    region.name,
                    region.code,
                    region.code not in missing,
                    0,
                    due=due,
                    days_left=left,
                    refused=county_refused.get(region.code, []),
                )
            )
    return Board(year, report.data_year, depts, counties, deadlines)


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


def _county_attempts(data_year: int) -> dict[str, list[Any]]:
    """Refused self-assessments of ``data_year`` by county, newest first."""
    from cimon.store.submissions.queries import REFUSED, Attempt

    out: dict[str, list[Any]] = {}
    rows = (
        Submission.objects.filter(status__in=REFUSED, data_year=data_year, kind="county")
        .exclude(region_code="")
        .order_by("-created_at", "-id")
        .values_list("id", "file_name", "created_at", "submitted_by", "status", "region_code")
    )
    for sid, name, at, by, state, code in rows:
        out.setdefault(code, []).append(Attempt(sid, name, at, by, state))
    return out
