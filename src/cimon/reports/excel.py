"""Excel export of one evaluation (评价结果工作簿).

:func:`write_results` writes a :class:`~cimon.engine.run.Run` to an ``.xlsx`` workbook an analyst can
open, sort and hand on:

========================  ===============================================================
sheet                     content
========================  ===============================================================
总分与排名 (Scores)        code, county, city, published score, class, rank, rank in city,
                          peer-group ranks, flags in words
一级指标得分 (Pillars)     points per pillar (一级指标)
二级指标得分 (Indicators)  points per indicator (二级指标)
指标原始值 (Values)        derived indicator values, with units in the headers
标记 (Flags)               one row per flagged cell, with an explanation of each flag
运行参数 (Run)             framework id/version/hash, data hash, years, cimon version, the log
========================  ===============================================================

Layout: row 1 of every sheet is a caption (evaluation year, data year, framework; marked
“模拟数据（synthetic）” when the data are synthetic), row 2 holds the headers, data start on row 3.
Rows 1–2 are frozen. Read a sheet back with pandas as
``pd.read_excel(path, sheet_name="总分与排名", header=1, dtype={"区划代码": str})``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cimon.engine.flags import explain_flag as explain_flag  # re-exported
from cimon.engine.flags import flags_in_words as flags_in_words  # re-exported
from cimon.engine.run import Run
from cimon.errors import CimonError
from cimon.reports.table import Table
from cimon.safe import put, save
from cimon.tables.render import xlsx_table
from cimon.tables.spec import Column
from cimon.tables.specs import RESULTS
from cimon.vocab import CITY, CLASS, COUNTY, RANK_CITY, Term, number, t
from cimon.vocab import SYNTHETIC_MARK as SYNTHETIC_MARK  # re-exported
from cimon.vocab import SYNTHETIC_NOTE as SYNTHETIC_NOTE  # re-exported

#: mild fills for the class cell: A green, B amber, C grey (Excel's own "good/neutral" palette)
CLASS_FILLS = {
    "A": PatternFill("solid", fgColor="C6EFCE"),
    "B": PatternFill("solid", fgColor="FFEB9C"),
    "C": PatternFill("solid", fgColor="E7E6E6"),
}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SCORE_FORMAT = "0.00"
VALUE_FORMAT = "#,##0.00"

SHEETS: dict[str, Term] = {
    "results": Term("总分与排名", "Scores and ranks"),
    "pillars": Term("一级指标得分", "Pillar scores"),
    "points": Term("二级指标得分", "Indicator points"),
    "values": Term("指标原始值", "Indicator values"),
    "flags": Term("标记", "Flags"),
    "run": Term("运行参数", "Run parameters"),
}

_HEAD: dict[str, Term] = {
    "code": Term("区划代码", "Region code"),
    "name": COUNTY,
    "city": CITY,
    "score": Term("总得分", "Total score"),
    "class": CLASS,
    "rank": Term("总排名", "Rank"),
    "rank_city": RANK_CITY,
    "flags": Term("数据标记", "Flags"),
    "indicator": Term("指标代码", "Indicator"),
    "indicator_name": Term("指标名称", "Indicator name"),
    "flag": Term("标记", "Flag"),
    "explain": Term("说明", "Explanation"),
    "item": Term("项目", "Item"),
    "value": Term("值", "Value"),
}


def is_synthetic(run: Run) -> bool:
    """True when the panel is marked as synthetic (“模拟数据”) in its name or any row's source."""
    if SYNTHETIC_MARK in str(run.inputs.source):
        return True
    sources = run.inputs.frame.get("source")
    return bool(sources is not None and sources.astype(str).str.contains(SYNTHETIC_MARK).any())


def caption(run: Run, lang: str = "zh") -> str:
    """The caption line on top of every sheet."""
    fw = run.framework
    if lang == "en":
        text = (
            f"{run.year} evaluation (data year {run.data_year}) · framework {fw.id} "
            f"version {fw.version}"
        )
    else:
        text = (
            f"{run.year} 年度评价（数据年度 {run.data_year}）· 指标体系 {fw.id} 版本 {fw.version}"
        )
    if is_synthetic(run):
        text += f" · {SYNTHETIC_NOTE}"
    return text


def write_results(run: Run, path: str | Path, lang: str = "zh") -> Path:
    """Write one evaluation to an Excel workbook (sheets described in the module docstring).

    Parameters
    ----------
    run:
        the evaluation.
    path:
        the ``.xlsx`` file to write; its folder is created if needed.
    lang:
        ``"zh"`` (default) for Chinese sheet names and headers, ``"en"`` for English. Region names
        stay in Chinese either way.

    Returns
    -------
    Path
        the path written.

    Raises
    ------
    CimonError
        when the file cannot be written (open in Excel, no permission, a file where a folder
        should be), naming the path.
    """
    path = Path(path)
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    top = caption(run, lang)
    _table_sheet(wb, SHEETS["results"](lang), top, _results_table(run, lang))
    _table_sheet(wb, SHEETS["pillars"](lang), top, _pillar_table(run, lang))
    _table_sheet(
        wb,
        SHEETS["points"](lang),
        top,
        _indicator_table(run, lang, "points", "points", SCORE_FORMAT),
    )
    _table_sheet(
        wb,
        SHEETS["values"](lang),
        top,
        _indicator_table(run, lang, "derived", "values", VALUE_FORMAT),
    )
    _table_sheet(wb, SHEETS["flags"](lang), top, _flags_table(run, lang))
    _table_sheet(wb, SHEETS["run"](lang), top, _run_table(run, lang))
    wb.properties.title = top
    wb.properties.creator = f"cimon {run.cimon_version}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save(wb, path)
    except OSError as exc:
        raise CimonError(
            f"无法写入文件：{exc.strerror or exc}。如果该文件已在 Excel 中打开，请先关闭；"
            "或换一个保存路径。",
            f"Cannot write the file: {exc.strerror or exc}. Close it if it is open in Excel, "
            "or choose another path.",
            str(path),
        ) from None
    return path


# --- tables: headers, rows and column formats ------------------------------------------------------


def _id_columns(run: Run, lang: str) -> tuple[list[str], list[list[Any]]]:
    res = run.results
    heads = [_HEAD[k](lang) for k in ("code", "name", "city")]
    rows = [[str(code), res.at[code, "name"], res.at[code, "city"]] for code in res.index]
    return heads, rows


def result_items(run: Run) -> list[dict[str, Any]]:
    """The rows of ``run.results`` as items of :data:`cimon.tables.specs.RESULTS` (with
    ``code``)."""
    res = run.results
    return [
        {**{str(k): v for k, v in row.items()}, "code": str(code)}
        for code, row in zip(res.index, res.to_dict("records"), strict=True)
    ]


def _results_table(run: Run, lang: str) -> Table:
    """:data:`cimon.tables.specs.RESULTS` with a rank within each peer group after the rank in
    the city."""
    tag_cols = [str(c) for c in run.results.columns if str(c).startswith("rank_tag:")]
    spec = RESULTS.shown_in("xlsx").pick(
        "code", "name", "city", "score", "class", "rank", "rank_city", "flags_text"
    )
    tags = [Column(c, Term(f"{c[9:]}内排名", f"Rank among {c[9:]}"), "rank") for c in tag_cols]
    heads, rows, formats = xlsx_table(spec.insert("rank_city", *tags), result_items(run), lang)
    return Table(heads=heads, rows=rows, formats=formats)


def _pillar_table(run: Run, lang: str) -> Table:
    heads, rows = _id_columns(run, lang)
    pillars = run.data["pillars"]
    unit = "pts" if lang == "en" else "分"
    for p in run.framework.pillars:
        name = t(p.name_zh, p.name_en, lang)
        heads.append(
            f"{name}（{p.points:g}{unit}）" if lang != "en" else f"{name} ({p.points:g} {unit})"
        )
    heads.append(_HEAD["score"](lang))
    for row, code in zip(rows, run.results.index, strict=True):
        row += [number(pillars.at[code, p.code]) for p in run.framework.pillars]
        row.append(number(run.results.at[code, "score_published"]))
    return Table(heads=heads, rows=rows, formats=dict.fromkeys(range(3, len(heads)), SCORE_FORMAT))


def _indicator_heads(run: Run, lang: str, what: str) -> list[str]:
    out = []
    for ind in run.framework.indicators:
        name = t(ind.name_zh, ind.name_en, lang)
        if what == "points":
            extra = f"{ind.points:g} pts" if lang == "en" else f"{ind.points:g}分"
        else:
            extra = ind.unit or ("-" if lang == "en" else "无单位")
        out.append(
            f"{ind.code} {name} ({extra})" if lang == "en" else f"{ind.code} {name}（{extra}）"
        )
    return out


def _indicator_table(run: Run, lang: str, stage: str, kind: str, fmt: str) -> Table:
    """Regions × indicators from one stage of the run (``points`` earned or ``derived`` values)."""
    heads, rows = _id_columns(run, lang)
    heads += _indicator_heads(run, lang, kind)
    frame = run.data[stage]
    for row, code in zip(rows, run.results.index, strict=True):
        row += [number(frame.at[code, c]) for c in run.framework.indicator_codes]
    return Table(heads=heads, rows=rows, formats=dict.fromkeys(range(3, len(heads)), fmt))


def _flags_table(run: Run, lang: str) -> Table:
    heads, _ = _id_columns(run, lang)
    heads += [_HEAD[k](lang) for k in ("indicator", "indicator_name", "flag", "explain")]
    res = run.results
    rows: list[list[Any]] = []
    for code in run.flags.index:
        for ind_code in run.flags.columns:
            cell = str(run.flags.at[code, ind_code])
            ind = run.framework.indicator(str(ind_code))
            for flag in (f for f in cell.split(";") if f):
                rows.append(
                    [
                        str(code),
                        res.at[code, "name"],
                        res.at[code, "city"],
                        str(ind_code),
                        t(ind.name_zh, ind.name_en, lang),
                        flag,
                        explain_flag(flag, lang),
                    ]
                )
    return Table(heads=heads, rows=rows)


def _run_table(run: Run, lang: str) -> Table:
    fw = run.framework
    items: list[tuple[Term, Any]] = []
    if is_synthetic(run):
        items.append((Term("数据说明", "Data note"), SYNTHETIC_NOTE))
    items += [
        (Term("评价年度", "Evaluation year"), run.year),
        (Term("数据年度", "Data year"), run.data_year),
        (Term("指标体系", "Framework"), fw.id),
        (Term("指标体系名称", "Framework name"), t(fw.name_zh, fw.name_en, lang)),
        (Term("指标体系版本", "Framework version"), fw.version),
        (Term("指标体系哈希", "Framework hash"), run.framework_hash),
        (Term("数据哈希", "Data hash"), run.data_hash),
        (Term("数据来源", "Data source"), str(run.inputs.source)),
        (Term("县（市、区）数", "Counties"), len(run.regions)),
        (Term("cimon 版本", "cimon version"), run.cimon_version),
    ]
    heads = [_HEAD["item"](lang), _HEAD["value"](lang)]
    rows: list[list[Any]] = [[k(lang), v] for k, v in items]
    rows += [[address, value] for address, value in flatten_log(run.log).items()]
    return Table(heads=heads, rows=rows)


def flatten_log(log: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The run log as ``address → value`` (``normalise.I01.target → 2.5``); lists become JSON."""
    out: dict[str, Any] = {}
    for key, value in log.items():
        address = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            out.update(flatten_log(value, address))
        elif isinstance(value, list | tuple | Mapping):
            out[address] = json.dumps(value, ensure_ascii=False)
        elif value is None:
            out[address] = "null"
        else:
            out[address] = value
    return out


# --- writing --------------------------------------------------------------------------------------


def _sheet(
    wb: Workbook,
    title: str,
    top: str,
    heads: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Mapping[int, str],
) -> Worksheet:
    ws = wb.create_sheet(title)
    put(ws, 1, 1, top).font = Font(bold=True, color="C00000" if SYNTHETIC_NOTE in top else "000000")
    for j, head in enumerate(heads, start=1):
        cell = put(ws, 2, j, head)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    class_col = list(heads).index(CLASS.zh) if CLASS.zh in heads else None
    if class_col is None and CLASS.en in heads:
        class_col = list(heads).index(CLASS.en)
    for i, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            cell = put(ws, i, j + 1, value)
            if j in formats and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = formats[j]
            if j == class_col and value in CLASS_FILLS:
                cell.fill = CLASS_FILLS[value]
                cell.alignment = Alignment(horizontal="center")
    ws.freeze_panes = "A3"
    for j, head in enumerate(heads, start=1):
        width = max([_width(head) // 2 + 2] + [_width(str(r[j - 1])) + 2 for r in rows[:200]])
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 48)
    ws.row_dimensions[2].height = 45 if max((_width(h) for h in heads), default=0) > 20 else 18
    return ws


def _table_sheet(wb: Workbook, title: str, top: str, table: Table) -> Worksheet:
    return _sheet(wb, title, top, table.heads, table.rows, table.formats)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
