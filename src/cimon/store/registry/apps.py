from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "cimon.store.registry"
    label = "registry"
    verbose_name = "企业和载体名录 / Registries"
    default_auto_field = "django.db.models.BigAutoField"
