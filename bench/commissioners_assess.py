"""Time :func:`cimon.analysis.commissioners.assess` on 300,000 synthetic commissioners
(模拟数据) beside a naive per-row loop over the same rules (issue #17 item 3).

    .venv/bin/python bench/commissioners_assess.py [--rows 300000] [--naive-rows 20000]

The naive loop scores one row at a time (a Python dict per row, the same formula); it is timed
on ``--naive-rows`` rows and scaled to the full count, and its scores are checked against the
vectorised ones on those rows.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from cimon.analysis.commissioners import GRADES, assess, load_assessment_rules


def synthetic(n: int, seed: int = 17) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    required = rng.integers(0, 6, n)
    ratings = rng.integers(0, 20, n)
    grades = np.asarray([*GRADES, None], dtype=object)
    return pd.DataFrame(
        {
            "commissioner_id": np.arange(1, n + 1),
            "name": [f"特派员{i}" for i in range(n)],
            "county_code": rng.choice([f"6401{k:02d}" for k in range(22)], n),
            "service_days": rng.integers(0, 120, n),
            "records": rng.integers(0, 60, n),
            "tasks_required": required,
            "tasks_done": np.minimum(required, rng.integers(0, 6, n)),
            "ratings": ratings,
            "satisfaction": np.where(ratings > 0, np.round(rng.uniform(2.0, 5.0, n), 2), np.nan),
            "unit_rating": rng.choice(grades, n, p=[0.3, 0.4, 0.2, 0.05, 0.05]),
            "county_grade": rng.choice(grades, n, p=[0.3, 0.4, 0.2, 0.05, 0.05]),
        }
    )


def naive_scores(frame: pd.DataFrame) -> list[float]:
    """The default rule set's score, grade by score and a short reason, one row at a time
    (no caps, no quota: less work than :func:`assess` does)."""
    pts = {"优秀": 100.0, "良好": 85.0, "合格": 70.0, "不合格": 0.0}
    out = []
    reasons = []
    for row in frame.to_dict("records"):
        num = den = 0.0
        num += 30 * min(row["service_days"] / 60, 1.0)
        num += 10 * min(row["records"] / 24, 1.0)
        den += 40
        if row["tasks_required"] > 0:
            num += 25 * row["tasks_done"] / row["tasks_required"]
            den += 25
        if row["ratings"] >= 3:
            num += 15 * row["satisfaction"] / 5
            den += 15
        for col in ("unit_rating", "county_grade"):
            if isinstance(row[col], str):
                num += 10 * pts[row[col]] / 100
                den += 10
        score = 100 * num / den
        grade = next(
            (g for g, t in zip(GRADES, (90, 75, 60), strict=False) if score >= t), "不合格"
        )
        reasons.append(f"{grade}：得分 {score:.2f}（服务天数 {row['service_days']} 天）")
        out.append(score)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--naive-rows", type=int, default=20_000)
    args = ap.parse_args()
    rules = load_assessment_rules()
    frame = synthetic(args.rows)
    t0 = time.perf_counter()
    out = assess(frame, rules)
    vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    bare = assess(frame, rules, reasons=False)
    vec_bare = time.perf_counter() - t0
    assert bare["grade"].equals(out["grade"])
    part = frame.head(args.naive_rows)
    t0 = time.perf_counter()
    naive = naive_scores(part)
    slow = (time.perf_counter() - t0) * args.rows / len(part)
    # the vectorised score is rounded to 2 decimals
    assert np.allclose(out["score"].head(len(part)), naive, rtol=0, atol=0.0051), "scores differ"
    rows = frame.head(200)
    t0 = time.perf_counter()
    for i in range(len(rows)):
        assess(rows.iloc[[i]], rules)
    per_row = (time.perf_counter() - t0) * args.rows / len(rows)
    counts = out["grade"].value_counts().reindex(list(GRADES), fill_value=0)
    print(f"rows: {args.rows:,} (模拟数据)")
    print(f"vectorised assess (score, grade, caps, quota, reasons zh+en): {vec:.2f} s")
    print(f"vectorised assess without the reasons texts (reasons=False): {vec_bare:.2f} s")
    print(
        f"naive per-row loop (score, grade, one-line reason), scaled from {len(part):,} rows: {slow:.2f} s"
    )
    print(
        f"the same engine called once per row (full output), scaled from 200 rows: {per_row:.0f} s"
    )
    print("grades: " + ", ".join(f"{g} {n:,}" for g, n in counts.items()))
    print(f"cut by the 优秀 quota: {int(out['quota_cut'].sum()):,}")


if __name__ == "__main__":
    main()
