"""Read a ``--data`` file (CSV or XLSX, long or wide) into a :class:`~cimon.model.panel.Panel`.

Counties may be given by code or name (normalised and matched in the region registry); every
value cell goes through :func:`cimon.model.cells.parse_cell`, the parser workbook imports use, so
``1.2万``, ``１２３．４``, ``3,000`` or ``—`` mean the same number (or no data) in a ``--data`` file
as in an import. Every error names the file, the row or cell, and what to do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from cimon.errors import PanelError
from cimon.model.cells import parse_cell
from cimon.model.framework import Framework
from cimon.model.panel import Panel
from cimon.model.regions import RegionRegistry

#: headers accepted for the county column, in order of preference
REGION_COLUMNS = ("region_code", "region", "county", "县", "地区", "code")


def read_panel(
    path: str | Path, registry: RegionRegistry, framework: Framework | None = None
) -> Panel:
    """Read a panel from CSV or XLSX, long (region, year, variable, value) or wide (region, year,
    one column per variable). Counties may be given by code or name (normalised and matched).

    Values are parsed by :func:`~cimon.model.cells.parse_cell` in the variable's unit (when the
    framework knows the variable): blanks and ``—``/``无`` … are no data and left out (unless the
    variable's ``blank: zero`` policy says 0), ``1.2万`` in a 元 column is 12000.

    Raises :class:`PanelError` naming the file, row/cell and what to do for an unknown county, a
    value that is not a number, an invalid year or a missing column.
    """
    p = Path(path)
    df, locate = _read_table(p)
    region_col = next((c for c in REGION_COLUMNS if c in df), None)
    if region_col is None or "year" not in df.columns:
        raise PanelError(
            "数据文件需要县（region_code 或 region）和 year 列。",
            "The data file needs a county column (region_code or region) and a year column.",
            p.name,
        )
    if "variable" in df.columns and "value" in df.columns:
        long = df
    else:
        long = _melt_wide(df, region_col, framework, locate)
    if "_row" not in long:
        long = long.assign(_row=np.arange(len(long)), _col=_col_index(long, "value"))
    frame = pd.DataFrame(
        {
            "region_code": _region_codes(long, df, region_col, registry, locate),
            "year": _years(long, df, locate),
            "variable": long["variable"].astype(str).to_numpy(),
            "value": _values(long, framework, locate),
            "status": long["status"].to_numpy() if "status" in long else "reported",
            "source": long["source"].to_numpy() if "source" in long else p.name,
        }
    )
    frame = frame.loc[~frame["value"].isna()].reset_index(drop=True)
    return Panel.from_frame(frame, p.name)


def _read_table(p: Path) -> tuple[pd.DataFrame, Callable[..., str]]:
    """The file's first sheet (or the CSV) as text cells, and how to name a cell of it."""
    if not p.exists():
        raise PanelError("找不到数据文件。", "Data file not found.", str(p))
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            df = pd.read_excel(p, sheet_name=0, dtype=object)
            locate = _excel_locator(p.name, _first_sheet_name(p))
        elif p.suffix.lower() == ".csv":
            df = pd.read_csv(
                p, dtype=object, encoding="utf-8-sig", keep_default_na=False, na_values=[""]
            )
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
    return df, locate


def _melt_wide(
    df: pd.DataFrame, region_col: str, framework: Framework | None, locate: Callable[..., str]
) -> pd.DataFrame:
    """A wide table (one column per variable) as long rows that remember their cell."""
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
    return long


def _region_codes(
    long: pd.DataFrame,
    df: pd.DataFrame,
    region_col: str,
    registry: RegionRegistry,
    locate: Callable[..., str],
) -> list[str]:
    codes: dict[str, str] = {}
    out = []
    for row_i, raw in zip(long["_row"].tolist(), long[region_col].tolist(), strict=True):
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
        out.append(codes[key])
    return out


def _values(
    long: pd.DataFrame, framework: Framework | None, locate: Callable[..., str]
) -> list[float]:
    """Every value cell through :func:`parse_cell`, in its variable's unit when known."""
    variables = {v.code: v for v in framework.variables} if framework else {}
    out = []
    for i, (var, raw) in enumerate(
        zip(long["variable"].astype(str).tolist(), long["value"].tolist(), strict=True)
    ):
        if raw is not None and raw != raw:  # NaN: an empty cell
            raw = None
        cv = parse_cell(raw, variables.get(var))
        if not cv.ok:
            raise PanelError(
                f"{cv.error_zh}{cv.fix_zh}",
                f"{cv.error_en} {cv.fix_en}",
                locate(int(long["_row"].to_numpy()[i]), int(long["_col"].to_numpy()[i])),
            )
        out.append(cv.value if cv.status == "reported" else math.nan)
    return out


def _years(long: pd.DataFrame, df: pd.DataFrame, locate: Callable[..., str]) -> list[int]:
    """The year of every row, each distinct cell content parsed once."""
    seen: dict[object, int] = {}
    out = []
    for i, raw in enumerate(long["year"].tolist()):
        year = seen.get(raw)
        if year is None:
            cv = parse_cell(None if _blank(raw) else raw)
            if cv.status != "reported" or not cv.value.is_integer() or not 1 <= cv.value <= 9999:
                raise PanelError(
                    f"年份“{raw}”无效，应为四位数字年份（如 2021）。",
                    f"Year '{raw}' is invalid; use a four-digit year such as 2021.",
                    locate(int(long["_row"].to_numpy()[i]), _col_index(df, "year")),
                )
            year = seen[raw] = int(cv.value)
        out.append(year)
    return out


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
