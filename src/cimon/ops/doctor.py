"""``cimon doctor``: is this installation fit to run, and what to fix if not.

Each check returns a :class:`Finding` (ok, or a problem with what to do, in Chinese and English):
the secret key, the allowed hosts, DEBUG, the database (reachable, migrations applied), the task
worker (a ``cimon worker`` process on this machine, no task left waiting), free disk space, the
Chinese fonts of the reports, the files under the storage root (every one the rows name present
with its SHA-256: :mod:`cimon.ops.doctor_storage`) and the age of the last backup.

The backup age counts from the newest complete backup in ``CIMON_BACKUP_DIR`` (or ``--backups``),
or, when there is none, from the day the database was created (its first migration): a set-up
younger than the limit (``CIMON_BACKUP_MAX_HOURS``, default 36 hours: a nightly backup and a
margin) has no problem yet; after that, no backup is a problem.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cimon.ops.database import use_database
from cimon.ops.findings import Finding, _ok, _problem

MIN_FREE_BYTES = 1 << 30  # 1 GiB: a year of workbooks, evidence and downloads fits many times
MIN_FREE_SHARE = 0.05
WAITING_LIMIT = timedelta(minutes=10)


def load_environment(db: Path | None) -> None:
    """The environment ``cimon serve`` gives the platform, read without changing anything: the
    SQLite file (``--db``, ``CIMON_DB`` or ./cimon.sqlite3 unless ``DATABASE_URL``) and the
    secret key ``cimon serve`` keeps beside it, when ``CIMON_SECRET_KEY`` is not set."""
    if not os.environ.get("DATABASE_URL"):
        path = (db or Path(os.environ.get("CIMON_DB") or "cimon.sqlite3")).expanduser().resolve()
        use_database(path)
        secret = path.with_name(path.name + ".secret")
    else:
        secret = Path("cimon.secret").resolve()
    if not os.environ.get("CIMON_SECRET_KEY") and secret.is_file():
        os.environ["CIMON_SECRET_KEY"] = secret.read_text(encoding="ascii").strip()


def check_secret_key(settings: Any) -> Finding:
    name = ("密钥", "secret key")
    from django.core.exceptions import ImproperlyConfigured

    try:
        key = str(settings.SECRET_KEY or "")
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        key = ""
    fix_zh = (
        '设置环境变量 CIMON_SECRET_KEY 为至少 50 个随机字符（python -c "import secrets; '
        'print(secrets.token_urlsafe(64))"），并重启服务。'
    )
    fix_en = (
        'set CIMON_SECRET_KEY to at least 50 random characters (python -c "import secrets; '
        'print(secrets.token_urlsafe(64))") and restart the service.'
    )
    if not key:
        return _problem(*name, "未设置", "not set", fix_zh, fix_en)
    if len(key) < 50 or key.startswith("django-insecure"):
        return _problem(
            *name, "太短或是开发用密钥", "too short or a development key", fix_zh, fix_en
        )
    return _ok(*name, "已设置", "set")


def check_allowed_hosts(settings: Any) -> Finding:
    name = ("允许的主机名", "allowed hosts")
    hosts = list(settings.ALLOWED_HOSTS or [])
    if not hosts or "*" in hosts:
        return _problem(
            *name,
            "未限定（" + (", ".join(hosts) or "空") + "）",
            "not restricted (" + (", ".join(hosts) or "empty") + ")",
            "把 CIMON_ALLOWED_HOSTS 设为服务器的域名，如 kjt.example.gov.cn。",
            "set CIMON_ALLOWED_HOSTS to the server's host names, e.g. kjt.example.gov.cn.",
        )
    return _ok(*name, ", ".join(hosts), ", ".join(hosts))


def check_debug(settings: Any) -> Finding:
    name = ("调试模式", "DEBUG")
    if settings.DEBUG:
        return _problem(
            *name,
            "已开启：出错页面会向访问者显示源代码和配置",
            "on: error pages show source code and settings to visitors",
            "去掉环境变量 CIMON_DEBUG（或设为 0）并重启服务。",
            "unset CIMON_DEBUG (or set it to 0) and restart the service.",
        )
    return _ok(*name, "已关闭", "off")


def check_database() -> list[Finding]:
    """Reachable, and every migration of this release applied."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    from cimon.store.setup import database_label

    name = ("数据库", "database")
    label = database_label()
    if connection.vendor == "sqlite" and not Path(label).is_file():  # do not create it
        return [
            _problem(
                *name,
                f"SQLite 数据库文件 {label} 不存在",
                f"the SQLite database file {label} does not exist",
                "用 --db 或 CIMON_DB 指向平台的数据库文件；新安装先运行 cimon serve 或 "
                "cimon manage migrate。",
                "point --db or CIMON_DB at the platform's database file; a new installation "
                "runs cimon serve or cimon manage migrate first.",
            )
        ]
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        return [
            _problem(
                *name,
                f"无法连接 {label}：{exc}",
                f"cannot connect to {label}: {exc}",
                "检查 DATABASE_URL（或 --db / CIMON_DB）以及数据库服务是否运行。",
                "check DATABASE_URL (or --db / CIMON_DB) and that the database server runs.",
            )
        ]
    found = [_ok(*name, f"可连接 {label}", f"reachable at {label}")]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    mig = ("数据库迁移", "migrations")
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        found.append(
            _problem(
                *mig,
                f"{len(plan)} 个未执行（{names}）",
                f"{len(plan)} not applied ({names})",
                "运行 cimon manage migrate（升级后必须执行），然后重启服务。",
                "run cimon manage migrate (needed after every upgrade), then restart the service.",
            )
        )
    else:
        found.append(_ok(*mig, "已全部执行", "all applied"))
    return found


def worker_processes(proc: Path = Path("/proc")) -> list[int]:
    """Ids of the ``cimon worker`` processes running on this machine (Linux ``/proc``)."""
    found = []
    for entry in proc.iterdir() if proc.is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            args = [
                a.decode("utf-8", "replace") for a in (entry / "cmdline").read_bytes().split(b"\0")
            ]
            state = (entry / "stat").read_text().split(") ", 1)[1][:1]
        except (OSError, IndexError):
            continue
        if state == "Z":
            continue
        for i, arg in enumerate(args):
            is_cimon = Path(arg).name == "cimon" or (arg == "cimon" and i and args[i - 1] == "-m")
            if is_cimon and "worker" in args[i + 1 : i + 2]:
                found.append(int(entry.name))
                break
    return sorted(found)


def check_worker(now: datetime, processes: Callable[[], list[int]] = worker_processes) -> Finding:
    """A worker runs on this machine and no task has waited longer than 10 minutes."""
    from django.db import DatabaseError
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    name = ("后台任务进程", "task worker")
    try:
        late = now - WAITING_LIMIT  # due for over 10 minutes (a task may be due later)
        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, enqueued_at__lt=late, run_after__lt=late
        ).count()
    except DatabaseError:
        waiting = 0  # the database check reports it
    pids = processes()
    fix_zh = (
        "启动后台任务进程：systemctl start cimon-worker（按 docs/deployment.md 部署时），或运行 "
        "cimon worker；cimon serve 会自动启动一个。"
    )
    fix_en = (
        "start the task worker: systemctl start cimon-worker (deployed as docs/deployment.md "
        "says), or run cimon worker; cimon serve starts one itself."
    )
    if not pids:
        return _problem(
            *name,
            "本机没有运行 cimon worker",
            "no cimon worker runs on this machine",
            fix_zh,
            fix_en,
        )
    if waiting:
        return _problem(
            *name,
            f"有 {waiting} 个任务已等待超过 10 分钟，进程（{pids}）没有处理",
            f"{waiting} task(s) have waited over 10 minutes; the worker ({pids}) is not taking them",
            "查看日志 journalctl -u cimon-worker，然后重启：systemctl restart cimon-worker。",
            "read its log (journalctl -u cimon-worker), then restart it: systemctl restart "
            "cimon-worker.",
        )
    pid_list = ", ".join(map(str, pids))
    return _ok(*name, f"运行中（进程 {pid_list}）", f"running (process {pid_list})")


def check_disk(paths: list[Path]) -> list[Finding]:
    """At least 1 GiB and 5 % free where the database and the backups are written."""
    found = []
    for path in dict.fromkeys(paths):
        probe = path
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        usage = shutil.disk_usage(probe)
        free_gb = usage.free / (1 << 30)
        name = (f"磁盘空间（{path}）", f"disk space ({path})")
        if usage.free < MIN_FREE_BYTES or usage.free < usage.total * MIN_FREE_SHARE:
            found.append(
                _problem(
                    *name,
                    f"只剩 {free_gb:.1f} GiB（{usage.free / usage.total:.0%}）",
                    f"only {free_gb:.1f} GiB free ({usage.free / usage.total:.0%})",
                    "清理或扩容磁盘；旧备份按 --keep-daily/--keep-monthly 自动删除，可调小。",
                    "free or add disk space; old backups are pruned by --keep-daily/"
                    "--keep-monthly, which can be lowered.",
                )
            )
        else:
            found.append(_ok(*name, f"可用 {free_gb:.1f} GiB", f"{free_gb:.1f} GiB free"))
    return found


def check_fonts() -> Finding:
    from cimon.errors import CimonError
    from cimon.reports.annual.fonts import font_files

    name = ("中文字体", "Chinese fonts")
    try:
        files = font_files()
    except CimonError as exc:
        return _problem(
            *name,
            exc.zh,
            exc.en,
            "重新安装 cimon（pip install --force-reinstall cimon）。",
            "reinstall cimon (pip install --force-reinstall cimon).",
        )
    return _ok(*name, "已安装", "installed: " + ", ".join(p.name for p in files.values()))


def database_created() -> datetime | None:
    """When the database was set up: the time its first migration was applied."""
    from django.db import DatabaseError
    from django.db.migrations.recorder import MigrationRecorder

    try:
        first = MigrationRecorder.Migration.objects.order_by("applied").first()
    except DatabaseError:
        return None
    return first.applied if first is not None else None


def check_backup(backup_dir: Path | None, now: datetime, max_age: timedelta) -> Finding:
    from cimon.ops.backup import newest

    name = ("备份", "backups")
    hours = max_age.total_seconds() / 3600
    fix_zh = (
        "启用每晚备份：systemctl enable --now cimon-backup.timer（见 docs/deployment.md），"
        "并设置 CIMON_BACKUP_DIR；或立即运行 cimon backup --out 备份目录。"
    )
    fix_en = (
        "turn on the nightly backup: systemctl enable --now cimon-backup.timer (see "
        "docs/deployment.md) and set CIMON_BACKUP_DIR; or run cimon backup --out DIR now."
    )
    last = newest(backup_dir) if backup_dir else None
    if last is not None:
        age = now - last.taken
        text = (
            f"最近一次 {last.taken:%Y-%m-%d %H:%M} UTC（{age.total_seconds() / 3600:.0f} 小时前）"
        )
        text_en = (
            f"last one {last.taken:%Y-%m-%d %H:%M} UTC ({age.total_seconds() / 3600:.0f} hours ago)"
        )
        if age > max_age:
            return _problem(
                *name,
                f"{text}，超过 {hours:.0f} 小时",
                f"{text_en}, older than {hours:.0f} hours",
                fix_zh,
                fix_en,
            )
        return _ok(*name, f"{text}，位于 {last.path.parent}", f"{text_en}, in {last.path.parent}")
    where = str(backup_dir) if backup_dir else "未设置 CIMON_BACKUP_DIR"
    where_en = str(backup_dir) if backup_dir else "CIMON_BACKUP_DIR not set"
    created = database_created()
    if created is not None and now - created <= max_age:
        due = created + max_age
        return _ok(
            *name,
            f"尚无备份（{where}）；数据库新建，请在 {due:%Y-%m-%d %H:%M} UTC 前完成第一次备份",
            f"none yet ({where_en}); the database is new: take the first by {due:%Y-%m-%d %H:%M} UTC",
        )
    return _problem(
        *name,
        f"超过 {hours:.0f} 小时没有备份（{where}）",
        f"no backup for over {hours:.0f} hours ({where_en})",
        fix_zh,
        fix_en,
    )


def check_publications() -> list[Finding]:
    """Every published version regenerates bit for bit (:mod:`cimon.ops.publications`)."""
    from cimon.ops.publications import regenerate_all

    found = []
    for r in regenerate_all():
        name = (f"{r.year} 年度第 {r.version} 版", f"{r.year} version {r.version}")
        if r.ok:
            made = r.files - r.earlier_layout
            older_zh = (
                f"；{r.earlier_layout} 个为早期版式，按存储原样提供，校验值一致"
                if r.earlier_layout
                else ""
            )
            older_en = (
                f"; {r.earlier_layout} of an earlier layout, served as stored, hash verified"
                if r.earlier_layout
                else ""
            )
            found.append(
                _ok(
                    *name,
                    f"结果重算一致；{made} 个下载文件重新生成，内容一致（{r.identical} 个逐字节"
                    f"相同，其余仅生成时间不同）{older_zh}",
                    f"results reproduced; {made} download(s) made again with the same content "
                    f"({r.identical} byte for byte, the others differ only in the time of making)"
                    f"{older_en}",
                )
            )
        else:
            found.append(
                _problem(
                    *name,
                    "；".join(p[0] for p in r.problems),
                    "; ".join(p[1] for p in r.problems),
                    "不要重新发布：用旧版本运行 cimon doctor --publications 确认，并报告这个差异。",
                    "do not republish: confirm with the previous release and report the "
                    "difference.",
                )
            )
    return found


def backup_settings() -> tuple[Path | None, timedelta]:
    """``CIMON_BACKUP_DIR`` and ``CIMON_BACKUP_MAX_HOURS`` from the settings."""
    from django.conf import settings

    folder = str(getattr(settings, "CIMON_BACKUP_DIR", "") or "")
    hours = float(getattr(settings, "CIMON_BACKUP_MAX_HOURS", 36) or 36)
    return (Path(folder).expanduser() if folder else None), timedelta(hours=hours)


def run_checks(
    *,
    backup_dir: Path | None = None,
    now: datetime | None = None,
    processes: Callable[[], list[int]] = worker_processes,
    publications: bool = False,
) -> list[Finding]:
    """Every check, in the order printed."""
    from django.core.exceptions import ImproperlyConfigured

    from cimon.store.setup import ensure_django

    try:
        ensure_django(migrate=False)
    except ImproperlyConfigured as exc:  # e.g. production settings without a secret key
        return [
            _problem(
                "配置",
                "settings",
                str(exc),
                str(exc),
                "按上面的提示设置环境变量（部署时在 /etc/cimon/cimon.env），然后重试。",
                "set the environment variable the message names (deployed: in "
                "/etc/cimon/cimon.env) and try again.",
            )
        ]
    from django.conf import settings
    from django.db import connection

    now = now or datetime.now(UTC)
    configured, max_age = backup_settings()
    backup_dir = (
        (backup_dir or configured or Path()).resolve() if backup_dir or configured else None
    )
    found = [check_secret_key(settings), check_allowed_hosts(settings), check_debug(settings)]
    db = check_database()
    found += db
    reachable = db[0].ok
    if reachable:
        found.append(check_worker(now, processes))
    disk = [Path(connection.settings_dict["NAME"]).parent] if connection.vendor == "sqlite" else []
    found += check_disk(disk + ([backup_dir] if backup_dir else []) or [Path.cwd()])
    found.append(check_fonts())
    if reachable:
        from cimon.ops.doctor_storage import check_storage

        found.append(check_storage())
        found.append(check_backup(backup_dir, now, max_age))
    if reachable and publications:
        found += check_publications()
    return found


def render(found: list[Finding], lang: str = "zh") -> str:
    bad = sum(not f.ok for f in found)
    lines = [f.render(lang) for f in found]
    if lang == "en":
        lines.append(f"\n{bad} problem(s) to fix." if bad else "\nNo problems found.")
    else:
        lines.append(f"\n发现 {bad} 个问题，请按上面的办法处理。" if bad else "\n未发现问题。")
    return "\n".join(lines)
