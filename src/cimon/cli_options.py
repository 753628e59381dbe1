"""Options shared by the command modules (``cli``, ``cli_intake``, ``cli_yearly``): one definition,
one help text in both languages."""

from __future__ import annotations

from pathlib import Path

import click

HELP = click.help_option("--help", "-h", help="显示帮助并退出 / show this help and exit")

FRAMEWORK = click.option(
    "--framework",
    "-f",
    default="nx-2021",
    show_default=True,
    metavar="ID|FILE",
    help="指标体系（内置编号或 YAML 文件）/ framework: bundled id or YAML file",
)

REGIONS = click.option(
    "--regions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="区划表 CSV（默认内置宁夏22县）/ region registry CSV (default: bundled Ningxia, 22 counties)",
)
