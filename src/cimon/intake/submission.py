"""What a parsed submission holds, before it is stored: values, self-assessments, expert scores and
the :class:`~cimon.intake.report.ValidationReport`. Pure data: no database here.

Years in a submission are **data years** (数据年度), like the panel's; a template made for the 2022
evaluation (``--year 2022``) collects data year 2021 (``framework.data_lag`` years earlier).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from cimon.intake.report import ValidationReport

#: kinds of submission: a department's workbook, a county's self-assessment, an expert scoring
#: sheet, the combined template, or a free-form CSV/XLSX read with a column mapping.
KINDS = ("department", "county", "expert", "combined", "freeform")


@dataclass(frozen=True)
class Record:
    """One value as submitted: a county's variable in a data year.

    ``value`` is NaN when the cell was blank or said 无/—/不适用 (``status`` then says
    ``missing``). ``expert`` names the expert for rubric scores (several rows per county and item).
    ``cell`` is where it came from (``D7``), ``raw`` what the cell said.
    """

    region_code: str
    year: int
    variable: str
    value: float
    status: str = "reported"  # reported | missing
    expert: str = ""
    sheet: str = ""
    cell: str = ""
    raw: str = ""
    note: str = ""  # e.g. "1.2万 → 12000", "全角数字"

    @property
    def is_missing(self) -> bool:
        return math.isnan(self.value)


@dataclass(frozen=True)
class Claim:
    """A county's self-assessment of one qualitative 创新管理 item."""

    region_code: str
    year: int
    variable: str
    score: float  # the score the county claims, 0..max_points
    statement: str = ""  # 情况说明
    evidence: tuple[str, ...] = ()  # evidence file names as listed in the sheet
    cell: str = ""


@dataclass
class ParsedSubmission:
    """A submission as read from a file, with everything found wrong in it."""

    file_name: str
    sha256: str
    kind: str
    year: int  # data year
    framework_id: str
    framework_version: str = ""
    framework_hash: str = ""
    department: str = (
        ""  # the supplying department (科技厅 …) or COUNTY_DEPARTMENT for a county's workbook
    )
    region_code: str = ""  # for a county's own workbook
    expert: str = ""  # for an expert's scoring sheet
    template_version: str = ""
    records: list[Record] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    report: ValidationReport = field(default_factory=ValidationReport)

    @property
    def ok(self) -> bool:
        return self.report.ok

    def frame(self) -> pd.DataFrame:
        """The records as a long panel frame (``region_code, year, variable, value, status,
        source``); ``source`` is the file name, or ``file#expert`` for expert scores."""
        rows = [
            {
                "region_code": r.region_code,
                "year": r.year,
                "variable": r.variable,
                "value": r.value,
                "status": r.status,
                "source": f"{self.file_name}#{r.expert}" if r.expert else self.file_name,
            }
            for r in self.records
        ]
        return pd.DataFrame(
            rows, columns=["region_code", "year", "variable", "value", "status", "source"]
        )
