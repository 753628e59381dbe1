"""The commissioners' store at the issue's scale (issue #17) on PostgreSQL: 300,000 synthetic
commissioners (模拟数据) and 5,000,000 service records in a year, written with COPY, then

* a county's coverage page query (:func:`registry_coverage` for one county) and a
  commissioner's list (:func:`services_of`, the first 50) — p95 over repeated calls, one at a
  time (people's pace);
* the province's yearly assessment of everyone (:func:`compute_assessments`: the facts, the
  rules, storing 300,000 rows);

each beside a naive per-row implementation in the same run (one query per village, one query
set per commissioner), timed on a sample and extrapolated.

    createdb -h 127.0.0.1 -U postgres cimon_c17bench
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cimon_c17bench \\
        .venv/bin/python bench/commissioners.py [--people 300000] [--records 5000000] [--reuse]

The database must be empty or hold this benchmark's data of the same size (it is then reused;
``--reuse`` refuses to fill an empty one). The county page is timed through the store function
(:func:`county_coverage` without unknown codes: one EXISTS per village) and through
``/commissioners/monitor/county/<code>/`` with Django's test client, beside the former
implementation (the distinct villages of the county's records) and the naive one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time

YEAR = 2025


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def generate(people: int, records: int, villages: list[str]) -> None:
    from django.db import connection

    rng = random.Random(17)
    now = dt.datetime.now(dt.UTC)
    t = time.perf_counter()
    with connection.cursor() as cur:
        raw = cur.cursor
        with raw.copy(
            "COPY commissioners_commissioner (id, kind, status, label, created_at, created_by) "
            "FROM STDIN"
        ) as cp:
            for i in range(1, people + 1):
                cp.write_row((i, "individual", "active", "模拟数据", now, "bench"))
        with raw.copy(
            "COPY commissioners_commissionerversion (commissioner_id, number, name, gender, "
            "institution, title, expertise, expertise_text, phone, recorded_at, recorded_by) "
            "FROM STDIN"
        ) as cp:
            for i in range(1, people + 1):
                cp.write_row(
                    (i, 1, f"特派员{i}", "", "某单位（模拟）", "", "", "", "", now, "bench")
                )
        # each commissioner serves villages of one county (its home), on random days
        home = [rng.randrange(len(villages)) for _ in range(people + 1)]
        kinds = ("guidance", "training", "demo", "venture", "outreach")
        start = dt.date(YEAR, 1, 1)
        with raw.copy(
            "COPY commissioners_servicerecord (commissioner_id, date, village_code, town_code, "
            "county_code, kind, people_reached, notes, label, recorded_at, recorded_by) "
            "FROM STDIN"
        ) as cp:
            for _ in range(records):
                c = rng.randint(1, people)
                v = villages[(home[c] + rng.randrange(40)) % len(villages)]
                day = start + dt.timedelta(days=rng.randrange(365))
                cp.write_row((c, day, v, v[:9], v[:6], kinds[rng.randrange(5)],
                              rng.randrange(60), "", "模拟数据", now, "bench"))  # fmt: skip
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('commissioners_commissioner', 'id'), %s)",
            [people],
        )
        cur.execute("ANALYZE")
    print(f"generated {people:,} commissioners, {records:,} records with COPY: "
          f"{time.perf_counter() - t:.1f} s")  # fmt: skip


def _page_times(counties: list[str], calls: int) -> list[float]:
    """The county page through Django's test client, as the province's administrator."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    user = get_user_model().objects.filter(username="bench-prov").first()
    if user is None:
        user, _ = create_user("bench-prov", "admin", framework=load_framework("nx-2021"),
                              registry=default_registry(), password="bench-password-123")  # fmt: skip
    client = Client()
    client.force_login(user)
    times = []
    for i in range(calls):
        t = time.perf_counter()
        r = client.get(f"/commissioners/monitor/county/{counties[i % len(counties)]}/?year={YEAR}")
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=300_000)
    ap.add_argument("--records", type=int, default=5_000_000)
    ap.add_argument("--calls", type=int, default=30)
    ap.add_argument("--reuse", action="store_true", help="use the data already loaded")
    a = ap.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL: a PostgreSQL database of its own (see the docstring)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cimon.web.settings")
    # the test client's sessions are signed; a key for this process only
    os.environ.setdefault("CIMON_SECRET_KEY", "bench-only-secret-key-not-for-serving-0123456789")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cimon.store.commissioners.assessing import compute_assessments
    from cimon.store.commissioners.board import county_coverage
    from cimon.store.commissioners.models import Commissioner
    from cimon.store.commissioners.monitor import (
        registry_coverage,
        registry_villages,
        services_of,
    )
    from cimon.store.commissioners.records import Assessment, ServiceRecord
    from cimon.store.platform import platform_registry

    call_command("migrate", verbosity=0)
    counties = platform_registry().codes
    villages = registry_villages(counties)
    n = Commissioner.objects.count()
    if n == 0 and a.reuse:
        raise SystemExit("--reuse: the database holds no commissioners")
    if n == 0:
        generate(a.people, a.records, villages)
    elif n != a.people:
        raise SystemExit(f"the database holds {n:,} commissioners, not {a.people:,}: use a new one")
    rng = random.Random(5)

    # a county's coverage page
    registry_villages(counties[:1])  # the registry's first load is not the page's work
    times, before = [], []
    for i in range(a.calls):
        t = time.perf_counter()
        county_coverage(YEAR, [counties[i % len(counties)]], unknown=False)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        registry_coverage(YEAR, [counties[i % len(counties)]])
        before.append(time.perf_counter() - t)
    page = _page_times(counties, a.calls)
    county = counties[0]
    listed = registry_villages([county])
    t = time.perf_counter()
    for v in listed:  # naive: one query per village
        ServiceRecord.objects.current().in_year(YEAR).filter(village_code=v).exists()
    naive = time.perf_counter() - t
    print(f"county coverage (EXISTS per village): p95 {p95(times) * 1000:.0f} ms (median "
          f"{statistics.median(times) * 1000:.0f} ms) over {a.calls} calls; the page "
          f"/commissioners/monitor/county/<code>/: p95 {p95(page) * 1000:.0f} ms; former (the "
          f"county's distinct served villages): p95 {p95(before) * 1000:.0f} ms; naive one "
          f"query per village ({len(listed)} villages): {naive * 1000:.0f} ms")  # fmt: skip

    # a commissioner's list
    times = []
    for _ in range(a.calls):
        pk = rng.randint(1, a.people)
        t = time.perf_counter()
        list(services_of(pk, YEAR)[:50])
        times.append(time.perf_counter() - t)
    naive_times = []
    for _ in range(a.calls):  # naive: every record of the person, filtered and sorted in Python
        pk = rng.randint(1, a.people)
        t = time.perf_counter()
        rows = [r for r in ServiceRecord.objects.filter(commissioner_id=pk) if r.date.year == YEAR]
        rows.sort(key=lambda r: (r.date, r.pk), reverse=True)
        naive_times.append(time.perf_counter() - t)
    naive_one = p95(naive_times)
    print(f"commissioner's list: p95 {p95(times) * 1000:.1f} ms over {a.calls} calls; naive "
          f"(all its records as objects, sorted in Python): p95 {naive_one * 1000:.1f} ms")  # fmt: skip

    # the province's assessment
    Assessment.objects.all().delete()
    t = time.perf_counter()
    scored, stored, _ = compute_assessments(YEAR, "bench")
    whole = time.perf_counter() - t
    sample = rng.sample(range(1, a.people + 1), 500)
    t = time.perf_counter()
    for pk in sample:  # naive: one query set per commissioner
        qs = ServiceRecord.objects.current().in_year(YEAR).filter(commissioner_id=pk)
        qs.count()
        qs.values("date").distinct().count()
        list(Assessment.objects.filter(year=YEAR, commissioner_id=pk))
    per = (time.perf_counter() - t) / len(sample)
    print(f"province assessment of {len(scored):,} ({stored:,} stored): {whole:.1f} s; naive "
          f"per-commissioner queries (facts only, {len(sample)} sampled): "
          f"{per * 1000:.2f} ms each → {per * a.people:.0f} s for everyone")  # fmt: skip
    connection.close()


if __name__ == "__main__":
    main()
