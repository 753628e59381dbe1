"""Plans uploaded or bundled (issue #19): one entry point for every plan with dated targets, its
Excel form, and the values computed from the evaluation.

* :func:`load_plan` — a bundled id, a YAML file (``kind: county`` or ``kind: plan`` with
  ``level: county | city | province``), an Excel workbook (one row per target), or a province
  class-count file (``kind: province``, seed 000), which becomes a plan of three ``level``
  targets computed from the evaluation (``indicator: class_count:A``).
* :func:`read_plan_xlsx` — the Excel form, read within :data:`PLAN_LIMITS` by the bounded
  checks of :mod:`cimon.intake.limits` (zip directory, sizes, compression ratio, every XML part
  streamed with a cell budget, no DTD) before openpyxl parses it; all-or-nothing: every bad
  cell is reported (sheet and cell, Chinese and English) and no plan is returned.
* :func:`values_from_runs` — the targets whose value the evaluation gives (an indicator, the
  score, the rank in a peer group, a class count), by data year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cimon.analysis.errors import TargetError
from cimon.analysis.files import _parse_yaml
from cimon.analysis.target_kinds import kind_class, peer_rank
from cimon.analysis.targets import (
    CountyPlan,
    ItemStatus,
    Series,
    county_status,
    load_county_plan,
    load_province_targets,
    parse_item,
    plan_from,
)
from cimon.intake.bounded import xlsx_sheets
from cimon.intake.limits import MB, Limits
from cimon.intake.report import ValidationReport
from cimon.intake.workbook import col_letter, is_blank, norm_text

__all__ = [
    "PLAN_LIMITS",
    "PlanRead",
    "load_plan",
    "plan_status",
    "read_plan_upload",
    "read_plan_xlsx",
    "read_plan_yaml",
    "values_from_runs",
]

#: a plan: up to 2,000 targets of up to 64 columns
PLAN_LIMITS = Limits(
    rows=2_000, columns=64, cells=200_000, member_bytes=16 * MB, total_bytes=32 * MB
)
#: column header (as written, compared after :func:`norm_text`) → target field
HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("code", "代码", "目标代码", "编号"),
    "name_zh": ("name_zh", "目标项", "目标名称", "名称"),
    "name_en": ("name_en", "英文名称"),
    "kind": ("kind", "类型", "目标类型"),
    "unit": ("unit", "计量单位", "单位"),
    "target": ("target", "目标值"),
    "target_ref": ("target_ref", "参照系列"),
    "deadline": ("deadline", "期限", "完成年度", "截止年度"),
    "responsible": ("responsible", "责任单位"),
    "quote_zh": ("quote_zh", "原文", "方案原文"),
    "provenance": ("provenance", "来源"),
    "formula": ("formula", "公式"),
    "indicator": ("indicator", "评价指标"),
    "applies_to": ("applies_to", "适用单位", "对象"),
    "note": ("note", "说明", "备注"),
    "params": ("params", "参数"),
    "source": ("source", "数据来源"),
}
PLAN_SHEETS = ("plan", "方案")


@dataclass
class PlanRead:
    """The result of reading an Excel plan: the plan, or None with the issues in ``report``."""

    report: ValidationReport
    plan: CountyPlan | None = None
    columns: dict[str, str] = field(default_factory=dict)


def load_plan(ref: str | Path = "jingning-2023", level: str | None = None) -> CountyPlan:
    """Any plan: bundled id, YAML, Excel (``.xlsx``; ``level`` when the workbook has no plan
    sheet saying it) or a province class-count file."""
    path = Path(ref)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if not path.is_file():
            raise TargetError(
                "找不到文件。请检查路径。", "File not found. Check the path.", str(path)
            )
        read = read_plan_xlsx(path.read_bytes(), str(path), level)
        if read.plan is None:
            lines = [i.render("zh") for i in read.report.errors[:10]]
            lines_en = [i.render("en") for i in read.report.errors[:10]]
            raise TargetError(
                f"方案文件有 {read.report.error_count} 处错误，未读取：\n" + "\n".join(lines),
                f"The plan has {read.report.error_count} error(s) and was not read:\n"
                + "\n".join(lines_en),
                str(path),
            )
        return read.plan
    try:
        return load_county_plan(ref)
    except TargetError as exc:
        if not str(exc.where or "").endswith(": kind"):
            raise
    return province_plan(ref)


def province_plan(ref: str | Path) -> CountyPlan:
    """A province class-count target file (seed 000) as a plan: one ``level`` target per class
    (``at_least`` / ``at_most`` / ``about`` with its tolerance), computed from the evaluation."""
    goal = load_province_targets(ref)
    rows = []
    for label, count in goal.target.items():
        d = goal.direction[label]
        rows.append(
            (
                {
                    "code": label,
                    "name_zh": f"{label}类县数量",
                    "name_en": f"Counties in class {label}",
                    "unit": "个",
                    "target": count,
                    "direction": d,
                    "tolerance": goal.tolerance if d == "about" else 0,
                    "deadline": goal.target_year,
                    "responsible": ["省科技厅", "各县（市、区）人民政府"],
                    "quote_zh": goal.quote_zh,
                    "provenance": "inferred",  # the seed names no responsible unit
                    "indicator": f"class_count:{label}",
                },
                f"{goal.source}: target.counts.{label}",
            )
        )
    head = {
        "id": goal.id, "level": "province", "area": goal.name_zh, "plan_zh": goal.name_zh,
        "source_zh": "", "base_year": goal.base_year,
    }  # fmt: skip
    return plan_from(head, rows, goal.source)


# --- uploads (YAML or Excel) ----------------------------------------------------------------------

#: the largest YAML plan read from an upload
YAML_MAX_BYTES = 2 * MB


def read_plan_upload(data: bytes, filename: str, level: str | None = None) -> PlanRead:
    """An uploaded plan, YAML (``.yaml``/``.yml``) or Excel (``.xlsx``), read all-or-nothing:
    every bad target is reported (Excel: sheet and cell; YAML: the item and field) and no plan
    is returned until all are right."""
    if Path(filename).suffix.lower() in (".yaml", ".yml"):
        return read_plan_yaml(data, filename, level)
    if Path(filename).suffix.lower() in (".xlsx", ".xlsm"):
        return read_plan_xlsx(data, filename, level)
    report = ValidationReport(source=filename)
    report.add("file.type", "方案文件应为 YAML（.yaml）或 Excel（.xlsx）。",
               "A plan is a YAML (.yaml) or Excel (.xlsx) file.",
               "请另存为 .yaml 或 .xlsx 后重新上传。", "Save it as .yaml or .xlsx and upload again.")  # fmt: skip
    return PlanRead(report)


def read_plan_yaml(data: bytes, filename: str = "plan.yaml", level: str | None = None) -> PlanRead:
    """A YAML plan (``kind: plan`` or ``kind: county``) from bytes, within
    :data:`YAML_MAX_BYTES` and :data:`PLAN_LIMITS` rows; every bad item is reported."""
    report = ValidationReport(source=filename)
    out = PlanRead(report)
    fix = ("请改正后重新上传整个文件（未导入任何目标）。",
           "Correct it and upload the whole file again (no target was imported).")  # fmt: skip
    if len(data) > YAML_MAX_BYTES:
        report.add("file.too_large", f"文件超过 {YAML_MAX_BYTES // MB} MB。",
                   f"The file is larger than {YAML_MAX_BYTES // MB} MB.", *fix)  # fmt: skip
        return out
    try:
        head = _parse_yaml(data.decode("utf-8-sig"), filename, TargetError)
    except UnicodeDecodeError:
        report.add("file.unreadable", "文件不是 UTF-8 编码。", "The file is not UTF-8.",
                   "请以 UTF-8 保存后重新上传。", "Save it as UTF-8 and upload again.")  # fmt: skip
        return out
    except TargetError as exc:
        report.add("mapping.invalid", exc.zh, exc.en, *fix, cell=str(exc.where or ""))
        return out
    if head.get("kind") == "province":  # seed 000's class counts (nx-2025.yaml)
        return _province_upload(data, filename, out)
    raw = head.get("items")
    if head.get("kind") not in ("county", "plan") or not isinstance(raw, list) or not raw:
        report.add("mapping.invalid", "这不是目标方案文件：应有 kind: plan 和非空的 items 列表。",
                   "Not a plan file: it needs kind: plan and a non-empty items list.", *fix)  # fmt: skip
        return out
    if len(raw) > PLAN_LIMITS.rows:
        report.add("file.too_large", f"目标超过 {PLAN_LIMITS.rows} 项。",
                   f"More than {PLAN_LIMITS.rows} targets.", *fix)  # fmt: skip
        return out
    head = dict(head)
    if level and "level" not in head:
        head["level"] = level
    rows = [(it, f"items[{k}]") for k, it in enumerate(raw)]
    for it, where in rows:
        try:
            parse_item(it, where)
        except TargetError as exc:
            report.add("mapping.invalid", exc.zh, exc.en, *fix, cell=str(exc.where or where))
    if report.ok:
        try:
            out.plan = plan_from(head, rows, filename)
        except TargetError as exc:
            report.add("mapping.invalid", exc.zh, exc.en, *fix, cell=str(exc.where or ""))
    return out


def _province_upload(data: bytes, filename: str, out: PlanRead) -> PlanRead:
    """A province class-count file (``kind: province``) as uploaded: read by
    :func:`province_plan` from a private temporary file (no user data in its path)."""
    import dataclasses
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "province.yaml"
        path.write_bytes(data)
        try:
            plan = province_plan(path)
        except TargetError as exc:
            where = str(exc.where or "").replace(str(path), filename)
            out.report.add("mapping.invalid", exc.zh, exc.en,
                           "请改正后重新上传整个文件（未导入任何目标）。",
                           "Correct it and upload the whole file again (no target was imported).",
                           cell=where)  # fmt: skip
            return out
    out.plan = dataclasses.replace(plan, source=filename)
    return out


# --- Excel -----------------------------------------------------------------------------------------


def read_plan_xlsx(data: bytes, filename: str = "", level: str | None = None) -> PlanRead:
    """Read a plan from workbook bytes: an optional sheet ``方案``/``plan`` (two columns: field,
    value — id, level, area, plan_zh, source_zh, base_year, at_risk_share, units) and a sheet
    with one row per target (header on row 1: code/代码, deadline/期限, kind/类型, target/目标值,
    responsible/责任单位 …; any other header naming a parameter of a row's kind, such as
    peer_group or units, gives that parameter)."""
    report = ValidationReport(source=filename)
    out = PlanRead(report)
    sheets = _sheets(data, report)
    if sheets is None:
        return out
    head: dict[str, Any] = {"id": Path(filename).stem or "plan"}
    table = None
    for title, rows in sheets:
        if norm_text(title) in {norm_text(s) for s in PLAN_SHEETS}:
            for r in rows:
                if len(r) >= 2 and not is_blank(r[0]) and not is_blank(r[1]):
                    head[str(r[0]).strip()] = r[1]
        elif table is None and rows and _columns(rows[0]).get("code") is not None:
            table = (title, rows)
    if level and "level" not in head:
        head["level"] = level
    if table is None:
        report.add("column.missing", "找不到目标表：没有含“代码”（code）列的工作表。",
                   "No target sheet: no sheet has a code (代码) column.",
                   "请在第 1 行写表头（代码、目标项、类型、目标值、期限、责任单位…）后重新导入。",
                   "Write the header on row 1 (code, name_zh, kind, target, deadline, responsible …) "
                   "and import again.")  # fmt: skip
        return out
    title, rows = table
    cols = _columns(rows[0])
    out.columns = {f: col_letter(c) for f, c in cols.items()}
    extra = {
        str(h).strip(): c
        for c, h in enumerate(rows[0])
        if not is_blank(h) and c not in cols.values()
    }
    for need in ("deadline",):
        if need not in cols:
            report.add("column.missing", f"缺少“{HEADERS[need][1]}”（{need}）列。",
                       f"The {need} ({HEADERS[need][1]}) column is missing.",
                       sheet=title, cell="1:1")  # fmt: skip
    if not report.ok:
        return out
    items: list[tuple[Any, str]] = []
    for r0, row in enumerate(rows[1:], start=1):
        if all(is_blank(v) for v in row):
            continue
        rec = {f: row[c] for f, c in cols.items() if c < len(row) and not is_blank(row[c])}
        rec = {f: str(v).strip() if isinstance(v, str) else v for f, v in rec.items()}
        rec.update(_params_cell(rec.pop("params", None)))
        kind = str(rec.get("kind") or "level")
        try:
            declared = {p.name for p in kind_class(kind).PARAMS}
        except TargetError:
            declared = set()
        for name, c in extra.items():
            if name in declared and c < len(row) and not is_blank(row[c]):
                rec[name] = row[c]
        items.append((rec, f"{title}!{r0 + 1}"))
    by_field = {**cols, **extra}
    for rec, where in items:
        try:
            parse_item(rec, where)
        except TargetError as exc:
            _cell_issue(report, exc, by_field, title)
    if not items:
        report.add("value.missing", "目标表没有目标行。", "The target sheet has no target rows.",
                   sheet=title)  # fmt: skip
    if not report.ok:
        return out
    try:
        out.plan = plan_from(head, items, filename)
    except TargetError as exc:  # a code given twice, a bad base year or level
        _cell_issue(report, exc, by_field, title)
    return out


def _params_cell(raw: Any) -> dict[str, Any]:
    """``peer_group=山区26县; improve_by=1`` in one cell → the parameters."""
    if raw is None:
        return {}
    out: dict[str, Any] = {}
    for part in str(raw).replace("；", ";").split(";"):
        key, sep, value = part.replace("＝", "=").partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


def _cell_issue(
    report: ValidationReport, exc: TargetError, cols: Mapping[str, int], sheet: str
) -> None:
    """The error of one row (``sheet!7.deadline``), placed on its cell when it names a field."""
    where = str(exc.where or "")
    rest = where.rsplit("!", 1)[1] if "!" in where else ""
    row, _, name = rest.partition(".")
    name = name.split(".", 1)[0]
    cell = f"{col_letter(cols[name])}{row}" if name in cols else f"{row}:{row}" if row else ""
    report.add("mapping.invalid", exc.zh, exc.en,
               "请改正该单元格后重新导入整个文件（未导入任何目标）。",
               "Correct the cell and import the whole file again (no target was imported).",
               sheet=sheet, cell=cell)  # fmt: skip


def _columns(header: Sequence[Any]) -> dict[str, int]:
    syn = {norm_text(s): f for f, ss in HEADERS.items() for s in ss}
    out: dict[str, int] = {}
    for c, h in enumerate(header):
        f = syn.get(norm_text(h)) if not is_blank(h) else None
        if f is not None and f not in out:
            out[f] = c
    return out


def _sheets(
    data: bytes, report: ValidationReport
) -> list[tuple[str, list[tuple[Any, ...]]]] | None:
    if not data.strip():
        report.add("file.empty", "文件是空的。", "The file is empty.")
        return None
    return xlsx_sheets(data, PLAN_LIMITS, report)


# --- values from the evaluation --------------------------------------------------------------------


def values_from_runs(plan: CountyPlan, runs: Mapping[int, Any], code: str | None = None) -> Series:
    """The values of the targets with an ``indicator``, from evaluation runs: results by
    evaluation year, indicator values by data year.

    ``indicator`` names an indicator of the framework (its derived value for ``code``, the
    target's ``applies_to`` unit or the plan's), ``score`` (the published score), ``rank`` (the
    place in the target's ``peer_group``: the run's ``rank_tag:<group>`` column, else
    :func:`peer_rank` over the regions tagged with the group; ties share the best place) or
    ``class_count:<class>`` (how many regions are in the class). A value the runs do not hold
    is left out (the target is then ``no_data`` unless a values file gives it)."""
    out: Series = {}
    for item in plan.items:
        ind = item.indicator
        if not ind:
            continue
        evaluated = ind in ("score", "rank") or ind.startswith("class_count:")
        for run in runs.values():
            # results (score, place, class counts) belong to the evaluation year, as the
            # province's counts do; an indicator's value to its data year
            y = int(run.year if evaluated else run.data_year)
            value = _run_value(run, ind, item.applies_to or code, item.params)
            if value is not None:
                out.setdefault(item.code, {})[y] = value
    return out


def _run_value(run: Any, ind: str, code: str | None, params: Mapping[str, Any]) -> float | None:
    if ind.startswith("class_count:"):
        return float(run.class_counts().get(ind.split(":", 1)[1], 0))
    res = run.results
    if code is None or code not in res.index:
        return None
    if ind == "score":
        return float(res.at[code, "score_published"])
    if ind == "rank":
        group = str(params.get("peer_group", ""))
        col = f"rank_tag:{group}"
        if col in res.columns:
            return float(res.at[code, col])
        members = [r.code for r in run.regions if group in r.tags]
        if code not in members:
            return None
        scores = {c: float(res.at[c, "score_published"]) for c in members}
        return float(peer_rank(scores, code))
    derived = run.data.get("derived")
    if derived is not None and ind in derived.columns:
        v = derived.at[code, ind]
        return None if v != v else float(v)
    return None


def plan_status(
    plan: CountyPlan,
    reported: Series,
    runs: Mapping[int, Any] | None = None,
    code: str | None = None,
) -> list[ItemStatus]:
    """The status of every target of a plan: values computed from the evaluation
    (:func:`values_from_runs`) for the targets that name an ``indicator``, the ``reported``
    values (a values file) for the others and where the runs hold none."""
    series: Series = {k: dict(v) for k, v in reported.items()}
    for key, by_year in values_from_runs(plan, runs or {}, code).items():
        series.setdefault(key, {}).update(by_year)
    return county_status(plan, series)
