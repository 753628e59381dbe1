from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "cimon.web.dashboard"
    label = "dashboard"
    verbose_name = "数据看板 / Dashboard"
