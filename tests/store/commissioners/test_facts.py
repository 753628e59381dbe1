"""What the assessment rules read (issue #17): one row per commissioner for a year, from a fixed
number of GROUP BY queries; the 特派团 five-coverage status per county."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from cimon.store.commissioners import services as cs
from cimon.store.commissioners.facts import COLUMNS, team_coverage, yearly_facts

from .conftest import DAY, XIJI, XINGQING, village

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 12, 31)


def test_yearly_facts(world: dict[str, Any], django_assert_num_queries: Any) -> None:
    c1, c2, c3, u = world["c1"], world["c2"], world["c3"], world["u_comm"]
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 1, 2), kind="培训",
                   people_reached=8, today=TODAY)  # fmt: skip
    cs.log_service(c1, u, date=dt.date(2025, 7, 1), village_code=village(XIJI, 1, 2), kind="科普",
                   people_reached=5, today=TODAY)  # fmt: skip
    cs.log_service(
        c1, u, date=dt.date(2024, 7, 1), village_code=village(XIJI, 1, 3), kind="科普", today=TODAY
    )  # fmt: skip — another year
    code, _ = cs.issue_rating_code(world["s1"], u)
    cs.redeem_rating_code(code, 4)
    cs.confirm_days(world["d1"], world["u_unit"], 2025, 60)
    cs.rate_by_unit(c1, world["u_unit"], 2025, "优秀")
    # on PostgreSQL: a savepoint, the local planner settings, its release
    with django_assert_num_queries(8 + 3 * (connection.vendor == "postgresql")):
        facts = yearly_facts(2025)
    assert tuple(facts.columns) == COLUMNS
    mine = world["users"]["commissioner"].commissioner.pk  # the web fixture's commissioner
    assert list(facts["commissioner_id"]) == sorted([c1.pk, c2.pk, c3.pk, mine])
    row = facts.set_index("commissioner_id").loc[c1.pk]
    assert (row.records, row.service_dates, row.villages, row.people_reached) == (3, 2, 2, 25)
    assert (row.ratings, row.satisfaction, row.confirmed_days) == (1, 4.0, 60)
    assert (row.unit_rating, row.ventures, row.trainings, row.trainees) == ("excellent", 1, 1, 30)
    assert row.county_code == XIJI and row.tasks == ["滩羊养殖指导"]
    other = facts.set_index("commissioner_id").loc[c3.pk]  # no dispatch, no record
    assert (other.records, other.ratings, other.county_code, other.unit_rating) == (0, 0, "", "")
    assert other.tasks == [] and other.satisfaction != other.satisfaction  # NaN
    assert facts.set_index("commissioner_id").loc[c2.pk].county_code == XINGQING
    assert yearly_facts(2024).set_index("commissioner_id").loc[c1.pk].records == 1
    empty = yearly_facts(2025, status="inactive")
    assert empty.empty and tuple(empty.columns) == COLUMNS
    assert len(yearly_facts(2025, status="")) == 6  # and the two candidates


def test_team_coverage(world: dict[str, Any]) -> None:
    cs.record_coverage(world["team"], world["users"]["county"], 2025, "科技项目", "已覆盖")
    cs.record_coverage(world["team"], world["users"]["county"], 2025, "科普宣传", "推进中")
    out = team_coverage(2025)
    assert set(out) == {XIJI, XINGQING}
    assert out[XIJI]["project"] == "covered" and out[XIJI]["outreach"] == "progress"
    assert out[XIJI]["talent"] == "none" and out[XIJI]["team"] == world["team"].pk
    assert set(out[XINGQING].values()) >= {"none"}
    assert team_coverage(2024) == {}
