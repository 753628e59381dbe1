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
    contract = Contract.objects.get(match__isnull=False)
    assert contract.match is not None and contract.match.stage == REGISTERED
    assert contract.signed_on.year == 2024 and contract.region_code == counties[0]
    assert "冷链" in contract.match.achievement_version.title


def test_cimon_serve_first_start_loads_the_demo_libraries() -> None:
    from cimon.store.platform import platform_framework
    from cimon.web.serving import load_demo

    _, year = load_demo()
    contract = Contract.objects.get(match__isnull=False)
    assert contract.label == "模拟数据"
    assert contract.signed_on.year == year - platform_framework().data_lag - 1


def test_demo_talent_feedback_transfer_and_imported_register() -> None:
    from cimon.store.libraries.feedback import stored_quality
    from cimon.store.libraries.models_talent import (
        ACCEPTED,
        ImportAttempt,
        MatchFeedback,
        TalentProfile,
        TransferProject,
    )

    counties = list(REG.codes)
    load_demo_libraries(counties, 2024)
    assert TalentProfile.objects.filter(label="模拟数据", status="published").count() == 3
    assert set(MatchFeedback.objects.values_list("label", flat=True)) == {"模拟数据"}
    assert stored_quality().judged == 3
    assert TransferProject.objects.get().completed_on.year == 2024
    attempt = ImportAttempt.objects.get()
    assert attempt.status == ACCEPTED and len(attempt.created) == 3
    imported = Contract.objects.filter(pk__in=attempt.created)
    assert sorted(imported.values_list("amount", flat=True)) == [128_000, 355_000, 800_000]
    assert set(imported.values_list("label", flat=True)) == {"模拟数据"}
