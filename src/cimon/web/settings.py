"""Django settings for cimon: embedded SQLite by default, PostgreSQL via ``DATABASE_URL``.

Environment:

``DATABASE_URL``
    e.g. ``postgres://user@host:5432/cimon`` (parsed by dj-database-url). Wins over ``CIMON_DB``.
``CIMON_DB``
    path of the SQLite file (default ``./cimon.sqlite3`` in the working directory).
``CIMON_SECRET_KEY``
    Django's secret key. Only the web server needs it (sessions, signing); the command line never
    reads it. Without it an insecure development key is used when ``CIMON_DEBUG=1``, and none
    otherwise (Django then refuses whatever needs one). Production settings are a later issue.
``CIMON_DEBUG``
    ``1`` for development.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

DEBUG = os.environ.get("CIMON_DEBUG", "").lower() in ("1", "true", "yes")
SECRET_KEY = os.environ.get("CIMON_SECRET_KEY") or (
    "django-insecure-cimon-development-only" if DEBUG else ""
)
ALLOWED_HOSTS: list[str] = ["localhost", "127.0.0.1"] if DEBUG else []

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "cimon.web.submissions",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = None


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
        if db.get("ENGINE") == "django.db.backends.postgresql":
            # one test database per process: two test runs on one server do not collide
            db["TEST"] = {"NAME": f"test_{db.get('NAME') or 'cimon'}_{os.getpid()}"}
        return db
    path = Path(os.environ.get("CIMON_DB") or "cimon.sqlite3").expanduser().resolve()
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # wait for a concurrent writer instead of failing at once
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
