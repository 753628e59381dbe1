"""One upload through the portal in a fresh process, for ``bench/intake.py --hostile``.

Run as ``python bench/upload_worker.py SRC FILE`` where SRC is the ``src`` folder of the cimon to
measure (this checkout's, or an older one's for the baseline). Sets up an empty SQLite database in
a temporary folder, a 统计局 clerk, posts FILE to ``/submit/upload/`` with Django's test client
(the code path of a gunicorn worker, without the network; after one page, as a worker that
has served before), then opens the submission's page.
Prints one JSON line after the upload and one after the page, so a caller that stops a slow
process still has the first: seconds, peak resident memory of the process (``VmHWM``), the
stored report's size and the page's size. Not a test.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def rss_mb() -> float:
    """Peak resident memory of this process, MB: ``VmHWM`` (``ru_maxrss`` would also count the
    parent's memory from before ``exec`` on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main() -> None:
    src, file = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, src)
    tmp = tempfile.mkdtemp(prefix="cimon-upload-")
    os.environ.update(
        CIMON_DB=str(Path(tmp) / "db.sqlite3"),
        CIMON_SECRET_KEY="bench-" + "k" * 50,
        CIMON_ALLOWED_HOSTS="testserver",
    )
    os.environ.pop("DATABASE_URL", None)
    import cimon
    from cimon.model.regions import default_registry
    from cimon.store.setup import ensure_django

    ensure_django()
    from django.test import Client

    from cimon.store.accounts.services import create_user
    from cimon.store.submissions.models import Submission

    fw = cimon.load_framework("nx-2021")
    user, _ = create_user(
        "tongji",
        "department",
        framework=fw,
        registry=default_registry(),
        department="统计局",
        password="bench-password-1",
    )
    c = Client()
    c.force_login(user)
    # a worker has served pages before: the URL configuration and the views are imported
    c.get("/submit/?year=2026")
    before = rss_mb()
    f = io.BytesIO(file.read_bytes())
    f.name = "统计局.xlsx"
    t0 = time.perf_counter()
    r = c.post("/submit/upload/", {"file": f, "year": "2026"})
    sub = Submission.objects.order_by("-id").first()
    out = {
        "code": cimon.__file__,
        "http": r.status_code,
        "upload_s": round(time.perf_counter() - t0, 2),
        "rss_before_mb": round(before),
        "rss_peak_mb": round(rss_mb()),
        "status": sub.status if sub else None,
        "report_kb": round(len(json.dumps(sub.report, ensure_ascii=False).encode()) / 1024)
        if sub
        else None,
    }
    print(json.dumps(out), flush=True)
    if sub is None:
        return
    t0 = time.perf_counter()
    page = c.get(f"/submit/{sub.pk}/")
    out.update(
        page_s=round(time.perf_counter() - t0, 2),
        page_kb=round(len(page.content) / 1024),
        rss_peak_after_page_mb=round(rss_mb()),
    )
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
