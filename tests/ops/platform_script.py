"""A platform filled the way an office fills it, driven from a separate process (run as a
script with the database in the environment): ``fill`` runs the first start of ``cimon serve``
(demo data, administrator), a county clerk's self-assessment with two evidence files, an
evaluation put on notice and published (its snapshot task queued; ``OPS_FILL_YEARS="2024,2025"``
publishes those years in that order); ``facts`` prints, as JSON, what must survive a backup and
restore or an upgrade; ``incentives`` prints every version's incentive money on each surface;
``pages`` opens every page as the administrator and prints the status codes.

Used by tests/ops (the backup test, the upgrade test) and to make the upgrade fixture
(tests/ops/fixtures/README.md)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from datetime import timedelta
from typing import Any

EVALUATION_YEAR = 2025  # the latest year the demo panel can evaluate
COLLECTION_YEAR = 2026  # the year whose collection the first start opens
EVIDENCE = {
    "领导小组文件.pdf": b"%PDF-1.4 leading group\n",
    "工作方案.pdf": b"%PDF-1.4 plan\n\x00\xff",
}


def _setup() -> None:
    from cimon.web import serving

    serving.configure(None, [])
    from cimon.store.setup import ensure_django

    ensure_django()


def fill() -> dict[str, Any]:
    _setup()
    from django.utils import timezone
    from openpyxl import load_workbook

    from cimon.store.accounts.services import create_user
    from cimon.web import serving
    from cimon.web.evaluations import services as wf
    from cimon.web.submissions.portal import (
        Upload,
        template_for,
        upload,
        web_framework,
        web_registry,
    )

    prepared = serving.prepare()
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username=serving.ADMIN_USERNAME)
    clerk, _ = create_user(
        "xiji", "county", framework=web_framework(), registry=web_registry(), region="西吉县"
    )
    _, content = template_for(clerk, COLLECTION_YEAR)
    wb = load_workbook(io.BytesIO(content))
    ws = wb["创新管理自评"]
    for i, score in enumerate((4, 3.5, 4.5)):
        ws.cell(row=4 + i, column=4, value=score)
        ws.cell(row=4 + i, column=5, value=f"情况说明 {i + 1}")
    ws["F4"] = "领导小组文件.pdf"
    ws["F5"] = "工作方案.pdf"
    buf = io.BytesIO()
    wb.save(buf)
    result = upload(
        clerk,
        Upload("西吉县自评.xlsx", buf.getvalue()),
        COLLECTION_YEAR,
        evidence=[Upload(n, c) for n, c in EVIDENCE.items()],
    )
    assert result.status == "accepted", result.report.codes
    from cimon.store.evaluations.models import Evaluation

    # the years published, in order (OPS_FILL_YEARS, e.g. "2024,2025"; default the latest one)
    years = [int(y) for y in (os.environ.get("OPS_FILL_YEARS") or str(EVALUATION_YEAR)).split(",")]
    for year in years:
        ev = wf.execute(wf.start(admin, year, queue=False).pk)
        wf.put_on_notice(admin, ev)  # from today, for the default term
        # ... and the term has passed: the dates move back, as a week of waiting would
        today = timezone.localdate()
        Evaluation.objects.filter(pk=ev.pk).update(
            notice_start=today - timedelta(days=8), notice_end=today - timedelta(days=1)
        )
        ev.refresh_from_db()
        pub = wf.publish(admin, ev)  # queues the snapshot task
    return {"demo_submission": prepared.demo_submission, "publication": pub.pk}


def facts() -> dict[str, Any]:
    """What a restore or an upgrade must keep: the status board of both years, every stored
    file's name and hash, and whether every publication regenerates bit for bit."""
    _setup()
    from cimon.ops.publications import regenerate_all
    from cimon.store.evaluations.models import Publication, PublicationFile
    from cimon.store.submissions.models import EvidenceFile, Submission
    from cimon.store.submissions.queries import status
    from cimon.web.submissions.portal import web_framework, web_registry

    fw, reg = web_framework(), web_registry()
    return {
        "status": {y: status(y, fw, reg).render("zh") for y in (EVALUATION_YEAR, COLLECTION_YEAR)},
        "evidence": sorted(
            (e.name, hashlib.sha256(bytes(e.content)).hexdigest(), e.sha256)
            for e in EvidenceFile.objects.all()
        ),
        "submissions": sorted(
            (s.file_name, hashlib.sha256(bytes(s.content)).hexdigest())
            for s in Submission.objects.all()
        ),
        "publications": [
            (p.evaluation_year, p.version, p.results) for p in Publication.objects.all()
        ],
        "downloads": sorted(
            (f.name, f.sha256, hashlib.sha256(bytes(f.content)).hexdigest())
            for f in PublicationFile.objects.all()
        ),
        "regenerated": [
            (r.year, r.version, r.files, [list(p) for p in r.problems], r.earlier_layout)
            for r in regenerate_all()
        ],
    }


def incentives() -> list[dict[str, Any]]:
    """Every publication's incentive money (county code → 元) as the API, the dashboard and its
    stored results workbook have it, and the reading of places of the rules it was frozen with."""
    _setup()
    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from cimon.store.evaluations.models import Publication, PublicationFile
    from cimon.store.evaluations.published import content_of
    from cimon.store.evaluations.rules import rules_of
    from cimon.web.api.services import incentives as api

    admin = get_user_model().objects.get(username="admin")
    out = []
    for pub in Publication.objects.order_by("pk"):
        stored = PublicationFile.objects.get(publication=pub, kind="xlsx", lang="zh")
        ws = load_workbook(io.BytesIO(bytes(stored.content)), read_only=True)["激励资金"]
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        heads = [str(h or "") for h in rows[0]]
        code = heads.index("区划代码")
        total = next(j for j, h in enumerate(heads) if h.startswith("合计"))
        out.append(
            {
                "year": pub.evaluation_year,
                "version": pub.version,
                "places": rules_of(pub).places,
                "api": {a["code"]: a["total"] for a in api(pub, admin)["awards"]},
                "dashboard": {a.code: int(a.total) for a in content_of(pub).content.awards},
                "xlsx": {str(r[code]): int(r[total] or 0) for r in rows[1:] if r[code]},
            }
        )
    return out


def pages() -> dict[str, int]:
    """Every page (and API endpoint) an administrator reaches, with its status code."""
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cimon.store.evaluations.models import Evaluation, Publication
    from cimon.store.submissions.models import Submission

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    pub = Publication.objects.order_by("-published_at").first()
    assert pub is not None
    y = pub.evaluation_year
    ev = Evaluation.objects.order_by("pk").first()
    sub = Submission.objects.order_by("-pk").first()
    assert ev is not None and sub is not None
    urls = [
        "/",
        "/accounts/password/",
        "/accounts/audit/",
        "/accounts/users/",
        "/submit/",
        f"/submit/{sub.pk}/",
        f"/submit/{sub.pk}/file/",
        "/status/",
        "/evaluations/",
        f"/evaluations/{ev.pk}/",
        f"/results/{y}/",
        "/dashboard/",
        f"/dashboard/{y}/",
        f"/dashboard/{y}/county/640422/",
        f"/dashboard/{y}/incentives/",
        f"/dashboard/{y}/downloads/",
        f"/dashboard/{y}/downloads/xlsx/",
        "/api/",
        "/api/v1/years",
        f"/api/v1/years/{y}/results",
        f"/api/v1/years/{y}/cities",
    ]
    return {url: client.get(url).status_code for url in urls}


def photos() -> dict[str, str]:
    """A commissioner's service record with a photo and a PDF stored under
    ``CIMON_STORAGE_DIR``; their stored paths → SHA-256."""
    _setup()
    import datetime as dt

    from cimon.store.commissioners import services as comm
    from cimon.store.commissioners.records import ServiceEvidence
    from cimon.store.commissioners.work import add_evidence, log_service

    unit = comm.create_unit(None, "备份测试单位", "institute")
    person = comm.create_commissioner(None, unit=unit, status="active", name="备份特派员")
    record = log_service(
        person, None, date=dt.date(2026, 5, 1), village_code="640422100200", kind="guidance"
    )
    for name, content in PHOTOS.items():
        add_evidence(record, None, content, name)
    return {e.path: e.sha256 for e in ServiceEvidence.objects.all()}


PHOTOS = {
    "田间.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64,
    "签到表.pdf": b"%PDF-1.4 sign-in\n" + bytes(range(255, -1, -1)) * 16,
}


if __name__ == "__main__":
    action = {
        "fill": fill,
        "facts": facts,
        "incentives": incentives,
        "pages": pages,
        "photos": photos,
    }[sys.argv[1]]
    print(json.dumps(action(), ensure_ascii=False, default=str))
