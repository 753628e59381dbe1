"""``cimon needs``, ``cimon achievements`` and ``cimon contracts``: the resource libraries on the
database (issue #18) — list (``--out FILE.xlsx`` writes the list), import an existing list (all
or nothing; errors by cell, exit code 2; the attempt is kept either way) and show one record.

Thin: :mod:`cimon.store.libraries.imports` imports, :mod:`cimon.store.libraries.listing` builds
the tables. The database is the platform's (``CIMON_DB`` / ``DATABASE_URL``, as every command).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from cimon.cli_options import EXIT_DOMAIN, HELP, CimonGroup, login_name, output_lang

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUT = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="把列表写入 Excel 文件（.xlsx）/ write the list to an Excel file (.xlsx)",
)
USER = click.option(
    "--user", default=None, help="导入人（平台账号）/ who imports (a platform account)"
)
COUNTY = click.option(
    "--county",
    "counties",
    multiple=True,
    help="只限这些县（区划代码，可重复）/ only these counties (GB/T 2260 codes, repeatable)",
)


def _django() -> None:
    from cimon.store.setup import ensure_django

    ensure_django()


def _import(
    ctx: click.Context, kind: str, file: Path, user: str | None, counties: Sequence[str]
) -> None:
    _django()
    from cimon.store.accounts.services import active_account
    from cimon.store.libraries.imports import import_list

    lang = output_lang(ctx)
    account = active_account(user) if user is not None else None
    attempt, read = import_list(
        kind, file.read_bytes(), file.name,
        account if account is not None else f"os:{login_name()}",
        regions=list(counties) or None,
    )  # fmt: skip
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


def _list(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], out: Path | None
) -> None:
    if out is not None:
        from cimon.store.libraries.listing import xlsx_bytes

        out.write_bytes(xlsx_bytes(title, headers, rows))
        click.echo(str(out))
        return
    click.echo("\t".join(headers))
    for r in rows:
        click.echo("\t".join("" if v is None else str(v) for v in r))


# ---- needs ----------------------------------------------------------------------------------


@click.group(cls=CimonGroup, help="需求库：列出、导入、查看 / The needs library: list, import, show.",
             short_help="需求库 / needs")  # fmt: skip
@HELP
def needs() -> None:
    pass


@needs.command(
    "list",
    short_help="列出需求 / list needs",
    help="列出需求（当前版本）/ List the needs (current versions).",
)
@COUNTY
@click.option(
    "--status",
    default="",
    help="只列此状态 / only this status: draft, submitted, published, rejected",
)
@OUT
@HELP
def needs_list(counties: tuple[str, ...], status: str, out: Path | None) -> None:
    _django()
    from cimon.store.libraries.listing import NEED_HEADERS, need_rows

    _list("需求", NEED_HEADERS, need_rows(list(counties) or None, status), out)


@needs.command(
    "import",
    short_help="导入需求清单 / import needs",
    help="导入已有的需求清单（Excel 或 CSV；列：问题描述、区划代码、产业链、行业代码、预算(万元)、截止日期），"
    "全部导入或全部不导入，导入后即为已发布 / Import an existing list of needs (all or nothing; "
    "imported needs are published).",
)
@click.argument("file", type=FILE)
@USER
@COUNTY
@HELP
@click.pass_context
def needs_import(
    ctx: click.Context, file: Path, user: str | None, counties: tuple[str, ...]
) -> None:
    _import(ctx, "need", file, user, counties)


@needs.command(
    "show",
    short_help="查看需求 / show a need",
    help="查看一条需求：版本、推荐及反馈 / Show a need: versions, matches, feedback.",
)
@click.argument("need_id", type=int)
@HELP
@click.pass_context
def needs_show(ctx: click.Context, need_id: int) -> None:
    _django()
    from cimon.store.libraries.listing import need_detail
    from cimon.store.libraries.models import Need

    need = Need.objects.filter(pk=need_id).first()
    if need is None:
        click.echo(f"没有需求 #{need_id} / no need #{need_id}", err=True)
        ctx.exit(EXIT_DOMAIN)
    click.echo("\n".join(need_detail(need)))


# ---- achievements ---------------------------------------------------------------------------


@click.group(cls=CimonGroup, help="成果库：列出、导入、查看 / The achievements library: list, import, show.",
             short_help="成果库 / achievements")  # fmt: skip
@HELP
def achievements() -> None:
    pass


@achievements.command(
    "list",
    short_help="列出成果 / list achievements",
    help="列出成果（当前版本）/ List the achievements (current versions).",
)
@click.option("--status", default="", help="只列此状态 / only this status: draft, published")
@OUT
@HELP
def achievements_list(status: str, out: Path | None) -> None:
    _django()
    from cimon.store.libraries.listing import ACHIEVEMENT_HEADERS, achievement_rows

    _list("成果", ACHIEVEMENT_HEADERS, achievement_rows(status), out)


@achievements.command(
    "import",
    short_help="导入成果清单 / import achievements",
    help="导入已有的成果清单（列：成果名称、成果简介、学科代码、技术成熟度、转化方式、完成单位、区划代码），"
    "全部导入或全部不导入，导入后即为已发布 / Import an existing list of achievements (all or "
    "nothing; imported achievements are published).",
)
@click.argument("file", type=FILE)
@USER
@HELP
@click.pass_context
def achievements_import(ctx: click.Context, file: Path, user: str | None) -> None:
    _import(ctx, "achievement", file, user, ())


@achievements.command(
    "show", short_help="查看成果 / show an achievement", help="查看一项成果 / Show an achievement."
)
@click.argument("achievement_id", type=int)
@HELP
@click.pass_context
def achievements_show(ctx: click.Context, achievement_id: int) -> None:
    _django()
    from cimon.store.libraries.listing import achievement_detail
    from cimon.store.libraries.models import Achievement

    item = Achievement.objects.filter(pk=achievement_id).first()
    if item is None:
        click.echo(f"没有成果 #{achievement_id} / no achievement #{achievement_id}", err=True)
        ctx.exit(EXIT_DOMAIN)
    click.echo("\n".join(achievement_detail(item)))


# ---- contracts ------------------------------------------------------------------------------


@click.group(cls=CimonGroup, help="技术合同：导入登记台账、列出 / Technology contracts: import, list.",
             short_help="技术合同 / contracts")  # fmt: skip
@HELP
def contracts() -> None:
    pass


@contracts.command(
    "import",
    short_help="导入技术合同台账 / import contracts",
    help="导入技术合同登记台账（列：合同登记编号、合同名称、卖方、买方、成交金额(元) 或 成交金额(万元)、"
    "登记日期、区划代码）；金额以整数元保存；已登记的编号拒绝 / Import a register of technology "
    "contracts; amounts kept in whole 元; numbers already registered are refused.",
)
@click.argument("file", type=FILE)
@USER
@COUNTY
@HELP
@click.pass_context
def contracts_import(
    ctx: click.Context, file: Path, user: str | None, counties: tuple[str, ...]
) -> None:
    _import(ctx, "contract", file, user, counties)


@contracts.command(
    "list",
    short_help="列出技术合同 / list contracts",
    help="列出登记的技术合同 / List the registered contracts.",
)
@COUNTY
@click.option("--year", type=int, default=None, help="只列此年签订的 / only those of this year")
@OUT
@HELP
def contracts_list(counties: tuple[str, ...], year: int | None, out: Path | None) -> None:
    _django()
    from cimon.store.libraries.listing import CONTRACT_HEADERS, contract_rows

    _list("技术合同", CONTRACT_HEADERS, contract_rows(list(counties) or None, year), out)
