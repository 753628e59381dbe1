"""``cimon calls``: 揭榜挂帅 calls and the published catalogue of 先进适用技术成果 (issue #18).

Thin: ``list`` prints the calls (and the 成果征集 collections), ``catalogue`` writes the published
catalogue as Word (公文 style) or Excel
(:mod:`cimon.store.libraries.catalogue_export`).
"""

from __future__ import annotations

from pathlib import Path

import click

from cimon.cli_options import HELP, CimonGroup, out_file, output_lang, use_store


@click.group(
    cls=CimonGroup,
    help="揭榜挂帅榜单与先进适用技术成果目录 / Open calls (揭榜挂帅) and the catalogue of "
    "applicable technologies.",
    short_help="揭榜挂帅与成果目录 / calls and catalogue",
)
@HELP
def calls() -> None:
    pass


@calls.command(
    "list",
    help="列出榜单（编号、县区、金额（元）、截止日期、状态）和成果征集 / List the calls (id, "
    "county, budget in 元, deadline, status) and the achievement collections.",
    short_help="列出榜单与成果征集 / list calls and collections",
)
@HELP
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    use_store()
    from cimon.store.libraries.call_models import CALL_STATUSES, COLLECTION_STATUSES
    from cimon.store.libraries.models import Call, Collection

    i = 1 if output_lang(ctx) == "en" else 0
    for c in Call.objects.prefetch_related("versions"):
        v = c.current
        click.echo(f"{c.pk}\t{c.region_code}\t{v.budget}\t{v.deadline}\t"
                   f"{CALL_STATUSES[c.status][i]}\t{v.title}\t{c.label}".rstrip())  # fmt: skip
    for col in Collection.objects.all():
        click.echo(f"[{col.pk}] {col.year} {col.title}\t{COLLECTION_STATUSES[col.status][i]}\t"
                   f"{col.entries.count()}\t{col.label}".rstrip())  # fmt: skip


@calls.command(
    "catalogue",
    help="将已发布的先进适用技术成果目录写为 Word（.docx，公文格式）或 Excel（.xlsx）文件，"
    "不含联系方式 / Write the published catalogue as Word (.docx, 公文 style) or Excel (.xlsx), "
    "without contact details.",
    short_help="成果目录（Word/Excel）/ catalogue (Word/Excel)",
)
@out_file(".docx", ".xlsx", required=True)
@click.option("--year", type=int, default=None, help="只含该年度的征集 / only that year's")
@HELP
@click.pass_context
def catalogue_cmd(ctx: click.Context, out: Path, year: int | None) -> None:
    use_store()
    from cimon.store.libraries.catalogue_export import catalogue_docx, catalogue_xlsx
    from cimon.store.libraries.collection import catalogue
    from cimon.store.platform import platform_registry

    rows = catalogue(year)
    names = {r.code: r.name for r in platform_registry()}
    label = next((r.label for r in rows if r.label), "")
    write = catalogue_docx if out.suffix.lower() == ".docx" else catalogue_xlsx
    out.write_bytes(write(rows, names, label))
    click.echo(f"{out}\t{len(rows)}")
