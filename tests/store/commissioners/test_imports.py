"""Importing the 名单 and service logs into the store (issue #17): all or nothing, every
attempt kept, villages resolved with the village registry, duplicates against stored rows
refused, errors naming the cell in Chinese and English."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.intake.test_commissioners import xlsx

from cimon.store.audit import AuditEvent
from cimon.store.commissioners.imports import import_commissioners
from cimon.store.commissioners.models import Commissioner
from cimon.store.commissioners.records import ServiceRecord
from cimon.store.libraries.models_talent import ImportAttempt
from cimon.store.platform import platform_registry

pytestmark = pytest.mark.django_db

ROSTER = [
    ["序号", "姓名", "派出单位", "服务县（区）", "服务领域", "职称", "联系电话"],
    [1, "杜导入", "宁夏大学（模拟）", "西吉县", "马铃薯", "教授", "13800000000"],
    [2, "苏导入", "某新单位（模拟）", "彭阳县", "草畜", "研究员", None],
]
HEAD = ["姓名", "服务日期", "服务村", "服务类型", "服务人数", "服务内容"]


def _roster(user: Any) -> None:
    attempt, read = import_commissioners(
        "roster", xlsx(ROSTER), "名单.xlsx", user, regions=platform_registry()
    )
    assert read.ok and attempt.status == "accepted" and len(attempt.created) == 2


def test_roster_then_services(users: dict[str, Any]) -> None:
    admin = users["admin"]
    _roster(admin)
    person = Commissioner.objects.with_profile().get(name="杜导入")
    assert (
        person.status == "active" and person.unit.name == "宁夏大学(模拟)"
    )  # NFKC, as the parser reads it
    log = [HEAD, ["杜导入", dt.datetime(2025, 3, 5), "大营村", "技术指导", 35, "种薯"],
           ["杜导入", "2025-03-06", "640422100200", "培训", 12, None]]  # fmt: skip
    attempt, read = import_commissioners("services", xlsx(log), "log.xlsx", admin, year=2025)
    assert read.ok, read.report.render()
    rows = ServiceRecord.objects.filter(pk__in=attempt.created).order_by("date")
    assert [r.village_code for r in rows] == ["640422100201", "640422100200"]
    assert rows[0].county_code == "640422" and rows[0].notes == "种薯"
    # the same file again: every row is stored already — nothing written, the attempt kept
    again, read = import_commissioners("services", xlsx(log), "log.xlsx", admin, year=2025)
    assert again.status == "rejected" and again.created == [] and read.rows.empty
    issues = list(read.report)
    assert [i.code for i in issues] == ["row.stored", "row.stored"]
    assert (
        issues[0].cell == "B2" and "已在库中" in issues[0].zh and "already stored" in issues[0].en
    )
    assert ServiceRecord.objects.count() == 2 and ImportAttempt.objects.count() == 3
    assert AuditEvent.objects.filter(action="commissioner.import").count() == 3


def test_a_bad_row_refuses_the_whole_file(users: dict[str, Any]) -> None:
    admin = users["admin"]
    _roster(admin)
    log = [HEAD, ["杜导入", "2025-03-05", "640422100200", "培训", 3, None],
           ["杜导入", "2025-03-06", "640422100999", "培训", 3, None],
           ["无此人", "2025-03-06", "640422100200", "培训", 3, None],
           ["杜导入", "2025-03-07", "没有这个村", "培训", 3, None]]  # fmt: skip
    data = xlsx(log)
    attempt, read = import_commissioners("services", data, "log.xlsx", admin)
    assert attempt.status == "rejected" and not ServiceRecord.objects.exists()
    by_cell = {i.cell: i for i in read.report}
    assert set(by_cell) == {"C3", "A4", "C5"}
    assert "吉强镇" in by_cell["C3"].zh and "NBS" in by_cell["C3"].en
    assert "没有名为“无此人”" in by_cell["A4"].zh
    assert "找不到村" in by_cell["C5"].zh and "12-digit" in by_cell["C5"].fix_en
    assert bytes(ImportAttempt.objects.get(kind="comm_services").content) == data


def test_a_roster_twice_is_refused(users: dict[str, Any]) -> None:
    _roster(users["admin"])
    attempt, read = import_commissioners(
        "roster", xlsx(ROSTER), "名单.xlsx", users["admin"], regions=platform_registry()
    )
    assert attempt.status == "rejected" and {i.code for i in read.report} == {"row.stored"}
    assert Commissioner.objects.with_profile().filter(name="杜导入").count() == 1
