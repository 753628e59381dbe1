"""``cimon doctor``: each check on its own (the database of the tests), and the command on a
real ``cimon serve`` set-up: no problem when fresh; DEBUG on, or no backup for two days, is a
problem and exit code 2."""

from __future__ import annotations

import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cimon.ops import doctor as dr
from cimon.ops.backup import STAMP
from cimon.ops.manifest import MANIFEST

from .conftest import CIMON, platform_env, run

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _fake_backup(out: Path, when: datetime) -> Path:
    folder = out / f"cimon-{when.strftime(STAMP)}"
    folder.mkdir(parents=True)
    (folder / MANIFEST).write_text("{}", encoding="utf-8")
    return folder


def test_settings_checks() -> None:
    from types import SimpleNamespace

    settings = SimpleNamespace()
    settings.DEBUG = True
    found = dr.check_debug(settings)
    assert not found.ok and "CIMON_DEBUG" in found.fix_zh and "CIMON_DEBUG" in found.fix_en
    settings.DEBUG = False
    assert dr.check_debug(settings).ok
    settings.ALLOWED_HOSTS = ["*"]
    assert not dr.check_allowed_hosts(settings).ok
    settings.ALLOWED_HOSTS = ["kjt.example.gov.cn"]
    assert dr.check_allowed_hosts(settings).ok
    settings.SECRET_KEY = "django-insecure-" + "x" * 60
    assert not dr.check_secret_key(settings).ok
    settings.SECRET_KEY = "short"
    assert "50" in dr.check_secret_key(settings).fix_en
    settings.SECRET_KEY = "k" * 64
    assert dr.check_secret_key(settings).ok


@pytest.mark.django_db
def test_backup_age(tmp_path: Path) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    limit = timedelta(hours=36)
    out = tmp_path / "backups"
    _fake_backup(out, NOW - timedelta(hours=2))
    assert dr.check_backup(out, NOW, limit).ok
    assert not dr.check_backup(out, NOW + timedelta(days=2), limit).ok
    text = dr.check_backup(out, NOW + timedelta(days=2), limit).render("zh")
    assert "✗ 备份" in text and "超过 36 小时" in text and "cimon-backup.timer" in text
    # no backup at all: fine while the database is new, a problem once it is two days old
    empty = tmp_path / "none"
    MigrationRecorder.Migration.objects.update(applied=NOW - timedelta(hours=1))
    assert dr.check_backup(empty, NOW, limit).ok
    assert dr.check_backup(None, NOW, limit).ok
    MigrationRecorder.Migration.objects.update(applied=NOW - timedelta(days=2))
    late = dr.check_backup(None, NOW, limit)
    assert not late.ok and "no backup for over 36 hours" in late.en


@pytest.mark.django_db
def test_worker_check() -> None:
    from django_tasks_db.models import DBTaskResult

    from cimon.store.evaluations.tasks import enqueue_publication

    assert not dr.check_worker(NOW, lambda: []).ok
    assert dr.check_worker(datetime.now(UTC), lambda: [4242]).ok
    enqueue_publication(1)
    ago = datetime.now(UTC) - timedelta(minutes=20)
    DBTaskResult.objects.update(enqueued_at=ago, run_after=ago)
    stuck = dr.check_worker(datetime.now(UTC), lambda: [4242])
    assert not stuck.ok and "1 task(s) have waited over 10 minutes" in stuck.en


def test_worker_processes_reads_proc(tmp_path: Path) -> None:
    def proc(pid: int, *args: str, state: str = "S") -> None:
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "cmdline").write_bytes(b"\0".join(a.encode() for a in args) + b"\0")
        (tmp_path / str(pid) / "stat").write_text(f"{pid} (python3) {state} 1 2 3")

    proc(10, "/usr/bin/python3", "-m", "cimon", "worker", "--worker-id", "x")
    proc(11, "/opt/cimon/venv/bin/python", "/opt/cimon/venv/bin/cimon", "worker")
    proc(12, "/opt/cimon/venv/bin/cimon", "serve")
    proc(13, "/usr/bin/python3", "-m", "cimon", "worker", state="Z")
    proc(14, "vim", "worker")
    (tmp_path / "self").mkdir()
    assert dr.worker_processes(tmp_path) == [10, 11]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_doctor_on_a_fresh_serve_then_with_debug_on_or_an_old_backup(tmp_path: Path) -> None:
    db = tmp_path / "web.sqlite3"
    env = platform_env(tmp_path)
    serve = subprocess.Popen(
        [str(CIMON), "serve", "--port", str(_free_port()), "--db", str(db), "--workers", "1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert serve.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = serve.stdout.readline()
            if not line or "Booting worker" in line:
                break
        time.sleep(1)  # the task worker beside it starts too
        fresh = run(["doctor", "--db", str(db)], env, tmp_path, check=False)
        assert fresh.returncode == 0, fresh.stdout + fresh.stderr
        assert "未发现问题" in fresh.stdout and "✗" not in fresh.stdout
        assert "✓ 后台任务进程" in fresh.stdout and "✓ 备份" in fresh.stdout

        debug = run(
            ["--lang", "en", "doctor", "--db", str(db)],
            {**env, "CIMON_DEBUG": "1"},
            tmp_path,
            check=False,
        )
        assert debug.returncode == 2 and "✗ DEBUG: on" in debug.stdout
        assert "unset CIMON_DEBUG" in debug.stdout

        old = _fake_backup(tmp_path / "backups", datetime.now(UTC) - timedelta(days=2))
        stale = run(
            ["doctor", "--db", str(db), "--backups", str(old.parent)], env, tmp_path, check=False
        )
        assert stale.returncode == 2 and "✗ 备份" in stale.stdout, stale.stdout
        assert "发现 1 个问题" in stale.stdout
    finally:
        serve.terminate()
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            serve.kill()
