"""``cimon national``: a national instance imports what provinces publish and compares them
(issue #20). Thin: :mod:`cimon.store.national.services` does the work."""

from __future__ import annotations

from pathlib import Path

import click

from cimon.cli_options import (
    EXIT_DOMAIN,
    HELP,
    CimonGroup,
    out_file,
    output_lang,
    use_store,
    written,
)

MAX_FILE = 8 * 1024 * 1024


@click.group(
    cls=CimonGroup,
    help="全国比较：导入各省发布的评价结果并比较各省 / National comparison: import what provinces "
    "publish and compare them.",
    short_help="全国比较 / national comparison",
)
@HELP
def national() -> None:
    pass


@national.command(
    "import",
    help="导入一个省发布的年度结果（/api/v1/years/<年度>/results 的 JSON 答复）；全部或全不，每次导入"
    "都留存 / Import one province's published year (the JSON answer of "
    "/api/v1/years/<year>/results); all or nothing, every attempt kept.",
    short_help="导入一个省的发布结果 / import a province's published results",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", required=True, help="省份名称，如 宁夏 / the province, e.g. 宁夏")
@HELP
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, province: str) -> None:
    from cimon.safe import read_limited

    data = read_limited(file, MAX_FILE + 1)
    use_store()
    from cimon.store.national.models import ACCEPTED
    from cimon.store.national.services import import_published

    imp = import_published(data, file.name, province, "cimon national import")
    en = output_lang(ctx) == "en"
    if imp.status != ACCEPTED:
        click.echo(imp.error, err=True)
        ctx.exit(EXIT_DOMAIN)
    click.echo(
        f"{imp.province}\t{imp.evaluation_year}\tv{imp.version}\t{len(imp.results)}\t"
        f"{imp.framework_id} {imp.framework_version}\t"
        + ("imported" if en else "已导入")
        + f" (#{imp.pk})"
    )


@national.command(
    "compare",
    help="各省比较（类别占比、得分分位数、较上年进展、重点帮扶县）/ Compare the provinces (class "
    "shares, score quantiles, progress since last year, key counties).",
    short_help="各省比较 / compare provinces",
)
@click.option("--year", type=int, required=True, help="评价年度 / evaluation year")
@out_file(".xlsx")
@HELP
@click.pass_context
def compare_cmd(ctx: click.Context, year: int, out: Path | None) -> None:
    lang = output_lang(ctx)
    use_store()
    from cimon.store.national.services import comparison, is_synthetic, notes, table, workbook

    c = comparison(year)
    heads, rows = table(c, lang)
    click.echo("\t".join(heads))
    for row in rows:
        click.echo("\t".join("" if v is None else str(v) for v in row))
    for line in notes(c, lang):
        click.echo(line)
    if out is not None:
        out.write_bytes(workbook(c, lang, is_synthetic(year)))
        written(out)
