"""Command line (命令行): a thin layer over the library.

Each command parses its options, calls the library and prints the text it returns. A domain error
(:class:`~cimon.errors.CimonError`) prints its Chinese and English message on stderr — naming the
file and the place (key path, sheet!cell or line) — and exits with code 2, without a traceback. Any
other exception is a bug: a one-line message and exit code 1 (``--debug`` shows the traceback); the
mapping is :class:`cimon.cli_options.CimonGroup`.

This module defines the ``cimon`` group and the commands on one run (evaluate, framework, demo,
regions) and assembles the group: every other command is defined at module level in its own module
(``cli_yearly``, ``cli_intake``, ``cli_robustness``, ``cli_report``, ``cli_serve``, ``cli_ops``) and
added at the bottom of this file. Options and helpers the modules share are in
:mod:`cimon.cli_options`.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import yaml

from cimon import (
    cli_calls,
    cli_commissioners,
    cli_evaluations,
    cli_intake,
    cli_libraries,
    cli_matching,
    cli_national,
    cli_ops,
    cli_programmes,
    cli_registry,
    cli_report,
    cli_robustness,
    cli_serve,
    cli_yearly,
)
from cimon.cli_options import (
    DEMO,
    FRAMEWORK,
    HELP,
    LANGS,
    REGIONS,
    CimonGroup,
    choose_panel,
    output_lang,
    panel_from_database,
    parse_moment,
    registry_from,
    written,
)


def _parse_set(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        address, sep, raw = item.partition("=")
        if not sep or not address.strip():
            raise click.BadParameter(
                f"“{item}”应写成 地址=值，例如 normalise.I01.target=3 / "
                f"'{item}' must be ADDRESS=VALUE, e.g. normalise.I01.target=3",
                ctx=ctx,
                param=param,
            )
        try:
            out[address.strip()] = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            out[address.strip()] = raw
    return out


@click.group(
    cls=CimonGroup,
    help="县域科技创新监测评价系统 / County Innovation Monitor: score counties 0–100, class A/B/C.",
)
@click.option(
    "--lang",
    type=LANGS,
    default="zh",
    show_default=True,
    help="输出语言 / output language (error messages always show both)",
)
@click.option(
    "--debug", is_flag=True, help="出错时显示完整回溯 / show the full traceback on errors"
)
@click.version_option(package_name="cimon", help="显示版本并退出 / show the version and exit")
@click.help_option("--help", "-h", help="显示帮助并退出 / show this help and exit")
@click.pass_context
def main(ctx: click.Context, lang: str, debug: bool) -> None:
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang
    ctx.obj["debug"] = debug


# --- evaluate -------------------------------------------------------------------------------------


@click.command(
    "evaluate",
    help="按年度评价并导出 Excel 工作簿；不给 --data 时使用数据库中的数据，数据库无数据时使用内置"
    "模拟数据 / Evaluate one year from a data file, or from the database without --data (the "
    "bundled synthetic demo panel when it has no data), and write an Excel workbook.",
    short_help="评价一个年度 / evaluate one year",
)
@FRAMEWORK
@click.option(
    "--data",
    "-d",
    type=click.Path(dir_okay=False, path_type=Path),
    help="数据文件（.xlsx 或 .csv，长表或宽表；不给则读数据库，数据库无数据时用内置模拟数据）/ data "
    "file (.xlsx or .csv, long or wide; default: the database, or the bundled synthetic demo panel "
    "when it has no data)",
)
@DEMO
@click.option(
    "--as-of",
    "as_of",
    metavar="DATETIME",
    callback=parse_moment,
    help="读数据库时使用该时刻有效的数据（ISO 格式，默认现在）/ with the database: the values "
    "valid at this moment (ISO date-time, default now)",
)
@click.option(
    "--year",
    "-y",
    required=True,
    type=int,
    help="评价年度（使用上一年数据）/ evaluation year (uses the previous year's data)",
)
@REGIONS
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出工作簿（默认 results-<年度>.xlsx）/ output workbook (default results-<year>.xlsx)",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="ADDRESS=VALUE",
    callback=_parse_set,
    help="修改运行参数，可重复，如 normalise.I01.target=3 / override a log address, repeatable",
)
@HELP
@click.pass_context
def evaluate(
    ctx: click.Context,
    framework: str,
    data: Path | None,
    demo: bool,
    as_of: datetime | None,
    year: int,
    regions: Path | None,
    out: Path | None,
    overrides: dict[str, Any],
) -> None:
    from cimon.engine.pipeline import evaluate as run_evaluation
    from cimon.model.framework import load_framework
    from cimon.reports.excel import write_results
    from cimon.reports.text import run_summary

    lang = output_lang(ctx)
    fw = load_framework(framework)
    registry = registry_from(regions)
    if as_of is not None and (data is not None or demo):
        raise click.UsageError(
            "--as-of 只用于读数据库，不能与 --data 或 --demo 同用 / --as-of applies to "
            "the database; do not combine it with --data or --demo"
        )
    if as_of is not None:
        panel = panel_from_database(fw, as_of)  # a moment in the past: no demo fallback
        click.echo(f"数据来源 / data: {panel.source}", err=True)
    else:
        panel = choose_panel(fw, registry, data, demo)
    run = run_evaluation(fw, panel, year, registry, overrides=overrides or None)
    path = write_results(run, out or Path(f"results-{year}.xlsx"), lang)
    click.echo(run_summary(run, lang))
    written(path)


# --- framework ------------------------------------------------------------------------------------


@click.group(
    "framework",
    cls=CimonGroup,
    help="指标体系：列出、查看、校验 / Frameworks: list, show, validate.",
    short_help="指标体系 / frameworks",
)
@HELP
def framework() -> None:
    pass


@framework.command(
    "list",
    help="列出内置指标体系 / List the bundled frameworks.",
    short_help="列出内置指标体系 / list bundled frameworks",
)
@HELP
def framework_list() -> None:
    from cimon.model.framework import bundled_frameworks, load_framework

    for fw_id in bundled_frameworks():
        fw = load_framework(fw_id)
        click.echo(f"{fw_id}\t{fw.version}\t{fw.name_zh}")


@framework.command(
    "show",
    help="显示指标体系：一级指标、二级指标、分值、公式、方法、哈希 / Show a framework: pillars, "
    "indicators, points, formulas, methods, hash.",
    short_help="显示指标体系 / show a framework",
)
@click.argument("ref", metavar="ID|FILE")
@click.option(
    "--lang",
    type=LANGS,
    default=None,
    help="显示语言（默认沿用全局 --lang）/ display language (default: the global --lang)",
)
@HELP
@click.pass_context
def framework_show(ctx: click.Context, ref: str, lang: str | None) -> None:
    from cimon.engine.pipeline import build_log
    from cimon.model.framework import load_framework
    from cimon.reports.text import framework_text

    fw = load_framework(ref)
    click.echo(framework_text(fw, build_log(fw), output_lang(ctx, lang)))


@framework.command(
    "validate",
    help="校验指标体系文件（含方法名和参数）/ Validate a framework file, including method names "
    "and parameters.",
    short_help="校验指标体系 / validate a framework",
)
@click.argument("ref", metavar="FILE")
@HELP
@click.pass_context
def framework_validate(ctx: click.Context, ref: str) -> None:
    from cimon.engine.pipeline import build_log
    from cimon.model.framework import load_framework
    from cimon.reports.text import framework_ok

    fw = load_framework(ref)
    build_log(fw)  # checks every stage's method name and parameters
    click.echo(framework_ok(fw, output_lang(ctx)))


# --- demo -----------------------------------------------------------------------------------------


@click.command(
    "demo",
    help="运行内置演示：模拟数据，2020–2025 各评价年度 / Run the bundled demo on synthetic data, "
    "evaluation years 2020–2025.",
    short_help="运行演示 / run the demo",
)
@click.option(
    "--out",
    "-o",
    default="out/demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出目录 / output folder",
)
@FRAMEWORK
@HELP
@click.pass_context
def demo(ctx: click.Context, out: Path, framework: str) -> None:
    import os

    from cimon.reports.demo import DEMO_STEPS, run_demo
    from cimon.store.submissions.demo import database_step

    # the demo has a database of its own, made afresh in the output folder: it never writes
    # demo data into the database named by CIMON_DB or DATABASE_URL
    out.mkdir(parents=True, exist_ok=True)
    db = out / "cimon.sqlite3"
    db.unlink(missing_ok=True)
    os.environ["CIMON_DB"] = str(db)
    os.environ.pop("DATABASE_URL", None)
    report = run_demo(out, framework, lang=output_lang(ctx), steps=[*DEMO_STEPS, database_step])
    click.echo(report.render())


# --- regions --------------------------------------------------------------------------------------


_REGIONS_FILE = click.option(
    "--file",
    "registry_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="区划表 CSV（默认内置宁夏22县）/ region registry CSV (default: bundled Ningxia)",
)


@click.group(
    "regions",
    cls=CimonGroup,
    help="区划：查看区划表，匹配县名 / Regions: show the registry, match county names.",
    short_help="区划 / regions",
)
@HELP
def regions() -> None:
    pass


@regions.command(
    "show",
    help="显示区划表 / Show the region registry.",
    short_help="显示区划表 / show the registry",
)
@_REGIONS_FILE
@click.option(
    "--national",
    is_flag=True,
    help="全国县级区划（2844 个，民政部 2020 年代码）/ every county-level unit of China (2,844; "
    "民政部 codes of 2020)",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="写入 CSV（代码、名称、类型、设区市、省份、英文名）/ write a CSV (code, name, kind, city, "
    "province, name_en)",
)
@HELP
@click.pass_context
def regions_show(
    ctx: click.Context, registry_file: Path | None, national: bool, out: Path | None
) -> None:
    from cimon.reports.text import regions_text

    if national and registry_file:
        raise click.UsageError(
            "--national 与 --file 只能选一个 / use --national or --file, not both"
        )
    if national:
        from cimon.model.national import national_registry

        registry = national_registry()
    else:
        registry = registry_from(registry_file)
    if out is None:
        click.echo(regions_text(registry, output_lang(ctx)))
        return
    from cimon.model.national import registry_csv

    out.write_text(registry_csv(registry), encoding="utf-8")
    written(out)


@regions.command(
    "match",
    help="匹配县名（繁体、全角、空格、省市前缀、简称均可）/ Match county names (Traditional, "
    "full-width, spaces, province/city prefixes and short names are accepted).",
    short_help="匹配县名 / match county names",
)
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@_REGIONS_FILE
@HELP
@click.pass_context
def regions_match(ctx: click.Context, names: tuple[str, ...], registry_file: Path | None) -> None:
    from cimon.reports.text import match_rows, match_text

    registry = registry_from(registry_file)
    rows = match_rows(registry, names)
    click.echo(match_text(rows, output_lang(ctx)))
    for row in rows:
        if not row[2]:
            registry.match(row[0])  # raises RegionError with suggestions → exit 2


@regions.command(
    "villages",
    help="乡镇和村级单位（国家统计局 2023 年统计用区划代码，12 位）/ Towns and villages (NBS "
    "statistical division codes of 2023, 12 digits).",
    short_help="乡镇和村 / towns and villages",
)
@click.option("--province", help="省份名称或两位代码 / province name or two-digit code")
@click.option("--county", help="县名或六位代码，如 西吉县 / county name or six-digit code")
@click.option("--town", help="乡镇名称或九位代码 / town name or nine-digit code")
@click.option(
    "--check",
    is_flag=True,
    help="核对区划表的县级代码与统计用区划代码 / check the registry's county codes against the "
    "NBS list",
)
@_REGIONS_FILE
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="写入 .csv 或 .xlsx / write a .csv or .xlsx file",
)
@HELP
@click.pass_context
def regions_villages(
    ctx: click.Context,
    province: str | None,
    county: str | None,
    town: str | None,
    check: bool,
    registry_file: Path | None,
    out: Path | None,
) -> None:
    from cimon.registry import village_export, villages

    if check:
        frame = villages.check_counties(registry_from(registry_file))
        click.echo(frame.to_string(index=False))
        return
    if province is None and county is None and town is None:
        raise click.UsageError(
            "请给出 --province、--county 或 --town / give --province, --county or --town"
        )
    vs = villages.villages(province, county, town)
    ts = villages.towns(province, county)
    if town is not None:
        ts = ts[ts["code"].isin(vs["town_code"])]
    if out is None:
        click.echo(village_export.villages_text(ts, vs, output_lang(ctx)))
        return
    village_export.write_villages(vs, out)
    written(out)


# --- the group: every command, from the modules that define them -----------------------------------

for command in (
    evaluate,
    framework,
    demo,
    regions,
    # the yearly cycle
    cli_yearly.compare,
    cli_yearly.incentives,
    cli_yearly.targets,
    cli_yearly.diagnose,
    # data collection
    cli_intake.template,
    cli_intake.import_,
    cli_intake.data,
    # uncertainty and sensitivity; the annual report
    cli_robustness.robustness,
    cli_report.report,
    # the web platform
    cli_serve.serve,
    cli_serve.worker,
    cli_serve.manage,
    cli_serve.user,
    # operations
    cli_ops.backup,
    cli_ops.restore,
    cli_ops.doctor,
    # registries of enterprises and carriers
    cli_registry.registry,
    # matching needs and achievements
    cli_matching.match,
    cli_libraries.needs,
    cli_libraries.achievements,
    cli_libraries.contracts,
    # programmes from application to acceptance
    cli_programmes.programmes,
    # 揭榜挂帅 calls and the catalogue of 先进适用技术成果
    cli_calls.calls,
    # 科技特派员
    cli_commissioners.commissioners,
    # the national comparison of provinces (#20)
    cli_national.national,
    # evaluate and publish a year from the stored data (per hosted province, #20)
    cli_evaluations.evaluation,
):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
