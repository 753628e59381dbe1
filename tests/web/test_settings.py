"""Production settings refuse to start without a secret key and allowed hosts, and pass
``manage.py check --deploy`` once given them; ``python -m cimon.web`` is manage.py."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIMON_", "DJANGO_", "DATABASE_URL"))
    }
    base.update(
        DJANGO_SETTINGS_MODULE="cimon.web.settings_production",
        CIMON_DB=str(tmp_path / "db.sqlite3"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "cimon.web", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


KEY = secrets.token_urlsafe(64)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"CIMON_ALLOWED_HOSTS": "kjt.example.gov.cn"}, "CIMON_SECRET_KEY"),
        ({"CIMON_SECRET_KEY": KEY}, "CIMON_ALLOWED_HOSTS"),
        ({"CIMON_SECRET_KEY": "short", "CIMON_ALLOWED_HOSTS": "x.gov.cn"}, "CIMON_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_key_and_hosts(
    tmp_path: Path, env: dict[str, str], missing: str
) -> None:
    r = _manage(tmp_path, "check", **env)
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr
    assert missing in r.stderr
    assert "生产环境" in r.stderr or "太短" in r.stderr  # Chinese …
    assert "Production settings" in r.stderr or "too short" in r.stderr  # … and English


def test_check_deploy_is_clean(tmp_path: Path) -> None:
    r = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CIMON_SECRET_KEY=KEY,
        CIMON_ALLOWED_HOSTS="kjt.example.gov.cn",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_production_values() -> None:
    """The production module sets what --deploy checks, and a proxy is trusted only on request."""
    code = (
        "import cimon.web.settings_production as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_SSL_REDIRECT, hasattr(s, 'SECURE_PROXY_SSL_HEADER'), s.ALLOWED_HOSTS,"
        " s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[-1])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIMON_")}
    env.update(CIMON_SECRET_KEY=KEY, CIMON_ALLOWED_HOSTS="a.gov.cn, b.gov.cn")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == [
        "False",
        "True",
        "True",
        "31536000",
        "True",
        "False",
        "['a.gov.cn',",
        "'b.gov.cn']",
        "CompressedManifestStaticFilesStorage",
    ], out.stderr


@pytest.mark.parametrize(("env", "age"), [({}, "60"), ({"CIMON_DB_CONN_MAX_AGE": "0"}, "0")])
def test_production_keeps_database_connections(
    tmp_path: Path, env: dict[str, str], age: str
) -> None:
    """bench/web.py: a connection per request costs 1.5–2× throughput, so production keeps them
    unless told not to."""
    r = _manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        CIMON_SECRET_KEY=KEY,
        CIMON_ALLOWED_HOSTS="kjt.example.gov.cn",
        **env,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == age
