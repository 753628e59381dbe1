"""Database fixtures: every test here runs on the backend the settings choose (SQLite in memory by
default, PostgreSQL when DATABASE_URL is set; ``make unit`` runs both)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable

import pytest

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
