from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cimon.web.accounts"
    label = "web_accounts"  # the models and their label "accounts" live in cimon.store.accounts
    verbose_name = "账户 / Accounts"

    def ready(self) -> None:
        from cimon.web.accounts import signals  # noqa: F401  (login/logout/lockout → audit log)
