"""Two provinces evaluate and publish the same year on one instance (#20 item 3): each runs on
its own framework, registry and data, publishes version 1 of the year under its own incentive
rules, and a correction in one province leaves the other's version alone."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from tests.web.conftest import FW, PASSWORD, REG, MakeSub

from cimon.errors import CimonError
from cimon.intake.submission import Record
from cimon.store.evaluations import services as wf
from cimon.store.evaluations.models import PUBLISHED, Evaluation, Publication
from cimon.store.national.hosting import evaluation_province, province_registry
from cimon.store.national.models import ProvinceMember

pytestmark = pytest.mark.django_db
#: 宁夏 with the bundled framework and rules, 甘肃 with another bundled framework and rule set
TWO = "64:nx-2021:nx-2021,62:nx-2021-index:zj-style"
GANSU = province_registry("62")


def _store_data(make_sub: MakeSub) -> None:
    """Synthetic values (模拟数据) of every variable, 2018–2021, for 宁夏's 22 and 甘肃's 86 units."""
    from cimon.store.submissions.services import store_submission

    rng = np.random.default_rng(20)
    rows = []
    for year in range(2018, 2022):
        for code in [*REG.codes, *GANSU.codes]:
            for v in FW.variables:
                x = float(rng.integers(1, 6)) if v.kind == "rubric" else float(rng.uniform(1, 1e4))
                rows.append(Record(code, year, v.code, x))
    store_submission(make_sub(rows, file_name="模拟数据.csv", kind="freeform"), b"synthetic")


def _publish(user: Any, year: int, province: str | None = None, reason: str = "") -> Any:
    ev = wf.execute(wf.start(user, year, queue=False, province=province).pk)
    assert ev.status == "review", ev.error
    today = timezone.localdate()
    if not reason:
        wf.put_on_notice(user, ev, today - timedelta(days=10), today - timedelta(days=3),
                         override_reason="公示已在线下进行 / a notice held offline")  # fmt: skip
    return wf.publish(user, ev, reason)


@pytest.fixture
def two(users: dict[str, Any], settings: Any, make_sub: MakeSub) -> dict[str, Any]:
    from cimon.store.accounts.services import create_user
    from cimon.store.evaluations.published import clear_caches

    settings.CIMON_DASHBOARD_REPLICATES = 0
    settings.CIMON_PUBLICATION_FILES = ["xlsx:zh"]
    clear_caches()
    _store_data(make_sub)
    settings.CIMON_PROVINCES = TWO
    admin62, _ = create_user("gs-admin", "admin", framework=FW, registry=REG, password=PASSWORD)
    for user, code in ((users["admin"], "64"), (users["viewer"], "64"), (admin62, "62")):
        ProvinceMember.objects.create(user=user, province=code)
    return {**users, "admin62": admin62}


def test_each_province_evaluates_and_publishes_the_same_year(two: dict[str, Any]) -> None:
    from cimon.store.evaluations.published import published_years, run_of
    from cimon.store.evaluations.rules import rules_of
    from cimon.web.evaluations.services import visible_publication

    admin, admin62, viewer = two["admin"], two["admin62"], two["viewer"]
    pub64 = _publish(admin, 2022)  # the account's province
    pub62 = _publish(admin62, 2022)
    assert (pub64.province, pub64.version, pub62.province, pub62.version) == ("64", 1, "62", 1)
    ev64, ev62 = pub64.evaluation, pub62.evaluation
    assert (evaluation_province(ev64), evaluation_province(ev62)) == ("64", "62")
    # each on its own framework, counties and rules
    assert (ev64.framework_id, ev62.framework_id) == ("nx-2021", "nx-2021-index")
    assert sorted(r["region_code"] for r in pub64.results) == sorted(REG.codes)
    assert sorted(r["region_code"] for r in pub62.results) == sorted(GANSU.codes)
    assert (rules_of(pub64).id, rules_of(pub62).id) == ("nx-2021", "zj-style")
    # a published version is rebuilt from its province's framework, registry and data only
    assert sorted(run_of(ev62, pub62.results).results.index) == sorted(GANSU.codes)
    # a correction in 甘肃 is its version 2; 宁夏's version 1 stays current
    fix62 = _publish(admin62, 2022, reason="数据更正 / corrected data")
    assert (fix62.province, fix62.version) == ("62", 2)
    pub64.refresh_from_db()
    pub62.refresh_from_db()
    assert pub64.superseded_at is None and pub62.superseded_at is not None
    # lookups by year take the viewer's province
    assert visible_publication(viewer, 2022) == pub64
    assert visible_publication(admin, 2022) == pub64
    assert visible_publication(admin62, 2022) == fix62
    assert visible_publication(admin62, 2022, 1) == pub62
    assert visible_publication(viewer, 2022, 2) is None  # 甘肃's version 2 is not 宁夏's
    assert visible_publication(two["county"], 2022) is None  # no province: nothing
    assert wf.current_publication(2022, "64") == pub64
    assert wf.current_publication(2022, "62") == fix62
    assert wf.current_publication(2022) is None  # "" is the single-province key
    assert published_years("64") == published_years("62") == [2022]
    assert published_years(None) == []
    # the API and the pages answer the viewer's province's version of the year
    from django.test import Client

    def get(user: Any, url: str) -> Any:
        c = Client()
        c.force_login(user)
        return c.get(url)

    body = get(viewer, "/api/v1/years/2022/results").json()
    assert (body["version"], body["versions"], len(body["results"])) == (1, [1], 22)
    body = get(admin62, "/api/v1/years/2022/results").json()
    assert (body["version"], body["versions"], len(body["results"])) == (2, [1, 2], 86)
    assert body["framework"]["id"] == "nx-2021-index"
    assert get(viewer, "/api/v1/years/2022/results?version=2").status_code == 404
    # filtered by the province's own registry (甘肃's units are not in the platform's default)
    body = get(admin62, "/api/v1/years/2022/results?province=甘肃省&per_page=10").json()
    assert (body["paging"]["total"], len(body["results"])) == (86, 10)
    assert get(viewer, "/dashboard/2022/").status_code == 200


def test_basis_and_previous_year_stay_in_the_province(two: dict[str, Any]) -> None:
    from cimon.store.evaluations.basis import basis_ids, basis_note

    admin, admin62 = two["admin"], two["admin62"]
    p21 = _publish(admin, 2021)  # 宁夏 only
    p22 = _publish(admin, 2022)
    assert basis_ids(p22) == {2021: p21.pk} and basis_note(p22)["version"] == 1
    ev = wf.execute(wf.start(admin62, 2022, queue=False).pk)
    today = timezone.localdate()
    wf.put_on_notice(admin62, ev, today - timedelta(days=10), today - timedelta(days=3),
                     override_reason="公示已在线下进行 / a notice held offline")  # fmt: skip
    preview = wf.publish_preview(admin62, ev)
    # 甘肃's first 2022: not a correction of 宁夏's, and not compared with 宁夏's 2021
    assert preview["version"] == 1 and preview["supersedes"] is None
    assert preview["compared_with"] is None and preview["rules"].id == "zj-style"
    g22 = wf.publish(admin62, ev)
    assert basis_ids(g22) == {}
    assert basis_note(g22) == {"year": 2021, "version": None, "current_version": None}
    # a 宁夏 correction of 2021 keeps 宁夏's 2022 compared with it, and 甘肃's untouched
    preview = wf.publish_preview(admin, wf.execute(wf.start(admin, 2021, queue=False).pk), "x")
    assert preview["version"] == 2 and [p.pk for p in preview["keep_basis"]] == [p22.pk]


def test_the_province_is_checked_when_an_evaluation_is_created(
    two: dict[str, Any], settings: Any
) -> None:
    with pytest.raises(CimonError, match="11"):
        wf.start(two["admin"], 2022, queue=False, province="11")  # not hosted
    with pytest.raises(CimonError, match="--province"):
        wf.start(two["county"], 2022, queue=False)  # no province, several hosted
    ev = wf.start(two["county"], 2022, queue=False, province="62")  # named explicitly
    assert evaluation_province(ev) == "62" and ev.framework_id == "nx-2021-index"
    settings.CIMON_PROVINCES = ""
    with pytest.raises(CimonError):
        wf.start(two["admin"], 2022, queue=False, province="64")  # one province: none to name
    ev = wf.start(two["admin"], 2022, queue=False)
    assert ev.framework_id == "nx-2021" and evaluation_province(ev) is None


def test_platform_framework_registry_and_rules_by_province(two: dict[str, Any]) -> None:
    from cimon.store.evaluations.rules import configured
    from cimon.store.platform import platform_framework, platform_registry

    assert platform_framework("62").id == "nx-2021-index" and platform_framework().id == "nx-2021"
    assert platform_registry("62").codes == GANSU.codes and len(platform_registry()) == 22
    assert configured("62").id == "zj-style" and configured().id == "nx-2021"
    with pytest.raises(CimonError, match="CIMON_PROVINCES"):
        platform_framework("11")
    assert wf.default_year("62") == 2022


def test_versions_are_numbered_per_province_and_year(users: dict[str, Any]) -> None:
    now = timezone.now()

    def row(province: str, version: int, current: bool = True) -> Publication:
        ev = Evaluation.objects.create(evaluation_year=2025, framework_id="nx-2021",
                                       data_as_of=now, created_at=now, status=PUBLISHED)  # fmt: skip
        return Publication.objects.create(
            province=province, evaluation_year=2025, version=version, evaluation=ev,
            published_at=now, superseded_at=None if current else now)  # fmt: skip

    row("64", 1)
    row("62", 1)
    row("", 1)  # a single-province row: its own numbering
    for province, version, current in (("64", 1, False), ("64", 2, True)):
        with pytest.raises(IntegrityError), transaction.atomic():
            row(province, version, current)
    assert str(Publication.objects.of_year(2025, province="62")) == "62 2025 v1"
    assert str(Publication.objects.of_year(2025)) == "2025 v1"


def test_cli_runs_and_publishes_in_a_province(two: dict[str, Any]) -> None:
    from click.testing import CliRunner

    from cimon.cli import main

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, ["evaluation", *args], catch_exceptions=False)

    from cimon.store.accounts.services import create_user

    create_user("admin-np", "admin", framework=FW, registry=REG, password=PASSWORD)
    r = run("run", "--year", "2022", "--user", "xiji", "--province", "62")
    assert r.exit_code == 2 and "管理员" in r.output  # a county account may not
    r = run("run", "--year", "2022", "--user", "admin-np")  # no province of its own: name one
    assert r.exit_code == 2 and "--province" in r.output
    r = run("run", "--year", "2022", "--user", "admin-np", "--province", "11")
    assert r.exit_code == 2 and "CIMON_PROVINCES" in r.output
    r = run("run", "--year", "2022", "--user", "admin-np", "--province", "62")
    assert r.exit_code == 0, r.output
    pk, province, year, framework, counties = r.output.split("\t")[:5]
    pk = pk.lstrip("#")
    assert (province, year, framework, counties) == ("62", "2022", "nx-2021-index", "86")
    assert run("publish", pk, "--user", "gs-admin").exit_code == 2  # first version: notice first
    ev = Evaluation.objects.get(pk=int(pk))
    today = timezone.localdate()
    wf.put_on_notice(two["admin62"], ev, today - timedelta(days=10), today - timedelta(days=3),
                     override_reason="公示已在线下进行 / a notice held offline")  # fmt: skip
    r = run("publish", pk, "--user", "gs-admin")
    assert r.exit_code == 0 and r.output.startswith("62\t2022\tv1\t86\t已发布"), r.output
    r = run("run", "--year", "2022", "--user", "admin")  # the account's province: 64
    assert r.exit_code == 0 and r.output.split("\t")[1] == "64", r.output
    r = run("publish", r.output.split("\t")[0][1:], "--user", "admin")
    assert r.exit_code == 2  # 宁夏's first 2022 needs its notice: not a correction of 甘肃's
    assert Publication.objects.get().province == "62"


def test_the_migration_gives_tagged_versions_their_province(settings: Any) -> None:
    """``0008_publication_province``: a version whose evaluation carries a province tag (made on
    a multi-province instance before versions were numbered per province) gets that province."""
    from importlib import import_module

    from django.apps import apps

    from cimon.store.national.hosting import tag_evaluation

    migration = import_module("cimon.store.evaluations.migrations.0008_publication_province")
    settings.CIMON_PROVINCES = TWO
    now = timezone.now()
    pubs = []
    for year, tag in ((2024, "62"), (2025, None)):
        ev = Evaluation.objects.create(evaluation_year=year, framework_id="nx-2021",
                                       data_as_of=now, created_at=now, status=PUBLISHED)  # fmt: skip
        if tag:
            tag_evaluation(ev, tag)
        pubs.append(Publication.objects.create(evaluation_year=year, version=1, evaluation=ev,
                                               published_at=now))  # fmt: skip
    from django.db import connection

    migration.from_tags(apps, SimpleNamespace(connection=connection))
    assert [Publication.objects.get(pk=p.pk).province for p in pubs] == ["62", ""]
