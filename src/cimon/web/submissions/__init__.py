"""Submissions (数据报送) stored verbatim, their observations, versions and the audit log.

Library first: :mod:`.services` imports and exports files, :mod:`.queries` reads the panel as of a
moment, the history of a value and what is still missing. Models live in :mod:`.models`.
"""
