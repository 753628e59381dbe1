"""I13 from the records (issue #17): a test framework declares the 科技特派员 variable as
``source: {registry: commissioners, measure: active | village_coverage}``; the number equals its
drill-down list, a submitted number that differs is flagged (the submission check's
``registry.disagree``). The bundled frameworks are not edited (their hashes are pinned)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pandas as pd
import pytest
import yaml

from cimon.errors import FrameworkError
from cimon.model.framework import Framework, load_framework
from cimon.store.commissioners import services as cs
from cimon.store.commissioners.monitor import registry_villages
from cimon.store.registry.derived import derived_rows, derived_specs, disagreements

from .conftest import DAY, XIJI, XINGQING, village

TODAY_DEFAULT = dt.date(2025, 12, 31)

pytestmark = pytest.mark.django_db


def i13_framework(**source: Any) -> Framework:
    raw = yaml.safe_load(
        (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    )
    for v in raw["variables"]:
        if v["code"] == "tech_commissioners":  # I13's variable
            v["source"] = {"registry": "commissioners", **source}
    return load_framework(raw)


def test_a_bad_measure_is_refused() -> None:
    with pytest.raises(FrameworkError, match="village_coverage"):
        derived_specs(i13_framework(measure="everyone"))
    assert [s.measure for s in derived_specs(i13_framework(measure="active"))] == ["active"]


def test_active_commissioners_and_village_coverage(world: dict[str, Any]) -> None:
    c1, u = world["c1"], world["u_comm"]
    # c1 served XIJI (s1), c2 XINGQING (s2); one more XIJI village by c1, one in another year
    cs.log_service(c1, u, date=DAY, village_code=village(XIJI, 1, 2), kind="培训",
                   today=TODAY_DEFAULT)  # fmt: skip
    cs.log_service(c1, u, date=DAY.replace(year=2024), village_code=village(XIJI, 2, 1),
                   kind="培训", today=TODAY_DEFAULT)  # fmt: skip
    counties = [XIJI, XINGQING]
    fw = i13_framework(measure="active")
    rows = derived_rows(derived_specs(fw), [2024, 2025], counties)
    got = {(r["region_code"], r["year"]): r for r in rows}
    assert got[(XIJI, 2025)]["count"] == 1 and got[(XIJI, 2025)]["value"] == 1.0
    assert got[(XIJI, 2025)]["records"][0]["name"] == "王特派"  # the drill-down list
    assert got[(XINGQING, 2025)]["records"][0]["record"] == f"commissioner:{world['c2'].pk}"
    assert all(r["count"] == len(r["records"]) for r in rows)
    cov = derived_rows(derived_specs(i13_framework(measure="village_coverage")), [2025], counties)
    xiji = next(r for r in cov if r["region_code"] == XIJI)
    total = len(registry_villages([XIJI]))
    assert xiji["count"] == 2 and xiji["value"] == round(200.0 / total, 2)
    # the cross-check: a department reports 3 for 西吉县; the records count 1
    submitted = pd.DataFrame({"region_code": [XIJI], "year": [2025], "variable": ["tech_commissioners"],
                              "value": [3.0]})  # fmt: skip
    assert disagreements(fw, submitted) == [
        {
            "variable": "tech_commissioners",
            "region_code": XIJI,
            "year": 2025,
            "submitted": 3.0,
            "registry": 1.0,
        }
    ]
    submitted.loc[0, "value"] = 1.0
    assert disagreements(fw, submitted) == []
