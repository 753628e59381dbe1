"""``cimon commissioners``: the 科技特派员 on the database (issue #17) — import a 名单 or a
service log (all or nothing; errors by cell, exit code 2; the attempt is kept either way), list
the commissioners, compute and export the annual assessment, print the village coverage per
county, and the alerts.

Thin: :mod:`cimon.store.commissioners.imports` imports, :mod:`.assessing` assesses and exports,
:mod:`.monitor` counts. ``coverage`` works on the demo (模拟数据, rolled back, nothing kept) when
the database holds no service record, and says so on stderr. The database is the platform's
(``CIMON_DB`` / ``DATABASE_URL``, as every command).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from cimon.cli_options import EXIT_DOMAIN, HELP, CimonGroup, login_name, output_lang, written

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUT_XLSX = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="写入 Excel 文件（.xlsx）/ write an Excel file (.xlsx)",
)
COUNTY = click.option(
    "--county",
    "counties",
    multiple=True,
    help="只限这些县（区划代码，可重复）/ only these counties (GB/T 2260 codes, repeatable)",
)
USER = click.option(
    "--user", default=None, help="操作人（平台账号）/ who acts (a platform account)"
)


def _django() -> None:
    from cimon.store.setup import ensure_django

    ensure_django()


def _actor(user: str | None) -> Any:
    from cimon.store.accounts.services import active_account

    account = active_account(user) if user is not None else None
    return account if account is not None else f"os:{login_name()}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], out: Path | None) -> None:
    if out is not None:
        from cimon.store.libraries.listing import xlsx_bytes

        out.write_bytes(xlsx_bytes("科技特派员", headers, rows))
        written(out)
        return
    click.echo("\t".join(headers))
    for r in rows:
        click.echo("\t".join("" if v is None else str(v) for v in r))


@click.group(
    cls=CimonGroup,
    help="科技特派员：导入名单和服务记录、列表、年度考核、村覆盖率、预警 / Science and technology "
    "commissioners: import lists and service logs, list, assess, village coverage, alerts.",
    short_help="科技特派员 / commissioners",
)
@HELP
def commissioners() -> None:
    pass


@commissioners.command(
    "import",
    short_help="导入名单或服务记录 / import a list or a service log",
    help="导入科技特派员名单（--kind roster）或服务记录（--kind services；列：姓名、日期、服务村、"
    "服务类型、服务人数、内容），全部导入或全部不导入 / Import a list of commissioners or a "
    "service log, all or nothing.",
)
@click.argument("file", type=FILE)
@click.option("--kind", type=click.Choice(["roster", "services"]), default="roster",
              show_default=True, help="名单或服务记录 / a list or a service log")  # fmt: skip
@click.option("--year", type=int, default=None,
              help="服务日期须在此年度 / every service date in this year")  # fmt: skip
@USER
@HELP
@click.pass_context
def commissioners_import(
    ctx: click.Context, file: Path, kind: str, year: int | None, user: str | None
) -> None:
    _django()
    from cimon.store.commissioners.imports import import_commissioners
    from cimon.store.platform import platform_registry

    lang = output_lang(ctx)
    attempt, read = import_commissioners(
        kind, file.read_bytes(), file.name, _actor(user), regions=platform_registry(), year=year
    )
    for issue in read.report:
        click.echo(issue.render(lang), err=True)
    if read.report.error_count:
        click.echo(
            f"rejected: nothing imported (attempt #{attempt.pk} kept)"
            if lang == "en"
            else f"已拒绝：未导入任何记录（导入记录 #{attempt.pk} 已保存）",
            err=True,
        )
        ctx.exit(EXIT_DOMAIN)
    n = len(attempt.created)
    click.echo(f"import #{attempt.pk}: {n} records written" if lang == "en"
               else f"导入 #{attempt.pk}：写入 {n} 条记录")  # fmt: skip


@commissioners.command(
    "list",
    short_help="列出特派员 / list the commissioners",
    help="列出科技特派员：编号、姓名、单位、状态、服务县、本年服务记录数 / List the commissioners.",
)
@COUNTY
@click.option(
    "--year", type=int, default=None, help="服务记录的年度（默认今年）/ the records' year"
)
@OUT_XLSX
@HELP
def commissioners_list(counties: tuple[str, ...], year: int | None, out: Path | None) -> None:
    _django()
    from cimon.store.commissioners.assessing import commissioner_rows

    headers, rows = commissioner_rows(year or dt.date.today().year, list(counties) or None)
    _table(headers, rows, out)


@commissioners.command(
    "assess",
    short_help="年度考核 / the annual assessment",
    help="按考核规则由服务记录计算年度考核并保存（已初评的不改），可导出 Excel（全部结果及优秀名单）"
    "或 Word（优秀名单公示）/ Compute and store the annual assessment from the records; export "
    "the stored result (.xlsx: everyone and the 优秀 list; .docx: the 优秀 list).",
)
@click.option("--year", type=int, required=True, help="考核年度 / the year")
@click.option("--rules", type=FILE, default=None,
              help="考核规则 YAML（默认内置规则）/ a rule set (default: the bundled one)")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="导出 .xlsx 或 .docx / export .xlsx or .docx")  # fmt: skip
@USER
@HELP
@click.pass_context
def commissioners_assess(
    ctx: click.Context, year: int, rules: Path | None, out: Path | None, user: str | None
) -> None:
    _django()
    from cimon.store.commissioners.assessing import compute_assessments, export_assessment

    if out is not None and out.suffix.lower() not in (".xlsx", ".docx"):
        raise click.BadParameter("应为 .xlsx 或 .docx / must be .xlsx or .docx", param_hint="--out")
    lang = output_lang(ctx)
    scored, stored, frozen = compute_assessments(year, _actor(user), rules)
    counts = scored["grade"].value_counts().to_dict() if len(scored) else {}
    grades = "，".join(f"{g} {counts.get(g, 0)}" for g in ("优秀", "良好", "合格", "不合格"))
    if lang == "en":
        click.echo(f"{year}: {len(scored)} assessed ({grades}); {stored} stored, "
                   f"{len(frozen)} already reviewed left as they were")  # fmt: skip
    else:
        click.echo(f"{year} 年：考核 {len(scored)} 人（{grades}）；保存 {stored} 条，"
                   f"已初评的 {len(frozen)} 条未改")  # fmt: skip
    if out is not None:
        from cimon.store.platform import platform_registry

        names = {r.code: r.name for r in platform_registry()}
        out.write_bytes(export_assessment(year, out.suffix.lower()[1:], county_names=names))
        written(out)


@commissioners.command(
    "coverage",
    short_help="村覆盖率 / village coverage",
    help="各县有服务记录的行政村数 / 全部行政村数（村级代码取自统计用区划代码）；数据库中没有服务"
    "记录时用模拟数据 / Per county: villages with a service record / all villages (the NBS "
    "village registry); on the demo when the database holds no service record.",
)
@click.option("--year", type=int, required=True, help="年度 / the year")
@COUNTY
@click.option("--all-villages", is_flag=True,
              help="含居委会（默认只计村委会）/ count residents' committees too")  # fmt: skip
@OUT_XLSX
@HELP
@click.pass_context
def commissioners_coverage(
    ctx: click.Context, year: int, counties: tuple[str, ...], all_villages: bool, out: Path | None
) -> None:
    _django()
    from cimon.store.commissioners.demo import DEMO_YEAR, demo_coverage
    from cimon.store.commissioners.monitor import registry_coverage
    from cimon.store.commissioners.records import ServiceRecord
    from cimon.store.platform import platform_registry

    lang = output_lang(ctx)
    wanted = list(counties) or None
    if ServiceRecord.objects.exists():
        cov = registry_coverage(year, wanted, all_kinds=all_villages)
    else:
        click.echo(
            f"the database holds no service record: the demo (synthetic, {DEMO_YEAR}) is shown"
            if lang == "en"
            else f"数据库中没有服务记录：显示模拟数据（{DEMO_YEAR} 年）",
            err=True,
        )
        cov = demo_coverage(wanted, all_kinds=all_villages)
    names = {r.code: r.name for r in platform_registry()}
    headers = ["区划代码", "县（市、区）", "有服务的村", "全部村", "覆盖率"]
    rows = [
        [c.county_code, names.get(c.county_code, ""), c.served, c.villages,
         "" if c.share is None else f"{c.share:.1%}"]
        for c in cov.counties
    ]  # fmt: skip
    total = cov.served / cov.villages if cov.villages else None
    rows.append(["", "合计", cov.served, cov.villages, "" if total is None else f"{total:.1%}"])
    _table(headers, rows, out)
    if cov.unknown:
        click.echo(f"不在村名录中的村级代码 / codes not in the list: {', '.join(cov.unknown[:20])}",
                   err=True)  # fmt: skip


@commissioners.command(
    "alerts",
    short_help="预警 / alerts",
    help="预警：N 天内没有服务记录的在岗特派员，以及 30 天内到期却没有服务记录的派遣 / Alerts: "
    "active commissioners with no service record in N days, and dispatches ending within 30 "
    "days without a service record.",
)
@click.option("--days", type=click.IntRange(1, 3660), default=60, show_default=True,
              help="天数 / days")  # fmt: skip
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="截止日期（默认今天）/ as of this day (default today)")  # fmt: skip
@HELP
def commissioners_alerts(days: int, as_of: dt.datetime | None) -> None:
    _django()
    from cimon.store.commissioners.assessing import profiles
    from cimon.store.commissioners.monitor import ending_without_report, inactive

    day = as_of.date() if as_of is not None else dt.date.today()
    quiet = list(inactive(days, day))
    found = profiles([p.pk for p in quiet])
    names = dict(zip(found["commissioner_id"], found["name"], strict=True))
    click.echo(f"{days} 天内没有服务记录 / no record in {days} days: {len(quiet)}")
    for p in quiet:
        last = getattr(p, "last_service", None)
        click.echo(f"  #{p.pk}\t{names.get(p.pk, '')}\t{last or '从未记录 / never'}")
    ending = list(ending_without_report(day))
    click.echo(f"到期未见服务记录的派遣 / dispatches ending without a record: {len(ending)}")
    for d in ending:
        click.echo(f"  派遣 #{d.pk}\t特派员 #{d.commissioner_id}\t{d.county_code}\t{d.end_on}")
