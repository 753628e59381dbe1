"""A platform's database seen from outside Django: a DB-API connection, its tables, row counts
and stored files, and the two engines' ways to copy it consistently.

Backups must read the database the way it *is* at one instant while the platform keeps running:

* **SQLite**: the online backup API (``sqlite3.Connection.backup``) copies every page under a
  read lock and starts again if another connection writes meanwhile, so the copy is one
  consistent state. Counts and hashes are then read from the copy.
* **PostgreSQL**: a ``REPEATABLE READ`` transaction exports its snapshot
  (``pg_export_snapshot()``); ``pg_dump --snapshot`` dumps exactly that state in its custom
  format while the same transaction counts the rows and hashes the files, so the manifest and
  the dump describe the same instant (PostgreSQL docs, "pg_dump", option ``--snapshot``;
  "Snapshot Synchronization Functions").
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cimon.errors import CimonError

#: tables Django fills by itself on ``migrate``: rows there do not make a database "in use"
BOOKKEEPING = frozenset({"django_migrations", "django_content_type", "auth_permission"})
#: names of the column that names a stored file, in order of preference
NAME_COLUMNS = ("name", "file_name")


class OpsError(CimonError):
    """A backup, restore or check that cannot proceed; the message says what to do."""


@dataclass(frozen=True)
class StoredFile:
    """One file kept in a binary column: table, row id, its name, size and SHA-256."""

    table: str
    id: int
    name: str
    size: int
    sha256: str

    def key(self) -> tuple[str, int]:
        return (self.table, self.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "id": self.id,
            "name": self.name,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class Database:
    """Where a database is: ``vendor`` ``sqlite`` (``name`` is the file) or ``postgresql``."""

    vendor: str
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = field(default="", repr=False)  # never in a message or a traceback
    sslmode: str = ""  # from DATABASE_URL's ?sslmode=…

    @classmethod
    def from_settings(cls, db: Mapping[str, Any]) -> Database:
        """From a Django ``DATABASES`` entry."""
        engine = str(db.get("ENGINE", ""))
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(db["NAME"]))
        if engine.endswith("postgresql"):
            return cls(
                "postgresql",
                str(db["NAME"]),
                str(db.get("HOST") or ""),
                str(db.get("PORT") or ""),
                str(db.get("USER") or ""),
                str(db.get("PASSWORD") or ""),
                str((db.get("OPTIONS") or {}).get("sslmode") or ""),
            )
        raise OpsError(
            f"不支持的数据库引擎 {engine}：备份与恢复支持 SQLite 和 PostgreSQL。",
            f"Unsupported database engine {engine}: backup and restore support SQLite and "
            "PostgreSQL.",
            "DATABASES",
        )

    @classmethod
    def current(cls) -> Database:
        """The platform's database as the settings say (Django set up without migrating)."""
        from cimon.store.setup import ensure_django

        ensure_django(migrate=False)
        from django.db import connection

        return cls.from_settings(connection.settings_dict)

    def with_name(self, name: str) -> Database:
        return replace(self, name=name)

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return self.name
        return f"postgresql://{self.host or 'localhost'}{':' + self.port if self.port else ''}/{self.name}"

    def pg_env(self) -> dict[str, str]:
        """The environment of ``pg_dump``/``pg_restore``: libpq variables, no password on the
        command line."""
        env = dict(os.environ)  # other libpq variables (PGSSLMODE …) apply as for psycopg
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGDATABASE", self.name),
            ("PGSSLMODE", self.sslmode),
        ):
            if value:
                env[key] = value
        return env

    @contextmanager
    def connect(self, *, readonly: bool = False) -> Iterator[Any]:
        """A DB-API connection (sqlite3 or psycopg), closed on exit."""
        if self.vendor == "sqlite":
            if readonly:
                conn = sqlite3.connect(f"{Path(self.name).resolve().as_uri()}?mode=ro", uri=True)
            else:
                conn = sqlite3.connect(self.name, timeout=20)
            try:
                yield conn
            finally:
                conn.close()
            return
        import psycopg

        try:
            pg = psycopg.connect(
                dbname=self.name,
                host=self.host or None,
                port=self.port or None,
                user=self.user or None,
                password=self.password or None,
                sslmode=self.sslmode or None,
                connect_timeout=10,
            )
        except psycopg.OperationalError as exc:
            raise OpsError(
                f"无法连接数据库：{exc}".strip(),
                f"Cannot connect to the database: {exc}".strip(),
                self.label,
            ) from None
        try:
            yield pg
        finally:
            pg.close()

    def exists(self) -> bool:
        if self.vendor == "sqlite":
            return Path(self.name).is_file() and Path(self.name).stat().st_size > 0
        with self.maintenance() as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,))
            return row.fetchone() is not None

    @contextmanager
    def maintenance(self) -> Iterator[Any]:
        """An autocommit connection to the server's ``postgres`` database (create/drop)."""
        with self.with_name("postgres").connect() as conn:
            conn.autocommit = True
            yield conn


def use_database(db: Path | None) -> None:
    """Point the settings at the SQLite file ``db`` (unless ``DATABASE_URL`` is set), before
    Django starts; as ``cimon serve --db`` does, without making a secret key."""
    if db is not None and not os.environ.get("DATABASE_URL"):
        os.environ["CIMON_DB"] = str(db.expanduser().resolve())


def quote(name: str) -> str:
    """An SQL identifier, quoted (table names come from the catalogue, never from users)."""
    return '"' + name.replace('"', '""') + '"'


def tables(conn: Any, vendor: str) -> list[str]:
    """The tables of the database (of the current schema on PostgreSQL), sorted."""
    if vendor == "sqlite":
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    return sorted(str(r[0]) for r in rows)


def row_counts(conn: Any, vendor: str) -> dict[str, int]:
    """``{table: rows}`` of every table."""
    return {
        t: int(conn.execute(f"SELECT COUNT(*) FROM {quote(t)}").fetchone()[0])
        for t in tables(conn, vendor)
    }


def _columns(conn: Any, vendor: str, table: str) -> dict[str, str]:
    """``{column: type}`` of a table, types in lower case."""
    if vendor == "sqlite":
        rows = conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
        return {str(r[1]): str(r[2]).lower() for r in rows}
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    ).fetchall()
    return {str(r[0]): str(r[1]).lower() for r in rows}


def stored_files(conn: Any, vendor: str) -> list[StoredFile]:
    """Every file kept in a binary column (BLOB on SQLite, bytea on PostgreSQL) of a table with
    an ``id``: its name (the ``name`` or ``file_name`` column), size and SHA-256. PostgreSQL
    hashes on the server (``sha256(bytea)``), SQLite row by row here."""
    out: list[StoredFile] = []
    for table in tables(conn, vendor):
        cols = _columns(conn, vendor, table)
        if "id" not in cols:
            continue
        name_col = next((c for c in NAME_COLUMNS if c in cols), None)
        name_sql = quote(name_col) if name_col else "''"
        for col, kind in sorted(cols.items()):
            if kind not in ("blob", "bytea"):
                continue
            c = quote(col)
            if vendor == "postgresql":
                rows = conn.execute(
                    f"SELECT id, {name_sql}, octet_length({c}), encode(sha256({c}), 'hex') "
                    f"FROM {quote(table)} WHERE {c} IS NOT NULL ORDER BY id"
                )
                out += [StoredFile(table, int(i), str(n), int(s), str(h)) for i, n, s, h in rows]
                continue
            for i, n, data in conn.execute(
                f"SELECT id, {name_sql}, {c} FROM {quote(table)} WHERE {c} IS NOT NULL ORDER BY id"
            ):
                blob = bytes(data)
                digest = hashlib.sha256(blob).hexdigest()
                out.append(StoredFile(table, int(i), str(n), len(blob), digest))
    return out


def applied_migrations(conn: Any, vendor: str) -> list[tuple[str, str]]:
    """``[(app, name)]`` of the ``django_migrations`` table (empty for a database without it)."""
    if "django_migrations" not in tables(conn, vendor):
        return []
    rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    return [(str(a), str(n)) for a, n in rows]


def in_use(db: Database) -> dict[str, int]:
    """The tables holding rows, besides what ``migrate`` writes by itself: empty for a database
    that can take a restore without ``--force``."""
    if not db.exists():
        return {}
    with db.connect() as conn:
        counts = row_counts(conn, db.vendor)
    return {t: n for t, n in counts.items() if n and t not in BOOKKEEPING}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: ``CIMON_PG_BIN``/name, else the one on
    ``PATH``, else the newest under /usr/lib/postgresql/*/bin (Debian)."""
    folder = os.environ.get("CIMON_PG_BIN", "").strip()
    candidates = [Path(folder) / name] if folder else []
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    debian = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    candidates += debian
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    raise OpsError(
        f"找不到 PostgreSQL 工具 {name}：请安装与服务器同版本的客户端（Debian 12："
        "apt install postgresql-client-15），或用环境变量 CIMON_PG_BIN 指明其所在目录。",
        f"PostgreSQL's {name} was not found: install the client of the server's version "
        "(Debian 12: apt install postgresql-client-15), or set CIMON_PG_BIN to its folder.",
        name,
    )


def run_tool(args: list[str], db: Database, what: str) -> None:
    """Run a PostgreSQL tool for ``db``; its error output becomes an :class:`OpsError`."""
    proc = subprocess.run(args, env=db.pg_env(), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise OpsError(
            f"{what}失败（{Path(args[0]).name} 退出码 {proc.returncode}）：\n{tail}",
            f"{what} failed ({Path(args[0]).name} exit code {proc.returncode}):\n{tail}",
            db.label,
        )


def drop_everything(db: Database) -> None:
    """Empty a PostgreSQL database before ``restore --force``: drop every table, sequence and
    view of the current schema (the database itself and its owner stay)."""
    with db.connect() as conn:
        conn.autocommit = True
        for kind, catalogue in (
            ("VIEW", "SELECT viewname FROM pg_views WHERE schemaname = current_schema()"),
            ("TABLE", "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"),
            (
                "SEQUENCE",
                "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()",
            ),
        ):
            for (name,) in conn.execute(catalogue).fetchall():
                conn.execute(f"DROP {kind} IF EXISTS {quote(str(name))} CASCADE")
