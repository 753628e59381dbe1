"""Concurrent imports of the same values (PostgreSQL): none fails, none is lost, one current
value per key, and the versions chain in commit order. (bench/web.py does the same over HTTP;
it found the failure this guards against: the second import to commit broke the
one-current-value constraint.)"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from tests.web.conftest import FW, REG, MakeSub, rec

UPLOADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_values_all_land(make_sub: MakeSub) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself (IMMEDIATE transactions)")
    from django.db import connections

    from cimon.store.submissions.models import Observation
    from cimon.store.submissions.services import store_submission

    codes = list(REG.codes)
    subs = [
        make_sub(
            [rec(c, v, 100.0 + k, year=2025) for c in codes for v in ("GDP", "POP")], year=2025
        )
        for k in range(UPLOADS)
    ]
    barrier = threading.Barrier(UPLOADS)
    results: list[Any] = [None] * UPLOADS

    def one(k: int) -> None:
        try:
            barrier.wait()
            results[k] = store_submission(subs[k], b"x%d" % k, framework=FW, user="bench")
        except Exception as exc:
            results[k] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(k,)) for k in range(UPLOADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = [r for r in results if isinstance(r, Exception)]
    assert not failed, failed
    assert all(r.status == "accepted" for r in results)
    keys = len(codes) * 2
    assert Observation.objects.filter(year=2025).count() == UPLOADS * keys  # nothing lost
    current = Observation.objects.filter(year=2025, superseded_at__isnull=True)
    assert current.count() == keys
    assert len(set(current.values_list("submission_id", flat=True))) == 1  # not a mixture
    # every superseded value points at the import that replaced it, which came later
    for o in Observation.objects.filter(year=2025, superseded_at__isnull=False).select_related(
        "superseded_by"
    ):
        assert o.superseded_by is not None
        assert o.superseded_by.created_at > o.recorded_at
