from __future__ import annotations

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "cimon.store.evidence"
    label = "evidence"
    verbose_name = "创新管理佐证 / Management evidence"
    default_auto_field = "django.db.models.BigAutoField"
