"""``cimon programmes``: programmes from application to acceptance (issue #19).

Thin: ``define`` stores a programme definition (:func:`cimon.store.programmes.services.define_programme`),
``list`` prints the batches and applications, ``review-list`` writes a batch's review list as
Word (:func:`cimon.store.programmes.review_list.review_list_docx`), ``acceptance-opinion`` an
acceptance opinion (:func:`cimon.store.programmes.opinion.opinion_docx`), ``cases`` lists the
case library or writes it as Excel (:func:`cimon.store.programmes.cases.cases_xlsx`).
"""

from __future__ import annotations

from pathlib import Path

import click

from cimon.cli_options import HELP, CimonGroup, output_lang

EXIT_INVALID = 2


def _store() -> None:
    from cimon.store.setup import ensure_django

    ensure_django()


@click.group(
    cls=CimonGroup,
    help="创建项目：创新型县(市)等的申报、遴选、命名与验收 / Programmes: application, selection, "
    "designation and acceptance of innovative counties and the like.",
    short_help="创建项目 / programmes",
)
@HELP
def programmes() -> None:
    pass


@programmes.command(
    "define",
    help="存储项目定义（内置代码如 innovative-county，或 YAML 文件路径）及其遴选条件 / Store a "
    "programme definition (a bundled code such as innovative-county, or a YAML path) with its "
    "eligibility rules.",
    short_help="存储项目定义 / store a programme definition",
)
@click.argument("ref")
@HELP
@click.pass_context
def define_cmd(ctx: click.Context, ref: str) -> None:
    _store()
    from cimon.store.programmes.eligibility import RuleError
    from cimon.store.programmes.services import ProgrammeError, define_programme

    try:
        prog = define_programme(ref)
    except (RuleError, ProgrammeError) as exc:
        click.echo(exc.args[1] if output_lang(ctx) == "en" else exc.args[0], err=True)
        ctx.exit(EXIT_INVALID)
    click.echo(f"{prog.code}\t{prog.name_zh}\tsha256 {prog.rules_sha256[:12]}")


@programmes.command(
    "list",
    help="列出各批次及其申报（编号、单位、县区、状态）/ List the batches and their applications "
    "(id, unit, county, status).",
    short_help="列出批次与申报 / list batches and applications",
)
@HELP
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    _store()
    from cimon.store.programmes.models import STATUSES, Batch

    en = output_lang(ctx) == "en"
    for batch in Batch.objects.select_related("programme").prefetch_related("applications"):
        click.echo(f"[{batch.pk}] {batch.programme.name_zh} {batch.year} "
                   f"{batch.opens_on} — {batch.closes_on}")  # fmt: skip
        for a in batch.applications.all():
            status = STATUSES.get(a.status, (a.status, a.status))[1 if en else 0]
            click.echo(f"  {a.pk}\t{a.applicant}\t{a.county}\t{status}\t{a.label}".rstrip())


@programmes.command(
    "review-list",
    help="将一个批次的评审结果名单写为 Word 文件（公文格式）/ Write a batch's review list as a "
    "Word file (公文 style).",
    short_help="评审结果名单（Word）/ review list (Word)",
)
@click.option("--batch", "batch_id", type=int, required=True, help="批次编号 / batch id")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="输出的 .docx 文件 / the .docx file to write",
)
@HELP
@click.pass_context
def review_list_cmd(ctx: click.Context, batch_id: int, out: Path) -> None:
    _store()
    from cimon.store.programmes.models import Batch
    from cimon.store.programmes.review_list import review_list_docx

    batch = Batch.objects.select_related("programme").filter(pk=batch_id).first()
    if batch is None:
        click.echo(f"没有批次 {batch_id} / no batch {batch_id}", err=True)
        ctx.exit(EXIT_INVALID)
    label = "模拟数据" if batch.applications.filter(label="模拟数据").exists() else ""
    out.write_bytes(review_list_docx(batch, label))
    click.echo(str(out))


@programmes.command(
    "acceptance-opinion",
    help="将一个申报最近一次验收的验收意见写为 Word 文件（公文格式）/ Write the acceptance "
    "opinion of an application's latest acceptance as a Word file (公文 style).",
    short_help="验收意见（Word）/ acceptance opinion (Word)",
)
@click.option("--application", "app_id", type=int, required=True, help="申报编号 / application id")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="输出的 .docx 文件 / the .docx file to write",
)
@HELP
@click.pass_context
def acceptance_opinion_cmd(ctx: click.Context, app_id: int, out: Path) -> None:
    _store()
    from cimon.store.programmes.models import Acceptance
    from cimon.store.programmes.opinion import opinion_docx

    acc = Acceptance.objects.filter(application_id=app_id).order_by("-created_at", "-id").first()
    if acc is None:
        click.echo(
            f"申报 {app_id} 没有验收记录，请先提交验收 / application {app_id} has no acceptance; "
            "start one first",
            err=True,
        )
        ctx.exit(EXIT_INVALID)
    out.write_bytes(opinion_docx(acc, acc.label))
    click.echo(str(out))


@programmes.command(
    "cases",
    help="列出典型经验案例；给出 --out 时写为 Excel 文件 / List the cases of the case library; "
    "with --out write them as an Excel file.",
    short_help="典型经验案例 / the case library",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="输出的 .xlsx 文件 / the .xlsx file to write",
)
@HELP
@click.pass_context
def cases_cmd(ctx: click.Context, out: Path | None) -> None:
    _store()
    from cimon.store.programmes.cases import cases_xlsx
    from cimon.store.programmes.models import CASE_STATUSES, Case

    en = output_lang(ctx) == "en"
    cases = list(Case.objects.order_by("county", "title", "id").prefetch_related("files"))
    if out is not None:
        out.write_bytes(cases_xlsx(cases))
        click.echo(str(out))
        return
    for c in cases:
        status = CASE_STATUSES.get(c.status, (c.status, c.status))[1 if en else 0]
        click.echo(f"{c.pk}\t{c.county}\t{c.year or ''}\t{c.field}\t{status}\t{c.title}")
