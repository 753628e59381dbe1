"""Reading the analyses' input files: bundled or user YAML (rule sets, targets) and small tables
(CSV / XLSX / YAML lists: code maps, fund uses, observed values).

Every error names the file and the place (key path, ``file.csv:7`` line, ``file.xlsx [Sheet1!A7]``)
and says what to do, in Chinese and English.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cimon.analysis.errors import AnalysisError
from cimon.model.cells import parse_exact


def bundled(folder: str) -> list[str]:
    """Ids of the YAML files shipped in ``cimon/data/<folder>``."""
    root = resources.files("cimon.data") / folder
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def load_yaml(
    ref: str | Path, folder: str, error: type[AnalysisError] = AnalysisError
) -> tuple[Mapping[str, Any], str]:
    """A YAML mapping from a bundled id (``nx-2021``) in ``cimon/data/<folder>`` or a file path.

    Returns the mapping and its source name (used in error messages)."""
    path = Path(ref)
    if not path.suffix and str(ref) in bundled(folder):
        res = resources.files("cimon.data") / folder / f"{ref}.yaml"
        return _parse_yaml(res.read_text(encoding="utf-8"), f"{ref}.yaml", error), f"{ref}.yaml"
    if not path.exists():
        known = "、".join(bundled(folder))
        raise error(
            f"找不到文件或内置配置“{ref}”。内置的有：{known}。",
            f"No file or bundled configuration named '{ref}'. Bundled: {', '.join(bundled(folder))}.",
            str(ref),
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise error(
            "文件不是 UTF-8 编码。请以 UTF-8 保存。",
            "The file is not UTF-8. Save it as UTF-8.",
            str(path),
        ) from None
    return _parse_yaml(text, str(path), error), str(path)


def _parse_yaml(text: str, source: str, error: type[AnalysisError]) -> Mapping[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise error(
            f"YAML 格式错误：{getattr(exc, 'problem', exc)}。请检查缩进和冒号。",
            f"YAML syntax error: {getattr(exc, 'problem', exc)}. Check indentation and colons.",
            where,
        ) from None
    if not isinstance(data, Mapping):
        raise error(
            "文件顶层应为键值映射（如 id: …、version: …）。",
            "The file's top level must be a mapping (id: …, version: …).",
            source,
        )
    return data


@dataclass(frozen=True)
class Row:
    """One row of a table file: its values by column name and where it is (for messages)."""

    values: Mapping[str, Any]
    where: str

    def get(self, *names: str) -> Any:
        """The first non-empty value among the column names (Chinese or English header)."""
        for n in names:
            v = self.values.get(n)
            if v is not None and str(v).strip() != "":
                return v
        return None


def read_rows(path: str | Path, error: type[AnalysisError] = AnalysisError) -> list[Row]:
    """Rows of a CSV (UTF-8), XLSX (first sheet, header on row 1) or YAML (a list of mappings)."""
    p = Path(path)
    if not p.exists():
        raise error("找不到文件。请检查路径。", "File not found. Check the path.", str(p))
    suffix = p.suffix.lower()
    if suffix == ".csv":
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise error(
                "CSV 文件不是 UTF-8 编码。请在 Excel 中另存为“CSV UTF-8”。",
                "The CSV file is not UTF-8. Save it from Excel as 'CSV UTF-8'.",
                str(p),
            ) from None
        reader = csv.DictReader(io.StringIO(text))
        return [
            Row({str(k).strip(): v for k, v in r.items() if k is not None}, f"{p}:{i}")
            for i, r in enumerate(reader, start=2)
        ]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise error(
                f"无法读取 Excel 文件：{exc}。",
                f"Cannot read the Excel file: {exc}.",
                str(p),
            ) from None
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            return []
        heads = [str(h).strip() if h is not None else "" for h in rows[0]]
        return [
            Row(dict(zip(heads, r, strict=False)), f"{p} [{ws.title}!A{i}]")
            for i, r in enumerate(rows[1:], start=2)
            if any(v is not None for v in r)
        ]
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as exc:
            raise error(
                f"YAML 格式错误：{getattr(exc, 'problem', exc)}。",
                f"YAML syntax error: {getattr(exc, 'problem', exc)}.",
                str(p),
            ) from None
        if isinstance(data, Mapping):
            data = next((v for v in data.values() if isinstance(v, list)), None)
        if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
            raise error(
                "YAML 表格应为映射的列表（每行一项）。",
                "A YAML table must be a list of mappings (one per row).",
                str(p),
            )
        return [Row(dict(r), f"{p}: [{i}]") for i, r in enumerate(data)]
    raise error(
        f"不支持的文件类型“{p.suffix}”。请使用 .csv、.xlsx 或 .yaml。",
        f"Unsupported file type '{p.suffix}'. Use .csv, .xlsx or .yaml.",
        str(p),
    )


def money(value: Any, where: str, error: type[AnalysisError] = AnalysisError) -> Decimal:
    """An amount of money as an exact :class:`~decimal.Decimal` (元, at most 2 decimals: 分).

    Read by :func:`cimon.model.cells.parse_exact` in 元, the parser of every other number:
    integers, decimal strings (``"1,250,000.50"``, ``"１２５万"``, ``"¥3,000元"``) and floats
    that carry at most two decimals (Excel cells). Never returns a float."""
    if isinstance(value, bool) or value is None:
        raise error("金额为空或不是数字。", "The amount is empty or not a number.", where)
    cv = parse_exact(value, "元")
    if cv.exact is None:
        zh, en = (cv.error_zh, cv.error_en) if not cv.ok else ("金额为空。", "The amount is empty.")
        raise error(
            f"金额“{value}”无法读取：{zh}请填写以元为单位的数字。",
            f"Amount '{value}' cannot be read: {en} Enter a number in yuan (元).",
            where,
        )
    d = cv.exact
    if d != d.quantize(Decimal("0.01")):
        raise error(
            f"金额“{value}”最多保留两位小数（分）。",
            f"Amount '{value}' may have at most two decimals (fen).",
            where,
        )
    return d
