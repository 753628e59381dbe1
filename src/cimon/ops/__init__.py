"""Operations (issue #21): backup and verified restore, retention, and the health check.

* :mod:`cimon.ops.database`: the database of a platform as a plain DB-API connection (SQLite
  file or PostgreSQL database), its tables, row counts and stored files; consistent snapshots
  (SQLite's online backup API, ``pg_dump`` in its custom format on an exported snapshot).
* :mod:`cimon.ops.manifest`: what a backup folder holds and how to check it.
* :mod:`cimon.ops.backup`: ``cimon backup`` and the retention rule.
* :mod:`cimon.ops.restore`: ``cimon restore`` and ``cimon backup verify``.
* :mod:`cimon.ops.doctor`: ``cimon doctor``.

Every stored file of the platform (submitted workbooks, evidence files, the downloads of
published versions) lives in the database as a binary column, so a copy of the database holds
them all; the manifest lists each one with its SHA-256 so that a restore can prove it got every
byte back.
"""
