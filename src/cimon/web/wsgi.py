"""WSGI entry point for gunicorn: ``gunicorn cimon.web.wsgi`` (production settings are chosen
with ``DJANGO_SETTINGS_MODULE=cimon.web.settings_production``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cimon.web.settings")
application = get_wsgi_application()
