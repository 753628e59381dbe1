"""Demo accounts of the 科技特派员 roles (#17) for ``cimon serve``'s first start: a 派出单位
account and a 科技特派员 account, each with a random password shown once.

They are linked to the commissioners' demo data (rows labelled 模拟数据) when it is there — the
first demo unit and an active demo commissioner of it without a login. Without such data a
demo unit and commissioner (模拟数据) are made, with a dispatch accepted in the platform's first
county, so that the pages have something to show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cimon.store.commissioners import services as comm
from cimon.store.commissioners.models import Commissioner, DispatchUnit

DEMO = "模拟数据"
#: (user name, role, display name)
ACCOUNTS = (
    ("demo-unit", "unit", "派出单位（演示）"),
    ("demo-tepai", "commissioner", "科技特派员（演示）"),
)


def _unit_and_person() -> tuple[DispatchUnit, Commissioner]:
    from cimon.store.platform import platform_registry

    unit = DispatchUnit.objects.filter(label=DEMO).order_by("id").first()
    if unit is None:
        unit = comm.create_unit("cimon serve", "演示派出单位（模拟数据）", "institute", label=DEMO)
    person = (
        Commissioner.objects.filter(label=DEMO, unit=unit, user__isnull=True, status="active")
        .order_by("id")
        .first()
    )
    if person is None:
        person = comm.create_commissioner(
            "cimon serve", unit=unit, status="active", label=DEMO, name="演示特派员",
            expertise_text="马铃薯种植（模拟数据）",
        )  # fmt: skip
        today = timezone.localdate()
        county = next(iter(platform_registry())).code
        d = comm.propose_dispatch(
            "cimon serve", person, object_name="演示合作社（模拟数据）", object_kind="coop",
            county_code=county, start_on=today - dt.timedelta(days=30),
            end_on=today + dt.timedelta(days=335), tasks=["技术指导"], label=DEMO,
        )  # fmt: skip
        comm.decide_dispatch(d, "cimon serve", True, "模拟数据")
    return unit, person


def demo_accounts() -> list[tuple[str, str, str]]:
    """Create the demo accounts; returns (user name, role, password) of each."""
    from cimon.store.accounts.services import create_user
    from cimon.store.platform import platform_framework, platform_registry

    unit, person = _unit_and_person()
    out = []
    for username, role, display in ACCOUNTS:
        _, password = create_user(
            username,
            role,
            framework=platform_framework(),
            registry=platform_registry(),
            display_name=display,
            unit=unit.name if role == "unit" else "",
            commissioner=person.pk if role == "commissioner" else None,
            by="cimon serve",
        )
        out.append((username, role, password))
    return out
