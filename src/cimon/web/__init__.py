"""The Django side of cimon: settings and apps (``submissions`` now; accounts, evaluations and the
dashboard later). Everything outside ``cimon.web`` stays free of Django: the CLI calls
:func:`cimon.store.setup.ensure_django` only in the commands that need the database."""
