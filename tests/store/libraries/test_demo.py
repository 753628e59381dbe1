"""The demo libraries (模拟数据, #18): needs, achievements, a match taken to 技术合同登记 and its
contract, every record labelled, loaded once."""

from __future__ import annotations

import pytest
from tests.web.conftest import REG

from cimon.store.libraries.demo import load_demo_libraries
from cimon.store.libraries.models import PUBLISHED, REGISTERED, Achievement, Contract, Match, Need

pytestmark = pytest.mark.django_db


def test_the_demo_libraries_are_labelled_and_loaded_once() -> None:
    counties = list(REG.codes)
    assert load_demo_libraries(counties, 2024) == 3
    assert load_demo_libraries(counties, 2024) == 0
    assert Need.objects.count() == 3 and Achievement.objects.count() == 4
    for model in (Need, Achievement, Match, Contract):
        assert set(model.objects.values_list("label", flat=True)) == {"模拟数据"}
    assert set(Need.objects.values_list("status", flat=True)) == {PUBLISHED}
    contract = Contract.objects.get()
    assert contract.match is not None and contract.match.stage == REGISTERED
    assert contract.signed_on.year == 2024 and contract.region_code == counties[0]
    assert "冷链" in contract.match.achievement_version.title


def test_cimon_serve_first_start_loads_the_demo_libraries() -> None:
    from cimon.store.platform import platform_framework
    from cimon.web.serving import load_demo

    _, year = load_demo()
    contract = Contract.objects.get()
    assert contract.label == "模拟数据"
    assert contract.signed_on.year == year - platform_framework().data_lag - 1
