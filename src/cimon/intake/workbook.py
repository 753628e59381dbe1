"""Shared pieces of the intake workbooks: layout constants, the metadata sheet, cell coordinates,
header normalisation and a loader that turns any unreadable file into an issue.

A cimon template carries a very hidden sheet ``_cimon`` of ``key | value`` rows (see
:data:`META_KEYS`). Its ``layout`` is JSON describing every data sheet (name, role, header row of
machine codes, first data row, the codes expected in that row); its ``fingerprint`` is the
sha256 of the identity fields plus the layout, so an edited metadata sheet is detected.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from cimon.intake.report import ValidationReport
from cimon.model.framework import Variable
from cimon.safe import put

#: Bumped whenever the layout of a template changes; an older template is refused
#: (``template.version``).
TEMPLATE_VERSION = "1"
TEMPLATE_FORMAT = "cimon-template"
META_SHEET = "_cimon"
INSTRUCTIONS_SHEET = "填报说明"
TEMPLATE_KINDS = ("department", "county", "combined", "expert")

#: Keys of the metadata sheet, in the order they are written.
META_KEYS = (
    "format",
    "template_version",
    "kind",
    "framework_id",
    "framework_version",
    "framework_hash",
    "department",
    "region",
    "expert",
    "evaluation_year",
    "data_year",
    "layout",
    "fingerprint",
)

#: Machine codes of the fixed leading columns, written in the code row of each sheet.
REGION_CODE, REGION_NAME, CITY = "region_code", "region_name", "city"
#: Machine codes of the columns of a county's self-assessment sheet.
CLAIM_COLUMNS = ("variable", "item", "max_points", "claimed", "statement", "evidence", "criteria")

#: Row numbers (1-based) of the sheets' parts. Values sheets (one per department) and expert
#: sheets share the column layout; an expert sheet has the expert's name on row 2.
VALUES_ROWS = {"title": 1, "name": 2, "code": 3, "unit": 4, "definition": 5, "first": 6}
EXPERT_ROWS = {
    "title": 1,
    "expert": 2,
    "name": 3,
    "code": 4,
    "unit": 5,
    "definition": 6,
    "first": 7,
}
CLAIM_ROWS = {"title": 1, "name": 2, "code": 3, "first": 4}
EXPERT_NAME_CELL = "B2"


@dataclass(frozen=True)
class SheetLayout:
    """One data sheet of a template: where its header codes are and what they should be."""

    name: str
    role: str  # values | expert | claims
    department: str
    code_row: int
    first_row: int
    columns: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "department": self.department,
            "code_row": self.code_row,
            "first_row": self.first_row,
            "columns": list(self.columns),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SheetLayout:
        return cls(
            name=str(d["name"]),
            role=str(d["role"]),
            department=str(d.get("department", "")),
            code_row=int(d["code_row"]),
            first_row=int(d["first_row"]),
            columns=tuple(str(c) for c in d["columns"]),
        )


@dataclass
class TemplateMeta:
    """The content of a template's ``_cimon`` sheet."""

    kind: str
    framework_id: str
    framework_version: str
    framework_hash: str
    evaluation_year: int
    data_year: int
    department: str = ""
    region: str = ""
    expert: str = ""
    template_version: str = TEMPLATE_VERSION
    sheets: list[SheetLayout] = field(default_factory=list)
    fingerprint: str = ""

    def identity(self) -> dict[str, Any]:
        return {
            "format": TEMPLATE_FORMAT,
            "template_version": self.template_version,
            "kind": self.kind,
            "framework_id": self.framework_id,
            "framework_version": self.framework_version,
            "framework_hash": self.framework_hash,
            "department": self.department,
            "region": self.region,
            "expert": self.expert,
            "evaluation_year": self.evaluation_year,
            "data_year": self.data_year,
        }

    def layout_json(self) -> str:
        return json.dumps([s.to_dict() for s in self.sheets], ensure_ascii=False, sort_keys=True)

    def compute_fingerprint(self) -> str:
        """sha256 (first 16 hex digits) of the identity fields and the layout."""
        blob = json.dumps(
            {"identity": self.identity(), "layout": json.loads(self.layout_json())},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def rows(self) -> list[tuple[str, str]]:
        """``key, value`` rows for the metadata sheet."""
        ident = {k: str(v) for k, v in self.identity().items()}
        ident["layout"] = self.layout_json()
        ident["fingerprint"] = self.fingerprint or self.compute_fingerprint()
        return [(k, ident[k]) for k in META_KEYS]


class MetaError(ValueError):
    """The metadata sheet is present but cannot be understood."""


def parse_meta(rows: Iterable[Sequence[Any]]) -> TemplateMeta:
    """Read the ``key | value`` rows of a ``_cimon`` sheet; raise :class:`MetaError` if a key is
    missing or malformed (the caller turns it into ``template.version``)."""
    kv: dict[str, str] = {}
    for row in rows:
        if len(row) >= 2 and row[0] is not None:
            kv[str(row[0]).strip()] = "" if row[1] is None else str(row[1])
    missing = [k for k in META_KEYS if k not in kv]
    if missing or kv.get("format") != TEMPLATE_FORMAT:
        raise MetaError(f"missing keys {missing}" if missing else "not a cimon template")
    try:
        layout = json.loads(kv["layout"])
        sheets = [SheetLayout.from_dict(d) for d in layout]
        return TemplateMeta(
            kind=kv["kind"],
            framework_id=kv["framework_id"],
            framework_version=kv["framework_version"],
            framework_hash=kv["framework_hash"],
            evaluation_year=int(kv["evaluation_year"]),
            data_year=int(kv["data_year"]),
            department=kv["department"],
            region=kv["region"],
            expert=kv["expert"],
            template_version=kv["template_version"],
            sheets=sheets,
            fingerprint=kv["fingerprint"],
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise MetaError(str(exc)) from None


# ------------------------------------------------------------------------------------------
# coordinates and text


@lru_cache(maxsize=4096)
def col_letter(col0: int) -> str:
    """Column letter of a 0-based column index (0 → ``A``)."""
    return get_column_letter(col0 + 1)


def cell_ref(row0: int, col0: int) -> str:
    """A1-style reference of 0-based indices: ``cell_ref(6, 3) == "D7"``."""
    return f"{col_letter(col0)}{row0 + 1}"


def is_blank(raw: object) -> bool:
    """None, NaN or text that is only whitespace."""
    if raw is None:
        return True
    if isinstance(raw, float):
        return raw != raw
    if isinstance(raw, str):
        return not raw.strip()
    return False


def raw_text(raw: object) -> str:
    """A cell's content as text for messages (``repr`` of floats, so nothing is rounded)."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        return repr(raw)
    return str(raw)


_SPACES = re.compile(r"[\s\u3000\u00a0\u200b]+")
_UNIT_SUFFIX = re.compile(r"[（(][^（）()]*[）)]$")


def norm_text(text: object) -> str:
    """Header/name normalisation: NFKC (full-width → half-width), whitespace removed, lower case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def norm_header_variants(text: object) -> list[str]:
    """The normalised header, and the header without a trailing unit in brackets
    (``R&D经费（万元）`` → ``r&d经费``)."""
    t = norm_text(text)
    out = [t]
    stripped = _UNIT_SUFFIX.sub("", t)
    if stripped and stripped != t:
        out.append(stripped)
    return out


def norm_expert(name: object) -> str:
    """An expert's name as written, NFKC-normalised and without spaces (``张 三`` → ``张三``)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(name))) if not is_blank(name) else ""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------------
# loading


def read_bytes(path: Path, report: ValidationReport) -> bytes | None:
    """The file's bytes, or None with ``file.unreadable`` in the report."""
    try:
        return path.read_bytes()
    except OSError as exc:
        report.add(
            "file.unreadable",
            f"无法打开文件（{type(exc).__name__}）。",
            f"The file cannot be opened ({type(exc).__name__}).",
            "请确认文件存在、未被其他程序占用，然后重新提交。",
            "Check that the file exists and is not locked by another program, then resubmit.",
        )
        return None


def load_xlsx(data: bytes, report: ValidationReport) -> Any | None:
    """Open workbook bytes with openpyxl in read-only mode (cached values of formulas), or None
    with ``file.unreadable`` in the report for anything openpyxl cannot read."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zip, XML, styles …: any failure of a damaged file is the same to the user
        report.add(
            "file.unreadable",
            "无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式。",
            "The Excel file cannot be read: it may be damaged or not an .xlsx file.",
            "请用 Excel 或 WPS 打开该文件，“另存为”Excel 工作簿（.xlsx）后重新提交。",
            "Open it in Excel or WPS, 'Save As' an Excel workbook (.xlsx) and resubmit.",
        )
        return None


def row_get(row: Sequence[Any], col0: int) -> Any:
    return row[col0] if col0 < len(row) else None


# ------------------------------------------------------------------------------------------
# styles and the 填报说明 sheet


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
CODE_FONT = Font(size=8, color="808080")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER_WRAP = Alignment(wrap_text=True, horizontal="center", vertical="center")
UNLOCKED = Protection(locked=False)


def protect_sheet(ws: Worksheet) -> None:
    ws.protection = SheetProtection(
        sheet=True, formatColumns=False, formatRows=False, selectLockedCells=False
    )


def range_text(var: Variable) -> tuple[str, str]:
    lo, hi = var.min, var.max
    if lo is not None and hi is not None:
        return f"{lo:g}–{hi:g}", f"between {lo:g} and {hi:g}"
    if lo is not None:
        return f"不小于 {lo:g}", f"at least {lo:g}"
    if hi is not None:
        return f"不大于 {hi:g}", f"at most {hi:g}"
    return "", ""


def write_instructions(
    ws: Worksheet,
    head: str,
    who: str,
    variables: Sequence[Variable],
    role: str,
    status_sheet: bool = False,
) -> None:
    """The 填报说明 sheet: how to fill in the template, then the variables it asks for
    (``status_sheet``: the workbook has a 数据状态 sheet, explained too)."""
    common = [
        "请勿增删、移动行或列，请勿修改表头、区划代码和县（市、区）名称，请勿重命名或删除工作表。"
        "模板中有一个隐藏的信息表，用于识别模板的年度和报送单位，请勿删除。",
        "请使用本年度下发的模板，不要沿用上一年度的模板。",
        "填写完成后保存为 .xlsx 文件，登录县域科技创新监测评价平台，在“数据报送”页面选择本文件上传。"
        "系统会逐格检查，并指出有问题的单元格（如 D7）和处理方法；有错误的文件不会被接受，改正后重新上传即可。",
    ]
    if role == "values":
        lines = [
            "在白色单元格中填写数值，只填数字，计量单位见表头“计量单位”行（如“万元”“家”），不要写单位文字。",
            "没有数据的单元格请留空：留空表示“无数据”，不等于 0；数值为 0 的请填 0。",
            "百分比按百分数填写（2.15% 填 2.15，或在设置为百分比格式的单元格中输入 2.15%）。",
            *(
                [
                    "估算或插补（而非统计报送）的数值列在“数据状态”工作表中，每个数值一行：区划代码、变量代码和"
                    "“估算”或“插补”。已列出的请核对；数值改为实际报送数的，请删除对应的行。"
                ]
                if status_sheet
                else []
            ),
            *common,
        ]
    elif role == "claims":
        lines = [
            "每个创新管理项目填写一行：自评得分（0 至满分）、情况说明（简要说明做了哪些工作）和佐证材料的文件名。"
            "打分请对照“评分要点”一栏。",
            "上传本表时，在“佐证材料”处一并选择全部佐证文件（可多选）；表中多个文件名之间用“；”分隔，"
            "文件名须与上传的文件完全一致（含扩展名，如“领导小组文件.pdf”）。",
            "自评得分仅供专家参考，最终得分以专家评分为准。",
            *common,
        ]
    else:
        lines = [
            "请先在 B2 单元格填写专家姓名（必填），一位专家使用一个文件。",
            "对每个县（市、区）的每个项目打分，分值在 0 至满分之间，可保留一位小数；每格只填一个分数。",
            "请为名单中的每个县（市、区）打分，不要空格；同一县不要重复评分。",
            *common,
        ]
    put(ws, 1, 1, f"填报说明 · {head} · {who}").font = TITLE_FONT
    for i, text in enumerate(lines, start=1):
        c = ws.cell(row=2 + i, column=1, value=f"{i}. {text}")
        c.alignment = WRAP
        ws.merge_cells(start_row=2 + i, start_column=1, end_row=2 + i, end_column=6)
        ws.row_dimensions[2 + i].height = 34
    top = len(lines) + 4
    for j, text in enumerate(("变量代码", "名称", "计量单位", "报送单位", "取值范围", "说明"), 1):
        c = ws.cell(row=top, column=j, value=text)
        c.font, c.fill = BOLD, HEADER_FILL
    for i, var in enumerate(variables, start=top + 1):
        rng = f"0–{var.max_points:g}" if var.kind == "rubric" else range_text(var)[0]
        row = (var.code, var.name_zh, var.unit, var.department, rng, var.definition_zh)
        for j, text in enumerate(row, start=1):
            put(ws, i, j, text).alignment = WRAP
    for letter, width in zip("ABCDEF", (16, 36, 10, 12, 14, 50), strict=True):
        ws.column_dimensions[letter].width = width
    protect_sheet(ws)
