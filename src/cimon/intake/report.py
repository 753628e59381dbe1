"""ValidationReport: everything wrong with a submission, cell by cell, in Chinese and English.

An :class:`Issue` is an *error* (blocks the import) or a *warning* (the import goes ahead only when
the user acknowledges warnings, ``cimon import --accept-warnings``). Every issue carries a stable
``code`` from :data:`CODES`, the place (file, sheet, cell), the county and variable it concerns, the
raw cell content, a message and the fix to make, each in both languages.

A report keeps at most :data:`MAX_PER_KIND` issues of one kind (severity and code) and
:data:`MAX_ISSUES` in all; beyond that it only counts them (``omitted``), so a workbook with
300,000 bad cells gives a report of bounded size that still says “and 299,800 more like this”.
:meth:`ValidationReport.groups` folds the issues into one line per kind with its count and first
cells: what the command line, the portal and the stored report show first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SEVERITIES = ("error", "warning")

#: Issues of one kind (severity, code) kept one by one; more are only counted.
MAX_PER_KIND = 200
#: Issues kept one by one in one report, all kinds together; more are only counted.
MAX_ISSUES = 1000
#: Cells named in the one-line summary of a kind.
GROUP_CELLS = 5

#: Issue codes: code -> (severity, title in Chinese, title in English). The message of an issue
#: gives the detail; the title is what a summary table groups by.
CODES: dict[str, tuple[str, str, str]] = {
    # the file and its template
    "file.unreadable": ("error", "文件无法读取", "File cannot be read"),
    "file.type": ("error", "文件类型不支持", "Unsupported file type"),
    "file.empty": ("error", "文件中没有数据", "No data in the file"),
    "file.too_large": ("error", "文件内容超出限制", "File exceeds the limits"),
    "cell.stray": ("error", "填报区域之外有内容", "Content outside the table"),
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
    "registry.disagree": ("warning", "与名录统计数不一致", "Differs from the registry count"),
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
    # official lists of enterprises and carriers (cimon.registry.lists)
    "code.invalid": ("error", "统一社会信用代码无效", "Invalid unified social credit code"),
    "date.invalid": ("error", "日期无法识别", "Date not understood"),
    "name.missing": ("error", "名称缺失", "Name missing"),
    "row.duplicate": ("error", "名单中重复出现", "Listed twice"),
    # storage
    "row.stored": ("error", "已在库中（重复导入）", "Already stored (imported before)"),
    "row.unresolved": ("error", "无法与库中记录对应", "Matches no stored record"),
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


@dataclass(frozen=True)
class IssueGroup:
    """All issues of one kind (severity and code): how many, and the ones kept one by one."""

    severity: str
    code: str
    count: int  # kept + omitted
    issues: tuple[Issue, ...]

    @property
    def omitted(self) -> int:
        """Issues of this kind counted but not kept one by one."""
        return self.count - len(self.issues)

    @property
    def title_zh(self) -> str:
        return CODES[self.code][1]

    @property
    def title_en(self) -> str:
        return CODES[self.code][2]

    def places(self, n: int = GROUP_CELLS) -> list[str]:
        """The first ``n`` distinct places (``数据!D7``) of the kind, in the order found."""
        out: list[str] = []
        for i in self.issues:
            place = "!".join(x for x in (i.sheet, i.cell) if x)
            if place and place not in out:
                out.append(place)
                if len(out) == n:
                    break
        return out

    def render(self, lang: str = "both") -> str:
        """One line per language: the kind, its count, its first cells and the first fix."""
        tag = {"error": ("错误", "error"), "warning": ("警告", "warning")}[self.severity]
        first = self.issues[0] if self.issues else None
        places = self.places()
        more = self.count > len(places)
        file = f"{first.file} " if first is not None and first.file else ""
        zh = f"[{tag[0]} {self.code}] {self.title_zh}：共 {self.count:,} 处"
        en = f"[{tag[1]} {self.code}] {self.title_en}: {self.count:,} in all"
        if places:
            zh += f"，{file}[{'、'.join(places)}{' 等' if more else ''}]"
            en += f", {file}[{', '.join(places)}{', …' if more else ''}]"
        if first is not None and first.fix_zh:
            zh += f" 处理：{first.fix_zh}"
        if first is not None and first.fix_en:
            en += f" Fix: {first.fix_en}"
        if lang == "zh":
            return zh
        if lang == "en":
            return en
        return f"{zh}\n{en}"


@dataclass
class ValidationReport:
    """All issues of one submission. ``ok`` when there is no error.

    ``omitted`` counts the issues over the caps (:data:`MAX_PER_KIND`, :data:`MAX_ISSUES`) by
    ``"severity:code"``; they count in :attr:`error_count`, :attr:`warning_count`, :attr:`ok`
    and the groups, but are not kept one by one.
    """

    source: str = ""
    issues: list[Issue] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)
    _kinds: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

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
        """Record an issue; ``severity`` defaults to the code's (see :data:`CODES`). Past the
        caps the issue is only counted; it is returned all the same."""
        if code not in CODES:
            raise KeyError(f"unknown issue code {code!r}; add it to cimon.intake.report.CODES")
        sev = severity or CODES[code][0]
        if sev not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}")
        where.setdefault("file", self.source)
        issue = Issue(sev, code, zh, en, fix_zh, fix_en, **{k: str(v) for k, v in where.items()})
        self._keep(issue)
        return issue

    def _keep(self, issue: Issue) -> None:
        kind = f"{issue.severity}:{issue.code}"
        if not self._kinds and self.issues:  # built by from_json or by hand
            for i in self.issues:
                k = f"{i.severity}:{i.code}"
                self._kinds[k] = self._kinds.get(k, 0) + 1
        kept = self._kinds.get(kind, 0)
        if kept >= MAX_PER_KIND or len(self.issues) >= MAX_ISSUES:
            self.omitted[kind] = self.omitted.get(kind, 0) + 1
            return
        self._kinds[kind] = kept + 1
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self._keep(issue)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    @property
    def errors(self) -> list[Issue]:
        """The errors kept one by one (:attr:`error_count` also counts the omitted ones)."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """The warnings kept one by one (:attr:`warning_count` also counts the omitted ones)."""
        return [i for i in self.issues if i.severity == "warning"]

    def _omitted(self, severity: str) -> int:
        return sum(n for k, n in self.omitted.items() if k.split(":", 1)[0] == severity)

    @property
    def error_count(self) -> int:
        return len(self.errors) + self._omitted("error")

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + self._omitted("warning")

    @property
    def ok(self) -> bool:
        """No errors (warnings may remain)."""
        return self.error_count == 0

    def accepts(self, accept_warnings: bool = False) -> bool:
        """May the submission be stored: no errors, and no warnings unless acknowledged."""
        return self.ok and (accept_warnings or self.warning_count == 0)

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.issues]

    def find(self, code: str) -> list[Issue]:
        return [i for i in self.issues if i.code == code]

    def groups(self) -> list[IssueGroup]:
        """One :class:`IssueGroup` per kind: errors first, then warnings, each in the order
        the kinds were first found."""
        kept: dict[tuple[str, str], list[Issue]] = {}
        for i in self.issues:
            kept.setdefault((i.severity, i.code), []).append(i)
        for k in self.omitted:
            sev, code = k.split(":", 1)
            kept.setdefault((sev, code), [])
        out = [
            IssueGroup(sev, code, len(items) + self.omitted.get(f"{sev}:{code}", 0), tuple(items))
            for (sev, code), items in kept.items()
        ]
        return sorted(out, key=lambda g: SEVERITIES.index(g.severity))

    def summary(self, lang: str = "zh") -> str:
        """One line: counts of errors and warnings."""
        e, w = self.error_count, self.warning_count
        if lang == "en":
            return f"{self.source}: {e} error(s), {w} warning(s)"
        return f"{self.source}：错误 {e} 处，警告 {w} 处"

    def render(self, lang: str = "both", limit: int | None = None, per_kind: int = 3) -> str:
        """The summary line, then each kind of issue: a kind found once as its full issue; a
        kind found more often as one line (:meth:`IssueGroup.render`) followed by its first
        ``per_kind`` issues in full and “and N more like this”. At most ``limit`` issues are
        written in full in all."""
        lines = [self.summary("en" if lang == "en" else "zh")]
        budget, hidden = limit, 0
        for g in self.groups():
            if g.count == 1 and g.issues:
                shown: tuple[Issue, ...] = g.issues
            else:
                lines.append(g.render(lang))
                shown = g.issues[:per_kind]
            if budget is not None:
                shown = shown[: max(budget, 0)]
                budget -= len(shown)
            lines += [i.render(lang) for i in shown]
            rest = g.count - len(shown)
            if rest and g.count > 1:
                lines.append(f"  ……另有 {rest:,} 条同类问题 / … and {rest:,} more like this")
            elif rest:
                hidden += rest
        if hidden:
            lines.append(f"……另有 {hidden} 处未列出 / … {hidden} more not shown")
        return "\n".join(lines)

    def to_records(self) -> list[dict[str, str]]:
        return [asdict(i) for i in self.issues]

    def to_json(self) -> str:
        data: dict[str, Any] = {"source": self.source, "issues": self.to_records()}
        if self.omitted:
            data["omitted"] = dict(self.omitted)
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> ValidationReport:
        data = json.loads(text)
        return cls(
            data.get("source", ""),
            [Issue(**i) for i in data.get("issues", [])],
            {str(k): int(v) for k, v in data.get("omitted", {}).items()},
        )

    def to_frame(self, lang: str = "zh") -> Any:
        """A pandas DataFrame, one row per kept issue, with Chinese (or English) column names,
        then one row per kind with issues only counted (“另有 N 条同类问题未逐条列出”)."""
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
        problem = cols["zh" if lang != "en" else "en"][k]
        for g in self.groups():
            if g.omitted:
                rows.append(
                    {
                        cols["severity"][k]: g.severity,
                        cols["code"][k]: g.code,
                        cols["file"][k]: self.source,
                        problem: f"and {g.omitted:,} more like this, not listed one by one"
                        if lang == "en"
                        else f"另有 {g.omitted:,} 条同类问题未逐条列出",
                    }
                )
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
