"""``cimon robustness``: uncertainty and sensitivity analysis of one evaluation year (issue #5).

Thin: parses options, calls :func:`cimon.analysis.uncertainty.monte_carlo` and
:func:`cimon.analysis.sensitivity.rank_sensitivity`, prints the summary and writes the Excel
workbook and the JSON file. Without ``--data`` it reads the database, or the bundled
synthetic demo panel when the database has no data or with ``--demo``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cimon.analysis.defaults import (
    DEFAULT_ASSUMPTIONS,
    DEFAULT_REPLICATES,
    DEFAULT_RULES,
    DEFAULT_SEED,
)
from cimon.cli_options import CODE_MAP, HELP, code_map_from, data_options, load, output_lang


@click.command(
    "robustness",
    help="稳健性分析：按不确定性假设（分值、目标值、缺失值与异常值处理、方法选择）做蒙特卡洛模拟，"
    "给出各县得分与排名区间、各类别概率、类别是否稳定、激励资金成立的概率，以及 Sobol 敏感性指数 / "
    "Robustness: Monte Carlo over the uncertain assumptions (points, benchmarks, imputation, "
    "treatment, method choices): score and rank intervals, class probabilities and stability per "
    "county, the probability that each incentive holds, and Sobol' sensitivity indices.",
    short_help="稳健性分析 / uncertainty and sensitivity",
)
@click.option("--year", "-y", required=True, type=int, help="评价年度 / evaluation year")
@click.option(
    "--replicates",
    "-n",
    default=DEFAULT_REPLICATES,
    show_default=True,
    type=click.IntRange(1),
    help="蒙特卡洛模拟次数 / Monte Carlo replicates",
)
@click.option(
    "--seed",
    "-s",
    default=DEFAULT_SEED,
    show_default=True,
    type=int,
    help="随机种子（相同种子结果完全相同）/ random seed (same seed, identical output)",
)
@click.option(
    "--assumptions",
    "-a",
    default=DEFAULT_ASSUMPTIONS,
    show_default=True,
    metavar="ID|FILE",
    help="不确定性假设（内置 default、methods，或 YAML 文件）/ assumption set: "
    "bundled default, methods, or a YAML file",
)
@click.option(
    "--rules",
    "-r",
    default=DEFAULT_RULES,
    show_default=True,
    metavar="ID|FILE",
    help="激励规则（内置编号或 YAML 文件）/ incentive rules: bundled id or YAML file",
)
@click.option(
    "--previous",
    type=click.Choice(["joint", "fixed", "none"]),
    default="joint",
    show_default=True,
    help="上年结果：joint 与本年同一抽样重算，fixed 固定为已公布结果，none 不分析激励 / "
    "last year: joint re-scores it under the same draw, fixed keeps the published "
    "result, none skips the incentives",
)
@click.option(
    "--sobol-n",
    default=256,
    show_default=True,
    type=click.IntRange(0),
    help="Sobol 基础样本数（2 的幂；0 不做敏感性分析）/ Sobol' base sample (a power "
    "of two; 0 skips the sensitivity analysis)",
)
@data_options
@CODE_MAP
@click.option(
    "--out-dir",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹（robustness-<年度>.xlsx 与 .json；默认当前文件夹）/ output folder "
    "(robustness-<year>.xlsx and .json; default: current folder)",
)
@HELP
@click.pass_context
def robustness(
    ctx: click.Context, year: int, replicates: int, seed: int, assumptions: str,
    rules: str, previous: str, sobol_n: int, framework: str, data: Path | None, demo: bool,
    regions: Path | None, code_map: Path | None, out_dir: Path | None,
) -> None:  # fmt: skip
    from cimon.analysis.assumptions import load_assumptions
    from cimon.analysis.compare import previous_year
    from cimon.analysis.rules import load_rules
    from cimon.analysis.sensitivity import check_base, rank_sensitivity, robustness_steps
    from cimon.analysis.uncertainty import monte_carlo, write_json
    from cimon.reports.robustness import robustness_text, write_robustness

    lang = output_lang(ctx)
    if sobol_n:
        check_base(sobol_n)
    aset = load_assumptions(assumptions)
    _, _, runs = load(framework, data, regions, None, demo)
    if year not in runs:
        previous_year(runs, year)  # raises the "year not available" error
    prev = runs.get(year - 1) if previous != "none" else None
    rule_set = load_rules(rules) if prev is not None else None
    total = robustness_steps(
        runs[year], aset, replicates, sobol_n, joint=prev is not None and previous == "joint"
    )
    label = "模拟 / replicates"
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        result = monte_carlo(
            runs[year],
            aset,
            replicates,
            seed,
            previous=prev,
            rules=rule_set,
            code_map=code_map_from(code_map),
            previous_mode="joint" if previous == "none" else previous,
            progress=bar.update,
        )
        if sobol_n:
            result.sobol = rank_sensitivity(runs[year], aset, sobol_n, seed, progress=bar.update)
    click.echo(robustness_text(result, lang))
    folder = out_dir or Path(".")
    xlsx = write_robustness(result, folder / f"robustness-{year}.xlsx", lang)
    js = write_json(result, folder / f"robustness-{year}.json")
    click.echo("")
    click.echo(f"已写入 / written: {xlsx}")
    click.echo(f"已写入 / written: {js}")
