"""Files kept under the storage root (``CIMON_STORAGE_DIR``) in backups, restores and checks.

Some rows name a file kept on disk instead of holding its bytes: a relative path under the
storage root, its size and SHA-256 (:data:`REFERENCES`; today the commissioners' evidence
files). ``cimon backup`` copies every referenced file into ``storage.tar`` in the backup folder
(plain tar: photos and PDFs are compressed already), checking each against its row; the
manifest lists each file (path, size, SHA-256) and the files that could not be copied.

A restore reads the archive member by member and never trusts it: a member must be a regular
file (no links, devices or folders), its name a plain relative path of the shape the platform
generates (no absolute path, no ``..``, no backslash), listed in the manifest, no larger than
the manifest says (and never above :data:`MAX_FILE_BYTES`); the bytes written must have the
SHA-256 of the rows of the restored database that reference them. Each file is written beside
its place and renamed into it, so the folder never holds a partial file.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cimon.ops.database import Database, OpsError, quote, tables

ARCHIVE = "storage.tar"
#: (table, path column, size column, SHA-256 column) of every row naming a stored file
REFERENCES = (("commissioners_serviceevidence", "path", "size", "sha256"),)
#: a stored path: generated folders and names, ASCII letters, digits, ``_-.``, no ``..``
SAFE_PATH = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9]+)?$")
#: no single stored file is larger (uploads are bounded far below: CIMON_MAX_UPLOAD_MB)
MAX_FILE_BYTES = 1 << 30
#: no archive holds more members than this
MAX_MEMBERS = 1_000_000


@dataclass(frozen=True)
class Ref:
    """A file under the storage root as the rows name it."""

    path: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def root_for(db: Database) -> Path:
    """The storage root of the platform on ``db``: ``CIMON_STORAGE_DIR`` as the settings (or,
    before Django starts, the environment) say, else the default beside a SQLite file."""
    configured = os.environ.get("CIMON_STORAGE_DIR", "").strip()
    try:
        from django.conf import settings

        if settings.configured:
            configured = str(getattr(settings, "CIMON_STORAGE_DIR", "") or "")
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    if configured:
        return Path(configured).expanduser().resolve()
    from cimon.store.commissioners.files import default_root

    engine = "sqlite3" if db.vendor == "sqlite" else "postgresql"
    return default_root({"ENGINE": engine, "NAME": db.name})


def safe_path(name: str) -> bool:
    """Whether ``name`` is a relative path the platform could have generated."""
    return (
        len(name) <= 255
        and SAFE_PATH.match(name) is not None
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def referenced(conn: Any, vendor: str) -> tuple[list[Ref], list[tuple[str, int, str]]]:
    """Every file the rows name (one entry per path, sorted), and the rows whose
    reference is unusable: ``[(table, id, path)]`` (an unsafe path, or two rows naming one
    path with different hashes)."""
    present = set(tables(conn, vendor))
    found: dict[str, Ref] = {}
    bad: list[tuple[str, int, str]] = []
    for table, path_col, size_col, hash_col in REFERENCES:
        if table not in present:
            continue
        rows = conn.execute(
            f"SELECT id, {quote(path_col)}, {quote(size_col)}, {quote(hash_col)} "
            f"FROM {quote(table)} ORDER BY id"
        ).fetchall()
        for rid, path, size, digest in rows:
            ref = Ref(str(path), int(size), str(digest).lower())
            if not safe_path(ref.path) or (ref.path in found and found[ref.path] != ref):
                bad.append((table, int(rid), ref.path))
                continue
            found[ref.path] = ref
    return [found[p] for p in sorted(found)], bad


def sha256_of(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


@dataclass
class Condition:
    """How the files on disk stand against the rows: missing ones, and ones with other bytes."""

    missing: list[Ref]
    wrong: list[tuple[Ref, int, str]]  # the ref, the size and SHA-256 found

    @property
    def ok(self) -> bool:
        return not self.missing and not self.wrong


def condition(root: Path, refs: list[Ref]) -> Condition:
    """Hash every referenced file under ``root`` and compare it with its rows."""
    out = Condition([], [])
    for ref in refs:
        path = root / ref.path
        if path.is_symlink() or not path.is_file():
            out.missing.append(ref)
            continue
        size, digest = sha256_of(path)
        if (size, digest) != (ref.size, ref.sha256):
            out.wrong.append((ref, size, digest))
    return out


def write_archive(root: Path, refs: list[Ref], target: Path) -> tuple[list[Ref], list[Ref]]:
    """Copy every referenced file that matches its rows into the tar ``target``; return
    (copied, left out). A file is hashed as it is read into the archive, so one that changes
    meanwhile is left out rather than archived with other bytes than the row says."""
    copied: list[Ref] = []
    left: list[Ref] = []
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        for ref in refs:
            path = root / ref.path
            if path.is_symlink() or not path.is_file():
                left.append(ref)
                continue
            data = path.read_bytes()
            if len(data) != ref.size or hashlib.sha256(data).hexdigest() != ref.sha256:
                left.append(ref)
                continue
            info = tarfile.TarInfo(ref.path)
            info.size = len(data)
            info.mode = 0o600
            info.mtime = int(path.stat().st_mtime)
            tar.addfile(info, io.BytesIO(data))
            copied.append(ref)
    return copied, left


def _member_problem(member: tarfile.TarInfo, expected: dict[str, Ref]) -> tuple[str, str] | None:
    name = member.name
    if not member.isreg():
        return (
            f"成员 {name!r} 不是普通文件（链接或目录）",
            f"member {name!r} is not a regular file",
        )
    if not safe_path(name):
        return (
            f"成员名 {name!r} 不是存储目录内的相对路径",
            f"member name {name!r} is not a relative path inside the storage folder",
        )
    ref = expected.get(name)
    if ref is None:
        return (f"成员 {name} 不在清单中", f"member {name} is not in the manifest")
    if member.size != ref.size or member.size > MAX_FILE_BYTES:
        return (
            f"成员 {name} 有 {member.size} 字节，清单记录为 {ref.size} 字节",
            f"member {name} has {member.size} bytes, the manifest says {ref.size}",
        )
    return None


def check_archive(archive: Path, expected: list[Ref]) -> list[tuple[str, str]]:
    """Problems of the archive's table of contents, read without extracting anything: every
    member that is not a plain file of the manifest with its size, every manifest file absent,
    any name twice. ``[(zh, en)]``."""
    want = {r.path: r for r in expected}
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    try:
        with tarfile.open(archive, "r:") as tar:
            for count, member in enumerate(tar, start=1):
                if count > max(len(want), 1) or count > MAX_MEMBERS:
                    problems.append(
                        (
                            f"归档成员多于清单列出的 {len(want)} 个文件",
                            f"the archive has more members than the {len(want)} files listed",
                        )
                    )
                    break
                problem = _member_problem(member, want)
                if problem is None and member.name in seen:
                    problem = (
                        f"成员 {member.name} 出现两次",
                        f"member {member.name} appears twice",
                    )
                if problem:
                    problems.append(problem)
                seen.add(member.name)
    except (tarfile.TarError, OSError, ValueError) as exc:
        return [(f"{ARCHIVE} 无法读取（{exc}）", f"{ARCHIVE} cannot be read ({exc})")]
    for path in sorted(set(want) - seen):
        problems.append((f"归档中缺少文件 {path}", f"file {path} is missing from the archive"))
    return problems


def _write_one(root: Path, ref: Realized, source: Any, force: bool) -> None:
    final = root / ref.ref.path
    if final.is_symlink() or (final.exists() and not final.is_file()):
        raise ref.error("目标位置已有非普通文件", "the target place holds something else")
    folder = root
    for part in ref.ref.path.split("/")[:-1]:  # no folder on the way may be a link
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise ref.error(
                f"目录 {part} 是链接或文件，会指向存储目录之外",
                f"the folder {part} is a link or a file and leads outside the storage folder",
            )
        folder.mkdir(mode=0o700, exist_ok=True)
    tmp = final.with_name(f".{final.name}.restoring-{secrets.token_hex(4)}")
    h = hashlib.sha256()
    size = 0
    try:
        with open(tmp, "xb") as out:
            for block in iter(lambda: source.read(1 << 20), b""):
                size += len(block)
                if size > ref.ref.size:
                    raise ref.error("内容长于清单记录", "the content is longer than listed")
                h.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if (size, h.hexdigest()) != (ref.ref.size, ref.ref.sha256):
            raise ref.error("SHA-256 与数据库记录不符", "its SHA-256 is not the row's")
        if final.exists() and not force and sha256_of(final) != (size, h.hexdigest()):
            raise ref.error(
                "目标位置已有内容不同的文件（加 --force 覆盖）",
                "a different file is already in its place (add --force to replace it)",
            )
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Realized:
    """A file being restored, for its error messages."""

    ref: Ref

    def error(self, zh: str, en: str) -> OpsError:
        return OpsError(
            f"存储文件 {self.ref.path} 无法恢复：{zh}。请换用另一份备份。",
            f"The stored file {self.ref.path} cannot be restored: {en}. Use another backup.",
            ARCHIVE,
        )


def extract(archive: Path, root: Path, expected: list[Ref], *, force: bool = False) -> int:
    """Write the archive's files under ``root`` after :func:`check_archive` found nothing;
    each is checked against ``expected`` (the restored rows) as it is written. Returns the bytes
    written."""
    problems = check_archive(archive, expected)
    if problems:
        zh = "\n".join(f"  - {p[0]}" for p in problems[:20])
        en = "\n".join(f"  - {p[1]}" for p in problems[:20])
        raise OpsError(
            f"存储文件归档不安全或已损坏，拒绝恢复：\n{zh}",
            f"The archive of stored files is unsafe or damaged; refused:\n{en}",
            str(archive),
        )
    want = {r.path: r for r in expected}
    root.mkdir(parents=True, exist_ok=True)
    total = 0
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            source = tar.extractfile(member)
            assert source is not None, "check_archive admits regular files only"
            _write_one(root, Realized(want[member.name]), source, force)
            total += member.size
    return total
