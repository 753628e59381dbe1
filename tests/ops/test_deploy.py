"""The files of deploy/ agree with each other and with the application: every ``cimon``
command a unit starts parses as that command, gunicorn's options parse as gunicorn's, nginx's
upload limit is the application's, its static folder is where collectstatic writes, and its
upstream is where gunicorn listens. (``nginx -t`` runs too when nginx is installed.)"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from django.conf import settings

from cimon.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/cimon/venv/bin/"
UNITS = ["cimon-web.service", "cimon-worker.service", "cimon-backup.service"]


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file: ``{section: {key: [values]}}`` (keys may repeat)."""
    out: dict[str, dict[str, list[str]]] = {}
    section = ""
    for line in (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            out[section] = {}
            continue
        key, _, value = line.partition("=")
        out[section].setdefault(key.strip(), []).append(value.strip())
    return out


def environment() -> dict[str, str]:
    env = {}
    for line in (DEPLOY / "cimon.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def nginx() -> str:
    return (DEPLOY / "nginx" / "cimon.conf").read_text(encoding="utf-8")


def _expand(command: str) -> list[str]:
    env = environment()
    return [re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], a) for a in shlex.split(command)]


def _cimon_command(args: list[str]) -> tuple[click.Command, list[str]]:
    """The click command ``args`` name and the arguments left for it."""
    cmd: click.Command = main
    rest = list(args)
    while isinstance(cmd, click.Group) and rest and rest[0] in cmd.commands:
        cmd = cmd.commands[rest.pop(0)]
    return cmd, rest


@pytest.mark.parametrize("name", UNITS)
def test_units_run_as_the_service_user_with_the_environment_file(name: str) -> None:
    service = unit(name)["Service"]
    assert service["User"] == ["cimon"] and service["EnvironmentFile"] == ["/etc/cimon/cimon.env"]
    assert service["WorkingDirectory"] == ["/srv/cimon"]
    assert len(service["ExecStart"]) == 1


@pytest.mark.parametrize("name", ["cimon-worker.service", "cimon-backup.service"])
def test_cimon_commands_of_the_units_exist_and_parse(name: str) -> None:
    args = _expand(unit(name)["Service"]["ExecStart"][0])
    assert args[0] == VENV_BIN + "cimon"
    cmd, rest = _cimon_command(args[1:])
    assert cmd is not main and cmd.name == args[1], args
    ctx = cmd.make_context(cmd.name or "", rest)  # raises on an unknown option or a bad value
    if name == "cimon-backup.service":
        assert ctx.params["out"] == Path(environment()["CIMON_BACKUP_DIR"])
        assert ctx.params["verify"] and ctx.params["keep_daily"] == 7
    else:
        assert ctx.params["worker_id"]


def test_gunicorn_serves_the_wsgi_module_where_nginx_sends_requests() -> None:
    from gunicorn.config import Config

    args = _expand(unit("cimon-web.service")["Service"]["ExecStart"][0])
    assert args[0] == VENV_BIN + "gunicorn"
    parsed = Config().parser().parse_args(args[1:])  # gunicorn's own option parser
    (module,) = parsed.args
    assert importlib.util.find_spec(module) is not None and module == "cimon.web.wsgi"
    (bind,) = parsed.bind
    upstream = re.search(r"upstream cimon_app \{\s*server ([^;]+);", nginx())
    assert upstream and upstream.group(1) == bind
    assert "proxy_pass http://cimon_app;" in nginx()
    # the proxy waits longer than gunicorn lets a request run
    timeout = re.search(r"proxy_read_timeout (\d+)s;", nginx())
    assert timeout and int(timeout.group(1)) > parsed.timeout
    # log rotation covers the files gunicorn writes and signals the right service
    rotate = (DEPLOY / "logrotate" / "cimon").read_text(encoding="utf-8")
    assert Path(parsed.accesslog).parent == Path(parsed.errorlog).parent
    assert f"{Path(parsed.accesslog).parent}/*.log" in rotate
    assert "cimon-web.service" in rotate and "USR1" in rotate


def test_nginx_upload_limit_is_the_applications() -> None:
    limit = re.search(r"client_max_body_size (\d+)m;", nginx())
    assert limit and int(limit.group(1)) == settings.CIMON_MAX_UPLOAD_MB
    assert "CIMON_MAX_UPLOAD_MB" not in environment()  # the default applies on both sides
    page = re.search(r"return 413 '([^']+)'", nginx())
    assert page and f"{settings.CIMON_MAX_UPLOAD_MB} MB" in page.group(1)
    assert "文件" in page.group(1) and "File too large" in page.group(1)


def test_nginx_tls_static_files_and_forwarded_address() -> None:
    conf = nginx()
    assert "listen 443 ssl;" in conf and "ssl_certificate " in conf
    assert "return 301 https://$host$request_uri;" in conf
    static = re.search(r"location (\S+) \{\s*alias ([^;]+);", conf)
    assert static and static.group(1) == settings.STATIC_URL
    assert static.group(2).rstrip("/") == environment()["CIMON_STATIC_ROOT"]
    # set, not appended: a client cannot smuggle an address in
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    env = environment()
    assert env["CIMON_BEHIND_PROXY"] == "1" and env["CIMON_TRUSTED_PROXIES"] == "127.0.0.1"


def test_environment_file_names_the_production_settings() -> None:
    env = environment()
    assert importlib.util.find_spec(env["DJANGO_SETTINGS_MODULE"]) is not None
    assert env["DJANGO_SETTINGS_MODULE"] == "cimon.web.settings_production"
    assert env["DATABASE_URL"].startswith("postgres://")


def test_backup_timer_is_nightly_and_catches_up() -> None:
    timer = unit("cimon-backup.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 02:15:00"]
    assert timer["Timer"]["Persistent"] == ["true"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]
    assert unit("cimon-backup.service")["Service"]["Type"] == ["oneshot"]


def test_admin_wrapper_reads_the_environment_file() -> None:
    text = (DEPLOY / "bin" / "cimon-admin").read_text(encoding="utf-8")
    assert ". /etc/cimon/cimon.env" in text and f"exec {VENV_BIN}cimon" in text


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_site(tmp_path: Path) -> None:  # pragma: no cover - optional
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=kjt.example.gov.cn",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    site = (
        nginx()
        .replace("/etc/ssl/certs/kjt.example.gov.cn.pem", str(cert))
        .replace("/etc/ssl/private/kjt.example.gov.cn.key", str(key))
    )
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {tmp_path}/site.conf; }}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
