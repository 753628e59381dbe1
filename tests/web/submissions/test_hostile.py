"""The hostile corpus (:mod:`tests.intake.hostile`) through ``cimon import`` and the portal, on
SQLite and PostgreSQL (``make unit`` runs tests/web on both): every file gets its clear issue,
nothing is written but the attempt, which is stored with its audit event and a bounded report;
its page stays small. Also: two imports of the same bytes at once store it once."""

from __future__ import annotations

import io
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test import Client

from cimon.cli import main
from cimon.intake.report import MAX_ISSUES
from cimon.store.submissions.models import (
    ACCEPTED,
    REJECTED,
    AuditEvent,
    Observation,
    Submission,
)
from cimon.web.submissions.portal import template_for

from ...intake import hostile
from ..conftest import FW, REG, MakeSub, rec

pytestmark = pytest.mark.django_db

#: a stored report of any file: at most MAX_ISSUES issues of under 1 KB each (the
#: 300,000-row bomb stored 217 MB)
REPORT_BYTES = MAX_ISSUES * 1_000
#: the page of any stored hostile file (it sent 86 MB)
PAGE_BYTES = 400_000
PEAK_BYTES = 96 << 20


def _filled(user: Any) -> bytes:
    """The department's template from the portal, with a value for every county."""
    from openpyxl import load_workbook

    _, content = template_for(user, 2026)
    wb = load_workbook(io.BytesIO(content))
    ws = wb["统计局"]
    for r in range(6, 6 + len(REG)):
        ws.cell(row=r, column=4, value=1000 + r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _stored_attempt(code: str) -> Submission:
    """The one attempt stored, rejected, with its issue, its audit event and nothing else."""
    sub = Submission.objects.get()
    assert sub.status == REJECTED
    report = sub.validation_report()
    assert code in report.codes, report.render()
    assert len(str(sub.report)) < REPORT_BYTES
    assert not Observation.objects.exists()
    event = AuditEvent.objects.get(object_type="submission", object_id=str(sub.pk))
    assert event.action == "import.rejected" and event.detail["errors"] >= 1
    return sub


@pytest.mark.parametrize("name", sorted(hostile.CORPUS))
def test_hostile_file_through_the_portal(users: dict[str, Any], name: str) -> None:
    build, code = hostile.CORPUS[name]
    data = build(_filled(users["department"]), "统计局")
    c = Client()
    c.force_login(users["department"])
    f = io.BytesIO(data)
    f.name = "统计局.xlsx"
    tracemalloc.start()
    try:
        r = c.post("/submit/upload/", {"file": f, "year": "2026"}, follow=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 200
    assert peak < PEAK_BYTES, f"{name}: {peak / 2**20:.0f} MB"
    sub = _stored_attempt(code)
    assert bytes(sub.content) == data  # the file is kept byte for byte
    page = c.get(f"/submit/{sub.pk}/")
    assert page.status_code == 200 and len(page.content) < PAGE_BYTES
    html = page.content.decode()
    assert ".py:" not in html and "Traceback" not in html


@pytest.mark.parametrize("name", sorted(hostile.CORPUS))
def test_hostile_file_through_cimon_import(
    users: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    build, code = hostile.CORPUS[name]
    p = tmp_path / "统计局.xlsx"
    p.write_bytes(build(_filled(users["department"]), "统计局"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", str(p), "--user", "admin"])
    assert result.exit_code == 2, result.output
    assert code in result.output
    assert len(result.output.splitlines()) < 60
    _stored_attempt(code)


def test_a_report_of_many_issues_is_grouped_and_paged(users: dict[str, Any]) -> None:
    data = hostile.row_bomb(hostile_rows(), 1, refs=True)  # stray cells below the table
    c = Client()
    c.force_login(users["department"])
    f = io.BytesIO(data)
    f.name = "统计局.xlsx"
    c.post("/submit/upload/", {"file": f, "year": "2026"})
    sub = Submission.objects.get()
    html = c.get(f"/submit/{sub.pk}/").content.decode()
    assert "issue-kinds" in html and "cell.stray" not in html  # kinds by their titles
    assert "填报区域之外有内容" in html
    report = sub.validation_report()
    if len(report.issues) > 100:
        assert 'rel="next"' in html
        page2 = c.get(f"/submit/{sub.pk}/?page=2").content.decode()
        assert 'rel="prev"' in page2
    assert c.get(f"/submit/{sub.pk}/?page=x").status_code == 200  # nonsense: page 1


def hostile_rows() -> int:
    from cimon.intake.limits import Limits

    return Limits.for_intake(len(REG), len(FW.variables)).rows + 150


def test_the_same_bytes_stored_twice_is_a_duplicate_under_the_lock(make_sub: MakeSub) -> None:
    """The check runs again inside the transaction, after the lock: a second store of the same
    bytes that passed the early check stores nothing."""
    from cimon.store.submissions.services import DUPLICATE, store_submission

    sub = make_sub([rec(c, "GDP", 1.0, year=2025) for c in REG.codes], year=2025)
    first = store_submission(sub, b"same bytes", framework=FW, user="a")
    again = make_sub([rec(c, "GDP", 1.0, year=2025) for c in REG.codes], year=2025)
    second = store_submission(again, b"same bytes", framework=FW, user="b")
    assert (first.status, second.status) == (ACCEPTED, DUPLICATE)
    assert second.duplicate_of == first.submission_id
    assert Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_identical_bytes_store_one(make_sub: MakeSub) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself (IMMEDIATE transactions)")
    from django.db import connections

    from cimon.store.submissions.services import DUPLICATE, store_submission

    n = 4
    subs = [
        make_sub([rec(c, "GDP", 2.0, year=2025) for c in REG.codes], year=2025) for _ in range(n)
    ]
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def one(k: int) -> None:
        try:
            barrier.wait()  # all past the early duplicate check, as two real uploads can be
            results[k] = store_submission(subs[k], b"identical", framework=FW, user=f"u{k}")
        except Exception as exc:
            results[k] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status for r in results) == [ACCEPTED] + [DUPLICATE] * (n - 1)
    assert Submission.objects.count() == 1
