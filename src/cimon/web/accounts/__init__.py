"""Accounts (账户): who a user is to cimon — role, department or county, assigned counties — and
the one place that decides what each may see and do (:mod:`.policy`).

Library first: :mod:`.services` creates users and changes roles (with an audit event each),
:mod:`.audit` writes and exports the audit log, :mod:`.policy` answers "may this user …" for one
object; views only call them.
"""
