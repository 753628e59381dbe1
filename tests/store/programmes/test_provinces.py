"""The programmes' and the 创新管理 evidence's reads of the current publications, and plan
references, on an instance hosting two provinces (#20): a county is checked against its own
province's publications; a province may not supersede another's plan of the same id."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from tests.web.conftest import FW, REG, two_provinces  # noqa: F401  (a fixture)

from cimon.store.evaluations.models import PUBLISHED, Evaluation, Publication

pytestmark = pytest.mark.django_db

XIJI, LANZHOU = "640422", "620102"


def _publication(year: int, province: str, rows: list[dict[str, Any]]) -> Publication:
    now = timezone.now()
    ev = Evaluation.objects.create(evaluation_year=year, framework_id="nx-2021", data_as_of=now,
                                   created_at=now, status=PUBLISHED, progress=100)  # fmt: skip
    return Publication.objects.create(evaluation_year=year, version=1, evaluation=ev,
                                      results=rows, published_at=now, province=province)  # fmt: skip


@pytest.fixture
def pubs(two_provinces: Any) -> Any:  # noqa: F811
    _publication(2025, "64", [{"region_code": XIJI, "name": "西吉县", "score": 70.0}])
    _publication(2026, "62", [{"region_code": LANZHOU, "name": "城关区", "score": 50.0}])
    return two_provinces


def test_eligibility_reads_the_county_province(pubs: Any) -> None:
    from cimon.store.programmes.services import latest_published_row

    row, year = latest_published_row(XIJI)
    assert year == 2025 and row is not None and row["score"] == 70.0
    row, year = latest_published_row(LANZHOU)
    assert year == 2026 and row is not None and row["score"] == 50.0
    assert latest_published_row("西吉县") == (None, None)  # a name names no province


def test_published_sources_read_the_county_province(pubs: Any) -> None:
    from cimon.store.programmes import sources

    assert sources.stored_values(XIJI, "evaluation_score", {}, [2025, 2026]) == ({2025: 70.0}, True)
    with sources.in_province("62"):  # a unit by name: the record's province
        assert sources.stored_values("西吉县", "evaluation_score", {}, [2025])[0] == {}
    with sources.in_province("64"):
        assert sources.stored_values("西吉县", "evaluation_score", {}, [2025])[0] == {2025: 70.0}


def test_evidence_is_published_per_province(pubs: Any) -> None:
    from cimon.store.evidence.items import evaluation_year, is_published

    data_year = next(y for y in range(2015, 2030) if evaluation_year(y) == 2025)
    assert is_published(data_year, XIJI) and not is_published(data_year, LANZHOU)
    assert not is_published(data_year)  # no county: no province on a multi-province instance


def test_a_province_may_not_supersede_another_province_plan(two_provinces: Any) -> None:  # noqa: F811
    from tests.store.programmes.test_target_stored import PLAN

    from cimon.store.accounts.services import create_user
    from cimon.store.national.models import ProvinceMember
    from cimon.store.programmes import target_plans as TP
    from cimon.store.programmes.services import ProgrammeError

    u = two_provinces
    tp = TP.upload_plan(u["admin"], PLAN.encode(), "plan.yaml")
    with pytest.raises(ProgrammeError, match=f"Plan id {tp.ref} was uploaded by an account of"):
        TP.upload_plan(u["admin62"], PLAN.encode(), "plan.yaml")
    assert TP.upload_plan(u["admin"], PLAN.encode(), "plan.yaml").version == 2
    root, _ = create_user("root62", "admin", framework=FW, registry=REG)
    root.is_superuser = True
    root.save()
    ProvinceMember.objects.create(user=root, province="62")
    assert TP.upload_plan(root, PLAN.encode(), "plan.yaml").version == 3


def test_a_plan_is_checked_against_its_province_publications(two_provinces: Any) -> None:  # noqa: F811
    """A class count target of a 64 plan counts 64's published rows, not 62's of the same
    year (the latest year its targets are checked against is 64's)."""
    from tests.store.programmes.test_target_plans import CITY_PLAN

    from cimon.store.programmes import target_plans as TP

    nx = [{"region_code": f"6404{k:02d}", "class": "A"} for k in range(10)]
    _publication(2025, "64", nx)
    _publication(2026, "62", [{"region_code": f"6201{k:02d}", "class": "A"} for k in range(3)])
    tp = TP.upload_plan(two_provinces["admin"], CITY_PLAN.encode(), "city.yaml")
    assert TP.plan_province(tp) == "64"
    c4 = next(s for s in TP.statuses(tp) if s["code"] == "C4")
    assert (c4["latest_year"], c4["latest"]) == (2025, 10.0)
