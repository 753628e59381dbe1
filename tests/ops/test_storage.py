"""Files under the storage root in backups, restores and ``cimon doctor``
(:mod:`cimon.ops.storage`): a round trip bit for bit, files missing or changed, and hostile
archives built here (absolute names, ``..``, links, oversize or extra members)."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cimon.ops import backup as bk
from cimon.ops import storage as st
from cimon.ops.database import Database, OpsError, sha256_file
from cimon.ops.doctor_storage import check_storage
from cimon.ops.manifest import MANIFEST, Manifest
from cimon.ops.restore import restore

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
PDF = b"%PDF-1.4\n" + b"\x00\x01binary\xff" * 300
A = "commissioners/ab/ab0123456789abcdef0123456789abcd.jpg"
B = "commissioners/cd/cd0123456789abcdef0123456789abcd.pdf"


def _platform(tmp_path: Path) -> tuple[Database, Path]:
    """A SQLite database whose evidence rows name two files under a storage root (the first
    named by two rows, as a corrected record copies them), and one unreferenced file."""
    db_path = tmp_path / "live" / "cimon.sqlite3"
    db_path.parent.mkdir()
    root = tmp_path / "live" / "files"
    for rel, data in ((A, JPEG), (B, PDF), ("commissioners/ee/orphan.png", b"\x89PNG")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "CREATE TABLE commissioners_serviceevidence (id INTEGER PRIMARY KEY, path TEXT, "
            "size INTEGER, sha256 TEXT)"
        )
        for rel, data in ((A, JPEG), (B, PDF), (A, JPEG)):
            conn.execute(
                "INSERT INTO commissioners_serviceevidence (path, size, sha256) VALUES (?, ?, ?)",
                (rel, len(data), hashlib.sha256(data).hexdigest()),
            )
    return Database("sqlite", str(db_path)), root


@pytest.fixture
def live(tmp_path: Path) -> tuple[Database, Path]:
    return _platform(tmp_path)


@pytest.fixture
def backup(live: tuple[Database, Path], tmp_path: Path) -> Path:
    db, root = live
    return bk.make_backup(tmp_path / "backups", db, storage_root=root)


def _restore_to(folder: Path, tmp_path: Path, **kw: Any) -> tuple[Path, Path, Any]:
    target = tmp_path / "new" / "cimon.sqlite3"
    root = tmp_path / "new" / "files"
    done = restore(folder, Database("sqlite", str(target)), migrate=False, storage_root=root, **kw)
    return target, root, done


def test_safe_paths() -> None:
    assert st.safe_path(A) and st.safe_path("x/y.pdf")
    for bad in (
        "/etc/passwd",
        "../x.jpg",
        "a/../b.jpg",
        "a/./b.jpg",
        "a//b.jpg",
        "a\\b.jpg",
        "a/b.jpg/",
        "",
        "a/b c.jpg",
        "x" * 300 + "/a.jpg",
        "a/..",
    ):
        assert not st.safe_path(bad), bad


def test_backup_archives_the_referenced_files_and_restore_reproduces_them(
    backup: Path, live: tuple[Database, Path], tmp_path: Path
) -> None:
    m = Manifest.read(backup)
    assert [r.path for r in m.storage] == [A, B] and not m.storage_missing
    archive = backup / st.ARCHIVE
    assert m.files[st.ARCHIVE] == {"size": archive.stat().st_size, "sha256": sha256_file(archive)}
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == [A, B]  # not the unreferenced file
    _, root, done = _restore_to(backup, tmp_path)
    assert (root / A).read_bytes() == JPEG and (root / B).read_bytes() == PDF
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == [A, B]
    assert done.storage_files == 2 and done.storage_bytes == len(JPEG) + len(PDF)
    assert "存储目录文件 2 个" in done.render("zh") and "2 files of the storage" in done.render(
        "en"
    )
    assert "存储目录中的文件 2 个" in bk.BackupRun(backup, m).render("zh")


def test_a_missing_file_is_listed_and_reported_but_does_not_stop_the_backup(
    live: tuple[Database, Path], tmp_path: Path
) -> None:
    db, root = live
    (root / B).unlink()
    folder = bk.make_backup(tmp_path / "backups", db, storage_root=root)
    m = Manifest.read(folder)
    assert [r.path for r in m.storage] == [A] and [r.path for r in m.storage_missing] == [B]
    assert f"未能备份：{B}" in bk.BackupRun(folder, m).render("zh")
    _, new_root, _ = _restore_to(folder, tmp_path)
    assert (new_root / A).read_bytes() == JPEG and not (new_root / B).exists()


def test_doctor_reports_missing_and_changed_files(
    live: tuple[Database, Path], monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    db, root = live
    settings.CIMON_STORAGE_DIR = str(root)
    assert st.root_for(db) == root.resolve()
    good = check_storage(db)
    assert good.ok and "2 files" in good.en
    (root / A).write_bytes(JPEG[:-1] + b"\x00")
    (root / B).unlink()
    bad = check_storage(db)
    assert not bad.ok
    assert f"缺失 {B}" in bad.zh and f"wrong bytes {A}" in bad.en
    assert "1 files missing, 1 with wrong bytes" in bad.en and "CIMON_STORAGE_DIR" in bad.fix_zh


def test_root_defaults_beside_the_sqlite_file(tmp_path: Path, settings: Any) -> None:
    settings.CIMON_STORAGE_DIR = ""
    db = Database("sqlite", str(tmp_path / "x.sqlite3"))
    assert st.root_for(db) == (tmp_path / "cimon-files").resolve()


def _hostile(folder: Path, build: Callable[[tarfile.TarFile], None]) -> None:
    """Replace the backup's archive with one ``build`` writes, and give the manifest its
    checksum (an attacker who can write the folder can rewrite the manifest too)."""
    archive = folder / st.ARCHIVE
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        build(tar)
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    data["files"][st.ARCHIVE] = {"size": archive.stat().st_size, "sha256": sha256_file(archive)}
    (folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


def _file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _link(tar: tarfile.TarFile, name: str, target: str, kind: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    tar.addfile(info)


def _dir(tar: tarfile.TarFile, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    tar.addfile(info)


HOSTILE: dict[str, tuple[Callable[[tarfile.TarFile], None], str]] = {
    "absolute": (
        lambda t: (_file(t, A, JPEG), _file(t, B, PDF), _file(t, "/tmp/cimon-evil", b"x")),
        "more members",
    ),
    "absolute-in-place": (
        lambda t: (_file(t, A, JPEG), _file(t, "/tmp/cimon-evil", PDF)),
        "not a relative path",
    ),
    "dotdot": (
        lambda t: (_file(t, A, JPEG), _file(t, "../../evil.pdf", PDF)),
        "not a relative path",
    ),
    "symlink": (
        lambda t: (_file(t, A, JPEG), _link(t, B, "/etc/passwd", tarfile.SYMTYPE)),
        "not a regular file",
    ),
    "hardlink": (
        lambda t: (_file(t, A, JPEG), _link(t, B, "/etc/passwd", tarfile.LNKTYPE)),
        "not a regular file",
    ),
    "directory": (lambda t: (_file(t, A, JPEG), _dir(t, B)), "not a regular file"),
    "oversize": (
        lambda t: (_file(t, A, JPEG + b"more"), _file(t, B, PDF)),
        f"member {A} has {len(JPEG) + 4} bytes",
    ),
    "not listed": (
        lambda t: (_file(t, A, JPEG), _file(t, "commissioners/zz/other.jpg", PDF)),
        "not in the manifest",
    ),
    "twice": (
        lambda t: (_file(t, A, JPEG), _file(t, A, JPEG)),
        "appears twice",
    ),
    "missing": (lambda t: _file(t, A, JPEG), f"file {B} is missing from the archive"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archives_are_refused_before_anything_is_written(
    case: str, backup: Path, tmp_path: Path
) -> None:
    build, message = HOSTILE[case]
    _hostile(backup, build)
    with pytest.raises(OpsError) as refused:
        _restore_to(backup, tmp_path)
    assert message in refused.value.en, refused.value.en
    assert "存储文件归档不安全或已损坏" in refused.value.zh
    assert not (tmp_path / "new").exists()  # neither the database nor a file
    assert not Path("/tmp/cimon-evil").exists()
    assert not (tmp_path / "evil.pdf").exists()


def test_same_size_other_bytes_are_refused_and_the_database_left_alone(
    backup: Path, tmp_path: Path
) -> None:
    other = bytearray(PDF)
    other[100] ^= 0xFF
    _hostile(backup, lambda t: (_file(t, A, JPEG), _file(t, B, bytes(other))))
    with pytest.raises(OpsError) as refused:
        _restore_to(backup, tmp_path)
    assert f"stored file {B} cannot be restored: its SHA-256 is not the row's" in refused.value.en
    target = tmp_path / "new" / "cimon.sqlite3"
    assert not target.exists() or target.stat().st_size == 0
    assert not (tmp_path / "new" / "files" / B).exists()
    assert not list((tmp_path / "new" / "files").rglob(".*restoring*"))


def test_a_manifest_that_disagrees_with_the_restored_rows_is_refused(
    backup: Path, tmp_path: Path
) -> None:
    data = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    data["storage"][0]["sha256"] = "0" * 64
    (backup / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(OpsError) as refused:
        _restore_to(backup, tmp_path)
    assert f"stored file {A} does not match the restored rows" in refused.value.en
    assert not (tmp_path / "new" / "files").exists()


def test_a_different_file_in_place_needs_force(backup: Path, tmp_path: Path) -> None:
    root = tmp_path / "new" / "files"
    (root / A).parent.mkdir(parents=True)
    (root / A).write_bytes(b"something else")
    with pytest.raises(OpsError) as refused:
        _restore_to(backup, tmp_path)
    assert "--force" in refused.value.zh and "add --force" in refused.value.en
    assert (root / A).read_bytes() == b"something else"
    _restore_to(backup, tmp_path, force=True)
    assert (root / A).read_bytes() == JPEG


def test_a_symlinked_folder_inside_the_root_is_not_followed(backup: Path, tmp_path: Path) -> None:
    root = tmp_path / "new" / "files"
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "commissioners").mkdir(parents=True)
    (root / "commissioners" / "ab").symlink_to(outside)
    with pytest.raises(OpsError) as refused:
        _restore_to(backup, tmp_path)
    assert "leads outside the storage folder" in refused.value.en
    assert not list(outside.iterdir())


def test_the_references_name_the_models_columns(tmp_path: Path, settings: Any) -> None:
    from cimon.store.commissioners import files
    from cimon.store.commissioners.records import ServiceEvidence

    meta = ServiceEvidence._meta
    table, *columns = st.REFERENCES[0]
    assert meta.db_table == table
    assert columns == [meta.get_field(c).column for c in ("path", "size", "sha256")]
    # every path the platform generates passes the restore's check
    settings.CIMON_STORAGE_DIR = str(tmp_path)
    for ext in ("jpg", "png", "webp", "pdf"):
        rel, digest = files.store(JPEG, ext)
        assert st.safe_path(rel), rel
        assert st.condition(tmp_path, [st.Ref(rel, len(JPEG), digest)]).ok
