"""A published version is frozen with what it was compared with (its basis): its dashboard
content, the API and its downloads agree, whatever is published later (issue 13 item 3: 2024
published before 2023 showed “合计 0 元” in its files and 6,500,000 元 on its pages)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import XIJI, publish_year, rec, run_tasks, xlsx_incentives

from cimon.store.evaluations.basis import basis_note, basis_of, current_before
from cimon.store.evaluations.models import Publication, PublicationFile

pytestmark = pytest.mark.django_db


def _surfaces(pub: Publication, user: Any) -> dict[str, Any]:
    """The incentive money of ``pub`` as each surface has it: the dashboard's content, the API
    and the stored workbook (made by the worker right after publication)."""
    from cimon.store.evaluations.published import clear_caches, content_of
    from cimon.web.api.services import incentives

    clear_caches()  # a new server process: nothing remembered
    content = content_of(pub).content
    api = incentives(pub, user)
    stored = PublicationFile.objects.get(publication=pub, kind="xlsx", lang="zh")
    return {
        "dashboard": {a.code: int(a.total) for a in content.awards},
        "dashboard_total": int(content.total),
        "api": {a["code"]: a["total"] for a in api["awards"]},
        "api_total": api["total"],
        "api_previous": api["previous"],
        "xlsx": xlsx_incentives(bytes(stored.content)),
    }


def _agree(s: dict[str, Any]) -> int:
    assert s["dashboard"] == s["api"] == s["xlsx"]
    assert s["dashboard_total"] == s["api_total"] == sum(s["xlsx"].values())
    return int(s["api_total"])


def _correct_data(make_sub: Any) -> None:
    """A department's correction of 2022 data (the data year of the 2023 evaluation): 西吉县's
    R&D expenditure twenty times as large."""
    from cimon.store.submissions.models import Observation
    from cimon.store.submissions.services import store_submission

    old = Observation.objects.get(
        region_code=XIJI, year=2022, variable="rd_exp", superseded_at__isnull=True
    )
    sub = make_sub([rec(XIJI, "rd_exp", float(old.value) * 20, year=2022)])
    assert store_submission(sub, b"correction", user="统计局").status == "accepted"


def test_a_version_keeps_what_it_was_compared_with(stored: dict[str, Any], make_sub: Any) -> None:
    admin, viewer = stored["admin"], stored["viewer"]
    # 2024 first: there is no published 2023, so nothing to compare with — on every surface
    v2024 = publish_year(admin, 2024)
    run_tasks()  # the snapshot: the downloads are made now
    assert v2024.basis == {}
    first = _surfaces(v2024, viewer)
    assert _agree(first) == 0 and first["api_previous"] is None

    # publishing 2023 afterwards changes nothing in 2024 version 1
    v2023 = publish_year(admin, 2023)
    run_tasks()
    assert _surfaces(v2024, viewer) == first
    note = basis_note(v2024)
    assert note == {"year": 2023, "version": None, "current_version": 1}

    # a correction of 2024 is compared with 2023 version 1: money now, the same on every surface
    v2024b = publish_year(admin, 2024, reason="与 2023 年度比较")
    run_tasks()
    assert v2024b.basis == {"2023": v2023.pk}
    second = _surfaces(v2024b, viewer)
    assert _agree(second) > 0
    assert second["api_previous"] == {"year": 2023, "version": 1, "current": True}

    # 2023 corrected with new data (version 2): 2024 version 2 keeps version 1 as its basis
    _correct_data(make_sub)
    v2023b = publish_year(admin, 2023, reason="西吉县 R&D 经费更正")
    run_tasks()
    assert v2023b.results != v2023.results  # the correction really changes 2023
    after = _surfaces(v2024b, viewer)
    assert {k: v for k, v in after.items() if k != "api_previous"} == {
        k: v for k, v in second.items() if k != "api_previous"
    }
    assert after["api_previous"] == {"year": 2023, "version": 1, "current": False}
    assert basis_note(v2024b) == {"year": 2023, "version": 1, "current_version": 2}
    # … where comparing with 2023 version 2 would have paid different money: the freeze matters
    from cimon.analysis.incentives import incentives
    from cimon.store.evaluations.rules import rules_of
    from cimon.web.api.services import _frame

    rules = rules_of(v2024b)
    labels = list(rules.classes)
    curr = _frame(v2024b.results)
    against_v1 = incentives(_frame(v2023.results), curr, rules, 2024, labels)
    against_v2 = incentives(_frame(v2023b.results), curr, rules, 2024, labels)
    assert {a.code: int(a.total) for a in against_v1} == after["api"]
    assert {a.code: int(a.total) for a in against_v2} != after["api"]


def test_versions_without_a_stored_basis_get_the_one_current_at_publication(
    stored: dict[str, Any],
) -> None:
    """Rows written before the basis existed (or without it) get the earlier versions that
    were current when they were published, stored once — what their downloads were made of."""
    from datetime import timedelta

    admin = stored["admin"]
    v2024 = publish_year(admin, 2024)
    v2023 = publish_year(admin, 2023)
    v2025 = publish_year(admin, 2025)
    # as the data migration finds them: no basis; 2023 published after 2024
    Publication.objects.update(basis=None)
    Publication.objects.filter(pk=v2023.pk).update(
        published_at=v2024.published_at + timedelta(seconds=5)
    )
    Publication.objects.filter(pk=v2025.pk).update(
        published_at=v2024.published_at + timedelta(seconds=10)
    )
    for p in Publication.objects.all():
        basis_of(p)
    got = dict(Publication.objects.values_list("evaluation_year", "basis"))
    assert got == {2023: {}, 2024: {}, 2025: {"2023": v2023.pk, "2024": v2024.pk}}
    assert current_before(2026) == {"2023": v2023.pk, "2024": v2024.pk, "2025": v2025.pk}


def test_the_data_migration_fills_the_basis(transactional_db: Any) -> None:
    """Migration 0003 on a database with publications: the basis of each is the versions of
    earlier years current at its publication; an objection's county typed as a name becomes
    its code."""
    from datetime import UTC, datetime, timedelta

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("evaluations", "0002_task_and_snapshot")]
    after = [("evaluations", "0003_publication_basis_notice_override")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Pub = apps.get_model("evaluations", "Publication")
    Objection = apps.get_model("evaluations", "Objection")
    t0 = datetime(2026, 1, 5, tzinfo=UTC)

    def ev(year: int) -> Any:
        return Evaluation.objects.create(
            evaluation_year=year, framework_id="nx-2021", data_as_of=t0, created_at=t0
        )

    e22, e23, e23b, e24 = ev(2022), ev(2023), ev(2023), ev(2024)
    p22 = Pub.objects.create(evaluation_year=2022, version=1, evaluation=e22, published_at=t0)
    p23 = Pub.objects.create(
        evaluation_year=2023,
        version=1,
        evaluation=e23,
        published_at=t0 + timedelta(days=1),
        superseded_at=t0 + timedelta(days=3),
    )
    p24 = Pub.objects.create(
        evaluation_year=2024, version=1, evaluation=e24, published_at=t0 + timedelta(days=2)
    )
    p23b = Pub.objects.create(
        evaluation_year=2023, version=2, evaluation=e23b, published_at=t0 + timedelta(days=3)
    )
    for text in ("西吉县", "640422", "某某县"):
        Objection.objects.create(
            evaluation=e23, region_code=text, raised_by="x", received_on=t0.date(),
            content="y", recorded_at=t0,
        )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    Pub = apps.get_model("evaluations", "Publication")
    got = {p.pk: p.basis for p in Pub.objects.all()}
    assert got == {
        p22.pk: {},
        p23.pk: {"2022": p22.pk},
        p24.pk: {"2022": p22.pk, "2023": p23.pk},  # version 1: current when 2024 was published
        p23b.pk: {"2022": p22.pk},
    }
    codes = list(
        apps.get_model("evaluations", "Objection")
        .objects.order_by("pk")
        .values_list("region_code", flat=True)
    )
    assert codes == [XIJI, XIJI, "某某县"]
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())  # back to now
