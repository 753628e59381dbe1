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
* **store import, cimon** (``--store-enterprises``, default 100,000; 0 skips it): a database
  holding that many synthetic enterprises over the bundled counties (a temporary SQLite file;
  PostgreSQL when ``DATABASE_URL`` is set — an empty database of your own, it is migrated and
  filled) imports a ``--rows`` list through
  :func:`cimon.store.registry.services.import_list`: read, match against the stored records and
  write in one transaction (the list carries codes: 60 % as stored, 20 % under a Traditional
  variant of the name, 10 % under a changed name, 10 % new enterprises). Goal: < 30 s.
* **store import, row by row**: the same steps with the records read by a per-enterprise
  sub-query and every row written alone (:func:`cimon.store.registry.services.apply_row`, a
  few queries per row), on ``--store-naive-rows`` rows in a transaction rolled back, scaled.

Run: ``.venv/bin/python bench/registries.py`` (``--help`` for options). Not a test.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

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


def store_list(records: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """A list of ``n`` rows drawn from stored ``records`` (``id``, ``code``, ``name``,
    ``county``), every row with a code (an enterprise list must carry them)."""
    from cimon.registry.synthetic import synthetic_codes

    rng = np.random.default_rng(seed)
    one = records.drop_duplicates("id")
    pick = one.iloc[rng.choice(len(one), size=n, replace=False)].reset_index(drop=True)
    kind = rng.choice(4, size=n, p=[0.6, 0.2, 0.1, 0.1])
    names, codes = pick["name"].tolist(), pick["code"].tolist()
    held = set(codes)
    fresh = [c for c in synthetic_codes(n, sorted(set(pick["county"])), rng) if c not in held]
    for i in range(n):
        if kind[i] == 1:
            names[i] = names[i].replace("有限公司", "有限責任公司").replace("华", "華")
        elif kind[i] == 2:
            names[i] = names[i][:2] + "新" + names[i][3:]
        elif kind[i] == 3:
            names[i], codes[i] = f"模拟新企业{i}科技有限公司", fresh[i]
    return pd.DataFrame(
        {"name": names, "code": codes, "county": pick["county"], "date": "2023-11-28"}
    )


def store_import(a: argparse.Namespace) -> None:
    """The import through the store (see the module's docstring)."""
    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.TemporaryDirectory(prefix="cimon-bench-registry-")
        os.environ["CIMON_DB"] = str(Path(tmp.name) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cimon.store.settings")
    import django
    from django.core.management import call_command
    from django.db import connection, transaction

    django.setup()
    from django.utils import timezone

    from cimon.model.regions import default_registry
    from cimon.store.registry.demo import load_demo_registry
    from cimon.store.registry.models import Enterprise, EnterpriseName, ListImport
    from cimon.store.registry.services import apply_row, enterprise_records, import_list

    call_command("migrate", verbosity=0)
    if Enterprise.objects.exists():
        raise SystemExit("DATABASE_URL: the store benchmark needs an empty database of its own")
    regions = default_registry()
    t = time.perf_counter()
    load_demo_registry([r.code for r in regions], YEARS, n_enterprises=a.store_enterprises,
                       n_carriers=1_000, seed=a.seed)  # fmt: skip
    print(f"\nstore import ({connection.vendor}): {a.store_enterprises:,} enterprises stored over "
          f"{len(regions)} counties  [{time.perf_counter() - t:.1f} s]")  # fmt: skip
    listed = store_list(enterprise_records(), a.rows, a.seed + 2)
    data = xlsx(listed)

    # ---- the former path: records by sub-query, rows written one by one (a few, rolled back)
    class Rollback(Exception):
        pass

    t = time.perf_counter()
    read = read_list(data, "高企名单.xlsx", regions=regions)
    county = dict(Enterprise.objects.with_county().values_list("pk", "county"))
    old_records = pd.DataFrame(
        [
            (e, code if valid else "", name, county.get(e) or "")
            for e, code, valid, name in EnterpriseName.objects.values_list(
                "enterprise_id", "enterprise__code", "enterprise__code_valid", "name"
            )
        ],
        columns=["id", "code", "name", "county"],
    )  # the former enterprise_records(): one sub-query per enterprise for its county
    rows = read.rows.reset_index(drop=True)
    result = match_rows(rows, old_records)
    t_prep = time.perf_counter() - t
    t_rows, written = 0.0, 0
    try:
        with transaction.atomic():
            li = ListImport.objects.create(file_name="bench", content=b"", sha256="", size=0,
                                           list_kind="enterprise", kind="高新技术企业",
                                           created_at=timezone.now(), outcome="accepted")  # fmt: skip
            t = time.perf_counter()
            for row, st, rec, ok in zip(rows.to_dict("records"), result["status"],
                                        result["record"], result["code_valid"], strict=True):  # fmt: skip
                if st in ("ambiguous", "conflict"):
                    continue
                row = {k: (v.date().isoformat() if isinstance(v, pd.Timestamp) else v)
                       for k, v in row.items()}  # fmt: skip
                row.update(kind="高新技术企业", _code_valid=bool(ok))
                apply_row(
                    li, "enterprise", row, None if st == "new" else rec, "bench", li.created_at
                )
                written += 1
                if written == a.store_naive_rows:
                    break
            t_rows = time.perf_counter() - t
            raise Rollback
    except Rollback:
        pass
    per_row = t_rows / max(written, 1)

    # ---- the import, whole
    t = time.perf_counter()
    r = import_list(data, "高企名单.xlsx", kind="高新技术企业", user="bench", regions=regions)
    total = time.perf_counter() - t
    assert r.ok, [i.render() for i in r.report][:5]
    naive = t_prep + per_row * r.written
    print(f"  a {a.rows:,}-row list ({len(data) / 1e6:.1f} MB .xlsx): {r.written:,} rows "
          f"written, {len(r.reviews):,} to review; statuses {r.statuses}")  # fmt: skip
    print(f"  cimon        {total:8.2f} s  (read, match, bulk write, one transaction)  "
          f"goal < 30 s: {'met' if total < 30 else 'MISSED'}")  # fmt: skip
    print(f"  row by row   {naive:8.2f} s  (read, records by sub-query and match "
          f"{t_prep:.2f} s; {written} rows written one by one in {t_rows:.2f} s, "
          f"{per_row * 1000:.1f} ms/row, × {r.written:,} rows)")  # fmt: skip
    if tmp is not None:
        connection.close()
        tmp.cleanup()


def library(a: argparse.Namespace) -> None:
    """The library's counts and import (see the module's docstring)."""
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--enterprises", type=int, default=500_000)
    ap.add_argument("--carriers", type=int, default=50_000)
    ap.add_argument("--counties", type=int, default=2_850)
    ap.add_argument("--rows", type=int, default=20_000, help="rows of the imported list")
    ap.add_argument("--naive-rows", type=int, default=50, help="rows the naive matcher runs on")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--store-enterprises",
        type=int,
        default=100_000,
        help="enterprises stored before the store import (0: skip it)",
    )
    ap.add_argument(
        "--store-naive-rows", type=int, default=200, help="rows the row-by-row store import runs on"
    )
    ap.add_argument(
        "--library",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the library's counts and import (--no-library: the store import only)",
    )
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.library:
        library(a)
    if a.store_enterprises:
        store_import(a)


if __name__ == "__main__":
    main()
