"""Benchmark backup, verify and restore (issue #21) beside a naive copy.

Builds, with a fixed seed, an SQLite platform database: the release fixture of the upgrade test
(tests/ops/fixtures: the demo panel, a county upload with evidence, a published evaluation) plus
``--files`` synthetic evidence files of ``--size-kb`` each (random bytes: incompressible, as
scanned PDFs are), i.e. a year of a province's evidence. Then times, median of ``--repeat``
runs:

* **cimon backup**: :func:`cimon.ops.backup.make_backup` (online backup API copy, row counts,
  SHA-256 of the copy and of every stored file, manifest);
* **cimon backup verify**: :func:`cimon.ops.restore.verify` (hashes checked, restored into a
  scratch file, rows and stored files compared, migrations checked);
* **cimon restore**: :func:`cimon.ops.restore.restore` into a new file;
* **naive**: ``shutil.copyfile`` of the live file and one SHA-256 of the copy: what an
  administrator's script would do (not consistent while the platform writes, no per-file
  hashes, no check of the result).

Run: ``.venv/bin/python bench/ops.py`` (``--help`` for options). Not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import lzma
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "ops" / "fixtures" / "release-e9865b9.sqlite3.xz"


def build(path: Path, files: int, size_kb: int, seed: int) -> None:
    with lzma.open(FIXTURE) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    rng = __import__("random").Random(seed)
    with sqlite3.connect(path) as conn:
        (sub,) = conn.execute("SELECT MAX(id) FROM submissions_submission").fetchone()
        for i in range(files):
            data = rng.randbytes(size_kb * 1024)
            conn.execute(
                "INSERT INTO submissions_evidencefile (submission_id, claim_id, name, content, "
                "sha256, size) VALUES (?, NULL, ?, ?, ?, ?)",
                (sub, f"佐证材料-{i:04d}.pdf", data, hashlib.sha256(data).hexdigest(), len(data)),
            )


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=200, help="synthetic evidence files (200)")
    ap.add_argument("--size-kb", type=int, default=1024, help="size of each, KiB (1024)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the median (3)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cimon.web.settings")
    os.environ.pop("DATABASE_URL", None)
    from cimon.ops.backup import make_backup
    from cimon.ops.database import Database
    from cimon.ops.manifest import Manifest
    from cimon.ops.restore import restore, verify

    with tempfile.TemporaryDirectory(prefix="cimon-bench-ops-") as tmp:
        work = Path(tmp)
        live = work / "live.sqlite3"
        t0 = time.perf_counter()
        build(live, args.files, args.size_kb, args.seed)
        size = live.stat().st_size
        print(f"python {platform.python_version()}, {os.cpu_count()} cores")
        print(
            f"database: {size / 2**20:.0f} MiB ({args.files} evidence files × {args.size_kb} KiB "
            f"+ the release fixture), built in {time.perf_counter() - t0:.1f} s"
        )
        db = Database("sqlite", str(live))
        out = work / "backups"
        counter = iter(range(10**6))

        def backup() -> Path:
            from datetime import UTC, datetime, timedelta

            # one folder per run (names are per second)
            when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=next(counter))
            return make_backup(out, db, now=when)

        t_backup = timed(backup, args.repeat)
        folder = sorted(out.iterdir())[-1]
        stored = len(Manifest.read(folder).stored)
        t_verify = timed(lambda: verify(folder), args.repeat)

        def restore_new() -> None:
            target = work / f"restored-{next(counter)}.sqlite3"
            restore(folder, Database("sqlite", str(target)))
            target.unlink()

        t_restore = timed(restore_new, args.repeat)

        def naive() -> None:
            copy = work / "naive.sqlite3"
            shutil.copyfile(live, copy)
            h = hashlib.sha256()
            with copy.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            copy.unlink()

        t_naive = timed(naive, args.repeat)
    mb = size / 2**20
    print(f"stored files hashed per backup: {stored}")
    print(f"{'':24}{'seconds':>10}{'MiB/s':>10}{'× naive':>10}")
    for name, t in (
        ("naive copy + sha256", t_naive),
        ("cimon backup", t_backup),
        ("cimon backup verify", t_verify),
        ("cimon restore", t_restore),
    ):
        print(f"{name:24}{t:10.2f}{mb / t:10.0f}{t / t_naive:10.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
