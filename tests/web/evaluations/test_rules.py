"""A published version keeps the incentive rules it was published with (#13): changing the
platform's rule set (``CIMON_INCENTIVE_RULES``) changes the money of versions published
afterwards only; the dashboard page, the API and the stored downloads of an earlier version
keep its amounts. Versions published before the rules were stored get the rules they were shown
with: the configured rule set read the literal way (migration 0005)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml
from django.test import Client
from tests.web.conftest import publish_year, run_tasks, xlsx_incentives

from cimon.analysis.rules import load_rules, with_places
from cimon.store.evaluations.models import Publication, PublicationFile
from cimon.store.evaluations.rules import freeze, rules_line, rules_of, thaw

BEFORE_13 = Path(__file__).parents[2] / "analysis" / "data" / "incentives-before-13.json"


def _page(user: Any, year: int, version: int | None = None) -> tuple[dict[str, int], str]:
    """County code → total (元) from the dashboard's incentives page, and its rules line."""
    c = Client()
    c.force_login(user)
    query = f"?version={version}" if version else ""
    html = c.get(f"/dashboard/{year}/incentives/{query}").content.decode()
    doc = lxml.html.fromstring(html)
    totals = {}
    for tr in doc.xpath('//table[@data-key="awards"]/tbody/tr'):
        cell = tr.xpath("./td")[8].text_content().strip()
        amount = re.match(r"[\d,]+", cell)  # "1,000,000 元（100 万）" / "0 元"
        assert amount is not None, cell
        totals[tr.get("data-code")] = int(amount.group().replace(",", ""))
    (line,) = doc.xpath('//p[@data-key="rules"]')
    return totals, line.text_content().strip()


def _surfaces(pub: Publication, user: Any) -> dict[str, Any]:
    """The money of ``pub`` on every surface, as a new server process computes it."""
    from cimon.store.evaluations.published import clear_caches, content_of
    from cimon.web.api.services import incentives

    clear_caches()
    pub.refresh_from_db()
    api = incentives(pub, user)
    stored = PublicationFile.objects.get(publication=pub, kind="xlsx", lang="zh")
    return {
        "dashboard": {a.code: int(a.total) for a in content_of(pub).content.awards},
        "api": {a["code"]: a["total"] for a in api["awards"]},
        "api_rules": api["rules"],
        "xlsx": xlsx_incentives(bytes(stored.content)),
    }


def _other_rules(tmp_path: Path) -> Path:
    """A rule set with other amounts and the other reading of places: doubled money, literal."""
    raw = dict(load_rules("nx-2021").raw)
    raw["id"], raw["version"] = "nx-doubled", "2026.1"
    raw["jumps"] = [{**j, "amount": j["amount"] * 2} for j in raw["jumps"]]
    rank = dict(raw["rank"])
    rank["bands"] = [{**b, "per_place": b["per_place"] * 2} for b in rank["bands"]]
    rank["cap"], rank["places"] = rank["cap"] * 2, "literal"
    raw["rank"], raw["combined_cap"] = rank, raw["combined_cap"] * 2
    path = tmp_path / "nx-doubled.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_a_published_version_keeps_its_rules_when_the_platform_changes_them(
    stored: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    from cimon.analysis.incentives import incentives
    from cimon.web.api.services import _frame

    admin, viewer = stored["admin"], stored["viewer"]
    publish_year(admin, 2024)
    v1 = publish_year(admin, 2025)
    run_tasks()  # its downloads, made under the rules of the moment
    assert v1.rules["id"] == "nx-2021" and v1.rules["places"] == "overtaken"
    before = _surfaces(v1, viewer)
    page_before, line_before = _page(viewer, 2025)
    assert before["dashboard"] == before["api"] == before["xlsx"] == page_before
    assert sum(before["api"].values()) == 4_500_000  # 450万元: the overtaking reading, 2025 demo
    assert "nx-2021" in line_before and "实际超越" in line_before and "冻结" in line_before

    # the province changes its rules: other amounts, the literal reading
    settings.CIMON_INCENTIVE_RULES = str(_other_rules(tmp_path))
    after = _surfaces(v1, viewer)
    assert after == before  # dashboard, API (and the rules it names) and download unchanged
    assert after["api_rules"]["id"] == "nx-2021" and after["api_rules"]["places"] == "overtaken"
    assert _page(viewer, 2025) == (page_before, line_before)

    # a new publication (a correction of 2025) is made under the new rules
    v2 = publish_year(admin, 2025, reason="规则调整后重新发布 / republished under the new rules")
    run_tasks()
    assert v2.rules["id"] == "nx-doubled" and v2.rules["places"] == "literal"
    new = _surfaces(v2, viewer)
    prev = Publication.objects.get(evaluation_year=2024)
    want = incentives(
        _frame(prev.results), _frame(v2.results), load_rules(settings.CIMON_INCENTIVE_RULES), 2025
    )
    assert new["api"] == {a.code: int(a.total) for a in want}
    assert new["dashboard"] == new["api"] == new["xlsx"] == _page(viewer, 2025)[0]
    assert sum(new["api"].values()) > sum(before["api"].values())
    assert "nx-doubled" in _page(viewer, 2025)[1] and "字面位次" in _page(viewer, 2025)[1]
    # … and version 1, still readable to administrators, keeps its own
    assert _page(admin, 2025, version=1) == (page_before, line_before)


def test_frozen_rules_rebuild_without_the_file_and_refuse_damage(tmp_path: Path) -> None:
    from cimon.errors import CimonError

    path = _other_rules(tmp_path)
    rules = load_rules(str(path))
    frozen = freeze(rules)
    path.unlink()  # the file is gone: the stored content is enough
    again = thaw(json.loads(json.dumps(frozen)), "2025 第1版")
    assert again.raw == rules.raw and again.hash == rules.hash == frozen["hash"]
    assert again.rank_money(3) == rules.rank_money(3) == 1_500_000
    damaged = {**frozen, "content": {**frozen["content"], "combined_cap": 1}}
    with pytest.raises(CimonError) as err:
        thaw(damaged, "2025 第1版")
    assert "2025 第1版" in err.value.zh and "backup" in err.value.en
    assert "Incentive" not in rules_line(rules, "zh") and "nx-doubled" in rules_line(rules, "en")


def test_damaged_stored_rules_are_a_message_on_the_pages_not_an_error(
    stored: dict[str, Any],
) -> None:
    pub = publish_year(stored["admin"], 2024)
    damaged = {**pub.rules, "content": {**pub.rules["content"], "combined_cap": 1}}
    Publication.objects.filter(pk=pub.pk).update(rules=damaged)
    viewer = Client()
    viewer.force_login(stored["viewer"])
    r = viewer.get("/dashboard/2024/incentives/")
    assert r.status_code == 200
    assert "存储的激励规则已损坏" in r.content.decode() and "备份" in r.content.decode()


def test_a_version_without_stored_rules_gets_the_configured_ones_once(
    stored: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    pub = publish_year(stored["admin"], 2024)
    Publication.objects.filter(pk=pub.pk).update(rules=None)
    pub.refresh_from_db()
    assert rules_of(pub).id == "nx-2021"
    settings.CIMON_INCENTIVE_RULES = str(_other_rules(tmp_path))
    pub.refresh_from_db()
    assert pub.rules is not None and rules_of(pub).id == "nx-2021"  # stored once, kept


def test_the_data_migration_gives_old_versions_the_literal_reading(
    transactional_db: Any, settings: Any
) -> None:
    """Migration 0005 on a database with versions published before it: each gets the
    configured rule set read the literal way, and the 2025 version's incentives on the dashboard
    and in the API are the amounts the release before #13 showed (its output for the demo)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from tests.web.conftest import FW, PASSWORD, REG

    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.published import clear_caches, content_of
    from cimon.web.api.services import incentives
    from cimon.web.evaluations import services as wf
    from cimon.web.serving import load_demo

    settings.CIMON_DASHBOARD_REPLICATES = 0
    load_demo(modules=False)
    admin, _ = create_user("admin-m", "admin", framework=FW, registry=REG, password=PASSWORD)
    evs = {y: wf.execute(wf.start(admin, y, queue=False).pk) for y in (2024, 2025)}
    before = [("evaluations", "0004_publication_issue_date_document_number")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        Pub = apps.get_model("evaluations", "Publication")
        ids: dict[str, int] = {}
        for y, ev in evs.items():
            p = Pub.objects.create(
                evaluation_year=y, version=1, evaluation_id=ev.pk, results=ev.results,
                class_counts=ev.class_counts, published_at=ev.finished_at, basis=dict(ids),
            )  # fmt: skip
            ids[str(y)] = p.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    for pub in Publication.objects.all():
        assert pub.rules is not None and pub.rules["places"] == "literal"
        assert rules_of(pub).raw == with_places(load_rules("nx-2021"), "literal").raw
    old = json.loads(BEFORE_13.read_text(encoding="utf-8"))["nx-2021"]["2025"]
    want = {code: int(v[0]) for code, v in old.items()}
    assert sum(want.values()) > 0
    pub = Publication.objects.get(evaluation_year=2025)
    clear_caches()
    assert {a["code"]: a["total"] for a in incentives(pub, admin)["awards"]} == want
    assert {a.code: int(a.total) for a in content_of(pub).content.awards} == want
    clear_caches()
