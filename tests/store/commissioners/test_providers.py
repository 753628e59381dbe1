"""The commissioners' providers (issue #17): the programme target source
``commissioner_coverage`` and the person source ``commissioner`` for matching, both registered
when the app starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cimon.store.commissioners import services as cs
from cimon.store.commissioners.monitor import registry_villages
from cimon.store.commissioners.providers import CommissionerSource, coverage_values

from .conftest import DAY, XIJI, village

pytestmark = pytest.mark.django_db


def test_both_are_registered_at_start() -> None:
    from cimon.store.libraries.talent import person_sources
    from cimon.store.programmes.sources import PROVIDERS, check_source

    assert PROVIDERS["commissioner_coverage"] is coverage_values
    assert check_source("T1", "commissioner_coverage", {"level": "village"}) is None
    assert "commissioner" in {s.name for s in person_sources()}


def test_commissioner_coverage(world: dict[str, Any]) -> None:
    # s1: town 1 village 1 of 西吉县 in 2025; one more village of town 2
    cs.log_service(world["c1"], world["u_comm"], date=DAY, village_code=village(XIJI, 2, 1),
                   kind="培训", today=dt.date(2025, 12, 31))  # fmt: skip
    listed = registry_villages([XIJI])
    towns = {v[:9] for v in listed}
    got = coverage_values(XIJI, {}, [2024, 2025])
    assert got == {2024: 0.0, 2025: round(200.0 / len(towns), 2)}
    assert coverage_values(XIJI, {"level": "village"}, [2025]) == {
        2025: round(200.0 / len(listed), 2)
    }


def test_commissioner_person_source(world: dict[str, Any]) -> None:
    people = {p.name: p for p in CommissionerSource().people()}
    assert {"王特派", "李特派", "赵特派"} <= set(people)
    wang = people["王特派"]
    assert wang.commissioner and wang.region == XIJI and wang.discipline == "230"
    assert wang.tags == ("滩羊养殖指导",) and wang.id == str(world["c1"].pk)
    from cimon.matching.people import recommend_people
    from cimon.matching.records import Need

    need = Need(id="n1", problem="滩羊养殖 技术指导", county=XIJI)
    best = recommend_people(need, [CommissionerSource()], k=3)
    assert best and best[0].person.name == "王特派" and best[0].source == "commissioner"
