"""Benchmark the web platform under load: gunicorn on loopback against PostgreSQL.

What it does (a script, not a test):

1. **Database**: drops and creates ``cimon_bench`` on the PostgreSQL server of ``--pg`` (default
   ``postgres://postgres@127.0.0.1:5432``), migrates it, imports the shipped synthetic demo
   panel (as ``cimon serve`` does on its first start), creates an administrator, a viewer and
   one clerk per supplying department, and runs → puts on notice → publishes the evaluations of
   2024 and 2025 through the workflow service (so 2025 has a previous year: incentives).
2. **Servers**: starts ``gunicorn cimon.web.wsgi`` (sync workers) on 127.0.0.1 three times in
   the same run: ``--workers`` workers (default 4) keeping their database connections
   (``CIMON_DB_CONN_MAX_AGE=60``, as a production server would), the same with one connection
   per request (the settings' default), and the baseline: 1 worker, a connection per request.
3. **Reads**: a viewer logs in (the real login form, CSRF token and all); then ``--clients``
   threads (default 50), each opening a connection per request, ask one URL for ``--seconds``
   seconds, twice: in a closed loop (no think time: every client asks again as soon as it has
   its answer, the saturation case) and with ``--think`` seconds (default 1, ± 50 %) between a
   client's requests (people reading pages). URLs: the published results page, the dashboard's
   province and county pages (when the dashboard app is installed), and the API's results and
   county endpoints. Prints p50/p95/p99 latency, throughput and errors per URL and server, and
   whether p95 < 150 ms on the first server.
4. **Uploads**: ``--uploads`` (default 20) valid department workbooks (the portal's own
   template, prefilled with the demo's latest values scaled by a per-upload factor, warnings
   acknowledged with a reason) are posted at once, round robin over the five departments, each
   by its department's clerk. Afterwards every upload must be accounted for: one HTTP redirect
   to its submission, a submission row that is accepted (or superseded by a later one of the
   same department), exactly the workbook's number of observations under each submission, for
   every (county, variable) exactly one current observation, all of one department's current
   values from the same (the last committed) upload, and every other upload's values kept as
   superseded history, with the values of its file.

Run: ``.venv/bin/python bench/web.py`` (``--help`` for options; about five minutes). The load
generator is Python threads on the same machine as the server: it takes CPU from gunicorn,
so the figures are an upper bound on what a separate client would see.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOAL_P95_MS = 150.0
PASSWORD = "bench-password-correct-9"
HOST = "127.0.0.1"
Config = tuple[int, int]  # gunicorn workers, CIMON_DB_CONN_MAX_AGE


# --- a minimal HTTP client with a cookie jar ----------------------------------------------------


@dataclass
class Browser:
    """Cookies and the CSRF token of one logged-in user; one connection per request."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def login(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _headers, _ = self.request(
            "POST",
            "/accounts/login/",
            body=(
                f"username={username}&password={PASSWORD}"
                f"&csrfmiddlewaretoken={self.cookies['csrftoken']}"
            ).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login of {username} failed: HTTP {status}")

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> tuple[int, dict[str, str], bytes]:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for k, v in {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            )
        for k, (name, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; '
                f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


# --- database ------------------------------------------------------------------------------------


def create_database(pg: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg}/{name}"


def prepare(departments_out: list[str]) -> dict[str, Any]:
    """Migrate, load the demo, create the users, publish 2024 and 2025 (Django is set up)."""
    from cimon.store.setup import ensure_django

    ensure_django()
    from django.utils import timezone

    from cimon.store.accounts.services import create_user
    from cimon.web.evaluations import services as wf
    from cimon.web.serving import load_demo
    from cimon.web.submissions.portal import web_framework, web_registry

    t0 = time.perf_counter()
    _, open_year = load_demo()
    fw, reg = web_framework(), web_registry()
    admin, _ = create_user("admin", "admin", framework=fw, registry=reg, password=PASSWORD)
    create_user("viewer", "viewer", framework=fw, registry=reg, password=PASSWORD)
    for i, dept in enumerate(d for d in fw.departments if d != "县"):
        create_user(
            f"dept{i}", "department", department=dept, framework=fw, registry=reg, password=PASSWORD
        )
        departments_out.append(dept)
    today = timezone.localdate()
    years = []
    for year in (open_year - 2, open_year - 1):
        ev = wf.execute(wf.start(admin, year, queue=False).pk)
        if ev.status != "review":
            raise SystemExit(f"evaluation of {year} failed: {ev.error}")
        wf.put_on_notice(
            admin,
            ev,
            today - timedelta(days=10),
            today - timedelta(days=3),
            override_reason="bench: a notice held earlier",
        )
        wf.publish(admin, ev)
        years.append(year)
    seconds = time.perf_counter() - t0
    # the worker makes each version's snapshot (robustness analysis and downloads), as it does
    # after a publication on a server: the pages then read them
    from cimon.store.evaluations.tasks import work

    t0 = time.perf_counter()
    work("bench", batch=True, verbosity=0)
    return {
        "open_year": open_year,
        "published": years,
        "seconds": seconds,
        "snapshot_seconds": time.perf_counter() - t0,
    }


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    workers: int, env: dict[str, str], conn_max_age: int = 0
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**env, "CIMON_DB_CONN_MAX_AGE": str(conn_max_age)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        "cimon.web.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start within 60 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- load ------------------------------------------------------------------------------------------


@dataclass
class Load:
    url: str
    latencies: list[float]
    errors: int
    seconds: float

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies)
        if not xs:
            return float("nan")
        return xs[min(len(xs) - 1, round(q / 100 * (len(xs) - 1)))] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


def prime(port: int, cookies: dict[str, str], url: str, n: int) -> None:
    """``n`` requests for ``url`` at once, waited for: every worker builds its caches (the
    dashboard rebuilds a published version's Run once per process, about 1 s) before anything is
    measured, so the figures are the steady state."""
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}

    def one() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        conn.request("GET", url, headers=header)
        conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=one, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def drive(
    port: int, cookies: dict[str, str], url: str, clients: int, seconds: float, think: float = 0.0
) -> Load:
    """``clients`` threads asking ``url`` for ``seconds`` (after 1 s warm-up), each waiting
    ``think`` seconds (± 50 %, fixed seed) after every answer; 0: a closed loop."""
    header = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    start = threading.Barrier(clients + 1)
    warm_until = [0.0]
    stop_at = [0.0]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        bad = 0
        start.wait()
        if think:  # spread the first requests over one think time
            time.sleep(rng.uniform(0, think))
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at[0]:
                break
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                conn.request("GET", url, headers=header)
                r = conn.getresponse()
                r.read()
                conn.close()
                ok = r.status == 200
            except OSError:
                ok = False
            t1 = time.perf_counter()
            if t0 >= warm_until[0]:
                if ok:
                    mine.append(t1 - t0)
                else:
                    bad += 1
            if think:
                time.sleep(think * rng.uniform(0.5, 1.5))
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    now = time.perf_counter()
    warm_until[0], stop_at[0] = now + 1.0, now + 1.0 + seconds
    start.wait()
    for t in threads:
        t.join()
    return Load(url, latencies, errors[0], seconds)


# --- uploads ---------------------------------------------------------------------------------------


def workbooks(departments: list[str], open_year: int, n: int, folder: Path) -> list[dict[str, Any]]:
    """``n`` department workbooks for ``open_year``: the demo's latest data year, each value
    scaled by 1 + k/1000 (k = the upload's number), round robin over the departments."""
    import pandas as pd

    from cimon.data.demo import demo_panel
    from cimon.intake.template import department_variables, write_template
    from cimon.web.submissions.portal import web_framework, web_registry

    fw, reg = web_framework(), web_registry()
    frame = demo_panel().frame
    last = int(frame["year"].max())
    data_year = open_year - fw.data_lag
    out = []
    for k in range(n):
        dept = departments[k % len(departments)]
        codes = {v.code for v in department_variables(fw, dept)}
        rows = frame[(frame["year"] == last) & frame["variable"].isin(codes)].copy()
        rows = rows[rows["value"].notna()]
        rows["year"] = data_year
        factor = 1 + (k + 1) / 1000
        rows["value"] = rows["value"] * factor
        path = write_template(
            fw, reg, open_year, folder / f"{open_year}-{dept}-{k}.xlsx", department=dept,
            values=pd.DataFrame(rows[["region_code", "year", "variable", "value"]]),
        )  # fmt: skip
        out.append(
            {
                "k": k,
                "department": dept,
                "user": f"dept{departments.index(dept)}",
                "path": path,
                "values": {
                    (str(r.region_code), str(r.variable)): float(r.value) for r in rows.itertuples()
                },
            }
        )
    return out


def upload_all(port: int, books: list[dict[str, Any]], open_year: int) -> list[dict[str, Any]]:
    """Post every workbook at the same moment, one thread each; return what the server said."""
    barrier = threading.Barrier(len(books))
    results: list[dict[str, Any]] = [{} for _ in books]

    def one(i: int, book: dict[str, Any]) -> None:
        b = Browser(port)
        b.login(book["user"])
        content = Path(book["path"]).read_bytes()
        barrier.wait()
        t0 = time.perf_counter()
        status, headers, body = b.post_multipart(
            "/submit/upload/",
            {
                "year": str(open_year),
                "accept_warnings": "on",
                "reason": f"压力测试 / benchmark upload {book['k']}",
            },
            {"file": (Path(book["path"]).name, content)},
        )
        m = re.search(r"/submit/(\d+)/$", headers.get("location", ""))
        results[i] = {
            "status": status,
            "submission": int(m.group(1)) if m else None,
            "seconds": time.perf_counter() - t0,
            "body": body[:300] if status >= 400 else b"",
        }

    threads = [threading.Thread(target=one, args=(i, b)) for i, b in enumerate(books)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def account_for(
    books: list[dict[str, Any]], results: list[dict[str, Any]], data_year: int
) -> list[str]:
    """Every way an upload could have been lost, as messages (empty: nothing lost)."""
    from cimon.store.submissions.models import ACCEPTED, SUPERSEDED, Observation, Submission

    problems = []
    by_sub: dict[int, dict[str, Any]] = {}
    for book, res in zip(books, results, strict=True):
        if res.get("status") != 302 or res.get("submission") is None:
            problems.append(
                f"upload {book['k']} ({book['department']}): HTTP {res.get('status')} {res.get('body')!r}"
            )
            continue
        by_sub[res["submission"]] = book
    subs = {s.pk: s for s in Submission.objects.filter(pk__in=list(by_sub)).defer("content")}
    if len(set(by_sub)) != len(by_sub):
        problems.append("two uploads were answered with the same submission")
    for pk, book in by_sub.items():
        s = subs.get(pk)
        if s is None:
            problems.append(f"upload {book['k']}: submission {pk} missing")
            continue
        if s.status not in (ACCEPTED, SUPERSEDED) or s.department != book["department"]:
            problems.append(f"upload {book['k']}: submission {pk} is {s.status} ({s.department})")
        obs = {
            (o.region_code, o.variable): o.value
            for o in Observation.objects.filter(submission_id=pk, year=data_year)
        }
        if set(obs) != set(book["values"]):
            problems.append(
                f"upload {book['k']}: {len(obs)} observations stored, {len(book['values'])} in the file"
            )
        bad = [
            key
            for key, v in book["values"].items()
            if obs.get(key) is None or abs(obs[key] - v) > 1e-9 * max(1, abs(v))
        ]
        if bad:
            problems.append(
                f"upload {book['k']}: {len(bad)} values differ from the file, e.g. {bad[0]}"
            )
    # the current state: one current value per key, all of one department from one upload, the
    # last committed; every earlier upload's values superseded, none deleted
    for dept in sorted({b["department"] for b in books}):
        mine = [pk for pk, b in by_sub.items() if b["department"] == dept]
        keys = {key for pk in mine for key in by_sub[pk]["values"]}
        current = Observation.objects.filter(
            submission_id__in=mine, year=data_year, superseded_at__isnull=True
        )
        current_subs = set(current.values_list("submission_id", flat=True))
        if current.count() != len(keys):
            problems.append(f"{dept}: {current.count()} current values for {len(keys)} keys")
        if len(current_subs) != 1:
            problems.append(f"{dept}: current values come from {len(current_subs)} uploads (mixed)")
        else:
            (winner,) = current_subs
            last = max(mine, key=lambda pk: (subs[pk].created_at, pk))
            if winner != last:
                problems.append(
                    f"{dept}: current values from submission {winner}, the last is {last}"
                )
        total = Observation.objects.filter(submission_id__in=mine, year=data_year).count()
        if total != sum(len(by_sub[pk]["values"]) for pk in mine):
            problems.append(f"{dept}: {total} observations in all, expected every upload's")
    return problems


# --- main --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    ap.add_argument(
        "--pg",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server (no database name)",
    )
    ap.add_argument("--db", default="cimon_bench", help="database to (re)create")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers (baseline: 1)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=5.0, help="per URL, server and mode")
    ap.add_argument("--uploads", type=int, default=20)
    ap.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="CIMON_DB_CONN_MAX_AGE of the main server (the others: 0, a connection per request)",
    )
    ap.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="second pass with this think time between a client's requests (0: none)",
    )
    args = ap.parse_args(argv)

    url = create_database(args.pg, args.db)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "cimon.web.settings",
        "CIMON_SECRET_KEY": secrets.token_urlsafe(64),
        "CIMON_ALLOWED_HOSTS": f"{HOST},localhost",
        "CIMON_DEBUG": "",
    }
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DATABASE_URL",
                "DJANGO_SETTINGS_MODULE",
                "CIMON_SECRET_KEY",
                "CIMON_ALLOWED_HOSTS",
            )
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    import cimon

    departments: list[str] = []
    info = prepare(departments)
    from django.urls import NoReverseMatch, reverse

    year = info["published"][-1]
    urls: list[tuple[str, str]] = [
        ("results page 结果页", reverse("evaluations:results", args=[year]))
    ]
    try:
        urls.append(("dashboard province 省级看板", reverse("dashboard:province", args=[year])))
        urls.append(
            ("dashboard county 县级看板", reverse("dashboard:county", args=[year, "640422"]))
        )
    except NoReverseMatch:
        print("(the dashboard app is not installed: its pages are not benched)")
    urls.append(("API results", f"/api/v1/years/{year}/results"))
    urls.append(("API county", f"/api/v1/years/{year}/counties/640422"))

    print("cimon web benchmark")
    print(
        f"  machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Django {django.get_version()}, cimon {getattr(cimon, '__version__', '?')}"
    )
    print(
        f"  database: PostgreSQL {url} — demo panel, {year - 1} and {year} published ({info['seconds']:.1f} s to prepare)"
    )
    print(
        f"  publication snapshots (task worker: robustness analysis and downloads of "
        f"{len(info['published'])} versions): {info['snapshot_seconds']:.1f} s"
    )
    modes = [("closed loop, no think time", 0.0)]
    if args.think > 0:
        modes.append((f"{args.think:g} s think time", args.think))
    print(
        f"  load: {args.clients} concurrent clients × ({'; '.join(m for m, _ in modes)}), "
        f"{args.seconds:g} s per URL after priming every worker and 1 s warm-up; Python threads "
        "on the same machine"
    )
    print()
    table: dict[tuple[str, Config, float], Load] = {}
    configs: list[Config] = [(args.workers, args.conn_max_age), (args.workers, 0), (1, 0)]
    for workers, age in configs:
        proc, port = start_gunicorn(workers, env, age)
        try:
            viewer = Browser(port)
            viewer.login("viewer")
            for label, u in urls:
                status, _, _ = viewer.request("GET", u)
                if status != 200:
                    print(f"  {label} {u}: HTTP {status} for the viewer — skipped")
                    continue
                prime(port, viewer.cookies, u, 3 * workers)
                for _, think in modes:
                    table[(u, (workers, age), think)] = drive(
                        port, viewer.cookies, u, args.clients, args.seconds, think
                    )
        finally:
            stop(proc)

    w = max(len(lbl) for lbl, _ in urls) + 2
    col = 52

    def name(c: Config) -> str:
        return f"{c[0]}w {'conn ' + str(c[1]) + 's' if c[1] else 'conn/request'}"

    verdicts = []
    for mode, think in modes:
        print(f"  {mode}:")
        print(
            f"  {'URL':<{w}}"
            + "".join(f"| {name(c)}: p50/p95/p99 ms, req/s, err".ljust(col) for c in configs)
        )
        met = True
        for label, u in urls:
            line = f"  {label:<{w}}"
            for c in configs:
                r = table.get((u, c, think))
                if r is None:
                    line += "| —".ljust(col)
                    continue
                line += (
                    f"| {r.pct(50):6.1f} / {r.pct(95):6.1f} / {r.pct(99):6.1f}, "
                    f"{r.rps:5.1f}/s, {r.errors}"
                ).ljust(col)
                if c == configs[0] and not (r.pct(95) < GOAL_P95_MS and r.errors == 0):
                    met = False
            print(line + f" {u}")
        verdict = "goal met" if met else "goal missed"
        verdicts.append(verdict)
        print(f"  goal p95 < {GOAL_P95_MS:.0f} ms ({name(configs[0])}, {mode}): {verdict}")
        print()

    # uploads
    proc, port = start_gunicorn(args.workers, env, args.conn_max_age)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            books = workbooks(departments, info["open_year"], args.uploads, Path(tmp))
            t0 = time.perf_counter()
            results = upload_all(port, books, info["open_year"])
            wall = time.perf_counter() - t0
    finally:
        stop(proc)
    from cimon.web.submissions.portal import web_framework

    data_year = info["open_year"] - web_framework().data_lag
    problems = account_for(books, results, data_year)
    secs = sorted(r["seconds"] for r in results if r)
    n_values = sum(len(b["values"]) for b in books)
    print(
        f"  uploads: {len(books)} department workbooks at once ({len(departments)} departments, "
        f"{n_values} values in all) in {wall:.1f} s; per upload median {statistics.median(secs):.2f} s, max {secs[-1]:.2f} s"
    )
    if problems:
        print("  uploads: LOST OR INCONSISTENT:")
        for p in problems:
            print(f"    - {p}")
    else:
        print(
            "  uploads: nothing lost — every upload is a stored submission with all its values; per "
            "department one current value per county × variable, from its last committed upload; "
            "the earlier uploads' values kept as superseded history"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
