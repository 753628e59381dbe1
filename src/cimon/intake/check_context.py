"""What every value check needs (:mod:`cimon.intake.checks`, :mod:`cimon.intake.consistency`):
the submission and framework in one :class:`CheckContext`, values shown with their unit, and the
usable rows of the accepted data the checks compare against."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cimon.intake.submission import ParsedSubmission, Record
from cimon.model.framework import Framework, Variable
from cimon.model.panel import Panel
from cimon.model.regions import RegionRegistry
from cimon.model.units import format_number


@dataclass
class CheckContext:
    """What every check needs: the submission, the variables, the county names."""

    sub: ParsedSubmission
    framework: Framework
    registry: RegionRegistry | None
    history: Panel | None
    context: Panel | None
    variables: dict[str, Variable] = field(default_factory=dict)

    def region_name(self, code: str) -> str:
        return self.registry[code].name if self.registry and code in self.registry else ""

    def county(self, code: str) -> str:
        """The county's name for messages (its code without a registry)."""
        return self.region_name(code) or code

    def add(self, code: str, rec: Record, *msg: str) -> None:
        """An issue at the record's cell: ``msg`` is zh, en, fix_zh, fix_en; the severity is the
        code's (``CODES``)."""
        shown = rec.raw or ("" if math.isnan(rec.value) else format_number(rec.value))
        self.sub.report.add(
            code,
            *msg,
            file=self.sub.report.source or self.sub.file_name,
            sheet=rec.sheet,
            cell=rec.cell,
            region=rec.region_code,
            region_name=self.region_name(rec.region_code),
            variable=rec.variable,
            value=shown,
        )


def quantity(value: float, unit: str) -> str:
    """A value with its unit: ``1200万元``, ``3.5%``."""
    return f"{format_number(value)}{unit}"


def accepted(
    panel: Panel | None, variables: Iterable[str], regions: Iterable[str] | None = None
) -> pd.DataFrame:
    """Usable rows of a panel: reported or estimated, finite, of the given variables (and
    regions). Several rows of a county, variable and year (experts) are left for the caller."""
    cols = ["region_code", "variable", "year", "value"]
    if panel is None or panel.frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "value" else object) for c in cols})
    f = panel.frame
    keep = f["variable"].isin(list(variables)).to_numpy()
    if regions is not None:
        keep = keep & f["region_code"].isin(list(regions)).to_numpy()
    keep = keep & f["status"].isin(("reported", "estimated")).to_numpy()
    keep = keep & np.isfinite(f["value"].to_numpy(float))
    return f.loc[keep, cols]
