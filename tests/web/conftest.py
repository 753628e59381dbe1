"""Database fixtures: every test here runs on the backend the settings choose (SQLite in memory by
default, PostgreSQL when DATABASE_URL is set; ``make unit`` runs both)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.conf import settings as django_settings

from cimon.intake.report import ValidationReport
from cimon.intake.submission import Claim, ParsedSubmission, Record
from cimon.model.framework import load_framework
from cimon.model.regions import default_registry

FW = load_framework("nx-2021")
REG = default_registry()
XIJI = REG.match("西吉县").code
YUANZHOU = REG.match("原州区").code


def rec(
    region: str, variable: str, value: float, year: int = 2021, expert: str = "", cell: str = ""
) -> Record:
    status = "missing" if math.isnan(value) else "reported"
    return Record(region, year, variable, value, status, expert=expert, cell=cell, raw=repr(value))


MakeSub = Callable[..., ParsedSubmission]


@pytest.fixture
def make_sub() -> MakeSub:
    """Build a ParsedSubmission directly (no file): ``make_sub(records, file_name=…, …)``;
    ``errors``/``warnings`` add issues of those codes to its report."""
    counter = iter(range(1, 1_000_000))

    def build(
        records: Iterable[Record] = (),
        *,
        file_name: str = "统计局.xlsx",
        department: str = "统计局",
        year: int = 2021,
        kind: str = "department",
        expert: str = "",
        region_code: str = "",
        claims: Iterable[Claim] = (),
        errors: Iterable[str] = (),
        warnings: Iterable[str] = (),
    ) -> ParsedSubmission:
        report = ValidationReport(file_name)
        for code in errors:
            report.add(code, "错误", "error", sheet="数据", cell="D7")
        for code in warnings:
            report.add(code, "警告", "warning", sheet="数据", cell="E8")
        n = next(counter)
        return ParsedSubmission(
            file_name=file_name,
            sha256=hashlib.sha256(f"{file_name}{n}".encode()).hexdigest(),
            kind=kind,
            year=year,
            framework_id=FW.id,
            framework_version=FW.version,
            framework_hash=FW.hash,
            department=department,
            region_code=region_code,
            expert=expert,
            template_version="1",
            records=list(records),
            claims=list(claims),
            report=report,
        )

    return build


# --- the web platform: users of every role, filled-in templates -----------------------------

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD = "correct-horse-battery-9"


# sessions need a secret key; the settings have none outside development (set once: Django
# cannot restore an empty key after a test)
django_settings.SECRET_KEY = "test-only-" + "k" * 50


@pytest.fixture(autouse=True)
def _web_settings(settings: Any, tmp_path_factory: Any) -> None:
    """A fast password hasher (Argon2 is tested on its own); publication snapshots of the
    results workbook alone with 200 replicates (all six files and 1,000 by default); files kept
    outside the database (commissioners' photos, #17) in a temporary folder, never the
    working directory."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.CIMON_PUBLICATION_FILES = ["xlsx:zh"]
    settings.CIMON_DASHBOARD_REPLICATES = 200
    settings.CIMON_STORAGE_DIR = str(tmp_path_factory.mktemp("storage"))


def run_tasks() -> None:
    """Run the queued background tasks here, as ``cimon worker --batch`` does (the worker of the
    tests: an in-memory test database cannot take a second process). The worker closes stale
    connections between tasks, as a server does between requests; here that connection holds
    the test's transaction, so it stays open."""
    from unittest import mock

    from cimon.store.evaluations.tasks import work

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        work("test-worker", batch=True, verbosity=0)


@pytest.fixture
def users(db: Any) -> dict[str, Any]:
    """One user per role (county clerk of 西吉县, department clerk of 统计局, an expert assigned
    西吉县, a second county clerk of 原州区, the city bureau of 固原市, a 派出单位 and one of its
    科技特派员 with a login, a user without a role), password :data:`PASSWORD`."""
    from django.contrib.auth import get_user_model

    from cimon.store.accounts.services import create_user

    def make(name: str, role: str, **kw: Any) -> Any:
        user, _ = create_user(name, role, framework=FW, registry=REG, password=PASSWORD, **kw)
        return user

    out = {
        "admin": make("admin", "admin"),
        "department": make("tongji", "department", department="统计局"),
        "department2": make("keji", "department", department="科技厅"),
        "county": make("xiji", "county", region="西吉县"),
        "county2": make("yuanzhou", "county", region="原州区"),
        "expert": make("zhang", "expert", assign=["西吉县"], display_name="张专家"),
        "viewer": make("viewer", "viewer"),
        "city": make("guyuan", "city", city="固原市"),
    }
    out["norole"] = get_user_model().objects.create_user("norole", password=PASSWORD)
    # 科技特派员 (#17): a unit's account and a commissioner of that unit with its own login
    from cimon.store.commissioners import services as comm

    unit = comm.create_unit(None, "宁夏农林科学院", "institute")
    out["unit"] = make("nky", "unit", unit=unit.name)
    out["commissioner"] = make("tepai", "commissioner")
    comm.create_commissioner(
        None, unit=unit, status="active", account=out["commissioner"], name="马特派"
    )
    return out


def county_workbook(
    user: Any, year: int = 2026, scores: tuple[object, ...] = (4, 3.5, 4.5)
) -> bytes:
    """The county's self-assessment template as the portal hands it out, filled in: claimed
    scores in D4:D6 and a statement in E4:E6 (no evidence files)."""
    import io

    from openpyxl import load_workbook

    from cimon.web.submissions.portal import template_for

    _, content = template_for(user, year)
    wb = load_workbook(io.BytesIO(content))
    ws = wb["创新管理自评"]
    for i, score in enumerate(scores):
        ws.cell(row=4 + i, column=4, value=score)
        ws.cell(row=4 + i, column=5, value=f"情况说明 {i + 1}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def publish_year(admin: Any, year: int, reason: str = "") -> Any:
    """Evaluate ``year`` over the data stored now and publish it at once (a notice held
    offline earlier: the exception, with its reason); returns the Publication."""
    from datetime import timedelta

    from django.utils import timezone

    from cimon.web.evaluations import services as wf

    ev = wf.execute(wf.start(admin, year, queue=False).pk)
    today = timezone.localdate()
    if wf.current_publication(year) is None:
        wf.put_on_notice(
            admin,
            ev,
            today - timedelta(days=10),
            today - timedelta(days=3),
            override_reason="公示已在线下进行 / a notice held offline",
        )
    return wf.publish(admin, ev, reason)


def xlsx_incentives(data: bytes) -> dict[str, int]:
    """County code → total incentive money (元) from the 激励资金 sheet of a results workbook,
    found by its headers (区划代码, 合计…), whatever other columns the sheet has."""
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data), read_only=True)["激励资金"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    heads = [str(h or "") for h in rows[0]]
    code = heads.index("区划代码")
    total = next(j for j, h in enumerate(heads) if h.startswith("合计"))
    return {str(r[code]): int(r[total] or 0) for r in rows[1:] if r[code]}


#: an instance hosting 宁夏 (64) and 甘肃 (62), both on the same framework (#20)
TWO_PROVINCES = "64:nx-2021:nx-2021,62:nx-2021:nx-2021"


@pytest.fixture
def two_provinces(users: dict[str, Any], settings: Any) -> dict[str, Any]:
    """:func:`users` on an instance hosting two provinces: every one of them belongs to 64
    (宁夏, the registry of the tests); ``admin62`` is a provincial administrator of 62 (甘肃)."""
    from cimon.store.accounts.services import create_user
    from cimon.store.national.models import ProvinceMember

    settings.CIMON_PROVINCES = TWO_PROVINCES
    for user in users.values():
        ProvinceMember.objects.create(user=user, province="64")
    admin62, _ = create_user("gs-admin", "admin", framework=FW, registry=REG, password=PASSWORD)
    ProvinceMember.objects.create(user=admin62, province="62")
    return users | {"admin62": admin62}
