"""Django for the library and the command line: configure, set up and migrate on first use,
without a web server and without importing :mod:`cimon.web`."""

from __future__ import annotations

import os

STORE_SETTINGS = "cimon.store.settings"

_migrated = False


def ensure_django(migrate: bool = True) -> None:
    """Make the ORM usable from a plain Python process; idempotent and cheap after the first call.

    Sets ``DJANGO_SETTINGS_MODULE`` to ``cimon.store.settings`` unless already set (the web
    server, ``cimon serve`` and pytest-django set ``cimon.web.settings``: then those are used),
    calls :func:`django.setup` unless the app registry is ready, and with ``migrate`` applies
    pending migrations quietly (the SQLite file is created on first use). Both settings hold the
    same apps with models, so the database is the same whichever set it up.
    """
    global _migrated
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", STORE_SETTINGS)
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()
    if migrate and not _migrated:
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        _migrated = True


def database_label() -> str:
    """Where the data lives, for messages: the SQLite file or ``postgresql://host:port/name``."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(db["NAME"])
    host = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or ''}".rstrip(":")
    return f"{connection.vendor}://{host}/{db['NAME']}"
