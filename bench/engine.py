"""Benchmark the scoring engine at national scale, side by side with a naive pandas baseline.

Builds a synthetic national panel — 2,850 county-level units under 330 cities (6-digit codes),
every variable of the ``nx-2021`` framework (rubric items with 5 experts each), 11 data years —
with a fixed seed, then times:

* **cimon**: a full evaluation of all ten evaluation years from the long panel, with
  :func:`cimon.engine.pipeline.evaluate_years` (one pivot for all years) and with ten calls of
  :func:`cimon.engine.pipeline.evaluate`;
* **naive**: a plain pandas implementation of the same scoring (pivot, ``groupby().apply`` for the
  experts' trimmed means, ``iterrows`` per county: indicator formulas, growth, target attainment,
  points, sum, published score, class, rank). It is slow, so by default it runs on a subset of the
  evaluation years and its time is scaled linearly to ten years; the printout says so.

It checks that both give the same scores (max abs difference), then prints the timings, the ratio,
peak memory, and "goal met" / "goal missed" for each goal of the issue (ten years < 0.5 s on
2 cores, ≥ 20× the naive implementation, peak memory < 500 MB).

Run: ``.venv/bin/python bench/engine.py`` (``--help`` for options). Not a test.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import re
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

import cimon
from cimon.engine.pipeline import evaluate, evaluate_years
from cimon.model.framework import Framework
from cimon.model.panel import Panel
from cimon.model.regions import Region, RegionRegistry

GOAL_SECONDS = 0.5
GOAL_SPEEDUP = 20.0
GOAL_MB = 500.0

# --------------------------------------------------------------------------------------------
# synthetic data


def build_registry(units: int = 2850, cities: int = 330) -> RegionRegistry:
    """``units`` counties under ``cities`` cities, 11 cities per province, 6-digit codes
    ``PPCCXX`` (province, city, county); every 4th county tagged 山区县."""
    regions = []
    per_city: dict[int, int] = {}
    for i in range(units):
        city = i * cities // units
        prov, c = divmod(city, 11)
        per_city[city] = per_city.get(city, 0) + 1
        county = per_city[city]
        city_code = f"{11 + prov:02d}{c + 1:02d}00"
        regions.append(
            Region(
                code=f"{11 + prov:02d}{c + 1:02d}{county:02d}",
                name=f"合成{i:04d}县",
                city_code=city_code,
                city=f"合成{city:03d}市",
                province=f"合成{prov:02d}省",
                type="县" if i % 3 else "区",
                tags=("山区县",) if i % 4 == 0 else (),
            )
        )
    return RegionRegistry(regions, "<bench>")


def build_panel(
    framework: Framework, registry: RegionRegistry, years: Sequence[int], seed: int = 0
) -> Panel:
    """A long panel: every variable for every county and year, plausible magnitudes, a latent
    capacity per county that improves over the years (so counties spread over A/B/C), 0.3% of the
    quantitative cells absent, 1% marked ``estimated``, a few zero bases for growth, and 5 experts'
    integer scores per rubric item."""
    rng = np.random.default_rng(seed)
    n, t = len(registry), len(years)
    codes = np.array(registry.codes, dtype=object)
    cap = rng.uniform(0.05, 1.1, n)
    trend = 1.0 + 0.03 * np.arange(t)[:, None]  # t × 1

    def q() -> np.ndarray:  # t × n capacity with noise
        return cap[None, :] * trend * rng.lognormal(0.0, 0.15, (t, n))

    def size(level: float) -> np.ndarray:
        return level * rng.lognormal(0.0, 0.5, n)[None, :] * (1.02 ** np.arange(t))[:, None]

    v: dict[str, np.ndarray] = {}
    v["gdp"] = size(1e6)
    v["rd_exp"] = v["gdp"] * 0.025 * q()
    v["fiscal_exp"] = size(3e5)
    v["fiscal_st"] = v["fiscal_exp"] * 0.03 * q()
    base = size(800.0)[0] * cap
    growth = rng.normal(0.05, 0.15, (t, n)) + 0.1 * cap[None, :]
    v["fiscal_rd"] = base[None, :] * np.cumprod(1 + growth, axis=0)
    v["fiscal_rd"][:, rng.random(n) < 0.01] = 0.0  # zero base → growth undefined
    v["ent_revenue"] = size(5e5)
    v["ent_rd"] = v["ent_revenue"] * 0.015 * q()
    v["employment"] = size(2e5)
    v["rd_personnel"] = v["employment"] * 28e-4 * q()
    v["hte"] = np.round(30 * q())
    v["tsme"] = np.round(60 * q())
    v["ent_count"] = np.round(size(150.0)) + 1
    v["ent_with_rd"] = np.minimum(np.round(v["ent_count"] * 0.4 * q()), v["ent_count"])
    v["new_rd_inst"] = np.round(3 * q())
    v["sci_platforms"] = np.round(5 * q())
    v["ndrc_platforms"] = np.round(5 * q())
    v["incubators"] = np.round(5 * q())
    v["park_level"] = np.clip(np.floor(3 * q()), 0, 3)
    v["tech_commissioners"] = np.round(200 * q())
    v["population"] = size(3e5)
    v["invention_patents"] = np.round(v["population"] * 5e-4 * q())
    v["tech_contracts"] = 2e4 * q()
    v["ind_value_added"] = size(2e5)
    v["ht_value_added"] = v["ind_value_added"] * 0.4 * q()
    v["new_product_sales"] = v["ent_revenue"] * 0.2 * q()
    v["transfer_projects"] = np.round(30 * q())

    year_arr = np.asarray(years, dtype=np.int64)
    experts = 5
    sizes = [t * n * (experts if var.kind == "rubric" else 1) for var in framework.variables]
    total = sum(sizes)
    # fill one set of columns in place (shared string objects), not many frames to concatenate:
    # the panel is big enough that a wasteful build would dominate the memory figure
    region_col = np.empty(total, dtype=object)
    year_col = np.empty(total, dtype=np.int64)
    var_col = np.empty(total, dtype=object)
    value_col = np.empty(total)
    status_col = np.empty(total, dtype=object)
    source_col = np.empty(total, dtype=object)
    keep_col = np.ones(total, dtype=bool)
    statuses = np.array(["reported", "estimated"], dtype=object)
    expert_names = np.array([f"expert{e}" for e in range(experts)], dtype=object)
    at = 0
    for var, size in zip(framework.variables, sizes, strict=True):
        cut = slice(at, at + size)
        var_col[cut] = var.code
        if var.kind == "rubric":
            mean = 1.5 + 3.0 * np.minimum(q(), 1.2) / 1.2
            scores = np.round(mean[:, :, None] + rng.normal(0, 0.7, (t, n, experts)))
            region_col[cut] = np.tile(np.repeat(codes, experts), t)
            year_col[cut] = np.repeat(year_arr, n * experts)
            value_col[cut] = np.clip(scores, 0, 5).ravel()
            status_col[cut] = statuses[0]
            source_col[cut] = np.tile(expert_names, t * n)
        else:
            region_col[cut] = np.tile(codes, t)
            year_col[cut] = np.repeat(year_arr, n)
            value_col[cut] = v[var.code].ravel()
            status_col[cut] = statuses[(rng.random(size) < 0.01).astype(int)]
            source_col[cut] = f"{var.department}-{years[-1]}"
            keep_col[cut] = rng.random(size) >= 0.003
        at += size
    frame = pd.DataFrame(
        {
            "region_code": region_col[keep_col],
            "year": year_col[keep_col],
            "variable": var_col[keep_col],
            "value": value_col[keep_col],
            "status": status_col[keep_col],
            "source": source_col[keep_col],
        }
    )
    del region_col, year_col, var_col, value_col, status_col, source_col
    return Panel.from_frame(frame, "<bench>")


# --------------------------------------------------------------------------------------------
# the naive baseline: what an analyst would write with plain pandas


def _trimmed_mean(s: pd.Series) -> float:
    x = sorted(v for v in s if not math.isnan(v))
    if not x:
        return math.nan
    if len(x) >= 3:
        x = x[1:-1]
    return sum(x) / len(x)


def _div(a: float, b: float) -> float:
    if math.isnan(a) or math.isnan(b) or b == 0:
        return math.nan
    out = a / b
    return out if math.isfinite(out) else math.nan


def _growth(cur: float, base: float) -> float:
    if math.isnan(cur) or math.isnan(base):
        return math.nan
    if base == 0 and cur == 0:
        return 0.0
    if base <= 0:
        return math.nan
    return 100.0 * _div(cur - base, base)


NAIVE_FORMULAS: dict[str, Callable[[Any, Any], float]] = {
    "I01": lambda r, p: 100.0 * _div(r["rd_exp"], r["gdp"]),
    "I02": lambda r, p: _growth(r["fiscal_rd"], p["fiscal_rd"]),
    "I03": lambda r, p: 100.0 * _div(r["fiscal_st"], r["fiscal_exp"]),
    "I04": lambda r, p: 100.0 * _div(r["ent_rd"], r["ent_revenue"]),
    "I05": lambda r, p: 1e4 * _div(r["rd_personnel"], r["employment"]),
    "I06": lambda r, p: r["hte"],
    "I07": lambda r, p: r["tsme"],
    "I08": lambda r, p: 100.0 * _div(r["ent_with_rd"], r["ent_count"]),
    "I09": lambda r, p: r["new_rd_inst"],
    "I10": lambda r, p: r["sci_platforms"] + r["ndrc_platforms"],
    "I11": lambda r, p: r["incubators"],
    "I12": lambda r, p: r["park_level"],
    "I13": lambda r, p: r["tech_commissioners"],
    "I14": lambda r, p: 1e4 * _div(r["invention_patents"], r["population"]),
    "I15": lambda r, p: r["tech_contracts"],
    "I16": lambda r, p: 100.0 * _div(r["ht_value_added"], r["ind_value_added"]),
    "I17": lambda r, p: 100.0 * _div(r["new_product_sales"], r["ent_revenue"]),
    "I18": lambda r, p: r["transfer_projects"],
    "I19": lambda r, p: r["mgmt_org"],
    "I20": lambda r, p: r["mgmt_policy"],
    "I21": lambda r, p: r["mgmt_projects"],
}


def naive_wide(frame: pd.DataFrame, year: int, rubric: Sequence[str]) -> pd.DataFrame:
    rows = frame[frame["year"] == year]
    simple = rows[~rows["variable"].isin(rubric)]
    table = simple.pivot_table(index="region_code", columns="variable", values="value")
    experts = rows[rows["variable"].isin(rubric)]
    combined = experts.groupby(["region_code", "variable"])["value"].apply(_trimmed_mean)
    return table.join(combined.unstack("variable"))


def naive_year(
    framework: Framework, frame: pd.DataFrame, codes: list[str], year: int
) -> pd.DataFrame:
    """Score one evaluation year row by row (the nx-2021 framework written out by hand)."""
    rubric = [v.code for v in framework.variables if v.kind == "rubric"]
    data_year = year - framework.data_lag
    cur = naive_wide(frame, data_year, rubric).reindex(codes)
    prev = naive_wide(frame, data_year - 1, rubric).reindex(codes)
    spec = {}
    for ind in framework.indicators:
        nrm = ind.stages.get("normalise", {})
        treat = ind.stages.get("treat", {})
        spec[ind.code] = (ind.points, nrm, treat)
    out = []
    for code, row in cur.iterrows():
        p = prev.loc[code]
        total = 0.0
        for ind_code, fn in NAIVE_FORMULAS.items():
            points, nrm, treat = spec[ind_code]
            x = fn(row, p)
            if math.isnan(x):
                continue  # no data, no points
            if treat.get("method") == "bounds":
                x = min(max(x, treat["floor"]), treat["cap"])
            if nrm["method"] == "rubric":
                s = min(max(x / nrm["max_points"], 0.0), 1.0)
            else:
                s = min(max((x - nrm["floor"]) / (nrm["target"] - nrm["floor"]), 0.0), 1.0)
            total += s * points
        published = round(total, framework.rounding)
        cls = "A" if published >= 80 else "B" if published >= 60 else "C"
        out.append({"region_code": code, "score": total, "published": published, "class": cls})
    res = pd.DataFrame(out).set_index("region_code")
    res["rank"] = res["published"].rank(ascending=False, method="min").astype(int)
    return res


# --------------------------------------------------------------------------------------------
# timing


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best, median) wall time in seconds over ``repeat`` runs, and the last result (the previous
    result is dropped before each run, so two never coexist in memory)."""
    times = []
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), result


def memory_mb() -> dict[str, float]:
    """Resident set size now (``VmRSS``) and its peak (``VmHWM``), MB, from /proc (Linux); falls
    back to ``ru_maxrss`` for both elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            text = fh.read()
        return {
            k: int(re.search(rf"{k}:\s+(\d+)", text).group(1)) / 1024  # type: ignore[union-attr]
            for k in ("VmRSS", "VmHWM")
        }
    except OSError:
        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        mb = r / 1024 / (1024 if sys.platform == "darwin" else 1)
        return {"VmRSS": mb, "VmHWM": mb}


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux ≥ 4.0: write 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def verdict(ok: bool) -> str:
    return "goal met" if ok else "goal missed"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=2850)
    ap.add_argument("--cities", type=int, default=330)
    ap.add_argument("--first-year", type=int, default=2013, help="first data year")
    ap.add_argument("--data-years", type=int, default=11)
    ap.add_argument(
        "--naive-years", type=int, default=2, help="evaluation years the naive run does"
    )
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    fw = cimon.load_framework("nx-2021")
    t0 = time.perf_counter()
    registry = build_registry(args.units, args.cities)
    data_years = list(range(args.first_year, args.first_year + args.data_years))
    panel = build_panel(fw, registry, data_years, args.seed)
    eval_years = [y + fw.data_lag for y in data_years[1:]]
    build_s = time.perf_counter() - t0
    print("cimon engine benchmark")
    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}"
    )
    print(
        f"  panel: {len(registry):,} counties in {args.cities} cities × {len(fw.variables)} "
        f"variables × {len(data_years)} data years ({data_years[0]}–{data_years[-1]}) = "
        f"{len(panel.frame):,} rows (rubric items: 5 experts each), seed {args.seed}; "
        f"built in {build_s:.1f} s"
    )
    print(f"  evaluation years: {eval_years[0]}–{eval_years[-1]} ({len(eval_years)})")

    # 1. cimon, all ten years at once; memory peak of this phase alone
    gc.collect()
    base = memory_mb()["VmRSS"]
    has_peak = reset_peak()
    best, med, runs = best_of(lambda: evaluate_years(fw, panel, eval_years, registry), args.repeat)
    peak = memory_mb()["VmHWM"]
    tracemalloc.start()
    evaluate_years(fw, panel, eval_years, registry)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    # 2. cimon, ten calls of evaluate()
    per_best, per_med, _ = best_of(
        lambda: {y: evaluate(fw, panel, y, registry) for y in eval_years}, max(1, args.repeat // 2)
    )

    # 3. the naive baseline on a subset of the years, scaled
    naive_eval = eval_years[-args.naive_years :]
    t0 = time.perf_counter()
    naive = {y: naive_year(fw, panel.frame, registry.codes, y) for y in naive_eval}
    naive_s = time.perf_counter() - t0
    naive_scaled = naive_s * len(eval_years) / len(naive_eval)

    diffs = []
    same_class = same_rank = 0
    for y in naive_eval:
        res = runs[y].results
        nv = naive[y].reindex(res.index)
        diffs.append(float(np.max(np.abs(res["score"].to_numpy() - nv["score"].to_numpy()))))
        same_class += int((res["class"].to_numpy() == nv["class"].to_numpy()).sum())
        same_rank += int((res["rank"].to_numpy() == nv["rank"].to_numpy()).sum())
    cells = len(registry) * len(naive_eval)
    last = runs[eval_years[-1]]
    ten = len(eval_years)

    print()
    print(
        f"cimon evaluate_years(), {ten} years: median {med:.3f} s, best {best:.3f} s ({args.repeat} runs)"
    )
    print(f"cimon evaluate() × {ten}:        median {per_med:.3f} s, best {per_best:.3f} s")
    print(
        f"naive pandas (pivot + groupby-apply + iterrows): ran {len(naive_eval)} of {ten} years "
        f"({', '.join(map(str, naive_eval))}) × all {len(registry):,} counties in {naive_s:.2f} s; "
        f"scaled ×{ten / len(naive_eval):g} to {ten} years: {naive_scaled:.1f} s"
    )
    print(f"speed-up (naive scaled / cimon median): {naive_scaled / med:.0f}×")
    print(
        f"agreement on {len(naive_eval)} years: max |score diff| = {max(diffs):.3g}; "
        f"same class {same_class}/{cells}; same rank {same_rank}/{cells}"
    )
    print(
        f"classes {eval_years[-1]}: {last.class_counts()}; regen identical: {cimon.regen(last).equals(last)}"
    )
    peak_note = "peak RSS while evaluating" if has_peak else "process peak RSS (ru_maxrss)"
    print(
        f"memory: {peak_note}: {peak:.0f} MB (interpreter + panel before: {base:.0f} MB); "
        f"allocated by one evaluate_years() at its peak (tracemalloc): {traced:.0f} MB; "
        f"process peak overall: {memory_mb()['VmHWM']:.0f} MB"
    )
    print()
    sp = naive_scaled / med
    print(
        f"goal: {ten} years < {GOAL_SECONDS} s (median)   {med:.3f} s   {verdict(med < GOAL_SECONDS)}"
    )
    print(
        f"goal: ≥ {GOAL_SPEEDUP:.0f}× naive               {sp:.0f}×       {verdict(sp >= GOAL_SPEEDUP)}"
    )
    print(f"goal: peak memory < {GOAL_MB:.0f} MB       {peak:.0f} MB    {verdict(peak < GOAL_MB)}")
    print(f"check: same scores (|diff| < 1e-9)   {max(diffs):.1e}  {verdict(max(diffs) < 1e-9)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
