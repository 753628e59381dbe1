"""``cimon evaluation``: run a stored evaluation and publish it from the command line, as the
pages do (issue #20: on an instance hosting several provinces, ``--province`` names the
province). Thin: :mod:`cimon.store.evaluations.services` does the work."""

from __future__ import annotations

from typing import Any

import click

from cimon.cli_options import HELP, CimonGroup, output_lang

PROVINCE_HELP = (
    "省代码（两位，如 64；承载多个省份时使用，默认为该账号所属省份）/ the province's two-digit "
    "code on an instance hosting several (default: the account's province)"
)
USER_HELP = "以此管理员账号的名义（记入审计日志）/ in this administrator's name (audit log)"


def _account(username: str) -> Any:
    """The active administrator ``username`` (who may run and publish evaluations on the pages
    too: :func:`cimon.web.accounts.policy.can_run_evaluations`)."""
    from cimon.store.setup import ensure_django

    ensure_django()
    from cimon.errors import CimonError
    from cimon.store.accounts.models import ADMIN, Account
    from cimon.store.accounts.services import active_account

    user = active_account(username)
    try:
        admin = user.account.role == ADMIN  # the pages' rule, can_run_evaluations (no web here)
    except Account.DoesNotExist:
        admin = False
    if not admin:
        raise CimonError(
            f"账号“{username}”不是管理员，不能评价或发布。",
            f"The account '{username}' is not an administrator: it may not evaluate or publish.",
            "--user",
        )
    return user


@click.group(
    cls=CimonGroup,
    help="评价与发布：按存储的数据运行年度评价并发布结果 / Evaluate a year from the stored data and "
    "publish the results.",
    short_help="评价与发布 / evaluate and publish",
)
@HELP
def evaluation() -> None:
    pass


@evaluation.command(
    "run",
    help="按当前存储的数据评价一个年度（在本进程中运行），结果待审核 / Evaluate a year over the data "
    "stored now (run in this process); the results are then in review.",
    short_help="评价一个年度 / evaluate a year",
)
@click.option("--year", type=int, required=True, help="评价年度 / evaluation year")
@click.option("--province", default=None, help=PROVINCE_HELP)
@click.option("--user", "username", required=True, help=USER_HELP)
@HELP
@click.pass_context
def run_cmd(ctx: click.Context, year: int, province: str | None, username: str) -> None:
    user = _account(username)
    from cimon.store.evaluations import services as wf
    from cimon.store.national.hosting import evaluation_province

    ev = wf.execute(wf.start(user, year, queue=False, province=province).pk)
    en = output_lang(ctx) == "en"
    where = evaluation_province(ev) or ""
    if ev.status == "failed":
        click.echo(ev.error, err=True)
        ctx.exit(2)
    counts = " ".join(f"{k}:{v}" for k, v in sorted(ev.class_counts.items()))
    click.echo(
        f"#{ev.pk}\t{where}\t{ev.evaluation_year}\t{ev.framework_id}\t{len(ev.results)}\t"
        f"{counts}\t" + ("in review" if en else "待审核")
    )


@evaluation.command(
    "publish",
    help="发布一次评价的结果，成为其省份该年度的下一版（更正须填写理由）/ Publish an evaluation's "
    "results as the next version of its province's year (a correction needs --reason).",
    short_help="发布结果 / publish the results",
)
@click.argument("evaluation_id", type=int)
@click.option("--reason", default="", help="更正理由 / the reason of a correction")
@click.option("--user", "username", required=True, help=USER_HELP)
@HELP
@click.pass_context
def publish_cmd(ctx: click.Context, evaluation_id: int, reason: str, username: str) -> None:
    user = _account(username)
    from cimon.errors import CimonError
    from cimon.store.evaluations import services as wf
    from cimon.store.evaluations.models import Evaluation

    ev = Evaluation.objects.filter(pk=evaluation_id).first()
    if ev is None:
        raise CimonError(
            f"没有评价 #{evaluation_id}。", f"There is no evaluation #{evaluation_id}."
        )
    pub = wf.publish(user, ev, reason)
    en = output_lang(ctx) == "en"
    click.echo(
        f"{pub.province}\t{pub.evaluation_year}\tv{pub.version}\t{len(pub.results)}\t"
        + ("published" if en else "已发布")
    )
