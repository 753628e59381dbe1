"""The manifest of a backup folder (``manifest.json``) and the checks a restore makes with it.

A backup folder ``cimon-20261207T021500Z/`` holds:

* ``database.sqlite3`` (SQLite) or ``database.pgdump`` (PostgreSQL, ``pg_dump -Fc``);
* ``manifest.json``: the release that made it (cimon version, ``git describe``), the engine,
  the migration state, the row count of every table, the SHA-256 and size of every file of the
  folder and of every file stored in the database (submitted workbooks, evidence, downloads);
* ``storage.tar`` when rows name files kept under the storage root (``CIMON_STORAGE_DIR``):
  those files, listed in the manifest (``storage``: path, size, SHA-256) with the ones that
  could not be copied (``storage_missing``: absent, or other bytes than their rows say); see
  :mod:`cimon.ops.storage`. Backups made before have neither key and restore as before.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cimon.ops.database import OpsError, StoredFile, sha256_file
from cimon.ops.storage import Ref

MANIFEST = "manifest.json"
FORMAT = 1
#: a backup folder's name: ``cimon-`` and the UTC time it was taken
FOLDER = re.compile(r"^cimon-(\d{8}T\d{6}Z)$")
STAMP = "%Y%m%dT%H%M%SZ"


def release() -> dict[str, str]:
    """The running release: cimon's version and, in a git checkout, ``git describe``."""
    from cimon._version import __version__

    out = {"cimon": __version__, "git": ""}
    try:
        proc = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        if proc.returncode == 0:
            out["git"] = proc.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return out


@dataclass
class Manifest:
    """What a backup holds; see the module docstring."""

    created_at: datetime
    vendor: str
    database_file: str
    source: str
    release: dict[str, str]
    migrations: list[tuple[str, str]]
    tables: dict[str, int]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # folder file → size, sha256
    stored: list[StoredFile] = field(default_factory=list)
    storage: list[Ref] = field(default_factory=list)  # files of storage.tar
    storage_missing: list[Ref] = field(default_factory=list)  # named by rows, not copied

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "created_at": self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "release": self.release,
            "database": {"vendor": self.vendor, "file": self.database_file, "source": self.source},
            "migrations": [f"{app}.{name}" for app, name in self.migrations],
            "tables": self.tables,
            "files": self.files,
            "stored_files": [f.to_json() for f in self.stored],
            "storage": [r.to_json() for r in self.storage],
            "storage_missing": [r.to_json() for r in self.storage_missing],
        }

    def write(self, folder: Path) -> Path:
        path = folder / MANIFEST
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """Read ``folder/manifest.json``; an unreadable one is an :class:`OpsError`."""
        path = folder / MANIFEST
        if not path.is_file():
            raise OpsError(
                "这不是 cimon 备份目录：缺少 manifest.json。请指向 cimon backup 生成的 cimon-日期时间 目录。",
                "Not a cimon backup folder: manifest.json is missing. Point to a cimon-<time> "
                "folder made by cimon backup.",
                str(folder),
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            db = data["database"]
            return cls(
                created_at=datetime.strptime(data["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
                    tzinfo=UTC
                ),
                vendor=str(db["vendor"]),
                database_file=str(db["file"]),
                source=str(db.get("source", "")),
                release={str(k): str(v) for k, v in data["release"].items()},
                migrations=[_migration(m) for m in data["migrations"]],
                tables={str(k): int(v) for k, v in data["tables"].items()},
                files={str(k): dict(v) for k, v in data["files"].items()},
                stored=[
                    StoredFile(
                        str(f["table"]), int(f["id"]), str(f["name"]), int(f["size"]), f["sha256"]
                    )
                    for f in data["stored_files"]
                ],
                storage=[_ref(r) for r in data.get("storage", [])],
                storage_missing=[_ref(r) for r in data.get("storage_missing", [])],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise OpsError(
                f"manifest.json 已损坏，无法读取（{exc}）。请换用另一份备份。",
                f"manifest.json is damaged and cannot be read ({exc}). Use another backup.",
                str(path),
            ) from None


def _ref(item: Any) -> Ref:
    return Ref(str(item["path"]), int(item["size"]), str(item["sha256"]))


def _migration(text: str) -> tuple[str, str]:
    app, dot, name = str(text).partition(".")
    if not dot:
        raise ValueError(f"migration {text!r} is not app.name")
    return app, name


def check_folder(folder: Path, manifest: Manifest) -> list[tuple[str, str]]:
    """Problems with the files of a backup folder: each missing file, each whose size or
    SHA-256 differs from the manifest. ``[(zh, en)]``, empty when all is well."""
    problems: list[tuple[str, str]] = []
    if manifest.database_file not in manifest.files:
        problems.append(
            (
                f"清单未列出数据库文件 {manifest.database_file} 的校验值",
                f"the manifest has no checksum for the database file {manifest.database_file}",
            )
        )
    for name, expected in sorted(manifest.files.items()):
        path = folder / name
        if Path(name).name != name or not path.is_file():
            problems.append((f"缺少文件 {name}", f"file {name} is missing"))
            continue
        size, digest = path.stat().st_size, sha256_file(path)
        if size != expected.get("size") or digest != expected.get("sha256"):
            problems.append(
                (
                    f"文件 {name} 已损坏：SHA-256 为 {digest[:12]}…，清单记录为 "
                    f"{str(expected.get('sha256'))[:12]}…（{size} / {expected.get('size')} 字节）",
                    f"file {name} is damaged: SHA-256 {digest[:12]}…, the manifest says "
                    f"{str(expected.get('sha256'))[:12]}… ({size} / {expected.get('size')} bytes)",
                )
            )
    return problems


def compare_content(
    manifest: Manifest, tables: dict[str, int], stored: list[StoredFile]
) -> list[tuple[str, str]]:
    """Problems between what a restored database holds and what the manifest says it should:
    every table whose row count differs, every stored file missing or with another hash."""
    problems: list[tuple[str, str]] = []
    for table, expected in sorted(manifest.tables.items()):
        got = tables.get(table)
        if got is None:
            problems.append((f"缺少数据表 {table}", f"table {table} is missing"))
        elif got != expected:
            problems.append(
                (
                    f"数据表 {table}：清单记录 {expected} 行，恢复得到 {got} 行",
                    f"table {table}: {expected} rows in the manifest, {got} restored",
                )
            )
    have = {f.key(): f for f in stored}
    for f in manifest.stored:
        got_file = have.get(f.key())
        where = f"{f.table} #{f.id}（{f.name}）"
        where_en = f"{f.table} #{f.id} ({f.name})"
        if got_file is None:
            problems.append((f"缺少存储文件 {where}", f"stored file {where_en} is missing"))
        elif got_file.sha256 != f.sha256 or got_file.size != f.size:
            problems.append(
                (
                    f"存储文件 {where} 与备份时不同（SHA-256 {got_file.sha256[:12]}…，应为 "
                    f"{f.sha256[:12]}…）",
                    f"stored file {where_en} differs from the backup (SHA-256 "
                    f"{got_file.sha256[:12]}…, expected {f.sha256[:12]}…)",
                )
            )
    return problems


def refuse(problems: list[tuple[str, str]], where: str, what_zh: str, what_en: str) -> OpsError:
    """One error listing every problem (at most 20), in both languages."""
    shown = problems[:20]
    more = len(problems) - len(shown)
    zh = "\n".join(f"  - {p[0]}" for p in shown) + (f"\n  …… 另有 {more} 处" if more else "")
    en = "\n".join(f"  - {p[1]}" for p in shown) + (f"\n  … and {more} more" if more else "")
    return OpsError(f"{what_zh}：\n{zh}", f"{what_en}:\n{en}", where)
