"""Commands of the web platform: serve, worker, manage, user add/list/password (issue #7).

Thin: each command parses its options and calls :mod:`cimon.web.serving` or
:mod:`cimon.store.accounts.services`; domain errors become a clean message and exit code 2.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from cimon.cli_options import FRAMEWORK, HELP, SQLITE_FILE, CimonGroup, login_name, output_lang


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    """Serve ``cimon.web.wsgi`` with gunicorn in this process (Ctrl+C stops it)."""
    from gunicorn.app.base import BaseApplication

    from cimon.web.wsgi import application

    class _App(BaseApplication):
        def load_config(self) -> None:
            assert self.cfg is not None
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "timeout": 120,  # a national workbook takes a while to validate
                "preload_app": True,
                "control_socket_disable": True,  # no socket under ~/.gunicorn: nothing to control
            }.items():
                if key in self.cfg.settings:  # control_socket_* exist in newer gunicorn only
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    _App().run()


@click.command(
    "serve",
    help="启动网络平台（默认内嵌 SQLite 数据库；首次启动载入演示数据并打印一次性管理员密码）/ "
    "Start the web platform (embedded SQLite by default; the first start loads the demo "
    "data and prints a one-time administrator password).",
    short_help="启动网络平台 / start the web platform",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听地址（0.0.0.0 表示本机所有网卡）/ address to listen on (0.0.0.0: every interface)",
)
@click.option("--port", default=8000, show_default=True, type=int, help="端口 / port to listen on")
@SQLITE_FILE
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="工作进程数 / number of worker processes",
)
@click.option(
    "--no-demo",
    is_flag=True,
    help="首次启动时不载入演示数据 / do not load the demo data on first start",
)
@click.option(
    "--no-worker",
    is_flag=True,
    help="不启动后台任务进程（另行运行 cimon worker 时）/ do not start the task worker (when "
    "cimon worker runs separately)",
)
@FRAMEWORK
@HELP
def serve(
    host: str,
    port: int,
    db: Path | None,
    workers: int,
    no_demo: bool,
    no_worker: bool,
    framework: str,
) -> None:
    from cimon.web import serving

    os.environ.setdefault("CIMON_FRAMEWORK", framework)
    hosts = [] if host in ("0.0.0.0", "::") else [host]
    serving.configure(db, hosts)
    prepared = serving.prepare(demo=not no_demo)
    click.echo(f"数据库 / database: {prepared.database}")
    if prepared.demo_submission is not None:
        click.echo(
            f"已载入演示数据（模拟数据）：提交 #{prepared.demo_submission}；{prepared.demo_year} "
            f"年度的报送已开放 / demo data loaded (synthetic): submission "
            f"#{prepared.demo_submission}; collection for {prepared.demo_year} is open"
        )
    elif prepared.demo_skipped:
        click.echo(prepared.demo_note())
    if prepared.admin_password:
        click.echo(
            "\n首次启动：已创建管理员账户，密码只显示这一次，请登录后立即修改。\n"
            "First start: an administrator account was created; the password is shown "
            "only this once: log in and change it.\n"
            f"  用户名 / user:     {serving.ADMIN_USERNAME}\n"
            f"  密码 / password:   {prepared.admin_password}\n"
        )
    for username, role, password in prepared.demo_accounts:  # 科技特派员 pages (#17)
        click.echo(
            f"演示账户（模拟数据）/ demo account (synthetic): {role}  "
            f"用户名 / user: {username}  密码 / password: {password}"
        )
    from django.conf import settings

    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"网址 / open: http://{shown}:{port}/  （Ctrl+C 停止 / Ctrl+C stops）")
    supervisor = None
    if not no_worker:
        from cimon.store.evaluations.tasks import default_worker_id

        wid = f"{default_worker_id()}-{port}"[:64]
        supervisor = serving.WorkerSupervisor(wid, log=lambda m: click.echo(m, err=True))
        supervisor.start()
        click.echo(f"后台任务进程 / task worker: {wid}")
    try:
        _run_gunicorn(host, port, workers)
    finally:
        if supervisor is not None:
            supervisor.stop()


@click.command(
    "worker",
    help="运行后台任务进程：评价计算、发布快照（稳健性分析与下载文件）。cimon serve 会自动启动"
    "一个；另行部署时每台机器运行一个，或用 --worker-id 区分 / Run the task worker: evaluation "
    "runs and publication snapshots (robustness and downloads). cimon serve starts one; run "
    "it yourself with --no-worker, one per machine or each with its own --worker-id.",
    short_help="后台任务进程 / the task worker",
)
@SQLITE_FILE
@click.option(
    "--worker-id",
    default="",
    help="进程标识，同时运行的进程之间须唯一（默认 cimon-主机名）；重启后接管同一标识遗留的任务 / "
    "worker id, unique among running workers (default cimon-<host>); a restarted worker "
    "takes back the tasks its id left running",
)
@click.option(
    "--batch",
    is_flag=True,
    help="只运行当前排队的任务，然后退出 / run the tasks queued now, then exit",
)
@click.option(
    "--interval",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0, 60),
    help="队列为空时的检查间隔（秒）/ seconds between looks at an empty queue",
)
@HELP
def worker(db: Path | None, worker_id: str, batch: bool, interval: float) -> None:
    from cimon.web import serving

    serving.configure(db, [])
    from cimon.store.setup import ensure_django

    ensure_django()
    from cimon.store.evaluations.tasks import work

    work(worker_id or None, batch=batch, interval=interval)


@click.command(
    "manage",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
    help="Django 管理命令（同 manage.py），例如 cimon manage check --deploy / Django's "
    "manage.py, e.g. cimon manage check --deploy.",
    short_help="Django 管理命令 / Django's manage.py",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    from cimon.web.__main__ import main as manage_main

    manage_main(list(args))


@click.group(
    "user",
    cls=CimonGroup,
    help="网络平台的用户：新建、列出、重置密码 / Users of the web platform: add, list, "
    "reset a password.",
    short_help="用户管理 / users",
)
@HELP
def user() -> None:
    pass


@user.command(
    "add",
    help="新建用户并打印其初始密码（只显示一次）/ Create a user and print its first password "
    "(shown only once).",
    short_help="新建用户 / add a user",
)
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(
        ["admin", "department", "county", "city", "expert", "viewer", "commissioner", "unit"]
    ),
    help="角色：admin 省级管理员、department 部门填报员、county 县级填报员、city 设区市科技局、"
    "expert 专家、viewer 浏览者、commissioner 科技特派员、unit 派出单位 / role",
)
@click.option("--department", default="", help="报送部门（部门填报员）/ department (clerks)")
@click.option(
    "--region", default="", help="县（市、区）名称或代码（县级填报员）/ county (county clerks)"
)
@click.option("--city", default="", help="设区市名称（设区市科技局）/ city (city bureaus)")
@click.option("--unit", default="", help="派出单位全称（派出单位账号）/ dispatching unit (units)")
@click.option(
    "--commissioner",
    type=int,
    default=None,
    help="关联的特派员编号（科技特派员账号）/ the commissioner's id (commissioner accounts)",
)
@click.option(
    "--assign",
    multiple=True,
    help="分配给专家评分的县，可重复 / county an expert scores, repeatable",
)
@click.option("--name", "display_name", default="", help="姓名（专家评分表上的姓名）/ full name")
@click.option(
    "--province",
    default="",
    help="所属省份代码（承载多个省份的平台，CIMON_PROVINCES）/ the account's province code "
    "(an instance hosting several provinces)",
)
@FRAMEWORK
@HELP
def user_add(
    username: str,
    role: str,
    department: str,
    region: str,
    city: str,
    unit: str,
    commissioner: int | None,
    assign: tuple[str, ...],
    display_name: str,
    province: str,
    framework: str,
) -> None:
    from cimon.model.framework import load_framework
    from cimon.store.setup import ensure_django

    ensure_django()
    from django.db import transaction

    from cimon.store.accounts.services import create_user
    from cimon.store.national.members import check_province, set_province
    from cimon.store.platform import platform_registry

    if province:
        check_province(province)  # before anything is written
    with transaction.atomic():  # the account and its province, or nothing
        created, password = create_user(
            username,
            role,
            framework=load_framework(framework),
            registry=platform_registry(),
            department=department,
            region=region,
            city=city,
            unit=unit,
            commissioner=commissioner,
            assign=assign,
            display_name=display_name,
            by=f"cli:{login_name()}",
        )
        if province:
            set_province(created, province, by=f"cli:{login_name()}")
    click.echo(
        f"已创建 / created: {username}\n初始密码（只显示一次）/ password (shown once): {password}"
    )


@user.command(
    "set",
    help="修改用户的角色、部门、县、专家分配的县、姓名或停用/启用账户（记入审计日志）/ "
    "Change a user's role, department, county, assigned counties, name, or disable/enable "
    "it (audited).",
    short_help="修改用户 / change a user",
)
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(
        ["admin", "department", "county", "city", "expert", "viewer", "commissioner", "unit"]
    ),
    help="新角色 / new role",
)
@click.option("--department", help="报送部门（部门填报员）/ department (clerks)")
@click.option("--region", help="县（市、区）名称或代码（县级填报员）/ county (county clerks)")
@click.option("--city", help="设区市名称（设区市科技局）/ city (city bureaus)")
@click.option("--unit", help="派出单位全称（派出单位账号）/ dispatching unit (units)")
@click.option(
    "--assign",
    multiple=True,
    help="专家评分的县，可重复；给出即替换原分配 / counties an expert scores, repeatable; "
    "replaces the assignment",
)
@click.option("--name", "display_name", help="姓名 / full name")
@click.option(
    "--active/--inactive",
    default=None,
    help="启用或停用账户（停用后不能登录）/ enable or disable the account",
)
@click.option(
    "--province",
    default=None,
    help="所属省份代码（承载多个省份的平台）/ the account's province (several provinces hosted)",
)
@FRAMEWORK
@HELP
def user_set(
    username: str,
    role: str | None,
    department: str | None,
    region: str | None,
    city: str | None,
    unit: str | None,
    assign: tuple[str, ...],
    display_name: str | None,
    active: bool | None,
    province: str | None,
    framework: str,
) -> None:
    from cimon.store.setup import ensure_django

    ensure_django()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from cimon.store.accounts.services import users_text
    from cimon.store.national.members import check_province, set_province

    if province is not None:
        check_province(province)
    with transaction.atomic():
        _update(username, framework, role, department, region, city, unit, assign,
                display_name, active)  # fmt: skip
        if province is not None:
            target = get_user_model().objects.get(username=username)
            set_province(target, province, by=f"cli:{login_name()}")
    line = next((x for x in users_text().splitlines() if x.split("\t", 1)[0] == username), username)
    click.echo(f"已修改 / changed: {line}")


def _update(
    username: str,
    framework: str,
    role: str | None,
    department: str | None,
    region: str | None,
    city: str | None,
    unit: str | None,
    assign: tuple[str, ...],
    display_name: str | None,
    active: bool | None,
) -> None:
    from cimon.model.framework import load_framework
    from cimon.store.accounts.services import update_user
    from cimon.store.platform import platform_registry

    update_user(
        username,
        framework=load_framework(framework),
        registry=platform_registry(),
        role=role,
        department=department,
        region=region,
        city=city,
        unit=unit,
        assign=assign or None,
        display_name=display_name,
        active=active,
        by=f"cli:{login_name()}",
    )


@user.command(
    "list",
    help="列出用户及其角色 / List users and their roles.",
    short_help="列出用户 / list users",
)
@HELP
@click.pass_context
def user_list(ctx: click.Context) -> None:
    from cimon.store.setup import ensure_django

    ensure_django()
    from cimon.store.accounts.services import users_text

    click.echo(users_text(output_lang(ctx)))


@user.command(
    "password",
    help="为用户生成新密码并解除锁定 / Give a user a new random password and unlock it.",
    short_help="重置密码 / reset a password",
)
@click.argument("username")
@HELP
def user_password(username: str) -> None:
    from cimon.store.setup import ensure_django

    ensure_django()
    from cimon.store.accounts.services import set_password

    pw = set_password(username, by=f"cli:{login_name()}")
    click.echo(f"新密码（只显示一次）/ new password (shown once): {pw}")
