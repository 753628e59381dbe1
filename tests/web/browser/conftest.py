"""Shared by the browser tests: Debian's headless Chromium driven by Playwright, and the folder
the screenshots are kept in. The tests here are skipped only when ``/usr/bin/chromium`` (or
``CIMON_CHROMIUM``) is absent — `make test` installs it (scripts/system-packages.sh);
``playwright install`` is not needed and does not work offline."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CIMON_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if CHROMIUM.exists():
        return
    here = Path(__file__).resolve().parent
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}")
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the live server
    # happen in its own thread, but fixtures here touch the ORM too
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def shots() -> Path:
    """The screenshot folder (git-ignored; CI keeps it as artifacts)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
