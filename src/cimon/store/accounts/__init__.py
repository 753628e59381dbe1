"""Accounts (账户): a user's role, department or county and assigned counties (:mod:`.models`),
and the services that create users and change roles with an audit event each (:mod:`.services`).
Who may see or do what is decided by the web's policy, not here."""
