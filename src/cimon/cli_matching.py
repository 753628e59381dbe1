"""``cimon match``: rank achievements for technology needs, with the reason for each (issue #18).

Thin: reads the two files with :func:`cimon.matching.reading.read_needs` and
:func:`~cimon.matching.reading.read_achievements` (bounded, all-or-nothing, errors by cell; exit
code 2), calls :func:`cimon.matching.rank` and prints the matches. ``--demo`` uses the labelled
evaluation set shipped with cimon (模拟数据) instead of files.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from cimon.cli_options import EXIT_DOMAIN, HELP, output_lang

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command(
    "match",
    help="为技术需求推荐科技成果：读取需求表和成果表（Excel 或 CSV），按文本相关度（BM25）、领域"
    "对口、地域和成熟度打分，列出每条需求的前 k 项成果及推荐理由；表格有错误时逐格指出并以退出码 2 "
    "退出 / Recommend achievements for technology needs: reads a needs table and an "
    "achievements table (Excel or CSV), scores text relevance (BM25), field match, region and "
    "maturity, and lists each need's top k achievements with the reasons; exits 2 naming every "
    "bad cell.",
    short_help="需求—成果匹配 / match needs and achievements",
)
@click.argument("needs_file", required=False, type=FILE)
@click.argument("achievements_file", required=False, type=FILE)
@click.option("-k", "--top", "k", default=10, show_default=True, type=click.IntRange(1, 100),
              help="每条需求列出的成果数 / achievements listed per need")  # fmt: skip
@click.option("--need", "need_ids", multiple=True,
              help="只匹配这些编号的需求（可重复）/ only the needs with these ids (repeatable)")  # fmt: skip
@click.option("--demo", is_flag=True,
              help="使用内置的模拟数据（评测集）/ use the bundled simulated data (the evaluation set)")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / print JSON")
@click.option("--feedback-report", is_flag=True,
              help="根据平台数据库中保存的采纳/不采纳反馈报告推荐质量（前 k 名精确率、MRR）/ report "
              "the engine's quality from the feedback stored on the platform's database "
              "(precision@k, MRR)")  # fmt: skip
@HELP
@click.pass_context
def match(
    ctx: click.Context,
    needs_file: Path | None,
    achievements_file: Path | None,
    k: int,
    need_ids: tuple[str, ...],
    demo: bool,
    as_json: bool,
    feedback_report: bool,
) -> None:
    if feedback_report:
        from cimon.store.setup import ensure_django

        ensure_django()
        from cimon.store.libraries.feedback import stored_quality

        q = stored_quality(k=k)
        if as_json:
            click.echo(json.dumps({"k": q.k, "needs": q.needs, "judged": q.judged,
                                   "accepted": q.accepted, "judged_top_k": q.judged_top_k,
                                   "acceptance": q.acceptance, "precision_at_k": q.precision_at_k,
                                   "mrr": q.mrr}))  # fmt: skip
        else:
            click.echo("\n".join(q.lines(output_lang(ctx))))
        return
    from cimon.matching import Engine, rank
    from cimon.matching.evalset import load_evalset
    from cimon.matching.reading import read_achievements, read_needs

    lang = output_lang(ctx)
    if demo:
        es = load_evalset()
        needs, achievements = list(es.needs), list(es.achievements)
        click.echo("模拟数据 / simulated data", err=True)
    else:
        if needs_file is None or achievements_file is None:
            raise click.UsageError(
                "请给出需求表和成果表两个文件，或用 --demo / give a needs file and an "
                "achievements file, or --demo"
            )
        got_n = read_needs(needs_file.read_bytes(), needs_file.name)
        got_a = read_achievements(achievements_file.read_bytes(), achievements_file.name)
        for got in (got_n, got_a):
            if not got.ok:
                click.echo(got.report.render("both"), err=True)
        if not (got_n.ok and got_a.ok):
            ctx.exit(EXIT_DOMAIN)
        needs, achievements = got_n.records, got_a.records
    if need_ids:
        wanted = set(need_ids)
        needs = [n for n in needs if n.id in wanted]
        missing = wanted - {n.id for n in needs}
        if missing:
            click.echo(f"找不到需求 / no such need: {', '.join(sorted(missing))}", err=True)
            ctx.exit(EXIT_DOMAIN)
    engine = Engine()
    results = rank(needs, engine.index(achievements), engine, k)
    titles = {a.id: a.title for a in achievements}
    if as_json:
        out = [
            {"need": n.id, "matches": [
                {"achievement": m.candidate, "title": titles[m.candidate], "rank": m.rank,
                 "score": round(m.score, 4), "features": {f: round(v, 4) for f, v in m.features.items()},
                 "reason_zh": m.explanation.render("zh"), "reason_en": m.explanation.render("en")}
                for m in ms]}
            for n, ms in zip(needs, results, strict=True)
        ]  # fmt: skip
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for need, matches in zip(needs, results, strict=True):
        click.echo(f"\n{'Need' if lang == 'en' else '需求'} {need.id}: {need.problem}")
        if not matches:
            click.echo("  (no match)" if lang == "en" else "  （没有匹配的成果）")
        for m in matches:
            click.echo(f"  {m.rank:>2}. {m.candidate} {titles[m.candidate]}  {m.score:.3f}")
            click.echo(f"      {m.explanation.render(lang)}")
