"""Backup while a task runs, restore into a fresh database, and find everything again: on
SQLite, and on PostgreSQL when ``DATABASE_URL`` names a server (``make unit`` runs this file
twice).

The platform processes are real: the first start of ``cimon serve``, a county's upload with two
evidence files and a published evaluation (tests/ops/platform_script.py), a ``cimon worker``
making the publication's snapshot. The backup is taken while that task runs; the restored
platform's worker takes the task back and makes the same download, byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from cimon.ops import backup as bk
from cimon.ops.database import Database
from cimon.ops.manifest import Manifest
from cimon.ops.publications import same_content

from .conftest import CIMON, platform_env, run

TASKS = "django_tasks_database_dbtaskresult"


def _pg_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def databases(tmp_path: Path) -> Any:
    """Two empty databases (source, target) of the engine of this run, and their environments;
    PostgreSQL ones are dropped afterwards."""
    url = _pg_url()
    if url is None:
        src, dst = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
        yield (
            Database("sqlite", str(src)),
            Database("sqlite", str(dst)),
            platform_env(tmp_path, CIMON_DB=str(src), OPS_TEST_REPLICATES="1000"),
            platform_env(tmp_path, CIMON_DB=str(dst), OPS_TEST_REPLICATES="1000"),
        )
        return
    import dj_database_url

    base = Database.from_settings(dj_database_url.parse(url))
    names = [f"cimon_ops_e2e_{os.getpid()}_{n}" for n in ("src", "dst")]
    with base.maintenance() as conn:
        for n in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{names[0]}"')  # the target is created by the restore
    root = url.rsplit("/", 1)[0]
    try:
        yield (
            base.with_name(names[0]),
            base.with_name(names[1]),
            platform_env(tmp_path, DATABASE_URL=f"{root}/{names[0]}", OPS_TEST_REPLICATES="1000"),
            platform_env(tmp_path, DATABASE_URL=f"{root}/{names[1]}", OPS_TEST_REPLICATES="1000"),
        )
    finally:
        with base.maintenance() as conn:
            for n in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')


def _task_status(db: Database) -> str:
    with db.connect() as conn:
        row = conn.execute(
            f"SELECT status FROM {TASKS} WHERE task_path LIKE '%prepare_publication' "
            "ORDER BY enqueued_at DESC"
        ).fetchone()
        if db.vendor == "postgresql":
            conn.rollback()
    return str(row[0]) if row else ""


def _wait_for(db: Database, status: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _task_status(db) == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"the snapshot task never reached {status}: {_task_status(db)}")


def _downloads(db: Database) -> list[tuple[str, bytes]]:
    with db.connect() as conn:
        rows = conn.execute(
            "SELECT name, content FROM evaluations_publicationfile ORDER BY name"
        ).fetchall()
    return [(str(n), bytes(c)) for n, c in rows]


def _facts(env: dict[str, str], cwd: Path) -> dict[str, Any]:
    return dict(json.loads(run(["script:facts"], env, cwd).stdout))


def test_backup_while_a_task_runs_then_restore_finds_everything(
    databases: Any, tmp_path: Path
) -> None:
    src, dst, src_env, dst_env = databases
    run(["script:fill"], src_env, tmp_path)
    worker = subprocess.Popen(
        [str(CIMON), "worker", "--worker-id", "ops-e2e"],
        env=src_env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(src, "RUNNING")
        folder = bk.make_backup(tmp_path / "backups", src)  # as `cimon backup` does, mid-task
        assert _task_status(src) == "RUNNING", "the task ended before the backup: make it longer"
        _wait_for(src, "SUCCESSFUL")
    finally:
        worker.terminate()
        worker.wait(30)
    manifest = Manifest.read(folder)
    assert manifest.tables["submissions_evidencefile"] == 2
    assert manifest.tables["evaluations_publicationfile"] == 0  # the task had not made it yet

    verified = run(["backup", "verify", str(folder)], dst_env, tmp_path)
    assert "备份校验通过" in verified.stdout
    restored = run(["--lang", "en", "restore", str(folder)], dst_env, tmp_path)
    assert "Restored" in restored.stdout and "every SHA-256 matches" in restored.stdout
    assert _task_status(dst) == "RUNNING"  # the snapshot the backup caught mid-task

    # the restored platform's worker takes the task back (same worker id) and finishes it
    run(["worker", "--batch", "--worker-id", "ops-e2e"], dst_env, tmp_path)

    before, after = _facts(src_env, tmp_path), _facts(dst_env, tmp_path)
    for key in ("status", "evidence", "submissions", "publications"):
        assert after[key] == before[key], key
    assert [e[0] for e in after["evidence"]] == ["工作方案.pdf", "领导小组文件.pdf"]
    assert all(computed == stored for _, computed, stored in after["evidence"])
    # the download the restored platform made has the original's content (a results workbook
    # records the time it was written, so only that differs: cimon.ops.publications)
    made = [_downloads(db) for db in (src, dst)]
    assert [n for n, _ in made[0]] == [n for n, _ in made[1]] == ["annual-results-2025-zh.xlsx"]
    assert same_content(made[0][0][1], made[1][0][1])
    # and both regenerate their published version: the same results, the same workbook
    assert after["regenerated"] == before["regenerated"] == [[2025, 1, 1, [], 0]]

    status = [
        run(["data", "status", "--year", "2026"], env, tmp_path).stdout
        for env in (src_env, dst_env)
    ]
    assert status[0] == status[1] and "西吉县" not in status[0].split("未提交自评的县")[-1]

    # the same backup, damaged, is refused naming what is wrong: a row the dump lacks (the
    # manifest counted one more) after loading, one changed byte before touching anything
    path = folder / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["tables"]["submissions_evidencefile"] += 1
    path.write_text(json.dumps(data), encoding="utf-8")
    refused = run(["--lang", "en", "restore", "--force", str(folder)], dst_env, tmp_path, False)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "table submissions_evidencefile: 3 rows in the manifest, 2 restored" in refused.stderr
    dump = folder / manifest.database_file
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 3] ^= 0x40
    dump.write_bytes(bytes(damaged))
    refused = run(["backup", "verify", str(folder)], dst_env, tmp_path, False)
    assert refused.returncode == 2 and f"file {manifest.database_file} is damaged" in refused.stderr
