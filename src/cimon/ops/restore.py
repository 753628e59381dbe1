"""``cimon restore`` and ``cimon backup verify``.

A restore refuses before it touches anything when the backup folder is damaged (a file missing
or its SHA-256 not the manifest's), when it was made on the other engine, when it comes from a
newer release (migrations this code does not know) or when the target database already holds
data (unless ``force``), or when its archive of stored files (``storage.tar``) holds anything but
plain files of the manifest (:mod:`cimon.ops.storage`). It then loads the copy, counts every table and hashes every stored file
of the result, compares them with the manifest, writes the archived files under the storage
root (each checked against the SHA-256 of the restored rows naming it) and runs the migrations
this release adds.

* SQLite: the copy is loaded into a staging file beside the target and checked there; the
  target is written only when the staged copy matches the manifest.
* PostgreSQL: ``pg_restore`` loads the dump into the target (created when missing); when the
  result does not match the manifest the target is emptied again and the restore refused.

:func:`verify` does the same into a scratch database (a temporary SQLite file, or a PostgreSQL
database created beside the live one and dropped afterwards) and leaves the live one alone.
"""

from __future__ import annotations

import secrets
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cimon.ops import database as dbm
from cimon.ops import storage as st
from cimon.ops.database import Database, OpsError
from cimon.ops.manifest import Manifest, check_folder, compare_content, refuse


@dataclass
class Restored:
    """What a restore (or a verification) did."""

    folder: Path
    target: str
    manifest: Manifest
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    migrated: list[str] = field(default_factory=list)
    storage_root: Path | None = None
    storage_files: int = 0
    storage_bytes: int = 0

    def render(self, lang: str = "zh", verified: bool = False) -> str:
        m = self.manifest
        made = f"{m.created_at:%Y-%m-%d %H:%M:%S} UTC"
        rel = m.release.get("cimon", "?") + (
            f" ({m.release['git']})" if m.release.get("git") else ""
        )
        mig = ", ".join(self.migrated) if self.migrated else ("无" if lang == "zh" else "none")
        if self.storage_files:
            where = f"{self.storage_root}" if not verified else ""
            extra_zh = (
                f"\n  存储目录文件 {self.storage_files} 个（{self.storage_bytes} 字节）"
                + (f"已写入 {where}" if where else "")
                + "，SHA-256 与数据库记录一致"
            )
            extra_en = (
                f"\n  {self.storage_files} files of the storage folder ({self.storage_bytes} "
                f"bytes){' written to ' + where if where else ''}, every SHA-256 as its rows say"
            )
        else:
            extra_zh = extra_en = ""
        if lang == "zh":
            head = "备份校验通过（已在临时数据库中完整恢复）" if verified else "已恢复"
            return (
                f"{head}：{self.folder}\n"
                f"  备份时间：{made}，版本 {rel}，来源 {m.source}\n"
                f"  目标数据库：{self.target}\n"
                f"  数据表 {self.tables} 张，共 {self.rows} 行，与清单一致\n"
                f"  存储文件 {self.files} 个（{self.file_bytes} 字节），SHA-256 全部一致\n"
                f"  升级迁移：{mig}{extra_zh}"
            )
        head = (
            "Backup verified (restored in full into a scratch database)"
            if verified
            else ("Restored")
        )
        return (
            f"{head}: {self.folder}\n"
            f"  taken {made}, release {rel}, from {m.source}\n"
            f"  target database: {self.target}\n"
            f"  {self.tables} tables, {self.rows} rows, as in the manifest\n"
            f"  {self.files} stored files ({self.file_bytes} bytes), every SHA-256 matches\n"
            f"  migrations applied: {mig}{extra_en}"
        )


def _code_migrations() -> set[tuple[str, str]]:
    from cimon.store.setup import ensure_django

    ensure_django(migrate=False)
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def preflight(folder: Path, target: Database, *, force: bool) -> Manifest:
    """Every check that can be made before touching ``target``; returns the manifest."""
    manifest = Manifest.read(folder)
    problems = check_folder(folder, manifest)
    if problems:
        raise refuse(
            problems, str(folder), "备份已损坏，拒绝恢复", "The backup is damaged; refused"
        )
    if manifest.vendor != target.vendor:
        raise OpsError(
            f"这是 {manifest.vendor} 数据库的备份，不能恢复到 {target.vendor} 数据库：请把 "
            "DATABASE_URL（PostgreSQL）或 --db（SQLite）指向同类数据库。",
            f"This is a backup of a {manifest.vendor} database and cannot be restored into "
            f"{target.vendor}: point DATABASE_URL (PostgreSQL) or --db (SQLite) at one of the "
            "same kind.",
            str(folder),
        )
    unknown = sorted(set(manifest.migrations) - _code_migrations())
    if unknown:
        names = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
        raise OpsError(
            f"备份由更新的版本（{manifest.release.get('cimon')}）生成，含本版本不认识的迁移 "
            f"{names}：请先安装该版本或更新的版本再恢复。",
            f"The backup was made by a newer release ({manifest.release.get('cimon')}) with "
            f"migrations this one does not know ({names}): install that release or a newer one "
            "first.",
            str(folder),
        )
    if manifest.storage:
        problems = st.check_archive(folder / st.ARCHIVE, manifest.storage)
        if problems:
            raise refuse(
                problems,
                str(folder / st.ARCHIVE),
                "存储文件归档不安全或已损坏，拒绝恢复",
                "The archive of stored files is unsafe or damaged; refused",
            )
    busy = dbm.in_use(target)
    if busy and not force:
        shown = ", ".join(f"{t} ({n})" for t, n in sorted(busy.items())[:6])
        raise OpsError(
            f"目标数据库不是空的（{shown}……）：恢复会覆盖其中全部数据。请恢复到新建的空数据库，"
            "或确认后加 --force。",
            f"The target database is not empty ({shown}…): a restore replaces all of it. "
            "Restore into a new, empty database, or add --force if you mean it.",
            target.label,
        )
    return manifest


def _content(db: Database) -> tuple[dict[str, int], list[dbm.StoredFile]]:
    with db.connect() as conn:
        return dbm.row_counts(conn, db.vendor), dbm.stored_files(conn, db.vendor)


def _storage_problems(manifest: Manifest, db: Database) -> list[tuple[str, str]]:
    """The archived files whose restored rows say another size or hash (or none)."""
    with db.connect() as conn:
        refs, bad = st.referenced(conn, db.vendor)
    rows = {r.path: r for r in refs}
    problems = [
        (f"{t} #{i} 的存储文件路径无效：{p!r}", f"{t} #{i} names an invalid stored path: {p!r}")
        for t, i, p in bad
    ]
    for ref in manifest.storage:
        if rows.get(ref.path) != ref:
            problems.append(
                (
                    f"存储文件 {ref.path} 与恢复后的数据库记录不符",
                    f"stored file {ref.path} does not match the restored rows naming it",
                )
            )
    listed = {r.path for r in manifest.storage} | {r.path for r in manifest.storage_missing}
    for path in sorted(set(rows) - listed):
        problems.append(
            (
                f"数据库记录引用的存储文件 {path} 不在备份中",
                f"stored file {path}, named by a row, is not in the backup",
            )
        )
    return problems


def _check(manifest: Manifest, db: Database, folder: Path) -> None:
    counts, stored = _content(db)
    problems = compare_content(manifest, counts, stored) + _storage_problems(manifest, db)
    if problems:
        raise refuse(
            problems,
            str(folder),
            "恢复结果与备份清单不符，拒绝恢复",
            "What the backup restores does not match its manifest; refused",
        )


def _put_files(folder: Path, manifest: Manifest, root: Path, force: bool) -> int:
    """Write the archived files under ``root`` (after :func:`_check` matched them with the
    restored rows); the bytes written."""
    if not manifest.storage:
        return 0
    return st.extract(folder / st.ARCHIVE, root, manifest.storage, force=force)


def _load_sqlite(folder: Path, manifest: Manifest, target: Path, root: Path, force: bool) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = target.with_name(f".{target.name}.restoring-{secrets.token_hex(4)}")
    try:
        src = sqlite3.connect(
            f"{(folder / manifest.database_file).resolve().as_uri()}?mode=ro", uri=True
        )
        dst = sqlite3.connect(stage)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        _check(manifest, Database("sqlite", str(stage)), folder)
        written = _put_files(folder, manifest, root, force)
        src = sqlite3.connect(stage)
        dst = sqlite3.connect(target, timeout=20)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    finally:
        stage.unlink(missing_ok=True)
    return written


def _load_postgres(
    folder: Path, manifest: Manifest, target: Database, root: Path, force: bool
) -> int:
    pg_restore = dbm.pg_tool("pg_restore")
    if not target.exists():
        with target.maintenance() as conn:
            conn.execute(f"CREATE DATABASE {dbm.quote(target.name)}")
    else:
        # empty (preflight said so: at most the tables `migrate` makes) or --force: either way
        # nothing of it is kept, and pg_restore needs the names free
        dbm.drop_everything(target)
    args = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    try:
        dbm.run_tool(
            [*args, f"--dbname={target.name}", str(folder / manifest.database_file)],
            target,
            "pg_restore 恢复 / pg_restore",
        )
        _check(manifest, target, folder)
        return _put_files(folder, manifest, root, force)
    except BaseException:
        dbm.drop_everything(target)  # it was empty (or --force): leave it empty, not half-done
        raise


def _migrate(target: Database) -> list[str]:
    """Apply the migrations of this release the restored database lacks; their names."""
    from django.core.management import call_command
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    default = connections["default"]
    alias = "default"
    if Database.from_settings(default.settings_dict) != target:
        alias = f"cimon_ops_{secrets.token_hex(4)}"
        settings = dict(default.settings_dict)
        if target.vendor == "sqlite":
            settings = {"ENGINE": "django.db.backends.sqlite3", "NAME": target.name}
        else:
            settings["NAME"] = target.name
        connections.settings[alias] = connections.configure_settings({"default": settings})[
            "default"
        ]
    try:
        conn = connections[alias]
        conn.close()
        executor = MigrationExecutor(conn)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        names = [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]
        if plan:
            call_command("migrate", database=alias, verbosity=0, interactive=False)
        return names
    finally:
        connections[alias].close()
        if alias != "default":
            del connections[alias]
            del connections.settings[alias]


def restore(
    folder: Path,
    target: Database | None = None,
    *,
    force: bool = False,
    migrate: bool = True,
    storage_root: Path | None = None,
) -> Restored:
    """Restore the backup in ``folder`` into ``target`` (default: the platform's database)
    and its stored files under ``storage_root`` (default: the platform's); see the module
    docstring."""
    target = target or Database.current()
    root = storage_root or st.root_for(target)
    folder = folder.expanduser().resolve()
    manifest = preflight(folder, target, force=force)
    from django.db import connections

    connections.close_all()
    if target.vendor == "sqlite":
        written = _load_sqlite(folder, manifest, Path(target.name), root, force)
    else:
        written = _load_postgres(folder, manifest, target, root, force)
    out = Restored(
        folder,
        target.label,
        manifest,
        tables=len(manifest.tables),
        rows=sum(manifest.tables.values()),
        files=len(manifest.stored),
        file_bytes=sum(f.size for f in manifest.stored),
        storage_root=root,
        storage_files=len(manifest.storage),
        storage_bytes=written,
    )
    if migrate:
        out.migrated = _migrate(target)
    return out


def verify(folder: Path, live: Database | None = None) -> Restored:
    """Restore ``folder`` into a scratch database and compare (module docstring)."""
    folder = folder.expanduser().resolve()
    manifest = Manifest.read(folder)
    if manifest.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="cimon-verify-") as tmp:
            return restore(
                folder,
                Database("sqlite", str(Path(tmp) / "verify.sqlite3")),
                storage_root=Path(tmp) / "files",
            )
    live = live or Database.current()
    if live.vendor != "postgresql":
        raise OpsError(
            "校验 PostgreSQL 备份需要一台 PostgreSQL 服务器来建临时库：请设置 DATABASE_URL。",
            "Verifying a PostgreSQL backup needs a PostgreSQL server for a scratch database: "
            "set DATABASE_URL.",
            str(folder),
        )
    scratch = live.with_name(f"cimon_verify_{secrets.token_hex(6)}")
    try:
        with tempfile.TemporaryDirectory(prefix="cimon-verify-") as tmp:
            return restore(folder, scratch, storage_root=Path(tmp) / "files")
    finally:
        from django.db import connections

        connections.close_all()
        try:
            with scratch.maintenance() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {dbm.quote(scratch.name)} WITH (FORCE)")
        except OpsError:
            pass
