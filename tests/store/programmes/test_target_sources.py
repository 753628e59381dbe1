"""Targets of uploaded plans naming a stored-data source (#19): the applications' source
registry (:mod:`cimon.store.programmes.sources`) resolves them — a registry count on 31 December,
the commissioners' coverage (#17) — and an unknown source or a missing parameter is refused at
upload with the target's code."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from typing import Any

import pytest
from tests.store.commissioners.conftest import DAY, XIJI, village, world

from cimon.store.programmes import target_plans as TP
from cimon.store.programmes.models import TargetPlan

__all__ = ["world"]

pytestmark = pytest.mark.django_db


def _plan(source: str, *, base: int = 2023, deadline: int = 2025, target: float = 5) -> bytes:
    return textwrap.dedent(
        f"""\
        id: xiji-sources
        kind: plan
        level: county
        area: 西吉县
        base_year: {base}
        items:
          - {{code: S1, name_zh: 计算目标, kind: level, target: {target}, deadline: {deadline},
             applies_to: "{XIJI}", responsible: [县科技局], source: {source}}}
        """
    ).encode()


def test_a_registry_count_target(users: dict[str, Any]) -> None:
    from cimon.store.registry.demo import load_demo_registry
    from cimon.store.registry.models import Qualification

    load_demo_registry([XIJI], [2024, 2025], n_enterprises=80, n_carriers=4)
    kind = Counter(Qualification.objects.values_list("kind", flat=True)).most_common(1)[0][0]
    end = dt.date(2025, 12, 31)
    want = (
        Qualification.objects.current().in_county(XIJI, end).valid_on(end).filter(kind=kind).count()
    )
    assert want > 0
    tp = TP.upload_plan(
        users["admin"], _plan(f"{{kind: registry_count, params: {{kind: {kind}}}}}"), "p.yaml"
    )
    assert tp.targets[0]["source"] == "registry_count"
    assert tp.targets[0]["source_kind"] == "computed"
    (row,) = TP.statuses(tp)
    assert row["computed"] and (row["latest_year"], row["latest"]) == (2025, float(want))
    assert row["source_zh"].startswith(f"计算：名录库计数（kind={kind}）（{XIJI}）")
    assert row["source_en"].startswith(f"computed: registry count (kind={kind}) ({XIJI})")
    assert row["won"] == "stored"
    # a report of the same year is kept but the registry's count wins
    TP.report_target(users["admin"], tp, "S1", 2025, 999.0, narrative="自报")
    (row,) = TP.statuses(tp)
    assert row["latest"] == float(want)


def test_a_commissioner_coverage_target(world: dict[str, Any]) -> None:
    from cimon.store.commissioners import services as cs
    from cimon.store.commissioners.monitor import registry_villages

    # the world's service in town 1 of 西吉县 on DAY, and one more in town 2
    cs.log_service(world["c1"], world["u_comm"], date=DAY, village_code=village(XIJI, 2, 1),
                   kind="培训", today=dt.date(2025, 12, 31))  # fmt: skip
    towns = {v[:9] for v in registry_villages([XIJI])}
    admin = world["users"]["admin"]
    tp = TP.upload_plan(
        admin, _plan("{kind: commissioner_coverage}", base=2024, target=100), "p.yaml"
    )
    (row,) = TP.statuses(tp)
    assert (row["latest_year"], row["latest"]) == (2025, round(200.0 / len(towns), 2))
    assert row["status"] != "met"
    assert row["source_zh"].startswith(f"计算：科技特派员覆盖率（{XIJI}）")
    assert "commissioner coverage" in row["source_en"]


@pytest.mark.parametrize(
    ("source", "zh", "en"),
    [
        ("{kind: no_such_source}", "未知", "unknown source"),
        ("{kind: registry_count}", "kind", "needs source_params"),
    ],
)
def test_an_unknown_source_or_missing_parameter_is_refused(
    users: dict[str, Any], source: str, zh: str, en: str
) -> None:
    with pytest.raises(TP.PlanRefused) as info:
        TP.upload_plan(users["admin"], _plan(source), "p.yaml")
    (issue,) = info.value.read.report.errors
    assert "S1" in issue.render("zh") and zh in issue.render("zh")
    assert "S1" in issue.render("en") and en in issue.render("en")
    assert issue.cell == "S1.source"
    assert "未导入" in info.value.args[0] and not TargetPlan.objects.exists()


def test_an_unknown_source_in_an_excel_column_names_the_column(users: dict[str, Any]) -> None:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["代码", "目标项", "目标值", "期限", "数据来源"])
    ws.append(["S1", "x", 5, 2026, "registry_cnt; kind=高新技术企业"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(TP.PlanRefused) as info:
        TP.upload_plan(users["admin"], buf.getvalue(), "p.xlsx")
    (issue,) = info.value.read.report.errors
    assert issue.cell == "E:E" and "registry_cnt" in issue.render("zh")
