"""``cimon registry``: registries of enterprises and carriers (issue #16; the library half so far).

Thin: ``check-code`` calls :func:`cimon.registry.codes.check_code`; ``check-list`` calls
:func:`cimon.registry.lists.read_list` and prints its report. Both exit 0 when the input is
valid and 2 with the reason when it is not.
"""

from __future__ import annotations

from pathlib import Path

import click

from cimon.cli_options import HELP, CimonGroup, output_lang

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
