"""Commands of the yearly cycle: compare, incentives, targets, diagnose (issue #4).

Thin: each command parses options, calls one library function and prints; domain errors
(:class:`cimon.errors.CimonError`) are turned into a clean message and exit code 2 by the main group.
Without ``--data`` the commands read the accepted data in the database, or the bundled synthetic
demo panel (模拟数据) when it has none or with ``--demo``, and say which on stderr
(:func:`cimon.cli_options.load`).
"""

from __future__ import annotations

from pathlib import Path

import click

from cimon.cli_options import (
    CODE_MAP,
    HELP,
    code_map_from,
    data_options,
    load,
    out_option,
    output_lang,
    written,
)
from cimon.safe import safe_filename


@click.command(
    "compare",
    help="年度比较：类别跃升/下降、转移矩阵、排名变化、得分变化按指标精确分解 / Compare an "
    "evaluation year with the year before: class transitions, transition matrix, rank changes, "
    "exact split of each score change over pillars and indicators.",
    short_help="年度比较 / compare with last year",
)
@click.option(
    "--year",
    "-y",
    required=True,
    type=int,
    help="评价年度（与上一年度比较）/ evaluation year (compared with the year before)",
)
@data_options
@CODE_MAP
@out_option("compare-<年度>.xlsx")
@HELP
@click.pass_context
def compare(
    ctx: click.Context, year: int, framework: str, data: Path | None, demo: bool,
    regions: Path | None, code_map: Path | None, out: Path | None,
) -> None:  # fmt: skip
    from cimon.analysis.compare import compare_runs, previous_year
    from cimon.reports.yearly import comparison_text
    from cimon.reports.yearly_excel import write_comparison

    lang = output_lang(ctx)
    _, _, runs = load(framework, data, regions, [year - 1, year], demo)
    c = compare_runs(previous_year(runs, year), runs[year], code_map_from(code_map))
    click.echo(comparison_text(c, lang))
    written(write_comparison(c, out or Path(f"compare-{year}.xlsx"), lang))


@click.command(
    "incentives",
    help="激励资金：按规则集计算每个县的跃升与进位激励（整数元）并说明依据；可核对资金台账 / "
    "Incentive money per county (whole yuan) under a rule set, with every rule that fired; "
    "optionally check a funds ledger.",
    short_help="激励资金 / incentive money",
)
@click.option("--year", "-y", required=True, type=int, help="评价年度 / evaluation year")
@click.option(
    "--rules",
    "-r",
    default="nx-2021",
    show_default=True,
    metavar="ID|FILE",
    help="激励规则集（内置 nx-2021、zj-style 或 YAML 文件）/ rule set: bundled nx-2021, zj-style or a YAML file",
)
@data_options
@CODE_MAP
@click.option(
    "--uses",
    type=click.Path(dir_okay=False, path_type=Path),
    help="资金使用记录（CSV/XLSX/YAML：县、年度、用途类别、金额）/ recorded uses of the funds (county, year, category, amount)",
)
@out_option("incentives-<年度>.xlsx")
@HELP
@click.pass_context
def incentives(
    ctx: click.Context, year: int, rules: str, framework: str, data: Path | None, demo: bool,
    regions: Path | None, code_map: Path | None, uses: Path | None, out: Path | None,
) -> None:  # fmt: skip
    from cimon.analysis.incentives import incentives_for_runs
    from cimon.analysis.ledger import allocations_from_awards, check_ledger, load_uses
    from cimon.analysis.readings import reading_costs
    from cimon.analysis.rules import load_rules
    from cimon.reports.excel import is_synthetic
    from cimon.reports.readings import readings_text
    from cimon.reports.yearly import incentives_text, ledger_text
    from cimon.reports.yearly_excel import write_incentives

    lang = output_lang(ctx)
    rule_set = load_rules(rules)
    _, registry, runs = load(framework, data, regions, None if uses else [year - 1, year], demo)
    if year not in runs:
        from cimon.analysis.compare import previous_year

        previous_year(runs, year)  # raises the "year not available" error
    owed = incentives_for_runs(
        {y: r for y, r in runs.items() if y <= year}, rule_set, code_map_from(code_map)
    )
    synthetic = is_synthetic(runs[year])
    click.echo(incentives_text(owed[year], rule_set, year, lang, synthetic, registry))
    costs = (
        reading_costs(runs, rule_set, code_map_from(code_map), [year], owed)
        if year - 1 in runs
        else []
    )
    if costs:
        click.echo("")
        click.echo(readings_text(costs, rule_set, lang))
    ledger = None
    if uses:
        ledger = check_ledger(allocations_from_awards(owed), load_uses(uses, registry))
        click.echo("")
        click.echo(ledger_text(ledger, lang))
    path = write_incentives(
        owed[year],
        rule_set,
        year,
        out or Path(f"incentives-{year}.xlsx"),
        lang,
        ledger,
        runs[year],
        costs,
    )
    written(path)


@click.command(
    "targets",
    help="预期目标：省级A/B/C类县数量目标进展与所需进度；方案的每一项目标（类型、期限、责任单位、状态及判定规则）/ "
    "Targets: province class-count progress and the pace needed; every target of a plan (kind, "
    "deadline, responsible units, status and the rule that decided it).",
    short_help="目标进展 / progress against targets",
)
@click.option(
    "--province",
    "-p",
    default="nx-2025",
    show_default=True,
    metavar="ID|FILE",
    help="省级类别数量目标（内置编号或 YAML）/ province class-count targets: bundled id or YAML",
)
@click.option(
    "--plan",
    metavar="ID|FILE",
    help="目标方案：内置编号（如 jingning-2023）、YAML 或 Excel（每行一项目标）/ "
    "a plan: bundled id (e.g. jingning-2023), YAML or Excel (one row per target)",
)
@click.option(
    "--values",
    type=click.Path(dir_okay=False, path_type=Path),
    help="报送的目标实际值（CSV/XLSX/YAML：item,year,value[,unit]）/ reported values for the plan "
    "(item,year,value[,unit])",
)
@data_options
@out_option("targets.xlsx")
@HELP
@click.pass_context
def targets(
    ctx: click.Context, province: str, plan: str | None, values: Path | None, framework: str,
    data: Path | None, demo: bool, regions: Path | None, out: Path | None,
) -> None:  # fmt: skip
    from cimon.analysis.plans import load_plan, plan_status
    from cimon.analysis.targets import (
        bundled_values,
        load_province_targets,
        load_values,
        province_progress,
    )
    from cimon.reports.excel import is_synthetic
    from cimon.reports.text import SYNTHETIC_LABEL
    from cimon.reports.yearly import county_text, province_text
    from cimon.reports.yearly_excel import write_targets

    lang = output_lang(ctx)
    goal = load_province_targets(province)
    _, _, runs = load(framework, data, regions, None, demo)
    counts = {y: r.class_counts() for y, r in runs.items() if y >= goal.base_year}
    progress = province_progress(goal, counts)
    synthetic = any(is_synthetic(r) for r in runs.values())
    if synthetic:
        click.echo(f"[{SYNTHETIC_LABEL}]")
    click.echo(province_text(goal, progress, lang))
    county = None
    if plan:
        county_plan = load_plan(plan)
        series, fake = load_values(values) if values else bundled_values(plan)
        status = plan_status(county_plan, series, runs)
        county = (county_plan, status)
        synthetic |= fake
        click.echo("")
        click.echo(county_text(county_plan, status, lang, fake))
    written(write_targets(out or Path("targets.xlsx"), lang, (goal, progress), county, synthetic))


@click.command(
    "diagnose",
    help="县域诊断：优势与短板（对比同组县）、尚余分值、升入上一类别的最少改进路径（经重新评价验证）/ "
    "Diagnose a county: strengths and weaknesses against its peers, points still available, "
    "and the fewest improvements that lift it into the next class (verified by re-scoring).",
    short_help="县域诊断 / diagnose a county",
)
@click.argument("county", metavar="COUNTY")
@click.option(
    "--year",
    "-y",
    type=int,
    help="评价年度（默认数据中最近一年）/ evaluation year (default: the latest the data allow)",
)
@click.option(
    "--peers",
    default="city",
    show_default=True,
    help="对比组：city（设区市）、type、district（市辖区/县）、all、tag:标签 / peer group: city, type, district, all, tag:TAG",
)
@click.option(
    "--reach",
    type=click.Choice(["best", "peer", "benchmark"]),
    default="best",
    show_default=True,
    help="可达水平：最优县、同组最优县或标准值 / reachable level: best county, best peer or the benchmark",
)
@data_options
@out_option("diagnose-<代码>-<年度>.xlsx")
@HELP
@click.pass_context
def diagnose(
    ctx: click.Context, county: str, year: int | None, peers: str, reach: str, framework: str,
    data: Path | None, demo: bool, regions: Path | None, out: Path | None,
) -> None:  # fmt: skip
    from cimon.analysis.diagnose import diagnose as run_diagnosis
    from cimon.reports.excel import is_synthetic
    from cimon.reports.text import SYNTHETIC_LABEL
    from cimon.reports.yearly import diagnosis_text
    from cimon.reports.yearly_excel import write_diagnosis

    lang = output_lang(ctx)
    _, registry, runs = load(framework, data, regions, None if year is None else [year], demo)
    run = runs[year if year is not None else max(runs)]
    d = run_diagnosis(run, county, by=peers, reach=reach)
    if is_synthetic(run):
        click.echo(f"[{SYNTHETIC_LABEL}]")
    click.echo(diagnosis_text(d, lang, registry))
    written(
        write_diagnosis(
            d, run, out or Path(safe_filename(f"diagnose-{d.code}-{run.year}.xlsx")), lang
        )
    )
