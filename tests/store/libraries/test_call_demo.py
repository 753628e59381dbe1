"""The demo call and collection (模拟数据, #18) come with the first ``cimon serve``."""

from __future__ import annotations

import pytest

from cimon.store.libraries.call_models import CALL_AWARDED, COL_PUBLISHED, Call, Collection
from cimon.store.libraries.collection import catalogue

pytestmark = pytest.mark.django_db


def test_cimon_serve_first_start_loads_the_demo_call_and_catalogue() -> None:
    from cimon.web.serving import load_demo

    load_demo()
    call = Call.objects.get()
    assert (call.label, call.status) == ("模拟数据", CALL_AWARDED)
    assert call.applications.count() == 2 and call.winner is not None
    col = Collection.objects.get()
    assert (col.label, col.status) == ("模拟数据", COL_PUBLISHED)
    assert col.notice_override == "模拟数据"
    assert len(catalogue()) == 3 and {r.label for r in catalogue()} == {"模拟数据"}
