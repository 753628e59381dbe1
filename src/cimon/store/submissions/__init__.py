"""Submissions (数据报送) stored verbatim, their observations, versions and the audit log table.

:mod:`.services` imports files, :mod:`.exports` writes them back, :mod:`.queries` reads the panel
as of a moment, the history of a value and what is still missing. Models live in :mod:`.models`.
"""
