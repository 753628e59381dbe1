"""Fixtures of the evaluation workflow tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def stored(users: dict[str, Any], settings: Any) -> Iterator[dict[str, Any]]:
    """The demo panel in the database, publication snapshots cut to one workbook and no
    robustness analysis (not what these tests look at), the dashboard's caches cleared around
    the test. A test module may define its own ``stored``."""
    from cimon.store.evaluations.published import clear_caches
    from cimon.web.serving import load_demo

    settings.CIMON_DASHBOARD_REPLICATES = 0
    settings.CIMON_PUBLICATION_FILES = ["xlsx:zh"]
    clear_caches()
    load_demo(modules=False)
    yield users
    clear_caches()
