from __future__ import annotations

from django.apps import AppConfig


class LibrariesConfig(AppConfig):
    name = "cimon.store.libraries"
    label = "libraries"
    verbose_name = "需求库与成果库 / Resource libraries"
    default_auto_field = "django.db.models.BigAutoField"
