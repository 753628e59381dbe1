"""Shared fixtures: the demo evaluations 2020–2025, computed once per test session."""

from __future__ import annotations

import pytest

import cimon
from cimon.engine.run import Run


@pytest.fixture(scope="session")
def demo_runs() -> dict[int, Run]:
    fw = cimon.load_framework("nx-2021")
    return cimon.evaluate_years(fw, cimon.demo_panel(), range(2020, 2026))
