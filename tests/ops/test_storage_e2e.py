"""The stored files through the real commands: a commissioner's photo and PDF stored by the
platform, ``cimon backup``, ``cimon restore`` into a fresh database and an empty storage folder
(bit for bit), ``cimon doctor`` on a missing and a changed file. SQLite, and PostgreSQL when
``DATABASE_URL`` names a server (as tests/ops/test_e2e.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cimon.ops.manifest import Manifest

from .conftest import run
from .test_e2e import databases  # noqa: F401 - the fixture of the two databases


def test_backup_restore_and_doctor_with_stored_files(databases: Any, tmp_path: Path) -> None:  # noqa: F811
    _src, _dst, src_env, dst_env = databases
    src_files, dst_files = tmp_path / "src-files", tmp_path / "dst-files"
    src_env = {**src_env, "CIMON_STORAGE_DIR": str(src_files)}
    dst_env = {**dst_env, "CIMON_STORAGE_DIR": str(dst_files)}
    stored = json.loads(run(["script:photos"], src_env, tmp_path).stdout)
    assert len(stored) == 2

    out = run(["backup", "--out", str(tmp_path / "backups"), "--verify"], src_env, tmp_path)
    assert "存储目录中的文件 2 个" in out.stdout and "备份校验通过" in out.stdout
    (folder,) = (tmp_path / "backups").glob("cimon-*")
    assert {r.path: r.sha256 for r in Manifest.read(folder).storage} == stored

    restored = run(["--lang", "en", "restore", str(folder)], dst_env, tmp_path)
    assert "2 files of the storage folder" in restored.stdout
    for rel, digest in stored.items():
        data = (dst_files / rel).read_bytes()
        assert data == (src_files / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
    assert sorted(str(p.relative_to(dst_files)) for p in dst_files.rglob("*") if p.is_file()) == (
        sorted(stored)
    )

    doctor = run(["--lang", "en", "doctor"], dst_env, tmp_path, check=False)
    assert "✓ stored files: 2 files" in doctor.stdout, doctor.stdout
    first, second = sorted(stored)
    (dst_files / first).unlink()
    (dst_files / second).write_bytes(b"\xff\xd8\xff changed")
    doctor = run(["--lang", "en", "doctor"], dst_env, tmp_path, check=False)
    assert doctor.returncode == 2
    assert f"missing {first}" in doctor.stdout and f"wrong bytes {second}" in doctor.stdout
