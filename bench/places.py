"""Benchmark counting places against stable peers (rank.places=overtaken) in every replicate of
the robustness Monte Carlo, side by side with the pairwise count one would write first.

Synthetic national scale: 2,850 counties, ``-n`` replicates (default 1,000) of this year's and
last year's published scores in integer hundredths (uniform 40.00–95.00, fixed seed), classes from
the A ≥ 80 / B ≥ 60 / C bands, 3% of counties new this year. Times:

* **cimon**: :func:`cimon.analysis.places.peer_places_rows` — all replicates at once, by blocks:
  a histogram of the peers' scores per (replicate, class) summed from the top, read at each
  county's score (O(m·(n + classes·range)));
* **pairwise**: per replicate, the n × n comparison matrices of who was ahead last year and who is
  ahead this year among the stable peers (O(m·n²)). It is slow, so it runs ``--pairwise``
  replicates and its time is scaled linearly to ``-n``; the printout says so. Its counts are
  compared with cimon's on those replicates.

Run: ``.venv/bin/python bench/places.py`` (``--help`` for options). Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence

import numpy as np

from cimon.analysis.places import peer_places_rows


def _classes(cents: np.ndarray) -> np.ndarray:
    return np.where(cents >= 8000, 0, np.where(cents >= 6000, 1, 2))


def pairwise(
    cents: np.ndarray, prev: np.ndarray, matched: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The straightforward count (ties ``min``), one replicate at a time."""
    m, n = cents.shape
    in_class = np.zeros((m, n), np.int64)
    overall = np.zeros((m, n), np.int64)
    others = matched[None, :] & ~np.eye(n, dtype=bool)
    for r in range(m):
        c, p = cents[r], prev[r]
        cls, cls_prev = _classes(c), _classes(p)
        before = p[None, :] > p[:, None]
        now = c[None, :] > c[:, None]
        stable = others & (cls_prev == cls)[None, :] & (cls[None, :] == cls[:, None])
        in_class[r] = (before & stable).sum(1) - (now & stable).sum(1)
        overall[r] = (before & others).sum(1) - (now & others).sum(1)
    return in_class, overall


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=2850)
    ap.add_argument("-n", "--replicates", type=int, default=1000)
    ap.add_argument("--pairwise", type=int, default=5, help="replicates the pairwise count runs")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    m, n = args.replicates, args.units
    cents = rng.integers(4000, 9501, (m, n))
    prev = rng.integers(4000, 9501, (m, n))
    matched = rng.random(n) > 0.03
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        in_class, overall = peer_places_rows(cents, prev, _classes(cents), _classes(prev), matched)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    k = min(args.pairwise, m)
    t0 = time.perf_counter()
    want_in, want_all = pairwise(cents[:k], prev[:k], matched)
    naive = time.perf_counter() - t0
    scaled = naive / k * m
    same = np.array_equal(want_in[:, matched], in_class[:k, matched]) and np.array_equal(
        want_all[:, matched], overall[:k, matched]
    )
    print("cimon places benchmark (rank.places=overtaken in the Monte Carlo)")
    print(f"{n:,} counties × {m:,} replicates")
    print(f"cimon peer_places_rows: median {med:.2f} s of {args.repeat}")
    print(
        f"pairwise n×n per replicate: {naive:.2f} s for {k} replicates, scaled to {m:,}: {scaled:.1f} s"
    )
    print(f"speed-up (pairwise scaled / cimon median): {scaled / med:.0f}×")
    print(f"agreement on {k} replicates: {'identical counts' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
