"""``cimon report``: the annual evaluation report (年度评估报告) in Word, HTML, PDF and Excel (issue #6).

Thin: parses options, calls :func:`cimon.reports.annual.write_report` with a progress bar and prints
the files written. Without ``--data`` it reads the database, or the bundled synthetic demo panel
(模拟数据) when the database has no data or with ``--demo``, like the yearly-cycle commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from cimon.cli_options import (
    CODE_MAP,
    HELP,
    LANGS,
    code_map_from,
    data_options,
    load,
    output_lang,
)

_FORMATS = "docx,html,pdf"


@click.command(
    "report",
    help="年度评估报告：总体情况、各设区市、跃升与激励、各县情况（雷达图、升类路径、稳健性）、附录；"
    "输出 Word、HTML、PDF 和 Excel / The annual evaluation report: overview, cities, jumps and "
    "incentives, one profile per county (radar, path to the next class, robustness), appendix; "
    "as Word, HTML, PDF and Excel.",
    short_help="年度评估报告 / the annual report",
)
@click.option(
    "--year",
    "-y",
    type=int,
    help="评价年度（默认数据中最近一年）/ evaluation year (default: the latest the data allow)",
)
@click.option(
    "--format",
    "formats",
    default=_FORMATS,
    show_default=True,
    metavar="LIST",
    help="输出格式，逗号分隔：docx、html、pdf、xlsx / output formats, comma-separated: docx, html, pdf, xlsx",
)
@click.option(
    "--lang",
    type=LANGS,
    default=None,
    help="报告语言（默认沿用全局 --lang）/ report language (default: the global --lang)",
)
@click.option(
    "--out",
    "-o",
    default="report",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出目录 / output folder",
)
@data_options
@click.option(
    "--rules",
    "-r",
    default="nx-2021",
    show_default=True,
    metavar="ID|FILE",
    help="激励规则集（内置编号或 YAML 文件）/ incentive rule set: bundled id or YAML file",
)
@click.option(
    "--province",
    "-p",
    default="nx-2025",
    show_default=True,
    metavar="ID|FILE",
    help="省级类别数量目标（内置编号或 YAML）/ province class-count targets: bundled id or YAML",
)
@click.option(
    "--robustness",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.json",
    help="稳健性分析结果（cimon robustness 生成的 JSON）/ robustness result (JSON written by cimon robustness)",
)
@click.option(
    "--boundaries",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.geojson",
    help="县级边界（GeoJSON，按区划代码；不给则画方格示意图）/ county boundaries (GeoJSON keyed by county code; default: a tile grid)",
)
@CODE_MAP
@click.option(
    "--issuer",
    metavar="TEXT",
    help="发布单位（默认：<省>实施创新驱动战略领导小组办公室）/ issuing office (default: the province's innovation-strategy leading group office)",
)
@click.option(
    "--issue-date",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="印发日期，印在封面（默认不印）/ issue date printed on the cover (default: none)",
)
@click.option(
    "--doc-number",
    metavar="TEXT",
    help="文号，如 宁科发〔2026〕12号，印在封面（默认不印）/ document number printed on the cover, e.g. 宁科发〔2026〕12号 (default: none)",
)
@HELP
@click.pass_context
def report(
    ctx: click.Context, year: int | None, formats: str, lang: str | None, out: Path,
    framework: str, data: Path | None, demo: bool, regions: Path | None, rules: str, province: str,
    robustness: Path | None, boundaries: Path | None, code_map: Path | None, issuer: str | None,
    issue_date: datetime | None, doc_number: str | None,
) -> None:  # fmt: skip
    from cimon.reports.annual.build import parse_formats, step_count, write_report
    from cimon.reports.excel import is_synthetic
    from cimon.reports.text import SYNTHETIC_LABEL

    language = output_lang(ctx, lang)
    fmts = parse_formats(formats)
    rob = None
    if robustness is not None:
        from cimon.analysis.uncertainty import load_json  # lazily: a separate module

        rob = load_json(robustness)
    # every year the data allow: the report shows the class counts over the years
    _, _, runs = load(framework, data, regions, None, demo)
    if year is None:
        year = max(runs)
    if year in runs and is_synthetic(runs[year]):
        click.echo(f"[{SYNTHETIC_LABEL}]", err=True)
    total = step_count(runs, year, fmts)
    with click.progressbar(
        length=total,
        label="生成报告 / writing the report" if language != "en" else "Writing the report",
        file=sys.stderr,
        show_pos=True,
    ) as bar:
        tick: Callable[[str], Any] = lambda _label: bar.update(1)  # noqa: E731
        done = write_report(
            runs, year, out, fmts, language, rules=rules, targets=province, robustness=rob,
            boundaries=boundaries, code_map=code_map_from(code_map), issuer=issuer, progress=tick,
            robustness_source=str(robustness) if robustness else "robustness",
            issue_date=issue_date.date() if issue_date else None, doc_number=doc_number,
        )  # fmt: skip
    c = done.content
    counts = "/".join(str(c.class_counts[k]) for k in c.labels)
    click.echo(
        f"{year} 年度评估报告：{len(c.counties)} 个县（市、区），{'/'.join(c.labels)} 类 {counts} 个"
        if language != "en"
        else f"{year} annual report: {len(c.counties)} counties, classes {'/'.join(c.labels)}: {counts}"
    )
    click.echo("已写入 / written:")
    for path in done.files.values():
        click.echo(f"  {path}")
