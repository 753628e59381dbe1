"""``cimon backup``: a consistent copy of a running platform, and the retention rule.

:func:`make_backup` writes ``OUT/cimon-<UTC time>/`` (first as ``….partial``, renamed when
complete, so a folder with the final name is always whole) holding the database copy, the files
its rows name under the storage root (``storage.tar``, :mod:`cimon.ops.storage`) and its
manifest (:mod:`cimon.ops.manifest`). :func:`prune` then keeps, of the complete backups in
``OUT``, the newest of each of the last ``keep_daily`` days and of each of the last
``keep_monthly`` months that have one (the rule of restic's ``forget --keep-daily
--keep-monthly``), and always the newest; it deletes only folders named and shaped like
backups.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cimon.ops import database as dbm
from cimon.ops import storage as st
from cimon.ops.database import Database, OpsError
from cimon.ops.manifest import FOLDER, MANIFEST, STAMP, Manifest, release

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


@dataclass(frozen=True)
class Backup:
    """A complete backup folder and the time it was taken (from its name)."""

    path: Path
    taken: datetime


#: what a copy holds: row counts, stored files, applied migrations, files named under the root
Copied = tuple[dict[str, int], list[dbm.StoredFile], list[tuple[str, str]], list[st.Ref]]


def _refs(conn: object, vendor: str, label: str) -> list[st.Ref]:
    refs, bad = st.referenced(conn, vendor)
    if bad:
        shown = ", ".join(f"{t} #{i} ({p!r})" for t, i, p in bad[:5])
        raise OpsError(
            f"数据库中有存储文件路径无效或矛盾的记录：{shown}。请运行 cimon doctor 并联系维护人员。",
            f"Rows of the database name stored files by an invalid or conflicting path: {shown}. "
            "Run cimon doctor and ask the maintainers.",
            label,
        )
    return refs


def _copy_sqlite(db: Database, target: Path) -> Copied:
    if not Path(db.name).is_file():
        raise OpsError(
            "找不到 SQLite 数据库文件，请用 --db 指明或设置 CIMON_DB。",
            "The SQLite database file does not exist: give it with --db or set CIMON_DB.",
            db.name,
        )
    # a read-write connection, though it only reads: after a crash it must be able to roll the
    # interrupted transaction back (a hot journal) before anything can be read
    src = sqlite3.connect(db.name, timeout=20)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # one consistent state, even while the platform writes
    finally:
        src.close()
        dst.close()
    with Database("sqlite", str(target)).connect(readonly=True) as conn:
        return (
            dbm.row_counts(conn, "sqlite"),
            dbm.stored_files(conn, "sqlite"),
            dbm.applied_migrations(conn, "sqlite"),
            _refs(conn, "sqlite", db.label),
        )


def _dump_postgres(db: Database, target: Path) -> Copied:
    pg_dump = dbm.pg_tool("pg_dump")
    import psycopg

    with db.connect() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        (snapshot,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
        proc = subprocess.Popen(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            env=db.pg_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        # the same snapshot, counted and hashed while pg_dump writes it
        counts = dbm.row_counts(conn, "postgresql")
        stored = dbm.stored_files(conn, "postgresql")
        migrations = dbm.applied_migrations(conn, "postgresql")
        refs = _refs(conn, "postgresql", db.label)
        _, err = proc.communicate()
        conn.rollback()
    if proc.returncode != 0:
        tail = "\n".join(err.strip().splitlines()[-5:])
        raise OpsError(
            f"pg_dump 失败（退出码 {proc.returncode}）：\n{tail}",
            f"pg_dump failed (exit code {proc.returncode}):\n{tail}",
            db.label,
        )
    return counts, stored, migrations, refs


def make_backup(
    out: Path,
    db: Database | None = None,
    now: datetime | None = None,
    storage_root: Path | None = None,
) -> Path:
    """Back the platform's database, and the files its rows name under the storage root
    (default :func:`cimon.ops.storage.root_for`), up into a new folder under ``out``; return
    the folder."""
    db = db or Database.current()
    root = storage_root or st.root_for(db)
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    out = out.expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    final = out / f"cimon-{now.strftime(STAMP)}"
    if final.exists():
        raise OpsError(
            "同名备份目录已存在（同一秒内的两次备份）：请稍后再试。",
            "A backup folder of that name exists (two backups in one second): try again.",
            str(final),
        )
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    try:
        name = SQLITE_FILE if db.vendor == "sqlite" else PG_FILE
        copy = _copy_sqlite if db.vendor == "sqlite" else _dump_postgres
        counts, stored, migrations, refs = copy(db, partial / name)
        archived: list[st.Ref] = []
        left: list[st.Ref] = []
        names = [name]
        if refs:
            archived, left = st.write_archive(root, refs, partial / st.ARCHIVE)
            names.append(st.ARCHIVE)
        manifest = Manifest(
            created_at=now,
            vendor=db.vendor,
            database_file=name,
            source=db.label,
            release=release(),
            migrations=migrations,
            tables=counts,
            files={
                n: {"size": (partial / n).stat().st_size, "sha256": dbm.sha256_file(partial / n)}
                for n in names
            },
            stored=stored,
            storage=archived,
            storage_missing=left,
        )
        manifest.write(partial)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


@dataclass
class BackupRun:
    """What ``cimon backup`` did: the new folder, its manifest, the verification, the pruned."""

    folder: Path
    manifest: Manifest
    verified: Any = None  # cimon.ops.restore.Restored when verified
    pruned: list[Path] = field(default_factory=list)

    def render(self, lang: str = "zh") -> str:
        """What ``cimon backup`` prints: the folder, the tables, rows, stored files and bytes
        backed up, the verification (if any) and every backup pruned."""
        m = self.manifest
        size = sum(int(f["size"]) for f in m.files.values())
        rows = sum(m.tables.values())
        if lang == "en":
            lines = [
                f"backed up {m.source}: {self.folder}\n  {len(m.tables)} tables, "
                f"{rows} rows, {len(m.stored)} stored files; {size} bytes"
            ]
        else:
            lines = [
                f"已备份 {m.source}：{self.folder}\n  数据表 {len(m.tables)} 张，"
                f"{rows} 行，存储文件 {len(m.stored)} 个；共 {size} 字节"
            ]
        if m.storage:
            got = sum(r.size for r in m.storage)
            lines.append(
                f"  {len(m.storage)} files of the storage folder ({got} bytes)"
                if lang == "en"
                else f"  存储目录中的文件 {len(m.storage)} 个（{got} 字节）"
            )
        for r in m.storage_missing[:20]:
            lines.append(
                f"  ! not backed up: {r.path} is missing or differs from its row (run cimon doctor)"
                if lang == "en"
                else f"  ！未能备份：{r.path} 缺失或与数据库记录不符（请运行 cimon doctor）"
            )
        if self.verified is not None:
            lines.append(self.verified.render(lang, verified=True))
        lines += [f"按保留规则删除旧备份 / pruned by the retention rule: {p}" for p in self.pruned]
        return "\n".join(lines)


def run_backup(
    out: Path,
    *,
    keep_daily: int = 7,
    keep_monthly: int = 12,
    verify: bool = False,
    db: Database | None = None,
) -> BackupRun:
    """Back up, verify the new backup if asked, then prune. A backup that fails verification
    is renamed ``….failed`` (kept for inspection, never counted as a backup nor pruned) and
    nothing is pruned."""
    folder = make_backup(out, db)
    done = BackupRun(folder, Manifest.read(folder))
    if verify:
        from cimon.ops.restore import verify as verify_backup

        try:
            done.verified = verify_backup(folder)
        except OpsError:
            folder.rename(folder.with_name(folder.name + ".failed"))
            raise
    done.pruned = prune(out, keep_daily, keep_monthly)
    return done


def backups(out: Path) -> list[Backup]:
    """The complete backups in ``out`` (named ``cimon-<time>`` with a manifest), newest first."""
    if not out.is_dir():
        return []
    found = []
    for entry in out.iterdir():
        m = FOLDER.match(entry.name)
        if m and entry.is_dir() and (entry / MANIFEST).is_file():
            taken = datetime.strptime(m.group(1), STAMP).replace(tzinfo=UTC)
            found.append(Backup(entry, taken))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def to_keep(found: list[Backup], keep_daily: int, keep_monthly: int) -> set[Path]:
    """The backups the rule keeps (module docstring); ``found`` newest first."""
    keep: set[Path] = {found[0].path} if found else set()
    for width, count in ((10, keep_daily), (7, keep_monthly)):  # "YYYY-MM-DD", "YYYY-MM"
        seen: set[str] = set()
        for b in found:
            period = b.taken.strftime("%Y-%m-%d")[:width]
            if period in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(period)
            keep.add(b.path)
    return keep


def prune(out: Path, keep_daily: int = 7, keep_monthly: int = 12) -> list[Path]:
    """Delete the backups in ``out`` the rule does not keep; return what was deleted."""
    found = backups(out)
    keep = to_keep(found, keep_daily, keep_monthly)
    gone = [b.path for b in found if b.path not in keep]
    for path in gone:
        shutil.rmtree(path)
    return gone


def newest(out: Path) -> Backup | None:
    found = backups(out)
    return found[0] if found else None
