"""Demo libraries (模拟数据): a few needs and achievements of Ningxia's county industries, the
engine's recommendations for one need, that match taken to 签约 and its registered contract.

Loaded by ``cimon demo``'s database step and by ``cimon serve --demo`` (the first start). Every
record carries the label 模拟数据 and is owned by the account ``demo-libraries`` (no role, no password);
loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from cimon.registry.synthetic import SYNTHETIC_LABEL
from cimon.store.libraries import services
from cimon.store.libraries.models import CONTACTED, NEGOTIATING, SIGNED, Need

#: (chain, industry, problem, budget 万元)
NEEDS = (
    ("冷凉蔬菜", "01", "供港菜心采收后损耗大，需要采后预冷和冷链运输方案。", Decimal("30")),
    ("滩羊", "03", "滩羊舍饲育肥成本高，需要低成本饲草配方和精准饲喂技术。", Decimal("20")),
    ("马铃薯", "01", "马铃薯种薯退化严重，需要脱毒种薯快繁和分级贮藏技术。", None),
)
#: (title, abstract, discipline, TRL, mode, holder)
ACHIEVEMENTS = (
    ("冷凉蔬菜真空预冷与冷链运输技术", "蔬菜采后真空预冷，冷链运输降低损耗，延长货架期。",
     "550", 8, "转让", "某农业大学（模拟）"),
    ("滩羊全混合日粮精准饲喂技术", "基于本地饲草的滩羊全混合日粮配方和精准饲喂，降低育肥成本。",
     "230", 7, "许可", "某畜牧研究所（模拟）"),
    ("马铃薯脱毒种薯快繁体系", "脱毒苗组培快繁、原原种雾培生产和种薯分级贮藏。",
     "210", 7, "合作开发", "某农科院（模拟）"),
    ("光伏电站运维机器人", "光伏板自动清洗与巡检机器人。", "470", 6, "作价入股", "某企业（模拟）"),
)  # fmt: skip


@transaction.atomic
def load_demo_libraries(counties: Sequence[str], year: int) -> int:
    """Write the demo needs (in the first ``counties``), achievements, the recommendations of
    the first need, its best match taken to 签约 and one contract signed in data ``year``;
    returns the number of needs written (0 when the demo libraries are already there)."""
    if not counties or Need.objects.filter(label=SYNTHETIC_LABEL).exists():
        return 0
    owner, created = get_user_model().objects.get_or_create(username="demo-libraries")
    if created:
        owner.set_unusable_password()
        owner.save()
    for title, abstract, discipline, trl, mode, holder in ACHIEVEMENTS:
        item = services.create_achievement(
            owner, title, abstract=abstract, discipline=discipline, trl=trl, mode=mode,
            holder=holder, label=SYNTHETIC_LABEL,
        )  # fmt: skip
        services.publish_achievement(item, owner)
    needs = []
    for i, (chain, industry, problem, budget) in enumerate(NEEDS):
        need = services.create_need(
            owner, counties[i % len(counties)], problem, chain=chain, industry=industry,
            budget=budget, deadline=dt.date(year + 1, 12, 31), label=SYNTHETIC_LABEL,
        )  # fmt: skip
        services.submit_need(need, owner)
        services.publish_need(need, owner, "模拟数据")
        needs.append(need)
    found = services.recommend(needs[0], owner, label=SYNTHETIC_LABEL)
    if found:
        match = found[0]
        for stage in (CONTACTED, NEGOTIATING, SIGNED):
            match = services.advance_match(match, owner, stage, note="模拟数据")
        services.register_contract(
            owner, f"DEMO-{counties[0]}-{year}-0001", 600_000, dt.date(year, 6, 30),
            needs[0].region_code, match=match, label=SYNTHETIC_LABEL,
        )  # fmt: skip
    from cimon.store.libraries.demo_more import load_demo_more

    load_demo_more(owner, needs, found, counties, year)  # talent, feedback, I18, an import
    return len(needs)
