"""What ``cimon serve`` does before the server starts: a secret key, the database, the demo data
and the first administrator. Library code, so that tests can run it without a server.

First start (a database without users): the demo panel is imported (unless ``demo=False`` or
the database already holds submissions, e.g. from ``cimon import``),
deadlines are set for the next evaluation year, and a user ``admin`` with a random password is
created; the password is returned to be printed once and is stored only as an Argon2 hash.

The server runs with a task worker beside it (:class:`WorkerSupervisor`): evaluation runs and
the snapshots of publications are background tasks (:mod:`cimon.store.evaluations.tasks`).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from cimon.model.regions import COUNTY_DEPARTMENT

ADMIN_USERNAME = "admin"


# why the demo was not loaded: the message ``cimon serve`` prints (Chinese / English)
DEMO_SKIPPED = {
    "users": (
        "未载入演示数据：数据库已有用户（不是首次启动），演示数据只在首次启动时载入",
        "demo data not loaded: the database already has users (not the first start); the demo "
        "is loaded only on the first start",
    ),
    "submissions": (
        "未载入演示数据：数据库中已有报送数据，演示数据不会与真实数据混在一起",
        "demo data not loaded: the database already holds submissions, and the demo is never "
        "mixed into real data",
    ),
    "flag": (
        "未载入演示数据：启动时指定了 --no-demo",
        "demo data not loaded: --no-demo was given",
    ),
}


@dataclass
class Prepared:
    database: str
    admin_password: str | None = None  # only on first start
    demo_submission: int | None = None
    demo_year: int | None = None
    demo_skipped: str | None = None  # a key of DEMO_SKIPPED when the demo was not loaded
    #: (user name, role, password) of the demo accounts of the 科技特派员 roles (#17)
    demo_accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def demo_note(self) -> str:
        """Why the demo data were not loaded, in Chinese and English ("" when they were)."""
        if self.demo_skipped is None:
            return ""
        zh, en = DEMO_SKIPPED[self.demo_skipped]
        return f"{zh} / {en}"


def secret_key(db_path: Path | None) -> str:
    """``CIMON_SECRET_KEY`` if set, else a random key kept (mode 0600) in a file beside the SQLite
    database (``<db>.secret``) or, on PostgreSQL, ``./cimon.secret``; made on first use."""
    key = os.environ.get("CIMON_SECRET_KEY", "").strip()
    if key:
        return key
    path = (
        db_path.with_name(db_path.name + ".secret") if db_path else Path("cimon.secret").resolve()
    )
    if path.is_file():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(64)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key


def configure(db: Path | None, hosts: list[str]) -> Path | None:
    """Set the environment the settings read, before Django starts: the SQLite file (unless
    ``DATABASE_URL`` is set), the secret key and the allowed hosts, and the web's settings
    (unless ``DJANGO_SETTINGS_MODULE`` names others). Returns the SQLite path."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cimon.web.settings")
    db_path: Path | None = None
    if not os.environ.get("DATABASE_URL"):
        db_path = (db or Path(os.environ.get("CIMON_DB") or "cimon.sqlite3")).expanduser()
        db_path = db_path.resolve()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["CIMON_DB"] = str(db_path)
    os.environ["CIMON_SECRET_KEY"] = secret_key(db_path)
    if not os.environ.get("CIMON_ALLOWED_HOSTS"):
        os.environ["CIMON_ALLOWED_HOSTS"] = ",".join(
            dict.fromkeys([*hosts, "localhost", "127.0.0.1"])
        )
    return db_path


def prepare(*, demo: bool = True) -> Prepared:
    """Migrate; on first start load the demo and create the administrator (module docstring)."""
    from cimon.store.setup import database_label, ensure_django

    ensure_django()
    from django.contrib.auth import get_user_model

    out = Prepared(database_label())
    if get_user_model().objects.exists():
        out.demo_skipped = "users"
        return out
    from cimon.store.submissions.models import Submission

    if not demo:
        out.demo_skipped = "flag"
    elif Submission.objects.exists():  # never mix the demo into real data
        out.demo_skipped = "submissions"
    else:
        out.demo_submission, out.demo_year = load_demo()
    from cimon.store.accounts.models import ADMIN
    from cimon.store.accounts.services import create_user
    from cimon.store.platform import platform_framework, platform_registry

    _, out.admin_password = create_user(
        ADMIN_USERNAME,
        ADMIN,
        framework=platform_framework(),
        registry=platform_registry(),
        display_name="省级管理员",
        by="cimon serve",
    )
    if out.demo_skipped is None:  # the demo was loaded
        from cimon.web.commissioners.demo import demo_accounts

        out.demo_accounts = demo_accounts()  # a 派出单位 and a 科技特派员 to try the pages
    return out


def load_demo(*, modules: bool = True) -> tuple[int | None, int]:
    """Import the shipped synthetic demo panel (as ``cimon demo`` does) and set deadlines for
    the evaluation year after it, so that the status board shows an open collection.

    ``modules=False`` loads only what an evaluation reads (the panel, the registries, the
    deadlines, the 创新管理 items), not the libraries, 科技特派员, calls, programmes and national
    demos (the bundled framework counts nothing from them): most of the time, for tests of the
    evaluation workflow and its pages."""
    from django.utils import timezone

    from cimon.data.demo import shipped_path
    from cimon.store import audit
    from cimon.store.platform import platform_framework, platform_registry
    from cimon.store.submissions.models import Deadline
    from cimon.store.submissions.services import import_file

    fw = platform_framework()
    result = import_file(
        shipped_path(),
        framework=fw,
        registry=platform_registry(),
        user="demo",
        accept_warnings=True,
        note="模拟数据 / synthetic demo data",
    )
    data_years = [r.year for r in result.parsed.records] if result.parsed else []
    from cimon.store.registry.demo import load_demo_registry

    load_demo_registry(
        platform_registry().codes, sorted(set(data_years)) or [timezone.localdate().year - 1]
    )
    year = (max(data_years) if data_years else timezone.localdate().year - 1) + fw.data_lag + 1
    from cimon.store.libraries.demo import load_demo_libraries

    if modules:
        load_demo_libraries(platform_registry().codes, year - fw.data_lag - 1)  # #18
        from cimon.store.commissioners.demo import load_demo_commissioners

        load_demo_commissioners(platform_registry().codes)  # 科技特派员 (#17)
        from cimon.store.libraries.call_demo import load_demo_calls

        load_demo_calls(platform_registry().codes, year - fw.data_lag - 1)  # 揭榜挂帅, 成果征集
    today = timezone.localdate()
    for i, dept in enumerate(fw.departments):
        due = today + timedelta(days=14 + 7 * (dept == COUNTY_DEPARTMENT) + i % 2)
        Deadline.objects.update_or_create(
            evaluation_year=year, department=dept, defaults={"due": due, "note": "demo"}
        )
    from cimon.store.evidence.demo import load_demo_evidence

    load_demo_evidence(year - fw.data_lag, platform_registry())  # 创新管理 items (#16)
    from cimon.store.programmes.demo import load_demo_programmes

    if modules:
        load_demo_programmes(platform_registry().codes, today)  # programmes (#19)
        from cimon.store.national.demo import load_demo as load_demo_national

        load_demo_national()  # simulated provinces' published results (#20)
    audit.record("cimon serve", "demo.loaded", "submission", result.submission_id, year=year)
    return result.submission_id, year


def _stop_with_parent() -> Any:
    """A ``preexec_fn`` asking Linux to send the child SIGTERM when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``); ``None`` elsewhere. libc is loaded here, before the fork,
    so the child runs one C call and nothing that could take a lock."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import ctypes.util
    import signal

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1

    def child() -> None:
        prctl(pr_set_pdeathsig, int(signal.SIGTERM))

    return child


class WorkerSupervisor:
    """The task worker of ``cimon serve``: a ``cimon worker`` child process, started with the
    server, started again if it dies (after 1 s, then up to 60 s between attempts while it keeps
    dying at once) and stopped with the server. The child inherits the environment
    :func:`configure` set (the database); on start it takes back what an earlier worker with its
    id left running (:func:`cimon.store.evaluations.tasks.requeue_orphans`)."""

    def __init__(self, worker_id: str, *, log: Any = None) -> None:
        import threading

        self.worker_id = worker_id
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.spawned_at = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="cimon-worker", daemon=True)
        self._log = log or (lambda message: None)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "cimon", "worker", "--worker-id", self.worker_id]

    def _spawn(self) -> None:
        # its own session: Ctrl+C in the terminal reaches the server, which then stops the
        # worker (stop()) instead of racing the watcher; on Linux the kernel also stops it if
        # the server dies without cleaning up (SIGKILL)
        self.process = subprocess.Popen(
            self.command(), start_new_session=True, preexec_fn=_stop_with_parent()
        )
        self.spawned_at = time.monotonic()
        self.starts += 1

    def start(self) -> WorkerSupervisor:
        self._spawn()
        self._thread.start()
        return self

    def _watch(self) -> None:
        delay = 1.0
        while not self._stop.wait(0.5):
            proc = self.process
            if proc is None or proc.poll() is None:
                continue
            if time.monotonic() - self.spawned_at > 60:
                delay = 1.0  # it had been running a while: restart at once
            self._log(
                f"后台任务进程已退出（代码 {proc.returncode}），{delay:.0f} 秒后重启 / the task "
                f"worker exited (code {proc.returncode}); restarting in {delay:.0f} s"
            )
            if self._stop.wait(delay):
                return
            self._spawn()
            delay = min(delay * 2, 60.0)

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to stop (SIGTERM: it finishes the task in hand); kill it after
        ``timeout`` seconds (the task is then queued again when a worker starts next)."""
        self._stop.set()
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
