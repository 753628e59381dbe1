"""``cimon serve`` for real (a gunicorn process and its task worker on a free port),
``cimon user`` and ``cimon manage``."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from cimon.cli import main

CIMON = Path(sys.executable).parent / "cimon"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIMON_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env["HOME"] = str(tmp_path)  # gunicorn keeps its control socket under ~/.gunicorn
    return env


def _serve(tmp_path: Path, port: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            str(CIMON),
            "serve",
            "--port",
            str(port),
            "--db",
            str(tmp_path / "web.sqlite3"),
            "--workers",
            "1",
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 90
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Booting worker" in line:
            break
    return proc, "".join(lines)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()


def _get(opener: urllib.request.OpenerDirector, url: str) -> str:
    for _ in range(50):
        try:
            with opener.open(url, timeout=10) as r:
                return str(r.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url}")


def _alive(pid: int | str) -> bool:
    """A running process (not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _pids(worker_id: str) -> list[int]:
    """Process ids of the running ``cimon worker --worker-id <worker_id>`` processes."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in cmd and worker_id.encode() in cmd and _alive(entry.name):
            out.append(int(entry.name))
    return sorted(out)


def _run_and_wait(opener: urllib.request.OpenerDirector, base: str, year: int) -> None:
    """Start the evaluation of ``year`` through the page and wait for the worker to finish it."""
    page = _get(opener, f"{base}/evaluations/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    body = urllib.parse.urlencode({"year": year, "csrfmiddlewaretoken": token.group(1)}).encode()
    with opener.open(urllib.request.Request(f"{base}/evaluations/run/", data=body)) as r:
        url = r.geturl()  # redirected to the evaluation's page
    pk = re.search(r"/evaluations/(\d+)/", url)
    assert pk, url
    deadline = time.monotonic() + 60
    box = ""
    while time.monotonic() < deadline:
        box = _get(opener, f"{base}/evaluations/{pk.group(1)}/progress/")
        if "100%" in box:
            return
        time.sleep(0.3)
    raise AssertionError(f"the worker did not run evaluation {pk.group(1)}: {box}")


def test_serve_first_start_prints_a_working_one_time_login(tmp_path: Path) -> None:
    port = _free_port()
    proc, out = _serve(tmp_path, port)
    try:
        m = re.search(r"密码 / password:\s+(\S+)", out)
        assert m, out
        password = m.group(1)
        assert "已载入演示数据" in out and "2026" in out
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{port}"
        page = _get(opener, f"{base}/accounts/login/")
        assert "登录" in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        body = urllib.parse.urlencode(
            {"username": "admin", "password": password, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        req = urllib.request.Request(
            f"{base}/accounts/login/", data=body, headers={"Referer": f"{base}/accounts/login/"}
        )
        with opener.open(req, timeout=30) as r:
            board = r.read().decode("utf-8")
        assert "报送情况" in board and "2026" in board  # admins land on the status board
        css = _get(opener, f"{base}/static/cimon/cimon.css")
        assert "--accent" in css

        # an evaluation run goes to the task worker that serve started …
        m = re.search(r"后台任务进程 / task worker: (\S+)", out)
        assert m, out
        worker_id = m.group(1)
        first = _pids(worker_id)
        assert len(first) == 1, first
        _run_and_wait(opener, base, 2025)
        # … which serve starts again when it dies (killed: no chance to clean up)
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while (_pids(worker_id) or first) == first and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _pids(worker_id) and _pids(worker_id) != first
        _run_and_wait(opener, base, 2024)
        second = _pids(worker_id)
    finally:
        _stop(proc)
    time.sleep(0.5)
    assert not any(_alive(pid) for pid in second)  # stopped with the server
    assert password not in (tmp_path / "web.sqlite3").read_bytes().decode("latin-1")
    # a second start prints no password and loads nothing again
    proc, out = _serve(tmp_path, _free_port())
    _stop(proc)
    assert "password" not in out and "已载入演示数据" not in out
    assert "未载入演示数据：数据库已有用户" in out  # and it says why, in both languages
    assert "demo data not loaded: the database already has users" in out


@pytest.mark.django_db
def test_user_add_list_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(
        main,
        ["user", "add", "xiji", "--role", "county", "--region", "西吉县"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    pw = re.search(r"password \(shown once\): (\S+)", r.output)
    assert pw
    r = runner.invoke(main, ["user", "add", "bad", "--role", "department"])
    assert r.exit_code == 2 and "报送部门" in r.output and "department" in r.output
    r = runner.invoke(main, ["user", "add", "guyuan", "--role", "city", "--city", "固原市"])
    assert r.exit_code == 0, r.output
    from cimon.store.commissioners import services as cs

    cs.create_unit(None, "宁夏大学", "university")  # #17: unit and commissioner accounts
    r = runner.invoke(main, ["user", "add", "nd", "--role", "unit", "--unit", "宁夏大学"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["user", "add", "nd2", "--role", "unit", "--unit", "某大学"])
    assert r.exit_code != 0 and "--unit" in r.output
    r = runner.invoke(main, ["user", "add", "wang", "--role", "commissioner"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["--lang", "en", "user", "list"])
    assert "nd\tDispatching unit\t宁夏大学" in r.output
    assert "wang\tScience and technology commissioner" in r.output
    assert "xiji\tCounty clerk\t640422" in r.output
    assert "guyuan\tCity science bureau\t固原市" in r.output
    r = runner.invoke(main, ["user", "set", "xiji", "--inactive"])
    assert r.exit_code == 0 and "已修改 / changed: xiji" in r.output, r.output
    r = runner.invoke(main, ["user", "password", "xiji"])
    assert r.exit_code == 0 and "new password" in r.output
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="xiji")
    assert not user.check_password(pw.group(1))


def test_manage_is_django_manage_py(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env["CIMON_DB"] = str(tmp_path / "m.sqlite3")
    r = subprocess.run(
        [str(CIMON), "manage", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0 and "no issues" in r.stdout


_QUEUE_A_RUN_LEFT_RUNNING = """
from cimon.store.setup import ensure_django
ensure_django()
from django_tasks_db.models import DBTaskResult
from cimon.model.framework import load_framework
from cimon.model.regions import default_registry
from cimon.store.accounts.services import create_user
from cimon.web.evaluations import services as wf
from cimon.store.evaluations.models import Evaluation
from cimon.web.serving import load_demo
load_demo()
admin, _ = create_user("admin", "admin", framework=load_framework("nx-2021"),
                       registry=default_registry(), password="worker-test-password")
ev = wf.start(admin, 2025)
# what a worker killed in the middle of the run leaves behind
DBTaskResult.objects.get(id=ev.task_id).claim("w-1")
Evaluation.objects.filter(pk=ev.pk).update(status="running", progress=40)
print(ev.pk)
"""


def test_worker_takes_back_the_run_its_id_left_running(tmp_path: Path) -> None:
    """``cimon worker --batch`` in its own process: the run a killed worker of the same id left
    "running" is queued again and done; then the worker exits."""
    import sqlite3

    env = _env(tmp_path)
    db = tmp_path / "w.sqlite3"
    env["CIMON_DB"] = str(db)
    made = subprocess.run(
        [sys.executable, "-c", _QUEUE_A_RUN_LEFT_RUNNING],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    pk = int(made.stdout.split()[-1])
    r = subprocess.run(
        [str(CIMON), "worker", "--db", str(db), "--worker-id", "w-1", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    with sqlite3.connect(db) as con:
        status, progress = con.execute(
            "SELECT status, progress FROM evaluations_evaluation WHERE id = ?", (pk,)
        ).fetchone()
        tasks = con.execute(
            "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
            "ORDER BY enqueued_at"
        ).fetchall()
    assert (status, progress) == ("review", 100)
    assert tasks == [
        ("FAILED", "cimon.store.evaluations.tasks.WorkerStopped"),
        ("SUCCESSFUL", ""),
    ]
