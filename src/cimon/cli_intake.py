"""Commands of data collection: template, import, data status/history/export (issue #3).

Thin: each command parses options, calls one library function and prints; domain errors
(:class:`cimon.errors.CimonError`) are turned into a clean message and exit code 2 by the main group.
The database (``CIMON_DB``, default ``./cimon.sqlite3``, or ``DATABASE_URL``) is set up and
migrated on first use by :func:`cimon.store.setup.ensure_django`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from cimon.cli_options import (
    AS_OF,
    FRAMEWORK,
    HELP,
    REGIONS,
    CimonGroup,
    login_name,
    output_lang,
    registry_from,
)

if TYPE_CHECKING:
    from cimon.model.framework import Framework
    from cimon.model.regions import RegionRegistry

EXIT_BLOCKED = 2


def _setup(framework: str, regions: Path | None) -> tuple[Framework, RegionRegistry]:
    from cimon.model.framework import load_framework
    from cimon.store.setup import ensure_django

    fw = load_framework(framework)
    registry = registry_from(regions)
    ensure_django()
    return fw, registry


def _read_mapping(
    ctx: click.Context, param: click.Parameter, value: Path | None
) -> dict[str, str] | None:
    """``--mapping``: a YAML or JSON file mapping the file's columns to region/year/variables."""
    if value is None:
        return None
    import yaml

    try:
        text = value.read_text(encoding="utf-8-sig")
        data = json.loads(text) if value.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise click.BadParameter(
            f"无法读取列映射文件：{exc} / cannot read the mapping file: {exc}", ctx=ctx, param=param
        ) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise click.BadParameter(
            "列映射应为“文件列名: region / year / 变量代码”的键值表 / the mapping must map "
            "file columns to region, year or variable codes",
            ctx=ctx,
            param=param,
        )
    return {k: str(v) for k, v in data.items()}


@click.command(
    "template",
    help="生成报送模板（部门表、县自评表、专家评分表或综合表）/ Write a submission template "
    "(department, county self-assessment, expert scoring or combined workbook).",
    short_help="生成报送模板 / write a template",
)
@FRAMEWORK
@click.option("--year", "-y", required=True, type=int, help="评价年度 / evaluation year")
@click.option(
    "--kind",
    type=click.Choice(["department", "county", "combined", "expert"]),
    default=None,
    help="模板类型（默认：有 --department 为部门表，有 --region 为县表）/ template kind "
    "(default: department with --department, county with --region)",
)
@click.option("--department", help="报送部门，如 统计局 / supplying department, e.g. 统计局")
@click.option("--region", help="县（市、区）名称或代码 / county name or code")
@click.option("--expert", help="专家姓名（专家评分表）/ expert's name (scoring sheet)")
@REGIONS
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="输出工作簿 / output workbook",
)
@HELP
@click.pass_context
def template(
    ctx: click.Context,
    framework: str,
    year: int,
    kind: str | None,
    department: str | None,
    region: str | None,
    expert: str | None,
    regions: Path | None,
    out: Path,
) -> None:
    from cimon.intake.template import default_kind, write_template
    from cimon.model.framework import load_framework

    fw = load_framework(framework)
    registry = registry_from(regions)
    path = write_template(
        fw,
        registry,
        year,
        out,
        department=department,
        region=region,
        kind=kind or default_kind(department, region, expert),
        expert=expert,
        lang=output_lang(ctx),  # definitions and scoring points: English with `cimon --lang en`
    )
    click.echo(f"已写入 / written: {path}")


@click.command(
    "import",
    help="导入报送文件：校验后整体入库（全部或全不）；有错误或未确认的警告时不入库，退出码 2 / "
    "Import a submitted file: validated, then stored all or nothing; errors or "
    "unacknowledged warnings block it (exit code 2).",
    short_help="导入报送文件 / import a submission",
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--year",
    "-y",
    type=int,
    help="评价年度（默认取模板中的年度）/ evaluation year (default: the template's)",
)
@click.option(
    "--accept-warnings",
    is_flag=True,
    help="确认警告后仍导入（须同时用 --reason 说明核实情况）/ import even though there are "
    "warnings (acknowledged; needs --reason)",
)
@click.option(
    "--reason",
    default="",
    metavar="TEXT",
    help="确认警告的理由，与本次提交一同保存，如“已与统计局核实”/ why the warnings are "
    "acknowledged, stored with the submission, e.g. 'checked with the statistics bureau'",
)
@FRAMEWORK
@REGIONS
@click.option(
    "--user",
    default=None,
    help="导入人：平台上已有的有效账号，记入审计日志（默认记为本机登录名）/ who imports: "
    "an existing active account, written to the audit log (default: the login name of "
    "this machine, marked as such)",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    callback=_read_mapping,
    help="自由格式文件的列映射（YAML 或 JSON）/ column mapping of a free-form file (YAML or JSON)",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="把校验报告另存为 Excel / also write the validation report to an Excel file",
)
@HELP
@click.pass_context
def import_(
    ctx: click.Context,
    file: Path,
    year: int | None,
    accept_warnings: bool,
    reason: str,
    framework: str,
    regions: Path | None,
    user: str | None,
    mapping: dict[str, str] | None,
    report_path: Path | None,
) -> None:
    if accept_warnings and not reason.strip():
        raise click.UsageError(
            "--accept-warnings 须同时用 --reason 说明核实情况（网页上传同样要求填写理由），"
            "例如 --reason “已与统计局核实” / --accept-warnings needs --reason saying what was "
            "checked (the web form asks for a reason too), e.g. --reason 'checked with the "
            "statistics bureau'"
        )
    fw, registry = _setup(framework, regions)
    from cimon.store.accounts.services import active_account
    from cimon.store.submissions.services import import_file

    lang = output_lang(ctx)
    # --user names an account (checked); without it the machine's login name is recorded
    # with "os:" in front, so that the audit log never shows it as a platform account
    account = active_account(user) if user is not None else None
    result = import_file(
        file,
        framework=fw,
        registry=registry,
        year=year,
        user=account.get_username() if account is not None else f"os:{login_name()}",
        user_account=account,
        accept_warnings=accept_warnings,
        mapping=mapping,
        note=reason.strip(),
    )
    click.echo(result.report.render(lang, limit=200))
    if report_path is not None:
        from cimon.intake.report import write_report_xlsx

        write_report_xlsx(result.report, report_path, lang)
        click.echo(f"校验报告 / report: {report_path}")
    click.echo(result.render(lang))
    if result.blocked:
        ctx.exit(EXIT_BLOCKED)


@click.group(
    "data",
    cls=CimonGroup,
    help="数据库中的报送数据：报送情况、修改历史、导出 / Stored data: submission status, "
    "history of a value, export to templates.",
    short_help="报送数据 / stored data",
)
@HELP
def data() -> None:
    pass


@data.command(
    "status",
    help="哪些部门、县尚未报送，缺哪些数据 / Which departments and counties have not "
    "submitted, and what is missing.",
    short_help="报送情况 / submission status",
)
@click.option("--year", "-y", required=True, type=int, help="评价年度 / evaluation year")
@FRAMEWORK
@REGIONS
@AS_OF
@click.option(
    "--all-attempts",
    is_flag=True,
    help="列出全部未通过的提交（默认每个部门只列最近 3 次）/ list every refused attempt "
    "(default: the latest 3 per department)",
)
@HELP
@click.pass_context
def data_status(
    ctx: click.Context,
    year: int,
    framework: str,
    regions: Path | None,
    as_of: datetime | None,
    all_attempts: bool,
) -> None:
    fw, registry = _setup(framework, regions)
    from cimon.store.submissions.queries import status

    report = status(year, fw, registry, as_of)
    click.echo(report.render(output_lang(ctx), all_attempts=all_attempts))


@data.command(
    "history",
    help="一个县一个变量的全部版本：数值、报送人、文件、何时被替代 / Every version of one "
    "county's variable: value, who, which file, when it changed.",
    short_help="数据修改历史 / history of a value",
)
@click.option("--region", required=True, help="县（市、区）名称或代码 / county name or code")
@click.option("--variable", required=True, help="变量代码，如 rd_exp / variable code, e.g. rd_exp")
@click.option("--year", "-y", type=int, help="数据年度（默认全部）/ data year (default: all)")
@FRAMEWORK
@REGIONS
@HELP
@click.pass_context
def data_history(
    ctx: click.Context,
    region: str,
    variable: str,
    year: int | None,
    framework: str,
    regions: Path | None,
) -> None:
    fw, registry = _setup(framework, regions)
    from cimon.store.submissions.queries import history, history_text

    if variable not in {v.code for v in fw.variables}:
        _unknown_variable(fw, variable)
    found = registry.match(region)
    rows = history(found.code, variable, year)
    click.echo(history_text(rows, output_lang(ctx), name=found.name))


@data.command(
    "export",
    help="把数据库中的数据导出为预填的报送模板（导出再导入不丢失任何数据）/ Export stored "
    "values as prefilled templates (export then import loses nothing).",
    short_help="导出为模板 / export to templates",
)
@click.option("--year", "-y", required=True, type=int, help="评价年度 / evaluation year")
@click.option(
    "--department",
    help="只导出该部门（县：专家评分表）/ only this department (县: the expert sheets)",
)
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出目录 / output folder",
)
@FRAMEWORK
@REGIONS
@AS_OF
@HELP
def data_export(
    year: int,
    department: str | None,
    out: Path,
    framework: str,
    regions: Path | None,
    as_of: datetime | None,
) -> None:
    fw, registry = _setup(framework, regions)
    from cimon.store.submissions.services import export

    paths = export(year, fw, registry, out, department=department, moment=as_of)
    click.echo("已写入 / written:")
    for p in paths:
        click.echo(f"  {p}")


def _unknown_variable(fw: Framework, variable: str) -> NoReturn:
    from cimon.store.submissions.services import StorageError

    known = ", ".join(v.code for v in fw.variables)
    raise StorageError(
        f"指标体系 {fw.id} 中没有变量“{variable}”。可用的变量代码：{known}。",
        f"Framework {fw.id} has no variable '{variable}'. Variable codes: {known}.",
    )
