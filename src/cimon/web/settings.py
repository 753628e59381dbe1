"""Django settings for cimon's web platform: those of :mod:`cimon.store.settings` (embedded SQLite by
default, PostgreSQL via ``DATABASE_URL``) plus the web apps, middleware, templates and headers.

These are the settings of the tests and ``cimon serve`` on one machine (the command line uses
:mod:`cimon.store.settings` unless ``DJANGO_SETTINGS_MODULE`` is set). A
server reachable by others uses :mod:`cimon.web.settings_production`, which refuses to start
without a secret key and allowed hosts.

Environment:

``DATABASE_URL``
    e.g. ``postgres://user@host:5432/cimon`` (parsed by dj-database-url). Wins over ``CIMON_DB``.
``CIMON_DB``
    path of the SQLite file (default ``./cimon.sqlite3`` in the working directory).
``CIMON_SECRET_KEY``
    Django's secret key. Only the web server needs it (sessions, signing); the command line never
    reads it. Without it an insecure development key is used when ``CIMON_DEBUG=1``, and none
    otherwise (Django then refuses whatever needs one). ``cimon serve`` keeps a random key in a
    file beside the SQLite database.
``CIMON_ALLOWED_HOSTS``
    comma-separated host names the server answers to (default: localhost and 127.0.0.1).
``CIMON_DEBUG``
    ``1`` for development.
``CIMON_FRAMEWORK``
    the framework the web portal collects data for (default ``nx-2021``).
``CIMON_REGIONS``
    the region set the platform collects data for: ``ningxia`` (default, the bundled 22 units),
    ``national`` (every county-level unit of China, 2,844; docs/national.md) or a registry CSV.
``CIMON_INCENTIVE_RULES``
    the incentive rule set the platform publishes with: a bundled id or a YAML file (default
    ``nx-2021``). Each version keeps the rules it was published with; changing this changes the
    money of versions published afterwards only.
``CIMON_SESSION_MINUTES``
    idle minutes before a login expires (default 120).
``CIMON_BACKUP_DIR``
    the folder of ``cimon backup`` (its default ``--out``) and of ``cimon doctor``'s backup check.
``CIMON_BACKUP_MAX_HOURS``
    hours after which ``cimon doctor`` calls the last backup too old (default 36).
``CIMON_NOTICE_DAYS``
    the shortest public notice period (公示期) in days, counting the first and the last day
    (default 7).
``CIMON_DB_CONN_MAX_AGE``
    seconds a server process keeps its database connection (default 0: one per request; the
    production settings default to 60, see bench/README.md).
``CIMON_TRUSTED_PROXIES``
    comma-separated addresses or networks of the reverse proxies in front of the server (e.g.
    ``127.0.0.1,10.0.0.0/8``). Only a request from one of them has its ``X-Forwarded-For``
    believed (login lockout, audit log); default none.
``CIMON_LOGIN_ADDRESS_LIMIT``
    failed logins from one address, whatever the user names, that lock the address for the
    cool-off time (default 30; one user name from one address locks after 5).
``CIMON_RATING_ADDRESS_LIMIT``
    refused rating codes (科技特派员 service ratings, /commissioners/rate/) from one address
    within the cool-off time after which that address gets 429 until it passes (default 20).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from cimon.store.settings import *  # noqa: F403  (the database, the store apps, the task queue …)
from cimon.store.settings import STORE_APPS
from cimon.web.clientip import parse_networks

WEB_DIR = Path(__file__).resolve().parent

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    *STORE_APPS,  # the models: cimon.store.accounts, .submissions, .evaluations
    "cimon.web.accounts",
    "cimon.web.submissions",
    "cimon.web.evaluations",
    "cimon.web.dashboard",
    "cimon.web.api",
    "cimon.web.evidence",
]
MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # before anything reads the form: uploads keep the names they were sent with (issue #14)
    "cimon.web.uploads.KeepUploadNamesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cimon.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # last, as django-axes asks: it turns a locked-out login into the lockout page
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "cimon.web.urls"
WSGI_APPLICATION = "cimon.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cimon.web.accounts.context.account",
            ],
            "builtins": ["cimon.web.templatetags.cimon_tags"],
        },
    }
]

# --- language: Chinese first, English on request (the switch in the page header) -------------
USE_I18N = True
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

# --- accounts: lockout after repeated failures, idle expiry (hashers: cimon.store.settings) --
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = int(os.environ.get("CIMON_SESSION_MINUTES") or 120) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "cimon.web.views.csrf_failure"

# django-axes: 5 failures for one user name from one address lock that pair out for 15 minutes;
# CIMON_LOGIN_ADDRESS_LIMIT failures from one address (any user names) lock that address
# (cimon.web.accounts.lockout). The address is the client's: X-Forwarded-For is believed only
# from the reverse proxies listed in CIMON_TRUSTED_PROXIES (addresses or networks, comma-separated)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cimon.web.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_HANDLER = "cimon.web.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "cimon.web.clientip.client_ip"
CIMON_LOGIN_ADDRESS_LIMIT = int(os.environ.get("CIMON_LOGIN_ADDRESS_LIMIT") or 30)
CIMON_RATING_ADDRESS_LIMIT = int(os.environ.get("CIMON_RATING_ADDRESS_LIMIT") or 20)
CIMON_TRUSTED_PROXIES = parse_networks(os.environ.get("CIMON_TRUSTED_PROXIES"))

# --- uploads ----------------------------------------------------------------------------------
CIMON_MAX_UPLOAD_MB = int(os.environ.get("CIMON_MAX_UPLOAD_MB") or 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# an uploaded file over 256 KB goes to a temporary file as it arrives, not to memory: a request
# may carry up to 100 evidence files (DATA_UPLOAD_MAX_NUMBER_FILES), so at most 25 MB of one
# request is ever held in memory (issue #14); the portal then copies each to disk in chunks
FILE_UPLOAD_MAX_MEMORY_SIZE = 262_144
DATA_UPLOAD_MAX_NUMBER_FILES = 100

# --- static files: vendored, served by whitenoise; nothing loads from outside -----------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT: str | Path | None = os.environ.get("CIMON_STATIC_ROOT") or None  # collectstatic target
WHITENOISE_USE_FINDERS = True  # serve straight from the packages (no collectstatic needed)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- headers: a strict Content Security Policy (django-csp 4); Django 5.2 has none of its own --
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
