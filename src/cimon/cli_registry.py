"""``cimon registry``: registries of enterprises and carriers (issue #16).

Thin: ``check-code`` calls :func:`cimon.registry.codes.check_code`; ``check-list`` calls
:func:`cimon.registry.lists.read_list` and prints its report (both exit 0 when the input is
valid and 2 with the reason when it is not); ``import``, ``review``, ``list`` and ``count``
call the store (:mod:`cimon.store.registry`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cimon.cli_options import HELP, REGIONS, CimonGroup, login_name, output_lang, registry_from

EXIT_INVALID = 2


@click.group(
    cls=CimonGroup,
    help="企业和载体名录：代码校验、名单检查 / Registries of enterprises and carriers: "
    "check codes and lists.",
    short_help="名录 / registries",
)
@HELP
def registry() -> None:
    pass


@registry.command(
    "check-code",
    help="校验统一社会信用代码（GB 32100-2015）：有效时退出码 0，无效时说明原因并以退出码 2 "
    "退出 / Check a unified social credit code (GB 32100-2015): exit 0 when valid, 2 with "
    "the reason when not.",
    short_help="校验统一社会信用代码 / check a credit code",
)
@click.argument("code")
@HELP
@click.pass_context
def check_code_cmd(ctx: click.Context, code: str) -> None:
    from cimon.registry.codes import KINDS, check_code

    result = check_code(code)
    lang = output_lang(ctx)
    if not result.valid:
        click.echo(f"无效 / invalid: {result.code or code!r}", err=True)
        click.echo(f"{result.zh}\n{result.en}", err=True)
        ctx.exit(EXIT_INVALID)
    auth = result.authority or ("", "")
    kind = KINDS[result.code[0]][result.code[1]]
    if lang == "en":
        click.echo(
            f"valid: {result.code} (authority: {auth[1]}; kind {result.code[1]} {kind}; "
            f"region {result.region}; organisation code {result.code[8:17]})"
        )
    else:
        click.echo(
            f"有效：{result.code}（登记管理部门：{auth[0]}；机构类别：{kind}；"
            f"登记管理机关行政区划：{result.region}；组织机构代码：{result.code[8:17]}）"
        )


@registry.command(
    "check-list",
    help="检查一份官方名单（Excel 或 CSV，每行一家企业或载体）：列名、代码、日期、县区；"
    "逐格指出问题，有错误时以退出码 2 退出 / Check an official list (Excel or CSV, one row "
    "per enterprise or carrier): columns, codes, dates, counties; every problem by cell, "
    "exit 2 on errors.",
    short_help="检查官方名单 / check an official list",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--no-code",
    is_flag=True,
    help="名单可无统一社会信用代码列（载体名单）/ the list may lack a code column (carriers)",
)
@click.option(
    "--regions",
    "regions_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="区划表 CSV（默认内置宁夏22县）/ region registry CSV (default: bundled Ningxia)",
)
@HELP
@click.pass_context
def check_list_cmd(
    ctx: click.Context, file: Path, no_code: bool, regions_file: Path | None
) -> None:
    from cimon.model.regions import default_registry, load_registry
    from cimon.registry.lists import read_list

    lang = output_lang(ctx)
    regions = load_registry(regions_file) if regions_file else default_registry()
    got = read_list(file.read_bytes(), file.name, regions=regions, require_code=not no_code)
    for issue in got.report:
        click.echo(issue.render(lang), err=True)
    if not got.ok:
        ctx.exit(EXIT_INVALID)
    cols = "、".join(f"{field}={letter}" for field, letter in got.columns.items())
    click.echo(
        f"{len(got.rows)} rows read from sheet '{got.sheet}' ({cols})"
        if lang == "en"
        else f"读取 {len(got.rows)} 行，工作表“{got.sheet}”（{cols}）"
    )


def _store(regions_file: Path | None = None) -> Any:
    from cimon.store.setup import ensure_django

    ensure_django()
    return registry_from(regions_file) if regions_file else None


def _iso(value: Any) -> str:
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _region_name(regions: Any, code: str) -> str:
    try:
        return str(regions[code].name)
    except (KeyError, IndexError):
        return code


@registry.command(
    "import",
    help="导入一份官方名单到名录（全部导入或全部不导入）：按代码、名称匹配已有记录，"
    "有歧义的行留待人工确认（确认前不计数）；有错误时以退出码 2 退出 / Import an official "
    "list into the registries (all or nothing): rows matched by code, then name; ambiguous "
    "rows wait for a person (not counted until confirmed); exit 2 on errors.",
    short_help="导入名单 / import a list",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    default="",
    help="资质或载体类型，如 高新技术企业、科技型中小企业、众创空间（名单有“类型”列时可省略）"
    " / qualification or carrier kind, e.g. 高新技术企业 (may be omitted when the list has a "
    "kind column)",
)
@click.option(
    "--carriers",
    is_flag=True,
    help="这是载体或平台名单（可无统一社会信用代码）/ a list of carriers or platforms",
)
@click.option("--user", default=None, help="导入人（平台账号）/ who imports (a platform account)")
@REGIONS
@HELP
@click.pass_context
def import_cmd(
    ctx: click.Context,
    file: Path,
    kind: str,
    carriers: bool,
    user: str | None,
    regions: Path | None,
) -> None:
    reg = _store(regions)
    from cimon.store.accounts.services import active_account
    from cimon.store.registry.services import import_list

    lang = output_lang(ctx)
    account = active_account(user) if user is not None else None
    result = import_list(
        file.read_bytes(),
        file.name,
        list_kind="carrier" if carriers else "enterprise",
        kind=kind,
        user=account if account is not None else f"os:{login_name()}",
        regions=reg,
    )
    for issue in result.report:
        click.echo(issue.render(lang), err=True)
    li = result.list_import
    if not result.ok:
        click.echo(
            f"rejected: nothing imported (import #{li.pk} kept)"
            if lang == "en"
            else f"已拒绝：未导入任何记录（导入记录 #{li.pk} 已保存）",
            err=True,
        )
        ctx.exit(EXIT_INVALID)
    n = len(result.reviews)
    click.echo(
        f"import #{li.pk}: {result.written} rows written, {n} row(s) await review "
        f"({result.statuses})"
        if lang == "en"
        else f"导入 #{li.pk}：写入 {result.written} 行，{n} 行待人工确认（{result.statuses}）"
    )
    for item in result.reviews:
        cands = "; ".join(f"{c['record']} {c['name']} {c['score']:g}" for c in item.candidates)
        click.echo(f"  review #{item.pk} row {item.row} {item.data.get('name')}: {cands}")


@registry.command(
    "review",
    help="处理一行待确认的名单记录：确认某个候选记录、作为新记录，或驳回 / Settle a row "
    "awaiting review: confirm a candidate, declare it new, or reject it.",
    short_help="处理待确认行 / settle a review item",
)
@click.argument("item", type=int)
@click.option("--confirm", "record", default=None, help="候选记录编号 / the candidate's id")
@click.option("--new", "as_new", is_flag=True, help="作为新记录 / declare a new record")
@click.option("--reject", is_flag=True, help="驳回，不写入 / reject: nothing is written")
@click.option("--user", default=None, help="处理人（平台账号）/ who decides (a platform account)")
@HELP
@click.pass_context
def review_cmd(
    ctx: click.Context,
    item: int,
    record: str | None,
    as_new: bool,
    reject: bool,
    user: str | None,
) -> None:
    if [record is not None, as_new, reject].count(True) != 1:
        raise click.UsageError(
            "请给出 --confirm RECORD、--new、--reject 之一 / give one of --confirm RECORD, "
            "--new, --reject"
        )
    _store()
    from cimon.errors import CimonError
    from cimon.store.accounts.services import active_account
    from cimon.store.registry.services import decide

    account = active_account(user) if user is not None else None
    decision = "confirmed" if record is not None else "new" if as_new else "rejected"
    try:
        done = decide(item, decision, account or f"os:{login_name()}", record=record or "")
    except CimonError as exc:
        click.echo(exc.render(output_lang(ctx)), err=True)
        ctx.exit(EXIT_INVALID)
    click.echo(f"#{done.pk}: {done.decision} {done.record}")


@registry.command(
    "list",
    help="列出名录中的企业（或 --carriers 载体），可按县区、名称或代码筛选 / List the "
    "registry's enterprises (or carriers), by county, name or code.",
    short_help="列出名录 / list the registry",
)
@click.option("--county", default="", help="县区名称或代码 / county name or code")
@click.option("--search", default="", help="名称或代码包含 / name or code contains")
@click.option("--carriers", is_flag=True, help="列出载体 / list carriers")
@click.option("--limit", default=50, show_default=True, help="最多显示行数 / rows at most")
@REGIONS
@HELP
@click.pass_context
def list_cmd(
    ctx: click.Context,
    county: str,
    search: str,
    carriers: bool,
    limit: int,
    regions: Path | None,
) -> None:
    _store()
    reg = registry_from(regions)
    code = reg.match(county).code if county else ""
    from cimon.store.registry.models import Carrier, Enterprise

    if carriers:
        cqs = Carrier.objects.current().search(search)
        cqs = cqs.in_county(code) if code else cqs
        for c in cqs[:limit]:
            click.echo(
                f"{c.key}\t{c.name}\t{c.kind}\t{c.level}\t{_region_name(reg, c.region_code)}\t"
                f"{c.start or ''}\t{c.status}"
            )
        return
    eqs = Enterprise.objects.search(search).with_name()
    eqs = eqs.in_county(code) if code else eqs.with_county()
    for e in eqs[:limit]:
        click.echo(f"{e.pk}\t{e.code}\t{e.current_name}\t{_region_name(reg, e.county or '')}")


@registry.command(
    "count",
    help="各县区 12 月 31 日的名录统计数（有效资质和载体）；给出 --county 和 --kind 时列出"
    "计入的记录 / Every county's registry counts on 31 December of a data year (valid "
    "qualifications and carriers); with --county and --kind, the records behind the count.",
    short_help="名录统计 / registry counts",
)
@click.option("--year", type=int, required=True, help="数据年度 / data year")
@click.option("--county", default="", help="县区名称或代码 / county name or code")
@click.option("--kind", default="", help="类型，如 高新技术企业 / kind, e.g. 高新技术企业")
@click.option("--level", default=None, help="载体级别：国家/省/市 / carrier level")
@REGIONS
@HELP
@click.pass_context
def count_cmd(
    ctx: click.Context,
    year: int,
    county: str,
    kind: str,
    level: str | None,
    regions: Path | None,
) -> None:
    _store()
    reg = registry_from(regions)
    from cimon.registry.counts import year_end
    from cimon.store.registry.tables import counts_on

    counts = counts_on(year_end(year).date())
    code = reg.match(county).code if county else ""
    if code and kind:
        rows = counts.drill(code, kind, level)
        click.echo(f"{_region_name(reg, code)} {kind} {year_end(year).date()}: {len(rows)}")
        for r in rows.to_dict("records"):
            click.echo(
                f"  {r['record']}\t{r['name']}\t{r['item']}\t{_iso(r['start'])}\t{_iso(r['end'])}"
            )
        return
    table = counts.table
    if code:
        table = table[table["county"] == code]
    if kind:
        table = table[table["kind"] == kind]
    for r in table.to_dict("records"):
        name = _region_name(reg, str(r["county"]))
        click.echo(f"{r['county']}\t{name}\t{r['kind']}\t{r['level']}\t{r['count']}")
