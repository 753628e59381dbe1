"""Demo 项目库 (模拟数据, issue #18): two projects made from the first two published demo needs,
the first one 实施中, the second 立项. Loaded by :func:`cimon.store.libraries.call_demo.
load_demo_calls` (so ``cimon demo`` and the first ``cimon serve --demo`` show them); loading twice
adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cimon.registry.synthetic import SYNTHETIC_LABEL
from cimon.store.libraries import projects
from cimon.store.libraries.models import Need
from cimon.store.libraries.project_models import Project

#: (title, budget 元, lead unit, tasks, started)
PROJECTS = (
    ("冷凉蔬菜产地预冷技术集成示范（模拟）", 500_000, "县农业技术推广中心（模拟）",
     "建设产地预冷示范点两处，形成技术规程一项，培训农户 200 人次。", True),
    ("特色产业提质增效关键技术攻关（模拟）", 300_000, "县科技局（模拟）",
     "围绕需求开展技术攻关与示范，形成可推广的技术方案。", False),
)  # fmt: skip


def load_demo_projects(owner: Any, year: int) -> int:
    """Write the two demo projects; returns how many were written."""
    if Project.objects.filter(label=SYNTHETIC_LABEL).exists():
        return 0
    needs = list(Need.objects.published().filter(label=SYNTHETIC_LABEL).order_by("id")[:2])
    written = 0
    for need, (title, budget, lead, tasks, started) in zip(needs, PROJECTS, strict=False):
        project = projects.create_project(
            need, owner, title=title, budget=budget, starts_on=dt.date(year, 3, 1),
            ends_on=dt.date(year + 1, 12, 31), lead_unit=lead, tasks=tasks,
            label=SYNTHETIC_LABEL,
        )  # fmt: skip
        if started:
            projects.step_project(project, owner, "start")
        written += 1
    return written
