"""The demo commissioners (模拟数据, issue #17): 150 people across the 22 demo counties, a few
thousand service records in 2025, teams with their five coverages; labelled; loaded once."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.conftest import REG

from cimon.registry.synthetic import SYNTHETIC_LABEL
from cimon.store.commissioners import services as cs
from cimon.store.commissioners.demo import (
    DEMO_YEAR,
    PEOPLE,
    QUIET,
    demo_villages,
    load_demo_commissioners,
)
from cimon.store.commissioners.models import (
    Commissioner,
    Dispatch,
    ServiceRecord,
    Team,
    TeamCoverage,
    Training,
    Venture,
)

pytestmark = pytest.mark.django_db


def test_demo_commissioners() -> None:
    counties = REG.codes
    assert len(counties) == 22
    n = load_demo_commissioners(counties)
    assert 2000 <= n <= 5000 and ServiceRecord.objects.count() == n
    assert Commissioner.objects.filter(label=SYNTHETIC_LABEL).count() == PEOPLE
    assert not ServiceRecord.objects.exclude(label=SYNTHETIC_LABEL).exists()
    assert not Venture.objects.exclude(label=SYNTHETIC_LABEL).exists()
    assert not Training.objects.exclude(label=SYNTHETIC_LABEL).exists()
    assert set(Dispatch.objects.values_list("county_code", flat=True)) == set(counties)
    assert {d.year for d in ServiceRecord.objects.dates("date", "year")} == {DEMO_YEAR}
    assert Team.objects.count() == 3 and TeamCoverage.objects.count() == 15
    cov = cs.coverage(DEMO_YEAR, demo_villages(counties))
    assert len(cov.counties) == 22 and cov.unknown == []
    # real village codes (the registry's 村委会): a county with few of them may be served whole
    assert all(0 < c.served <= c.villages for c in cov.counties)
    assert cov.served < cov.villages and all(len(c.towns) >= 1 for c in cov.counties)
    from cimon.registry.villages import village

    assert all(village(code).kind == "村委会" for code in demo_villages(counties)[::50])
    quiet = cs.inactive(60, dt.date(DEMO_YEAR, 12, 31))
    assert quiet.count() >= QUIET
    from cimon.store.commissioners.demo import demo_note

    assert demo_note("zh") == f"科技特派员（模拟数据）：150 人，2025 年服务记录 {n} 条，特派团 3 个"
    assert "150 commissioners" in demo_note("en")
    assert load_demo_commissioners(counties) == 0  # once
    assert Commissioner.objects.count() == PEOPLE


def test_cimon_serve_first_start_loads_the_demo_commissioners() -> None:
    from cimon.web.serving import load_demo

    load_demo()
    assert Commissioner.objects.filter(label=SYNTHETIC_LABEL).count() == PEOPLE
    assert ServiceRecord.objects.in_year(DEMO_YEAR).exists()
