"""Demo 科技特派员 data (模拟数据) for the demo counties: units, 150 commissioners, a dispatch each,
three teams with their five coverages, a few thousand service records across the year, ventures,
trainings and the dispatches' tasks marked done or not done.

Loaded by ``cimon demo``'s database step and by ``cimon serve`` (the first start). Every record
carries the label 模拟数据 and is written in the name of the account ``demo-commissioners`` (no
role, no password) through the services, so the audit log has it too; loading twice adds
nothing. The village codes are real: the 行政村 (村委会) of the village registry
(:mod:`cimon.registry.villages`, NBS 2023), up to 12 in each of up to 8 towns per county
(:func:`demo_villages` gives the same list), so the coverage of the demo is read against the
county's real villages.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.db import transaction

from cimon.registry.synthetic import SYNTHETIC_LABEL
from cimon.store.commissioners import monitor, people, tasks, teams, work
from cimon.store.commissioners.models import Commissioner, Dispatch, DispatchUnit, Team
from cimon.store.commissioners.names import COVERAGE_AREAS

#: (name, kind)
UNITS = (
    ("宁夏大学（模拟）", "university"),
    ("北方民族大学（模拟）", "university"),
    ("宁夏农林科学院（模拟）", "institute"),
    ("宁夏职业技术学院（模拟）", "university"),
    ("某县农业技术推广中心（模拟）", "agency"),
    ("某农业科技有限公司（模拟）", "enterprise"),
)
SURNAMES = "王李张刘陈杨马赵黄周吴徐孙胡朱高林何郭罗"
GIVEN = ("建国", "海燕", "志强", "丽娟", "文博", "晓东", "红梅", "国庆", "玉兰", "永军",
         "春生", "桂芳", "学军", "秀英", "明亮")  # fmt: skip
#: (GB/T 13745 code, 服务领域, a typical service)
FIELDS = (
    ("210", "设施蔬菜栽培", "冷凉蔬菜病虫害防治"),
    ("210", "马铃薯种植", "脱毒种薯繁育"),
    ("220", "经济林栽培", "枸杞整形修剪"),
    ("230", "滩羊养殖", "滩羊舍饲育肥"),
    ("230", "肉牛养殖", "肉牛饲草配方"),
    ("550", "农产品加工", "小杂粮加工工艺"),
    ("570", "节水灌溉", "滴灌水肥一体化"),
)
TITLES = ("研究员", "副研究员", "教授", "副教授", "高级农艺师", "农艺师", "高级畜牧师")
#: towns per county and villages per town the demo serves
TOWNS, VILLAGES = 8, 12
#: commissioners, and the first ones who stop logging in spring (for the inactivity alert)
PEOPLE, QUIET = 150, 8
#: the year of the demo records (issue #17: "a few thousand service records across 2025")
DEMO_YEAR = 2025


def demo_towns(county: str) -> dict[str, list[str]]:
    """Town code → the village codes the demo serves there: the 村委会 of the village registry,
    the first :data:`TOWNS` towns (by code) that have any, :data:`VILLAGES` villages each."""
    from cimon.registry.villages import villages

    rows = villages(county=county)
    rows = rows[rows["kind"] == "村委会"]
    out: dict[str, list[str]] = {}
    for town, codes in rows.groupby("town_code", sort=True)["code"]:
        if len(out) == TOWNS:
            break
        out[str(town)] = [str(c) for c in list(codes)[:VILLAGES]]
    return out


def demo_villages(counties: Sequence[str]) -> list[str]:
    """The village codes the demo serves in ``counties`` (real codes, :func:`demo_towns`)."""
    return [v for c in counties for vs in demo_towns(c).values() for v in vs]


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in taken:
            taken.add(name)
            return name


@transaction.atomic
def load_demo_commissioners(counties: Sequence[str], year: int = DEMO_YEAR) -> int:
    """Write the demo commissioners of ``year`` in ``counties``; returns the number of service
    records written (0 when the demo commissioners are already there)."""
    if not counties or Commissioner.objects.filter(label=SYNTHETIC_LABEL).exists():
        return 0
    owner, created = get_user_model().objects.get_or_create(username="demo-commissioners")
    if created:
        owner.set_unusable_password()
        owner.save()
    rng = random.Random(17)
    label = SYNTHETIC_LABEL
    units = [
        DispatchUnit.objects.filter(name=n).first() or people.create_unit(owner, n, k, label=label)
        for n, k in UNITS
    ]
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    taken: set[str] = set()
    persons: list[tuple[Commissioner, Dispatch, str, str]] = []
    towns: dict[str, dict[str, list[str]]] = {}
    for i in range(PEOPLE):
        unit = units[i % len(units)]
        code, field, task = FIELDS[i % len(FIELDS)]
        legal = unit.kind == "enterprise" and i % 12 == 5
        person = people.create_commissioner(
            owner, unit=unit, kind="legal" if legal else "individual", status="active",
            label=label, name=unit.name if legal else _name(rng, taken),
            gender="" if legal else rng.choice("mf"), institution=unit.name,
            title="" if legal else rng.choice(TITLES), expertise=code, expertise_text=field,
        )  # fmt: skip
        county = counties[i % len(counties)]
        places = towns.setdefault(county, demo_towns(county))
        town = rng.choice(sorted(places))
        home = rng.choice(places[town])
        dispatch = people.propose_dispatch(
            owner, person, object_name=f"{field}合作社（模拟）", object_kind="coop",
            county_code=county, town_code=home[:9], village_code=home, start_on=start,
            end_on=end if i % 10 else dt.date(year, 12, 15), tasks=[task, "技术培训"], label=label,
        )  # fmt: skip
        people.decide_dispatch(dispatch, owner, accept=True, note=label)
        persons.append((person, dispatch, county, town))
    kinds = ("技术指导", "技术指导", "培训", "示范推广", "创业带动", "科普")
    written = 0
    for i, (person, dispatch, county, town) in enumerate(persons):
        last_day = dt.date(year, 4, 30) if i < QUIET else end
        for _ in range(rng.randint(8, 32)):
            day = start + dt.timedelta(days=rng.randint(0, (last_day - start).days))
            near = town if rng.random() < 0.7 else rng.choice(sorted(towns[county]))
            work.log_service(
                person, owner, date=day, village_code=rng.choice(towns[county][near]),
                kind=rng.choice(kinds), people_reached=rng.randint(3, 60), notes=label,
                dispatch=dispatch if i % 10 != 9 else None, label=label, today=end,
            )  # fmt: skip
            written += 1
        days = rng.randint(30, 120)
        people.confirm_days(dispatch, owner, year, days)
        people.rate_by_unit(person, owner, year, rng.choice(("优秀", "良好", "良好", "合格")))
        # the county marks the tasks: the first done for 3 in 4, the training for 1 in 3
        tasks.record_task_status(dispatch, owner, year, 0, i % 4 != 3, label)
        if i % 3 == 0:
            tasks.record_task_status(dispatch, owner, year, 1, True, label)
    for i, (person, _, county, _) in enumerate(persons[:20]):
        work.record_venture(
            person, owner, role=("领办", "创办", "协办")[i % 3], kind="合作社" if i % 4 else "企业",
            name=f"{county}某{('滩羊', '枸杞', '马铃薯', '冷凉蔬菜')[i % 4]}合作社（模拟）",
            arrangement="土地入股、保底收购、按股分红（模拟）", year=year, county_code=county,
            label=label,
        )  # fmt: skip
    for i, (person, _, county, _) in enumerate(persons[:30]):
        work.record_training(
            owner, date=dt.date(year, 3 + i % 9, 10 + i % 15), county_code=county,
            topic=f"三区人才培训：{FIELDS[i % len(FIELDS)][2]}", trainees=rng.randint(15, 80),
            commissioner=person, label=label,
        )  # fmt: skip
    statuses = ("covered", "progress", "covered", "none", "covered")
    for t, county in enumerate(counties[:3]):
        here = [p for p, _, c, _ in persons if c == county]
        team = teams.create_team(
            owner, "科技特派团（模拟）", here[0], county, year, here[1:5], label=label
        )
        for a, area in enumerate(COVERAGE_AREAS):
            teams.record_coverage(team, owner, year, area, statuses[(a + t) % 5], label)
    return written


def demo_note(lang: str = "zh", year: int = DEMO_YEAR) -> str:
    """One line for ``cimon demo``: the demo commissioners and their records in the database."""
    from cimon.store.commissioners.models import ServiceRecord

    people_n = Commissioner.objects.filter(label=SYNTHETIC_LABEL).count()
    records = ServiceRecord.objects.current().in_year(year).filter(label=SYNTHETIC_LABEL).count()
    if lang == "en":
        return (
            f"科技特派员 (synthetic): {people_n} commissioners, {records} service records in "
            f"{year}, {Team.objects.filter(label=SYNTHETIC_LABEL).count()} teams"
        )
    return (
        f"科技特派员（模拟数据）：{people_n} 人，{year} 年服务记录 {records} 条，"
        f"特派团 {Team.objects.filter(label=SYNTHETIC_LABEL).count()} 个"
    )


def demo_coverage(
    county_codes: Sequence[str] | None = None, *, all_kinds: bool = False
) -> monitor.Coverage:
    """The village coverage of the demo (模拟数据, :data:`DEMO_YEAR`) computed on a database that
    holds no service record: the demo is written, read and rolled back (nothing is kept)."""
    from cimon.store.platform import platform_registry

    with transaction.atomic():
        load_demo_commissioners(platform_registry().codes)
        cov = monitor.registry_coverage(DEMO_YEAR, county_codes, all_kinds=all_kinds)
        transaction.set_rollback(True)
    return cov
