"""I18 (#18): completed transfer projects — registered contracts and matches marked completed —
counted per county and data year through the registries' derived mechanism, shown with a test
framework (the bundled frameworks are not changed); feedback on matches kept and measured."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pytest
import yaml
from tests.web.conftest import XIJI, YUANZHOU

from cimon.errors import FrameworkError
from cimon.model.framework import load_framework
from cimon.store.libraries import services as lib
from cimon.store.libraries.feedback import record_feedback, stored_quality
from cimon.store.libraries.models import CONTACTED, NEGOTIATING, SIGNED, Match
from cimon.store.libraries.transfer import mark_transfer_project
from cimon.store.registry.derived import derived_rows, derived_specs
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db


def transfer_framework(**source: Any) -> Any:
    """nx-2021 with I18's variable (transfer_projects) counted from the libraries."""
    raw = yaml.safe_load(
        (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    )
    for v in raw["variables"]:
        if v["code"] == "transfer_projects":
            v["source"] = source or {"registry": "transfer", "measure": "count"}
    return load_framework(raw)


def _matches(users: dict[str, Any]) -> list[Match]:
    for title in ("马铃薯贮藏窖通风技术", "马铃薯防腐保鲜剂", "马铃薯贮藏温湿度监测"):
        a = lib.create_achievement(users["viewer"], title, discipline="210", trl=7)
        lib.publish_achievement(a, users["viewer"])
    need = lib.create_need(
        users["county"], XIJI, "马铃薯贮藏期烂薯多，需要贮藏技术。", industry="01"
    )
    lib.submit_need(need, users["county"])
    lib.publish_need(need, users["county"])
    return lib.recommend(need, users["county"])


def test_a_transfer_source_is_declared_and_checked() -> None:
    specs = derived_specs(transfer_framework())
    assert [(s.variable, s.registry, s.measure) for s in specs] == [
        ("transfer_projects", "transfer", "count")
    ]
    with pytest.raises(FrameworkError):
        derived_specs(transfer_framework(registry="transfer", measure="amount"))


def test_contracts_and_marked_matches_counted_once(users: dict[str, Any]) -> None:
    m1, m2, m3 = _matches(users)
    admin = users["admin"]
    for m in (m1, m2):
        for stage in (CONTACTED, NEGOTIATING, SIGNED):
            lib.advance_match(m, admin, stage)
    lib.register_contract(admin, "C1", 100_000, dt.date(2025, 4, 1), XIJI, match=m1)
    lib.register_contract(admin, "C2", 5, dt.date(2024, 4, 1), YUANZHOU)
    with pytest.raises(lib.LibraryError):  # has its contract: counts already
        mark_transfer_project(m1, admin, dt.date(2025, 5, 1))
    with pytest.raises(lib.LibraryError):  # only recommended
        mark_transfer_project(m3, admin, dt.date(2025, 5, 1))
    mark_transfer_project(m2, admin, dt.date(2025, 6, 1), "技术服务，未登记合同")
    with pytest.raises(lib.LibraryError):
        mark_transfer_project(m2, admin, dt.date(2025, 6, 1))
    assert AuditEvent.objects.filter(action="match.transfer").count() == 1
    rows = derived_rows(derived_specs(transfer_framework()), [2024, 2025], [XIJI, YUANZHOU])
    got = {(r["region_code"], r["year"]): (r["count"], r["value"]) for r in rows}
    assert got == {(XIJI, 2024): (0, 0.0), (XIJI, 2025): (2, 2.0),
                   (YUANZHOU, 2024): (1, 1.0), (YUANZHOU, 2025): (0, 0.0)}  # fmt: skip
    xiji = next(r for r in rows if r["region_code"] == XIJI and r["year"] == 2025)
    assert [x["record"] for x in xiji["records"]] == ["contract:C1", f"match:{m2.pk}"]


def test_feedback_kept_and_measured(users: dict[str, Any]) -> None:
    m1, m2, _m3 = _matches(users)
    with pytest.raises(lib.LibraryError):
        record_feedback(m2, users["county"], False)  # a rejection needs its reason
    record_feedback(m2, users["county"], True)
    record_feedback(m1, users["county"], True)
    record_feedback(m1, users["county"], False, "已有方案")  # the latest verdict counts
    q = stored_quality(k=2)
    assert (q.needs, q.judged, q.accepted, q.judged_top_k) == (1, 2, 1, 2)
    assert q.precision_at_k == 0.5 and q.mrr == 1 / m2.rank == 0.5
    assert (
        m1.feedback.count() == 2 and AuditEvent.objects.filter(action="match.feedback").count() == 3
    )
    assert stored_quality(region_codes=[YUANZHOU]).judged == 0
    assert "MRR" in "\n".join(q.lines("en")) and "采纳率" in "\n".join(q.lines("zh"))
