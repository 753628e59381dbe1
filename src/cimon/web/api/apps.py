from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cimon.web.api"
    label = "api"
    verbose_name = "接口 / API"
