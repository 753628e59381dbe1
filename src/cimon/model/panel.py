"""The data panel: a long table ``region_code, year, variable, value, status, source``.

``year`` is the data year (数据年度). ``status`` is one of reported / imputed / estimated / missing;
``source`` names the submission (or, for rubric items, the expert) a value came from. Rubric variables
may hold several rows per county and year — one per expert — which :meth:`Panel.wide` combines by the
variable's rule (mean or trimmed mean).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cimon.errors import PanelError
from cimon.model.framework import Framework
from cimon.model.regions import RegionRegistry

COLUMNS = ("region_code", "year", "variable", "value", "status", "source")
STATUSES = ("reported", "imputed", "estimated", "missing")


@dataclass
class Panel:
    """A long panel of variable values. Build with :func:`read_panel` or :meth:`from_frame`."""

    frame: pd.DataFrame
    source: str = "<panel>"

    @classmethod
    def from_frame(cls, df: pd.DataFrame, source: str = "<panel>") -> Panel:
        """Normalise column types; ``status`` defaults to reported, ``source`` to the file name."""
        missing = [c for c in ("region_code", "year", "variable", "value") if c not in df.columns]
        if missing:
            raise PanelError(
                f"数据表缺少列：{'、'.join(missing)}。长表需要 region_code、year、variable、value 列。",
                f"The panel lacks column(s): {', '.join(missing)}. A long panel needs "
                "region_code, year, variable, value.",
                source,
            )
        out = pd.DataFrame(
            {
                "region_code": df["region_code"].astype(str),
                "year": df["year"].astype(int),
                "variable": df["variable"].astype(str),
                "value": pd.to_numeric(df["value"], errors="raise").astype(float),
                "status": (df.get("status", "reported")),
                "source": (df.get("source", source)),
            }
        )
        out["status"] = out["status"].fillna("reported").astype(str)
        out["source"] = out["source"].fillna("").astype(str)
        return cls(out.reset_index(drop=True), source)

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.frame["year"].unique())

    def slice(
        self, years: Iterable[int], variables: Iterable[str], regions: Iterable[str]
    ) -> Panel:
        """The rows for the given years, variables and regions, in a canonical order."""
        f = self.frame
        mask = f["year"].isin(list(years)) & f["variable"].isin(list(variables))
        mask &= f["region_code"].isin(list(regions))
        out = f.loc[mask].sort_values(["year", "variable", "region_code", "source"], kind="stable")
        return Panel(out.reset_index(drop=True), self.source)

    def data_hash(self) -> str:
        """sha256 of the canonical CSV of the panel (rows sorted, values as exact float reprs)."""
        f = self.frame.sort_values(list(COLUMNS), kind="stable")
        h = hashlib.sha256()
        for row in f.itertuples(index=False):
            v = float(row.value)  # type: ignore[arg-type]
            value = "" if math.isnan(v) else v.hex()
            h.update(
                f"{row.region_code},{row.year},{row.variable},{value},{row.status},{row.source}\n".encode()
            )
        return h.hexdigest()

    def wide(
        self,
        year: int,
        variables: Sequence[str],
        regions: Sequence[str],
        framework: Framework | None = None,
    ) -> pd.DataFrame:
        """Regions × variables for one data year (NaN where absent). Rubric variables with several
        rows (one per expert) combine by the framework's rule for that variable."""
        f = self.frame
        sub = f.loc[(f["year"] == year) & f["variable"].isin(list(variables))]
        combine = {}
        if framework is not None:
            combine = {v.code: v.combine for v in framework.variables if v.kind == "rubric"}
        multi = sub.duplicated(["region_code", "variable"], keep=False)
        simple = sub.loc[~multi]
        table = simple.pivot(index="region_code", columns="variable", values="value")
        if multi.any():
            for (code, var), grp in sub.loc[multi].groupby(["region_code", "variable"], sort=False):
                table.loc[code, var] = combine_scores(
                    grp["value"].to_numpy(), combine.get(str(var), "mean")
                )
        return table.reindex(index=list(regions), columns=list(variables)).astype(float)


def combine_scores(scores: np.ndarray, how: str = "mean") -> float:
    """Combine several experts' scores for one item.

    ``mean`` is the arithmetic mean; ``trimmed_mean`` drops one highest and one lowest score before
    averaging (the usual 去掉一个最高分和一个最低分 rule; with fewer than 3 scores it is the mean).
    Missing scores are ignored; with none left the result is NaN.
    """
    x = np.sort(scores[~np.isnan(scores)])
    if x.size == 0:
        return math.nan
    if how == "trimmed_mean" and x.size >= 3:
        x = x[1:-1]
    return float(x.mean())


def read_panel(
    path: str | Path, registry: RegionRegistry, framework: Framework | None = None
) -> Panel:
    """Read a panel from CSV or XLSX, long (region, year, variable, value) or wide (region, year,
    one column per variable). Counties may be given by code or name (normalised and matched).

    Raises :class:`PanelError` naming the file, row/cell and what to do for an unknown county, a
    non-numeric value or a missing column.
    """
    p = Path(path)
    if not p.exists():
        raise PanelError("找不到数据文件。", "Data file not found.", str(p))
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            df = pd.read_excel(p, sheet_name=0, dtype=object)
            sheet = _first_sheet_name(p)
            locate = _excel_locator(p.name, sheet)
        elif p.suffix.lower() == ".csv":
            df = pd.read_csv(p, dtype=object, encoding="utf-8-sig")
            locate = _csv_locator(p.name)
        else:
            raise PanelError(
                f"不支持的文件类型“{p.suffix}”。请提供 .csv 或 .xlsx 文件。",
                f"Unsupported file type '{p.suffix}'. Provide a .csv or .xlsx file.",
                str(p),
            )
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise PanelError(
            f"无法读取数据文件：{exc}。请确认文件未损坏、编码为 UTF-8。",
            f"Cannot read the data file: {exc}. Check the file is intact and UTF-8.",
            str(p),
        ) from None
    df.columns = [str(c).strip() for c in df.columns]
    region_col = next(
        (c for c in ("region_code", "region", "county", "县", "地区", "code") if c in df), None
    )
    if region_col is None or "year" not in df.columns:
        raise PanelError(
            "数据文件需要县（region_code 或 region）和 year 列。",
            "The data file needs a county column (region_code or region) and a year column.",
            p.name,
        )
    if "variable" in df.columns and "value" in df.columns:
        long = df
    else:
        known = {v.code for v in framework.variables} if framework else None
        value_cols = [
            c for c in df.columns if c not in (region_col, "year", "status", "source", "name")
        ]
        if known is not None:
            unknown = [c for c in value_cols if c not in known]
            if unknown:
                col = df.columns.get_loc(unknown[0])
                raise PanelError(
                    f"列“{unknown[0]}”不是指标体系 {framework.id if framework else ''} 中的变量。"
                    "请改为变量代码或删除该列。",
                    f"Column '{unknown[0]}' is not a variable of framework "
                    f"{framework.id if framework else ''}. Rename it to a variable code or drop it.",
                    locate(0, int(col) if isinstance(col, int) else 0, header=True),
                )
        long = df.melt(
            id_vars=[region_col, "year"],
            value_vars=value_cols,
            var_name="variable",
            value_name="value",
        )
        long["_row"] = np.tile(np.arange(len(df)), len(value_cols))
        long["_col"] = np.repeat([df.columns.get_loc(c) for c in value_cols], len(df))
    if "_row" not in long:
        long = long.assign(_row=np.arange(len(long)), _col=_col_index(long, "value"))

    codes: dict[str, str] = {}
    out_codes = []
    for row_i, raw in zip(long["_row"], long[region_col], strict=True):
        key = str(raw)
        if key not in codes:
            region = registry.find(key) if not _blank(raw) else None
            if region is None:
                raise PanelError(
                    f"无法识别的县（市、区）“{raw}”。请使用区划代码或正式名称（区划表：{registry.source}）。",
                    f"Unknown county '{raw}'. Use its code or official name (registry: {registry.source}).",
                    locate(int(row_i), _col_index(df, region_col)),
                )
            codes[key] = region.code
        out_codes.append(codes[key])
    values = []
    for row_i, col_i, raw in zip(long["_row"], long["_col"], long["value"], strict=True):
        if _blank(raw):
            values.append(math.nan)
            continue
        try:
            values.append(float(str(raw).replace(",", "")))
        except ValueError:
            raise PanelError(
                f"“{raw}”不是数字。请填写数值；没有数据请留空。",
                f"'{raw}' is not a number. Enter a number, or leave the cell empty if there is no data.",
                locate(int(row_i), int(col_i)),
            ) from None
    years = []
    for row_i, raw in zip(long["_row"], long["year"], strict=True):
        try:
            years.append(int(float(str(raw))))
        except ValueError:
            raise PanelError(
                f"年份“{raw}”无效，应为四位数字年份（如 2021）。",
                f"Year '{raw}' is invalid; use a four-digit year such as 2021.",
                locate(int(row_i), _col_index(df, "year")),
            ) from None
    frame = pd.DataFrame(
        {
            "region_code": out_codes,
            "year": years,
            "variable": long["variable"].astype(str).to_numpy(),
            "value": values,
            "status": long["status"].to_numpy() if "status" in long else "reported",
            "source": long["source"].to_numpy() if "source" in long else p.name,
        }
    )
    frame = frame.loc[~frame["value"].isna()].reset_index(drop=True)
    return Panel.from_frame(frame, p.name)


def _col_index(df: pd.DataFrame, name: str) -> int:
    return list(df.columns).index(name)


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, float) and math.isnan(raw)) or str(raw).strip() == ""


def _first_sheet_name(p: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(p, read_only=True)
    try:
        return str(wb.sheetnames[0])
    finally:
        wb.close()


def _excel_locator(name: str, sheet: str) -> Callable[..., str]:
    from openpyxl.utils import get_column_letter

    def locate(row: int, col: int, header: bool = False) -> str:
        excel_row = 1 if header else row + 2  # header row is 1
        return f"{name} [{sheet}!{get_column_letter(col + 1)}{excel_row}]"

    return locate


def _csv_locator(name: str) -> Callable[..., str]:
    def locate(row: int, col: int, header: bool = False) -> str:
        line = 1 if header else row + 2
        return f"{name}:{line} (列/column {col + 1})"

    return locate


def required_variables(framework: Framework) -> list[str]:
    """Variables any indicator formula names, in framework order."""
    seen: dict[str, None] = {}
    for ind in framework.indicators:
        for v in ind.variables:
            seen[v] = None
    return list(seen)
