"""Benchmark the annual report: the 22-county demo report in Word, HTML and PDF.

Evaluates the demo panel (模拟数据) for the report year and the year before, then times, as one
run from the Runs to the files on disk, :func:`cimon.reports.annual.write_report` with
``formats=("docx", "html", "pdf")``, split into its stages (content, charts, each format), and
prints the figures against the goal of issue #6 (all three formats in under 30 s). The first run
includes loading the fonts and matplotlib (what a user of ``cimon report`` waits for); further
runs (``--repeat``) show the warm figure.

Run: ``.venv/bin/python bench/report.py`` (``--help`` for options). Not a test.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 30.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022, help="evaluation year (default 2022)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="report language")
    parser.add_argument("--repeat", type=int, default=2, help="runs (default 2: cold, warm)")
    parser.add_argument("--out", type=Path, default=None, help="keep the files in this folder")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    import cimon
    from cimon.reports.annual import write_report

    fw = cimon.load_framework("nx-2021")
    runs = cimon.evaluate_years(fw, cimon.demo_panel(), [args.year - 1, args.year])
    setup = time.perf_counter() - t0

    totals: list[float] = []
    stages: list[dict[str, float]] = []
    sizes: dict[str, int] = {}
    for k in range(args.repeat):
        out = args.out or Path(tempfile.mkdtemp(prefix="cimon-report-bench-"))
        marks: dict[str, float] = {}
        last = [time.perf_counter()]

        def tick(label: str, marks: dict[str, float] = marks, last: list[float] = last) -> None:
            now = time.perf_counter()
            key = label if label in ("content", "docx", "html", "pdf") else "charts"
            marks[key] = marks.get(key, 0.0) + now - last[0]
            last[0] = now

        start = time.perf_counter()
        done = write_report(runs, args.year, out, ("docx", "html", "pdf"), args.lang, progress=tick)
        totals.append(time.perf_counter() - start)
        stages.append(marks)
        sizes = {fmt: path.stat().st_size for fmt, path in done.files.items()}
        print(
            f"run {k + 1}: {totals[-1]:.2f} s  ("
            + ", ".join(f"{s} {v:.2f} s" for s, v in marks.items())
            + ")"
        )

    n = len(runs[args.year].regions)
    print()
    print(
        f"machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}, {sys.platform}"
    )
    print(f"setup (import, evaluate {args.year - 1}–{args.year}): {setup:.2f} s")
    print(f"report {args.year} ({args.lang}), {n} counties, docx + html + pdf:")
    print(f"  first run   {totals[0]:.2f} s")
    if len(totals) > 1:
        print(f"  median warm {statistics.median(totals[1:]):.2f} s")
    for fmt, size in sizes.items():
        print(f"  {fmt:5s} {size / 1e6:.2f} MB")
    worst = max(totals)
    verdict = "OK" if worst < GOAL_S else "MISSED"
    print(f"goal: all three formats in < {GOAL_S:.0f} s — slowest run {worst:.2f} s: {verdict}")
    return 0 if worst < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
