"""Time the monitoring and assessment pages (#17) on PostgreSQL at the issue's scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cimon_bench_pages \\
        .venv/bin/python bench/commissioners_pages.py [--people 300000] [--records 5000000]

Fills an empty migrated database with ``--people`` active commissioners (a profile and an
accepted dispatch each, spread over the registry's Ningxia counties) and ``--records`` current
service records of this year on the registry's real village codes (SQL ``generate_series``),
then times each page through Django's test client (best of 5, the whole request) for the
province and for 西吉县's clerk. Synthetic data (模拟数据); never point it at a real database.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cimon.web.settings")
# the test client's sessions are signed; a key for this process only
os.environ.setdefault("CIMON_SECRET_KEY", "bench-only-secret-key-not-for-serving-0123456789")


def fill(people: int, records: int, year: int) -> None:
    from django.db import connection

    from cimon.model.regions import default_registry
    from cimon.registry.villages import villages

    counties = [r.code for r in default_registry()]
    codes = villages(province="64")["code"].tolist()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM commissioners_commissioner")
        if cur.fetchone()[0]:
            return
        cur.execute(
            """INSERT INTO commissioners_commissioner (kind, status, label, created_at, created_by)
               SELECT 'individual', 'active', '模拟数据', now(), 'bench'
               FROM generate_series(1, %s)""",
            [people],
        )
        cur.execute(
            """INSERT INTO commissioners_commissionerversion (commissioner_id, number, name,
               gender, institution, title, expertise, expertise_text, phone, recorded_at,
               recorded_by) SELECT id, 1, '特派员' || id, '', '', '', '', '', '', now(), 'bench'
               FROM commissioners_commissioner"""
        )
        cur.execute(
            """INSERT INTO commissioners_dispatch (commissioner_id, object_name, object_kind,
               county_code, town_code, village_code, start_on, end_on, tasks, status, label,
               proposed_at, proposed_by, decided_by, ended_by, end_note)
               SELECT id, '合作社', 'coop', (%s::text[])[1 + id %% %s], '', '',
               make_date(%s, 1, 1), make_date(%s, 12, 31), '[]', 'accepted', '模拟数据', now(),
               'bench', '', '', '' FROM commissioners_commissioner""",
            [counties, len(counties), year, year],
        )
        cur.execute(
            """INSERT INTO commissioners_servicerecord (commissioner_id, date, village_code,
               town_code, county_code, kind, people_reached, notes, label, recorded_at,
               recorded_by)
               SELECT (SELECT min(id) FROM commissioners_commissioner) + (g * 7919) %% %s, make_date(%s, 1, 1) + (g %% 330)::int,
               v, substr(v, 1, 9), substr(v, 1, 6),
               (ARRAY['guidance','training','demo','venture','outreach'])[1 + g %% 5], g %% 40,
               '', '模拟数据', now(), 'bench'
               FROM (SELECT g, (%s::text[])[1 + (g * 31) %% %s] AS v
                     FROM generate_series(1::bigint, %s::bigint) g) s""",
            [people, year, codes, len(codes) // 2, records],
        )
        cur.execute("ANALYZE")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=300_000)
    ap.add_argument("--records", type=int, default=5_000_000)
    args = ap.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    year = timezone.localdate().year
    t0 = time.perf_counter()
    fill(args.people, args.records, year)
    print(f"fill: {time.perf_counter() - t0:.1f} s")
    fw, reg = load_framework("nx-2021"), default_registry()
    users = {}
    for name, role, region in (("bench-prov", "admin", None), ("bench-xiji", "county", "西吉县")):
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            user, _ = create_user(name, role, framework=fw, registry=reg, region=region,
                                  password="bench-password-123")  # fmt: skip
        users[role] = user
    pages = [
        ("admin", "/commissioners/monitor/"),
        ("county", "/commissioners/monitor/"),
        ("county", "/commissioners/monitor/county/640422/"),
        ("admin", "/commissioners/monitor/alerts/?days=30"),
        ("admin", "/commissioners/monitor/alerts/?days=30&page=500"),
        ("county", "/commissioners/monitor/alerts/?days=30"),
        ("admin", "/commissioners/monitor/teams/"),
        ("admin", "/commissioners/assessment/"),
    ]
    for role, url in pages:
        c = Client()
        c.force_login(users[role])
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            r = c.get(url)
            best = min(best, time.perf_counter() - t)
            assert r.status_code == 200, (url, r.status_code)
        print(f"{role:7} {url:55} {best * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
