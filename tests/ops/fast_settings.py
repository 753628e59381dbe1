"""Settings of the platform processes the operations tests start: the shipped settings, with a
fast password hasher and a small publication snapshot (the results workbook in Chinese, 200
robustness replicates, as tests/web/conftest.py uses)."""

from __future__ import annotations

import os

from cimon.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CIMON_PUBLICATION_FILES = ["xlsx:zh"]
CIMON_DASHBOARD_REPLICATES = int(os.environ.get("OPS_TEST_REPLICATES") or 200)
