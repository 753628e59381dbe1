"""Helpers of the operations tests: the release fixture unpacked, and the environment of the
platform processes they start (``cimon`` subprocesses on their own database)."""

from __future__ import annotations

import lzma
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SCRIPT = HERE / "platform_script.py"
CIMON = Path(sys.executable).parent / "cimon"


def unpack(name: str, target: Path) -> Path:
    """Unpack ``fixtures/<name>.sqlite3.xz`` to ``target``."""
    with lzma.open(FIXTURES / f"{name}.sqlite3.xz") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def platform_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a platform process: none of this run's CIMON_/DJANGO_ variables or
    DATABASE_URL, the fast settings of tests/ops, ``extra`` on top."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CIMON_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["HOME"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "fast_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], cwd: Path, check: bool = True) -> Any:
    """Run ``cimon …`` (or the platform script with ``script:``) and return the result."""
    cmd = (
        [sys.executable, str(SCRIPT), args[0].removeprefix("script:")]
        if args[0].startswith("script:")
        else [str(CIMON), *args]
    )
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, (
            f"{cmd} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


@pytest.fixture
def release_db(tmp_path: Path) -> Path:
    """The database made by release e9865b9 (fixtures/README.md), unpacked."""
    return unpack("release-e9865b9", tmp_path / "release.sqlite3")
