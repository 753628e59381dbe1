"""Coverage and alerts (issue #17): villages with a service this year / all villages per county
and town, the inactive commissioners, dispatches ending without a record — each a fixed number
of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from cimon.store.commissioners import services as cs

from .conftest import DAY, XIJI, XINGQING, village

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 12, 31)


def _villages() -> list[str]:
    return [village(XIJI, t, v) for t in (1, 2) for v in (1, 2, 3)] + [village(XINGQING, 1, 1)]


def test_coverage_per_county_and_town(world: dict[str, Any]) -> None:
    c1, u = world["c1"], world["u_comm"]
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 2, 3), kind="培训", today=TODAY)
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 2, 3), kind="科普", today=TODAY)
    cs.log_service(
        c1, u, date=dt.date(2024, 5, 1), village_code=village(XIJI, 1, 2), kind="培训", today=TODAY
    )  # fmt: skip — another year
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 3, 1), kind="培训", today=TODAY)
    cov = cs.coverage(2025, _villages())
    by = {c.county_code: c for c in cov.counties}
    assert (by[XIJI].villages, by[XIJI].served) == (6, 2)  # town 1 village 1 (s1), 2-3
    assert [(t.town_code, t.villages, t.served) for t in by[XIJI].towns] == [
        (village(XIJI)[:9], 3, 1), (village(XIJI, 2)[:9], 3, 1)
    ]  # fmt: skip
    assert (by[XINGQING].villages, by[XINGQING].served) == (1, 1)
    assert by[XIJI].share == pytest.approx(2 / 6)
    assert cov.unknown == [village(XIJI, 3, 1)]  # not in the list given: shown, not counted
    assert (cov.villages, cov.served) == (7, 3)
    # the village registry's table works the same; one county only
    table = pd.DataFrame({"code": _villages(), "name": "x"})
    one = cs.coverage(2025, table, county_codes=[XIJI])
    assert [c.county_code for c in one.counties] == [XIJI] and one.served == 2


def test_a_corrected_record_counts_once_at_its_new_village(world: dict[str, Any]) -> None:
    cs.correct_service(world["s1"], world["u_comm"], today=TODAY, village_code=village(XIJI, 1, 3))
    served = cs.served_villages(2025, [XIJI])
    assert served == {village(XIJI, 1, 3)}


def test_coverage_is_one_query(world: dict[str, Any], django_assert_num_queries: Any) -> None:
    for d in range(1, 40):
        cs.log_service(world["c1"], world["u_comm"], date=dt.date(2025, 3, d % 28 + 1),
                       village_code=village(XIJI, d % 3 + 1, d % 5 + 1), kind="培训",
                       today=TODAY)  # fmt: skip
    with django_assert_num_queries(1):
        cs.coverage(2025, _villages())


def test_inactive(world: dict[str, Any], django_assert_num_queries: Any) -> None:
    c1, c3 = world["c1"], world["c3"]
    # c1 and c2 served on DAY (3 June); c3 never
    with django_assert_num_queries(1):
        rows = list(cs.inactive(30, dt.date(2025, 6, 20)))
    rows = [r for r in rows if r.pk in {c1.pk, c3.pk}]  # not the web fixture's commissioner
    assert [r.pk for r in rows] == [c3.pk]
    assert rows[0].last_service is None
    rows = list(cs.inactive(30, dt.date(2025, 8, 1)))
    mine = world["users"]["commissioner"].commissioner.pk  # the web fixture's, never served
    assert {r.pk for r in rows} == {c3.pk, c1.pk, world["c2"].pk, mine}
    assert next(r for r in rows if r.pk == c1.pk).last_service == DAY
    cs.set_status(c3, world["users"]["admin"], "inactive", "调回")
    assert c3.pk not in {r.pk for r in cs.inactive(30, dt.date(2025, 8, 1))}


def test_ending_without_report(world: dict[str, Any]) -> None:
    # d1 has s1 under it; d2 has none (s2 was logged without the dispatch)
    rows = list(cs.ending_without_report(dt.date(2025, 12, 15), within_days=30))
    assert [d.pk for d in rows] == [world["d2"].pk]
    assert not cs.ending_without_report(dt.date(2025, 6, 1), within_days=30).exists()
    cs.log_service(world["c2"], world["u_comm2"], date=DAY, village_code=village(XINGQING),
                   kind="培训", dispatch=world["d2"], today=TODAY)  # fmt: skip
    assert not cs.ending_without_report(dt.date(2025, 12, 15)).exists()


def test_services_of_and_serving_by_county(world: dict[str, Any]) -> None:
    c1, u = world["c1"], world["u_comm"]
    later = cs.log_service(c1, u, date=dt.date(2025, 7, 1), village_code=village(XIJI),
                           kind="培训", today=TODAY)  # fmt: skip
    assert [r.pk for r in cs.services_of(c1)] == [later.pk, world["s1"].pk]
    assert [r.pk for r in cs.services_of(c1, 2024)] == []
    assert cs.serving_by_county(dt.date(2025, 6, 1)) == {XIJI: 1, XINGQING: 1}
    assert cs.serving_by_county(dt.date(2026, 6, 1)) == {}


def test_exists_per_village_matches_the_distinct_villages(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """served_among asks EXISTS per listed village (one statement): the same served villages as
    the county's distinct villages, a corrected record counted at its new village, another year
    and unlisted codes left out; coverage(unknown=False) then has no unknown codes."""
    from cimon.store.commissioners.monitor import served_among

    c1, u = world["c1"], world["u_comm"]
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 2, 3), kind="培训", today=TODAY)
    cs.log_service(
        c1, u, date=dt.date(2024, 5, 1), village_code=village(XIJI, 1, 2), kind="培训", today=TODAY
    )  # fmt: skip — another year
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 3, 1), kind="培训", today=TODAY)
    cs.correct_service(world["s1"], u, today=TODAY, village_code=village(XIJI, 1, 3))
    listed = [c for c in _villages() if c.startswith(XIJI)]
    with django_assert_num_queries(1):
        served = served_among(2025, listed)
    assert served == cs.served_villages(2025, [XIJI]) & set(listed)
    assert served == {village(XIJI, 1, 3), village(XIJI, 2, 3)}
    assert served_among(2025, []) == set()
    fast = cs.coverage(2025, _villages(), [XIJI], unknown=False)
    slow = cs.coverage(2025, _villages(), [XIJI])
    assert fast.counties == slow.counties and fast.unknown == [] and slow.unknown
