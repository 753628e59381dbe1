"""Benchmark the registries (issue #16): every county's derived counts for ten years, and the
import of a 20,000-row official list, side by side with the per-record code one would write first.

Synthetic national scale (模拟数据, fixed seed): 2,850 counties (codes ``PPCCXX`` under the real
province prefixes), 500,000 enterprises with valid 统一社会信用代码, 5 % of them moving county
once, about 250,000 高企 certificates (40 % re-recognised) and 100,000 科小 entries, 50,000
carriers of five kinds and three levels (10 % revoked or expired). Times:

* **counts, cimon**: :meth:`cimon.registry.counts.Registry.build` once, then
  :func:`cimon.registry.counts.count_years` on 31 December of ten data years (counts and
  drill-down rows), median of ``--repeat`` runs. Goal: < 5 s.
* **counts, naive**: Python loops over the records for one date (each enterprise's county from
  its history, each certificate's validity, each carrier's status), scaled ×10 to ten years; its
  counts are compared with cimon's for that year.
* **import, cimon**: a 20,000-row list written as ``.xlsx`` (60 % listed with their code, 20 %
  by a variant of their name without code — Traditional characters, 有限责任公司 for 有限公司 —,
  10 % with a typo in the name, 10 % new), read by :func:`cimon.registry.lists.read_list` within
  the intake limits, then matched by :func:`cimon.registry.match.match_rows` against the 500,000
  records (index built in the timing). Goal: < 30 s.
* **import, naive**: per row, a scan of every record for the code, then for the normalised name,
  then RapidFuzz ``fuzz.ratio`` against each record of the county in a Python loop; on
  ``--naive-rows`` rows, scaled to 20,000.

Run: ``.venv/bin/python bench/registries.py`` (``--help`` for options). Not a test.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import numpy as np
import pandas as pd
from openpyxl import Workbook

from cimon.registry.codes import PROVINCES
from cimon.registry.counts import Registry, count_on, count_years, year_end
from cimon.registry.lists import read_list
from cimon.registry.match import match_rows
from cimon.registry.names import name_key, name_keys
from cimon.registry.synthetic import synthetic_registry

YEARS = tuple(range(2014, 2024))


def counties(n: int) -> list[str]:
    provinces = sorted(p for p in PROVINCES if p < "70")
    return [
        f"{provinces[i % len(provinces)]}{1 + i // 300 % 99:02d}{1 + i % 99:02d}" for i in range(n)
    ]


def naive_counts(s, on: pd.Timestamp) -> dict[tuple[str, str, str, str], int]:  # type: ignore[no-untyped-def]
    county: dict[object, tuple[pd.Timestamp, str]] = {}
    for e, c, since in s.history.itertuples(index=False):
        when = pd.Timestamp.min if pd.isna(since) else since
        if when <= on and (e not in county or county[e][0] <= when):
            county[e] = (when, c)
    seen: set[tuple[object, str]] = set()
    out: dict[tuple[str, str, str, str], int] = {}
    for q in s.qualifications.itertuples(index=False):
        end = q.end if not pd.isna(q.end) else q.start + pd.DateOffset(years=3)
        if not pd.isna(q.revoked):
            end = min(end, q.revoked)
        if q.start <= on < end and q.enterprise in county and (q.enterprise, q.kind) not in seen:
            seen.add((q.enterprise, q.kind))
            key = (county[q.enterprise][1], "qualification", q.kind, "")
            out[key] = out.get(key, 0) + 1
    for c in s.carriers.itertuples(index=False):
        end = pd.Timestamp.max
        if c.status in ("撤销", "到期"):
            end = c.status_date if not pd.isna(c.status_date) else pd.Timestamp.min
        if c.start <= on < end:
            key = (c.county, "carrier", c.kind, c.level)
            out[key] = out.get(key, 0) + 1
    return out


def incoming_list(enterprises: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    pick = enterprises.iloc[rng.choice(len(enterprises), size=n, replace=False)].reset_index(
        drop=True
    )
    kind = rng.choice(4, size=n, p=[0.6, 0.2, 0.1, 0.1])
    names = pick["name"].tolist()
    codes = pick["code"].tolist()
    for i in range(n):
        if kind[i] == 1:
            codes[i] = ""
            names[i] = names[i].replace("有限公司", "有限責任公司").replace("华", "華")
        elif kind[i] == 2:
            codes[i] = ""
            names[i] = names[i][:2] + "新" + names[i][3:]
        elif kind[i] == 3:
            codes[i] = ""
            names[i] = f"模拟新企业{i}科技有限公司"
    return pd.DataFrame(
        {"name": names, "code": codes, "county": pick["county"], "date": "2023-11-28"}
    )


def xlsx(frame: pd.DataFrame) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    ws.append(["序号", "企业名称", "统一社会信用代码", "发证日期", "有效期", "区划代码"])
    for i, r in enumerate(frame.itertuples(index=False), start=1):
        ws.append([i, r.name, r.code, r.date, "三年", r.county])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def naive_match(rows: pd.DataFrame, records: pd.DataFrame) -> list[str]:
    """Per row, linear scans of every record (the record keys are computed once, to be fair)."""
    from rapidfuzz import fuzz

    rec = list(records.itertuples(index=False))
    keys = name_keys(records["name"])
    out = []
    for r in rows.itertuples(index=False):
        if r.code and [x for x in rec if x.code == r.code]:
            out.append("code")
            continue
        key = name_key(r.name)
        hits = [x for x, k in zip(rec, keys, strict=True) if k == key]
        if hits:
            out.append("name" if len(hits) == 1 else "ambiguous")
            continue
        close = [
            x
            for x, k in zip(rec, keys, strict=True)
            if x.county == r.county and fuzz.ratio(key, k) >= 85
        ]
        out.append("ambiguous" if close else "new")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--enterprises", type=int, default=500_000)
    ap.add_argument("--carriers", type=int, default=50_000)
    ap.add_argument("--counties", type=int, default=2_850)
    ap.add_argument("--rows", type=int, default=20_000, help="rows of the imported list")
    ap.add_argument("--naive-rows", type=int, default=50, help="rows the naive matcher runs on")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    t = time.perf_counter()
    s = synthetic_registry(a.enterprises, a.carriers, counties(a.counties), YEARS, seed=a.seed)
    print(f"synthetic registry (模拟数据): {len(s.enterprises):,} enterprises, "
          f"{len(s.qualifications):,} qualifications, {len(s.history):,} county rows, "
          f"{len(s.carriers):,} carriers, {a.counties:,} counties  [{time.perf_counter() - t:.1f} s]")  # fmt: skip

    # ---- counts
    times = []
    for _ in range(a.repeat):
        t = time.perf_counter()
        reg = Registry.build(s.qualifications, s.history, s.carriers)
        counts = count_years(reg, YEARS)
        times.append(time.perf_counter() - t)
    cimon_counts = statistics.median(times)
    rows = sum(len(c.records) for c in counts.values())
    cells = sum(len(c.table) for c in counts.values())
    t = time.perf_counter()
    ref = naive_counts(s, year_end(YEARS[-1]))
    naive_one = time.perf_counter() - t
    got = {
        (r.county, r.source, r.kind, r.level): r.count
        for r in count_on(reg, year_end(YEARS[-1])).table.itertuples(index=False)
    }
    print("\ncounts: every county, kind and level on 31 Dec of ten data years")
    print(f"  cimon  {cimon_counts:8.2f} s  (build + 10 dates, median of {a.repeat}; "
          f"{cells:,} counts, {rows:,} drill-down rows)  goal < 5 s: "
          f"{'met' if cimon_counts < 5 else 'MISSED'}")  # fmt: skip
    print(
        f"  naive  {naive_one * len(YEARS):8.2f} s  (one date {naive_one:.2f} s, scaled ×{len(YEARS)})"
    )
    print(f"  agreement on {YEARS[-1]}: {'identical' if got == ref else 'DIFFERENT'} "
          f"({len(got):,} counts)")  # fmt: skip

    # ---- import
    listed = incoming_list(s.enterprises, a.rows, a.seed + 1)
    data = xlsx(listed)
    t = time.perf_counter()
    read = read_list(data, "高企名单.xlsx", require_code=False)  # 40 % listed without code
    t_read = time.perf_counter() - t
    assert read.ok, [i.render() for i in read.report][:5]
    t = time.perf_counter()
    result = match_rows(read.rows, s.enterprises)
    t_match = time.perf_counter() - t
    total = t_read + t_match
    statuses = result["status"].value_counts().to_dict()
    print(f"\nimport: a {a.rows:,}-row list ({len(data) / 1e6:.1f} MB .xlsx) against "
          f"{len(s.enterprises):,} records")  # fmt: skip
    print(f"  cimon  {total:8.2f} s  (read {t_read:.2f} s within the limits; index + match "
          f"{t_match:.2f} s)  goal < 30 s: {'met' if total < 30 else 'MISSED'}")  # fmt: skip
    print(f"         statuses: {statuses}")
    sub = read.rows.head(a.naive_rows)
    t = time.perf_counter()
    naive = naive_match(sub, s.enterprises)
    naive_t = time.perf_counter() - t
    print(f"  naive  {naive_t * a.rows / len(sub):8.0f} s  ({len(sub)} rows in {naive_t:.1f} s, "
          f"scaled ×{a.rows / len(sub):,.0f})")  # fmt: skip
    same = sum(
        1 for st, nv in zip(result["status"].head(len(sub)), naive, strict=True)
        if st == nv or (st in ("name", "code") and nv in ("name", "code"))
    )  # fmt: skip
    print(f"  agreement on those rows: {same}/{len(sub)} statuses")


if __name__ == "__main__":
    main()
