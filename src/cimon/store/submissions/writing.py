"""The writing half of :func:`cimon.store.submissions.services.store_submission`: locks that let
concurrent imports take turns, the import time, and the rows a submission adds or supersedes
(observations, self-assessment claims, evidence files). Called inside its one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from cimon.intake.submission import ParsedSubmission
from cimon.store.submissions.errors import StorageError
from cimon.store.submissions.models import (
    ACCEPTED,
    SUPERSEDED,
    Claim,
    EvidenceFile,
    Observation,
    Submission,
)

_CHUNK = 900  # values per UPDATE … WHERE … IN (…): well under SQLite's variable limit


def take_turns_on_bytes(sha: str) -> None:
    """Imports of the same bytes take turns (until the transaction ends), so the duplicate check
    after it sees an import of the same file that committed meanwhile. PostgreSQL: an advisory
    lock keyed on the first 8 hex digits of the sha256; SQLite's IMMEDIATE transactions already
    let one writer in at a time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    key = int(sha[:8], 16) - (1 << 31)  # the 32-bit signed second key
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_BYTES_NAMESPACE, key])


_LOCK_NAMESPACE = 0x63696D6F  # "cimo": the first key of cimon's advisory locks
_BYTES_NAMESPACE = 0x63696D62  # "cimb": … of the locks on a file's bytes


def take_turns(parsed: ParsedSubmission) -> None:
    """Accepted imports of the same data year take turns (until the transaction ends).

    Without this, two concurrent imports of the same values on PostgreSQL (READ COMMITTED)
    both find no current value to supersede, and the second to commit breaks the
    one-current-value constraint (``obs_one_current``): its upload fails. Taken before
    :func:`_now`, so the later import also gets the later time. SQLite needs nothing: its
    transactions are IMMEDIATE (``settings.DATABASES``), writers already take turns."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    years = sorted({int(r.year) for r in parsed.records} | {int(c.year) for c in parsed.claims})
    with connection.cursor() as cur:
        for year in years:  # always in the same order: no deadlock between two imports
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, year])


def import_time() -> datetime:
    """The current time, strictly after every stored submission (so that "as of" the moment of
    one import never sees a later one, even on a coarse clock)."""
    now = timezone.now()
    last = Submission.objects.aggregate(m=Max("created_at"))["m"]
    if last is not None and now <= last:
        now = last + timedelta(microseconds=1)
    return now


def flag_duplicate_keys(parsed: ParsedSubmission) -> None:
    """A value reported twice in one file cannot be stored (which one would count?)."""
    seen: set[tuple[str, int, str, str]] = set()
    for r in parsed.records:
        key = (r.region_code, int(r.year), r.variable, r.expert)
        if key in seen:
            parsed.report.add(
                "region.duplicate",
                f"县（市、区）{r.region_code} 的 {r.variable}（{r.year} 年"
                + (f"，专家 {r.expert}" if r.expert else "")
                + "）在文件中出现了不止一次。",
                f"{r.variable} of county {r.region_code} ({r.year}"
                + (f", expert {r.expert}" if r.expert else "")
                + ") appears more than once in the file.",
                "每个县每个变量只保留一行。",
                "Keep one row per county and variable.",
                sheet=r.sheet,
                cell=r.cell,
                region=r.region_code,
                variable=r.variable,
                value=r.raw,
            )
        seen.add(key)


def chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def supersede(sub: Submission, parsed: ParsedSubmission, now: datetime) -> tuple[int, set[int]]:
    """Mark the current observations and claims that ``sub`` replaces; return how many
    observations and which submissions they came from."""
    # one UPDATE per (year, variable, expert) and chunk of counties: ~40 statements for a
    # national workbook of 2,850 counties × 40 variables
    groups: dict[tuple[int, str, str], set[str]] = {}
    for r in parsed.records:
        groups.setdefault((int(r.year), r.variable, r.expert), set()).add(r.region_code)
    n = 0
    for (year, variable, expert), regions in groups.items():
        codes = sorted(regions)
        for i in range(0, len(codes), _CHUNK):
            n += Observation.objects.filter(
                superseded_at__isnull=True,
                year=year,
                variable=variable,
                expert=expert,
                region_code__in=codes[i : i + _CHUNK],
            ).update(superseded_at=now, superseded_by=sub)
    old_subs: set[int] = set()
    if n:
        old_subs.update(
            Observation.objects.filter(superseded_by=sub)
            .order_by()
            .values_list("submission_id", flat=True)
            .distinct()
        )
    claim_keys = {(c.region_code, int(c.year), c.variable) for c in parsed.claims}
    if claim_keys:
        rows = Claim.objects.filter(
            superseded_at__isnull=True,
            year__in={k[1] for k in claim_keys},
            variable__in={k[2] for k in claim_keys},
        ).values_list("id", "region_code", "year", "variable", "submission_id")
        cids = []
        for cid, region, year, variable, sid in rows:
            if (region, year, variable) in claim_keys:
                cids.append(cid)
                old_subs.add(sid)
        for chunk in chunks(cids):
            Claim.objects.filter(id__in=chunk).update(superseded_at=now, superseded_by=sub)
    return n, old_subs


#: The columns :func:`write_observations` fills (the rest: the id, and no supersession yet).
_OBS_FIELDS = (
    "submission_id",
    "region_code",
    "year",
    "variable",
    "expert",
    "value",
    "status",
    "sheet",
    "cell",
    "raw",
    "note",
    "recorded_at",
)


def write_observations(sub: Submission, parsed: ParsedSubmission, now: datetime) -> int:
    """Store the file's values as new current observations. PostgreSQL: one ``COPY`` (a
    national workbook's 34,000 values in well under a second, where ``bulk_create`` took about
    six: building a model object per row and binding 14 parameters per row); SQLite:
    ``bulk_create``."""
    from django.db import connection

    pk = sub.pk
    rows = []
    for r in parsed.records:
        missing = r.is_missing
        rows.append(
            (
                pk,
                r.region_code,
                int(r.year),
                r.variable,
                r.expert,
                # + 0.0 turns −0.0 into 0.0: SQLite drops the sign of zero, PostgreSQL keeps it,
                # and the two backends must give the same panel (every other double is kept bit
                # for bit)
                None if missing else float(r.value) + 0.0,
                "missing" if missing else r.status,
                r.sheet,
                r.cell,
                r.raw,
                r.note,
                now,
            )
        )
    if connection.vendor == "postgresql":
        copy_rows(Observation, _OBS_FIELDS, rows)
    else:
        Observation.objects.bulk_create(
            [Observation(**dict(zip(_OBS_FIELDS, row, strict=True))) for row in rows],
            batch_size=1000,
        )
    return len(rows)


def copy_rows(model: type[Any], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (values of ``fields``, attribute names) into ``model``'s table with
    PostgreSQL's ``COPY … FROM STDIN``, on Django's connection (inside its transaction)."""
    from django.db import connection

    meta = model._meta
    cols = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({cols}) FROM STDIN"
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def write_claims(sub: Submission, parsed: ParsedSubmission, now: datetime) -> list[Claim]:
    rows = [
        Claim(
            submission=sub,
            region_code=c.region_code,
            year=int(c.year),
            variable=c.variable,
            score=None if c.score != c.score else float(c.score),
            statement=c.statement,
            evidence=list(c.evidence),
            cell=c.cell,
            recorded_at=now,
        )
        for c in parsed.claims
    ]
    # saved one by one: files point at their claim, and bulk_create returns no ids on SQLite < 3.35
    for row in rows:
        row.save()
    return rows


def write_evidence(sub: Submission, claims: list[Claim], found: dict[str, Path]) -> None:
    """Keep every listed evidence file that was found (a missing one is the validator's
    ``evidence.missing`` error where evidence is required). Files are read one at a time."""
    for claim in claims:
        for name in claim.evidence:
            if name in found:
                keep_evidence(sub, claim, name, found[name])


def write_draft_evidence(sub: Submission, parsed: ParsedSubmission, found: dict[str, Path]) -> None:
    """A draft has no claims yet: keep its evidence files unattached (``claim`` NULL)."""
    for name in sorted({n for c in parsed.claims for n in c.evidence}):
        if name in found:
            keep_evidence(sub, None, name, found[name])


def keep_evidence(sub: Submission, claim: Claim | None, name: str, path: Path) -> None:
    from cimon.intake.qualitative import MAX_EVIDENCE_BYTES
    from cimon.safe import FileTooLarge, read_limited

    try:  # checked already; read with a bound all the same (the file may have grown since)
        data = read_limited(path, max(MAX_EVIDENCE_BYTES, path.stat().st_size))
    except (OSError, FileTooLarge) as exc:
        raise StorageError(
            f"无法读取佐证材料“{name}”：{exc}。未导入任何内容，请重新导入。",
            f"Cannot read evidence file '{name}': {exc}. Nothing was imported; import again.",
        ) from None
    EvidenceFile.objects.create(
        submission=sub,
        claim=claim,
        name=name,
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def retire(old: set[int], now: datetime) -> list[int]:
    """Submissions among ``old`` with no current observation or claim left become superseded."""
    if not old:
        return []
    live_obs = Observation.objects.filter(submission=OuterRef("pk"), superseded_at__isnull=True)
    live_claims = Claim.objects.filter(submission=OuterRef("pk"), superseded_at__isnull=True)
    done = (
        Submission.objects.filter(pk__in=old, status=ACCEPTED)
        .exclude(Exists(live_obs))
        .exclude(Exists(live_claims))
    )
    ids = sorted(done.values_list("pk", flat=True))
    Submission.objects.filter(pk__in=ids).update(status=SUPERSEDED, superseded_at=now)
    return ids
