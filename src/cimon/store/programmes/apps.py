from __future__ import annotations

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "cimon.store.programmes"
    label = "programmes"
    verbose_name = "创建项目 / Programmes"
    default_auto_field = "django.db.models.BigAutoField"
