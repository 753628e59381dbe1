"""Registered contracts feed 技术合同成交额 (I15, variable ``tech_contracts``, 万元) when a
framework declares ``source: {registry: contract, measure: amount}`` (#18): the sum per county
and data year, its drill-down list, the panel filled, stored with a run and rebuilt from it."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pytest
import yaml
from tests.web.conftest import REG, XIJI, YUANZHOU

from cimon.errors import FrameworkError
from cimon.model.framework import load_framework
from cimon.store.libraries import services as lib
from cimon.store.registry.derived import derived_rows, derived_specs, disagreements, fill_panel

pytestmark = pytest.mark.django_db


def contract_framework(**source: Any) -> Any:
    """nx-2021 with 技术合同成交额 (tech_contracts) taken from the registered contracts."""
    raw = yaml.safe_load(
        (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    )
    for v in raw["variables"]:
        if v["code"] == "tech_contracts":
            v["source"] = source or {"registry": "contract", "measure": "amount"}
    return load_framework(raw)


def _contracts(users: dict[str, Any]) -> None:
    who = users["admin"]
    lib.register_contract(who, "A1", 1_200_000, dt.date(2025, 3, 1), XIJI)
    lib.register_contract(who, "A2", 300_000, dt.date(2025, 12, 31), XIJI)
    lib.register_contract(who, "A3", 50_000, dt.date(2024, 6, 1), XIJI)  # another year
    lib.register_contract(who, "B1", 70_000, dt.date(2025, 1, 1), YUANZHOU)


def test_a_contract_source_is_declared_and_checked() -> None:
    specs = derived_specs(contract_framework())
    assert [(s.variable, s.registry, s.measure) for s in specs] == [
        ("tech_contracts", "contract", "amount")
    ]
    with pytest.raises(FrameworkError):
        derived_specs(contract_framework(registry="contract"))  # no measure
    with pytest.raises(FrameworkError):
        derived_specs(contract_framework(registry="contract", measure="mean"))


def test_contracts_are_summed_per_county_and_data_year(users: dict[str, Any]) -> None:
    _contracts(users)
    rows = derived_rows(derived_specs(contract_framework()), [2024, 2025], [XIJI, YUANZHOU])
    got = {(r["region_code"], r["year"]): (r["count"], r["value"]) for r in rows}
    assert got == {
        (XIJI, 2024): (1, 5.0),
        (XIJI, 2025): (2, 150.0),  # 1,500,000 元 = 150 万元
        (YUANZHOU, 2024): (0, 0.0),
        (YUANZHOU, 2025): (1, 7.0),
    }
    xiji = next(r for r in rows if r["region_code"] == XIJI and r["year"] == 2025)
    assert [(x["record"], x["amount"]) for x in xiji["records"]] == [
        ("A1", 1_200_000),
        ("A2", 300_000),
    ]
    counted = derived_rows(
        derived_specs(contract_framework(registry="contract", measure="count")), [2025], [XIJI]
    )
    assert [(r["count"], r["value"]) for r in counted] == [(2, 2.0)]
    # registered later than the moment: not yet counted
    early = derived_rows(
        derived_specs(contract_framework()), [2025], [XIJI], dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    assert [(r["count"], r["value"]) for r in early] == [(0, 0.0)]


def test_the_panel_takes_the_sum_and_a_typed_total_that_differs_is_named(
    users: dict[str, Any],
) -> None:
    from cimon.data.demo import shipped_path
    from cimon.model.panel_file import read_panel

    fw = contract_framework()
    panel = read_panel(shipped_path(), REG)
    year = max(panel.years)
    lib.register_contract(users["admin"], "C1", 20_000, dt.date(year, 5, 1), XIJI)
    filled, _ = fill_panel(fw, panel, list(REG.codes))
    tc = filled.frame[filled.frame["variable"] == "tech_contracts"]
    assert set(tc["source"]) == {"registry"}
    value = tc[(tc["region_code"] == XIJI) & (tc["year"] == year)]["value"].tolist()
    assert value == [2.0]
    import pandas as pd

    typed = pd.DataFrame(
        {"region_code": [XIJI], "year": [year], "variable": ["tech_contracts"], "value": [9.0]}
    )
    assert disagreements(fw, typed) == [
        {"variable": "tech_contracts", "region_code": XIJI, "year": year, "submitted": 9.0,
         "registry": 2.0}
    ]  # fmt: skip
    typed.loc[0, "value"] = 2.0
    assert disagreements(fw, typed) == []


def test_a_run_stores_the_sum_and_is_rebuilt_from_it(users: dict[str, Any]) -> None:
    from django.utils import timezone

    from cimon.data.demo import shipped_path
    from cimon.model.panel_file import read_panel
    from cimon.store.evaluations.models import REVIEW, Evaluation
    from cimon.store.registry.derived import record_derived, stored_panel
    from cimon.store.registry.models import DerivedCount

    fw = contract_framework()
    panel = read_panel(shipped_path(), REG)
    year = max(panel.years)
    lib.register_contract(users["admin"], "C1", 1_234_567, dt.date(year, 5, 1), XIJI)
    counties = list(REG.codes)
    filled, rows = fill_panel(fw, panel, counties)
    now = timezone.now()
    ev = Evaluation.objects.create(evaluation_year=year + 1, framework_id="nx-2021",
                                   data_as_of=now, created_at=now, status=REVIEW, progress=100)  # fmt: skip
    record_derived(ev, rows)
    stored = DerivedCount.objects.get(evaluation=ev, region_code=XIJI, year=year)
    assert (stored.count, stored.value, stored.records[0]["record"]) == (1, 123.4567, "C1")
    # a contract registered after the run does not change the rebuilt panel
    lib.register_contract(users["admin"], "C2", 10_000, dt.date(year, 6, 1), XIJI)
    rebuilt = stored_panel(fw, panel, ev.pk, counties)
    assert rebuilt.frame.equals(filled.frame)
