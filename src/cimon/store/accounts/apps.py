from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    # the label (and so the tables, migrations and content types) it had as cimon.web.accounts
    name = "cimon.store.accounts"
    label = "accounts"
    verbose_name = "账户 / Accounts"
    default_auto_field = "django.db.models.BigAutoField"
