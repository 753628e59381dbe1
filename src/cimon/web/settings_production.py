"""Production settings: ``DJANGO_SETTINGS_MODULE=cimon.web.settings_production``.

Everything of :mod:`cimon.web.settings`, plus: no debug, HTTPS only (secure cookies, HSTS,
redirect to HTTPS unless the proxy in front terminates TLS and says so), compressed and hashed
static files (run ``cimon manage collectstatic`` once per release), and a refusal to start
without ``CIMON_SECRET_KEY`` and ``CIMON_ALLOWED_HOSTS``.

Extra environment:

``CIMON_SECRET_KEY``
    required; at least 50 random characters
    (``python -c "import secrets; print(secrets.token_urlsafe(64))"``).
``CIMON_ALLOWED_HOSTS``
    required; the host names of the server, comma-separated (``kjt.example.gov.cn``).
``CIMON_CSRF_TRUSTED_ORIGINS``
    optional; origins such as ``https://kjt.example.gov.cn`` when a proxy changes the host.
``CIMON_STATIC_ROOT``
    where ``collectstatic`` puts the static files (default ``./static-collected``).
``CIMON_BEHIND_PROXY``
    ``1`` when a reverse proxy terminates TLS and sets ``X-Forwarded-Proto: https``.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from cimon.web.settings import *  # noqa: F403
from cimon.web.settings import MIDDLEWARE, STORAGES

DEBUG = False


def _required(name: str, zh: str, en: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"生产环境必须设置环境变量 {name}：{zh}\n"
            f"Production settings need the environment variable {name}: {en}"
        )
    return value


SECRET_KEY = _required(
    "CIMON_SECRET_KEY",
    '至少 50 个随机字符，例如 python -c "import secrets; print(secrets.token_urlsafe(64))" 的输出。',
    'at least 50 random characters, e.g. the output of python -c "import secrets; '
    'print(secrets.token_urlsafe(64))".',
)
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "CIMON_SECRET_KEY 太短或是开发用密钥：请设置至少 50 个随机字符。\n"
        "CIMON_SECRET_KEY is too short or a development key: set at least 50 random characters."
    )
ALLOWED_HOSTS = [
    h.strip()
    for h in _required(
        "CIMON_ALLOWED_HOSTS",
        "服务器的域名，多个用逗号分隔，例如 kjt.example.gov.cn。",
        "the server's host names, comma-separated, e.g. kjt.example.gov.cn.",
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CIMON_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if os.environ.get("CIMON_BEHIND_PROXY", "").lower() in ("1", "true", "yes"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

MIDDLEWARE = list(MIDDLEWARE)
STATIC_ROOT = Path(os.environ.get("CIMON_STATIC_ROOT") or "static-collected").resolve()
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A server keeps its database connections (bench/web.py: one connection per request costs 1.5–2×
# throughput and triples p95); CIMON_DB_CONN_MAX_AGE=0 turns it off.
if "CIMON_DB_CONN_MAX_AGE" not in os.environ:
    from cimon.web.settings import DATABASES

    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
