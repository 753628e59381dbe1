"""Commands of the yearly cycle: compare, incentives, targets, diagnose (issue #4).

Thin: each command parses options, calls one library function and prints; domain errors
(:class:`cimon.errors.CimonError`) are turned into a clean message and exit code 2 by the main group.
Without ``--data`` the commands read the accepted data in the database, or the bundled synthetic
demo panel (模拟数据) when it has none or with ``--demo``, and say which on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from cimon.cli_options import FRAMEWORK, REGIONS
from cimon.safe import safe_filename

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _options() -> list[Decorator]:
    return [
        FRAMEWORK,
        click.option(
            "--data",
            "-d",
            type=click.Path(dir_okay=False, path_type=Path),
            help="数据文件（.xlsx/.csv；默认读数据库，数据库无数据时用内置模拟数据）/ data file "
            "(.xlsx/.csv; default: the database, or the bundled synthetic demo panel when it has "
            "no data)",
        ),
        click.option(
            "--demo",
            is_flag=True,
            help="使用内置模拟数据（即使数据库中有数据）/ use the bundled synthetic demo panel (even "
            "when the database has data)",
        ),
        REGIONS,
    ]


def _out(default: str) -> Decorator:
    return click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"输出 Excel 工作簿（默认 {default}）/ output Excel workbook (default {default})",
    )


_CODE_MAP = click.option(
    "--code-map",
    type=click.Path(dir_okay=False, path_type=Path),
    help="区划代码变更表（CSV/XLSX/YAML：old_code,new_code,kind）/ code-change table "
    "(old_code,new_code,kind)",
)


def _apply(decorators: Iterable[Decorator], fn: Callable[..., Any]) -> Callable[..., Any]:
    for d in reversed(list(decorators)):
        fn = d(fn)
    return fn


def _load(
    framework: str,
    data: Path | None,
    regions: Path | None,
    years: Iterable[int] | None,
    demo: bool = False,
) -> tuple[Any, Any, dict[int, Any]]:
    """(framework, registry, runs by evaluation year); ``years=None``: every year the data allow.

    The data: ``data`` if given; else the bundled demo panel with ``demo``; else the accepted
    data in the database (as ``cimon evaluate`` without ``--data``), or the demo panel when the
    database has none. Which one is said on stderr."""
    from cimon.engine.pipeline import evaluate_years
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry, load_registry

    fw = load_framework(framework)
    registry = load_registry(regions) if regions else default_registry()
    panel = choose_panel(fw, registry, data, demo)
    if years is None:
        years = [y + fw.data_lag for y in panel.years[1:]]
    return fw, registry, evaluate_years(fw, panel, list(years), registry)


def choose_panel(fw: Any, registry: Any, data: Path | None, demo: bool = False) -> Any:
    """The panel a command without ``--as-of`` works on (:func:`cimon.store.source.choose_panel`:
    ``data``, else the demo with ``demo``, else the database or the demo), said on stderr."""
    from cimon.store.source import SourceError
    from cimon.store.source import choose_panel as choose

    try:
        chosen = choose(fw, registry, data, demo)
    except SourceError as exc:
        raise click.UsageError(exc.render("both").replace("\n", " / ")) from None
    if chosen.note:
        click.echo(chosen.note, err=True)
    return chosen.panel


def _code_map(path: Path | None) -> Any:
    from cimon.analysis.codes import load_code_map

    return load_code_map(path) if path else None


def _written(path: Path) -> None:
    click.echo("")
    click.echo(f"已写入 / written: {path}")


def register(main: click.Group, group_cls: type[click.Group]) -> None:
    """Add this module's commands to the ``cimon`` group."""
    from cimon.cli import _help_option, _lang

    @click.pass_context
    def compare(
        ctx: click.Context, year: int, framework: str, data: Path | None, demo: bool,
        regions: Path | None, code_map: Path | None, out: Path | None,
    ) -> None:  # fmt: skip
        from cimon.analysis.compare import compare_runs, previous_year
        from cimon.reports.yearly import comparison_text
        from cimon.reports.yearly_excel import write_comparison

        lang = _lang(ctx)
        _, _, runs = _load(framework, data, regions, [year - 1, year], demo)
        c = compare_runs(previous_year(runs, year), runs[year], _code_map(code_map))
        click.echo(comparison_text(c, lang))
        _written(write_comparison(c, out or Path(f"compare-{year}.xlsx"), lang))

    main.command(
        "compare",
        help="年度比较：类别跃升/下降、转移矩阵、排名变化、得分变化按指标精确分解 / Compare an "
        "evaluation year with the year before: class transitions, transition matrix, rank changes, "
        "exact split of each score change over pillars and indicators.",
        short_help="年度比较 / compare with last year",
    )(
        _apply(
            [
                click.option("--year", "-y", required=True, type=int, help="评价年度（与上一年度比较）/ evaluation year (compared with the year before)"),
                *_options(), _CODE_MAP, _out("compare-<年度>.xlsx"), _help_option(),
            ],
            compare,
        )
    )  # fmt: skip

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

        lang = _lang(ctx)
        rule_set = load_rules(rules)
        _, registry, runs = _load(
            framework, data, regions, None if uses else [year - 1, year], demo
        )
        if year not in runs:
            from cimon.analysis.compare import previous_year

            previous_year(runs, year)  # raises the "year not available" error
        owed = incentives_for_runs(
            {y: r for y, r in runs.items() if y <= year}, rule_set, _code_map(code_map)
        )
        synthetic = is_synthetic(runs[year])
        click.echo(incentives_text(owed[year], rule_set, year, lang, synthetic, registry))
        costs = (
            reading_costs(runs, rule_set, _code_map(code_map), [year], owed)
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
        _written(path)

    main.command(
        "incentives",
        help="激励资金：按规则集计算每个县的跃升与进位激励（整数元）并说明依据；可核对资金台账 / "
        "Incentive money per county (whole yuan) under a rule set, with every rule that fired; "
        "optionally check a funds ledger.",
        short_help="激励资金 / incentive money",
    )(
        _apply(
            [
                click.option("--year", "-y", required=True, type=int, help="评价年度 / evaluation year"),
                click.option("--rules", "-r", default="nx-2021", show_default=True, metavar="ID|FILE",
                             help="激励规则集（内置 nx-2021、zj-style 或 YAML 文件）/ rule set: bundled nx-2021, zj-style or a YAML file"),
                *_options(), _CODE_MAP,
                click.option("--uses", type=click.Path(dir_okay=False, path_type=Path),
                             help="资金使用记录（CSV/XLSX/YAML：县、年度、用途类别、金额）/ recorded uses of the funds (county, year, category, amount)"),
                _out("incentives-<年度>.xlsx"), _help_option(),
            ],
            incentives,
        )
    )  # fmt: skip

    @click.pass_context
    def targets(
        ctx: click.Context, province: str, plan: str | None, values: Path | None, framework: str,
        data: Path | None, demo: bool, regions: Path | None, out: Path | None,
    ) -> None:  # fmt: skip
        from cimon.analysis.targets import (
            county_status,
            load_county_plan,
            load_province_targets,
            load_values,
            province_progress,
        )
        from cimon.reports.excel import is_synthetic
        from cimon.reports.text import SYNTHETIC_LABEL
        from cimon.reports.yearly import county_text, province_text
        from cimon.reports.yearly_excel import write_targets

        lang = _lang(ctx)
        goal = load_province_targets(province)
        _, _, runs = _load(framework, data, regions, None, demo)
        counts = {y: r.class_counts() for y, r in runs.items() if y >= goal.base_year}
        progress = province_progress(goal, counts)
        synthetic = any(is_synthetic(r) for r in runs.values())
        if synthetic:
            click.echo(f"[{SYNTHETIC_LABEL}]")
        click.echo(province_text(goal, progress, lang))
        county = None
        if plan:
            county_plan = load_county_plan(plan)
            series, fake = ({}, False)
            if values:
                series, fake = load_values(values)
            else:
                from importlib import resources

                example = resources.files("cimon.data") / "targets" / f"{plan}-synthetic-values.csv"
                if example.is_file():
                    with resources.as_file(example) as p:
                        series, fake = load_values(p)
            status = county_status(county_plan, series)
            county = (county_plan, status)
            synthetic |= fake
            click.echo("")
            click.echo(county_text(county_plan, status, lang, fake))
        _written(
            write_targets(out or Path("targets.xlsx"), lang, (goal, progress), county, synthetic)
        )

    main.command(
        "targets",
        help="预期目标：省级A/B/C类县数量目标进展与所需进度；县级行动方案目标（期限、责任单位、是否按期可达）/ "
        "Targets: province class-count progress and the pace needed; county action-plan targets "
        "(deadline, responsible units, on track / at risk / off track).",
        short_help="目标进展 / progress against targets",
    )(
        _apply(
            [
                click.option("--province", "-p", default="nx-2025", show_default=True, metavar="ID|FILE",
                             help="省级类别数量目标（内置编号或 YAML）/ province class-count targets: bundled id or YAML"),
                click.option("--plan", metavar="ID|FILE",
                             help="县级行动方案目标（如内置 jingning-2023）/ county action plan, e.g. bundled jingning-2023"),
                click.option("--values", type=click.Path(dir_okay=False, path_type=Path),
                             help="县级目标的实际值（CSV/XLSX/YAML：item,year,value）/ observed values for the plan (item,year,value)"),
                *_options(), _out("targets.xlsx"), _help_option(),
            ],
            targets,
        )
    )  # fmt: skip

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

        lang = _lang(ctx)
        _, registry, runs = _load(framework, data, regions, None if year is None else [year], demo)
        run = runs[year if year is not None else max(runs)]
        d = run_diagnosis(run, county, by=peers, reach=reach)
        if is_synthetic(run):
            click.echo(f"[{SYNTHETIC_LABEL}]")
        click.echo(diagnosis_text(d, lang, registry))
        _written(
            write_diagnosis(
                d, run, out or Path(safe_filename(f"diagnose-{d.code}-{run.year}.xlsx")), lang
            )
        )

    main.command(
        "diagnose",
        help="县域诊断：优势与短板（对比同组县）、尚余分值、升入上一类别的最少改进路径（经重新评价验证）/ "
        "Diagnose a county: strengths and weaknesses against its peers, points still available, "
        "and the fewest improvements that lift it into the next class (verified by re-scoring).",
        short_help="县域诊断 / diagnose a county",
    )(
        _apply(
            [
                click.argument("county", metavar="COUNTY"),
                click.option("--year", "-y", type=int, help="评价年度（默认数据中最近一年）/ evaluation year (default: the latest the data allow)"),
                click.option("--peers", default="city", show_default=True,
                             help="对比组：city（设区市）、type、district（市辖区/县）、all、tag:标签 / peer group: city, type, district, all, tag:TAG"),
                click.option("--reach", type=click.Choice(["best", "peer", "benchmark"]), default="best", show_default=True,
                             help="可达水平：最优县、同组最优县或标准值 / reachable level: best county, best peer or the benchmark"),
                *_options(), _out("diagnose-<代码>-<年度>.xlsx"), _help_option(),
            ],
            diagnose,
        )
    )  # fmt: skip
