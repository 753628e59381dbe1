from __future__ import annotations

from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "cimon.store.national"
    label = "national"
    verbose_name = "全国比较 / National comparison"
    default_auto_field = "django.db.models.BigAutoField"
