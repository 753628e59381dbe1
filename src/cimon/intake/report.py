"""ValidationReport: everything wrong with a submission, cell by cell, in Chinese and English.

An :class:`Issue` is an *error* (blocks the import) or a *warning* (the import goes ahead only when
the user acknowledges warnings, ``cimon import --accept-warnings``). Every issue carries a stable
``code`` from :data:`CODES`, the place (file, sheet, cell), the county and variable it concerns, the
raw cell content, a message and the fix to make, each in both languages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SEVERITIES = ("error", "warning")

#: Issue codes: code -> (severity, title in Chinese, title in English). The message of an issue
#: gives the detail; the title is what a summary table groups by.
CODES: dict[str, tuple[str, str, str]] = {
    # the file and its template
    "file.unreadable": ("error", "文件无法读取", "File cannot be read"),
    "file.type": ("error", "文件类型不支持", "Unsupported file type"),
    "file.empty": ("error", "文件中没有数据", "No data in the file"),
    "template.unknown": ("error", "不是本系统的报送模板", "Not a cimon template"),
    "template.framework": ("error", "模板所属指标体系不符", "Template is for another framework"),
    "template.year": ("error", "模板年度不符", "Template is for another year"),
    "template.department": ("error", "模板报送单位不符", "Template is for another department"),
    "template.version": ("error", "模板版本过旧或被修改", "Outdated or altered template"),
    "sheet.missing": ("error", "缺少工作表", "Missing sheet"),
    "sheet.ignored": ("warning", "工作表未读取", "Sheet not read"),
    "column.unknown": ("error", "无法识别的列", "Unknown column"),
    "column.missing": ("error", "缺少列", "Missing column"),
    "column.duplicate": ("error", "列重复", "Duplicate column"),
    "mapping.invalid": ("error", "列映射有误", "Invalid column mapping"),
    "variable.unknown": ("error", "无法识别的变量", "Unknown variable"),
    # counties
    "region.unknown": ("error", "无法识别的县（市、区）", "Unknown county"),
    "region.duplicate": ("error", "县（市、区）重复", "Duplicate county"),
    "region.missing": ("warning", "缺少县（市、区）", "County missing"),
    "region.wrong": ("error", "不是本县的模板", "Template is for another county"),
    # values
    "value.not_number": ("error", "不是数值", "Not a number"),
    "value.out_of_range": ("error", "超出合理范围", "Out of range"),
    "value.implausible": ("warning", "超出常见范围", "Outside the usual range"),
    "value.not_integer": ("warning", "应为整数", "Should be a whole number"),
    "value.missing": ("warning", "数据缺失", "Value missing"),
    "value.unit_percent": ("warning", "疑似百分数按小数填写", "Percentage entered as a fraction?"),
    "value.unit_scale": ("warning", "疑似计量单位错误", "Unit slip?"),
    "value.jump": ("warning", "与上年相比变动过大", "Large change from last year"),
    "year.invalid": ("error", "年份无效", "Invalid year"),
    "year.wrong": ("error", "数据年度不符", "Wrong data year"),
    "rule.consistency": ("error", "数据间逻辑关系不符", "Inconsistent values"),
    "rule.consistency_warning": ("warning", "数据间逻辑关系存疑", "Values look inconsistent"),
    # qualitative items and experts
    "claim.out_of_range": ("error", "自评分超出分值范围", "Self-assessed score out of range"),
    "claim.no_statement": ("warning", "自评缺少情况说明", "Self-assessment lacks a statement"),
    "evidence.missing": ("error", "佐证材料文件缺失", "Evidence file missing"),
    "evidence.outside": ("error", "佐证材料不在材料文件夹内", "Evidence outside its folder"),
    "evidence.too_large": ("error", "佐证材料文件过大", "Evidence file too large"),
    # the 数据状态 sheet (estimated / imputed values, cimon.intake.statuses)
    "status.invalid": ("error", "数据状态无法识别", "Unknown data status"),
    "status.unknown_cell": (
        "error",
        "数据状态所指的值不在文件中",
        "Data status for a value not in the file",
    ),
    "status.without_value": (
        "error",
        "标了数据状态的值为空",
        "Data status given for a blank value",
    ),
    "expert.out_of_range": ("error", "专家评分超出分值范围", "Expert score out of range"),
    "expert.duplicate": ("error", "同一专家重复评分", "Expert scored the same county twice"),
    "expert.missing": ("error", "专家评分缺失", "Expert score missing"),
    "expert.unnamed": ("error", "未填写专家姓名", "Expert not named"),
    "expert.unknown": ("warning", "专家不在名单中", "Expert not on the list"),
    # storage
    "submission.duplicate": ("warning", "该文件已导入过", "File already imported"),
}


@dataclass(frozen=True)
class Issue:
    """One problem found in a submission."""

    severity: str
    code: str
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""
    file: str = ""
    sheet: str = ""
    cell: str = ""  # e.g. "D7"; a whole row "7:7" or column "D:D"; empty for the whole file
    region: str = ""  # region code
    region_name: str = ""
    variable: str = ""
    value: str = ""  # the raw cell content as the user wrote it

    @property
    def where(self) -> str:
        """``统计局.xlsx [数据!D7]``, ``data.csv [row 5]`` or just the file."""
        inner = "!".join(x for x in (self.sheet, self.cell) if x)
        if self.file and inner:
            return f"{self.file} [{inner}]"
        return self.file or inner

    def render(self, lang: str = "both") -> str:
        tag = {"error": ("错误", "error"), "warning": ("警告", "warning")}[self.severity]
        loc = f"{self.where}: " if self.where else ""
        zh = f"[{tag[0]} {self.code}] {loc}{self.zh}" + (
            f" 处理：{self.fix_zh}" if self.fix_zh else ""
        )
        en = f"[{tag[1]} {self.code}] {loc}{self.en}" + (
            f" Fix: {self.fix_en}" if self.fix_en else ""
        )
        if lang == "zh":
            return zh
        if lang == "en":
            return en
        return f"{zh}\n{en}"


@dataclass
class ValidationReport:
    """All issues of one submission. ``ok`` when there is no error."""

    source: str = ""
    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        code: str,
        zh: str,
        en: str,
        fix_zh: str = "",
        fix_en: str = "",
        *,
        severity: str | None = None,
        **where: Any,
    ) -> Issue:
        """Record an issue; ``severity`` defaults to the code's (see :data:`CODES`)."""
        if code not in CODES:
            raise KeyError(f"unknown issue code {code!r}; add it to cimon.intake.report.CODES")
        sev = severity or CODES[code][0]
        if sev not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")
        where.setdefault("file", self.source)
        issue = Issue(sev, code, zh, en, fix_zh, fix_en, **{k: str(v) for k, v in where.items()})
        self.issues.append(issue)
        return issue

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """No errors (warnings may remain)."""
        return not self.errors

    def accepts(self, accept_warnings: bool = False) -> bool:
        """May the submission be stored: no errors, and no warnings unless acknowledged."""
        return self.ok and (accept_warnings or not self.warnings)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.issues]

    def find(self, code: str) -> list[Issue]:
        return [i for i in self.issues if i.code == code]

    def summary(self, lang: str = "zh") -> str:
        """One line: counts of errors and warnings."""
        e, w = len(self.errors), len(self.warnings)
        if lang == "en":
            return f"{self.source}: {e} error(s), {w} warning(s)"
        return f"{self.source}：错误 {e} 处，警告 {w} 处"

    def render(self, lang: str = "both", limit: int | None = None) -> str:
        """The summary line and every issue (errors first), at most ``limit`` of them."""
        ordered = self.errors + self.warnings
        shown = ordered if limit is None else ordered[:limit]
        lines = [self.summary("en" if lang == "en" else "zh")]
        lines += [i.render(lang) for i in shown]
        if len(shown) < len(ordered):
            rest = len(ordered) - len(shown)
            lines.append(f"……另有 {rest} 处未列出 / … {rest} more not shown")
        return "\n".join(lines)

    def to_records(self) -> list[dict[str, str]]:
        return [asdict(i) for i in self.issues]

    def to_json(self) -> str:
        return json.dumps(
            {"source": self.source, "issues": self.to_records()}, ensure_ascii=False, indent=1
        )

    @classmethod
    def from_json(cls, text: str) -> ValidationReport:
        data = json.loads(text)
        return cls(data.get("source", ""), [Issue(**i) for i in data.get("issues", [])])

    def to_frame(self, lang: str = "zh") -> Any:
        """A pandas DataFrame, one row per issue, with Chinese (or English) column names."""
        import pandas as pd

        cols = {
            "severity": ("级别", "Severity"),
            "code": ("代码", "Code"),
            "file": ("文件", "File"),
            "sheet": ("工作表", "Sheet"),
            "cell": ("单元格", "Cell"),
            "region_name": ("县（市、区）", "County"),
            "variable": ("变量", "Variable"),
            "value": ("填报内容", "Entered"),
            "zh" if lang != "en" else "en": ("问题", "Problem"),
            "fix_zh" if lang != "en" else "fix_en": ("处理方法", "Fix"),
        }
        k = 1 if lang == "en" else 0
        rows = [{v[k]: getattr(i, c) for c, v in cols.items()} for i in self.errors + self.warnings]
        return pd.DataFrame(rows, columns=[v[k] for v in cols.values()])


def write_report_xlsx(report: ValidationReport, path: str | Path, lang: str = "zh") -> Path:
    """The report as a workbook (``cimon import --report``): one row per issue, columns as
    :meth:`ValidationReport.to_frame`. What a submitter typed (a cell's text, a file name) is
    kept as text, never as a formula (:func:`cimon.safe.append`)."""
    from openpyxl import Workbook

    from cimon.safe import append, save

    frame = report.to_frame(lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Report" if lang == "en" else "校验报告"
    append(ws, list(frame.columns))
    for row in frame.itertuples(index=False):
        append(ws, list(row))
    out = Path(path)
    save(wb, out)
    return out
