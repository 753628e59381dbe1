"""Django settings for the store library: the ORM, the store apps and the task queue, no web.

:func:`cimon.store.setup.ensure_django` uses these when ``DJANGO_SETTINGS_MODULE`` is unset, so a
Python script or a ``cimon`` command reaches the data without importing :mod:`cimon.web`. The web
platform's settings (:mod:`cimon.web.settings`) import everything here and add their apps,
middleware and templates; both read the same database.

Environment (the web settings list the rest):

``DATABASE_URL``
    e.g. ``postgres://user@host:5432/cimon`` (parsed by dj-database-url). Wins over ``CIMON_DB``.
``CIMON_DB``
    path of the SQLite file (default ``./cimon.sqlite3`` in the working directory).
``CIMON_DB_CONN_MAX_AGE``
    seconds a server process keeps its database connection (default 0).
``CIMON_TIME_ZONE``
    the local zone of output and naive times (default ``Asia/Shanghai``); stored times are UTC.
``CIMON_REGIONS``
    the platform's region set: ``ningxia`` (default, the bundled 22 units), ``national`` (every
    county-level unit, docs/national.md) or the path of a registry CSV.
``CIMON_FRAMEWORK``, ``CIMON_INCENTIVE_RULES``, ``CIMON_NOTICE_DAYS``, ``CIMON_BACKUP_DIR``,
``CIMON_BACKUP_MAX_HOURS``, ``CIMON_SECRET_KEY``, ``CIMON_DEBUG``, ``CIMON_ALLOWED_HOSTS``
    as described in :mod:`cimon.web.settings` (read here so that the library, ``cimon doctor``
    and the platform agree).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

DEBUG = os.environ.get("CIMON_DEBUG", "").lower() in ("1", "true", "yes")
SECRET_KEY = os.environ.get("CIMON_SECRET_KEY") or (
    "django-insecure-cimon-development-only" if DEBUG else ""
)
ALLOWED_HOSTS: list[str] = [
    h.strip() for h in os.environ.get("CIMON_ALLOWED_HOSTS", "").split(",") if h.strip()
] or ["localhost", "127.0.0.1"]

STORE_APPS = [
    "cimon.store.accounts",
    "cimon.store.submissions",
    "cimon.store.evaluations",
    "cimon.store.evidence",
    "cimon.store.registry",
    "cimon.store.libraries",
    "cimon.store.programmes",
    "cimon.store.commissioners",
    "cimon.store.national",
]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django_tasks",
    "django_tasks_db",
    *STORE_APPS,
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # CIMON_DB_CONN_MAX_AGE: seconds a server process keeps its connection (0: one per
        # request); bench/web.py measures both
        age = int(os.environ.get("CIMON_DB_CONN_MAX_AGE") or 0)
        db: dict[str, object] = dict(
            dj_database_url.parse(url, conn_max_age=age, conn_health_checks=age > 0)
        )
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

# the one local zone of pages, CLI output and naive --as-of times; every time is stored in UTC
TIME_ZONE = os.environ.get("CIMON_TIME_ZONE") or "Asia/Shanghai"
USE_TZ = True
LANGUAGE_CODE = "zh-hans"

# passwords set from the command line are hashed as the platform hashes them
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads hashes made before Argon2
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CIMON_FRAMEWORK = os.environ.get("CIMON_FRAMEWORK") or "nx-2021"
# the region set the platform collects data for: "ningxia" (the bundled 22 units, the default),
# "national" (every county-level unit, 2,844; docs/national.md) or the path of a registry CSV
CIMON_REGIONS = os.environ.get("CIMON_REGIONS", "").strip() or "ningxia"
CIMON_NOTICE_DAYS = int(os.environ.get("CIMON_NOTICE_DAYS") or 7)  # the shortest 公示期, days
# the incentive rules of what is published next; each version keeps its own (evaluations/rules.py)
CIMON_INCENTIVE_RULES = os.environ.get("CIMON_INCENTIVE_RULES") or "nx-2021"
# provinces hosted by one instance (#20, docs/national.md): "64:nx-2021:nx-2021,62:FW:RULES";
# empty (the default): one province, CIMON_FRAMEWORK and CIMON_INCENTIVE_RULES
CIMON_PROVINCES = os.environ.get("CIMON_PROVINCES", "")

# background work: Django's task framework (django-tasks) with the database backend of
# django-tasks-db: the queue is a table of the same database, so a run is queued in the same
# transaction that records it. `cimon worker` runs the tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# operations (issue #21): where `cimon backup` writes by default and `cimon doctor` looks, and
# the age after which `cimon doctor` calls the last backup too old
CIMON_BACKUP_DIR = os.environ.get("CIMON_BACKUP_DIR", "").strip()
CIMON_BACKUP_MAX_HOURS = float(os.environ.get("CIMON_BACKUP_MAX_HOURS") or 36)

# files kept outside the database (issue #17: commissioners' service photos), each under a
# generated name: CIMON_STORAGE_DIR, default the folder cimon-files beside the SQLite file (or in
# the working directory for PostgreSQL)
CIMON_STORAGE_DIR = os.environ.get("CIMON_STORAGE_DIR", "").strip()
