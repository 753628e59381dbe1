"""``cimon programmes``: programmes from application to acceptance (issue #19).

Thin: ``define`` stores a programme definition (:func:`cimon.store.programmes.services.define_programme`),
``list`` prints the batches and applications, ``review-list`` writes a batch's review list as
Word (:func:`cimon.store.programmes.review_list.review_list_docx`), ``acceptance-opinion`` an
acceptance opinion (:func:`cimon.store.programmes.opinion.opinion_docx`), ``cases`` lists the
case library or writes it as Excel (:func:`cimon.store.programmes.cases.cases_xlsx`),
``upload-plan`` stores a plan with targets (:func:`cimon.store.programmes.target_plans.upload_plan`)
and ``plan-status`` prints or writes its targets' statuses
(:func:`cimon.store.programmes.target_plans.statuses_xlsx`).
"""

from __future__ import annotations

from pathlib import Path

import click

from cimon.cli_options import (
    EXIT_DOMAIN,
    HELP,
    CimonGroup,
    out_file,
    output_lang,
    refuse,
    use_store,
)


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
    use_store()
    from cimon.store.programmes.eligibility import RuleError
    from cimon.store.programmes.services import ProgrammeError, define_programme

    try:
        prog = define_programme(ref)
    except (RuleError, ProgrammeError) as exc:
        refuse(ctx, *exc.args[:2])
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
    use_store()
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
@out_file(".docx", required=True)
@HELP
@click.pass_context
def review_list_cmd(ctx: click.Context, batch_id: int, out: Path) -> None:
    use_store()
    from cimon.store.programmes.models import Batch
    from cimon.store.programmes.review_list import review_list_docx

    batch = Batch.objects.select_related("programme").filter(pk=batch_id).first()
    if batch is None:
        click.echo(f"没有批次 {batch_id} / no batch {batch_id}", err=True)
        ctx.exit(EXIT_DOMAIN)
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
@out_file(".docx", required=True)
@HELP
@click.pass_context
def acceptance_opinion_cmd(ctx: click.Context, app_id: int, out: Path) -> None:
    use_store()
    from cimon.store.programmes.models import Acceptance
    from cimon.store.programmes.opinion import opinion_docx

    acc = Acceptance.objects.filter(application_id=app_id).order_by("-created_at", "-id").first()
    if acc is None:
        click.echo(
            f"申报 {app_id} 没有验收记录，请先提交验收 / application {app_id} has no acceptance; "
            "start one first",
            err=True,
        )
        ctx.exit(EXIT_DOMAIN)
    out.write_bytes(opinion_docx(acc, acc.label))
    click.echo(str(out))


@programmes.command(
    "cases",
    help="列出典型经验案例；给出 --out 时写为 Excel 文件 / List the cases of the case library; "
    "with --out write them as an Excel file.",
    short_help="典型经验案例 / the case library",
)
@out_file(".xlsx")
@HELP
@click.pass_context
def cases_cmd(ctx: click.Context, out: Path | None) -> None:
    use_store()
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


@programmes.command(
    "upload-plan",
    help="上传规划或行动方案（YAML 或 Excel，县、市或省级，可涵盖多个单位）；整个文件通过校验后才存储，"
    "否则列出每个错误单元格 / Store a plan (YAML or Excel; county, city or province level, "
    "covering several units); stored only when all of it reads right, otherwise every bad cell "
    "is listed.",
    short_help="上传方案 / store a plan",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--level",
    type=click.Choice(["county", "city", "province"]),
    default=None,
    help="文件未写明时的层级 / the level when the file does not say",
)
@HELP
@click.pass_context
def upload_plan_cmd(ctx: click.Context, file: Path, level: str | None) -> None:
    use_store()
    from cimon.store.programmes.services import ProgrammeError
    from cimon.store.programmes.target_plans import PlanRefused, upload_plan

    en = output_lang(ctx) == "en"
    try:
        tp = upload_plan(None, file.read_bytes(), file.name, level)
    except PlanRefused as exc:
        click.echo(exc.args[1] if en else exc.args[0], err=True)
        for issue in exc.read.report.errors[:50]:
            click.echo(issue.render("en" if en else "zh"), err=True)
        ctx.exit(EXIT_DOMAIN)
    except ProgrammeError as exc:
        refuse(ctx, *exc.args[:2])
    click.echo(
        f"{tp.pk}\t{tp.ref}\tv{tp.version}\t{tp.level}\t{len(tp.targets)}\tsha256 {tp.sha256[:12]}"
    )


@programmes.command(
    "plan-status",
    help="已上传方案的每项目标：期限、责任单位、报送或计算的最新值、状态及判定规则；给出 --out 时写为 "
    "Excel（每项目标一行）/ Every target of a stored plan: deadline, responsible units, latest "
    "reported or computed value, status and the rule that decided it; with --out an Excel file "
    "with one row per target.",
    short_help="方案目标状态 / a stored plan's target statuses",
)
@click.argument("ref")
@out_file(".xlsx")
@HELP
@click.pass_context
def plan_status_cmd(ctx: click.Context, ref: str, out: Path | None) -> None:
    use_store()
    from cimon.store.programmes.models import TargetPlan
    from cimon.store.programmes.target_plans import statuses, statuses_xlsx

    en = output_lang(ctx) == "en"
    tp = TargetPlan.objects.filter(ref=ref, superseded_at__isnull=True).first()
    if tp is None:
        refuse(
            ctx,
            f"没有已存方案“{ref}”。请先上传：cimon programmes upload-plan 文件",
            f"No stored plan '{ref}'. Upload it first: cimon programmes upload-plan FILE",
        )
    if tp.label:
        click.echo(f"[{tp.label}]")
    if out is not None:
        out.write_bytes(statuses_xlsx(tp))
        click.echo(str(out))
        return
    for s in statuses(tp):
        label, rule = (s["label_en"], s["rule_en"]) if en else (s["label_zh"], s["rule_zh"])
        units = "、".join(s["responsible"])
        click.echo(f"{s['code']}\t{s['deadline']}\t{units}\t{label}\t{rule}")
