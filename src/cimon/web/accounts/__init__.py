"""Accounts (账户) on the web: login, lockout and user pages, and the one place that decides what
each user may see and do (:mod:`.policy`).

The models, the user services and the audit log live in :mod:`cimon.store` (:mod:`cimon.store.accounts`,
:mod:`cimon.store.audit`); views only call them.
"""
