"""Benchmark the robustness Monte Carlo at national scale, side by side with a naive loop.

Builds the synthetic national panel of ``bench/engine.py`` (2,850 counties, every variable of
``nx-2021``, 21 indicators; fixed seed), evaluates one year, then times:

* **cimon**: :func:`cimon.analysis.uncertainty.monte_carlo` with 10,000 replicates and the weights
  varied (Dirichlet around the nominal points): sampling, one matrix product per chunk of
  replicates, published rounding, classes, ranks, and the per-county summaries (quantiles of score
  and rank, class probabilities). Median of ``--repeat`` runs; peak memory of the process while it
  runs (the panel and the nominal evaluation included).
* **bare arithmetic**, for reference: the same weights, one matrix product per chunk plus
  ``scipy.stats.rankdata`` per chunk — no summaries; what the issue calls the floor.
* **naive**: what one would write without the fast path — edit the log with the replicate's
  points and re-run the whole pipeline (``run_log``) per replicate. It is slow, so it runs a few
  replicates (``--naive``) and its time is scaled linearly to 10,000; the printout says so. Its
  scores are compared with the fast path's for the same draws.

The goals of issue #5: under 3 s and under 2 GB on 2 cores.

Run: ``.venv/bin/python bench/robustness.py`` (``--help`` for options). Not a test.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy
from scipy.stats import rankdata

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cimon
from cimon.analysis.assumptions import Assumption, AssumptionSet
from cimon.analysis.replicates import CHUNK, THREADS, Replicator
from cimon.analysis.uncertainty import monte_carlo, uniforms
from cimon.engine.pipeline import evaluate
from engine import build_panel, build_registry, memory_mb, reset_peak, verdict

GOAL_SECONDS = 3.0
GOAL_MB = 2048.0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=2850)
    ap.add_argument("--cities", type=int, default=330)
    ap.add_argument("-n", "--replicates", type=int, default=10_000)
    ap.add_argument("--concentration", type=float, default=100.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--naive", type=int, default=8, help="replicates the naive loop runs")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    fw = cimon.load_framework("nx-2021")
    t0 = time.perf_counter()
    registry = build_registry(args.units, args.cities)
    panel = build_panel(fw, registry, range(2021, 2024))
    run = evaluate(fw, panel, 2024, registry)
    built = time.perf_counter() - t0
    aset = AssumptionSet(
        "weights",
        (Assumption("weights", "points", "dirichlet", concentration=args.concentration),),
    )
    n = args.replicates
    print("cimon robustness benchmark")
    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}"
    )
    print(
        f"  data: {len(registry):,} counties × {len(fw.indicators)} indicators, evaluation year "
        f"2024 (synthetic, seed 0); built and evaluated in {built:.1f} s"
    )
    print(
        f"  assumption: indicator points ~ Dirichlet({args.concentration:g} × nominal shares); "
        f"{n:,} replicates, seed {args.seed}; chunks of {CHUNK} on {THREADS} thread(s)"
    )

    # 1. cimon: the Monte Carlo with its summaries
    gc.collect()
    base = memory_mb()["VmRSS"]
    has_peak = reset_peak()
    times = []
    result = None
    for _ in range(args.repeat):
        result = None
        gc.collect()
        t = time.perf_counter()
        result = monte_carlo(run, aset, n, args.seed)
        times.append(time.perf_counter() - t)
    peak = memory_mb()["VmHWM"]
    assert result is not None
    med = statistics.median(times)

    # 2. bare arithmetic: one product per chunk + rankdata
    rep = Replicator(run, aset)
    draws = rep.draw(uniforms(args.seed, n, rep.width))
    assert draws.points is not None
    z, _ = rep.matrices(())
    zt = np.ascontiguousarray(z.T)
    bare = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for a in range(0, n, CHUNK):
            s = draws.points[a : a + CHUNK] @ zt
            rankdata(-np.round(s, 2), axis=1, method="min")
        bare.append(time.perf_counter() - t)
    bare_med = statistics.median(bare)

    # 3. naive: the whole pipeline per replicate, on a few replicates, scaled
    k = max(1, args.naive)
    t = time.perf_counter()
    naive_scores = [rep.full_run([], draws.points[r]).results["score"].to_numpy() for r in range(k)]
    naive_s = time.perf_counter() - t
    naive_scaled = naive_s * n / k
    assert result.outcome is not None
    diff = max(float(np.max(np.abs(result.outcome.scores[r] - naive_scores[r]))) for r in range(k))

    c = result.counties
    print()
    print(
        f"cimon monte_carlo(), {n:,} replicates: median {med:.2f} s, best {min(times):.2f} s "
        f"({args.repeat} runs)"
    )
    print(
        f"bare arithmetic (product per chunk + scipy rankdata, no summaries): median {bare_med:.2f} s"
    )
    print(
        f"naive (edit the log, run_log per replicate): ran {k} of {n:,} replicates in "
        f"{naive_s:.2f} s; scaled ×{n / k:g} to {n:,}: {naive_scaled:.0f} s"
    )
    print(f"speed-up (naive scaled / cimon median): {naive_scaled / med:.0f}×")
    print(f"agreement on {k} replicates: max |score diff| = {diff:.3g}")
    print(
        f"result: {int((~c['stable']).sum()):,} of {len(c):,} counties have an unstable class "
        f"(P(nominal class) < 0.8); median rank interval width "
        f"{float((c['rank_p95'] - c['rank_p05']).median()):.0f} places"
    )
    note = "peak RSS while running" if has_peak else "process peak RSS (ru_maxrss)"
    print(
        f"memory: {note}: {peak:.0f} MB (interpreter + panel + nominal run before: {base:.0f} MB)"
    )
    print()
    print(f"goal < {GOAL_SECONDS:g} s: {med:.2f} s — {verdict(med < GOAL_SECONDS)}")
    print(f"goal < {GOAL_MB:.0f} MB: {peak:.0f} MB — {verdict(peak < GOAL_MB)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
