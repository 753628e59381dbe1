"""Import a submitted file into the database, and export stored values back to template shape.

:func:`import_file` reads and validates a file (:func:`cimon.intake.validate_file`) against what is
already stored, then :func:`store_submission` writes it in **one transaction**:

* the :class:`~.models.Submission` is always stored, the file byte for byte with its report —
  ``accepted`` when it may be used, ``rejected`` when it has errors, ``draft`` when only
  unacknowledged warnings stop it — so nothing a user sent is lost and every attempt is audited;
* observations and self-assessments are written only for an accepted submission; the evidence
  files a self-assessment lists also for a draft (so that acknowledging its warnings later
  needs no second upload);
* each of its values supersedes the current value of the same (county, data year, variable,
  expert), whichever submission brought it: the old row keeps its value and gets
  ``superseded_at``/``superseded_by``; a submission none of whose values is current any more
  becomes ``superseded``;
* an :class:`~.models.AuditEvent` records who did it.

Any exception inside the transaction rolls all of it back. Importing a file whose bytes equal a
currently ``accepted`` submission is a no-op that reports ``submission.duplicate`` (a file that
was superseded may be imported again: that restores its values as a new version).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from cimon.intake.report import ValidationReport
from cimon.intake.submission import ParsedSubmission
from cimon.model.framework import Framework
from cimon.model.regions import RegionRegistry
from cimon.store.submissions import writing
from cimon.store.submissions.errors import StorageError
from cimon.store.submissions.exports import export
from cimon.store.submissions.models import (
    ACCEPTED,
    DRAFT,
    REJECTED,
    AuditEvent,
    Submission,
)
from cimon.vocab import t

DUPLICATE = "duplicate"


@dataclass
class ImportResult:
    """What :func:`import_file` did.

    ``status`` is ``accepted``, ``rejected``, ``draft`` (warnings not acknowledged) or
    ``duplicate`` (the same bytes are already accepted: nothing written).
    """

    status: str
    report: ValidationReport
    submission_id: int | None = None
    file_name: str = ""
    stored: int = 0  # observations written
    claims: int = 0  # self-assessment items (claims) written
    superseded: int = 0  # older observations superseded
    replaced_from: list[int] = field(default_factory=list)  # submissions whose values it replaced
    superseded_submissions: list[int] = field(default_factory=list)  # … now wholly superseded
    duplicate_of: int | None = None
    parsed: ParsedSubmission | None = field(default=None, repr=False)

    @property
    def blocked(self) -> bool:
        """True when the file's values were not stored because of errors or warnings."""
        return self.status in (REJECTED, DRAFT)

    def what_zh(self) -> str:
        """What an accepted submission brought, counted as its user sees it: values (数据) and
        self-assessment items (自评项目), e.g. ``3 项自评`` or ``440 条数据``."""
        parts = [f"{self.stored} 条数据"] if self.stored or not self.claims else []
        if self.claims:
            parts.append(f"{self.claims} 项自评")
        return "、".join(parts)

    def what_en(self) -> str:
        parts = [f"{self.stored} value(s)"] if self.stored or not self.claims else []
        if self.claims:
            parts.append(f"{self.claims} self-assessment item(s)")
        return " and ".join(parts)

    def render(self, lang: str = "zh") -> str:
        k, sid = self.superseded, self.submission_id
        old = "、".join(f"#{i}" for i in self.replaced_from)
        msgs = {
            ACCEPTED: (
                f"已导入：提交 #{sid}，{self.what_zh()}"
                + (f"，替代旧值 {k} 条（{old}）" if k else "")
                + "。",
                f"Imported: submission #{sid}, {self.what_en()}"
                + (f", superseding {k} older value(s) ({old})" if k else "")
                + ".",
            ),
            REJECTED: (
                f"未导入：文件有错误，已记录为被拒绝的提交 #{sid}。请按上面的提示修改后重新导入。",
                f"Not imported: the file has errors; kept as rejected submission #{sid}. "
                "Fix them as shown above and import again.",
            ),
            DRAFT: (
                f"未导入：有警告尚未确认（已记录为草稿 #{sid}）。核实后加 --accept-warnings "
                "--reason “核实情况” 重新导入。",
                f"Not imported: warnings not acknowledged (kept as draft #{sid}). Check them, "
                "then import again with --accept-warnings --reason 'what you checked'.",
            ),
            DUPLICATE: (
                "未做任何更改：同一文件已导入过"
                + (f"（提交 #{self.duplicate_of}）" if self.duplicate_of else "")
                + "。",
                "Nothing changed: the same file is already imported"
                + (f" as submission #{self.duplicate_of}" if self.duplicate_of else "")
                + ".",
            ),
        }
        zh, en = msgs[self.status]
        return t(zh, en, lang)


def import_file(
    path: str | Path,
    *,
    framework: Framework,
    registry: RegionRegistry,
    year: int | None = None,
    user: str = "",
    accept_warnings: bool = False,
    mapping: dict[str, str] | None = None,
    evidence_dir: str | Path | None = None,
    user_account: Any = None,
    note: str = "",
    check: Callable[[ParsedSubmission], None] | None = None,
    require_evidence: bool = False,
    max_evidence_bytes: int | None = None,
    display_name: str | None = None,
    evidence_uploaded: bool = False,
) -> ImportResult:
    """Validate a submitted file and store it (see the module docstring for what is written).

    ``year`` is the evaluation year the file is meant for (None: as its template says).
    Validation sees the current accepted values as ``history`` (earlier data years: unit slips,
    jumps) and ``context`` (the same data year: consistency rules across departments, peers).
    Evidence files a self-assessment lists are read from ``evidence_dir`` (default: the file's
    folder), always inside it and never larger than ``max_evidence_bytes`` (default
    :data:`cimon.intake.qualitative.MAX_EVIDENCE_BYTES`): a name leading out of the folder is
    ``evidence.outside`` and is never read, whichever path the import came by. With
    ``require_evidence`` every evidence file a self-assessment lists must be there
    (``evidence.missing`` otherwise, as :func:`cimon.intake.qualitative.check_evidence` says).
    ``display_name`` is the file's name as the user gave it (kept and shown; the file on disk
    may have a sanitised name); ``evidence_uploaded``: the files were attached to a web upload,
    and a missing one's message says so. ``check`` is called with the parsed file before it is stored and may add issues to
    its report (the web platform adds an error for content outside the uploader's scope).
    Raises :class:`StorageError` when the file does not exist.
    """
    from cimon.intake import validate_file
    from cimon.intake.qualitative import MAX_EVIDENCE_BYTES, check_evidence
    from cimon.safe import display_name as shown_name
    from cimon.store.submissions.queries import panel_as_of

    p = Path(path)
    name = shown_name(display_name or p.name, "upload")
    if not p.is_file():
        raise StorageError("找不到要导入的文件。", "File to import not found.", str(p))
    content = p.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    twin = _twin(sha)
    if twin is not None:  # the cheap early answer; store_submission asks again under its lock
        return _duplicate(name, twin)

    # the checks take what they need: earlier years of the same counties (unit slips, jumps),
    # the same year of other variables (consistency rules) and of other counties (peer medians);
    # the file's own values win over stored ones for the same cell
    current = panel_as_of(framework=framework)
    parsed = validate_file(
        p, framework, registry, year=year, history=current, context=current, mapping=mapping
    )
    if display_name is not None:
        parsed.file_name = parsed.report.source = name
        parsed.report.issues = [replace(i, file=name) for i in parsed.report.issues]
    evidence: dict[str, Path] = {}
    if parsed.claims:
        evidence = check_evidence(
            parsed,
            evidence_dir or p.parent,
            require=require_evidence,
            max_bytes=MAX_EVIDENCE_BYTES if max_evidence_bytes is None else max_evidence_bytes,
            uploaded=evidence_uploaded,
        )
    if framework is not None:  # values of registry-derived variables against the registry
        from cimon.store.registry.derived import flag_disagreements

        flag_disagreements(parsed, framework)
    if check is not None:
        check(parsed)
    return store_submission(
        parsed,
        content,
        framework=framework,
        user=user,
        accept_warnings=accept_warnings,
        evidence=evidence,
        user_account=user_account,
        note=note,
    )


def store_submission(
    parsed: ParsedSubmission,
    content: bytes,
    *,
    framework: Framework | None = None,
    user: str = "",
    accept_warnings: bool = False,
    evidence: dict[str, Path] | None = None,
    user_account: Any = None,
    note: str = "",
    evidence_dir: str | Path | None = None,
) -> ImportResult:
    """Store a parsed and validated submission in one transaction (module docstring).

    ``content`` is the file's bytes, kept verbatim. ``evidence`` maps the evidence names the
    claims list to files already checked by :func:`cimon.intake.qualitative.check_evidence`
    (inside their folder, within the size limit); only those are read. ``evidence_dir`` instead
    of ``evidence``: the files are looked up there by that same check (never outside it). Two values for the same (county, data year,
    variable, expert) in one submission are an error (``region.duplicate``), added to the report.
    """
    report = parsed.report
    if evidence is None and evidence_dir is not None and parsed.claims:
        from cimon.intake.qualitative import check_evidence

        evidence = check_evidence(parsed, evidence_dir, require=False)
    writing.flag_duplicate_keys(parsed)
    if not report.ok:
        status = REJECTED
    elif report.accepts(accept_warnings):
        status = ACCEPTED
    else:
        status = DRAFT
    lag = framework.data_lag if framework is not None else None
    sha = hashlib.sha256(content).hexdigest()  # of the bytes kept, whatever was parsed
    with transaction.atomic():
        # two uploads of the same bytes take turns here, and the second finds the first:
        # checked before the lock, both would be accepted
        writing.take_turns_on_bytes(sha)
        twin = _twin(sha)
        if twin is not None:
            return _duplicate(parsed.file_name, twin, parsed)
        if status == ACCEPTED:
            writing.take_turns(parsed)
        now = writing.import_time()
        sub = Submission.objects.create(
            file_name=parsed.file_name,
            content=content,
            sha256=sha,
            size=len(content),
            kind=parsed.kind,
            department=parsed.department,
            region_code=parsed.region_code,
            expert=parsed.expert,
            data_year=parsed.year,
            evaluation_year=None if lag is None or parsed.year is None else parsed.year + lag,
            framework_id=parsed.framework_id,
            framework_version=parsed.framework_version,
            framework_hash=parsed.framework_hash,
            template_version=parsed.template_version,
            submitted_by=user,
            user=user_account,
            created_at=now,
            status=status,
            report=_report_json(report),
            warnings_accepted=bool(accept_warnings and report.warning_count),
            note=note,
        )
        result = ImportResult(
            status, report, submission_id=sub.pk, file_name=sub.file_name, parsed=parsed
        )
        if status == ACCEPTED:
            result.superseded, old = writing.supersede(sub, parsed, now)
            result.stored = writing.write_observations(sub, parsed, now)
            claims = writing.write_claims(sub, parsed, now)
            result.claims = len(claims)
            writing.write_evidence(sub, claims, evidence or {})
            result.replaced_from = sorted(old)
            result.superseded_submissions = writing.retire(old, now)
        elif status == DRAFT:
            writing.write_draft_evidence(sub, parsed, evidence or {})
        AuditEvent.objects.create(
            at=now,
            user=user,
            user_account=user_account,
            action=f"import.{status}",
            object_type="submission",
            object_id=str(sub.pk),
            detail={
                "file": sub.file_name,
                "sha256": sub.sha256,
                "data_year": sub.data_year,
                "department": sub.department,
                "region_code": sub.region_code,
                "expert": sub.expert,
                "observations": result.stored,
                "claims": result.claims,
                "superseded_observations": result.superseded,
                "replaced_from": result.replaced_from,
                "superseded_submissions": result.superseded_submissions,
                "errors": report.error_count,
                "warnings": report.warning_count,
                "warnings_accepted": sub.warnings_accepted,
            },
        )
    return result


def _twin(sha: str) -> Submission | None:
    """The accepted submission with these bytes, if any."""
    return Submission.objects.filter(sha256=sha, status=ACCEPTED).order_by("id").first()


def _duplicate(
    file_name: str, twin: Submission, parsed: ParsedSubmission | None = None
) -> ImportResult:
    """Nothing stored: the same bytes are already accepted as ``twin``."""
    report = ValidationReport(file_name)
    at = f"{timezone.localtime(twin.created_at):%Y-%m-%d %H:%M}"
    report.add(
        "submission.duplicate",
        f"该文件与 {at} 导入的提交 #{twin.pk}（{twin.file_name}）完全相同，未做任何更改。",
        f"This file is identical to submission #{twin.pk} ({twin.file_name}) imported {at}; "
        "nothing was changed.",
        "无需处理；如需修改数据，请导入修改后的文件。",
        "Nothing to do; to change values, import the corrected file.",
    )
    return ImportResult(DUPLICATE, report, file_name=file_name, duplicate_of=twin.pk, parsed=parsed)


def _report_json(report: ValidationReport) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(report.to_json())
    return data


__all__ = ["ImportResult", "StorageError", "export", "import_file", "store_submission"]
