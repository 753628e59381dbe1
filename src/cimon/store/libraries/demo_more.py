"""Demo talent, feedback, a transfer project and an imported contracts list (模拟数据, #18),
loaded with the demo libraries (:func:`cimon.store.libraries.demo.load_demo_libraries`).

Every record is labelled 模拟数据: three published talent profiles, the owner's feedback on the
first need's recommendations (the contracted one accepted, another rejected with a reason), the
second need's best match marked a completed transfer project, and a contracts register of three
contracts imported through :func:`cimon.store.libraries.imports.import_list` (the attempt kept
like any other).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from cimon.registry.synthetic import SYNTHETIC_LABEL
from cimon.store.libraries import services, talent
from cimon.store.libraries.feedback import record_feedback
from cimon.store.libraries.imports import import_list
from cimon.store.libraries.models import CONTACTED, Match, Need
from cimon.store.libraries.transfer import mark_transfer_project

#: (name, expertise, discipline, institution, title, availability)
TALENT = (
    ("王研究员（模拟）", "冷凉蔬菜采后预冷、冷链物流与贮藏保鲜", "550", "某农业大学（模拟）",
     "研究员", "每季度驻县一周"),
    ("李教授（模拟）", "滩羊营养与饲草料配方、精准饲喂", "230", "某畜牧研究所（模拟）", "教授",
     "线上咨询，随时"),
    ("赵农艺师（模拟）", "马铃薯脱毒种薯繁育、贮藏窖管理与病害防治", "210", "某县农技中心（模拟）",
     "高级农艺师", "常驻本县"),
)  # fmt: skip
CONTRACT_HEAD = [
    "合同登记编号",
    "合同名称",
    "卖方",
    "买方",
    "成交金额(万元)",
    "登记日期",
    "区划代码",
]


def contracts_register(counties: Sequence[str], year: int) -> bytes:
    """A small 技术合同登记台账 (amounts in 万元) as an Excel file."""
    from openpyxl import Workbook

    from cimon.safe import append as safe_append
    from cimon.safe import save as safe_save

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "技术合同登记台账"
    safe_append(ws, CONTRACT_HEAD)
    rows = [
        ("冷凉蔬菜水肥一体化技术服务", "某农业大学（模拟）", "某蔬菜合作社（模拟）", 35.5, 3, 15),
        ("滩羊饲草料配方技术许可", "某畜牧研究所（模拟）", "某养殖企业（模拟）", 12.8, 5, 20),
        ("光伏电站运维技术开发", "某企业（模拟）", "某能源公司（模拟）", 80, 9, 1),
    ]
    for i, (name, seller, buyer, wan, month, day) in enumerate(rows, start=1):
        county = counties[i % len(counties)]
        safe_append(ws, [f"DEMO-IMP-{county}-{year}-{i:04d}", name, seller, buyer, wan,
                         dt.date(year, month, day), county])  # fmt: skip
    buf = io.BytesIO()
    safe_save(wb, buf)
    return buf.getvalue()


def load_demo_more(owner: Any, needs: Sequence[Need], found: Sequence[Match],
                   counties: Sequence[str], year: int) -> None:  # fmt: skip
    """Talent, feedback, a transfer project and an imported register (see the module)."""
    for name, expertise, discipline, institution, title, availability in TALENT:
        p = talent.create_talent(
            owner, name, expertise, discipline=discipline, institution=institution, title=title,
            availability=availability, region_code=counties[0], contact="（模拟）0951-0000000",
            label=SYNTHETIC_LABEL,
        )  # fmt: skip
        talent.publish_talent(p, owner)
    if found:
        record_feedback(found[0], owner, True, label=SYNTHETIC_LABEL)
    if len(found) > 1:
        record_feedback(found[1], owner, False, "技术不对口（模拟数据）", label=SYNTHETIC_LABEL)
    if len(needs) > 1:
        second = services.recommend(needs[1], owner, label=SYNTHETIC_LABEL)
        if second:
            m = services.advance_match(second[0], owner, CONTACTED, note="模拟数据")
            record_feedback(m, owner, True, label=SYNTHETIC_LABEL)
            mark_transfer_project(m, owner, dt.date(year, 10, 15), "技术服务，未登记合同（模拟数据）",
                                  label=SYNTHETIC_LABEL)  # fmt: skip
    import_list("contract", contracts_register(counties, year), "技术合同登记台账（模拟数据）.xlsx",
                owner, label=SYNTHETIC_LABEL)  # fmt: skip
