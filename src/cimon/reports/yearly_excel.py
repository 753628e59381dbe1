"""Excel workbooks of the yearly cycle: comparison, incentives (with the funds ledger), targets
and county diagnostics. Tables and terminal text are built in :mod:`cimon.reports.yearly`; this
module lays them out as sheets in the style of :mod:`cimon.reports.excel` (row 1 a caption marked
“模拟数据（synthetic）” when the data are synthetic, row 2 headers, data from row 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from cimon.analysis.compare import Comparison
from cimon.analysis.diagnose import Diagnosis
from cimon.analysis.incentives import Award
from cimon.analysis.ledger import Ledger
from cimon.analysis.peers import peer_summary
from cimon.analysis.readings import ReadingCost
from cimon.analysis.rules import RuleSet
from cimon.analysis.targets import ClassProgress, CountyPlan, ItemStatus, ProvinceTargets
from cimon.engine.run import Run
from cimon.errors import CimonError
from cimon.reports.excel import SCORE_FORMAT, SYNTHETIC_NOTE, _sheet
from cimon.reports.readings import readings_table
from cimon.reports.table import Table
from cimon.reports.yearly import (
    _mark,
    awards_table,
    comparison_table,
    county_table,
    diagnosis_tables,
    ledger_tables,
    matrix_table,
    province_table,
    split_table,
)
from cimon.safe import save
from cimon.tables.render import xlsx_table
from cimon.tables.specs import AWARDS
from cimon.vocab import COUNTY_COUNT, t

#: the number format of each column of the awards sheet (money as whole yuan, ``#,##0``)
AWARD_FORMATS = xlsx_table(AWARDS.shown_in("xlsx"), [])[2]


def _save(wb: Workbook, path: str | Path) -> Path:
    p = Path(path)
    first = wb.worksheets[0] if wb.worksheets and wb.worksheets[0].title == "Sheet" else None
    if first is not None and len(wb.worksheets) > 1:
        wb.remove(first)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        save(wb, p)
    except OSError as exc:
        raise CimonError(
            f"无法写入文件：{exc.strerror or exc}。如果该文件已在 Excel 中打开，请先关闭；或换一个保存路径。",
            f"Cannot write the file: {exc.strerror or exc}. Close it if it is open in Excel, or choose another path.",
            str(p),
        ) from None
    return p


def _add(
    wb: Workbook, title: str, top: str, table: Table, formats: Mapping[int, str] | None = None
) -> None:
    _sheet(wb, title, top, table.heads, table.rows, formats or table.formats)


# --- comparison ------------------------------------------------------------------------------------


def write_comparison(c: Comparison, path: str | Path, lang: str = "zh") -> Path:
    top = t(
        f"{c.prev.year} → {c.year} 年度比较", f"{c.prev.year} → {c.year} comparison", lang
    ) + _mark(c.curr, lang)
    wb = Workbook()
    _add(
        wb,
        t("年度比较", "Comparison", lang),
        top,
        comparison_table(c, lang),
        {6: SCORE_FORMAT, 7: SCORE_FORMAT, 8: SCORE_FORMAT},
    )
    _add(wb, t("类别转移矩阵", "Transition matrix", lang), top, matrix_table(c, lang))
    _add(wb, t("得分变化分解", "Change split", lang), top, split_table(c, lang))
    return _save(wb, path)


# --- incentives ------------------------------------------------------------------------------------


def write_incentives(
    awards: Sequence[Award], rules: RuleSet, year: int, path: str | Path, lang: str = "zh",
    ledger: Ledger | None = None, run: Run | None = None, readings: Sequence[ReadingCost] = (),
) -> Path:  # fmt: skip
    """The awards, the rule set, the cost of each reading of places gained (with ``readings``,
    #13) and, with ``ledger``, the funds ledger and its findings."""
    top = t(
        f"{year} 年度激励资金 · 规则 {rules.id} {rules.version}",
        f"{year} incentives · rules {rules.id} {rules.version}",
        lang,
    ) + _mark(run, lang)
    wb = Workbook()
    _add(wb, t("激励资金", "Incentives", lang), top, awards_table(awards, lang), AWARD_FORMATS)
    rule_rows: list[list[Any]] = [[k, v] for k, v in _flat(rules.raw).items()]
    _add(
        wb,
        t("激励规则", "Rules", lang),
        top,
        Table(heads=[t("规则项", "Rule", lang), t("值", "Value", lang)], rows=rule_rows),
    )
    if readings:
        _add(
            wb,
            t("口径测算", "Readings", lang),
            top,
            readings_table(readings, lang, cells="numbers"),
        )
    if ledger is not None:
        lines, findings = ledger_tables(ledger, lang)
        _add(wb, t("资金台账", "Ledger", lang), top, lines)
        _add(wb, t("台账问题", "Ledger findings", lang), top, findings)
    return _save(wb, path)


def _flat(node: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(node, Mapping):
        for k, v in node.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            out.update(_flat(v, f"{prefix}[{k}]"))
    else:
        out[prefix] = "null" if node is None else node
    return out


def write_targets(
    path: str | Path, lang: str = "zh", province: tuple[ProvinceTargets, Sequence[ClassProgress]] | None = None,
    county: tuple[CountyPlan, Sequence[ItemStatus]] | None = None, synthetic: bool = False,
) -> Path:  # fmt: skip
    top = t("预期目标进展", "Progress against targets", lang) + (
        f" · {SYNTHETIC_NOTE}" if synthetic else ""
    )
    wb = Workbook()
    if province is not None:
        _add(
            wb, t("省级类别目标", "Province targets", lang), top, province_table(province[1], lang)
        )
    if county is not None:
        _add(
            wb,
            t("县级目标清单", "County targets", lang),
            f"{top} · {county[0].county}",
            county_table(*county, lang),
        )
    return _save(wb, path)


# --- diagnostics -----------------------------------------------------------------------------------


def write_diagnosis(d: Diagnosis, run: Run, path: str | Path, lang: str = "zh") -> Path:
    top = t(f"{d.name} {d.year} 年度诊断", f"{d.name} {d.year} diagnosis", lang) + _mark(run, lang)
    wb = Workbook()
    ind, steps = diagnosis_tables(d, lang)
    _add(wb, t("指标诊断", "Indicators", lang), top, ind)
    _add(wb, t("升类路径", "Path to next class", lang), top, steps)
    summary = peer_summary(run, d.peers_by)
    heads = [
        t("组别", "Group", lang),
        COUNTY_COUNT(lang),
        t("平均分", "Mean", lang),
        t("最高分县", "Best county", lang),
        t("最高分", "Best score", lang),
    ]
    heads += [str(c) for c in summary.columns[5:]]
    _add(
        wb,
        t("分组比较", "Peer groups", lang),
        top,
        Table(heads=heads, rows=summary.values.tolist()),
    )
    return _save(wb, path)


# --- helpers ---------------------------------------------------------------------------------------
