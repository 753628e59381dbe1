"""Demo plans with targets (模拟数据, issue #19 item 2): seed 000's province plan (``nx-2025``,
its class counts computed from the published results) and a province plan covering the first three
counties, uploaded as YAML, whose class-count targets are computed from the published results
and whose other targets (破零, 全覆盖 with a town added mid-year, 争先进位) have progress reports
by their responsible units, one of them corrected (the history is kept).

Called by :func:`cimon.store.programmes.demo.load_demo_programmes`; loading twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cimon.store.programmes import target_plans
from cimon.store.programmes.models import TargetPlan

LABEL = "模拟数据"
USER = "demo"
REF = "demo-province-plan"


def _yaml(counties: Sequence[str], today: date) -> str:
    a, b, c = counties[:3]
    y = today.year
    return f"""\
id: {REF}
kind: plan
level: province
area: 全省
plan_zh: 模拟数据：省级县域科技创新目标方案（示例）
base_year: {y - 2}
units: [{a}, {b}, {c}]
items:
  - code: P1
    name_zh: A类县数量
    name_en: Counties in class A
    unit: 个
    target: 10
    deadline: {y + 1}
    indicator: class_count:A
    responsible: [省科技厅]
    quote_zh: 模拟数据：A类县数量达到10个左右
  - code: P2
    name_zh: 国家高新技术企业数（{a}）
    kind: zero_break
    deadline: {y + 1}
    applies_to: {a}
    responsible: [县科技局]
    quote_zh: 模拟数据：实现国家高新技术企业破零
  - code: P3
    name_zh: 乡镇科技特派员全覆盖（{b}）
    kind: coverage
    units: [甲镇, 乙镇, 丙乡]
    added: {{丁乡: {y}-10-01}}
    deadline: {y + 1}
    applies_to: {b}
    responsible: [县科技局, 各乡镇人民政府]
    quote_zh: 模拟数据：实现乡镇科技特派员全覆盖
  - code: P4
    name_zh: 科技创新指数组内位次（{c}）
    kind: rank
    peer_group: 山区县
    improve_by: 2
    deadline: {y + 1}
    applies_to: {c}
    responsible: [县科技局]
    quote_zh: 模拟数据：科技创新指数争先进位
  - code: P5
    name_zh: 有效高新技术企业数（{a}，名录库）
    target: 5
    deadline: {y + 1}
    applies_to: {a}
    source: {{kind: registry_count, params: {{kind: 高新技术企业}}}}
    responsible: [县科技局]
    quote_zh: 模拟数据：有效高新技术企业达到5家（由名录库计数）
"""


def load_demo_target_plans(counties: Sequence[str], today: date) -> int:
    """The demo province plan and its reports; the number of reports written (0 when the plan
    exists already or there are fewer than three counties)."""
    if len(counties) < 3 or TargetPlan.objects.filter(ref=REF).exists():
        return 0
    from importlib import resources

    # seed 000's province plan as bundled: its class counts are computed from the results
    nx = (resources.files("cimon.data") / "targets" / "nx-2025.yaml").read_bytes()
    if not TargetPlan.objects.filter(ref="nx-2025").exists():
        target_plans.upload_plan(USER, nx, "nx-2025.yaml", label=LABEL)
    tp = target_plans.upload_plan(USER, _yaml(counties, today).encode(), f"{REF}.yaml", label=LABEL)
    y = today.year
    rows: list[tuple[str, str, int, float, str]] = [
        ("P2", "", y - 1, 0, "模拟数据：培育对象3家，尚未认定"),
        ("P2", "", y, 1, "模拟数据：1家企业通过认定，实现破零"),
        ("P3", "甲镇", y - 1, 1, "模拟数据：已选派"),
        ("P3", "乙镇", y - 1, 0, "模拟数据：尚未选派"),
        ("P3", "丙乡", y - 1, 1, "模拟数据：已选派"),
        ("P3", "甲镇", y, 1, "模拟数据：已选派"),
        ("P3", "乙镇", y, 1, "模拟数据：已选派"),
        ("P3", "丙乡", y, 1, "模拟数据：已选派"),
        ("P4", "", y - 2, 9, "模拟数据：基期位次"),
        ("P4", "", y - 1, 8, "模拟数据：前进1位"),
    ]
    for code, unit, year, value, text in rows:
        target_plans.report_target(
            USER, tp, code, year, value, narrative=text, unit=unit, reporter="县科技局",
            label=LABEL,
        )  # fmt: skip
    # a correction: the earlier report is kept and superseded
    target_plans.report_target(
        USER, tp, "P4", y - 1, 7, narrative="模拟数据：更正，前进2位", reporter="县科技局",
        file_name="位次说明.txt", content="模拟数据：位次说明".encode(), label=LABEL,
    )  # fmt: skip
    return len(rows) + 1
