"""A small world of commissioners for the store's tests: two units, three commissioners (two
with accounts), dispatches in 西吉县 (固原市) and 兴庆区 (银川市), services, a venture, a training,
a team, an assessment and a candidate; plus a unit account, a commissioner account each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.web.conftest import FW, PASSWORD, REG, XIJI, _web_settings, users

from cimon.store.accounts.services import create_user
from cimon.store.commissioners import services as cs

__all__ = ["XIJI", "XINGQING", "_web_settings", "users", "world"]

XINGQING = REG.match("兴庆区").code
DAY = dt.date(2025, 6, 3)


def village(county: str, town: int = 1, village: int = 1) -> str:
    """A real village code of the village registry: the ``village``-th 村委会 of the
    ``town``-th town (by code) of ``county`` that has any."""
    from cimon.registry.villages import villages

    rows = villages(county=county)
    rows = rows[rows["kind"] == "村委会"]
    town_code = sorted(set(rows["town_code"]))[town - 1]
    return str(sorted(rows[rows["town_code"] == town_code]["code"])[village - 1])


@pytest.fixture
def world(users: dict[str, Any]) -> dict[str, Any]:
    admin = users["admin"]
    ua = cs.create_unit(admin, "宁夏大学（模拟）", "university")
    ub = cs.create_unit(admin, "宁夏农林科学院（模拟）", "institute")

    def account(name: str, role: str, **kw: Any) -> Any:
        user, _ = create_user(name, role, framework=FW, registry=REG, password=PASSWORD, **kw)
        return user

    u_comm = account("wang", "commissioner")
    u_comm2 = account("li", "commissioner")
    u_unit = account("ndunit", "unit", unit=ua.name)
    c1 = cs.create_commissioner(
        admin, unit=ua, status="active", account=u_comm, name="王特派", expertise="230"
    )
    c2 = cs.create_commissioner(admin, unit=ub, status="active", account=u_comm2, name="李特派")
    c3 = cs.create_commissioner(admin, unit=ua, status="active", name="赵特派")
    d1 = cs.propose_dispatch(
        admin, c1, object_name="某合作社", object_kind="coop", county_code=XIJI,
        start_on=dt.date(2025, 1, 1), end_on=dt.date(2025, 12, 31), tasks=["滩羊养殖指导"],
    )  # fmt: skip
    cs.decide_dispatch(d1, users["county"], accept=True)
    d2 = cs.propose_dispatch(
        admin, c2, object_name="某企业", object_kind="enterprise", county_code=XINGQING,
        start_on=dt.date(2025, 1, 1), end_on=dt.date(2025, 12, 31),
    )  # fmt: skip
    cs.decide_dispatch(d2, admin, accept=True)
    today = dt.date(2025, 12, 31)
    s1 = cs.log_service(
        c1, u_comm, date=DAY, village_code=village(XIJI), kind="技术指导", people_reached=12,
        dispatch=d1, today=today,
    )  # fmt: skip
    s2 = cs.log_service(
        c2, u_comm2, date=DAY, village_code=village(XINGQING), kind="培训", today=today
    )
    v1 = cs.record_venture(
        c1, u_comm, role="领办", kind="合作社", name="某滩羊合作社", year=2025, county_code=XIJI
    )
    v2 = cs.record_venture(
        c2, u_comm2, role="协办", kind="企业", name="某枸杞企业", year=2025, county_code=XINGQING
    )
    t1 = cs.record_training(
        u_comm, date=DAY, county_code=XIJI, topic="滩羊饲喂", trainees=30, commissioner=c1
    )
    t2 = cs.record_training(
        admin, date=DAY, county_code=XINGQING, topic="枸杞修剪", trainees=20, commissioner=c2
    )
    team = cs.create_team(admin, "西吉县科技特派团", c1, XIJI, 2025, [c3])
    team2 = cs.create_team(admin, "兴庆区科技特派团", c2, XINGQING, 2025)
    cs.store_computed_assessments(
        2025,
        [
            {"commissioner_id": c1.pk, "county_code": XIJI, "score": 90, "grade": "优秀"},
            {"commissioner_id": c2.pk, "county_code": XINGQING, "score": 70, "grade": "合格"},
        ],
        admin,
    )
    from cimon.store.commissioners.models import Assessment

    a1, a2 = (Assessment.objects.current().get(commissioner=c) for c in (c1, c2))
    call = cs.open_call(admin, 2026, "2026 年科技特派员选认")
    cand = cs.recommend(call, u_unit, ua, name="钱候选")
    cand2 = cs.recommend(call, admin, ub, name="孙候选")
    return dict(
        users=users, unit_a=ua, unit_b=ub, u_comm=u_comm, u_comm2=u_comm2, u_unit=u_unit,
        c1=c1, c2=c2, c3=c3, d1=d1, d2=d2, s1=s1, s2=s2, v1=v1, v2=v2, t1=t1, t2=t2,
        team=team, team2=team2, a1=a1, a2=a2, call=call, cand=cand, cand2=cand2,
    )  # fmt: skip
