"""Importing lists into the libraries (#18): all or nothing in one transaction, every attempt
kept with its file and report, duplicates against the stored registration numbers refused, a
county clerk limited to its county, an audit event per record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.intake.test_library_lists import CONTRACT_HEAD, xlsx
from tests.web.conftest import XIJI, YUANZHOU

from cimon.store.libraries import services as lib
from cimon.store.libraries.imports import IMPORT_ACCOUNT, import_list
from cimon.store.libraries.models import PUBLISHED, Achievement, Contract, Need
from cimon.store.libraries.models_talent import ACCEPTED, REJECTED, ImportAttempt
from cimon.store.submissions.models import AuditEvent

pytestmark = pytest.mark.django_db


def contracts(*rows: list[Any]) -> bytes:
    return xlsx([CONTRACT_HEAD, *rows])


def row(number: str, wan: Any = 10, county: str = XIJI) -> list[Any]:
    return [number, "技术服务", "宁夏大学", "合作社", wan, "2025-03-01", county]


def test_contracts_imported_in_one_go(users: dict[str, Any]) -> None:
    data = contracts(row("C1", 12.5), row("C2", 3))
    attempt, read = import_list("contract", data, "台账.xlsx", users["admin"])
    assert read.ok and attempt.status == ACCEPTED and bytes(attempt.content) == data
    got = {c.number: c for c in Contract.objects.all()}
    assert got["C1"].amount == 125_000 and got["C1"].seller == "宁夏大学"
    assert sorted(attempt.created) == sorted(c.pk for c in got.values())
    assert AuditEvent.objects.filter(action="contract.import").count() == 2
    assert AuditEvent.objects.filter(action="library.import", object_id=str(attempt.pk)).exists()


def test_a_stored_number_refuses_the_whole_file(users: dict[str, Any]) -> None:
    lib.register_contract(users["admin"], "C1", 1, dt.date(2025, 1, 1), XIJI)
    attempt, read = import_list(
        "contract", contracts(row("C2"), row(" c1")), "b.xlsx", users["admin"]
    )
    assert not read.ok and attempt.status == REJECTED and attempt.created == []
    issue = read.report.find("row.duplicate")[0]
    assert issue.cell == "A3" and issue.sheet == "合同"
    assert set(Contract.objects.values_list("number", flat=True)) == {"C1"}  # C2 not written
    kept = ImportAttempt.objects.get()
    assert kept.report["issues"][0]["code"] == "row.duplicate"


def test_a_county_clerk_imports_only_its_county(users: dict[str, Any]) -> None:
    data = contracts(row("C1"), row("C2", county=YUANZHOU))
    attempt, read = import_list("contract", data, "c.xlsx", users["county"], regions=[XIJI])
    assert attempt.status == REJECTED and read.report.find("region.wrong")[0].cell == "G3"
    assert not Contract.objects.exists()
    attempt, read = import_list("contract", contracts(row("C1")), "c.xlsx", users["county"],
                                regions=[XIJI])  # fmt: skip
    assert read.ok and attempt.region_code == XIJI


def test_bad_file_kept_with_its_report(users: dict[str, Any]) -> None:
    attempt, read = import_list("contract", b"not a workbook", "x.xlsx", "os:clerk")
    assert attempt.status == REJECTED and attempt.by == "os:clerk" and not read.ok
    assert ImportAttempt.objects.count() == 1


def test_needs_and_achievements_published_and_not_twice(users: dict[str, Any]) -> None:
    needs = xlsx([["问题描述", "区划代码", "产业链", "预算(万元)"],
                  ["马铃薯贮藏期烂薯多，需要贮藏技术", XIJI, "马铃薯", 20]])  # fmt: skip
    import_list("need", needs, "n.xlsx", "os:clerk")
    need = Need.objects.get()
    assert need.status == PUBLISHED and need.owner.username == IMPORT_ACCOUNT
    assert need.current.chain == "马铃薯" and str(need.current.budget) == "20.00"
    again, read = import_list("need", needs, "n.xlsx", "os:clerk")
    assert again.status == REJECTED and read.report.find("row.duplicate")
    ach = xlsx(
        [["成果名称", "完成单位", "技术成熟度"], ["马铃薯贮藏窖通风防烂薯技术", "宁夏农科院", 7]]
    )
    _attempt, read = import_list("achievement", ach, "a.xlsx", users["admin"])
    item = Achievement.objects.get()
    assert item.status == PUBLISHED and item.current.trl == 7 and item.owner == users["admin"]
    assert lib.recommend(need, users["admin"])  # imported records are matched


def test_a_hostile_file_is_refused_and_kept(users: dict[str, Any]) -> None:
    from tests.intake import hostile

    bomb = hostile.row_bomb(30_000)
    attempt, read = import_list("need", bomb, "bomb.xlsx", users["admin"])
    assert attempt.status == REJECTED and "file.too_large" in read.report.codes
    assert bytes(ImportAttempt.objects.get().content) == bomb and not Need.objects.exists()
