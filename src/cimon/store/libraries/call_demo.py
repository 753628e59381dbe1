"""Demo 揭榜挂帅 call and 成果征集 collection (模拟数据, issue #18): a call made from the first demo
need with two applications, one expert's scores and an award with its first milestone accepted;
a collection of the demo achievements taken through review and 公示 to its published catalogue.

Loaded after :func:`cimon.store.libraries.demo.load_demo_libraries` by ``cimon demo``'s database
step and by the first ``cimon serve --demo``. Applicants and the expert are the role-less
accounts ``demo-team-a``, ``demo-team-b`` and ``demo-expert`` (no password); loading twice adds
nothing. The collection's notice is dated in the past, so it is recorded with the override
reason 模拟数据 (the rules forbid backdating otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cimon.registry.synthetic import SYNTHETIC_LABEL
from cimon.store.libraries import calls, collection
from cimon.store.libraries.call_models import Call, Collection
from cimon.store.libraries.models import Achievement, Need

#: (account, team, institution, proposal, score)
TEAMS = (
    ("demo-team-a", "冷链物流技术团队（模拟）", "某农业大学（模拟）",
     "在产地建设真空预冷站两座，配套冷藏车温控监测，两年内将采后损耗降至 10% 以下。", 86),
    ("demo-team-b", "果蔬保鲜工程团队（模拟）", "某农科院（模拟）",
     "推广差压预冷和气调包装，一年内完成示范，次年推广到 3 个乡镇。", 78),
)  # fmt: skip


def _account(username: str) -> Any:
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _call(owner: Any, need: Need, year: int) -> None:
    today = timezone.localdate()
    call = calls.create_call(
        need, owner, title="冷凉蔬菜采后预冷与冷链运输揭榜挂帅（模拟）", budget=800_000,
        deadline=today + dt.timedelta(days=60),
        conditions="揭榜方须具有冷链工程实施经验，在本县建设示范点。", label=SYNTHETIC_LABEL,
    )  # fmt: skip
    calls.publish_call(call, owner)
    reviewer = _account("demo-expert")
    calls.assign_reviewer(call, owner, reviewer, "某研究所（模拟）")
    apps = []
    for username, team, institution, proposal, _ in TEAMS:
        user = _account(username)
        app = calls.apply(call, user, team=team, institution=institution, proposal=proposal,
                          label=SYNTHETIC_LABEL)  # fmt: skip
        calls.attach_file(app, user, "揭榜方案（模拟）.txt", proposal.encode("utf-8"))
        apps.append(calls.submit_application(app, user))
    calls.close_call(call, owner)
    for app, (*_, score) in zip(apps, TEAMS, strict=True):
        calls.score_application(app, reviewer, score, "模拟数据")
    calls.award(
        call, owner, apps[0], "专家评分最高，方案指标明确且有本地示范条件（模拟数据）。",
        [("建成产地预冷站", dt.date(year + 1, 6, 30)), ("采后损耗降至 10% 以下", dt.date(year + 1, 12, 31))],
    )  # fmt: skip
    first = call.milestones.get(number=1)
    calls.report_milestone(first, _account(TEAMS[0][0]), "两座预冷站已建成并投入使用（模拟数据）。")
    calls.decide_milestone(first, owner, True, "模拟数据")


def _collection(owner: Any, year: int) -> None:
    today = timezone.localdate()
    col = collection.create_collection(
        owner, "农业农村先进适用技术成果征集（模拟）", year, today - dt.timedelta(days=60),
        today - dt.timedelta(days=30), label=SYNTHETIC_LABEL,
    )  # fmt: skip
    items = Achievement.objects.filter(label=SYNTHETIC_LABEL).order_by("id")
    entries = []
    for item in items:
        holder = item.current.holder or "某单位（模拟）"
        entries.append(collection.submit_entry(col, owner, item, holder, label=SYNTHETIC_LABEL,
                                               today=col.opens_on))  # fmt: skip
    collection.close_collection(col, owner)
    for i, entry in enumerate(entries):
        collection.select_entry(entry, owner, i < 3, "模拟数据")
    start = today - dt.timedelta(days=20)
    collection.put_on_notice(col, owner, start, start + dt.timedelta(days=6),
                             override_reason=SYNTHETIC_LABEL, today=today)  # fmt: skip
    collection.publish_collection(col, owner, today=today)


@transaction.atomic
def load_demo_calls(counties: Sequence[str], year: int) -> int:
    """Write the demo call (from the first demo need), the demo collection and the two demo
    projects; returns how many were written (0 when they are already there or the demo libraries are missing)."""
    need = Need.objects.filter(label=SYNTHETIC_LABEL).order_by("id").first()
    if not counties or need is None:
        return 0
    written = 0
    owner = _account("demo-libraries")
    if not Call.objects.filter(label=SYNTHETIC_LABEL).exists():
        _call(owner, need, year)
        written += 1
    if not Collection.objects.filter(label=SYNTHETIC_LABEL).exists():
        _collection(owner, year)
        written += 1
    from cimon.store.libraries.project_demo import load_demo_projects

    return written + load_demo_projects(owner, year)  # the 项目库
