from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cimon.web.accounts"
    label = "accounts"
    verbose_name = "账户 / Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cimon.web.accounts import signals  # noqa: F401  (login/logout/lockout → audit log)
