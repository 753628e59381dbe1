from __future__ import annotations

from django.apps import AppConfig


class CommissionersConfig(AppConfig):
    name = "cimon.store.commissioners"
    label = "commissioners"
    verbose_name = "科技特派员 / Science and technology commissioners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the programme target source and the person source for matching (issue #17)
        from cimon.store.commissioners.providers import register

        register()
